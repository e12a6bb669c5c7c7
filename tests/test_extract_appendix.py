"""Documents that are not decisions: an appendix filed alone, gazette pages of a law, a letter on a
narrow photo and a letter's last page filed alone. Pages are line-level, modelled on real layouts
(our own text); the real appendix and decision files are read from ../shared/realdocs at test time."""

import datetime as dt
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from extract import ExtractSettings, extract_document
from extract.layout import split_line
from ocr.pipeline import read_document
from ocr.types import Line, PageResult, Signature, Word
from samples.generate import document_bytes, make_document
from test_extract_fixtures import decree30_page
from test_extract_record import MOTTO, decision

TODAY = dt.date(2025, 11, 1)
REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs" / "files"
TABLE = ["STT Tên thủ tục hành chính Thời hạn giải quyết Phí, lệ phí",
         "1 Cấp giấy phép khai thác khoáng sản 30 ngày làm việc 15.000.000 đồng",
         "2 Gia hạn giấy phép khai thác khoáng sản 25 ngày làm việc Không"]


def _values(result) -> dict[str, str]:
    return {name: f.value for name, f in result.fields.items()}


def appendix(reference: list[str], title: str = "Phụ lục II", stamp: list[str] = ()) -> PageResult:
    """An appendix printed on its own: title, the parent's reference, a table; no header, no signature."""
    return decree30_page(right_header=list(stamp),
                         centre=[title, "DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH", *reference], body=TABLE)


def test_an_appendix_filed_alone_carries_its_parents_reference_and_nothing_else():
    page = appendix(["(Kèm theo Quyết định số 1204/QĐ-UBND ngày 29/6/2022", "của Chủ tịch UBND tỉnh Vĩnh Phúc)"])
    result = extract_document([page], today=TODAY)
    assert result.document_type == "phu_luc"
    assert _values(result) == {"parent_document_number": "1204/QĐ-UBND", "parent_issue_date": "2022-06-29"}
    assert result.review_reasons == []


def test_a_blank_parent_number_and_day_give_no_value_and_no_date_from_the_signature():
    # The drafter leaves the number and day blank for the clerk; the clerk's signature stamps
    # its own number at the top (the decision's), and the body's certificate signs the file.
    page = appendix(["(Ban hành kèm theo Quyết định số /QĐ-UBND ngày /02/2025 của Chủ tịch UBND tỉnh)"],
                    title="BIỂU MẪU", stamp=["Số: 311/QĐ-UBND"])
    signed = Signature(kind="digital", organisation="Ủy ban nhân dân tỉnh Đắk Lắk", intact=True,
                       signed_at=datetime(2025, 2, 18, 14, 25, tzinfo=timezone(timedelta(hours=7))))
    result = extract_document([page], today=TODAY, signatures=[signed])
    assert result.document_type == "phu_luc"
    assert result.fields == {}
    assert sorted(result.review_reasons) == ["missing: parent_document_number", "missing: parent_issue_date"]


def test_a_reference_cut_at_its_blanks_and_run_over_two_lines_is_read_whole():
    # Rendered pages come back with the reference in pieces on one row, then its end below.
    words = [Word(text=t, confidence=0.93, bbox=(x, 0.171, x + 0.012 * len(t), 0.187)) for t, x in
             (("(Kèm", 0.20), ("theo", 0.26), ("Thông", 0.31), ("tư", 0.37), ("số", 0.40),
              ("15/2024/TT-BTP", 0.50), ("ngày", 0.70))]
    row = [Line.from_words(words[:5], 2), Line.from_words(words[5:], 2)]
    rest = Line.from_words([Word(text=t, confidence=0.93, bbox=(x, 0.193, x + 0.012 * len(t), 0.209)) for t, x in
                            (("12", 0.25), ("tháng", 0.29), ("3", 0.36), ("năm", 0.38), ("2024", 0.43),
                             ("của", 0.50), ("Bộ", 0.55), ("Tư", 0.59), ("pháp)", 0.63))], 2)
    title = appendix([])
    page = title.model_copy(update={"lines": [title.lines[0], title.lines[1], *row, rest, *title.lines[2:]]})
    result = extract_document([page], today=TODAY)
    assert result.document_type == "phu_luc"
    assert _values(result) == {"parent_document_number": "15/2024/TT-BTP", "parent_issue_date": "2024-03-12"}


def test_a_decision_with_its_appendix_after_the_signature_stays_a_decision():
    pages = [decision(), appendix(["(Kèm theo Quyết định số 1204/QĐ-UBND ngày 29/6/2022)"]).model_copy(
        update={"number": 2})]
    result = extract_document(pages, today=TODAY)
    assert result.document_type == "quyet_dinh"
    assert result.fields["document_number"].value == "1204/QĐ-UBND"
    assert "parent_document_number" not in result.fields


def test_a_form_under_the_motto_is_no_appendix():
    # National forms print `Mẫu ... (Ban hành kèm theo Thông tư ...)` above their own motto and title.
    page = decree30_page(right_header=["Mẫu số 01", "(Ban hành kèm theo Thông tư số 04/2020/TT-BTP)", *MOTTO],
                         centre=["GIẤY KHAI SINH"], body=["Họ, chữ đệm, tên: NGUYỄN VĂN AN"])
    assert extract_document([page], today=TODAY).document_type != "phu_luc"


def gazette(title: list[str]) -> PageResult:
    return decree30_page(left_header=["QUỐC HỘI", "Luật số: 45/2019/QH14"], right_header=MOTTO, centre=title,
                         body=["Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
                               "Quốc hội ban hành Luật Thi đua, khen thưởng.", "Chương I",
                               "Điều 1. Phạm vi điều chỉnh"])


