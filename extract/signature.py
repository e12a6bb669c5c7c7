"""Signer and signer title from the signature block (right column of the page layout.py picks).

The block reads: optional authority prefix lines (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`),
the signer's title (`PHÓ CHỦ TỊCH`), the seal and signature (OCR turns them into short
garbage lines), and the name (`Vũ Chí Giang`). The title is held against the prefix lines;
a value that fails a check carries a `problem` and goes to review as a suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from extract import dates
from extract.found import Found, tail_words
from extract.layout import Layout, Segment
from extract.names import NAME_SYLLABLES, is_name_shape, known_family_name, person_name
from extract.text import capitalize_word, clean, in_capitals, letters
from ocr.signature_block import SIGNING_TITLES
from ocr.types import Word
from ocr.vntext import fold, is_vietnamese_syllable

# An authority prefix (`TM.`, `KT.`, `TL.`, `TUQ.`, `Q.`) as OCR returns it: letters
# garbled or lost (`T. CHỦ TỊCH`, `. CHỦ TỊCH`), the dot lost (`KT CHỦ TỊCH`) or glued to
# the title (`KT.CHỦ TỊCH`), rule strokes before it. No title starts with a short word and a dot.
_AUTHORITY = re.compile(r"^[\W_]*?(?:(?P<prefix>[a-z0-9]{0,3})\s?[.,:]\s|(?P<bare>tm|kt|tl|tuq)(?:\s|[.,:](?=[a-z])))")
# `TM. ỦY BAN NHÂN DÂN` that lost its prefix: the collective body, not a title.
_COLLECTIVE = re.compile(r"ban\s*nhan\s*dan|hoi\s*dong")
# Common titles (ocr/signature_block.py's), matched accent-folded and with a small tolerance:
# OCR often loses the marks of bold capitals (`PHO CHU TỊCH`). Others get the generic rule.
KNOWN_TITLES = SIGNING_TITLES
# Whom a minister's `KT.` makes sign: no `Phó Bộ trưởng` exists.
MINISTERS_DEPUTIES = {"Bộ trưởng": "Thứ trưởng", "Bộ trưởng, Chủ nhiệm": "Phó Chủ nhiệm"}
TITLE_MATCH_RATIO = 0.85


@dataclass(frozen=True)
class Signature:
    signer: Found | None
    title: Found | None


def known_title(text: str) -> str | None:
    """The known title `text` reads as, marks aside and with a small tolerance; None when none
    or two are that close (`THU TUONG` with a letter lost may be `Thứ trưởng` or `Thủ tướng`)."""
    key = fold(clean(text))
    scored = sorted(((SequenceMatcher(None, key, fold(title)).ratio(), title) for title in KNOWN_TITLES), reverse=True)
    (ratio, title), (second, _) = scored[:2]
    if ratio < TITLE_MATCH_RATIO or ratio < 1.0 and second >= TITLE_MATCH_RATIO:
        return None
    return title


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


# `TUQ.` and what OCR leaves of a prefix (`T.`, `.I,`, `.`) are this short.
PREFIX_CHARACTERS = 4


def _is_prefix(word: str) -> bool:
    """`Q.`, or what OCR left of `KT.` (`T.`, `.I,`): short and ending in a dot or a comma. Kept, as
    dropping it would leave the title signed for (`CHỦ TỊCH`) looking like the signer's."""
    return (bool(letters(word)) and word.endswith(".")) or (len(word) <= PREFIX_CHARACTERS and word[-1] in ".,:")


def _lettered(segment: Segment) -> Segment:
    """The line without words of marks only (`| Vũ Xuân Bình`: a signature stroke)."""
    return _kept(segment, lambda text: any(char.isalnum() for char in text)) or segment


def _name_part(segment: Segment) -> Segment:
    """The line without what a signature stroke or the seal leaves at its ends (`7 Nguyễn Văn
    Tùng`, `/ Huỳnh Hữu Trí`): a name holds no digit or mark and starts with no stray letter
    (`Y Blô` does: `Y` is how names of the Ê Đê people start)."""
    words = list(_lettered(segment).words)
    # A stroke read glued to the family name (`—===<Nguyễn`, `"S— LÊ —Phẩm Minh Chính`): the name
    # is what follows it, however the words before it read.
    for index in range(len(words) - 1, -1, -1):
        glued = words[index].text.lstrip(_STROKE_MARKS)
        if (glued != words[index].text and _opens_name(glued) and known_family_name(glued)
                and all(w.text.isalpha() for w in words[index + 1 :])):
            words = [words[index].model_copy(update={"text": glued}), *words[index + 1 :]]
            break
    while len(words) > 1 and not _opens_name(words[0].text):
        words.pop(0)
    while len(words) > 1 and not words[-1].text.isalpha():
        words.pop()
    return Segment(segment.page, tuple(words))


