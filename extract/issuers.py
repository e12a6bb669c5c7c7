"""The issuing body from the top-left header lines, in normal case (docs/fields.md).

`UBND TỈNH VĨNH PHÚC` / `SỞ TƯ PHÁP` → `Sở Tư pháp tỉnh Vĩnh Phúc`: the body is the lower
line (the one that issues: `CÔNG AN TỈNH X` / `PHÒNG CẢNH SÁT GIAO THÔNG`, `SỞ Y TẾ` /
`BỆNH VIỆN ...`, `CỤC THUẾ` / `CHI CỤC THUẾ ...`); when it names no place, the superior line's
place is appended. A body printed on two lines (`ỦY BAN NHÂN DÂN` / `TỈNH VĨNH PHÚC`) is joined.
A place OCR garbled is restored from the gazetteer, with the places the document prints
elsewhere as evidence (extract/places.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from extract.places import PLACE_TYPES, restored_place, without_doubled_letters
from extract.text import capitalize_syllables, capitalize_word, clean
from ocr.vntext import fold

# Abbreviations headers use for bodies and sectors, by accent-folded form (`TN&MT`, `KH&ĐT`).
ABBREVIATIONS = {
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "vp": "Văn phòng",
    "tn&mt": "Tài nguyên và Môi trường",
    "tnmt": "Tài nguyên và Môi trường",
    "kh&dt": "Kế hoạch và Đầu tư",
    "khdt": "Kế hoạch và Đầu tư",
    "tc-kh": "Tài chính - Kế hoạch",
    "tckh": "Tài chính - Kế hoạch",
    "ld-tb&xh": "Lao động - Thương binh và Xã hội",
    "ldtbxh": "Lao động - Thương binh và Xã hội",
    "nn&ptnt": "Nông nghiệp và Phát triển nông thôn",
    "gd&dt": "Giáo dục và Đào tạo",
    "tt&tt": "Thông tin và Truyền thông",
    "vh,tt&dl": "Văn hóa, Thể thao và Du lịch",
    "vhttdl": "Văn hóa, Thể thao và Du lịch",
    "gtvt": "Giao thông vận tải",
    "kt&ht": "Kinh tế và Hạ tầng",
    "kt-ht": "Kinh tế và Hạ tầng",
}


# Common bodies, matched accent-folded and with a small tolerance so that an OCR slip
# still gets the right spelling and case; `Sở Công Thương` is also an exception to the
# generic rule.
KNOWN_BODIES = (
    "Chính phủ",
    "Thủ tướng Chính phủ",
    "Văn phòng Chính phủ",
    "Quốc hội",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Văn phòng Ủy ban nhân dân",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Văn phòng Đăng ký đất đai",
    "Sở Tư pháp",
    "Sở Tài nguyên và Môi trường",
    "Sở Xây dựng",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Công Thương",
    "Sở Giao thông vận tải",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Phòng Tư pháp",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Kinh tế",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Quản lý đô thị",
    "Phòng Nội vụ",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Văn hóa và Thông tin",
    "Công an",
    "Cục Thuế",
    "Chi cục Thuế",
    "Bệnh viện Đa khoa",
    "Trung tâm Y tế",
)
BODY_MATCH_RATIO = 0.85

# Unit types that precede a body's own name (`Sở` + `Giáo dục và Đào tạo`).
UNIT_TYPES = ("chi cuc", "trung tam", "van phong", "benh vien", "cong an", "so", "phong", "cuc", "ban", "doi")
_NOISE = re.compile(r"^[\W_\d]*$")
# `Số:` and what follows it end the body's lines, the number's notation too when it stands
# alone (`/QĐ-UBND` after a handwritten number); folded.
_NUMBER_LINE = re.compile(r"^(?:so\s*[:;.]|/)")
# `/KH-SYT`, `/ QĐ-UBND` in a line, folded: a number's notation, which no body's name holds.
_NOTATION_PIECES = re.compile(r"/\s*[a-z][a-z&]{0,5}\s*-\s*[a-z]")
# Words that fold like a place type but open no place: `xã hội`, `quản lý`, `quân sự`,
# `phương tiện` (`PHÒNG CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI`); folded.
NOT_A_PLACE = {
    "xa": {"hoi"},
    "quan": {"ly", "su", "doi", "khu", "doan", "nhan", "chung"},
    "phuong": {"tien", "an", "thuc", "phap", "huong"},
}


def expand_abbreviations(text: str) -> str:
    """`UBND TỈNH X` → `Ủy ban nhân dân TỈNH X`; matched on folded words for OCR slips."""
    return " ".join(ABBREVIATIONS.get(fold(word).strip("."), word) for word in clean(text).split(" "))


def _starts_with(words: list[str], index: int, phrase: str) -> bool:
    """Folded, and a doubled letter read once (`THÀNH PHÓỎ`: a mark read as a second vowel)."""
    size = len(phrase.split(" "))
    return " ".join(without_doubled_letters(fold(w)) for w in words[index : index + size]) == phrase


def _place_start(words: list[str], first: int = 1) -> int | None:
    """Index of the word that opens a place (`tỉnh Vĩnh Phúc`); `xã hội` is no place.

    The search starts at word 1 by default: a body name comes before its place.
    """
    for index in range(first, len(words)):
        for place_type in PLACE_TYPES:
            size = len(place_type.split(" "))
            rest = words[index + size :]
            if _starts_with(words, index, place_type) and rest:
                if fold(rest[0]) not in NOT_A_PLACE.get(place_type, ()):
                    return index
    return None


def normal_case_place(text: str, evidence: Sequence[str] = ()) -> str:
    """`TỈNH VĨNH PHÚC` → `tỉnh Vĩnh Phúc`: type word lower case, the name capitalised,
    both spelled as known when OCR slipped (`THÀNH PHỔ` → `thành phố`); `evidence`: place
    names the document prints elsewhere."""
    words = clean(text).split(" ")
    for place_type, written in PLACE_TYPES.items():
        size = len(place_type.split(" "))
        if _starts_with(words, 0, place_type) and len(words) > size:
            return f"{written} {restored_place(capitalize_syllables(' '.join(words[size:])), evidence)}"
    return restored_place(capitalize_syllables(text), evidence)


def known_body(text: str) -> str | None:
    key = fold(clean(text))
    # The head word is the kind of body and must be the same word (marks aside): `BỘ TƯ PHÁP`,
    # the ministry, is one letter from `Sở Tư pháp`, the province's department.
    head = key.split(" ")[0]
    scored = [(SequenceMatcher(None, key, fold(name)).ratio(), name) for name in KNOWN_BODIES
              if fold(name).split(" ")[0] == head]
    ratio, name = max(scored, default=(0.0, None))
    return name if ratio >= BODY_MATCH_RATIO else None


def normal_case_body(text: str) -> str:
    """`SỞ GIÁO DỤC VÀ ĐÀO TẠO` → `Sở Giáo dục và Đào tạo`.

    Generic rule: the unit type and each part of the name (parts separated by `và`,
    `-` or a comma) start with a capital.
    """
    known = known_body(text)
    if known:
        return known
    words = clean(text).lower().split(" ")
    size = next((len(u.split(" ")) for u in UNIT_TYPES if _starts_with(words, 0, u)), 1)
    cased = [capitalize_word(words[0]), *words[1:size]]
    part_starts = True
    for word in words[size:]:
        cased.append(capitalize_word(word) if part_starts and word not in ("và", "-") else word)
        part_starts = word in ("và", "-") or word.endswith(",")
    return " ".join(cased)


def normal_case_issuer(text: str, evidence: Sequence[str] = ()) -> str:
    """An upper-case body name with an optional place, in normal case."""
    words = expand_abbreviations(text).split(" ")
    start = _place_start(words)
    if start is None:
        return normal_case_body(" ".join(words))
    body, place = " ".join(words[:start]), " ".join(words[start:])
    return f"{normal_case_body(body)} {normal_case_place(place, evidence)}"


def place_names(texts: Sequence[str]) -> list[str]:
    """The place names these lines print after a place type (`CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
    ĐIỆN BIÊN` → `Điện Biên`): evidence for a header place OCR garbled."""
    names = []
    for text in texts:
        place = _place_of(text)
        if place:
            words = clean(place).split(" ")
            size = next((len(t.split(" ")) for t in PLACE_TYPES if _starts_with(words, 0, t)), 0)
            names.append(capitalize_syllables(" ".join(words[size:])))
    return names


def _place_of(text: str) -> str | None:
    words = expand_abbreviations(text).split(" ")
    start = _place_start(words, first=0)
    return " ".join(words[start:]) if start is not None else None


def _is_place_only(text: str) -> bool:
    return _place_start(clean(text).split(" "), first=0) == 0


def is_number_line(text: str) -> bool:
    """`Số: ...`, or a notation standing alone (`/QĐ-UBND`): the header lines below the body. A
    line holding a notation's pieces (`s:ä 53 /KH-SYT`: the label garbled) is one too."""
    folded = fold(clean(text))
    return bool(_NUMBER_LINE.match(folded) or _NOTATION_PIECES.search(folded))


def issuer_from_header(lines: list[str], evidence: Sequence[str] = ()) -> str | None:
    """The issuing body from the left header lines above `Số:`, normal case.

    `evidence`: place names the document prints elsewhere (its place-and-date line, the
    authority line under the title), which restore a header place OCR garbled.
    """
    number = next((i for i, line in enumerate(lines) if is_number_line(line)), len(lines))
    # `_`: the rule under the parent's line, read into the body's first word (`_PHÒNG`).
    lines = [clean(line.replace("_", " ")) for line in lines[:number] if not _NOISE.match(line)]
    if not lines:
        return None
    if len(lines) >= 2 and _is_place_only(lines[1]):
        # `ỦY BAN NHÂN DÂN` / `TỈNH VĨNH PHÚC`: one body printed on two lines.
        lines = [f"{lines[0]} {lines[1]}", *lines[2:]]
    if len(lines) == 1:
        return normal_case_issuer(lines[0], evidence)
    superior, body = lines[0], " ".join(lines[1:])
    place = _place_of(superior)
    if place and _place_of(body) is None:
        body = f"{body} {place}"
    return normal_case_issuer(body, evidence)
