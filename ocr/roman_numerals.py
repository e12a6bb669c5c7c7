"""Roman numerals of capital I's counted on the page: `cấp III` is not `cấp II`.

Tesseract's line model reads three upright strokes as two about as often as three (`an toàn sinh
học cấp III` read `cấp II`, unsure), and the text around says nothing of which: `cấp II` and
`cấp III`, `Phần II` and `Phần III` are all written. The strokes themselves say it. In the box of
a word read as one to three I's (or an I with a stray mark, `ÏI`), the ink as tall as the box is
counted: each stroke of a serif I stands apart, as narrow as a stroke. When the count is one to
three and differs from what was read, the word is that many I's.
"""

from __future__ import annotations

import re

import cv2
import numpy as np
from PIL import Image

from ocr.types import Line, Word

STAGE = "roman_numerals"  # named in the page's stages when a numeral was recounted
# Brackets are left out: in the box they stand as tall and narrow as an I.
_NUMERAL = re.compile(r"^([IÏÍÌ]{1,3})([.,;:]*)$")
# A stroke is at least this share of the word box's height, and at most this share of it wide
# (an I of Times is about a quarter as wide as it is tall; two touching I's are wider).
TALL = 0.6
NARROW = 0.45


def recount_roman_numerals(image: Image.Image, lines: list[Line]) -> tuple[list[Line], int]:
    """The lines with numerals of I's recounted from their strokes; how many words changed."""
    grey: np.ndarray | None = None
    fixed, changed = [], 0
    for line in lines:
        words = list(line.words)
        for k, word in enumerate(words):
            if (match := _NUMERAL.match(word.text)) is None:
                continue
            grey = np.asarray(image.convert("L")) if grey is None else grey
            strokes = _strokes(grey, word)
            if strokes and strokes != match.group(1):
                words[k] = word.model_copy(update={"text": strokes + match.group(2)})
        count = sum(new is not old for new, old in zip(words, line.words))
        fixed.append(Line.from_words(words, line.block).model_copy(update={"stamp": line.stamp}) if count else line)
        changed += count
    return fixed, changed


def _strokes(grey: np.ndarray, word: Word) -> str | None:
    """`I` as many times as the word's box holds upright strokes, if one to three, else None."""
    height, width = grey.shape
    x0, y0, x1, y1 = word.bbox
    box = grey[int(y0 * height) : int(np.ceil(y1 * height)), int(x0 * width) : int(np.ceil(x1 * width))]
    if box.size == 0:
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats((box < 128).astype(np.uint8))
    tall = [stats[i] for i in range(1, count) if stats[i, 3] >= TALL * box.shape[0]]
    if not 1 <= len(tall) <= 3 or any(s[2] > NARROW * s[3] for s in tall):
        return None
    return "I" * len(tall)
