import datetime as dt
import unicodedata

from extract import ExtractSettings, FieldValue, extract_document
from extract.record import misread_word
from ocr.types import Line, PageResult, Word
from test_extract_fixtures import decree30_page

TODAY = dt.date(2025, 11, 1)
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def decision(number: str = "Số: 1204/QĐ-UBND", date_line: str = "Vĩnh Phúc, ngày 29 tháng 6 năm 2022",
             title: str = "QUYẾT ĐỊNH", name: str | tuple[str, float] = "Vũ Chí Giang") -> PageResult:
    return decree30_page(
        left_header=["ỦY BAN NHÂN DÂN", "TỈNH VĨNH PHÚC", number],
        right_header=[*MOTTO, date_line],
        centre=[title, "Phê duyệt Đề án số hóa kết quả giải quyết", "thủ tục hành chính", "ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC"],
        body=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
              "Điều 1. Phê duyệt Đề án số hóa kết quả giải quyết thủ tục hành chính."],
        recipients=["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, NC."],
        signature=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", name],
    )


def test_clean_decision_needs_no_review() -> None:
    result = extract_document([decision()], today=TODAY)
    assert result.document_type == "quyet_dinh"
    assert {name: f.value for name, f in result.fields.items()} == {
        "document_number": "1204/QĐ-UBND",
        "issue_date": "2022-06-29",
        "issue_place": "Vĩnh Phúc",
        "issuer": "Ủy ban nhân dân tỉnh Vĩnh Phúc",
        "summary": "Phê duyệt Đề án số hóa kết quả giải quyết thủ tục hành chính",
        "signer": "Vũ Chí Giang",
        "signer_title": "Phó Chủ tịch",
    }
    # Each field's words read at 0.95; the place is also the issuer's, and the deputy's title the
    # one `KT. CHỦ TỊCH` names: two readings agree.
    assert {name: f.confidence for name, f in result.fields.items() if f.confidence != 0.95} == {
        "issue_place": 0.997, "signer_title": 0.997}
    assert result.review_reasons == []


def test_nfd_input_comes_out_nfc() -> None:
    page = decision()
    nfd = page.model_copy(update={"lines": [
        line.model_copy(update={"text": unicodedata.normalize("NFD", line.text), "words": [
            w.model_copy(update={"text": unicodedata.normalize("NFD", w.text)}) for w in line.words]})
        for line in page.lines]})
    result = extract_document([nfd], today=TODAY)
    assert result.fields["issuer"].value == "Ủy ban nhân dân tỉnh Vĩnh Phúc"
    assert all(unicodedata.is_normalized("NFC", f.value) for f in result.fields.values())
    assert result.review_reasons == []


def test_ocr_noise_in_number_and_date() -> None:
    result = extract_document(
        [decision(number="Số:1204/QĐ- UBND", date_line="Vĩnh Phúc, ngày 5 tháng 01 nãm 2020")], today=TODAY
    )
    assert result.fields["document_number"].value == "1204/QĐ-UBND"
    assert result.fields["issue_date"].value == "2020-01-05"


def test_future_date_is_withheld_as_a_suggestion_and_reviewed() -> None:
    result = extract_document([decision(date_line="Vĩnh Phúc, ngày 29 tháng 6 năm 2030")], today=TODAY)
    assert "issue_date" not in result.fields  # a consumer never gets a value that failed its check
    assert result.suggestions["issue_date"].value == "2030-06-29"
    assert result.suggestions["issue_date"].confidence == 0.475
    assert result.review_reasons == ["invalid: issue_date (in the future)"]


def test_unknown_title() -> None:
    result = extract_document([decision(title="BẢN GHI NHỚ", number="Số: 12/UBND-VP")], today=TODAY)
    assert result.document_type == "other"
    assert "unknown document type" in result.review_reasons


def test_other_decree_30_types_are_typed_by_title_with_their_subject() -> None:
    result = extract_document([decision(title="TỜ TRÌNH", number="Số: 12/TTr-UBND")], today=TODAY)
    assert result.document_type == "to_trinh"
    assert result.review_reasons == []
    assert result.fields["summary"].value


def test_title_and_number_disagree() -> None:
    result = extract_document([decision(number="Số: 12/TB-UBND")], today=TODAY)
    assert result.document_type == "quyet_dinh"
    assert result.review_reasons == ["document type conflict: title says quyet_dinh, number says thong_bao"]


def test_missing_date_and_low_confidence_signer() -> None:
    result = extract_document([decision(date_line="Vĩnh Phúc", name=("Vũ Chí Giang", 0.5))], today=TODAY)
    assert result.review_reasons == ["missing: issue_date", "low confidence: signer (0.50)"]


