"""Agencies as data: who issued results, at which level, under whom, and who took over.

On 1 July 2025 Vĩnh Phúc's districts were abolished and its communes merged into the new Phú
Thọ (DOMAIN.md §7). A paper keeps its issuer as printed; reports map it to today's unit through
the parent and successor links loaded here from a CSV file, never through code.

CSV columns: `code,name,level,parent,successor,valid_from,valid_to` (UTF-8, dates ISO).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ValidationError, field_validator, model_validator

from storage import inputs
from storage.catalog import Agency, Catalog
from storage.csvtext import csv_text
from storage.objects import ObjectStore

LEVELS = ("province", "district", "commune")
CSV_COLUMNS = ("code", "name", "level", "parent", "successor", "valid_from", "valid_to")
REQUIRED_COLUMNS = ("code", "name", "level")


class AgencyRow(BaseModel):
    code: str
    name: str
    level: Literal["province", "district", "commune"]
    parent: str | None = None
    successor: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _clean(cls, data: Any) -> Any:
        # Empty cells mean "not given".
        if isinstance(data, dict):
            return {k: (unicodedata.normalize("NFC", v).strip() or None) if isinstance(v, str) else v
                    for k, v in data.items()}
        return data

    @field_validator("code", "parent", "successor")
    @classmethod
    def _code_shape(cls, value: str | None) -> str | None:
        # Codes become parts of object keys (storage/objects.record_key).
        if value is not None and (re.search(r"\s", value) or "/" in value):
            raise ValueError(f"code {value!r} must have no blanks and no '/'")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "AgencyRow":
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        if self.code in (self.parent, self.successor):
            raise ValueError("an agency cannot be its own parent or successor")
        return self


class AgencyFileError(ValueError):
    """The file was refused as a whole; `problems` holds (line number, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems))


