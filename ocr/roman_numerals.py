"""Roman numerals of capital I's counted on the page: `cấp III` is not `cấp II`.

Tesseract's line model reads three upright strokes as two about as often as three (`an toàn sinh
học cấp III` read `cấp II`, unsure), and the text around says nothing of which: `cấp II` and
`cấp III`, `Phần II` and `Phần III` are all written. The strokes themselves say it. In the box of
a word read as one to three I's (or an I with a stray mark, `ÏI`), the ink as tall as the box is
counted: each upright stroke of a serif I, as narrow as a stroke, across the middle of the box,
where serifs do not reach (in bold print the serifs of `II` touch, and it is read `H`; `III` is
read `II`). When the count is one to three and differs from what was read, the word is that many
I's. A heading's numeral at a line's start read `H.` or `L.` is recounted too: an H is told from
`II` by its crossbar, which joins the strokes in the middle.
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
# `II.` with touching serifs read as an H, `I.` with its foot serif as an L: only as a heading's
# numeral at a line's start, where a letter H or L alone is not written.
_HEADING = re.compile(r"^([HL]|[IÏ]H|H[IÏ])(\.)$")
# A stroke is at least this share of the word box's height, and at most this share of it wide
# (an I of Times is about a quarter as wide as it is tall; two touching I's are wider).
TALL = 0.6
NARROW = 0.45
# The strokes are counted on every row of this band of a stroke's height, above and below which
# the serifs are.
BAND = (0.3, 0.7)
# A figure 1's flag and an L's foot are in this share of a stroke's height at its top and bottom.
ENDS = 0.25


def recount_roman_numerals(image: Image.Image, lines: list[Line]) -> tuple[list[Line], int]:
    """The lines with numerals of I's recounted from their strokes; how many words changed."""
    grey: np.ndarray | None = None
    fixed, changed = [], 0
    for line in lines:
        words = list(line.words)
        for k, word in enumerate(words):
            if (match := _NUMERAL.match(word.text) or (_HEADING.match(word.text) if k == 0 else None)) is None:
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
    """`I` as many times as the word's box holds upright strokes, if one to three; `1` for one
    stroke with a figure's flag; else None."""
    height, width = grey.shape
    x0, y0, x1, y1 = word.bbox
    box = grey[int(y0 * height) : int(np.ceil(y1 * height)), int(x0 * width) : int(np.ceil(x1 * width))]
    if box.size == 0:
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats((box < 128).astype(np.uint8))
    found = []  # per tall shape: its strokes, and what a single stroke's ends make it
    for i in range(1, count):
        left, top, wide, tall = stats[i, :4]
        if tall < TALL * box.shape[0]:
            continue  # the full stop, a mark above
        ink = labels[top : top + tall, left : left + wide] == i
        band = ink[int(BAND[0] * tall) : int(np.ceil(BAND[1] * tall))]
        runs = {tuple(_runs(row)) for row in band}
        # the same strokes on every row of the band (an H's crossbar joins them), each one narrow
        if len({len(row) for row in runs}) != 1 or any(run > NARROW * tall for row in runs for run in row):
            return None
        found.append((len(next(iter(runs))), _ends(ink, band[0])))
    if found == [(1, "1")]:
        return "1"
    strokes = sum(count for count, _ in found)
    return "I" * strokes if 1 <= strokes <= 3 and all(ends != "L" for _, ends in found) else None


def _ends(ink: np.ndarray, middle: np.ndarray) -> str:
    """What a stroke's ends make it: `1` if its top bends to the left only (a figure's flag), `L`
    if its foot runs out to the right only, else `I` (its stroke alone, or serifs on both sides)."""
    columns = np.flatnonzero(middle)
    reach = max(1, int(ENDS * ink.shape[0]))
    top = np.flatnonzero(ink[:reach].any(axis=0))
    foot = np.flatnonzero(ink[-reach:].any(axis=0))
    if top[0] < columns[0] - 1 and top[-1] <= columns[-1] + 1:
        return "1"
    if foot[-1] - columns[-1] > 2 * max(len(columns), columns[0] - foot[0]):
        return "L"
    return "I"


def _runs(row: np.ndarray) -> list[int]:
    """The widths of the runs of ink along one row of pixels."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
    return list(edges[1::2] - edges[::2])
