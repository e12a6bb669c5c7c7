import pytest

from extract.fields import issuer
from extract.layout import analyse

from extract.issuers import issuer_from_header, normal_case_body, normal_case_issuer, place_names
from test_extract_fixtures import decree30_page


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["UBND TỈNH VĨNH PHÚC", "SỞ TƯ PHÁP"], "Sở Tư pháp tỉnh Vĩnh Phúc"),
        (["ỦY BAN NHÂN DÂN", "TỈNH VĨNH PHÚC"], "Ủy ban nhân dân tỉnh Vĩnh Phúc"),
        (["UBND HUYỆN TAM DƯƠNG", "UBND XÃ HOÀNG ĐAN"], "Ủy ban nhân dân xã Hoàng Đan"),
        (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ VĨNH YÊN"], "Ủy ban nhân dân thành phố Vĩnh Yên"),
        (["UBND THÀNH PHỐ PHÚC YÊN", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"], "Phòng Tài chính - Kế hoạch thành phố Phúc Yên"),
        (["UBND HUYỆN SÔNG LÔ", "UBND THỊ TRẤN TAM SƠN"], "Ủy ban nhân dân thị trấn Tam Sơn"),
        (
            ["UBND TỈNH VĨNH PHÚC", "SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"],
            "Sở Văn hóa, Thể thao và Du lịch tỉnh Vĩnh Phúc",
        ),
        (["UBND HUYỆN BÌNH XUYÊN", "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"],
         "Phòng Lao động - Thương binh và Xã hội huyện Bình Xuyên"),
        (["HĐND TỈNH VĨNH PHÚC"], "Hội đồng nhân dân tỉnh Vĩnh Phúc"),
    ],
)
def test_issuer_from_header(lines: list[str], expected: str) -> None:
    assert issuer_from_header(lines) == expected


def test_separator_rules_are_ignored() -> None:
    assert issuer_from_header(["UBND TỈNH VĨNH PHÚC", "SỞ XÂY DỰNG", "———"]) == "Sở Xây dựng tỉnh Vĩnh Phúc"


def test_known_body_survives_a_lost_mark() -> None:
    assert normal_case_body("SỞ TƯ PHAP") == "Sở Tư pháp"


def test_a_ministry_is_not_taken_for_the_department_one_letter_away() -> None:
    assert normal_case_body("BỘ TƯ PHÁP") == "Bộ Tư pháp"
    assert normal_case_body("SƠ TƯ PHÁP") == "Sở Tư pháp"  # the same head word, a mark lost


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Sở Tài nguyên và Môi trường"),
        ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư"),
        ("PHÒNG KINH TẾ VÀ HẠ TẦNG", "Phòng Kinh tế và Hạ tầng"),
        ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Sở Khoa học và Công nghệ"),  # generic rule
        ("CHI CỤC THUẾ KHU VỰC", "Chi cục Thuế khu vực"),  # generic rule
        ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),  # central bodies keep their capitals
        ("CHÍNH PHỦ", "Chính phủ"),
        ("QUỐC HỘI", "Quốc hội"),
    ],
)
def test_normal_case_body(printed: str, expected: str) -> None:
    assert normal_case_body(printed) == expected


def test_issuer_without_place() -> None:
    assert normal_case_issuer("SỞ TƯ PHÁP") == "Sở Tư pháp"


def test_known_body_survives_a_broken_word() -> None:
    assert issuer_from_header(["ỦY BA NÑ NHÂN DÂN", "HUYỆN LẬP THẠCH"]) == "Ủy ban nhân dân huyện Lập Thạch"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["UBND TỈNH VĨNH PHÚC", "SỞ TN&MT"], "Sở Tài nguyên và Môi trường tỉnh Vĩnh Phúc"),
        (["UBND TỈNH VĨNH PHÚC", "SỞ KH&ĐT"], "Sở Kế hoạch và Đầu tư tỉnh Vĩnh Phúc"),
        (["UBND HUYỆN YÊN LẠC", "PHÒNG TC-KH"], "Phòng Tài chính - Kế hoạch huyện Yên Lạc"),
        (["UBND HUYỆN TAM ĐẢO", "PHÒNG LĐ-TB&XH"], "Phòng Lao động - Thương binh và Xã hội huyện Tam Đảo"),
        (["UBND TỈNH VĨNH PHÚC", "SỞ VH,TT&DL"], "Sở Văn hóa, Thể thao và Du lịch tỉnh Vĩnh Phúc"),
    ],
)
def test_sector_abbreviations_are_expanded(lines: list[str], expected: str) -> None:
    assert issuer_from_header(lines) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # The body that issues is the lower line; the parent gives only its place.
        (["CÔNG AN TỈNH LẠNG SƠN", "PHÒNG CẢNH SÁT GIAO THÔNG"], "Phòng Cảnh sát giao thông tỉnh Lạng Sơn"),
        # `QUẢN LÝ`, `XÃ HỘI` fold like place types and open no place.
        (["CÔNG AN TỈNH LẠNG SƠN", "PHÒNG CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"],
         "Phòng Cảnh sát quản lý hành chính về trật tự xã hội tỉnh Lạng Sơn"),
        (["UBND HUYỆN CAO LỘC", "CÔNG AN HUYỆN CAO LỘC"], "Công an huyện Cao Lộc"),
        (["SỞ Y TẾ TỈNH YÊN BÁI", "BỆNH VIỆN ĐA KHOA TỈNH YÊN BÁI"], "Bệnh viện Đa khoa tỉnh Yên Bái"),
        (["SỞ Y TẾ TỈNH YÊN BÁI", "TRUNG TÂM Y TẾ HUYỆN VĂN YÊN"], "Trung tâm Y tế huyện Văn Yên"),
        (["CỤC THUẾ TỈNH YÊN BÁI", "CHI CỤC THUẾ HUYỆN LỤC YÊN"], "Chi cục Thuế huyện Lục Yên"),
        (["UBND THÀNH PHỐ CẦN THƠ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"], "Sở Giáo dục và Đào tạo thành phố Cần Thơ"),
    ],
)
def test_two_line_headers_give_the_lower_body(lines: list[str], expected: str) -> None:
    assert issuer_from_header(lines) == expected


