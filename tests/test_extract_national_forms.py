"""Personal results on their national forms: type from title, labels or serial, and their fields.

Most pages here are the generator's national forms turned into word boxes straight from their layout
(exact text, no OCR), or hand-written lines; one integration test OCRs a photographed form.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from extract import extract_document
from extract.layout import analyse
from extract.national_forms import form_title
from ocr.types import Line, PageResult, Word
from samples.generate import make_document
from samples.layout import PAGE_HEIGHT, PAGE_WIDTH, PageLayout, text_width
from samples.national_forms import FORM_TYPES
from test_extract_fixtures import decree30_page

TODAY = dt.date(2025, 11, 1)


def page_result(layout: PageLayout, number: int) -> PageResult:
    """The words of a generated page where the layout put them, as if read without a slip."""
    lines = []
    for block, line in enumerate(layout.lines):
        words = []
        for run in line.runs:
            x = run.x
            for token in run.text.split():
                width = text_width(token, run.style, run.size)
                top, bottom = run.baseline - 0.75 * run.size, run.baseline + 0.2 * run.size
                words.append(Word(text=token, confidence=0.95,
                                  bbox=(x / PAGE_WIDTH, top / PAGE_HEIGHT, (x + width) / PAGE_WIDTH, bottom / PAGE_HEIGHT)))
                x += width + text_width(" ", run.style, run.size)
        if words:
            lines.append(Line.from_words(words, block))
    return PageResult(number=number, method="ocr", lines=lines)


def read(doc) -> object:
    return extract_document([page_result(page, i + 1) for i, page in enumerate(doc.layout)], today=TODAY)


@pytest.mark.parametrize("doc_type", FORM_TYPES)
def test_every_national_form_is_typed_and_read(doc_type: str) -> None:
    for seed in (1, 2):
        doc = make_document(random.Random(seed), doc_type, "national_form")
        extraction = read(doc)
        assert extraction.document_type == doc_type
        values = {name: value.value for name, value in extraction.fields.items()}
        assert values == doc.truth["fields"], (doc_type, seed)
        assert extraction.review_reasons == []


def test_land_title_number_is_its_register_entry_and_the_signature_is_on_page_two() -> None:
    doc = make_document(random.Random(3), "giay_chung_nhan_qsdd", "national_form")
    assert len(doc.layout) == 4  # holder; parcel and signature; plan; changes
    extraction = read(doc)
    assert extraction.fields["document_number"].value[:2] in ("CH", "CS")
    assert extraction.fields["signer"].value == doc.truth["fields"]["signer"]
    assert extraction.fields["land_serial"].value == doc.truth["fields"]["land_serial"]


def _typed(rows: list[str]) -> str | None:
    found = form_title(analyse([decree30_page(body=rows)]))
    return found.code if found else None


def test_titles_read_loosely_anywhere_in_the_top_of_page_one() -> None:
    assert _typed(["GlẤY KHAI SlNH"]) == "giay_khai_sinh"  # OCR's l for I, not centred
    assert _typed(["TRICH LUC KHAI SINH (BẢN SAO)"]) == "trich_luc_khai_sinh"
    assert _typed(["GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT"]) == \
        "giay_chung_nhan_qsdd"
    assert _typed(["GIAY CHUNG NHAN DANG KY HO KINH DOANH"]) == "giay_chung_nhan_hkd"


def test_labels_only_one_form_prints_name_it_when_the_title_is_lost() -> None:
    assert _typed(["Nơi cư trú: Thôn Đông", "NGƯỜI KÝ GIẤY KHAI SINH"]) == "giay_khai_sinh"
    assert _typed(["Sao từ Sổ đăng ký khai sinh"]) == "trich_luc_khai_sinh"
    assert _typed(["Số vào sổ cấp GCN: CH 01234"]) == "giay_chung_nhan_qsdd"
    assert _typed(["IV. Những thay đổi sau khi cấp Giấy chứng nhận"]) == "giay_chung_nhan_qsdd"
    assert _typed(["Mã số hộ kinh doanh: 26H8001234"]) == "giay_chung_nhan_hkd"


def test_prose_that_mentions_a_form_is_no_form() -> None:
    assert _typed(["Đề nghị kiểm tra tên hộ kinh doanh và giấy khai sinh của các trường hợp sau:"]) is None
    assert _typed(["Quyết định này có hiệu lực kể từ ngày ký."]) is None


def test_a_personal_result_without_its_holders_number_goes_to_review() -> None:
    doc = make_document(random.Random(1), "giay_khai_sinh", "national_form")
    page = doc.layout[0]
    page.lines = [line for line in page.lines if not line.text.startswith("Số định danh cá nhân")]
    extraction = read(doc)
    assert extraction.document_type == "giay_khai_sinh" and "holder_id" not in extraction.fields
    assert "missing: holder_id" in extraction.review_reasons


@pytest.mark.integration
def test_a_scanned_birth_certificate_on_security_paper_is_read() -> None:
    from ocr.pipeline import read_document
    from samples.generate import document_bytes

    doc = make_document(random.Random(4), "giay_khai_sinh", "national_form+scan")
    pages = read_document(document_bytes(doc, "png")).pages
    extraction = extract_document(pages, today=TODAY)
    assert extraction.document_type == "giay_khai_sinh"
    for name in ("holder_name", "holder_id", "register_book", "issue_date"):
        assert extraction.fields[name].value == doc.truth["fields"][name], name


def test_a_land_titles_serial_and_parcel_name_it_without_title_or_register_line() -> None:
    page = decree30_page(body=["I. Người sử dụng đất", *["..."] * 14, "a) Thửa đất số: 175, tờ bản đồ số: 38;",
                               *["..."] * 10, "CS 416425"])
    found = form_title(analyse([page]))
    assert found is not None and found.code == "giay_chung_nhan_qsdd"
    assert form_title(analyse([decree30_page(body=["CS 416425"])])) is None  # a serial alone is no form


def test_land_title_issuer_above_the_signer_when_ocr_garbles_the_authority_prefix() -> None:
    for seed in range(6):
        doc = make_document(random.Random(seed), "giay_chung_nhan_qsdd", "national_form")
        if doc.truth["fields"]["issuer"].startswith("Ủy ban"):
            break
    garbled = [line for line in doc.layout[1].lines if line.text.startswith("TM. ỦY BAN NHÂN DÂN")]
    assert garbled
    for line in garbled:
            first = line.runs[0]
            line.runs[0] = type(first)(first.text.replace("TM.", ".", 1), first.x, first.baseline, first.style,
                                       first.size)
    assert read(doc).fields["issuer"].value == doc.truth["fields"]["issuer"]
