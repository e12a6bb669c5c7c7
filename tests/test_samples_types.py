"""The generator's document types: every truth value is printed in the form docs/fields.md describes."""

from __future__ import annotations

import random
import re
from datetime import date

import numpy as np
import pytest

from samples import content, specs
from samples.generate import make_document
from samples.specs import DOC_TYPES
from test_samples import truths_by_variant

CONTRACT_TYPES = {"quyet_dinh", "giay_chung_nhan_qsdd", "giay_chung_nhan_dkdn", "giay_chung_nhan_hkd",
                  "giay_phep_xay_dung", "trich_luc_khai_sinh", "giay_khai_sinh", "giay_chung_nhan_ket_hon",
                  "xac_nhan_tinh_trang_hon_nhan", "chung_thuc", "cong_van", "thong_bao", "ke_hoach", "bao_cao",
                  "de_an", "other"}
NEW_TYPES = ("giay_chung_nhan_qsdd", "giay_chung_nhan_dkdn", "giay_khai_sinh", "giay_chung_nhan_ket_hon",
             "xac_nhan_tinh_trang_hon_nhan", "chung_thuc", "ke_hoach", "bao_cao", "de_an")




def short_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def printed_forms(doc_type: str, field: str, value: str) -> list[str]:
    """How a truth value may appear in the page text (lines joined by one space)."""
    if field == "holder_name":
        return [value if doc_type == "giay_chung_nhan_dkdn" else value.upper()]
    if field == "land_serial":
        return [f"Số phát hành: {value}"]
    if field == "land_parcel":
        return [f"a) Thửa đất số: {value}", f"thửa đất số {value},"]
    if field == "map_sheet":
        return [f"b) Tờ bản đồ số: {value}", f"tờ bản đồ số {value},"]
    if field == "land_area":
        return [f"d) Diện tích: {value.replace('.', ',')} m2"]
    if field == "valid_until":
        return [f"g) Thời hạn sử dụng: đến ngày {short_date(value)}",
                f"Giấy này có giá trị sử dụng đến ngày: {short_date(value)}"]
    if field == "procedure_code":
        return [f"Mã thủ tục hành chính: {value}"]
    if field == "business_code":
        return [f"Mã số hộ kinh doanh: {value}"]
    if field == "register_book":
        return [f"Quyển số: {value}"]
    if field in ("issue_date", "last_change_date"):
        return [specs.long_date(date.fromisoformat(value))]
    if field == "signer_title":
        return [value.upper()]
    return [value]


def test_doc_types_cover_the_contract():
    assert set(NEW_TYPES) <= set(DOC_TYPES) and set(DOC_TYPES) <= CONTRACT_TYPES
    assert DOC_TYPES[:6] == ("quyet_dinh", "cong_van", "thong_bao", "giay_chung_nhan_hkd", "trich_luc_khai_sinh",
                             "giay_phep_xay_dung")  # appended, not reordered


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_type_renders(doc_type):
    for seed in (1, 2):
        doc = make_document(random.Random(seed), doc_type, "lowres")
        assert doc.truth["document_type"] == doc_type and doc.pages and len(doc.pages) == len(doc.layout)
        assert doc.pages[0].size == (1240, 1754)


def test_every_truth_value_is_printed():
    for _, truth in truths_by_variant():
        doc_type, text = truth["document_type"], "\n".join(truth["page_texts"])
        joined = " ".join(text.splitlines())
        for field, value in truth["fields"].items():
            if field == "issuer":  # printed in the header's capitals: tests/test_samples.py checks it
                continue
            if field in ("holder_id", "document_number"):
                assert value in re.sub(r"\s", "", text), (doc_type, field)
                continue
            assert any(form in joined for form in printed_forms(doc_type, field, value)), (doc_type, field, value)


