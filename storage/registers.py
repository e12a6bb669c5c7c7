"""Registers of issued results: the denominator of the stock indicator (DOMAIN.md §6).

An agency's register (sổ theo dõi) lists the results it issued; a one-stop system exports it as
CSV or XLSX with Vietnamese headers (`Cơ quan`, `Mã TTHC`, `Số ký hiệu`, `Ngày cấp`,
`Mã chủ giấy tờ`, `Hiệu lực đến`), the national field names (`SoKyHieu`, `NgayCap` ...) or English
ones. Bad rows are reported with their row number and the good ones kept; importing the same
file again adds nothing (rows are keyed by the file's SHA-256 and their row number). An agency
without a register may declare a total instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import Any

from pydantic import BaseModel

from ocr.vntext import fold
from storage import inputs, matching
from storage.matching import normalise_number
from storage.agencies import AgencyFileError, AgencyTree, load_agencies
from storage.catalog import Catalog, InputFile
from storage.objects import ObjectStore

log = logging.getLogger(__name__)

# Header spellings per field, compared after `header_key` (case, marks, blanks, punctuation).
HEADERS = {
    "agency": ("Cơ quan", "Cơ quan cấp", "Cơ quan ban hành", "Mã cơ quan", "Đơn vị", "Đơn vị cấp",
               "MaCoQuan", "agency", "agency code", "issuer"),
    "procedure_code": ("Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "MaTTHC", "procedure code",
                       "procedure"),
    "field": ("Lĩnh vực", "Tên lĩnh vực", "TenLinhVuc", "field", "sector"),
    "document_number": ("Số ký hiệu", "Số, ký hiệu", "Số và ký hiệu", "Số hiệu", "Số giấy tờ", "Số văn bản",
                        "SoKyHieu", "document number", "number"),
    "issue_date": ("Ngày cấp", "Ngày ban hành", "Ngày ký", "NgayCap", "issue date", "issued", "date"),
    "holder_id": ("Mã chủ giấy tờ", "Số định danh", "Số định danh cá nhân", "Số CCCD", "CCCD",
                  "Mã số doanh nghiệp", "MaChuGiayTo", "holder id"),
    "valid_until": ("Hiệu lực đến", "Thời hạn hiệu lực", "ThoiHanHieuLuc", "valid until"),
}
# A header row names at least this many known columns; title rows above it are skipped.
MIN_HEADER_FIELDS = 2
HEADER_SEARCH_ROWS = 20
# Written in a validity column for results that do not expire.
INDEFINITE = ("vô thời hạn", "không thời hạn", "không xác định", "vĩnh viễn", "indefinite")


def header_key(text: str) -> str:
    """`Số, ký hiệu`, `SO KY HIEU` and `SoKyHieu` all give `sokyhieu`."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


_FIELD_OF_HEADER = {header_key(h): field for field, spellings in HEADERS.items() for h in spellings}
_INDEFINITE_FOLDED = {fold(word) for word in INDEFINITE}


class RegisterFileError(ValueError):
    """The file cannot be read as a register at all (no header, not CSV or XLSX)."""


class RowProblem(BaseModel):
    row: int
    message: str


class EntryRow(BaseModel):
    row_number: int
    agency: str
    procedure_code: str | None = None
    field: str | None = None  # lĩnh vực of the procedure, as the one-stop system names it
    document_number: str | None = None
    document_number_raw: str | None = None
    issue_date: date | None = None
    holder_id: str | None = None
    valid_until: date | None = None


class RegisterImport(BaseModel):
    name: str
    sha256: str
    added: int = 0
    already: int = 0
    problems: list[RowProblem] = []


