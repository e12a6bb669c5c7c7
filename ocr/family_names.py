"""Vietnamese family names: a small closed set, which OCR misreads by their marks (`Nguyên` for
`Nguyễn`, `ĐĂNG` for `ĐẶNG`). Used by the tone-mark stage (a name in the text) and by the fields
(a signer's or holder's name)."""

from __future__ import annotations

from collections import Counter

from ocr.vntext import fold

COMMON_FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Đinh", "Lâm", "Mai", "Trịnh", "Trương", "Cao",
    "Lương", "Hà", "Tạ", "Kiều", "Khổng", "Lưu", "Tô", "Chu", "Quách", "Triệu", "Vương", "Thái",
    "Tăng", "Nông", "Lục", "Hứa", "Tôn", "Diệp", "Phùng", "Nghiêm", "Mạc", "Khúc", "Giang",
    "Doãn", "Đàm", "Đồng", "Tống", "Thân", "Lại", "Trình", "Lã", "La",
)
# Folded key → family name, leaving out keys two names share (`La`/`Lã`): no guessing.
_FOLD_COUNTS = Counter(fold(name) for name in COMMON_FAMILY_NAMES)
_FAMILY_BY_FOLD = {fold(n): n for n in COMMON_FAMILY_NAMES if _FOLD_COUNTS[fold(n)] == 1}
# Rarer family names, and first syllables of the names of the Central Highlands and northern
# peoples (`Y`, `H`, `Ksor`, `Lò`): with the common ones, what a signer's name may start with.
# `Phó` and `Văn` are left out: they open titles and office names (`Phó Chủ tịch`, `Văn phòng`).
OTHER_FAMILY_NAMES = (
    "Âu", "Bạch", "Bế", "Biện", "Cù", "Cầm", "Cấn", "Châu", "Chung", "Công", "Cung", "Danh", "Dư",
    "Đậu", "Điêu", "Đường", "Giáp", "Giàng", "Hàn", "Hầu", "Hoa", "Khuất", "Khương", "Kim", "Kha",
    "Khưu", "Lạc", "Lăng", "Lò", "Lộc", "Lữ", "Lường", "Ma", "Mã", "Mẫn", "Mông", "Mùa", "Ngọ",
    "Ngụy", "Nhữ", "Ninh", "Ôn", "Ông", "Phí", "Phương", "Quan", "Quản", "Quàng", "Sầm",
    "Sùng", "Tào", "Tất", "Thạch", "Thào", "Thiều", "Tiêu", "Tiết", "Trà", "Từ", "Ung",
    "Vi", "Viên", "Vàng", "Y", "H", "Ksor", "Rơ", "Nay", "Siu", "Rah", "Kpă", "Niê", "Mlô", "Byă",
    "Êban", "A", "Bàn", "Lầu", "Tráng", "Chẩu", "Vừ", "Ngân", "Bạc", "Đèo", "Nhâm",
)
_KNOWN = frozenset((*COMMON_FAMILY_NAMES, *OTHER_FAMILY_NAMES))
KNOWN_FAMILY_FOLDS = frozenset(fold(n) for n in _KNOWN)


def misread_family_name(word: str) -> str | None:
    """The common family name `word` spells with other marks (`Nguyên` → `Nguyễn`, `Trân` →
    `Trần`); None when it is a family name as read, or spells none."""
    if word in _KNOWN:
        return None
    return _FAMILY_BY_FOLD.get(fold(word))
