"""Digits a clerk wrote into the blanks of a printed page: the number after `Số:` and the day.

Decisions are printed with `Số:      /QĐ-UBND` and `ngày    tháng 02 năm 2025` and numbered and
dated by hand when they are issued. OCR reads handwriting badly and with a confidence that does
not say so (a handwritten `18` came out as `8` at 0.58, a `358` as `3` at 0.75), so a reading is
judged by its shape: handwritten digits are much wider and often taller than the typed digits of
the same page. Typed digits stamped by signing software may read at a low confidence too (0.30
for a clean `18`), so confidence alone would flag right values. Words from a text layer
(confidence 1.0) are exact and never judged.
"""

from __future__ import annotations

import re
from statistics import median

from extract.layout import Segment
from ocr.types import Word

# A typed digit word: digits with the separators of dates and notations (`19/6/2015;`, `2025`).
_TYPED = re.compile(r"[0-9][0-9/.\-]*[0-9][;,.)]?")
_YEAR = re.compile(r"[0-9]{4}[;,.)]?")  # the year of a date line is printed, never written in
_DIGITS = re.compile(r"[0-9]+")
_PUNCTUATION = ".,;:"
# Typed digits of one font stand within these factors of the page's median; handwriting was
# measured at 2.5-3.6 times the width and up to 1.75 times the height.
WIDER = 1.7
TALLER = 1.45
MIN_TYPED_WORDS = 3


def typed_digit_size(lines: list[Segment] | list[Word]) -> tuple[float, float] | None:
    """The median width of one character and the median height of the typed digit words among
    `lines` (a page's segments: the body's dates and numbers), or None when there are too few to
    tell; given the words of one date line, its typed year (`2025`) alone is the measure."""
    page = bool(lines) and isinstance(lines[0], Segment)
    words = [w for item in lines for w in (item.words if isinstance(item, Segment) else [item])]
    # Digits the second recogniser read are known handwriting: no measure of the typed ones.
    words = [w for w in words if not w.handwritten and (_TYPED if page else _YEAR).fullmatch(w.text)]
    if len(words) < (MIN_TYPED_WORDS if page else 1):
        return None
    return median(_char_width(w) for w in words), median(w.bbox[3] - w.bbox[1] for w in words)


def _char_width(word: Word) -> float:
    return (word.bbox[2] - word.bbox[0]) / len(word.text)


def handwritten(words: list[Word], typed: tuple[float, float] | None) -> str | None:
    """Why the words carrying digits look handwritten, or None when they look typed (or cannot
    be told: no typed digits to compare with). Any such word may stand too tall (`K5,`: OCR made
    a letter of a stroke); only a word of digits alone is judged by its width."""
    # Words the second recogniser read are known handwriting, read as such (extract/record.py).
    # A text layer's words carry confidence 1.0: its characters are exact, whatever their size (a
    # month printed beside a day that signing software drew as outlines, ocr/drawn_numbers.py).
    with_digits = [w for w in words if _DIGITS.search(w.text) and not w.handwritten and w.confidence < 1.0]
    if not with_digits or typed is None:
        return None
    width, height = typed
    for word in with_digits:
        # Width only where the word is digits alone (`358`, `8,`): letters are wider than digits.
        if _DIGITS.fullmatch(word.text.strip(_PUNCTUATION)) and _char_width(word) > WIDER * width:
            return f"handwritten-looking digits ({word.text}: {_char_width(word) / width:.1f}x the typed width)"
        if word.bbox[3] - word.bbox[1] > TALLER * height:
            return f"handwritten-looking digits ({word.text}: {(word.bbox[3] - word.bbox[1]) / height:.1f}x the typed height)"
    return None
