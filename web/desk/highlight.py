"""Where a field was read on the page: the boxes of the words its text came from.

Records keep no word positions per field; the derived pages.json (OCR's words, each with a box
as fractions of the page) does. The field's text as printed (`raw`) or its value is looked up
among the page's words, compared without case, spaces or punctuation (`1204 /QĐ- UBND` is the
word run `1204`, `/QĐ-`, `UBND`). An exact run wins; otherwise the closest run of about as many
words, so a value a clerk corrected still points at what was misread.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from ocr.vntext import fold

BBox = tuple[float, float, float, float]

# Below this a "close" run is more likely another text than a misreading of this one.
MIN_SIMILARITY = 0.75
# Closeness is searched only for short texts: a long summary either matches or is not worth the time.
MAX_FUZZY_WORDS = 8
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Highlight:
    page: int  # 1-based
    boxes: tuple[BBox, ...]


@dataclass(frozen=True)
class _Page:
    number: int
    keys: tuple[str, ...]  # one per word, empty words (punctuation only) left out
    boxes: tuple[BBox, ...]


def key(text: str) -> str:
    """Letters and digits only, NFC, case-folded: what two spellings of one text share."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return "".join(char for char in folded if char.isalnum())


def printed_forms(value: str, raw: str | None = None) -> list[str]:
    """The texts a field's value may be printed as, most likely first: the raw reading, the
    value, and for an ISO date its Vietnamese spellings (`ngày 03 tháng 02 năm 2021`, `03/02/2021`)."""
    forms = [text for text in (raw, value) if text]
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
        for d, m in ((day, month), (day.lstrip("0"), month.lstrip("0"))):
            forms += [f"{d} tháng {m} năm {year}", f"{d}/{m}/{year}"]
    return list(dict.fromkeys(forms))


class PageWords:
    """A record's words (pages.json), read once for all the fields of its page."""

    def __init__(self, pages: list[dict]):
        self.pages = [_parse(page) for page in pages]

    def locate(self, texts: list[str]) -> Highlight | None:
        """The words that spell the first of `texts` found, else the run closest to the first, or None."""
        wanted = [(text, key(text)) for text in texts]
        for _text, target in wanted:
            for page in self.pages:
                found = _exact(page, target) if target else None
                if found is not None:
                    return found
        # Closeness only for the likeliest text (the first): each costs a pass over every word.
        text, target = wanted[0] if wanted else ("", "")
        count = len(text.split())
        if not target or count > MAX_FUZZY_WORDS:
            return None
        ends = (fold(key(text.split()[0])), fold(key(text.split()[-1])))
        best: tuple[float, Highlight | None] = (MIN_SIMILARITY, None)
        for page in self.pages:
            best = max(best, _closest(page, target, count, ends), key=lambda pair: pair[0])
        return best[1]


def _parse(page: dict) -> _Page:
    keys, boxes = [], []
    for line in page.get("lines", []):
        for word in line.get("words", []):
            word_key = key(word.get("text", ""))
            if word_key:
                keys.append(word_key)
                boxes.append(tuple(word["bbox"]))
    return _Page(int(page.get("number", 0)), tuple(keys), tuple(boxes))


def _exact(page: _Page, target: str) -> Highlight | None:
    """The run of words spelling `target`; one that starts and ends on word edges first."""
    joined = "".join(page.keys)
    owner = [index for index, word_key in enumerate(page.keys) for _ in word_key]
    starts, ends, position = set(), set(), 0
    for word_key in page.keys:
        starts.add(position)
        position += len(word_key)
        ends.add(position)
    inside: int | None = None
    at = joined.find(target)
    while at >= 0:
        if at in starts and at + len(target) in ends:
            return _boxes(page, owner[at], owner[at + len(target) - 1])
        inside = at if inside is None else inside
        at = joined.find(target, at + 1)
    return None if inside is None else _boxes(page, owner[inside], owner[inside + len(target) - 1])


def _closest(page: _Page, target: str, count: int, ends: tuple[str, str]) -> tuple[float, Highlight | None]:
    """The run of about `count` words most like `target`; a run of three words or more must begin
    or end with the target's first or last word, marks aside (a misreading seldom spoils both)."""
    best: tuple[float, Highlight | None] = (0.0, None)
    folded = [fold(word_key) for word_key in page.keys] if count >= 3 else []
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)  # the matcher indexes its second text once
    for size in range(max(count - 1, 1), count + 2):
        for first in range(0, len(page.keys) - size + 1):
            if folded and folded[first] != ends[0] and folded[first + size - 1] != ends[1]:
                continue
            matcher.set_seq1("".join(page.keys[first:first + size]))
            # The cheap upper bounds rule out nearly every run before the full comparison.
            if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
                continue
            score = matcher.ratio()
            if score > best[0]:
                best = (score, _boxes(page, first, first + size - 1))
    return best


def _boxes(page: _Page, first: int, last: int) -> Highlight:
    return Highlight(page.number, page.boxes[first:last + 1])
