"""Numbers Tesseract dropped after `Điều`, `khoản` ... (ocr/lost_numbers.py), read by the shipped recogniser.

Each line is drawn here with PyMuPDF, spread as justified print spreads it; the words handed in
are those Tesseract read, at the boxes PyMuPDF measures, without the lone figure.
"""

from __future__ import annotations

import pymupdf
from PIL import Image

from ocr.digit_reader import digit_reader
from ocr.lost_numbers import read_lost_numbers
from ocr.types import Line, Word
from samples.layout import FONT_DIR, STYLES
from test_tables import grey_image

SERIF = str(FONT_DIR / STYLES["regular"])
WIDTH, HEIGHT = 595, 842
SIZE = 13


def _page(rows: list[list[tuple[str, float]]], dropped: set[str]) -> tuple[Image.Image, list[Line]]:
    """The page image and its lines as read: each row's words at their x, less the `dropped` ones."""
    font = pymupdf.Font(fontfile=SERIF)
    lines = []
    with pymupdf.open() as doc:
        page = doc.new_page(width=WIDTH, height=HEIGHT)
        for k, row in enumerate(rows):
            baseline = 200 + 40 * k
            words = []
            for text, x in row:
                page.insert_text((x, baseline), text, fontname="serif", fontfile=SERIF, fontsize=SIZE)
                if text not in dropped:
                    right = x + font.text_length(text, fontsize=SIZE)
                    box = (x / WIDTH, (baseline - SIZE) / HEIGHT, right / WIDTH, (baseline + 3) / HEIGHT)
                    words.append(Word(text=text, confidence=0.95, bbox=box))
            lines.append(Line.from_words(words, block=k))
        image = Image.fromarray(grey_image(page, dpi=300))
    return image, lines


def test_a_figure_dropped_between_a_label_and_the_next_word_is_put_back():
    # qd486's appendix: `khoản 4 Điều 8 Luật Đường bộ`, read `khoản 4 Điều Luật`
    row = [("tại", 60), ("khoản", 100), ("4", 160), ("Điều", 190), ("8", 245), ("Luật", 280), ("Đường", 330)]
    image, lines = _page([row], dropped={"8"})
    fixed, found = read_lost_numbers(image, lines, digit_reader)
    assert found == 1
    assert fixed[0].text == "tại khoản 4 Điều 8 Luật Đường"
    eight = fixed[0].words[4]
    assert eight.confidence >= 0.9 and 245 / WIDTH - 0.01 < eight.bbox[0] < eight.bbox[2] < 280 / WIDTH


def test_a_figure_dropped_after_a_label_at_a_lines_end_is_put_back():
    image, lines = _page([[("-", 60), ("Như", 72), ("Điều", 102), ("3", 134)]], dropped={"3"})
    fixed, found = read_lost_numbers(image, lines, digit_reader)
    assert (found, fixed[0].text) == (1, "- Như Điều 3")


def test_words_labels_with_their_number_and_far_ink_are_left_alone():
    rows = [
        # a label whose number was read, and `điều kiện` (a condition, no label) with a wide gap
        [("Điều", 60), ("5.", 100), ("Các", 130), ("điều", 170), ("kiện", 250)],
        # a word in the gap is no figure; the recogniser reads no tone marks
        [("khoản", 60), ("thu", 130), ("phí", 170)],
        # at a line's end, ink far to the right (the next cell of a table) is not the label's
        [("Điều", 60), ("7", 160)],
    ]
    image, lines = _page(rows, dropped={"thu", "7"})
    fixed, found = read_lost_numbers(image, lines, digit_reader)
    assert found == 0 and fixed == lines