def test_letter_with_subject_in_the_header() -> None:
    page = decree30_page(
        left_header=["UBND TỈNH VĨNH PHÚC", "SỞ TƯ PHÁP", "Số: 12/STP-HCTP", "V/v hướng dẫn số hóa sổ hộ tịch"],
        right_header=[*MOTTO, "Vĩnh Phúc, ngày 05 tháng 01 năm 2024"],
        body=["Kính gửi: Ủy ban nhân dân các huyện, thành phố trên địa bàn tỉnh Vĩnh Phúc.",
              "Thực hiện Kế hoạch số 15/KH-UBND ngày 10 tháng 01 năm 2023 của Ủy ban nhân dân tỉnh."],
        recipients=["Nơi nhận:", "- Như trên;"],
        signature=["GIÁM ĐỐC", "Lê Thị Hà"],
    )
    result = extract_document([page], today=TODAY)
    assert result.document_type == "cong_van"
    assert result.fields["summary"].value == "hướng dẫn số hóa sổ hộ tịch"
    assert result.fields["issuer"].value == "Sở Tư pháp tỉnh Vĩnh Phúc"
    assert result.fields["signer_title"].value == "Giám đốc"
    assert result.review_reasons == []


def test_certificate_requires_the_holder() -> None:
    page = decree30_page(
        left_header=["UBND HUYỆN TAM DƯƠNG", "UBND XÃ HOÀNG ĐAN", "Số: 143/TLKS-BS"],
        right_header=[*MOTTO, "Hoàng Đan, ngày 10 tháng 3 năm 2021"],
        centre=["TRÍCH LỤC KHAI SINH", "(Bản sao)"],
        body=["Số định danh cá nhân: 099090001234"],
        signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Bình"],
    )
    result = extract_document([page], today=TODAY)
    assert result.document_type == "trich_luc_khai_sinh"
    assert "summary" not in result.fields
    assert result.review_reasons == [
        "missing: holder_name",
        "invalid: holder_id (province code 099 unknown)",
    ]


