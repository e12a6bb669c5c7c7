"""Số và ký hiệu: `<number>[/<year>]/<pieces joined by ->`, e.g. `1204/QĐ-UBND`, `01/2023/TT-VPCP`.

The value is taken as printed with whitespace removed (OCR splits `1204 /QĐ- UBND`);
validation only reports whether it has the expected shape, it never rewrites it (only a
mark after the number, `3070./KH-UBND`, is dropped, and a slash lost between the number and a
known type abbreviation, `142QĐ-UBND` at 200 dpi, put back).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extract.text import remove_spaces
from ocr.vntext import fold

# Type abbreviation → document_type code (extract/doctypes.py); None where there is no code for the type.
TYPE_ABBREVIATIONS: dict[str, str | None] = {
    "NQ": "nghi_quyet",
    "QĐ": "quyet_dinh",
    "CT": "chi_thi",
    "QC": None,
    "QyĐ": None,
    "TC": None,
    "TB": "thong_bao",
    "HD": "huong_dan",
    "CTr": "chuong_trinh",
    "KH": "ke_hoach",
    "PA": "phuong_an",
    "ĐA": "de_an",
    "DA": None,
    "BC": "bao_cao",
    "BB": "bien_ban",
    "TTr": "to_trinh",
    "HĐ": None,
    "CĐ": "cong_dien",
    "GUQ": None,
    "GM": "giay_moi",
    "GGT": None,
    "SY": None,
    "TrS": None,
    "SL": None,
    "TT": None,  # Thông tư, as in `01/2023/TT-VPCP`
    "GPXD": "giay_phep_xay_dung",
    "TLKS": "trich_luc_khai_sinh",
    "GCN": None,  # certificates share it; their title tells which
    "XNTTHN": "xac_nhan_tinh_trang_hon_nhan",
}

# Types whose `Số:` is the entry number in a register book (`Số: 125`, `Quyển số: 01/2021`).
ENTRY_NUMBERED = frozenset({"giay_khai_sinh", "giay_chung_nhan_ket_hon", "chung_thuc"})

# Folded abbreviation → abbreviation, leaving out keys two abbreviations share (`HD`/`HĐ`).
_FOLD_COUNTS = Counter(fold(key) for key in TYPE_ABBREVIATIONS)
_BY_FOLD = {fold(key): key for key in TYPE_ABBREVIATIONS if _FOLD_COUNTS[fold(key)] == 1}

# `Số:` as OCR reads it: the ố may come out as o/ô/ó/ổ/6/0 and the colon may be lost.
_LABEL = re.compile(r"^\W{0,2}s\s?[o06]\s*[:;.,]?\s*(?=[0-9])")
_VALUE = re.compile(r"[\w&/.\-]+")
_TOKEN = re.compile(r"\S+")
_JOINERS = ("/", "-")
_PIECE = r"[^\W\d_][\w&]*"
_SHAPE = re.compile(rf"[0-9]+[A-Za-z]?(?:/[0-9]{{4}})?/{_PIECE}(?:-{_PIECE})*")
_NUMBER_AND_PIECES = re.compile(r"[0-9]+[A-Za-z]?(?:/[0-9]{4})?/(?P<pieces>.*)")


@dataclass(frozen=True)
class Notation:
    value: str
    problem: str | None  # why the shape is wrong, None when it validates

    @property
    def type_abbreviation(self) -> str | None:
        """The first piece when it is a known type abbreviation (`QĐ` in `15/QĐ-BNV`)."""
        pieces = self.pieces
        return pieces[0] if pieces and pieces[0] in TYPE_ABBREVIATIONS else None

    @property
    def pieces(self) -> list[str]:
        match = _NUMBER_AND_PIECES.fullmatch(self.value)
        return match.group("pieces").split("-") if match else []

    @property
    def type_hint(self) -> str | None:
        """The document_type that the type abbreviation stands for, if any."""
        abbreviation = self.type_abbreviation
        return TYPE_ABBREVIATIONS[abbreviation] if abbreviation else None


def label_end(text: str) -> int | None:
    """Offset just after a leading `Số:` label followed by a number, or None."""
    match = _LABEL.match(fold(text))
    return match.end() if match else None


# `Số:` followed by no number but by the notation's pieces: the number left blank or written in
# so that OCR made letters of it (`Số: ‡10QĐ-UBND`, `Số:     /GCN-HKD`).
_ILLEGIBLE = re.compile(r"^\W{0,2}s\s?[o06]\s*[:;.,]\s*(?=.*?[^\W\d_]+\s?-\s?[^\W\d_])")


def illegible_start(text: str) -> int | None:
    """Offset of what follows a `Số:` label whose number cannot be read, or None."""
    match = _ILLEGIBLE.match(fold(text))
    return match.end() if match and label_end(text) is None else None


# Abbreviations are capitals with a few plain small letters (`TTr`, `QyĐ`); a small letter with a
# mark is OCR's reading of a digit or a stroke (`P6` read `Pó6`).
_MARKED_SMALL_LETTER = re.compile(r"[^\W\dA-Za-zĐ_]")


def shape_problem(value: str) -> str | None:
    if not _SHAPE.fullmatch(value):
        return "not <number>/<type>-<issuer>"
    if marked := _MARKED_SMALL_LETTER.search(value):
        return f"{marked.group()} in a notation: no abbreviation has it"
    first = value.split("/")[-1].split("-")[0]
    if first in TYPE_ABBREVIATIONS:
        return None
    known = _BY_FOLD.get(fold(first))
    if known:
        return f"type abbreviation {first} is not {known}"
    # OCR doubles a letter now and then (`QĐĐ`); no abbreviation ends in a doubled letter.
    if first[:-1] in TYPE_ABBREVIATIONS and first[-1] == first[-2]:
        return f"type abbreviation {first} looks like {first[:-1]} doubled"
    return None


def value_end(raw: str) -> int:
    """Where the notation at the start of `raw` ends: OCR splits it at a `/` or `-`
    (`1204 /QĐ- UBND`), but a space between two word characters ends it, so that the
    words after it (`... ngày 31/10/2017 hướng dẫn`) are not glued on."""
    end = 0
    for token in _TOKEN.finditer(raw):
        if end and not (raw[:end].endswith(_JOINERS) or token.group().startswith(_JOINERS)):
            break
        end = token.end()
    return end


_MARK_AFTER_NUMBER = re.compile(r"^([0-9]+)[.,]+(?=/)")
# The thin `/` after the number is lost on low-resolution pages: digits run straight into a
# known type abbreviation and its hyphen.
_SLASH_LOST = re.compile(
    r"^([0-9]+)(?=(?:" + "|".join(map(re.escape, sorted(TYPE_ABBREVIATIONS, key=len, reverse=True))) + r")-)")


def parse_notation(raw: str) -> Notation | None:
    """The notation at the start of `raw` (the text after the label), or None without one."""
    match = _VALUE.match(remove_spaces(raw[: value_end(raw)]))
    if not match:
        return None
    # A dot or comma after the number (`3070./KH-UBND`: the clerk's pen, or the signing software
    # stamping the number into a blank) is no part of it.
    value = _SLASH_LOST.sub(r"\1/", _MARK_AFTER_NUMBER.sub(r"\1", match.group().rstrip(".-/")))
    if not value or not value[0].isdigit():
        return None
    return Notation(value, shape_problem(value))


def find_notation(line: str) -> tuple[Notation, int, int] | None:
    """A `Số: ...` line read into its notation and the offsets where the value starts and ends."""
    start = label_end(line)
    if start is None:
        return None
    notation = parse_notation(line[start:])
    return (notation, start, start + value_end(line[start:])) if notation else None
