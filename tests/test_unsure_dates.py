"""Dates Tesseract was unsure of, read again by the shipped recogniser (ocr/unsure_dates.py).

The line is drawn here with PyMuPDF; the words handed in are Tesseract's readings of it, some of
them wrong, at the boxes PyMuPDF measures.
"""

from __future__ import annotations

import pymupdf
from PIL import Image

from ocr.digit_reader import digit_reader
from ocr.types import Line, Word
from ocr.unsure_dates import reread_unsure_dates
from samples.layout import FONT_DIR, STYLES
from test_tables import grey_image

SERIF = str(FONT_DIR / STYLES["regular"])
WIDTH, HEIGHT = 595, 842
SIZE = 13
PRINTED = ["ngày", "08/6/2010", "và", "31/10/2017;", "ngày", "19/6/2015", "số", "63/2010/NĐ-CP"]


def _read(readings: list[tuple[str, float]]) -> tuple[Image.Image, Line]:
    """The printed line's image and the line as Tesseract read it (text and confidence per word)."""
    font = pymupdf.Font(fontfile=SERIF)
    words, x = [], 60.0
    with pymupdf.open() as doc:
        page = doc.new_page(width=WIDTH, height=HEIGHT)
        for printed, (text, confidence) in zip(PRINTED, readings):
            page.insert_text((x, 200), printed, fontname="serif", fontfile=SERIF, fontsize=SIZE)
            right = x + font.text_length(printed, fontsize=SIZE)
            words.append(Word(text=text, confidence=confidence, bbox=(x / WIDTH, 187 / HEIGHT, right / WIDTH, 203 / HEIGHT)))
            x = right + 6
        image = Image.fromarray(grey_image(page, dpi=300))
    return image, Line.from_words(words, block=0)


def test_an_unsure_date_read_with_a_wrong_figure_gets_the_second_readers_figures():
    image, line = _read([("ngày", 0.97), ("06/6/2010", 0.84), ("và", 0.97), ("31/10/2017;", 0.97),
                         ("ngày", 0.97), ("19/6/2015", 0.97), ("số", 0.97), ("63/2010/NĐ-CP", 0.97)])
    (fixed,), corrected = reread_unsure_dates(image, [line], digit_reader)
    assert corrected == 1
    assert fixed.text == "ngày 08/6/2010 và 31/10/2017; ngày 19/6/2015 số 63/2010/NĐ-CP"


def test_an_unsure_date_read_right_is_agreed_and_sure_dates_and_numbers_are_not_read():
    image, line = _read([("ngày", 0.97), ("08/6/2010", 0.97), ("và", 0.97), ("31/10/2017;", 0.5),
                         ("ngày", 0.97), ("19/6/2015", 0.95), ("số", 0.97), ("63/2010/NĐ-CP", 0.3)])
    (fixed,), corrected = reread_unsure_dates(image, [line], digit_reader)
    assert corrected == 0 and fixed.text == line.text
    agreed = [word.digits_agreed for word in fixed.words]
    # the two readings agree at the second's least sure figure
    assert 0.5 < agreed[3] <= 1.0
    assert [a for k, a in enumerate(agreed) if k != 3] == [None] * 7


def test_a_reading_of_another_shape_leaves_tesseracts():
    # Tesseract's 3-figure day has no counterpart of that shape in the print: left as read
    image, line = _read([("ngày", 0.97), ("088/6/2010", 0.5), ("và", 0.97), ("31/10/2017;", 0.97),
                         ("ngày", 0.97), ("19/6/2015", 0.97), ("số", 0.97), ("63/2010/NĐ-CP", 0.97)])
    (fixed,), corrected = reread_unsure_dates(image, [line], digit_reader)
    assert corrected == 0 and fixed.text == line.text and fixed.words[1].digits_agreed is None
