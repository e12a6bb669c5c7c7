import pytest

from extract.doctypes import classify_title


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("QUYẾT ĐỊNH", "quyet_dinh"),
        ("QUYÉT ĐINH", "quyet_dinh"),
        ("QUYET DINH", "quyet_dinh"),
        ("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "giay_chung_nhan_hkd"),
        ("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP", "giay_chung_nhan_dkdn"),
        ("TRÍCH LỤC KHAI SINH", "trich_luc_khai_sinh"),
        ("TRÍCH LỤC KHAI SINH (BẢN SAO)", "trich_luc_khai_sinh"),
        ("GIẤY PHÉP XÂY DỰNG", "giay_phep_xay_dung"),
        ("THÔNG BÁO", "thong_bao"),
        ("THONG BAO", "thong_bao"),
        ("KẾ HOẠCH", "ke_hoach"),
        ("BÁO CÁO", "bao_cao"),
        ("ĐỀ ÁN", "de_an"),
        ("LUẬT", "luat"),
        ("LUẬT HẢI QUAN", "luat"),
        # other Decree 30 types, codes beyond CONTRACT.md's list
        ("CHỈ THỊ", "chi_thi"),
        ("CHI THI", "chi_thi"),
        ("TỜ TRÌNH", "to_trinh"),
        ("BIÊN BẢN HỌP XEM XÉT CỦA LÃNH ĐẠO", "bien_ban"),
        ("NGHỊ QUYẾT", "nghi_quyet"),
        ("NGHỊ ĐỊNH", "nghi_dinh"),
        ("THÔNG TƯ", "thong_tu"),
        ("HƯỚNG DẪN", "huong_dan"),
        ("CÔNG ĐIỆN", "cong_dien"),
    ],
)
def test_known_titles(line: str, code: str) -> None:
    assert classify_title(line) == code


def test_unknown_title_and_body_lines() -> None:
    assert classify_title("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN") is None  # the authority line
    assert classify_title("THỦ TƯỚNG CHÍNH PHỦ") is None
    assert classify_title("Quyết định này có hiệu lực kể từ ngày ký.") is None
    assert classify_title("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") is None
