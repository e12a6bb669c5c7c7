"""Opening quotes Tesseract reads where the page has none.

In justified print a list item's dash stands far from its first word, and Tesseract reads an
opening quote glued to that word, unsure, where no ink is: `- “Địa chỉ trực tuyến:` five times on
one page of an appendix (0.62 and 0.66), `“Như` on another. A quote mark is two small marks high
on the line, left of the first letter; when the leftmost ink in the word's box is instead as tall
as a letter, the box holds no quote and the word loses it. A quote the page prints stays.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from ocr.types import Line, Word

STAGE = "phantom_quotes"  # named in the page's stages when a quote was dropped
_OPENING = ("“", '"')
# Only a word read below this is looked at: printed quotes come back surer.
UNSURE = 0.8
# The leftmost ink is a letter when it is at least this share of the box's tallest ink; a quote
# mark is a quarter of a capital's height.
LETTER_HEIGHT = 0.6
# Darker than this is ink (grey levels, paper 255); smaller than this share of the box's height
# is a speck.
INK = 128
SPECK = 0.1


def drop_phantom_quotes(image: Image.Image, lines: list[Line]) -> tuple[list[Line], int]:
    """`lines` with the opening quotes the page does not print taken off their words; how many."""
    grey = None
    dropped = 0
    fixed = []
    for line in lines:
        words = list(line.words)
        for i, word in enumerate(words):
            if not _suspect(word):
                continue
            grey = np.asarray(image.convert("L")) if grey is None else grey
            if _opens_with_letter(grey, word):
                words[i] = word.model_copy(update={"text": word.text[1:]})
                dropped += 1
        changed = any(a is not b for a, b in zip(words, line.words))
        fixed.append(Line.from_words(words, line.block).model_copy(update={"stamp": line.stamp}) if changed else line)
    return fixed, dropped


def _suspect(word: Word) -> bool:
    text = word.text
    return word.confidence < UNSURE and len(text) > 2 and text[0] in _OPENING and text[1].isupper() and text[1].isalpha()


def _opens_with_letter(grey: np.ndarray, word: Word) -> bool:
    """Whether the leftmost ink in the word's box is letter-tall: no quote mark stands before it."""
    height, width = grey.shape
    x0, y0 = int(word.bbox[0] * width), int(word.bbox[1] * height)
    x1, y1 = int(word.bbox[2] * width), int(word.bbox[3] * height)
    if x1 - x0 < 4 or y1 - y0 < 8:
        return False
    ink = (grey[y0:y1, x0:x1] < INK).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = [stats[k] for k in range(1, count) if stats[k, 3] >= SPECK * (y1 - y0)]
    if not marks:
        return False
    tallest = max(int(s[3]) for s in marks)
    leftmost = min(marks, key=lambda s: int(s[0]))
    return int(leftmost[3]) >= LETTER_HEIGHT * tallest
