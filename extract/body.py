"""Fields that follow a label anywhere on the pages: land parcel and map sheet, area, title
serial, procedure code, household business code, register book, validity.

The labels are found by spaCy (`extract.nlp`) over the text of every line in reading order;
each field's value is read from the rest of the label's line by a pattern of its own and
checked by a validator that reports, never rewrites.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from extract import dates
from extract.found import Found
from extract.layout import Layout, Segment
from extract.nlp import find_labels
from ocr.types import Word


@dataclass(frozen=True)
class DocumentText:
    """Every line of a document joined by newlines, with the offset where each line starts."""

    text: str
    segments: list[Segment]
    starts: list[int]

    @classmethod
    def of(cls, segments: list[Segment]) -> "DocumentText":
        starts, offset = [], 0
        for segment in segments:
            starts.append(offset)
            offset += len(segment.text) + 1
        return cls("\n".join(s.text for s in segments), segments, starts)

    def words_between(self, start: int, end: int) -> list[Word]:
        """The words whose characters overlap text[start:end], across lines."""
        words: list[Word] = []
        for segment, first in zip(self.segments, self.starts):
            if first < end and start < first + len(segment.text):
                words += segment.words_between(start - first, end - first)
        return words


@dataclass(frozen=True)
class Value:
    text: str  # as it will be stored
    start: int  # offsets in the line's text after the label, for the words it came from
    end: int
    problem: str | None = None


# A label is followed by a colon or nothing: `Thửa đất số: 123`, `thửa đất số 123`.
_AFTER_LABEL = r"^\s*[:;.]?\s*"
_DIGITS = re.compile(_AFTER_LABEL + r"(?P<v>[0-9]{1,5})(?![0-9]|[.,/][0-9])")
# `150,5 m2`, `1.250,5 m2`, `150 m²`; OCR may read the 2 as a superscript or lose the space.
_AREA = re.compile(_AFTER_LABEL + r"(?P<v>[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?)\s?m\s?[2²]")
_SERIAL = re.compile(_AFTER_LABEL + r"(?P<v>[A-ZĐ]{2}\s?[0-9]{6,8})(?![0-9])")
# National `1.004227`; provincial `1.004227.000.00.00.H62`. OCR may set blanks around the dots.
# The whole run of digits, dots and the agency suffix is taken, so that a misread code is
# flagged by its shape check rather than cut to a valid-looking prefix. A table's row number
# before the code (`1. 2.001915.000.00.00.H56`) is passed over.
_PROCEDURE = re.compile(
    _AFTER_LABEL + r"(?:[0-9]{1,3}\.\s+(?=[0-9]\.[0-9]{6}))?"
    r"(?P<v>[0-9](?:\s?\.\s?[0-9]+)+(?:\s?\.\s?[A-Z][0-9]{2})?)(?![0-9])"
)
_BUSINESS_CODE = re.compile(_AFTER_LABEL + r"(?P<v>[0-9A-Z][0-9A-Z ]{6,16}[0-9])")
_REGISTER_BOOK = re.compile(_AFTER_LABEL + r"(?P<v>[0-9][0-9A-Za-zĐ/\- .]*)")

# A procedure's national code anywhere in a text (`1.013274`, `(1.013274.H56)`).
_CODE_IN_TEXT = re.compile(r"(?<![0-9.])[0-9]\.[0-9]{6}(?![0-9])")
_PROCEDURE_SHAPE = re.compile(r"[0-9]\.[0-9]{6}(?:\.[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2})?")
_BUSINESS_SHAPE = re.compile(r"[0-9]{2}[A-Z][0-9A-Z][0-9]{6,9}")
_BOOK_SHAPE = re.compile(r"[0-9]{1,3}(?:/[0-9]{4})?(?:-[A-ZĐ]+(?:/[A-ZĐ]+)*)?")
# A validity ends after the paper was issued, and not centuries later.
MAX_VALIDITY_YEARS = 99
# The date of a validity stands right after its label (`đến ngày ...`), on its line or the next.
VALIDITY_DATE_WITHIN = 30


def read_digits(rest: str) -> Value | None:
    match = _DIGITS.match(rest)
    return Value(match.group("v"), match.start("v"), match.end("v")) if match else None


def read_area(rest: str) -> Value | None:
    """Square metres with a dot for the decimal: `1.250,5 m2` → `1250.5`."""
    match = _AREA.match(rest)
    if not match:
        return None
    value = match.group("v").replace(".", "").replace(",", ".")
    return Value(value, match.start("v"), match.end("v"), None if float(value) > 0 else "zero area")


def read_serial(rest: str) -> Value | None:
    match = _SERIAL.match(rest)
    if not match:
        return None
    raw = match.group("v").replace(" ", "")
    return Value(f"{raw[:2]} {raw[2:]}", match.start("v"), match.end("v"))


def _shape_check(shape: re.Pattern[str], what: str) -> Callable[[str], str | None]:
    return lambda value: None if shape.fullmatch(value) else f"not {what}"


# Field → the check its value must pass, shared with corrections typed in by archive staff.
VALUE_CHECKS: dict[str, Callable[[str], str | None]] = {
    "procedure_code": _shape_check(_PROCEDURE_SHAPE, "a procedure code (1.000894 or 1.000894.000.00.00.H62)"),
    "business_code": _shape_check(_BUSINESS_SHAPE, "a household business code"),
    "register_book": _shape_check(_BOOK_SHAPE, "a register book number"),
    "land_serial": _shape_check(re.compile(r"[A-ZĐ]{2} [0-9]{6,8}"), "a certificate serial (AA 123456)"),
    "land_parcel": _shape_check(re.compile(r"[0-9]{1,5}"), "a parcel number"),
    "map_sheet": _shape_check(re.compile(r"[0-9]{1,5}"), "a map sheet number"),
    "land_area": _shape_check(re.compile(r"[0-9]+(?:\.[0-9]+)?"), "an area in m² (150.5)"),
}


def _spaceless(pattern: re.Pattern[str], field: str) -> Callable[[str], Value | None]:
    def read(rest: str) -> Value | None:
        match = pattern.match(rest)
        if not match:
            return None
        value = re.sub(r"\s", "", match.group("v")).rstrip(".-/")
        return Value(value, match.start("v"), match.end("v"), VALUE_CHECKS[field](value))

    return read


read_procedure_code = _spaceless(_PROCEDURE, "procedure_code")
read_business_code = _spaceless(_BUSINESS_CODE, "business_code")
read_register_book = _spaceless(_REGISTER_BOOK, "register_book")


def validity_problem(reading: dates.DateReading, issued: str | None) -> str | None:
    """A validity date: a plausible date (it may lie in the future) after the issue date, within a lifetime."""
    problem = dates.date_problem(reading.day, reading.month, reading.year, today=dt.date.max)
    if problem or not issued:
        return problem
    start, end = dt.date.fromisoformat(issued), dt.date(reading.year, reading.month, reading.day)
    if end < start:
        return "ends before the issue date"
    if end.year > start.year + MAX_VALIDITY_YEARS:
        return f"more than {MAX_VALIDITY_YEARS} years after the issue date"
    return None


def read_validity(rest: str, issued: str | None) -> Value | None:
    """`đến ngày 15/10/2063`; `Lâu dài` (indefinite) gives no value, as the field is omitted."""
    nearby = "\n".join(rest.split("\n")[:2])
    readings = [r for r in dates.find_dates(nearby) if r.start <= VALIDITY_DATE_WITHIN]
    if not readings:
        return None
    first = min(readings, key=lambda r: r.start)
    return Value(first.iso, first.start, first.end, validity_problem(first, issued))


READERS: dict[str, Callable[[str], Value | None]] = {
    "land_parcel": read_digits,
    "map_sheet": read_digits,
    "land_area": read_area,
    "land_serial": read_serial,
    "procedure_code": read_procedure_code,
    "business_code": read_business_code,
    "register_book": read_register_book,
}


def body_fields(layout: Layout, issued: str | None = None) -> dict[str, Found]:
    """The first readable value after each field's label; `issued` bounds the validity.

    Labels and values may run over a line break (`... tại thửa đất` / `số 45, tờ bản đồ ...`).
    """
    document = DocumentText.of(layout.segments)
    found: dict[str, Found] = {}
    for hit in find_labels(document.text.replace("\n", " ")):  # same length: offsets hold
        if hit.field in found:
            continue
        rest = document.text[hit.end :]
        value = read_validity(rest, issued) if hit.field == "valid_until" else READERS[hit.field](rest)
        if value:
            words = document.words_between(hit.end + value.start, hit.end + value.end)
            printed = rest[value.start : value.end]
            found[hit.field] = Found(value.text, words, value.problem, printed=printed)
    # A paper that lists procedures (a decision publishing them, its appendix table with a
    # `Mã TTHC` column) is the result of none of them.
    if "procedure_code" in found and len(set(_CODE_IN_TEXT.findall(document.text))) > 1:
        del found["procedure_code"]
    return found
