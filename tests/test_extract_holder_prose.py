"""Holders named in a decision's first article; nobody named where only officials are."""

import datetime as dt

from extract import extract_document
from extract.holder import holder
from extract.layout import analyse
from test_extract_fixtures import decree30_page

TODAY = dt.date(2025, 11, 1)
HEADER = {"left_header": ["ỦY BAN NHÂN DÂN", "HUYỆN TAM DƯƠNG", "Số: 215/QĐ-UBND"],
          "right_header": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tam Dương, ngày 12 tháng 5 năm 2023"],
          "centre": ["QUYẾT ĐỊNH"]}
BASES = [
    "Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;",
    "Xét đề nghị của ông Lê Văn Hùng, Trưởng phòng Tài nguyên và Môi trường, sinh năm 1970;",
    "Theo đề nghị của bà Phạm Thị Lan, Chánh Văn phòng tại Tờ trình số 45/TTr-VP;",
    "QUYẾT ĐỊNH:",
]


def _holder(article: list[str]):
    page = decree30_page(**HEADER, body=[*BASES, *article],
                         recipients=["Nơi nhận:", "- Như Điều 3;"], signature=["CHỦ TỊCH", "Trần Văn Bình"])
    return holder(analyse([page]), TODAY)


def test_permit_names_person_birth_number_and_residence() -> None:
    found = _holder([
        "Điều 1. Cho phép ông Nguyễn Văn An, sinh năm 1980, CCCD số 026080001234, thường trú tại",
        "thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc được chuyển mục đích sử dụng 120 m2",
        "đất tại thửa đất số 45, tờ bản đồ số 12, xã Hoàng Đan.",
        "Điều 2. Ông Nguyễn Văn An có trách nhiệm nộp tiền sử dụng đất theo quy định.",
    ])
    assert found.name.value == "Nguyễn Văn An"
    assert found.id.value == "026080001234" and found.id.problem is None
    assert found.address.value == "thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc"
    # weaker than a labelled line: running text
    assert found.name.weak and found.address.weak


def test_name_in_capitals_with_details_in_brackets() -> None:
    found = _holder([
        "Điều 1. Công nhận bà TRẦN THỊ MAI (sinh ngày 05/03/1991, số định danh cá nhân: 026 191 001 234,",
        "nơi thường trú: Số 12, đường Lê Lợi, phường Liên Bảo, thành phố Vĩnh Yên, tỉnh Vĩnh Phúc) là",
        "người sử dụng đất hợp pháp.",
    ])
    assert found.name.value == "Trần Thị Mai"
    assert found.id.value == "026191001234" and found.id.problem is None
    assert found.address.value == "Số 12, đường Lê Lợi, phường Liên Bảo, thành phố Vĩnh Yên, tỉnh Vĩnh Phúc"


def test_personal_number_that_disagrees_with_the_prose_is_flagged() -> None:
    found = _holder(["Điều 1. Cấp giấy phép cho bà Trần Thị Mai, sinh năm 1985, CCCD số 026080001234."]).id
    assert found.value == "026080001234"
    assert found.problem == "personal number says born 1980, the paper says 1985"


def test_company_with_code_and_seat() -> None:
    found = _holder([
        "Điều 1. Cho phép Công ty TNHH Xây dựng Hoàng Long (mã số doanh nghiệp: 2500150335; địa chỉ",
        "trụ sở chính: thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc) được thuê đất.",
    ])
    assert found.name.value == "Công ty TNHH Xây dựng Hoàng Long"
    assert found.id.value == "2500150335" and found.id.problem is None
    assert found.address.value == "thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc"