def test_value_shapes():
    for _, truth in truths_by_variant():
        fields = truth["fields"]
        if "land_serial" in fields:
            assert re.fullmatch(r"[A-Z]{2} \d{6}", fields["land_serial"])
        for field in ("land_parcel", "map_sheet"):
            if field in fields:
                assert re.fullmatch(r"[1-9]\d*", fields[field])
        if "land_area" in fields:
            assert re.fullmatch(r"[1-9]\d*(\.[1-9])?", fields["land_area"])
        if "procedure_code" in fields:
            assert re.fullmatch(r"\d\.\d{6}(\.000\.00\.00\.H62)?", fields["procedure_code"])
        if "valid_until" in fields:
            assert date.fromisoformat(fields["valid_until"]) > date.fromisoformat(fields["issue_date"])
        if "business_code" in fields:
            assert re.fullmatch(r"\d{2}H8\d{6}", fields["business_code"])
        if "register_book" in fields:
            year = fields["issue_date"][:4]
            assert re.fullmatch(rf"\d{{2}}/{year}(-SCT/BS)?", fields["register_book"])


def test_register_book_is_printed_under_the_number():
    for _, truth in truths_by_variant():
        fields = truth["fields"]
        if "register_book" in fields:
            lines = truth["page_texts"][0].splitlines()
            index = lines.index(f"Số: {fields['document_number']}")
            assert lines[index + 1] == f"Quyển số: {fields['register_book']}"
        else:
            assert "Quyển số:" not in truth["page_texts"][0]


def test_both_area_forms_and_both_terms_occur():
    areas, terms, codes = set(), set(), set()
    for seed in range(60):
        fields = specs.build_spec(random.Random(seed), "giay_chung_nhan_qsdd").fields
        areas.add("." in fields["land_area"])
        terms.add("valid_until" in fields)
        codes.add(len(fields.get("procedure_code", "")))
    assert areas == {True, False} and terms == {True, False} and codes == {0, 8, 22}


def enterprise_check_digit_ok(code: str) -> bool:
    total = sum(int(d) * w for d, w in zip(code[:9], (31, 29, 23, 19, 17, 13, 7, 5, 3)))
    return 10 - total % 11 == int(code[9])


def test_enterprise_codes_carry_a_valid_check_digit():
    codes = set()
    for seed in range(40):
        fields = specs.build_spec(random.Random(seed), "giay_chung_nhan_dkdn").fields
        code = fields["holder_id"]
        assert re.fullmatch(r"25\d{8}", code) and enterprise_check_digit_ok(code)
        assert fields["holder_name"].startswith(("CÔNG TY TNHH ", "CÔNG TY CỔ PHẦN "))
        codes.add(code)
    assert len(codes) == 40
    assert not enterprise_check_digit_ok("2565399064") and enterprise_check_digit_ok("2565399063")


def test_enterprise_prints_no_name_label_and_the_representative_in_capitals():
    for seed in range(10):
        text = make_document(random.Random(seed), "giay_chung_nhan_dkdn", "lowres").truth["page_texts"][0]
        assert "Họ và tên" not in text
        name = re.search(r"^4\. Người đại diện theo pháp luật: (.+); Chức danh: Giám đốc$", text, re.M).group(1)
        assert name == name.upper() and len(name.split()) >= 3