_STROKE_MARKS = "—–-=<>_~|/\\.,:;'\"`*"


def _opens_name(word: str) -> bool:
    return word.isalpha() and (len(word) > 1 or known_family_name(word))


# A line the fallback may take for a name holds a name and a little noise, not a sentence.
FALLBACK_NAME_WORDS = NAME_SYLLABLES[1] + 2


def _name_index(block: list[Segment]) -> tuple[int, bool] | None:
    """Index of the name line (last line of name shape) and whether the fallback found it."""
    for index in range(len(block) - 1, -1, -1):
        if is_name_shape(clean(_name_part(block[index]).text)):
            return index, False
    for index in range(len(block) - 1, -1, -1):
        if _name_lost_a_capital(clean(_name_part(block[index]).text)):
            return index, True
    # Fallback: the last short mixed-case line of two or more words.
    for index in range(len(block) - 1, -1, -1):
        text = block[index].text
        words = text.split(" ")
        if sum(w.isalpha() for w in words) >= 2 and len(words) <= FALLBACK_NAME_WORDS and not in_capitals(text):
            return index, True
    return None


def _name_lost_a_capital(text: str) -> bool:
    """`Mai Lương khôi`: OCR read a bold capital as a small letter; a family name still opens it."""
    words = text.split(" ")
    low, high = NAME_SYLLABLES
    return (
        low <= len(words) <= high
        and all(w.isalpha() and (len(w) == 1 or w[1:].islower()) for w in words)
        and words[0][0].isupper()
        and known_family_name(text)
    )


def _signer(segment: Segment, weak: bool) -> Found:
    segment = _name_part(segment)
    spelled = _without_foreign_letters(segment)
    weak = weak or spelled is not segment
    segment = spelled
    text = clean(segment.text)
    if not (is_name_shape(text) or _name_lost_a_capital(text)):
        problem = "not a name of 2-5 capitalised syllables"
    elif not known_family_name(text):
        # seal ring text read in small letters (`Tỉnh Điện`) has the shape of a name
        problem = "no known family name"
    else:
        problem = None
    return Found(person_name(text), list(segment.words), problem, weak)


def _without_foreign_letters(segment: Segment) -> Segment:
    """The name without letters Vietnamese never writes, where a pen stroke through a syllable
    made OCR add one (`Hñã` for `Hà`): kept only where what is left spells a syllable."""
    words = list(segment.words)
    for index, word in enumerate(words):
        if is_vietnamese_syllable(word.text):
            continue
        kept = "".join(char for char in word.text if _vietnamese_letter(char))
        if kept != word.text and kept and is_vietnamese_syllable(kept):
            words[index] = word.model_copy(update={"text": kept})
    return segment if words == list(segment.words) else Segment(segment.page, tuple(words))


_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz")
_VOWELS = frozenset("aeiouy")
# Tone marks, and the circumflex, breve and horn of â ê ô ă ơ ư.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")


def _vietnamese_letter(char: str) -> bool:
    if char.lower() == "đ":
        return True
    base, *marks = unicodedata.normalize("NFD", char.lower())
    if base not in _LATIN:
        return False
    return not marks or (base in _VOWELS and set(marks) <= _VIETNAMESE_MARKS)


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


# Prefixes read as printed; anything else before a dot is what OCR left of one (`T.`, `.I,`).
READ_PREFIXES = ("tm", "kt", "tl", "tuq", "q")


@dataclass(frozen=True)
class _Authority:
    """A `KT. CHỦ TỊCH` / `TM. ỦY BAN NHÂN DÂN` line: the prefix as read, where the rest starts,
    and the title of the person signed for (None after a collective body or an unknown title)."""

    segment: Segment
    prefix: str
    start: int

    @property
    def signed_for(self) -> str | None:
        rest = self.segment.text[self.start :]
        return None if _COLLECTIVE.search(fold(rest)) else known_title(rest)


