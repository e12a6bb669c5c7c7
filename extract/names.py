"""Personal names: shape check and the form of docs/fields.md (each syllable capitalised).

Family names form a small closed set (ocr/family_names.py); OCR often loses or swaps the marks
of a name printed in capitals (`NGUYÊN` for `NGUYỄN`, `ĐĂNG` for `ĐẶNG`), so the first syllable
is restored when it folds to exactly one common family name and is no known family name as read
(`GIÀNG` stays `Giàng`, not `Giang`). A rank printed before the name of an
officer who signs (`Trung tá Nguyễn Văn An`) is not part of the name.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from extract.text import capitalize_syllables
from ocr.family_names import KNOWN_FAMILY_FOLDS, misread_family_name
from ocr.vntext import fold

NAME_SYLLABLES = (2, 5)

# Ranks of the police and the army, accent-folded (`úy` and `uý` fold alike).
RANKS = frozenset(
    f"{grade} {rank}"
    for grade in ("dai", "thuong", "trung", "thieu")
    for rank in ("tuong", "ta", "uy")
) | {"chuan uy"}


_GRADES = frozenset(rank.split(" ")[0] for rank in RANKS)
_RANK_WORDS = frozenset(rank.split(" ")[1] for rank in RANKS)


def without_rank(text: str) -> str:
    """`Trung tá Nguyễn Văn An` → `Nguyễn Văn An`; also a rank OCR garbled under the seal
    (`Thiếu Trong Ngô Thanh Bình`, `Vườn tướng Nguyễn Văn Long`): a grade and a word one letter
    from a rank, or a word of no family name and a rank read right; then a known family name and
    a given name."""
    words = text.split(" ")
    if len(words) > 2 and fold(" ".join(words[:2])).lower() in RANKS:
        return " ".join(words[2:])
    if len(words) > 3 and fold(words[2]) in KNOWN_FAMILY_FOLDS:
        grade, rank = fold(words[0]).lower(), fold(words[1]).lower()
        if rank in _RANK_WORDS and len(grade) > 1 and grade not in KNOWN_FAMILY_FOLDS or (
                grade in _GRADES and any(Levenshtein.distance(rank, word) <= 1 for word in _RANK_WORDS)):
            return " ".join(words[2:])
    return text


def is_name_shape(text: str) -> bool:
    """2-5 alphabetic syllables, each capitalised, nothing else on the line (a rank before them aside)."""
    words = without_rank(text).split(" ")
    low, high = NAME_SYLLABLES
    if not low <= len(words) <= high:
        return False
    return all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def person_name(text: str) -> str:
    """`NGUYÊN VĂN AN` → `Nguyễn Văn An`: capitalised, family name marks restored, a rank dropped."""
    words = capitalize_syllables(without_rank(text)).split(" ")
    words[0] = misread_family_name(words[0]) or words[0]
    return " ".join(words)


def known_family_name(text: str) -> bool:
    """Whether a name starts with a known family name, marks aside (OCR loses them):
    words of a seal's ring (`Tỉnh Điện`) can have the shape of a name but not this."""
    return fold(without_rank(text).split(" ")[0]) in KNOWN_FAMILY_FOLDS
