"""Assembling a record from what was read: a value that fails its check never ends `digitised`;
the archive copy and the retries tell a bad document from a missing service."""

from __future__ import annotations

import datetime as dt
import json

import pymupdf
import pytest
from prefect.states import Failed
from test_extract_fixtures import decree30_page

from extract import extract_document
from flows.digitise import _only_outages
from flows.steps import archive_pdf, assemble_record, write_pages_json
from ocr.errors import GhostscriptMissing, TesseractMissing
from ocr.types import DocumentResult, Line, PageResult, Word
from storage.errors import CatalogUnavailable, IntegrityError, StorageUnavailable
from storage.records import Record, RecordFiles

TODAY = dt.date(2026, 11, 27)


def certificate(holder_id: str, issue_day: str = "ngày 05 tháng 01 năm 2022", extra: tuple[str, ...] = ()):
    return decree30_page(
        left_header=["UBND HUYỆN TAM DƯƠNG", "UBND XÃ HOÀNG ĐAN", "Số: 143/TLKS-BS"],
        right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                      f"Hoàng Đan, {issue_day}"],
        centre=["TRÍCH LỤC KHAI SINH"],
        body=["Họ, chữ đệm, tên: NGUYỄN VĂN AN", f"Số định danh cá nhân: {holder_id}", *extra],
        recipients=["Nơi nhận:", "- Lưu: VT."],
        signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Vũ Chí Giang"],
    )


def pending() -> Record:
    return Record(
        id="r", batch_id="b", batch_name="b", agency="x", source_name="a.png", source_path="a.png",
        sha256="0" * 64, size_bytes=1, media_type="image/png", files=RecordFiles(original="o/0"),
        ingested_at=dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc),
    )


def assembled(page) -> Record:
    extraction = extract_document([page], today=TODAY)
    document = DocumentResult(media_type="image/png", pages=[page], pdf=b"%PDF")
    return assemble_record(pending(), document, extraction, RecordFiles(original="o/0", pdf="d/0"))


def test_a_clean_certificate_is_digitised():
    record = assembled(certificate("026090001234"))
    assert record.status == "digitised", record.review_reasons
    assert record.fields["holder_id"].value == "026090001234"


JAN_2022 = "ngày 05 tháng 01 năm 2022"


@pytest.mark.parametrize(
    "holder_id, day, extra, field, value",
    [
        ("099090001234", JAN_2022, (), "holder_id", "099090001234"),  # no such province
        ("026090001234", "ngày 05 tháng 01 năm 2031", (), "issue_date", "2031-01-05"),  # in the future
        ("02609000123", JAN_2022, (), "holder_id", "02609000123"),  # 11 digits
        # Born 1990 says the number, 1991 says the paper.
        ("026090001234", JAN_2022, ("Ngày, tháng, năm sinh: 05/03/1991",), "holder_id", "026090001234"),
        ("026090001234", JAN_2022, ("Mã thủ tục hành chính: 1.0042271",), "procedure_code", "1.0042271"),
        ("026090001234", JAN_2022, ("Giấy này có giá trị sử dụng đến ngày: 05/03/2020",), "valid_until", "2020-03-05"),
    ],
)
def test_a_value_failing_its_check_sends_the_record_to_review_as_a_suggestion(holder_id, day, extra, field, value):
    record = assembled(certificate(holder_id, day, extra))
    assert record.status == "needs_review"
    assert any(reason.startswith(f"invalid: {field}") for reason in record.review_reasons)
    assert field not in record.fields  # never published
    assert record.suggestions[field].value == value  # kept as read: a person decides


def one_page_pdf(**save_options) -> bytes:
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "Quyết định")
        return doc.tobytes(**save_options)


def test_a_pdf_ghostscript_cannot_convert_keeps_its_plain_pdf_and_says_why(tmp_path):
    pdf = one_page_pdf(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="")
    archive = tmp_path / "document.pdf"
    pdf_format, note = archive_pdf(DocumentResult(media_type="application/pdf", pages=[], pdf=pdf), archive)
    assert (archive.read_bytes(), pdf_format) == (pdf, "pdf")
    assert note == "not PDF/A: the PDF is encrypted: PDF/A forbids encryption"


def test_a_searchable_pdf_on_disk_keeps_its_plain_copy_when_it_cannot_be_converted(tmp_path):
    """The pipeline's searchable PDF is a file (document.pdf empty): archived from it, byte for byte."""
    pdf = one_page_pdf(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="")
    searchable = tmp_path / "searchable.pdf"
    searchable.write_bytes(pdf)
    archive = tmp_path / "document.pdf"
    document = DocumentResult(media_type="application/pdf", pages=[], pdf=b"")
    assert archive_pdf(document, archive, searchable)[0] == "pdf"
    assert archive.read_bytes() == pdf


def test_pages_json_written_a_page_at_a_time_is_the_list_dumped_at_once(tmp_path):
    pages = [PageResult(number=1, method="ocr", lines=[Line.from_words(
        [Word(text="Độc", confidence=0.9, bbox=(0.1, 0.1, 0.2, 0.15)),
         Word(text="12", confidence=0.5, bbox=(0.3, 0.1, 0.4, 0.15), handwritten=True)], 0)]),
        PageResult(number=2, method="ocr", outcome="timeout", error="Tesseract: quá thời gian")]
    for some in (pages, pages[:1], []):
        path = tmp_path / "pages.json"
        write_pages_json(some, path)
        whole = json.dumps([page.model_dump(mode="json") for page in some], ensure_ascii=False)
        assert path.read_bytes() == whole.encode()


def test_a_missing_ghostscript_is_not_hidden_behind_a_plain_pdf(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no gs
    document = DocumentResult(media_type="application/pdf", pages=[], pdf=one_page_pdf())
    with pytest.raises(GhostscriptMissing, match="run `apt-get install ghostscript`"):
        archive_pdf(document, tmp_path / "document.pdf")


@pytest.mark.parametrize(
    "error, retried",
    [
        (StorageUnavailable("connection refused"), True),  # an outage may end: try again later
        (CatalogUnavailable("could not connect"), True),
        (IntegrityError("bad digest"), False),
        (TesseractMissing("not installed"), False),  # waiting installs nothing
        (GhostscriptMissing("not installed"), False),
        (ZeroDivisionError(), False),
    ],
)
def test_only_outages_are_retried(error, retried):
    assert _only_outages(None, None, Failed(data=error)) is retried
