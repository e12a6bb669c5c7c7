"""Read again, with the second recogniser, the dates Tesseract was unsure of.

At 200 dpi Tesseract reads a cited date's 8 as a 6 (`Nghị định số 63/2010/NĐ-CP ngày 08/6/2010`
comes out `06/6/2010`, at 0.84) and is unsure of many dates it reads right. A date (`d/m/yyyy`)
read below UNSURE is cut out and read by the second recogniser (ocr/digit_reader.py, PP-OCRv5,
which reads printed figures well). Where it reads the same date, the two readings agree and the
word says so (`digits_agreed`); where it reads a valid date of the same shape, sure (≥ SURE) of
each figure that differs, its figures stand. Anything else (a slash it lost, words that bled into
the cut, a figure it is unsure of) leaves Tesseract's reading as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from PIL import Image

from ocr.digit_reader import DigitReader, Reading
from ocr.split_numbers import plausible
from ocr.types import Line, Word

STAGE = "unsure_dates"  # named in the page's stages when a date's figures were changed
UNSURE = 0.9
SURE = 0.95
_DATE = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
# Taken round the word's box, in word heights: the recogniser reads a figure touching the edge unsure.
MARGIN = 0.1


def reread_unsure_dates(image: Image.Image, lines: list[Line], reader: Callable[[], DigitReader]) -> tuple[list[Line], int]:
    """The lines with each unsure date agreed or corrected, and how many were corrected."""
    grey = np.asarray(image.convert("L"))
    corrected = 0
    fixed = []
    for line in lines:
        words = list(line.words)
        for i, word in enumerate(words):
            date = _DATE.search(word.text)
            if date is None or word.confidence >= UNSURE or word.handwritten or word.digits_agreed is not None:
                continue
            checked = _checked(date.group(0), reader().read(_cut(grey, word)))
            if checked is None:
                continue
            text, agreement = checked
            if text == date.group(0):
                words[i] = word.model_copy(update={"digits_agreed": agreement})
            else:
                words[i] = word.model_copy(update={"text": word.text[: date.start()] + text + word.text[date.end():]})
                corrected += 1
        fixed.append(line if words == line.words else Line.from_words(words, line.block).model_copy(
            update={"stamp": line.stamp}))
    return fixed, corrected


def _cut(grey: np.ndarray, word: Word) -> Image.Image:
    height, width = grey.shape
    x0, y0, x1, y1 = (int(word.bbox[0] * width), int(word.bbox[1] * height),
                      int(word.bbox[2] * width), int(word.bbox[3] * height))
    tall = max(1, y1 - y0)
    margin = int(MARGIN * tall)
    crop = grey[max(0, y0 - margin): y1 + margin, max(0, x0 - margin): x1 + margin]
    return Image.fromarray(np.pad(crop, ((tall // 2, tall // 2), (tall, tall)), constant_values=255))


def _checked(read: str, reading: Reading) -> tuple[str, float] | None:
    """The date the second reading gives, with its least figure's probability, when it is a valid
    date of the same shape as `read` and sure of every figure that differs; else None."""
    other = _DATE.search(reading.text)
    if other is None or len(other.group(0)) != len(read) or not plausible(other.group(0)):
        return None
    figures = reading.probabilities[other.start(): other.end()]
    if any(a != b and (not a.isdigit() or not b.isdigit() or p < SURE) for a, b, p in zip(read, other.group(0), figures)):
        return None
    return other.group(0), round(min(p for c, p in zip(other.group(0), figures) if c.isdigit()), 3)
