"""Read the ruled table cells that Tesseract left empty though ink stands in them.

An appendix's `STT` column holds one small figure per row (`1.`, `2.`) and a row's procedure code
can stand alone in its cell (`2.001915.000.00.00.H56`). With the table's rules erased, such a
lone, short piece of print sits in a wide white column, and Tesseract's layout analysis takes it
for a speck and never reads it. Each cell of a ruled table (ocr/tables.py) in which no word was
read but ink stands in one line of print is cut out and read by the second recogniser
(ocr/digit_reader.py, already used for handwritten blanks and page numbers); only figures and
codes read surely are kept, never words: that recogniser reads Vietnamese tone marks poorly
(`Phí, lệ phí` as `Phí, lè phí`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from ocr.digit_reader import DigitReader, Reading
from ocr.tables import Table
from ocr.types import BBox, Line, Word

STAGE = "empty_cells"  # named in the page's stages when a cell was read
# Left out round the cell, as a share of the page's width: what an erased rule leaves behind.
INSET = 0.004
# Ink at least this tall (share of the page's height) is print; lower is a speck or a dot.
MIN_HEIGHT = 0.003
# One line of 10 to 14 pt print is at most this tall; more is several lines, which the
# recogniser reads as one line of nonsense.
MAX_HEIGHT = 0.025
# A reading is taken only this sure of each of its figures, and of each separator between them.
SURE = 0.9
SEPARATOR_SURE = 0.5
# What a cell may hold to be kept: a row number (`1`, `12.`, `3)`), a national procedure code
# (`1.012345`, `1.013274.H56`, `2.001915.000.00.00.H56`), figures with their separators (a date,
# an amount).
FIGURES = re.compile(r"\d{1,3}[.)]?|\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2})?(\.H\d{2})?|\d[\d.,/:-]*\d")


def read_empty_cells(
    image: Image.Image, lines: list[Line], tables: list[Table], reader: Callable[[], DigitReader]
) -> list[Line]:
    """A line of its own for each empty cell whose print was read surely (boxes: page fractions)."""
    words = [word for line in lines for word in line.words]
    grey = np.asarray(image.convert("L"))
    block = max((line.block for line in lines), default=0)
    found = []
    for table in tables:
        for cell in table.cells:
            if any(_inside(word, cell) for word in words):
                continue
            word = _read_cell(grey, cell, reader)
            if word is not None:
                block += 1
                found.append(Line.from_words([word], block))
    return found


def _inside(word: Word, cell: BBox) -> bool:
    x, y = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
    return cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]


def _read_cell(grey: np.ndarray, cell: BBox, reader: Callable[[], DigitReader]) -> Word | None:
    height, width = grey.shape
    inset = int(INSET * width)
    x0, y0 = int(cell[0] * width) + inset, int(cell[1] * height) + inset
    x1, y1 = int(cell[2] * width) - inset, int(cell[3] * height) - inset
    if x1 - x0 < 2 or y1 - y0 < MIN_HEIGHT * height:
        return None
    region = grey[y0:y1, x0:x1]
    count, _, stats, _ = cv2.connectedComponentsWithStats((region < 128).astype(np.uint8))
    marks = [stats[i] for i in range(1, count) if stats[i, 3] >= MIN_HEIGHT * height]
    if not marks:
        return None
    top, bottom = min(int(s[1]) for s in marks), max(int(s[1] + s[3]) for s in marks)
    if bottom - top > MAX_HEIGHT * height:
        return None
    # the line's full stops and commas too, too low to count as print on their own
    row = [stats[i] for i in range(1, count) if top <= stats[i, 1] + stats[i, 3] / 2 <= bottom]
    left, right = min(int(s[0]) for s in row), max(int(s[0] + s[2]) for s in row)
    reading = reader().read_ink(region[top:bottom, left:right])
    text = reading.text.strip()
    if not FIGURES.fullmatch(text) or (sure := figures_sure(reading)) is None:
        return None
    box = ((x0 + left) / width, (y0 + top) / height, (x0 + right) / width, (y0 + bottom) / height)
    return Word(text=text, confidence=sure, bbox=box)


def figures_sure(reading: Reading) -> float | None:
    """The least probability of the reading's figures and letters when it is SURE, else None.

    A separator may be less sure (a dot of a long code read at 0.86 where every figure is 0.99):
    it does not change what the code is, so it needs only to be likelier than not.
    """
    figures = [p for c, p in zip(reading.text, reading.probabilities) if c.isalnum()]
    separators = [p for c, p in zip(reading.text, reading.probabilities) if not c.isalnum()]
    if not figures or min(figures) < SURE or min(separators, default=1.0) < SEPARATOR_SURE:
        return None
    return round(min(figures), 4)
