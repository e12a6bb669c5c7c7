"""Accent folding of Vietnamese text: the one definition every layer uses.

Standard library only, so that `extract/` and `storage/` may import it beside `ocr/` itself
(README, folder table).
"""

from __future__ import annotations

import unicodedata


def _fold_char(char: str) -> str:
    if char in "đĐ":  # a letter of its own, not d with a mark: NFD leaves it whole
        return "d"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """Lower case without tone or vowel marks, đ as d: `Đường Hồ Sơn` → `duong ho son`.

    One character per character of the NFC text, so that a pattern matched on the folded text
    cuts the (NFC) original at the same offsets; a mark NFC cannot attach stays as it is.
    """
    return "".join(_fold_char(char) for char in unicodedata.normalize("NFC", text))
