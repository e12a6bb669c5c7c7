"""The 2 or 3 printed high after a unit of length, read from the image by the shipped recogniser
(ocr/superscripts.py).

Each line is drawn here with PyMuPDF, the power small and raised as a word processor prints a
superscript; the words handed in are those Tesseract read (`m”/năm`, `m/năm`), at the boxes
PyMuPDF measures.
"""

from __future__ import annotations

import pymupdf
from PIL import Image

from ocr.digit_reader import digit_reader
from ocr.superscripts import read_superscripts
from ocr.types import Line, Word
from samples.layout import FONT_DIR, STYLES
from test_tables import grey_image

SERIF = str(FONT_DIR / STYLES["regular"])
WIDTH, HEIGHT = 595, 842
SIZE = 13


def _page(rows: list[list[tuple[str, str]]]) -> tuple[Image.Image, list[Line]]:
    """Each row: (printed, read) pairs, left to right; a printed `^3` is a superscript 3 glued to
    the text before it."""
    font = pymupdf.Font(fontfile=SERIF)
    lines = []
    with pymupdf.open() as doc:
        page = doc.new_page(width=WIDTH, height=HEIGHT)
        for k, row in enumerate(rows):
            baseline, x, words = 200 + 40 * k, 60.0, []
            for printed, read in row:
                left = x
                for n, piece in enumerate(printed.split("^")):
                    raised, size = (piece[:1], SIZE * 0.65) if n else ("", SIZE)
                    if raised:
                        page.insert_text((x, baseline - SIZE * 0.35), raised, fontname="serif", fontfile=SERIF, fontsize=size)
                        x += font.text_length(raised, fontsize=size)
                        piece = piece[1:]
                    page.insert_text((x, baseline), piece, fontname="serif", fontfile=SERIF, fontsize=SIZE)
                    x += font.text_length(piece, fontsize=SIZE)
                box = (left / WIDTH, (baseline - SIZE) / HEIGHT, x / WIDTH, (baseline + 3) / HEIGHT)
                words.append(Word(text=read, confidence=0.8, bbox=box))
                x += font.text_length(" ", fontsize=SIZE) * 1.5
            lines.append(Line.from_words(words, block=k))
        image = Image.fromarray(grey_image(page, dpi=300))
    return image, lines


def test_a_power_read_as_a_mark_or_lost_is_read_from_the_image():
    image, lines = _page([
        [("dưới", "dưới"), ("100.000", "100.000"), ("m^3/năm", "m”/năm")],
        [("khoảng", "khoảng"), ("47.366m^2,", "47.366m,")],
        [("100.000", "100.000")],
        [("m^3/năm", "mỶ/năm"), ("trở", "trở")],  # its number ends the line above
    ])
    fixed, found = read_superscripts(image, lines, digit_reader)
    assert found == 3
    assert [line.text for line in fixed] == ["dưới 100.000 m3/năm", "khoảng 47.366m2,", "100.000", "m3/năm trở"]


def test_plain_units_and_words_stay():
    image, lines = _page([
        [("dài", "dài"), ("100", "100"), ("m.", "m."), ("Độ", "Độ"), ("cao", "cao")],  # metres: no power
        [("rộng", "rộng"), ("15,5m", "15,5m"), ("và", "và"), ("ấp", "ấp")],  # marks of the next word are no power
        [("mặt", "mặt"), ("m^2", "m”")],  # after a word, not a number: not looked at
    ])
    fixed, found = read_superscripts(image, lines, digit_reader)
    assert found == 0 and fixed == lines
