"""Post-correction of recognised lines, kept to what measurably helps.

Tesseract reads the scribble of a signature, stamp residue or dirt as short lines of junk
(`cW*„ š⁄Z ¬¬`). A line Tesseract is very unsure of, or unsure of and mostly not made of
Vietnamese syllables, numbers or abbreviations, is dropped, and so are unsure specks. Words are never rewritten here: numbers and notations
keep what Tesseract saw, and validation later decides what to trust.
"""

from __future__ import annotations

import re

from ocr.legacy import is_vietnamese_syllable
from ocr.types import Line

# Measured on generated scans with seals and signatures: real lines of print average 0.75 or
# more even when degraded; junk averages under 0.5, or under 0.7 with no words in it.
JUNK_LINE = 0.5
DOUBTFUL_LINE = 0.7
# A token with no letter or digit that Tesseract is unsure of is a speck, not punctuation.
JUNK_MARK = 0.5
_NUMBER_OR_NOTATION = re.compile(r"^[\d.,:;/()\-–]+$|^\d+[/\-]")
_EDGE_PUNCTUATION = "\"'“”‘’()[].,;:!?…-–"


def drop_junk_lines(lines: list[Line]) -> list[Line]:
    kept = []
    for line in lines:
        words = [w for w in line.words if w.confidence >= JUNK_MARK or any(c.isalnum() for c in w.text)]
        if words and not is_junk(Line.from_words(words, line.block)):
            kept.append(line if len(words) == len(line.words) else Line.from_words(words, line.block))
    return kept


def is_junk(line: Line) -> bool:
    if line.confidence < JUNK_LINE:
        return True
    readable = sum(_readable(word.text) for word in line.words)
    return line.confidence < DOUBTFUL_LINE and readable < len(line.words) / 2


def _readable(token: str) -> bool:
    if _NUMBER_OR_NOTATION.match(token):
        return True
    core = token.strip(_EDGE_PUNCTUATION)
    return bool(core) and (core.isupper() and core.isalpha() and len(core) <= 6 or is_vietnamese_syllable(core.lower()))
