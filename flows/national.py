"""Records under the field names of the national systems (DOMAIN.md section 5).

Only approved (`digitised`) records are exported: live provincial systems keep a digitised
paper hidden until it is approved. Names from the national result-sync list: SoKyHieu,
TrichYeuNoiDung, NgayCap, MaChuGiayTo, MaTTHC, ThoiHanHieuLuc, TenGiayToKetQua, NgaySoHoa,
plus CoQuanBanHanh and NguoiKy. Names sohoa adds in the same style, for tracing a row back:
ChucVuNguoiKy, TenChuGiayTo, MucDoTinCay, SoTrang, MaCoQuan, MaBanGhi, SHA256, and ChuKySo: the
intact digital signatures, `body or signer | signing time | chưa xác thực` (not validated: no
Vietnamese trust roots offline) or `đã xác thực`, separated by `; `.
"""

from __future__ import annotations

from collections.abc import Iterable

from extract.doctypes import APPENDIX, LETTER, TITLES, UNKNOWN
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
    "ChuKySo",
]
TYPE_NAMES = {code: title.capitalize() for title, code in TITLES.items()} | {
    LETTER: "Công văn", APPENDIX: "Phụ lục", UNKNOWN: "Khác"}
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
        ChuKySo=signature_summary(record, validated_words=("đã xác thực", "chưa xác thực")) or None,
    )
    for field, name in FIELD_NAMES.items():
        if field in record.fields:
            row[name] = record.fields[field].value
    return row


def signature_summary(record: Record, validated_words: tuple[str, str] = ("validated", "not validated")) -> str:
    """The intact digital signatures in one cell: who, when, whether the chain was validated."""
    return "; ".join(
        " | ".join([
            s.organisation or s.signer, s.signed_at.isoformat() if s.signed_at else "",
            validated_words[0] if s.validated else validated_words[1],
        ])
        for s in record.signatures if s.kind == "digital" and s.intact
    )


def confidence_level(record: Record) -> str:
    """From how the pages were read. A digital signature does not change it: a signed scan is a
    digitised copy (02), and a born-digital original reads as text layer (01) signed or not."""
    methods = {page.method for page in record.page_details}
    if methods == {"text_layer"}:
        return BORN_DIGITAL
    return MIXED if "text_layer" in methods else DIGITISED
