"""Numbers Tesseract dropped after `Điều`, `khoản` ... or garbled (ocr/lost_numbers.py), read by
the shipped recogniser.

Each line is drawn here with PyMuPDF, spread as justified print spreads it; the words handed in
are those Tesseract read, at the boxes PyMuPDF measures, without the lone figure (or, where a
test says so, with another reading and confidence).
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


def _page(
    rows: list[list[tuple[str, float]]], dropped: set[str], misread: dict[str, tuple[str, float]] | None = None
) -> tuple[Image.Image, list[Line]]:
    """The page image and its lines as read: each row's words at their x, less the `dropped` ones,
    and those `misread` as the text and confidence given."""
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
                    read, confidence = (misread or {}).get(text, (text, 0.95))
                    words.append(Word(text=read, confidence=confidence, bbox=box))
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


def test_a_short_number_read_all_but_blind_is_read_again():
    # qd486's appendix cells: `07` read `7T` at 0.21, `01` read `Ơ1`
    rows = [[("lấy", 60), ("ý", 85), ("kiến:", 100), ("07", 140)], [("01", 60), ("ngày", 90), ("làm", 130)]]
    image, lines = _page(rows, dropped=set(), misread={"07": ("7T", 0.21), "01": ("Ơ1", 0.0)})
    fixed, found = read_lost_numbers(image, lines, digit_reader)
    assert found == 2 and [line.text for line in fixed] == ["lấy ý kiến: 07", "01 ngày làm"]


def test_a_number_read_unsure_but_right_or_surely_is_left_alone():
    rows = [[("lấy", 60), ("ý", 85), ("kiến:", 100), ("07", 140)], [("Mục", 60), ("A", 100)]]
    # `07` read right at 0.2 reads the same again; a sure `7T` and an unsure letter are not looked at
    for misread in ({"07": ("07", 0.2)}, {"07": ("7T", 0.5), "A": ("A", 0.1)}):
        image, lines = _page(rows, dropped=set(), misread=misread)
        fixed, found = read_lost_numbers(image, lines, digit_reader)
        assert found == 0 and [line.text for line in fixed] == [line.text for line in lines]


def test_separators_lost_in_unsure_numbers_are_put_back():
    # HN_2858's table of areas: `29.137` read `290137` (the dot as a 0), `10.075` read `10075`,
    # `34,6` read `346`
    rows = [[("29.137", 60), ("10.075", 160), ("34,6", 260)]]
    misread = {"29.137": ("290137", 0.71), "10.075": ("10075", 0.83), "34,6": ("346", 0.83)}
    image, lines = _page(rows, dropped=set(), misread=misread)
    fixed, found = read_lost_numbers(image, lines, digit_reader)
    assert found == 3 and fixed[0].text == "29.137 10.075 34,6"
    assert all(word.confidence >= 0.9 for word in fixed[0].words)


def test_numbers_without_separators_or_read_surely_keep_their_figures():
    # figures printed without separators read again the same; a year is never regrouped; a sure
    # reading is not looked at; other figures read again (`29137` for `29.173`) change nothing
    rows = [[("Mã", 60), ("2858", 100), ("năm", 160), ("2025", 200), ("18.229", 260), ("29.173", 340)]]
    misread = {"2858": ("2858", 0.6), "2025": ("2025", 0.5), "18.229": ("18229", 0.95), "29.173": ("29137", 0.6)}
    image, lines = _page(rows, dropped=set(), misread=misread)
    fixed, found = read_lost_numbers(image, lines, digit_reader)
    assert found == 0 and fixed[0].text == "Mã 2858 năm 2025 18229 29137"