def read_register(
    data: bytes, tree: AgencyTree, default_agency: str | None = None
) -> tuple[list[EntryRow], list[RowProblem]]:
    """The good rows and the problems of the bad ones, each with its row number in the file."""
    rows = _rows(data)
    columns = _columns(rows)
    entries, problems = [], []
    for number, cells in rows:
        values = {columns[i]: cell for i, cell in enumerate(cells) if i in columns and _text(cell)}
        if not values:
            continue  # an empty row, or one with only columns we do not read
        try:
            entries.append(_entry(number, values, tree, default_agency))
        except ValueError as exc:
            problems.append(RowProblem(row=number, message=str(exc)))
    return entries, problems


def check_register_file(data: bytes) -> None:
    """Raise RegisterFileError unless the file has a register's header: before any service is needed."""
    _columns(_rows(data))


def _rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    return _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)


def _columns(rows: Iterator[tuple[int, list[Any]]]) -> dict[int, str]:
    """Read up to the header row (title rows above it are skipped): its column → field."""
    for number, cells in rows:
        columns = _header(cells)
        if columns is not None:
            if not {"document_number", "holder_id"} & set(columns.values()):
                raise RegisterFileError(f"row {number}: the register needs a Số ký hiệu (document number) "
                                        f"or a Mã chủ giấy tờ (holder id) column")
            return columns
        if number >= HEADER_SEARCH_ROWS:
            break
    expected = ", ".join(spellings[0] for spellings in HEADERS.values())
    raise RegisterFileError(
        f"no header row in the first {HEADER_SEARCH_ROWS} rows; expected columns such as {expected}"
    )


def import_register(store: ObjectStore, catalog: Catalog, data: bytes, name: str,
                    agency: str | None = None) -> RegisterImport:
    """Read a register, keep the file in object storage when any row is good, store the good rows."""
    now = datetime.now(timezone.utc)
    return _load_register(catalog, data, name, agency, now, store=store)


def declare_total(store: ObjectStore, catalog: Catalog, agency: str, total: int) -> None:
    """Record how many valid results an agency without a register holds."""
    agency = unicodedata.normalize("NFC", agency).strip()
    if not agency or total < 0:
        raise ValueError("a declaration needs an agency and a total of 0 or more")
    event = inputs.InputEvent(kind="declaration", at=datetime.now(timezone.utc), agency=agency, total=total)
    inputs.record_event(store, event)
    catalog.declare_total(agency, total, event.at)


def reload_inputs(store: ObjectStore, catalog: Catalog) -> dict[str, int]:
    """Load every agency list, register and declaration kept in object storage, in the order they
    came, then match records to registers again: what `sohoa reindex` needs after `rebuild`."""
    counts = {"agencies": 0, "registers": 0, "register_entries": 0, "declarations": 0, "refused": 0}
    for event in inputs.events(store):
        if event.kind == "declaration":
            catalog.declare_total(event.agency, event.total, event.at)
            counts["declarations"] += 1
            continue
        data = store.get_input_file(event.sha256)
        if event.kind == "agencies":
            try:
                load_agencies(catalog, data)
            except AgencyFileError as exc:
                # Checked when first imported: only a catalog that lost other inputs gets here.
                log.warning("agency list %s (%s) not reloaded: %s", event.name, event.sha256[:12], exc)
                counts["refused"] += 1
                continue
            counts["agencies"] += 1
        else:
            result = _load_register(catalog, data, event.name, event.agency, event.at)
            counts["registers"] += 1
            counts["register_entries"] += result.added
    counts["matches"] = matching.match(catalog).matched
    return counts


def _load_register(catalog: Catalog, data: bytes, name: str, agency: str | None, imported_at: datetime,
                   store: ObjectStore | None = None) -> RegisterImport:
    name = unicodedata.normalize("NFC", name)
    agency = unicodedata.normalize("NFC", agency or "").strip() or None
    sha256 = hashlib.sha256(data).hexdigest()
    entries, problems = read_register(data, AgencyTree.load(catalog), agency)
    result = RegisterImport(name=name, sha256=sha256, problems=problems)
    if not entries:
        return result
    if store is not None:
        # Stored before the catalog takes the rows: the catalog holds nothing storage lacks.
        store.put_input_file(data)
        event = inputs.InputEvent(kind="register", at=imported_at, sha256=sha256, name=name, agency=agency)
        inputs.record_event(store, event)
    source = InputFile(sha256=sha256, name=name, agency=agency, imported_at=imported_at)
    result.added, result.already = catalog.add_register_entries(source, (e.model_dump() for e in entries))
    return result


