"""Signer and signer title from the signature block (bottom right of the last page).

The block reads: optional authority prefix lines (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`),
the signer's title (`PHÓ CHỦ TỊCH`), the seal and signature (OCR turns them into short
garbage lines), and the name (`Vũ Chí Giang`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from extract import dates
from extract.found import Found, tail_words
from extract.layout import Layout, Segment
from extract.text import capitalize_syllables, capitalize_word, clean, fold, letters, upper_ratio

# OCR may drop the dot of the prefix: `KT CHỦ TỊCH`.
_AUTHORITY = re.compile(r"^\W{0,2}(tm|kt|tl|tuq|q)\s?[.,:]?\s")
NAME_SYLLABLES = (2, 5)
# Common titles, matched accent-folded and with a small tolerance: OCR often loses the
# marks of bold capitals (`PHO CHU TỊCH`). Others get the generic rule.
KNOWN_TITLES = (
    "Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Phó Trưởng phòng",
    "Chánh Văn phòng", "Phó Chánh Văn phòng", "Trưởng ban", "Phó Trưởng ban", "Cục trưởng",
    "Phó Cục trưởng", "Chi cục trưởng", "Phó Chi cục trưởng", "Chánh Thanh tra", "Phó Chánh Thanh tra",
)
TITLE_MATCH_RATIO = 0.85
# Seal and signature strokes come out of OCR as short lines of low confidence.
NOISE_CONFIDENCE = 0.45
UPPER_CASE_LINE = 0.8


@dataclass(frozen=True)
class Signature:
    signer: Found | None
    title: Found | None


def is_name_shape(text: str) -> bool:
    """2-5 alphabetic syllables, each capitalised, nothing else on the line."""
    words = text.split(" ")
    low, high = NAME_SYLLABLES
    if not low <= len(words) <= high:
        return False
    return all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def known_title(text: str) -> str | None:
    key = fold(clean(text))
    scored = [(SequenceMatcher(None, key, fold(title)).ratio(), title) for title in KNOWN_TITLES]
    ratio, title = max(scored)
    return title if ratio >= TITLE_MATCH_RATIO else None


def normal_case_title(text: str) -> str:
    """`PHÓ CHỦ TỊCH` → `Phó Chủ tịch`: the head word of the title keeps its capital."""
    known = known_title(text)
    if known:
        return known
    words = clean(text).lower().split(" ")
    head = 1 if fold(words[0]) == "pho" and len(words) > 1 else 0
    return " ".join(capitalize_word(w) if i <= head else w for i, w in enumerate(words))


def _is_noise(segment: Segment) -> bool:
    mean = sum(w.confidence for w in segment.words) / len(segment.words)
    return len(letters(segment.text)) < 3 or mean < NOISE_CONFIDENCE


def _name_index(block: list[Segment]) -> tuple[int, bool] | None:
    """Index of the name line (last line of name shape) and whether the fallback found it."""
    for index in range(len(block) - 1, -1, -1):
        if is_name_shape(clean(block[index].text)):
            return index, False
    # Fallback: the last mixed-case line of two or more words.
    for index in range(len(block) - 1, -1, -1):
        text = block[index].text
        if sum(w.isalpha() for w in text.split(" ")) >= 2 and upper_ratio(text) < UPPER_CASE_LINE:
            return index, True
    return None


def _signer(segment: Segment, weak: bool) -> Found:
    text = clean(segment.text)
    problem = None if is_name_shape(text) else "not a name of 2-5 capitalised syllables"
    return Found(capitalize_syllables(text), list(segment.words), problem, weak)


def _title(block: list[Segment]) -> Found | None:
    """The first upper-case line that is not an authority prefix line (`KT. CHỦ TỊCH`).

    Read from the top: below the title the seal's ring text may come out as upper-case
    fragments that look like a title.
    """
    signing_for = None
    for segment in block:
        text = clean(segment.text)
        if upper_ratio(text) < UPPER_CASE_LINE or dates.find_date(text):
            continue
        prefix = _AUTHORITY.match(fold(text))
        if not prefix:
            return Found(normal_case_title(text), list(segment.words))
        if prefix.group(1) == "kt":
            signing_for = (segment, prefix.end())
    return _deputy_title(*signing_for) if signing_for else None


def _deputy_title(segment: Segment, start: int) -> Found:
    """No title line was read, but `KT. GIÁM ĐỐC` means a deputy signed: `Phó Giám đốc`."""
    title = normal_case_title(f"Phó {segment.text[start:]}")
    return Found(title, tail_words(segment, start), weak=True)


def signature(layout: Layout) -> Signature:
    block = [s for s in layout.signature if not _is_noise(s)]
    located = _name_index(block)
    if located is None:
        return Signature(None, _title(block))
    index, weak = located
    return Signature(_signer(block[index], weak), _title(block[:index]))