def test_gazette_pages_of_a_law_are_typed_luat_and_give_no_field():
    for title in (["LUẬT", "THI ĐUA, KHEN THƯỞNG"], []):  # the title may be lost; the number line says it too
        result = extract_document([gazette(title)], today=TODAY)
        assert (result.document_type, result.fields, result.review_reasons) == ("luat", {}, [])


def test_a_law_needs_no_core_field_and_other_types_still_do():
    settings = ExtractSettings()
    assert settings.required_fields("luat") == []
    assert settings.required_fields("phu_luc") == ["parent_document_number", "parent_issue_date"]
    assert settings.required_fields("quyet_dinh")[:2] == ["document_number", "issue_date"]


def _placed(text: str, x0: float, y: float, step: float = 0.0135) -> list[Word]:
    """Words of a narrow photo page: big letters, gaps of 0.008."""
    words, x = [], x0
    for token in text.split():
        words.append(Word(text=token, confidence=0.92, bbox=(x, y, x + step * len(token), y + 0.018)))
        x += step * len(token) + 0.008
    return words


def narrow_letter(motto_at: float) -> PageResult:
    """A letter photographed on a 576-pixel page: the issuing body's line runs into the motto with no
    column gap (the motto starting at `motto_at`), and a rule under it reads as `_`."""
    first = _placed("UBND TỈNH QUẢNG NAM", 0.09, 0.05, 0.02)
    first += [Word(text="_", confidence=0.5, bbox=(motto_at - 0.025, 0.046, motto_at - 0.015, 0.07))]
    first += _placed("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto_at, 0.05, 0.0125)
    rows = [first, _placed("SỞ TƯ PHÁP", 0.15, 0.07) + _placed("Độc lập - Tự do - Hạnh phúc", 0.56, 0.07, 0.011),
            _placed("Số: 412 /STP-HCTP", 0.11, 0.093) + _placed("Quảng Nam, ngày 3 tháng 8 năm 2021", 0.53, 0.093, 0.0095),
            _placed("V/v hướng dẫn chứng thực", 0.10, 0.113), _placed("bản sao điện tử", 0.15, 0.132),
            _placed("Kính gửi:", 0.19, 0.165), _placed("- Ủy ban nhân dân các huyện;", 0.29, 0.184, 0.011),
            _placed("Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về chứng thực bản sao điện tử từ bản chính,",
                    0.10, 0.265, 0.0095)]
    return PageResult(number=1, method="ocr", lines=[Line.from_words(words, i) for i, words in enumerate(rows)])


@pytest.mark.parametrize("motto_at", [0.48, 0.42])  # the motto inside its column, or reaching over the centre
def test_a_letter_whose_header_runs_into_the_motto_keeps_its_header_and_subject(motto_at):
    result = extract_document([narrow_letter(motto_at)], today=TODAY)
    assert result.document_type == "cong_van"
    values = _values(result)
    assert values["issuer"] == "Sở Tư pháp tỉnh Quảng Nam"
    assert values["document_number"] == "412/STP-HCTP"
    assert values["summary"] == "hướng dẫn chứng thực bản sao điện tử"


def test_only_the_motto_cuts_a_line_not_the_republic_named_in_a_sentence():
    page = PageResult(number=1, method="ocr", lines=[])
    for text in ("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
                 "QUỐC HỘI NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        line = Line.from_words(_placed(text, 0.1, 0.5, 0.009), 0)
        assert [s.text for s in split_line(line, page)] == [text]


def last_page(recipients: list[str]) -> PageResult:
    return decree30_page(body=["Sở Tư pháp đề nghị các đơn vị khẩn trương triển khai thực hiện./."],
                         recipients=["Nơi nhận:", *recipients, "- Lưu: VT, HCTP."],
                         signature=["GIÁM ĐỐC", "Trần Văn Minh"], number=2)


def test_a_letters_last_page_filed_alone_is_a_letter_and_says_how_it_was_typed():
    result = extract_document([last_page(["- Như trên;", "- UBND tỉnh;"])], today=TODAY)
    assert result.document_type == "cong_van"
    assert result.review_reasons[0].startswith("document type from the recipients list")
    assert _values(result)["signer"] == "Trần Văn Minh"


def test_a_decisions_last_page_is_not_taken_for_a_letter():
    result = extract_document([last_page(["- Như Điều 3;", "- UBND tỉnh;"])], today=TODAY)
    assert result.document_type == "other"


def test_the_real_appendix_filed_alone_is_phu_luc_with_no_field():
    document = read_document((REALDOCS / "DANHMUCTTHCKhoangsannhomIV.pdf").read_bytes())
    result = extract_document(document.pages, today=TODAY, signatures=document.signatures)
    assert result.document_type == "phu_luc"
    assert result.fields == {}  # its parent's number and day are blank


def test_the_real_decision_with_appendices_stays_a_decision():
    document = read_document((REALDOCS / "00.00.H57-441-QD-UBND-2025-PL1_signed.pdf").read_bytes())
    result = extract_document(document.pages, today=TODAY, signatures=document.signatures)
    assert result.document_type == "quyet_dinh"
    assert result.fields["document_number"].value == "441/QĐ-UBND"


@pytest.mark.parametrize("seed", [4, 5])  # the parent's number and day printed (4), left blank (5)
def test_the_generated_appendix_filed_alone_reads_as_its_truth(seed):
    doc = make_document(random.Random(seed), "ke_hoach", "appendix_alone")
    assert (doc.truth["document_type"], len(doc.pages)) == ("phu_luc", 1)
    assert bool(doc.truth["fields"]) == (seed == 4)
    document = read_document(document_bytes(doc, "pdf-text"))
    result = extract_document(document.pages, today=TODAY)
    assert result.document_type == "phu_luc"
    assert _values(result) == doc.truth["fields"]
