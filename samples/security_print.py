"""The security print of national forms: a pale guilloche under the text and an ornamental frame.

Birth certificates and land-use-right certificates are printed on paper the state has printed first:
fine interlaced curves (rosettes and waves) in one pale colour over the whole sheet, inside a
patterned border. OCR has to read the filled-in text over it; a photo or scan keeps it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw

# Pale inks of the real papers: the birth certificate's blue-green, the land title's pink.
PALE_BLUE = (196, 222, 226)
PALE_PINK = (240, 200, 208)
FRAME_INSET = 0.035  # of the page width: the frame sits in the margin, clear of the text
CURVE_WIDTH = 0.25  # points: guilloche lines are hairlines


@dataclass(frozen=True)
class SecurityPrint:
    colour: tuple[int, int, int]
    seed: int


def draw_security_print(size: tuple[int, int], scale: float, security: SecurityPrint) -> Image.Image:
    """The printed sheet before it was filled in: white with the pattern and the frame."""
    rng = random.Random(security.seed)
    width, height = size
    sheet = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(sheet)
    line = max(1, round(CURVE_WIDTH * scale))
    # A rosette (hypotrochoid) in the middle of the sheet, as the emblem's watermark.
    big, small, pen = width * 0.30, width * rng.uniform(0.055, 0.075), width * rng.uniform(0.08, 0.11)
    draw.line(_rosette(width / 2, height * 0.52, big, small, pen), fill=security.colour, width=line)
    # Waves across the whole sheet, each a little shifted: the interlaced background.
    period, amplitude = width * rng.uniform(0.05, 0.08), height * 0.006
    for index, y in enumerate(range(0, height, max(2, round(height / 90)))):
        phase = index * 0.45
        points = [(x, y + amplitude * math.sin(2 * math.pi * x / period + phase)) for x in range(0, width, 4)]
        draw.line(points, fill=security.colour, width=line)
    _frame(draw, width, height, security.colour, line)
    return sheet


def _rosette(cx: float, cy: float, big: float, small: float, pen: float, steps: int = 6000) -> list[tuple]:
    turns = round(big / math.gcd(round(big), round(small))) if small else 1
    # Constant over the 6000 steps: computed once, not per point.
    laps, arm = min(turns, 40), big - small
    ratio = arm / small
    points = []
    for step in range(steps + 1):
        t = 2 * math.pi * laps * step / steps
        points.append((cx + arm * math.cos(t) + pen * math.cos(ratio * t),
                       cy + arm * math.sin(t) - pen * math.sin(ratio * t)))
    return points


def _frame(draw: ImageDraw.ImageDraw, width: int, height: int, colour: tuple[int, int, int], line: int) -> None:
    """Two rectangles with a zig-zag band between them, darker than the background."""
    ink = tuple(max(0, c - 70) for c in colour)
    inset = round(width * FRAME_INSET)
    band = round(width * 0.012)
    for offset in (inset, inset + band):
        draw.rectangle([offset, offset, width - offset, height - offset], outline=ink, width=line * 2)
    middle = inset + band / 2
    step = band
    for x0, y0, x1, y1 in ((inset, middle, width - inset, middle), (inset, height - middle, width - inset, height - middle)):
        draw.line([(x, y0 + (band / 2.5) * (-1) ** (i % 2)) for i, x in enumerate(range(round(x0), round(x1), step))],
                  fill=ink, width=line)
    for x in (middle, width - middle):
        draw.line([(x + (band / 2.5) * (-1) ** (i % 2), y) for i, y in
                   enumerate(range(inset, height - inset, step))], fill=ink, width=line)


def under_print(page: Image.Image, sheet: Image.Image) -> Image.Image:
    """The filled-in text printed over the pattern: inks multiply."""
    return ImageChops.multiply(page.convert("RGB"), sheet)
