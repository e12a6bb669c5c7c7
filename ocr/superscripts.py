"""The 2 of square and the 3 of cubic units of measure, printed small and high.

Documents print `m2` and `m3` with the figure as a superscript (`100.000 m³/năm`, `37.682 m²`);
Tesseract reads it as a quote or a letter (`m”/năm`, `mỶ/năm`) or not at all (`m/năm`). A unit
of length (`m`, `km`, `cm`, `dm`) after a number, read with one such mark or none, is looked at
in the image: the ink right of the unit's letter that ends above the letter's middle is the
superscript, and the second recogniser (ocr/digit_reader.py) reads it. A 2 or a 3 read surely
there is written after the unit as documents' text layers have it (`m3/năm`); a plain `100 m` has
no ink there and stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from ocr.digit_reader import DigitReader
from ocr.empty_cells import figures_sure
from ocr.types import Line, Word

STAGE = "superscripts"  # named in the page's stages when a power was read
# a number glued to it or not; the unit; one mark that is no letter or figure, or a capital Y
# (`Ỷ`, a 3's shape); a rate (`/năm`) and punctuation
_MEASURE = re.compile(r"^(?P<unit>(?:\d[\d.,]*)?(?:k|c|d)?m)(?:[^\w\s/.,;:)]|[ỶÝỲY²³])?(?P<rest>/[^\W\d_]+)?(?P<tail>[.,;:)]*)$")
_NUMBER_END = re.compile(r"\d$")
# The superscript's bottom is above this share of the unit letter's height from its top.
HIGH = 0.55
# and its height between these shares of the letter's (specks, marks and the slash excluded)
SMALLEST, TALLEST = 0.5, 1.3
# How far above and right of the word's box to look, in the box's heights.
REACH = 0.6


def read_superscripts(image: Image.Image, lines: list[Line], reader: Callable[[], DigitReader]) -> tuple[list[Line], int]:
    """The lines with each unit's power read from the image; how many were read."""
    found = 0
    fixed = []
    for k, line in enumerate(lines):
        words = list(line.words)
        # the number may end the line before (`100.000 | m³/năm`)
        before = [lines[k - 1].words[-1].text if k and lines[k - 1].words else ""] + [w.text for w in words]
        for i, word in enumerate(words):
            measure = _MEASURE.match(word.text)
            if measure is None or not (word.text[0].isdigit() or _NUMBER_END.search(before[i])):
                continue
            if (power := _power(image, word, reader)) is not None:
                words[i] = word.model_copy(update={
                    "text": measure["unit"] + power + (measure["rest"] or "") + measure["tail"]})
                found += words[i].text != word.text
        changed = any(a is not b for a, b in zip(words, line.words))
        fixed.append(Line.from_words(words, line.block) if changed else line)
    return fixed, found


def _power(image: Image.Image, word: Word, reader: Callable[[], DigitReader]) -> str | None:
    """`2` or `3` if the second recogniser reads one surely in the superscript's ink, else None."""
    width, height = image.size
    left, top, right, bottom = (int(word.bbox[0] * width), int(word.bbox[1] * height),
                                int(word.bbox[2] * width), int(word.bbox[3] * height))
    tall = bottom - top
    if tall < 6 or right - left < 4:
        return None
    # A superscript Tesseract left out of the word stands above and right of its box.
    top, right = max(0, top - int(REACH * tall)), min(width, right + int(REACH * tall))
    region = np.asarray(image.crop((left, top, right, bottom)).convert("L"))
    _, ink = cv2.threshold(region, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # shapes cut by the crop's top belong to the line above
    shapes = sorted((tuple(int(v) for v in stats[k][:4]) for k in range(1, count) if stats[k][1] > 0), key=lambda s: s[0])
    # the unit's letter: the first shape as wide as it is tall or wider (figures are narrower)
    letter = next((s for s in shapes if s[2] >= s[3] >= tall / 4), None)
    if letter is None:
        return None
    x, y, w, h = letter
    after = [s for s in shapes if s[0] >= x + w - 1]
    # a rate's slash, taller than the letter, ends the search: `năm`'s breve is high and small too
    slash = next((s for s in after if s[3] > 1.2 * h and s[1] + s[3] > y + h / 2), None)
    high = [s for s in after if (slash is None or s[0] + s[2] / 2 < slash[0])
            and s[1] + s[3] <= y + HIGH * h and SMALLEST * h <= s[3] <= TALLEST * h]
    if not high:
        return None
    x0, y0 = min(s[0] for s in high), min(s[1] for s in high)
    x1, y1 = max(s[0] + s[2] for s in high), max(s[1] + s[3] for s in high)
    reading = reader().read_ink(region[y0:y1, x0:x1])
    return reading.text if reading.text in ("2", "3") and figures_sure(reading) is not None else None

