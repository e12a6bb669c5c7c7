"""Records under the field names of the national systems (DOMAIN.md section 5).

Only approved (`digitised`) records are exported: live provincial systems keep a digitised
paper hidden until it is approved. Names from the national result-sync list: SoKyHieu,
TrichYeuNoiDung, NgayCap, MaChuGiayTo, MaTTHC, ThoiHanHieuLuc, TenGiayToKetQua, NgaySoHoa,
plus CoQuanBanHanh and NguoiKy. Names sohoa adds in the same style, for tracing a row back:
ChucVuNguoiKy, TenChuGiayTo, MucDoTinCay, SoTrang, MaCoQuan, MaBanGhi, SHA256.
"""

from __future__ import annotations

from collections.abc import Iterable

from extract.doctypes import LETTER, TITLES, UNKNOWN
from storage.records import Record

FIELD_NAMES = {
    "document_number": "SoKyHieu",
    "summary": "TrichYeuNoiDung",
    "issue_date": "NgayCap",
    "issuer": "CoQuanBanHanh",
    "signer": "NguoiKy",
    "signer_title": "ChucVuNguoiKy",
    "holder_id": "MaChuGiayTo",
    "holder_name": "TenChuGiayTo",
    "procedure_code": "MaTTHC",
    "valid_until": "ThoiHanHieuLuc",
}
COLUMNS = [
    "MaBanGhi", "MaCoQuan", "TenGiayToKetQua", *FIELD_NAMES.values(), "NgaySoHoa", "MucDoTinCay", "SoTrang", "SHA256",
]
TYPE_NAMES = {code: title.capitalize() for title, code in TITLES.items()} | {LETTER: "Công văn", UNKNOWN: "Khác"}
# Confidence level of a record (DOMAIN.md section 5): born-digital, digitised, or both.
BORN_DIGITAL, DIGITISED, MIXED = "01", "02", "03"


def national_rows(records: Iterable[Record]) -> Iterable[dict[str, str | int | None]]:
    for record in records:
        if record.status == "digitised":
            yield national_row(record)


def national_row(record: Record) -> dict[str, str | int | None]:
    row: dict[str, str | int | None] = {name: None for name in COLUMNS}
    row.update(
        MaBanGhi=record.id,
        MaCoQuan=record.agency,
        TenGiayToKetQua=TYPE_NAMES.get(record.document_type or UNKNOWN, TYPE_NAMES[UNKNOWN]),
        NgaySoHoa=record.processed_at.date().isoformat() if record.processed_at else None,
        MucDoTinCay=confidence_level(record),
        SoTrang=record.pages,
        SHA256=record.sha256,
    )
    for field, name in FIELD_NAMES.items():
        if field in record.fields:
            row[name] = record.fields[field].value
    return row


def confidence_level(record: Record) -> str:
    methods = {page.method for page in record.page_details}
    if methods == {"text_layer"}:
        return BORN_DIGITAL
    return MIXED if "text_layer" in methods else DIGITISED