def test_two_page_document_signs_on_the_last_page() -> None:
    first = decision().model_copy(update={"lines": [
        line for line in decision().lines if line.block in (0, 1, 2, 3)]})
    last = decree30_page(number=2, body=["Điều 3. Quyết định này có hiệu lực kể từ ngày ký./."],
                         signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Mai"])
    result = extract_document([first, last], today=TODAY)
    assert result.fields["signer"].value == "Trần Thị Mai"


def test_settings_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("SOHOA_REVIEW_THRESHOLD", "0.96")
    monkeypatch.setenv("SOHOA_TYPE_FIELDS", '{"quyet_dinh": ["holder_id"]}')
    settings = ExtractSettings()
    result = extract_document([decision()], settings, today=TODAY)
    assert "missing: holder_id" in result.review_reasons
    assert "low confidence: issuer (0.95)" in result.review_reasons


def test_no_pages() -> None:
    result = extract_document([], today=TODAY)
    assert result.document_type == "other"
    assert result.fields == {}
    assert "missing: document_number" in result.review_reasons


def birth_certificate(number: str) -> PageResult:
    return decree30_page(
        left_header=["UBND HUYỆN TAM DƯƠNG", "UBND XÃ KIM LONG", number, "Quyển số: 01/2021"],
        right_header=[*MOTTO, "Kim Long, ngày 15 tháng 3 năm 2021"],
        centre=["GIẤY KHAI SINH", "(Bản chính)"],
        body=["Họ, chữ đệm, tên: NGUYỄN VĂN AN", "Ngày, tháng, năm sinh: 05/03/2021",
              "Giới tính: Nam; Dân tộc: Kinh; Quốc tịch: Việt Nam", "Số định danh cá nhân: 026221001234"],
        signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Vũ Chí Giang"],
    )


def test_civil_status_paper_is_numbered_by_register_entry() -> None:
    result = extract_document([birth_certificate("Số: 125")], today=TODAY)
    assert result.document_type == "giay_khai_sinh"
    values = {name: f.value for name, f in result.fields.items()}
    assert values["document_number"] == "125"
    assert values["register_book"] == "01/2021"
    assert values["holder_id"] == "026221001234"
    assert result.review_reasons == []


def test_a_bare_number_on_a_decision_is_still_invalid() -> None:
    result = extract_document([decision(number="Số: 1204")], today=TODAY)
    assert "invalid: document_number (not <number>/<type>-<issuer>)" in result.review_reasons


def test_a_body_field_failing_its_check_sends_the_record_to_review() -> None:
    page = birth_certificate("Số: 125")
    page = page.model_copy(update={"lines": [
        line.model_copy(update={"text": "Quyển số: 01/20X1", "words": [
            w.model_copy(update={"text": t}) for w, t in zip(line.words, ["Quyển", "số:", "01/20X1"])]})
        if line.text.startswith("Quyển số") else line
        for line in page.lines
    ]})
    result = extract_document([page], today=TODAY)
    assert "register_book" not in result.fields
    assert result.suggestions["register_book"].value == "01/20X1"  # kept as read, for the reviewer
    assert "invalid: register_book (not a register book number)" in result.review_reasons


def test_normalised_values_keep_the_printed_text() -> None:
    result = extract_document([decision(number="Số: 1204 /QĐ- UBND")], today=TODAY)
    number = result.fields["document_number"]
    assert (number.value, number.raw) == ("1204/QĐ-UBND", "1204 /QĐ- UBND")
    assert result.fields["issue_date"].raw == "ngày 29 tháng 6 năm 2022"
    assert result.fields["signer"].raw is None  # nothing normalised


def test_a_field_with_a_word_no_syllable_spells_goes_to_review() -> None:
    """OCR doubled a mark in the issuer (`BỔỎNG`, a place no known name restores): confident,
    wrong, and caught by spelling."""
    page = decree30_page(
        left_header=["ỦY BAN NHÂN DÂN", "XÃ ĐỒNG BỔỎNG", "Số: 441/QĐ-UBND"], right_header=[*MOTTO, "Huế, ngày 20 tháng 02 năm 2025"],
        centre=["QUYẾT ĐỊNH", "Về việc công bố danh mục thủ tục hành chính"],
        body=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"],
        recipients=["Nơi nhận:"], signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Thanh Bình"],
    )
    extraction = extract_document([page], today=dt.date(2025, 3, 1))
    assert any(r.startswith("misread word: issuer (") for r in extraction.review_reasons)
    # Highland place names spell no Kinh syllable but are known places: no reason there.
    assert misread_word("Ủy ban nhân dân tỉnh Đắk Lắk, huyện Krông Pắc") is None
    assert misread_word("thành phố Huêề") == "Huêề"
    # A mark read as `!` glued to a syllable that still spells one (`đô!` for `đối`).
    assert misread_word("về tín dụng đô! với người sau cai nghiện") == "đô!"
    assert misread_word("Về việc hưởng ứng phong trào thi đua!") is None  # a slogan's own

def test_a_registry_line_over_the_header_is_not_the_number() -> None:
    # A document-management system prints its filing entry over a paper whose number is blank.
    page = decision(number="Số:      /TTr-SCT", title="TỜ TRÌNH")
    stamp = Line.from_words([Word(text=t, confidence=0.95, bbox=(0.55 + 0.06 * i, 0.02, 0.6 + 0.06 * i, 0.035))
                             for i, t in enumerate("Số: 2037/SCT-QLTM; 04/08/2025; 14:59:39;".split())], 9)
    result = extract_document([page.model_copy(update={"lines": [stamp, *page.lines]})], today=TODAY)
    assert "2037" not in result.fields.get("document_number", FieldValue(value="", confidence=0)).value
    assert "2037" not in result.suggestions.get("document_number", FieldValue(value="", confidence=0)).value


def test_a_doubtful_day_sends_the_record_to_review() -> None:
    # Small handwriting passes for type: a day `09` read as `03` at 0.74 beside words read at 0.95.
    page = decision(date_line="Hà Nội, ngày 03 tháng 10 năm 2024")
    lines = [line.model_copy(update={"words": [w.model_copy(update={"confidence": 0.74}) if w.text == "03" else w
                                               for w in line.words]}) for line in page.lines]
    result = extract_document([page.model_copy(update={"lines": lines})], today=TODAY)
    assert result.fields["issue_date"].value == "2024-10-03"  # published, but a person checks it
    assert result.review_reasons == ["low confidence: issue_date digits (03 read at 0.74)"]
    assert extract_document([page], today=TODAY).review_reasons == []


def test_the_numbers_type_outranks_a_subject_without_v_v() -> None:
    # The title lost to OCR: `/QĐ-` says decision, though a sentence stands under the number.
    page = decree30_page(left_header=["ỦY BAN NHÂN DÂN", "TỈNH VĨNH PHÚC", "Số: 12/QĐ-UBND", "Về việc giao đất"],
                         right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                       "Vĩnh Phúc, ngày 29 tháng 6 năm 2022"],
                         body=["Căn cứ Luật Đất đai năm 2013;"])
    assert extract_document([page], today=TODAY).document_type == "quyet_dinh"
    letter = decree30_page(left_header=["SỞ TƯ PHÁP", "Số: 687/STP-VB", "Về Chương trình hỗ trợ pháp lý"],
                           right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                         "Vĩnh Phúc, ngày 29 tháng 6 năm 2022"],
                           body=["Kính gửi: Các sở, ban, ngành."])
    assert extract_document([letter], today=TODAY).document_type == "cong_van"
