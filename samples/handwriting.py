"""Number and day written in by hand, as real decisions are numbered and dated when issued.

The page is printed with the number and the day left blank (`Số:      /QĐ-UBND`, `ngày    tháng
02 năm 2025`) and a clerk writes them in with a ballpoint pen: digits larger than the type,
slanted, each drawn a little differently. The truth keeps the values (they are the paper's), so a
reader that cannot read the hand misses them; it must never publish a wrong one.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import replace

from samples.layout import Line, PageLayout, Run, Stroke, catmull_rom, text_width

# Each digit as strokes through knots in a unit box (x right, y down), traced as a hand would.
_DIGITS: dict[str, list[list[tuple[float, float]]]] = {
    "0": [[(0.5, 0.0), (0.1, 0.3), (0.15, 0.8), (0.5, 1.0), (0.85, 0.75), (0.9, 0.25), (0.5, 0.0)]],
    "1": [[(0.2, 0.25), (0.55, 0.0), (0.5, 1.0)]],
    "2": [[(0.1, 0.25), (0.45, 0.0), (0.85, 0.2), (0.6, 0.6), (0.1, 1.0), (0.95, 0.95)]],
    "3": [[(0.1, 0.1), (0.55, 0.0), (0.85, 0.2), (0.45, 0.48), (0.9, 0.7), (0.55, 1.0), (0.1, 0.9)]],
    "4": [[(0.65, 1.0), (0.7, 0.0), (0.05, 0.7), (0.95, 0.7)]],
    "5": [[(0.9, 0.0), (0.25, 0.0), (0.2, 0.45), (0.6, 0.38), (0.9, 0.65), (0.6, 1.0), (0.1, 0.9)]],
    "6": [[(0.8, 0.0), (0.3, 0.3), (0.1, 0.75), (0.45, 1.0), (0.85, 0.8), (0.6, 0.5), (0.15, 0.65)]],
    "7": [[(0.05, 0.05), (0.95, 0.0), (0.4, 1.0)]],
    "8": [[(0.5, 0.45), (0.15, 0.2), (0.5, 0.0), (0.85, 0.2), (0.5, 0.45), (0.1, 0.75), (0.5, 1.0),
           (0.9, 0.75), (0.5, 0.45)]],
    "9": [[(0.85, 0.3), (0.5, 0.0), (0.1, 0.25), (0.45, 0.5), (0.85, 0.3), (0.75, 1.0)]],
}
# Beyond the digits, what a clerk writes in a received stamp (samples/received_stamp.py): `9h30`, `13/9/2024`.
_DIGITS |= {
    "/": [[(0.75, 0.0), (0.15, 1.0)]],
    "h": [[(0.25, -0.1), (0.15, 1.0)], [(0.18, 0.6), (0.5, 0.42), (0.75, 0.55), (0.72, 1.0)]],
}
NARROW = {"/": 0.6}  # of a digit's advance
# The hand writes larger than the type and leans right.
HEIGHT_FACTOR = (1.4, 1.9)
WIDTH_RATIO = 0.75  # of a digit's height
SLANT = (0.1, 0.3)
JITTER = 0.06  # of a digit's height, per knot
# A share of days is written against `ngày`, with no space (Quảng Ngãi's `ngày15`, `ngày06`), so
# that OCR reads label and ink as one word. The gap left, in the font's sizes.
GLUED_SHARE = 0.3
GLUED_GAP = 0.06

_NUMBER = re.compile(r"^(Số: )(\d+)(.*)$")
_DAY = re.compile(r"^(.+, ngày )(\d+)( tháng .*)$")


def written_in(page: PageLayout, rng: random.Random) -> PageLayout:
    """Page 1 with the number after `Số:` and the day of the place-and-date line blanked in the
    type and written over the blanks by hand."""
    lines, strokes = [], list(page.strokes)
    for line in page.lines:
        runs = []
        for run in line.runs:
            match = (_NUMBER.match(run.text) or _DAY.match(run.text)) if len(line.runs) == 1 else None
            if match:
                run, drawn = _blanked(run, *match.groups(), rng)
                strokes.extend(drawn)
            runs.append(run)
        lines.append(Line(runs))
    return replace(page, lines=lines, strokes=strokes)


def _blanked(run: Run, before: str, value: str, after: str, rng: random.Random) -> tuple[Run, list[Stroke]]:
    x = run.x + text_width(before, run.style, run.size)
    height = run.size * 0.72 * rng.uniform(*HEIGHT_FACTOR)  # digits stand about 0.72 of the font size
    strokes, pen = [], x + run.size * 0.2
    # No draw when the share is 0: the other strokes of a seed stay as they were.
    if _DAY.match(run.text) and GLUED_SHARE and rng.random() < GLUED_SHARE:
        pen = run.x + text_width(before.rstrip(), run.style, run.size) + run.size * GLUED_GAP
    for digit in value:
        strokes.extend(_digit(digit, pen, run.baseline, height, rng))
        pen += height * WIDTH_RATIO * rng.uniform(1.0, 1.25)
    space = text_width(" ", run.style, run.size)
    blank = " " * math.ceil((pen - x + run.size * 0.2) / space)
    return Run(before + blank + after, run.x, run.baseline, run.style, run.size), strokes


def handwritten(text: str, x: float, baseline: float, height: float, rng: random.Random) -> tuple[list[Stroke], float]:
    """`text` (digits, `/`, `h`) written from `x` on `baseline`, `height` tall; returns the strokes and
    where the pen stopped."""
    strokes, pen = [], x
    for glyph in text:
        strokes.extend(_digit(glyph, pen, baseline, height, rng))
        pen += height * WIDTH_RATIO * NARROW.get(glyph, 1.0) * rng.uniform(1.0, 1.25)
    return strokes, pen


def _digit(digit: str, x: float, baseline: float, height: float, rng: random.Random) -> list[Stroke]:
    slant = rng.uniform(*SLANT)
    width = height * WIDTH_RATIO
    top = baseline - height
    drawn = []
    for knots in _DIGITS[digit]:
        points = []
        for u, v in knots:
            u += rng.uniform(-JITTER, JITTER)
            v += rng.uniform(-JITTER, JITTER)
            points.append((x + u * width + (1 - v) * height * slant, top + v * height))
        drawn.append(catmull_rom(points, steps=6))
    return drawn