def _header(cells: list[Any]) -> dict[int, str] | None:
    columns: dict[int, str] = {}
    for index, cell in enumerate(cells):
        field = _FIELD_OF_HEADER.get(header_key(_text(cell)))
        if field is not None and field not in columns.values():
            columns[index] = field
    return columns if len(columns) >= MIN_HEADER_FIELDS else None


def _entry(number: int, values: dict[str, Any], tree: AgencyTree, default_agency: str | None) -> EntryRow:
    raw_number = _text(values.get("document_number")) or None
    holder_id = _holder_id(values.get("holder_id"))
    if raw_number is None and holder_id is None:
        raise ValueError("neither a document number (Số ký hiệu) nor a holder id (Mã chủ giấy tờ)")
    issue_date = _date(values.get("issue_date"), "issue date")
    valid_until = _validity(values.get("valid_until"))
    if issue_date and valid_until and valid_until < issue_date:
        raise ValueError(f"valid until {valid_until} is before the issue date {issue_date}")
    return EntryRow(
        row_number=number,
        agency=_agency(_text(values.get("agency")), tree, default_agency, issue_date),
        procedure_code=normalise_number(_text(values.get("procedure_code")) or None),
        field=unicodedata.normalize("NFC", _text(values.get("field"))).strip() or None,
        document_number=normalise_number(raw_number),
        document_number_raw=raw_number,
        issue_date=issue_date,
        holder_id=holder_id,
        valid_until=valid_until,
    )


def _agency(value: str, tree: AgencyTree, default: str | None, issued: date | None) -> str:
    if not value:
        if default is None:
            raise ValueError("no agency: the row has no Cơ quan and no --agency was given")
        return default
    codes = tree.resolve(value, issued)
    if len(codes) == 1:
        return codes[0]
    if codes:
        raise ValueError(f"agency {value!r} may be any of {', '.join(codes)}: write its code")
    if re.fullmatch(r"\S*\d\S*", value):
        return value  # a code the agency list does not have yet
    raise ValueError(f"unknown agency {value!r}: import the agency list first or write its code")


def _holder_id(cell: Any) -> str | None:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        digits = str(int(cell))
        # A spreadsheet that stored a personal number as a number lost its leading 0 (026...).
        return digits.zfill(12) if len(digits) == 11 else digits
    return normalise_number(_text(cell) or None)  # `026 090 001 234` is one number


def _date(cell: Any, what: str) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    if not text:
        return None
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", text):
        year, month, day = match.groups()
    elif match := re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", text):
        day, month, year = match.groups()  # day before month, as Vietnamese papers write it
    elif match := re.fullmatch(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", text.casefold()):
        day, month, year = match.groups()
    else:
        raise ValueError(f"{what} {text!r} is not a date (dd/mm/yyyy or yyyy-mm-dd)")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date of the calendar") from None


def _validity(cell: Any) -> date | None:
    if fold(_text(cell)) in _INDEFINITE_FOLDED:
        return None
    return _date(cell, "valid until")


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unicodedata.normalize("NFC", str(cell)).strip()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")  # Excel's "Unicode text"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RegisterFileError(
                "not UTF-8 text, nor an XLSX workbook: save the register as CSV UTF-8 or XLSX"
            ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for cells in reader:
        yield reader.line_num, cells


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl  # only registers given as XLSX need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise RegisterFileError(f"not a readable XLSX workbook ({exc})") from exc
    try:
        for number, cells in enumerate(workbook.active.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()
