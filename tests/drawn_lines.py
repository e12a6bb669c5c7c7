"""Print drawn on a page image with the lines a perfect reading of it gives (boxes from the drawing)."""

from __future__ import annotations

from PIL import ImageDraw, ImageFont

from ocr.types import Line, Word


def draw_line(draw: ImageDraw.ImageDraw, x: int, y: int, value: str, font: ImageFont.FreeTypeFont, block: int) -> Line:
    """`value` drawn in black at (x, y), and its words as read at 0.95, boxes as page fractions."""
    width, height = draw.im.size
    draw.text((x, y), value, font=font, fill=0)
    words, at = [], x
    for word in value.split(" "):
        left, top, right, bottom = draw.textbbox((at, y), word, font=font)
        words.append(Word(text=word, confidence=0.95, bbox=(left / width, top / height, right / width, bottom / height)))
        at += draw.textlength(word + " ", font=font)
    return Line.from_words(words, block)
