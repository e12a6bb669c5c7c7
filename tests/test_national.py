"""Export under the national systems' field names: approved records only, values as read."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

from flows.national import BORN_DIGITAL, DIGITISED, MIXED, national_row
from flows.reports import national_csv, national_jsonl
from storage.records import PageSummary, Record, RecordField, RecordFiles


def record(status: str = "digitised", methods: tuple[str, ...] = ("ocr",), **fields: str) -> Record:
    return Record(
        id="r1", batch_id="b", batch_name="b", agency="000.00.00.H62", source_name="a.pdf", source_path="a.pdf",
        sha256="a" * 64, size_bytes=1, media_type="application/pdf", status=status, document_type="quyet_dinh",
        pages=len(methods), fields={k: RecordField(value=v, confidence=0.9) for k, v in fields.items()},
        review_reasons=["missing: signer"] if status == "needs_review" else [],
        files=RecordFiles(original="o/a"), ingested_at=datetime(2026, 1, 2, tzinfo=timezone.utc),
        processed_at=datetime(2026, 1, 3, 8, tzinfo=timezone.utc),
        page_details=[PageSummary(number=i + 1, method=m, outcome="ok", mean_confidence=0.9, seconds=1)
                      for i, m in enumerate(methods)],
    )


def test_fields_take_national_names():
    row = national_row(record(document_number="1204/QĐ-UBND", issue_date="2022-06-29", holder_id="026090001234",
                              summary="Về việc giao đất", issuer="Ủy ban nhân dân tỉnh Vĩnh Phúc"))
    assert row["SoKyHieu"] == "1204/QĐ-UBND" and row["NgayCap"] == "2022-06-29"
    assert row["MaChuGiayTo"] == "026090001234" and row["TrichYeuNoiDung"] == "Về việc giao đất"
    assert row["CoQuanBanHanh"] == "Ủy ban nhân dân tỉnh Vĩnh Phúc"
    assert row["TenGiayToKetQua"] == "Quyết định" and row["NgaySoHoa"] == "2026-01-03"
    assert row["MaTTHC"] is None  # not printed: left empty, never guessed


def test_an_appendix_and_a_law_are_named_and_carry_no_number_of_their_own():
    appendix = record(parent_document_number="311/QĐ-UBND").model_copy(update={"document_type": "phu_luc"})
    row = national_row(appendix)
    assert row["TenGiayToKetQua"] == "Phụ lục" and row["SoKyHieu"] is None  # the parent's number is not its own
    assert national_row(record().model_copy(update={"document_type": "luat"}))["TenGiayToKetQua"] == "Luật"


def test_confidence_level_from_how_pages_were_read():
    assert national_row(record(methods=("text_layer",)))["MucDoTinCay"] == BORN_DIGITAL
    assert national_row(record(methods=("ocr", "transcoded")))["MucDoTinCay"] == DIGITISED
    assert national_row(record(methods=("text_layer", "ocr")))["MucDoTinCay"] == MIXED


def test_only_approved_records_are_exported():
    records = [record(document_number="1/QĐ-UBND"), record(status="needs_review", document_number="2/QĐ-UBND")]
    lines = list(national_jsonl(records))
    assert [json.loads(line)["SoKyHieu"] for line in lines] == ["1/QĐ-UBND"]
    rows = list(csv.DictReader(io.StringIO("".join(national_csv(records)))))
    assert len(rows) == 1 and rows[0]["SoKyHieu"] == "1/QĐ-UBND" and rows[0]["MaChuGiayTo"] == ""
