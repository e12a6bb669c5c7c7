"""Personal names: shape check and the form of docs/fields.md (each syllable capitalised).

Family names form a small closed set; OCR often loses or swaps the marks of a name
printed in capitals (`NGUYÊN` for `NGUYỄN`, `ĐĂNG` for `ĐẶNG`), so the first syllable is
restored when it folds to exactly one common family name.
"""

from __future__ import annotations

from collections import Counter

from extract.text import capitalize_syllables
from ocr.vntext import fold

NAME_SYLLABLES = (2, 5)

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


def is_name_shape(text: str) -> bool:
    """2-5 alphabetic syllables, each capitalised, nothing else on the line."""
    words = text.split(" ")
    low, high = NAME_SYLLABLES
    if not low <= len(words) <= high:
        return False
    return all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def person_name(text: str) -> str:
    """`NGUYÊN VĂN AN` → `Nguyễn Văn An`: capitalised, family name marks restored."""
    words = capitalize_syllables(text).split(" ")
    words[0] = _FAMILY_BY_FOLD.get(fold(words[0]), words[0])
    return " ".join(words)
