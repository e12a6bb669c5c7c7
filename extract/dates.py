"""Dates as printed on administrative papers: `ngày 05 tháng 01 năm 2020`, `05/01/2020`, `5-1-2020`.

The day always comes before the month. Patterns run on accent-folded text so that OCR
slips in the keywords (`nãm`, `thảng`, `ngảy`) still match. A number glued to a date
(`105/01/2020`, `năm 20201`) is not a date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ocr.vntext import fold

EARLIEST_YEAR = 1945  # the first administrative papers of the Democratic Republic

# OCR reads 0 as O/o and 1 as l/I inside numbers (`ngày L7` is the 17th), and sets a stray
# letter before an italic digit (`tháng Z7`) or an underscore after one (`tháng02_`, the
# blank the day was typed into); all only accepted between the keywords, which anchor the
# match well enough to allow it. A stray letter is never one that reads as a digit.
_DIGIT = r"[0-9oli]"
_STRAY = r"(?:[a-hj-km-np-z](?=[0-9]))?"
_AFTER = r"[\s_]*[,.]?[\s_]*"
# Any letter, for `năm` read with one a Vietnamese word never has (`nešm`, its `ă` split in two).
_LETTER = r"[^\W\d_]"
_VERBAL = re.compile(
    rf"ng[a-z]{{1,2}}y?\s*{_STRAY}(?P<day>{_DIGIT}{{1,2}}){_AFTER}"
    rf"th[a-z]{{1,3}}\s*{_STRAY}(?P<month>{_DIGIT}{{1,2}}){_AFTER}"
    rf"n{_LETTER}{{1,3}}\s*{_STRAY}(?P<year>{_DIGIT}{{4}})(?![0-9])"
)
# A place-and-date line whose day was left blank or scribbled in (`ngày __ tháng 02 năm 2025`,
# `ngày ›2Ò_ tháng 02`): at most two short marks between `ngày` and `tháng`.
_DAYLESS = re.compile(
    rf"ng[a-z]{{1,2}}y?(?:\s*\S{{1,6}}?){{0,2}}\s*"
    rf"th[a-z]{{1,3}}\s*{_STRAY}(?P<month>{_DIGIT}{{1,2}}){_AFTER}"
    rf"n{_LETTER}{{1,3}}\s*{_STRAY}(?P<year>{_DIGIT}{{4}})(?![0-9])"
)
_NUMERIC = re.compile(
    r"(?<![0-9/.\-])(?P<day>[0-9]{1,2})\s?(?P<sep>[/.\-])\s?(?P<month>[0-9]{1,2})"
    r"\s?(?P=sep)\s?(?P<year>[0-9]{4})(?![0-9/.\-]?[0-9])"
)
_CLOCK_AFTER = re.compile(r"[\s,;]*\d{1,2}:\d{2}")
_OCR_DIGITS = str.maketrans({"o": "0", "l": "1", "i": "1"})
_LEGIBLE = re.compile(r"[0-9oOlLiI]+")


@dataclass(frozen=True)
class DateReading:
    """A date as read; `problem` says why it cannot be trusted (None when it can)."""

    day: int
    month: int
    year: int
    start: int  # character offsets of the match in the text it was found in
    end: int
    problem: str | None

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def date_problem(day: int, month: int, year: int, today: dt.date | None = None) -> str | None:
    """Why a day/month/year cannot be an issue date, or None when it can."""
    today = today or dt.date.today()
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return "not a calendar date"
    if year < EARLIEST_YEAR:
        return f"before {EARLIEST_YEAR}"
    if value > today:
        return "in the future"
    return None


def _reading(match: re.Match[str], text: str, today: dt.date | None) -> DateReading:
    day, month, year = (int(match.group(key).translate(_OCR_DIGITS)) for key in ("day", "month", "year"))
    # Folding turns marked letters into plain ones (`ôÖ` → `oo`): a digit read from a marked
    # letter is a scribble OCR could not read, usually a handwritten day, not a 0.
    printed = "".join(text[match.start(key) : match.end(key)] for key in ("day", "month", "year"))
    problem = "not legible" if not _LEGIBLE.fullmatch(printed) else date_problem(day, month, year, today)
    return DateReading(day, month, year, match.start(), match.end(), problem)


def find_dates(text: str, today: dt.date | None = None) -> list[DateReading]:
    """Every date in an NFC text, verbal form first, in reading order within each form."""
    folded = fold(text)
    verbal = [_reading(m, text, today) for m in _VERBAL.finditer(folded)]
    taken = [(r.start, r.end) for r in verbal]
    numeric = [
        _reading(m, text, today)
        for m in _NUMERIC.finditer(folded)
        if not any(start < m.end() and m.start() < end for start, end in taken)
    ]
    return verbal + numeric


def find_date(text: str, today: dt.date | None = None, timestamps: bool = True) -> DateReading | None:
    """The first date in the text, preferring one that passes the plausibility checks; with
    `timestamps` False, none that a clock time follows (`09.01.2025 10:21:11 +07:00`): signing and
    publishing software stamps its own time so, a clerk never dates a paper so."""
    readings = [r for r in find_dates(text, today) if timestamps or not _CLOCK_AFTER.match(text, r.end)]
    plausible = [r for r in readings if r.problem is None]
    return (plausible or readings or [None])[0]


def is_verbal(text: str, reading: DateReading) -> bool:
    """Whether the date was printed in words (`ngày 08 tháng 01 năm 2025`), as a place-and-date line is."""
    return bool(_VERBAL.match(fold(text), reading.start))


@dataclass(frozen=True)
class MonthReading:
    """The month and year of a date whose day could not be read."""

    month: int
    year: int
    start: int
    end: int

    @property
    def iso(self) -> str:
        """ISO 8601 with reduced precision: `2025-02`."""
        return f"{self.year:04d}-{self.month:02d}"


def find_dayless(text: str) -> MonthReading | None:
    """`ngày __ tháng 02 năm 2025`: the month and year of a date line whose day is blank or
    illegible (call it where `find_date` found nothing)."""
    match = _DAYLESS.search(fold(text))
    if not match:
        return None
    month, year = (int(match.group(key).translate(_OCR_DIGITS)) for key in ("month", "year"))
    return MonthReading(month, year, match.start(), match.end()) if 1 <= month <= 12 else None
