"""Signer and signer title from the signature block (bottom right of the last page).

The block reads: optional authority prefix lines (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`),
the signer's title (`PHÓ CHỦ TỊCH`), the seal and signature (OCR turns them into short
garbage lines), and the name (`Vũ Chí Giang`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from extract import dates
from extract.found import Found, tail_words
from extract.layout import Layout, Segment
from extract.names import is_name_shape, person_name
from extract.text import capitalize_word, clean, in_capitals, letters
from ocr.vntext import fold

# An authority prefix (`TM.`, `KT.`, `TL.`, `TUQ.`, `Q.`) as OCR returns it: letters
# garbled or lost (`T. CHỦ TỊCH`, `. CHỦ TỊCH`), the dot lost (`KT CHỦ TỊCH`), rule
# strokes before it. No title starts with a short word and a dot.
_AUTHORITY = re.compile(r"^[\W_]*?(?:(?P<prefix>[a-z0-9]{0,3})\s?[.,:]|(?P<bare>tm|kt|tl|tuq))\s")
# `TM. ỦY BAN NHÂN DÂN` that lost its prefix: the collective body, not a title.
_COLLECTIVE = re.compile(r"ban\s*nhan\s*dan|hoi\s*dong")
# Common titles, matched accent-folded and with a small tolerance: OCR often loses the
# marks of bold capitals (`PHO CHU TỊCH`). Others get the generic rule.
KNOWN_TITLES = (
    "Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Phó Trưởng phòng",
    "Chánh Văn phòng", "Phó Chánh Văn phòng", "Trưởng ban", "Phó Trưởng ban", "Cục trưởng",
    "Phó Cục trưởng", "Chi cục trưởng", "Phó Chi cục trưởng", "Chánh Thanh tra", "Phó Chánh Thanh tra",
    "Bộ trưởng", "Thứ trưởng", "Tổng cục trưởng", "Phó Tổng cục trưởng",
)
TITLE_MATCH_RATIO = 0.85


@dataclass(frozen=True)
class Signature:
    signer: Found | None
    title: Found | None


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


def _kept(segment: Segment, keep: Callable[[str], bool]) -> Segment | None:
    words = tuple(w for w in segment.words if keep(w.text))
    return Segment(segment.page, words) if words else None


def _without_strokes(segment: Segment) -> Segment | None:
    """The line without the one-letter marks a seal or signature leaves in it (`--ò GHỦ TỊCH`).

    The words that stay may be misread (`GHỦ`): the title match is tolerant of that.
    """
    return _kept(segment, lambda text: len(letters(text)) >= 2 or _is_prefix(text))


def _is_prefix(word: str) -> bool:
    """`Q.`, or what OCR left of `KT.` (`T.`): a letter and a dot, not a stroke."""
    return bool(letters(word)) and word.endswith(".")


def _lettered(segment: Segment) -> Segment:
    """The line without words of marks only (`| Vũ Xuân Bình`: a signature stroke)."""
    return _kept(segment, lambda text: any(char.isalnum() for char in text)) or segment


def _name_index(block: list[Segment]) -> tuple[int, bool] | None:
    """Index of the name line (last line of name shape) and whether the fallback found it."""
    for index in range(len(block) - 1, -1, -1):
        if is_name_shape(clean(_lettered(block[index]).text)):
            return index, False
    # Fallback: the last mixed-case line of two or more words.
    for index in range(len(block) - 1, -1, -1):
        text = block[index].text
        if sum(w.isalpha() for w in text.split(" ")) >= 2 and not in_capitals(text):
            return index, True
    return None


def _signer(segment: Segment, weak: bool) -> Found:
    segment = _lettered(segment)
    text = clean(segment.text)
    problem = None if is_name_shape(text) else "not a name of 2-5 capitalised syllables"
    return Found(person_name(text), list(segment.words), problem, weak)


# A seal fragment OCR sets before a title (`XA CHỦ TỊCH`, `.u:... GIÁM ĐỐC`) is this short at most.
STRAY_PREFIX_LETTERS = 3


def _title_line(segment: Segment) -> Found:
    text = clean(segment.text)
    known = known_title(text)
    if known:
        return Found(known, list(segment.words))
    words = list(segment.words)
    if len(words) > 1 and len(letters(words[0].text)) <= STRAY_PREFIX_LETTERS:
        known = known_title(" ".join(w.text for w in words[1:]))
        if known:
            return Found(known, words[1:], weak=True)
    return Found(normal_case_title(text), words, "not a known title")


def _title(block: list[Segment]) -> Found | None:
    """The title line above the name: upper case, not an authority prefix line.

    When several lines qualify (a prefix lost to OCR, seal ring text read as capitals),
    the known title nearest the name wins; failing one, the top line, as the seal lies
    below the title. Under a `KT.` line the title is a deputy's (`Phó ...`).
    """
    candidates, signing_for = [], None
    for segment in block:
        text = clean(segment.text)
        if not in_capitals(text) or dates.find_date(text):
            continue
        authority = _AUTHORITY.match(fold(text))
        if authority:
            if (authority.group("prefix") or authority.group("bare")) == "kt":
                signing_for = (segment, authority.end())
        elif not _COLLECTIVE.search(fold(text)):
            candidates.append(_title_line(segment))
    known = [found for found in candidates if not found.problem]
    chosen = known[-1] if known else (candidates[0] if candidates else None)
    if signing_for and not (chosen and _is_deputy(chosen.value)):
        # `KT.` means a deputy signed; a title read without `Phó` lost it to OCR.
        return _deputy_title(*signing_for)
    return chosen


def _is_deputy(title: str) -> bool:
    """`Phó ...`, or a ministry's deputy, `Thứ trưởng` (signing under `KT. BỘ TRƯỞNG`)."""
    key = fold(title)
    return key.startswith("pho ") or key == "thu truong"


def _deputy_title(segment: Segment, start: int) -> Found:
    """`KT. GIÁM ĐỐC` means a deputy signed: `Phó Giám đốc`."""
    title = normal_case_title(f"Phó {segment.text[start:]}")
    return Found(title, tail_words(segment, start), weak=True)


def signature(layout: Layout) -> Signature:
    block = [s for s in layout.signature if s.is_text]
    located = _name_index(block)
    name_top = block[located[0]].bbox[1] if located else float("inf")
    # The seal overlaps the title line and lowers its confidence: keep it, minus the strokes.
    above = [kept for s in layout.signature if s.bbox[1] < name_top and (kept := _without_strokes(s))]
    if located is None:
        return Signature(None, _title(above))
    index, weak = located
    return Signature(_signer(block[index], weak), _title(above))
