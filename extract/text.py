"""Text helpers for Vietnamese: NFC, whitespace and case conversion (accent folding is `ocr.vntext.fold`).

Every string that enters `extract/` passes through `clean` first: OCR engines and PDF
text layers may hand over NFD text, and decomposed marks break every later match.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Look-alikes OCR puts in for Vietnamese letters: the Icelandic eth for the d with stroke.
_GLYPHS = str.maketrans({"Ð": "Đ", "ð": "đ"})
# Tesseract sets a stray apostrophe before some capitals (`'Trung`); Vietnamese words have none.
_STRAY_APOSTROPHE = re.compile(r"(?<!\S)['`](?=\w)")


def clean(text: str) -> str:
    """NFC with runs of whitespace collapsed to one space and the ends stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def repair_ocr_glyphs(text: str) -> str:
    """Undo OCR slips that no Vietnamese text can contain: look-alike letters, stray apostrophes."""
    return _STRAY_APOSTROPHE.sub("", text.translate(_GLYPHS))


def remove_spaces(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFC", text))


# Punctuation that may cling to either end of a word in running text (`(Huế),`, `“Đắk`).
EDGE_PUNCTUATION = "\"'“”‘’()[].,;:!?…-–"


def letters(text: str) -> list[str]:
    return [char for char in text if char.isalpha()]


# Share of capitals in a line printed in capitals, allowing for OCR slips (`PHó`).
CAPITALS_SHARE = 0.8


def upper_ratio(text: str) -> float:
    """Share of letters that are upper case (0 when there are no letters)."""
    found = letters(text)
    if not found:
        return 0.0
    return sum(char.isupper() for char in found) / len(found)


def in_capitals(text: str) -> bool:
    """Printed in capitals, as titles, issuing bodies and signing titles are."""
    return upper_ratio(text) >= CAPITALS_SHARE


def capitalize_word(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def capitalize_syllables(text: str) -> str:
    """`NGUYỄN VĂN AN` → `Nguyễn Văn An`: the form of personal and place names."""
    return " ".join(capitalize_word(word) for word in clean(text).split(" "))