def test_decision_publishing_procedures_has_no_holder() -> None:
    found = _holder([
        "Điều 1. Công bố kèm theo Quyết định này Danh mục thủ tục hành chính được sửa đổi, bổ sung",
        "trong lĩnh vực đất đai thuộc phạm vi chức năng quản lý của Sở Tài nguyên và Môi trường.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    ])
    assert (found.name, found.id, found.address) == (None, None, None)


def test_officials_given_tasks_are_not_holders() -> None:
    found = _holder([
        "Điều 1. Giao ông Lê Văn Hùng, Trưởng phòng Tài nguyên và Môi trường chủ trì, phối hợp với",
        "bà Phạm Thị Lan, Chánh Văn phòng HĐND và UBND huyện tổ chức thực hiện.",
        "Điều 2. Ông Nguyễn Văn An, sinh năm 1980, CCCD số 026080001234 chịu trách nhiệm thi hành.",
    ])
    assert found.name is None and found.id is None


def test_persons_in_the_bases_are_not_holders() -> None:
    found = _holder(["Điều 1. Phê duyệt Kế hoạch cải cách hành chính năm 2023 của huyện."])
    assert found.name is None


# ---- numbers and dates printed in the body (extract/registrations.py) ----------------------------

def _record(page):
    from extract.record import extract_document
    return extract_document([page], today=TODAY)


def test_certification_statement_gives_entry_number_book_and_day() -> None:
    page = decree30_page(
        left_header=["UBND HUYỆN TAM DƯƠNG", "UBND XÃ HOÀNG ĐAN"],
        right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        centre=["CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH"],
        body=["Chứng thực bản sao này đúng với bản chính.",
              "Số chứng thực 125, Quyển số 01/2023 - SCT/BS",
              "Ngày 05 tháng 3 năm 2023"],
        signature=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Bình"],
    )
    result = _record(page)
    assert result.document_type == "chung_thuc"
    assert result.fields["document_number"].value == "125"
    assert result.fields["register_book"].value == "01/2023-SCT/BS"
    assert result.fields["issue_date"].value == "2023-03-05"
    assert "issue_place" not in result.fields


def test_certification_number_on_a_certified_copy_is_not_the_papers_number() -> None:
    page = decree30_page(
        **HEADER,
        body=["Điều 1. Phê duyệt Kế hoạch cải cách hành chính năm 2023 của huyện.",
              "Số chứng thực 125, Quyển số 01/2023-SCT/BS", "Ngày 05 tháng 3 năm 2024"],
        signature=["CHỦ TỊCH", "Trần Văn Bình"],
    )
    result = _record(page)
    assert result.fields["document_number"].value == "215/QĐ-UBND"
    assert result.fields["issue_date"].value == "2023-05-12"


def test_household_business_form_is_dated_by_its_first_registration() -> None:
    page = decree30_page(
        left_header=["UBND HUYỆN TAM DƯƠNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
        right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        centre=["GIẤY CHỨNG NHẬN", "ĐĂNG KÝ HỘ KINH DOANH"],
        body=["Mã số hộ kinh doanh: 25H8001234",
              "Đăng ký lần đầu, ngày 14 tháng 02 năm 2019",
              "Đăng ký thay đổi lần thứ 1, ngày 03 tháng 6 năm 2020",
              "Đăng ký thay đổi lần thứ 2, ngày 21 tháng 9 năm 2022",
              "Họ và tên: NGUYỄN VĂN AN"],
        signature=["TRƯỞNG PHÒNG", "Lê Thị Hà"],
    )
    fields = _record(page).fields
    assert fields["issue_date"].value == "2019-02-14"
    assert fields["last_change_date"].value == "2022-09-21"
    assert "issue_place" not in fields  # `Đăng ký lần đầu` is no place


def test_co_holders_the_first_is_the_holder_with_their_shared_address() -> None:
    found = _holder([
        "Điều 1. Cho phép ông Nguyễn Văn An và bà Lê Thị Hà, cùng thường trú tại thôn Đông, xã Kim Long,",
        "huyện Tam Dương, tỉnh Vĩnh Phúc được tách thửa đất số 45, tờ bản đồ số 12.",
    ])
    assert found.name.value == "Nguyễn Văn An"
    assert found.address.value == "thôn Đông, xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc"
    assert found.id is None


def test_a_decision_naming_its_holder_without_a_number_goes_to_review() -> None:
    article = ["Điều 1. Cho phép ông Nguyễn Văn An, sinh năm 1980, thường trú tại thôn Đông, xã Kim Long,",
               "huyện Tam Dương, tỉnh Vĩnh Phúc được chuyển mục đích sử dụng 120 m2 đất."]
    page = decree30_page(**HEADER, body=[*BASES, *article],
                         recipients=["Nơi nhận:", "- Như Điều 3;"], signature=["CHỦ TỊCH", "Trần Văn Bình"])
    result = extract_document([page], today=TODAY)
    assert result.fields["holder_name"].value == "Nguyễn Văn An"
    assert "missing: holder_id" in result.review_reasons
    published = extract_document([decree30_page(**HEADER, body=BASES, recipients=["Nơi nhận:", "- Như Điều 3;"],
                                                 signature=["CHỦ TỊCH", "Trần Văn Bình"])], today=TODAY)
    assert "missing: holder_id" not in published.review_reasons  # no holder named, no number asked for