def parse_agencies(data: bytes) -> list[tuple[int, AgencyRow]]:
    """Parse an agencies CSV into (line number, row); every problem found is in one AgencyFileError."""
    try:
        content = unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise AgencyFileError([(_line_of(data, exc.start), "not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    problems = _header_problems(header)
    if problems:
        raise AgencyFileError(problems)
    reader.fieldnames = header
    rows: list[tuple[int, AgencyRow]] = []
    first_line: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if None in values:
            problems.append((line, "more cells than columns"))
            continue
        if not any((v or "").strip() for v in values.values()):
            continue
        try:
            row = AgencyRow.model_validate(values)
        except ValidationError as exc:
            problems.append((line, _readable(exc)))
            continue
        if row.code in first_line:
            problems.append((line, f"code {row.code} is already on line {first_line[row.code]}"))
            continue
        first_line[row.code] = line
        rows.append((line, row))
    if problems:
        raise AgencyFileError(problems)
    if not rows:
        raise AgencyFileError([(1, "no agencies in the file")])
    return rows


def read_agencies(catalog: Catalog, data: bytes) -> list[AgencyRow]:
    """Parse an agencies CSV and check its parents and successors against itself and the agencies
    already known. All or nothing: a dangling link would roll results up wrongly."""
    rows = parse_agencies(data)
    problems = _reference_problems(rows, {a.code: a for a in catalog.agencies()})
    if problems:
        raise AgencyFileError(problems)
    return [row for _, row in rows]


def load_agencies(catalog: Catalog, data: bytes) -> tuple[int, int]:
    """Check and upsert an agencies CSV; returns (added, updated)."""
    return catalog.upsert_agencies(row.model_dump() for row in read_agencies(catalog, data))


def import_agencies(store: ObjectStore, catalog: Catalog, data: bytes, name: str) -> tuple[int, int]:
    """Check the file, keep its bytes in object storage, then upsert; returns (added, updated)."""
    rows = read_agencies(catalog, data)
    sha256 = store.put_input_file(data)
    event = inputs.InputEvent(kind="agencies", at=datetime.now(timezone.utc), sha256=sha256, name=name)
    inputs.record_event(store, event)
    return catalog.upsert_agencies(row.model_dump() for row in rows)


def agencies_csv(agencies: Iterable[Agency]) -> str:
    """The agencies in the import format, so that a listing can be edited and imported again."""
    return csv_text(CSV_COLUMNS, ({column: getattr(agency, column) for column in CSV_COLUMNS} for agency in agencies))


class AgencyTree:
    """The agency table in memory, for rolling results up by historical or successor structure."""

    def __init__(self, agencies: Iterable[Agency]):
        self._units = {agency.code: agency for agency in agencies}
        self._by_name: dict[str, list[str]] = {}
        for agency in self._units.values():
            if agency.name:
                self._by_name.setdefault(name_key(agency.name), []).append(agency.code)

    @classmethod
    def load(cls, catalog: Catalog) -> "AgencyTree":
        return cls(catalog.agencies())

    def name_of(self, code: str) -> str | None:
        unit = self._units.get(code)
        return unit.name if unit else None

    def level_of(self, code: str) -> str | None:
        unit = self._units.get(code)
        return unit.level if unit else None

    def historical_parent(self, code: str, level: str | None = None) -> str | None:
        """The unit above as recorded (the structure at issue time).

        With `level`: the nearest unit at that level among the code itself and the units above
        it (a commune's district; a district's own code), or None when the chain has none.
        """
        if level is None:
            unit = self._units.get(code)
            return unit.parent if unit else None
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            if self.level_of(current) == level:
                return current
            seen.add(current)
            current = self.historical_parent(current)
        return None

    def successor_of(self, code: str, on: date) -> str:
        """The unit that holds the code's results on `on`, following successors (the code itself
        while it is still in office, or when nobody took over)."""
        seen = {code}
        current = code
        while True:
            unit = self._units.get(current)
            if unit is None or unit.successor is None or unit.valid_to is None or unit.valid_to >= on:
                return current
            current = unit.successor
            if current in seen:
                raise ValueError(f"successor chain of {code} loops at {current}")
            seen.add(current)

    def resolve(self, value: str, on: date | None = None) -> list[str]:
        """Codes that a register's agency cell may mean: the code itself, or the agencies of that
        name (those in office on `on` when some are: an old commune and the new one may share it)."""
        value = unicodedata.normalize("NFC", value).strip()
        if value in self._units:
            return [value]
        codes = self._by_name.get(name_key(value), [])
        in_office = [code for code in codes if on is not None and self._in_office(code, on)]
        return in_office or list(codes)

    def _in_office(self, code: str, on: date) -> bool:
        unit = self._units[code]
        return (unit.valid_from is None or unit.valid_from <= on) and (unit.valid_to is None or on <= unit.valid_to)


# Old-style tone placement (Hoà, Thuỷ) against the new (Hòa, Thủy), only where the pair ends
# the syllable (Hoàng, Quý are written alike in both styles).
_OLD_STYLE_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_STYLE = re.compile(r"(?<![qQ])(" + "|".join(_OLD_STYLE_TONES) + r")(?!\w)")
_ABBREVIATIONS = {"ubnd": "ủy ban nhân dân", "tp": "thành phố", "tp.": "thành phố"}


def new_style_tones(text: str) -> str:
    """`Xuân Hoà` → `Xuân Hòa`, the placement CONTRACT.md and most papers since 2018 use."""
    return _OLD_STYLE.sub(lambda m: _OLD_STYLE_TONES[m.group(1)], unicodedata.normalize("NFC", text))


def name_key(name: str) -> str:
    """A key under which the ways of writing one agency's name agree (case, blanks, `UBND`,
    tone placement); the marks themselves stay, so `Đông` and `Đồng` remain apart."""
    text = new_style_tones(name.casefold())
    return " ".join(_ABBREVIATIONS.get(word, word) for word in text.split())


def _header_problems(header: list[str]) -> list[tuple[int, str]]:
    problems = []
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        problems.append((1, f"unknown column(s) {', '.join(unknown)}; expected {','.join(CSV_COLUMNS)}"))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append((1, f"missing column(s) {', '.join(missing)}"))
    return problems


def _reference_problems(rows: list[tuple[int, AgencyRow]], known: dict[str, Agency]) -> list[tuple[int, str]]:
    codes = set(known) | {row.code for _, row in rows}
    problems = []
    for line, row in rows:
        for role in ("parent", "successor"):
            target = getattr(row, role)
            if target is not None and target not in codes:
                problems.append((line, f"{role} {target} is neither in the file nor already imported"))
    successors = {code: agency.successor for code, agency in known.items()}
    successors.update({row.code: row.successor for _, row in rows})
    for line, row in rows:
        seen, current = {row.code}, row.successor
        while current is not None:
            if current in seen:
                problems.append((line, f"successor chain of {row.code} comes back to {current}"))
                break
            seen.add(current)
            current = successors.get(current)
    return problems


def _readable(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        message = "missing" if error["input"] is None else error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
