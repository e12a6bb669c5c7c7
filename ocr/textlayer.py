"""Read a PDF page's text layer, and the character checks `ocr.triage` judges it with.

Old PDFs typeset in legacy 8-bit Vietnamese fonts (VNI-*, .Vn*/TCVN3) print correctly
but their text layer is garbage; such pages are transcoded or, like scans, OCR'd.
"""

from __future__ import annotations

import re
import unicodedata

import pymupdf

from ocr.stamped import fill_stamped_blanks
from ocr.types import Line, Word

LEGACY_FONT = re.compile(r"(^|[+,])(VNI[-_ ]|\.?Vn[A-Z]|VPS|TCVN)", re.IGNORECASE)
MIN_CHARACTERS = 20
# get_text("dict") copies every image's pixels into its result by default: 0.23 s per call on a
# 300-dpi page image, for text that is not there.
TEXT_ONLY_DICT = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
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


def read_text_layer(page: pymupdf.Page) -> list[Line]:
    """The page's lines with word boxes as page fractions, in the order the PDF stores them.

    Numbers stamped by the signing software are moved into the line whose blank they fill.
    """
    width, height = page.rect.width, page.rect.height
    grouped: dict[tuple[int, int], list[Word]] = {}
    for x0, y0, x1, y1, text, block, line, _ in page.get_text("words", sort=False):
        word = Word(
            text=unicodedata.normalize("NFC", text),
            confidence=1.0,
            bbox=(x0 / width, y0 / height, x1 / width, y1 / height),
        )
        grouped.setdefault((block, line), []).append(word)
    return fill_stamped_blanks([Line.from_words(words, block) for (block, _), words in grouped.items()])
