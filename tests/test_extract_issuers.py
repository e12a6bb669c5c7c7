import pytest

from extract.issuers import issuer_from_header, normal_case_body, normal_case_issuer


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