def _title(block: list[Segment], line_height: float) -> Found | None:
    """The title line above the name: upper case, not an authority prefix line.

    When several lines qualify (a prefix lost to OCR, seal ring text read as capitals),
    the known title nearest the name wins; failing one, the top line, as the seal lies
    below the title. The result is then held against the authority lines. A title read
    over two printed lines' height lost one of them under the seal (`KT. CHỦ TỊCH` and
    `PHÓ CHỦ TỊCH` read as `CHỦ TỊCH`): it is in doubt.
    """
    candidates, authorities = [], []
    for segment in block:
        text = clean(segment.text)
        if not in_capitals(text) or dates.find_date(text):
            continue
        authority = _AUTHORITY.match(fold(text))
        if authority:
            prefix = authority.group("prefix") or authority.group("bare")
            if prefix == "t" and authority.start("prefix") > 0 and not text[authority.start("prefix") - 1].isspace():
                prefix = "kt"  # a mark left of a lone `T.` (`/T.`) is what OCR left of `K`: only `KT.` has T second
            authorities.append(_Authority(segment, prefix, authority.end()))
        elif not _COLLECTIVE.search(fold(text)):
            candidates.append(_title_line(segment))
    known = [found for found in candidates if not found.problem]
    chosen = known[-1] if known else (candidates[0] if candidates else None)
    if chosen and not chosen.problem and _height(chosen.words) > TWO_LINES * line_height:
        chosen = replace(chosen, problem="read over two lines' height: a line of the block is lost")
    return _consistent(chosen, authorities)


# A line's words stand this many times the page's usual line height when OCR ran two lines into one.
TWO_LINES = 1.8


def _height(words: list[Word]) -> float:
    return max(w.bbox[3] for w in words) - min(w.bbox[1] for w in words)


def _line_height(segments: list[Segment]) -> float:
    """The median height of the page's lines of print."""
    heights = sorted(s.height for s in segments if s.is_text)
    return heights[len(heights) // 2] if heights else float("inf")


def _consistent(chosen: Found | None, authorities: list[_Authority]) -> Found | None:
    """The title as the authority lines allow it: whoever signs `KT.`, `TL.`, `TUQ.` or `Q.` a
    title is not its holder, and under `KT.` is a deputy (`Phó ...`); a title read without `Phó`
    there lost it to OCR. A title that an unreadable prefix line (`.I, CHỦ TỊCH`) names is
    never given: the prefix could be `KT.`; the deputy title goes to review instead."""
    deputy_for = next((a for a in authorities if a.prefix == "kt"), None)
    if deputy_for:
        if chosen and not chosen.problem and _is_deputy(chosen.value):
            return _confirmed(chosen, deputy_for)
        return _deputy_title(deputy_for)
    unread = [a for a in authorities if a.prefix not in READ_PREFIXES and a.signed_for]
    if chosen and chosen.problem is None and all(chosen.value != a.signed_for for a in authorities):
        return chosen
    if unread:  # each names a known title
        title = _deputy_title(unread[0])
        return replace(title, problem=f"authority line unreadable ({clean(unread[0].segment.text)})")
    if chosen and chosen.problem is None:  # the very title a read `TL.`/`TUQ.`/`Q.` line names
        return replace(chosen, problem="the title signed for, not the signer's")
    return chosen


def _confirmed(title: Found, authority: _Authority) -> Found:
    """A deputy's title as sure as two readings agreeing when the `KT.` line names that very
    deputy (`KT. BỘ TRƯỞNG` over `THỨ TRƯỞNG`): the seal over both lowers each word's confidence,
    not the chance that both are misread alike."""
    deputy = _deputy_title(authority)
    if deputy is None or deputy.value != title.value:
        return title
    read_for = sum(w.confidence for w in deputy.words) / len(deputy.words)  # `BỘ TRƯỞNG` of the KT. line
    return replace(title, confirmed=round(1 - (1 - title.confidence) * (1 - read_for), 3))


def _is_deputy(title: str) -> bool:
    """`Phó ...`, or a ministry's deputy, `Thứ trưởng` (signing under `KT. BỘ TRƯỞNG`)."""
    key = fold(title)
    return key.startswith("pho ") or key == "thu truong"


def _deputy_title(authority: _Authority) -> Found | None:
    """`KT. GIÁM ĐỐC` means a deputy signed: `Phó Giám đốc`; a minister's deputy is `Thứ trưởng`.
    None when the title signed for is no known one: a line cut short (`KT. GIÁM`) names nobody."""
    if authority.signed_for is None:
        return None
    rest = authority.segment.text[authority.start :]
    title = MINISTERS_DEPUTIES.get(authority.signed_for) or normal_case_title(f"Phó {rest}")
    return Found(title, tail_words(authority.segment, authority.start), weak=True)


def signature(layout: Layout) -> Signature:
    block = [s for s in layout.signature if s.is_text]
    page = layout.signature[0].page if layout.signature else None
    height = _line_height([s for s in layout.segments if s.page == page])
    located = _name_index(block)
    name_top = block[located[0]].bbox[1] if located else float("inf")
    # The seal overlaps the title line and lowers its confidence: keep it, minus the strokes.
    above = [kept for s in layout.signature if s.bbox[1] < name_top and (kept := _without_strokes(s))]
    if located is None:
        return Signature(None, _title(above, height))
    index, weak = located
    return Signature(_signer(block[index], weak), _title(above, height))
