"""Document type from the centred title printed in capitals (CONTRACT.md codes).

Titles are compared accent-folded and with spaces removed, with a small tolerance for
OCR slips, so `QUYÉT ĐINH` and `QUYET DINH` both read as a decision.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from extract.text import in_capitals, letters
from ocr.vntext import fold

# Title (as printed) → code. Longer titles first: `GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH`
# must win over any shorter title it starts with.
TITLES: dict[str, str] = {
    "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH": "giay_chung_nhan_hkd",
    "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP": "giay_chung_nhan_dkdn",
    "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT": "giay_chung_nhan_qsdd",
    "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN": "xac_nhan_tinh_trang_hon_nhan",
    "GIẤY CHỨNG NHẬN KẾT HÔN": "giay_chung_nhan_ket_hon",
    "GIẤY PHÉP XÂY DỰNG": "giay_phep_xay_dung",
    "TRÍCH LỤC KHAI SINH": "trich_luc_khai_sinh",
    "GIẤY KHAI SINH": "giay_khai_sinh",
    "CHỨNG THỰC BẢN SAO": "chung_thuc",
    "QUYẾT ĐỊNH": "quyet_dinh",
    "THÔNG BÁO": "thong_bao",
    "KẾ HOẠCH": "ke_hoach",
    "BÁO CÁO": "bao_cao",
    "ĐỀ ÁN": "de_an",
    # Other Decree 30 types (codes beyond CONTRACT.md's list, like `luat`): typed by their
    # title, their subject read under it, rather than `other`.
    "NGHỊ QUYẾT": "nghi_quyet",
    "NGHỊ ĐỊNH": "nghi_dinh",
    "THÔNG TƯ": "thong_tu",
    "CHỈ THỊ": "chi_thi",
    "HƯỚNG DẪN": "huong_dan",
    "CHƯƠNG TRÌNH": "chuong_trinh",
    "PHƯƠNG ÁN": "phuong_an",
    "BIÊN BẢN": "bien_ban",
    "TỜ TRÌNH": "to_trinh",
    "CÔNG ĐIỆN": "cong_dien",
    "GIẤY MỜI": "giay_moi",
    "LUẬT": "luat",
}
UNKNOWN = "other"
LETTER = "cong_van"
# An appendix filed alone is recognised by its structure (extract/appendix.py), not by a title.
APPENDIX = "phu_luc"
# Beyond CONTRACT.md's codes: gazette pages of a law (`LUẬT`, `Luật số: 54/2014/QH13`).
LAW = "luat"

# Share of characters two folded titles must have in common to be the same title.
MATCH_RATIO = 0.85


def _key(text: str) -> str:
    return "".join(char for char in fold(text) if char.isalnum())


_TITLE_KEYS = [(_key(title), code) for title, code in TITLES.items()]


def classify_title(line: str) -> str | None:
    """The code of a title line, or None when the line is no known title.

    The line may go on after the title (`GIẤY PHÉP XÂY DỰNG (Sử dụng cho nhà ở)`), so
    only its beginning, as long as the title, is compared.
    """
    key = _key(line)
    for title_key, code in _TITLE_KEYS:
        if not _printed_in_capitals(line, len(title_key)):
            continue
        head = key[: len(title_key)]
        if SequenceMatcher(None, head, title_key).ratio() >= MATCH_RATIO:
            return code
    return None


def _printed_in_capitals(line: str, length: int) -> bool:
    return in_capitals("".join(letters(line)[:length]))
