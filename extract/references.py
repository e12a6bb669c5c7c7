"""A decision's own number and day as its appendices cite them: evidence for page 1's reading.

An appendix printed after the signature opens with `(Kèm theo Quyết định số 241/QĐ-UBND ngày
17/02/2025 của Chủ tịch UBND tỉnh ...)`. Where that citation is typed and page 1's number or day
was written in by hand (or left blank), the citation gives the value; where both are read and
agree, two readings back each other. The clerk often writes the citation's number by hand too:
a handwritten citation confirms nothing on its own. A typed citation that agrees with a number or
day the second recogniser read (ocr/blanks.py) confirms it; one that differs withholds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from extract import appendix, notation
from extract.found import Found, follows_closely
from extract.handwriting import handwritten, typed_digit_size
from extract.layout import Layout, Segment
from ocr.vntext import fold

# The citation stands among the first lines of an appendix page.
HEADING_LINES = 8
CONTINUATION_LINES = 2
_CITATION = re.compile(r"\(\s*(?:ban hanh\s*)?kem\s*theo\s*quyet\s*dinh\s*s[o06]\b")


@dataclass(frozen=True)
class Citation:
    number: Found | None
    date: Found | None


def citations(layout: Layout, typed: tuple[float, float] | None) -> list[Citation]:
    """The `(Kèm theo Quyết định số ...)` lines at the top of the pages after the first, read
    into number and date; a reading whose digits look handwritten is left out."""
    if not layout.segments:
        return []
    first_page = layout.segments[0].page
    pages = sorted({s.page for s in layout.segments if s.page != first_page})
    found = []
    for page in pages:
        segments = [s for s in layout.segments if s.page == page]
        lines = [s for s in segments if s.is_text]
        # An appendix may be set in another size or turned landscape: its own digits are the measure.
        measure = typed_digit_size(segments) or typed
        for index, segment in enumerate(lines[:HEADING_LINES]):
            match = _CITATION.search(fold(segment.text))
            if match:
                reference = _joined(lines[index:], match.start())
                parent = appendix.parent_fields(appendix.Appendix(segment, reference, match.start()))
                found.append(Citation(_typed(parent.get("parent_document_number"), measure),
                                      _typed(parent.get("parent_issue_date"), measure)))
                break
    return found


def _joined(lines: list[Segment], start: int) -> Segment:
    """The citation's line and the lines it runs on over, up to its closing parenthesis."""
    taken = [lines[0]]
    for segment in lines[1 : 1 + CONTINUATION_LINES]:
        if ")" in " ".join(s.text for s in taken)[start:] or not follows_closely(taken[-1], segment):
            break
        taken.append(segment)
    return Segment(lines[0].page, tuple(w for s in taken for w in s.words))


def _typed(found: Found | None, typed: tuple[float, float] | None) -> Found | None:
    if found is None or found.problem or handwritten(found.words, typed):
        return None
    return found


def _digits(value: str) -> str:
    return "".join(c for c in value.split("/")[0] if c.isdigit())


def _in_order(part: str, whole: str) -> bool:
    """Every character of `part` in `whole`, in order (`3` in `358`, `8` in `18`)."""
    rest = iter(whole)
    return all(char in rest for char in part)


def both_read(a: float, b: float) -> float:
    """The confidence of a value that two independent readings agree on."""
    return round(1 - (1 - a) * (1 - b), 3)


def confirm_number(read: Found | None, cited: list[Citation], fits: Callable[[str], bool]) -> Found | None:
    """Page 1's number confirmed by, replaced by, or left as it was beside the typed citations.

    A citation replaces a reading that failed (handwritten-looking digits) only when it keeps
    page 1's pieces (`/QĐ-UBND`) and every digit read on page 1 in order (`3` in `358`), and
    stands in for a number nobody could read only when its pieces `fit` the page (its title's
    type, its issuer's initials): an appendix may cite another body's decision.
    """
    numbers = [c.number for c in cited if c.number]
    if not numbers:
        return read
    if read is None:
        own = [n for n in numbers if fits(n.value)]
        return replace(own[0], weak=True) if own else None
    pieces = notation.parse_notation(read.value)
    for number in numbers:
        if number.value == read.value and not read.problem:
            return replace(read, confirmed=both_read(read.confidence, number.confidence))
        cited_pieces = notation.parse_notation(number.value)
        if (read.problem and pieces and cited_pieces and cited_pieces.pieces == pieces.pieces
                and _in_order(_digits(read.value), _digits(number.value))):
            return number
        if read.handwritten and not read.problem and cited_pieces and pieces and cited_pieces.pieces == pieces.pieces:
            return replace(read, problem=f"handwriting read differs from the appendix's citation {number.value}")
    return read


def confirm_date(read: Found | None, cited: list[Citation], fits: Callable[[str], bool]) -> Found | None:
    """Page 1's date likewise: a typed citation of the same month and year replaces a day that
    failed (handwritten-looking, not legible), or stands in for a date nobody could read when
    the same citation's number fits the page."""
    days = [c.date for c in cited if c.date]
    if not days:
        return read
    if read is None:
        own = [c.date for c in cited if c.date and c.number and fits(c.number.value)]
        return replace(own[0], weak=True) if own else None
    for day in days:
        if day.value == read.value and not read.problem:
            return replace(read, confirmed=both_read(read.confidence, day.confidence))
        if read.problem and day.value[:7] == read.value[:7]:
            return day
        if read.handwritten and not read.problem and day.value[:7] == read.value[:7]:
            return replace(read, problem=f"handwriting read differs from the appendix's citation {day.value}")
    return read
