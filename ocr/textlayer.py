"""Decide whether a born-digital PDF page's text layer can be trusted, and read it.

Old PDFs typeset in legacy 8-bit Vietnamese fonts (VNI-*, .Vn*/TCVN3) print correctly
but their text layer is garbage; such pages, like scans, go to OCR instead.
"""

from __future__ import annotations

import re
import unicodedata

import pymupdf

from ocr.types import Line, Word

LEGACY_FONT = re.compile(r"(^|[+,])(VNI[-_ ]|\.?Vn[A-Z]|VPS|TCVN)", re.IGNORECASE)
MIN_CHARACTERS = 20
# Vietnamese letters, digits, common punctuation: a real Unicode Vietnamese text layer is
# made almost entirely of these; transcoded legacy text is full of other Latin-1 symbols.
_VIETNAMESE_LETTERS = set(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
_ALLOWED = _VIETNAMESE_LETTERS | set("0123456789") | set(" \n\t.,;:!?-–—/()[]\"'“”‘’%&*+=<>_#@…•")


def vietnamese_ratio(text: str) -> float:
    letters = [c for c in unicodedata.normalize("NFC", text).lower() if not c.isspace()]
    if not letters:
        return 0.0
    return sum(c in _ALLOWED for c in letters) / len(letters)


def text_layer_is_usable(page: pymupdf.Page) -> tuple[bool, str]:
    """(usable, why) for this page's text layer."""
    text = page.get_text("text")
    if len(text.strip()) < MIN_CHARACTERS:
        return False, "no text layer"
    fonts = {font[3] for font in page.get_fonts()}
    legacy = sorted(f for f in fonts if LEGACY_FONT.search(f))
    if legacy:
        return False, f"legacy Vietnamese font {legacy[0]}"
    ratio = vietnamese_ratio(text)
    if ratio < 0.97:
        return False, f"text layer does not look like Vietnamese ({ratio:.0%} valid characters)"
    return True, "Unicode text layer"


def read_text_layer(page: pymupdf.Page) -> list[Line]:
    """The page's lines with word boxes as page fractions, in the order the PDF stores them."""
    width, height = page.rect.width, page.rect.height
    grouped: dict[tuple[int, int], list[Word]] = {}
    for x0, y0, x1, y1, text, block, line, _ in page.get_text("words", sort=False):
        word = Word(
            text=unicodedata.normalize("NFC", text),
            confidence=1.0,
            bbox=(x0 / width, y0 / height, x1 / width, y1 / height),
        )
        grouped.setdefault((block, line), []).append(word)
    return [Line.from_words(words, block) for (block, _), words in grouped.items()]
