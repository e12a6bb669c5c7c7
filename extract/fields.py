"""Per-field rules: where on the page each field is printed and how its value is read.

Header fields, title and subject live here; the signature block and the holder's
labelled lines have modules of their own. Each rule returns a `Found`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extract import dates, issuers, notation
from extract.body import body_fields
from extract.doctypes import classify_title
from extract.found import Found, follows_closely, tail_words
from extract.holder import holder
from extract.layout import CENTRED_WITHIN, Layout, Segment
from extract.signature import signature
from extract.text import clean, in_capitals, letters
from ocr.vntext import fold

# --- number and notation -------------------------------------------------------------


def _notation_in(segments: list[Segment]) -> tuple[Segment, Found] | None:
    for segment in segments:
        found = notation.find_notation(segment.text)
        if found:
            value, start = found
            printed = clean(segment.text[start:])
            return segment, Found(value.value, tail_words(segment, start), value.problem, printed=printed)
    return None


def document_number(layout: Layout) -> Found | None:
    hit = _notation_in(layout.header_left)
    if hit:
        return hit[1]
    # The header columns were not where expected: accept a `Số:` line anywhere on the first page.
    hit = _notation_in(layout.header_right + layout.below_header)
    return hit[1].weakened() if hit else None


# --- place and date ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceAndDate:
    date: Found
    place: Found | None


# `<place>, ngày ...`: outside the header only this form is taken as the place and date,
# so that `Sinh ngày: 05/01/1990` in a form is not.
_PLACE_BEFORE_DATE = re.compile(r"^[^:]+,\s*$")


def _place_and_date_in(segment: Segment, today: dt.date | None, weak: bool) -> PlaceAndDate | None:
    reading = dates.find_date(segment.text, today)
    if reading is None:
        return None
    if weak and not _PLACE_BEFORE_DATE.match(segment.text[: reading.start]):
        return None
    date = Found(reading.iso, segment.words_between(reading.start, reading.end), reading.problem, weak,
                 printed=segment.text[reading.start : reading.end])
    before = segment.text[: reading.start].strip(" ,.;")
    place = Found(clean(before), segment.words_between(0, len(before)), weak=weak) if before else None
    return PlaceAndDate(date, place)


def place_and_date(layout: Layout, today: dt.date | None = None) -> PlaceAndDate | None:
    """`Vĩnh Phúc, ngày 29 tháng 6 năm 2022` in the right header column."""
    for segment in layout.header_right:
        found = _place_and_date_in(segment, today, weak=False)
        if found:
            return found
    # Some forms print the place and date above the signature instead.
    for segment in layout.signature + layout.below_header:
        found = _place_and_date_in(segment, today, weak=True)
        if found:
            return found
    return None


# --- issuing body ------------------------------------------------------------------------


def issuer(layout: Layout) -> Found | None:
    """The left header lines above `Số:` (all upper-case left lines when there is none)."""
    hit = _notation_in(layout.header_left)
    if hit:
        number_top = hit[0].bbox[1]
        lines = [s for s in layout.header_left if s.bbox[1] < number_top]
        weak = False
    else:
        lines = [s for s in layout.header_left if in_capitals(s.text)]
        weak = True
    value = issuers.issuer_from_header([s.text for s in lines])
    if not value:
        return None
    return Found(value, [w for s in lines for w in s.words], weak=weak)


# --- title and subject ----------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    lines: list[Segment]  # a title may run over two lines (`GIẤY CHỨNG NHẬN` / `ĐĂNG KÝ ...`)
    code: str


def _is_title_line(segment: Segment) -> bool:
    return segment.is_centred and in_capitals(segment.text)


def _title_run(segments: list[Segment], first: int) -> list[Segment]:
    run = [segments[first]]
    for segment in segments[first + 1 :]:
        if not (_is_title_line(segment) and follows_closely(run[-1], segment)):
            break
        run.append(segment)
    return run


def title(layout: Layout) -> Title | None:
    """The first run of centred capital lines below the header that reads as a known title."""
    for index, segment in enumerate(layout.below_header):
        if not _is_title_line(segment):
            continue
        run = _title_run(layout.below_header, index)
        code = classify_title(" ".join(s.text for s in run))
        if code:
            return Title(run, code)
    return None


_BODY_START = re.compile(r"^(can cu|kinh gui|dieu \d|xet de nghi)")
# `V/v` as OCR reads it: `V/V`, `Vlv`, `V/y`, or `V/` with the second letter lost.
_SUBJECT_PREFIX = re.compile(r"^\W{0,2}v\s?[/l1]\s?(?:[vy]\b)?\W*", re.IGNORECASE)
# `(Bản sao)`, `(Sử dụng cho nhà ở riêng lẻ)`: a subtitle, not the subject.
_SUBTITLE = re.compile(r"^\(.*\)$")
_DIGIT = re.compile(r"[0-9]")


def _subject_lines(following: list[Segment], title_line: Segment) -> list[Segment]:
    """Centred mixed-case lines right after the title, up to the first body line."""
    lines: list[Segment] = []
    for segment in following:
        close = follows_closely(lines[-1] if lines else title_line, segment)
        if lines and not close:
            break
        # A long subject runs wider than a centred line, from margin to margin under the title
        # (`Về việc công bố Danh mục thủ tục hành chính được sửa đổi, bổ sung trong lĩnh vực`):
        # such a line belongs to it while it follows with no gap; the body starts after one, or
        # at once with a lead-in (`Ủy ban nhân dân thị trấn Hương Canh xác nhận:`).
        wide = close and abs(segment.x_centre - 0.5) < CENTRED_WITHIN and not segment.text.rstrip().endswith(":")
        if not (segment.is_centred or wide) or _BODY_START.match(fold(segment.text)) or in_capitals(segment.text):
            break  # the body, or the authority line of a decision (`ỦY BAN NHÂN DÂN TỈNH ...`)
        # `(Bản sao)` right under the title is a subtitle; `(Lĩnh vực: ...)` after the subject's
        # lines is part of it.
        if not lines and _SUBTITLE.match(segment.text):
            continue
        # A wrapped subject may leave a line of digits alone (`... giai đoạn 2021 -` / `2025`).
        if letters(segment.text) or (lines and _DIGIT.search(segment.text)):
            lines.append(segment)
    return lines


def summary(layout: Layout) -> Found | None:
    found = title(layout)
    if found:
        after = layout.below_header[layout.below_header.index(found.lines[-1]) + 1 :]
        lines = _subject_lines(after, found.lines[-1])
        if lines:
            text = clean(" ".join(s.text for s in lines))
            return Found(text, [w for s in lines for w in s.words])
    return letter_subject(layout)


def _continuation(lines: list[Segment], first: int) -> list[Segment]:
    """Lines that go on from lines[first] in the same column with no gap and no body start."""
    taken = [lines[first]]
    for segment in lines[first + 1 :]:
        if not follows_closely(taken[-1], segment) or _BODY_START.match(fold(segment.text)):
            break
        taken.append(segment)
    return taken


def letter_subject(layout: Layout) -> Found | None:
    """A letter's `V/v ...` lines under the number in the left header column."""
    lines = layout.header_left
    for index, segment in enumerate(lines):
        prefix = _SUBJECT_PREFIX.match(segment.text)
        if prefix:
            rest = _continuation(lines, index)
            text = " ".join(s.text for s in rest)[prefix.end() :]
            words = segment.words_between(prefix.end(), len(segment.text))
            return Found(clean(text), words + [w for s in rest[1:] for w in s.words])
    return None


def read_fields(layout: Layout, today: dt.date | None = None) -> dict[str, Found]:
    """Every field found on a document, by CONTRACT.md field name."""
    dated = place_and_date(layout, today)
    signed = signature(layout)
    held = holder(layout, today)
    candidates = {
        "document_number": document_number(layout),
        "issue_date": dated.date if dated else None,
        "issue_place": dated.place if dated else None,
        "issuer": issuer(layout),
        "summary": summary(layout),
        "signer": signed.signer,
        "signer_title": signed.title,
        "holder_name": held.name,
        "holder_id": held.id,
        "address": held.address,
        **body_fields(layout, dated.date.value if dated and not dated.date.problem else None),
    }
    return {name: found for name, found in candidates.items() if found and found.value}