def test_header_lines_end_at_the_number_line_even_without_a_number() -> None:
    # A number left blank for the clerk's hand: `Số:` alone, the notation on its own.
    assert issuer_from_header(["ỦY BAN NHÂN DÂN", "TỈNH SƠN LA", "Số:", "/QĐ-UBND"]) == "Ủy ban nhân dân tỉnh Sơn La"
    assert issuer_from_header(["ỦY BAN NHÂN DÂN", "TỈNH SƠN LA", "Số: ‡1QĐ-UBND"]) == "Ủy ban nhân dân tỉnh Sơn La"


def test_a_place_type_with_a_doubled_mark_is_still_a_place_type() -> None:
    assert issuer_from_header(["ỦY BAN NHÂN DÂN", "THÀNH PHÓỎ CẦN THƠ"]) == "Ủy ban nhân dân thành phố Cần Thơ"


def test_a_garbled_place_is_restored_from_the_documents_own_text() -> None:
    header = ["UỶ BAN NHÂN DÂN", "THÁNH PHO ĐÁ NĂNC"]
    # Not a known name as read, and no known name is sure: left as read (review flags it).
    assert issuer_from_header(header) == "Ủy ban nhân dân thành phố Đá Nănc"
    # The place-and-date line names the one known place close to it.
    assert issuer_from_header(header, ["Đà Nẵng"]) == "Ủy ban nhân dân thành phố Đà Nẵng"
    # Evidence far from the header's place restores nothing.
    assert issuer_from_header(header, ["Hà Nội"]) == "Ủy ban nhân dân thành phố Đá Nănc"


def test_a_mark_read_as_a_second_letter_is_restored_when_one_known_name_fits() -> None:
    assert issuer_from_header(["UỶ BAN NHÂN DÂN", "THÀNH PHỐ ĐÁA NẴNG"]) == "Ủy ban nhân dân thành phố Đà Nẵng"


def test_place_names_of_the_authority_line() -> None:
    assert place_names(["CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SƠN LA", "QUYẾT ĐỊNH"]) == ["Sơn La"]


def test_a_scans_header_on_a_page() -> None:
    # The number handwritten (only `Số:` read), the place garbled in bold capitals; the
    # place-and-date line and the authority line under the title name it.
    page = decree30_page(
        left_header=["ỦY BAN NHÂN DÂN", "THÁNH PHO ĐÁ NĂNC", "Số:"],
        right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                      "Đà Nẵng, ngày tháng 02 năm 2025"],
        centre=["QUYẾT ĐỊNH", "Về việc công bố thủ tục hành chính", "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG"],
        body=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"],
    )
    found = issuer(analyse([page]))
    assert found.value == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert not found.weak  # `Số:` shows where the header's body ends


def test_a_number_line_whose_label_ocr_garbled_ends_the_body() -> None:
    # `Số:` read as `s:ä`: the notation's pieces still mark the number line
    assert issuer_from_header(["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "SỞ Y TẾ", "s:ä 53 /KH-SYT"]) == (
        "Sở Y tế thành phố Hồ Chí Minh")


def _with_lines_added(page, rows):
    """`page` with (text, x0, y0) lines added, as a logo's or a receiving stamp's text."""
    from test_extract_fixtures import _words

    from ocr.types import Line

    extra = [Line.from_words(_words(text, x0, y0, 0.9), 9) for text, x0, y0 in rows]
    return page.model_copy(update={"lines": [*page.lines, *extra]})


def test_logo_and_receiving_stamp_capitals_are_not_the_issuer() -> None:
    # The number line lost to a handwritten number: the left capitals give the body, but not
    # the portal logo's text above the header nor the `ĐẾN` box a receiving office stamped
    # in the left margin beside the title.
    page = decree30_page(
        left_header=["THỦ TƯỚNG CHÍNH PHỦ"],
        right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                      "Hà Nội, ngày 11 tháng 10 năm 2024"],
        centre=["QUYẾT ĐỊNH", "Thi hành kỷ luật đối với một công chức", "THỦ TƯỚNG CHÍNH PHỦ"],
        body=["Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;"],
    )
    page = _with_lines_added(page, [("CHINHPHU.VN", 0.2, 0.02), ("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", 0.02, 0.15)])
    assert issuer(analyse([page])).value == "Thủ tướng Chính phủ"
