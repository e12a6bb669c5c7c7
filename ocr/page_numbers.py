"""Read the page number printed alone in the top or bottom margin.

Decree 30 numbers every page after the first at the top centre (some agencies at the bottom).
Tesseract's layout analysis takes a lone figure there for noise and never reads it, so a page's
text lacks its number. The margin beyond the first (or last) line read is searched for one small
cluster of ink near the centre, as tall as a line of print and no wider than three figures, with
no other ink beside it; the second recogniser (ocr/digit_reader.py, already used for the
handwritten blanks) reads that crop, and only 1 to 3 digits read surely are kept, as a line of
their own at the top (or bottom) of the page.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from ocr.digit_reader import DigitReader
from ocr.types import Line, Word

STAGE = "page_number"  # named in the page's stages when a number was read
# The figures stand within this share of the page's width from its centre (Decree 30: centred).
CENTRE = 0.06
# Their height, as a share of the page's: 10 to 14 pt print on A4 is 0.8-1.4%; more is a heading.
MIN_HEIGHT, MAX_HEIGHT = 0.005, 0.025
# At most three figures: a cluster wider than this many heights is a word or a rule.
MAX_ASPECT = 2.5
# A reading is taken only this sure (the least probability of its characters).
SURE = 0.9


def read_page_number(image: Image.Image, lines: list[Line], reader: Callable[[], DigitReader]) -> list[Line]:
    """`lines` with the page number read from the margin above the first line (or below the last)
    put before (after) them; unchanged when no lone number is found. Boxes are page fractions."""
    if not lines:
        return lines
    top = min(line.bbox[1] for line in lines)
    bottom = max(line.bbox[3] for line in lines)
    for band, first in (((0.0, top), True), ((bottom, 1.0), False)):
        number = _number_in(image, band, reader)
        if number is not None:
            line = Line.from_words([number], min(line.block for line in lines) - 1 if first else
                                   max(line.block for line in lines) + 1)
            return [line, *lines] if first else [*lines, line]
    return lines


def _number_in(image: Image.Image, band: tuple[float, float], reader: Callable[[], DigitReader]) -> Word | None:
    width, height = image.size
    y0, y1 = int(band[0] * height), int(band[1] * height)
    if y1 - y0 < MIN_HEIGHT * height:
        return None
    region = np.asarray(image.crop((0, y0, width, y1)).convert("L"))
    ink = (region < 128).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    # specks of dust or scanning noise are no figure; everything else in the margin counts
    marks = [stats[i] for i in range(1, count) if stats[i, 3] >= MIN_HEIGHT * height / 2]
    # a figure, not a rule or a table's frame, near the centre
    largest = MAX_HEIGHT * height
    central = [
        s for s in marks if abs((s[0] + s[2] / 2) / width - 0.5) <= CENTRE and max(s[2], s[3]) <= largest
    ]
    if not central:
        return None
    x0 = min(int(s[0]) for s in central)
    x1 = max(int(s[0] + s[2]) for s in central)
    top = min(int(s[1]) for s in central)
    bottom = max(int(s[1] + s[3]) for s in central)
    tall = bottom - top
    if not MIN_HEIGHT * height <= tall <= MAX_HEIGHT * height or x1 - x0 > MAX_ASPECT * tall:
        return None
    # alone on its rows: a header's or a table's print beside it makes it part of them
    if any(s[1] < bottom and s[1] + s[3] > top for s in marks if not any(s is c for c in central)):
        return None
    pad = tall // 2
    crop = region[max(0, top - pad) : bottom + pad, max(0, x0 - pad) : x1 + pad]
    reading = reader().read(Image.fromarray(crop))
    text = reading.text.strip()
    if not (text.isdigit() and len(text) <= 3 and reading.confidence >= SURE) or text.startswith("0"):
        return None
    box = (x0 / width, (y0 + top) / height, x1 / width, (y0 + bottom) / height)
    return Word(text=text, confidence=round(reading.confidence, 4), bbox=box)
