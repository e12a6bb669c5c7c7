"""Numbers and dates that registration papers and certifications print in their body.

- A certification (Decree 23/2015) is numbered and dated in its statement, not in a header:
  `Số chứng thực 125, Quyển số 01/2023-SCT/BS` and `Ngày ... tháng ... năm ...` under it. The
  entry number is its document_number (a bare entry, as notation.ENTRY_NUMBERED types have); the
  book is read by the `Quyển số` label (extract/body.py).
- A household business (or enterprise) certificate on its national form has no place-and-date
  line: `Đăng ký lần đầu, ngày ...` dates it; `Đăng ký thay đổi lần thứ N, ngày ...` is the latest
  change (`last_change_date`), which does not replace the date of first registration.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extract import dates, notation
from extract.body import DocumentText
from extract.found import Found
from extract.layout import Segment
from ocr.vntext import fold

_CERTIFICATION_NUMBER = re.compile(r"so\s*chung\s*thuc\s*[:;.]?\s*(?:so\s*[:;.]?\s*)?(?P<n>[0-9]{1,6})(?![0-9/])")
_FIRST_REGISTRATION = re.compile(r"dang\s*ky\s*lan\s*dau\s*[,:;.]?\s*")
_CHANGE = re.compile(r"dang\s*ky\s*thay\s*doi\s*lan\s*thu\s*[0-9a-z]{1,6}\s*[,:;.]?\s*")
# The day stands right after its label, or on the line under a certification's number.
DATE_WITHIN = 3
CERTIFICATION_DATE_LINES = 2


@dataclass(frozen=True)
class BodyDates:
    certification_number: Found | None
    certification_date: Found | None
    first_registration: Found | None
    last_change: Found | None


def _date_at(text: DocumentText, start: int, within: int, today: dt.date | None) -> Found | None:
    """The first date starting at most `within` characters after `start`."""
    readings = [r for r in dates.find_dates(text.text[start:], today) if r.start <= within]
    if not readings:
        return None
    first = min(readings, key=lambda r: r.start)
    begin, end = start + first.start, start + first.end
    return Found(first.iso, text.words_between(begin, end), first.problem, printed=text.text[begin:end])


def body_dates(segments: list[Segment], today: dt.date | None = None) -> BodyDates:
    text = DocumentText.of(segments)
    folded = fold(text.text)
    number = date = None
    found = _CERTIFICATION_NUMBER.search(folded)
    if found:
        start, end = found.span("n")
        # A bare entry number has no notation: fine for a certification only, whose type
        # record.check_number_for_type clears this complaint for.
        value = found.group("n")
        number = Found(value, text.words_between(start, end), notation.shape_problem(value))
        # The day is on the number's line or the next one.
        lines_after = text.text[end:].split("\n")[:CERTIFICATION_DATE_LINES]
        date = _date_at(text, end, len("\n".join(lines_after)), today)
    first = _FIRST_REGISTRATION.search(folded)
    changes = list(_CHANGE.finditer(folded))
    return BodyDates(
        number,
        date,
        _date_at(text, first.end(), DATE_WITHIN, today) if first else None,
        _date_at(text, changes[-1].end(), DATE_WITHIN, today) if changes else None,
    )
