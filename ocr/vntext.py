"""Accent folding of Vietnamese text: the one definition every layer uses.

Standard library only, so that `extract/` and `storage/` may import it beside `ocr/` itself
(README, folder table).
"""

from __future__ import annotations

import unicodedata


class _FoldTable(dict):
    """str.translate's table, filled in as characters are met (the text layer and OCR use only
    a few hundred): folding is on the hot path of tone-mark restoration and field reading."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "đĐ":  # a letter of its own, not d with a mark: NFD leaves it whole
            folded = "d"
        else:
            base = unicodedata.normalize("NFD", char)[0].lower()
            folded = base if len(base) == 1 else char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case without tone or vowel marks, đ as d: `Đường Hồ Sơn` → `duong ho son`.

    One character per character of the NFC text, so that a pattern matched on the folded text
    cuts the (NFC) original at the same offsets; a mark NFC cannot attach stays as it is.
    """
    return unicodedata.normalize("NFC", text).translate(_FOLD)