def agrees(number: str, birth_year: int, female: bool) -> bool:
    return number[3] == str((birth_year // 100 - 19) * 2 + female) and number[4:6] == f"{birth_year % 100:02d}"


def test_both_spouses_personal_numbers_agree_with_their_birth_dates():
    for seed in range(25):
        truth = make_document(random.Random(seed), "giay_chung_nhan_ket_hon", "lowres").truth
        text = truth["page_texts"][0]
        years = [int(year) for year in re.findall(r"Ngày, tháng, năm sinh: \d{2}/\d{2}/(\d{4})", text)]
        numbers = [re.sub(r"\s", "", n) for n in re.findall(r"Số định danh cá nhân: ([\d ]+)", text)]
        assert len(years) == len(numbers) == 2
        assert agrees(numbers[0], years[0], female=False) and agrees(numbers[1], years[1], female=True)
        assert numbers[0] == truth["fields"]["holder_id"]
        assert f"Ngày, tháng, năm đăng ký: {short_date(truth['fields']['issue_date'])}" in text


def test_marital_status_is_valid_six_months():
    for seed in range(25):
        fields = specs.build_spec(random.Random(seed), "xac_nhan_tinh_trang_hon_nhan").fields
        issued, until = date.fromisoformat(fields["issue_date"]), date.fromisoformat(fields["valid_until"])
        months = (until.year - issued.year) * 12 + until.month - issued.month
        assert months == 6 and until.day <= issued.day


def test_months_later_clamps_to_the_month_end():
    assert specs.months_later(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert specs.months_later(date(2023, 7, 15), 6) == date(2024, 1, 15)
    assert specs.years_later(date(2024, 2, 29), 30) == date(2054, 2, 28)


def test_procedure_codes_come_from_the_table():
    for seed in range(40):
        for doc_type in ("giay_chung_nhan_qsdd", "giay_chung_nhan_dkdn"):
            code = specs.build_spec(random.Random(seed), doc_type).fields.get("procedure_code")
            if code:
                assert code[:8] in content.PROCEDURE_CODES[doc_type]


@pytest.mark.parametrize("doc_type", ["giay_khai_sinh", "trich_luc_khai_sinh", "giay_chung_nhan_qsdd",
                                      "giay_chung_nhan_hkd"])
def test_national_forms_print_their_truth_on_security_paper(doc_type):
    doc = make_document(random.Random(2), doc_type, "national_form+dpi200")
    text = "\n".join(doc.truth["page_texts"])
    spaceless = re.sub(r"\s", "", text)
    for field, value in doc.truth["fields"].items():
        if field in ("document_number", "holder_id", "land_serial", "business_code", "register_book"):
            assert re.sub(r"\s", "", value) in spaceless, (field, value)
        elif field == "holder_name":
            assert value.upper() in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text.splitlines()[:5]
    # The paper's pale pattern is printed where no text is: pixels neither white nor ink.
    darkest = np.asarray(doc.pages[0].convert("RGB")).min(axis=2)
    assert ((darkest > 150) & (darkest < 245)).mean() > 0.005


def test_land_title_has_the_four_pages_of_the_form():
    doc = make_document(random.Random(2), "giay_chung_nhan_qsdd", "national_form+dpi200")
    pages = doc.truth["page_texts"]
    assert len(pages) == 4
    assert pages[1].splitlines()[0].startswith("II. Thửa đất") and "Số vào sổ cấp GCN:" in pages[1]
    assert "Số hiệu điểm\nX (m)\nY (m)\n1\n" in pages[2]  # the table row by row, each cell whole
    assert pages[3].startswith("IV. Những thay đổi sau khi cấp Giấy chứng nhận")
    assert "issue_place" in doc.truth["fields"]


def test_birth_certificate_form_prints_no_place_and_date_line():
    doc = make_document(random.Random(2), "giay_khai_sinh", "national_form+dpi200")
    assert "issue_place" not in doc.truth["fields"]
    assert "NGƯỜI KÝ GIẤY KHAI SINH" in doc.truth["page_texts"][0]


def test_number_words():
    from samples.national_forms import date_in_words, number_words

    assert number_words(2020) == "hai nghìn không trăm hai mươi"
    assert number_words(1995) == "một nghìn chín trăm chín mươi lăm"
    assert number_words(21) == "hai mươi mốt" and number_words(15) == "mười lăm" and number_words(105) == "một trăm lẻ năm"
    assert date_in_words(date(2024, 4, 5)) == "Ngày năm, tháng tư, năm hai nghìn không trăm hai mươi bốn"
