"""Accent folding and syllable shape of Vietnamese text: the one definition every layer uses.

Standard library only, so that `extract/` and `storage/` may import it beside `ocr/` itself
(README, folder table).
"""

from __future__ import annotations

import re
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


# --- Vietnamese syllables -----------------------------------------------------------------------

_TONE_MARKS = frozenset("\u0301\u0300\u0309\u0303\u0323")  # sắc, huyền, hỏi, ngã, nặng
_WORD = re.compile(r"[^\W\d_]+")
_SYLLABLE = re.compile(
    r"(?P<onset>ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?P<vowels>[aăâeêioôơuưy]+)"
    r"(?P<coda>ch|ng|nh|[cmnpt])?"
)
_VOWEL_CLUSTERS = frozenset(
    """
    a ă â e ê i o ô ơ u ư y
    ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu uy ua ưa
    iê yê uô ươ oa oă oe oo uâ uê uơ
    iêu yêu uôi ươi ươu oai oay oao oeo uây uya uyê uyu
    """.split()
)
# Clusters that end in a glide (or the a of ia/ua/ưa) close the syllable: no consonant follows.
_OPEN_ONLY = frozenset(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ua ưa "
    "iêu yêu uôi ươi ươu oai oay oao oeo uây uya uyu".split()
)
# ă, â and the diphthongs written iê/yê/uô/ươ never end a syllable (ăn, tiến; but ia, ưa).
_NEEDS_CODA = frozenset("ă â oă uâ iê yê uô ươ uyê oo".split())
_PALATAL_CODAS = frozenset("ch nh".split())  # only after a, ê, i, y: sách, lệnh, tỉnh, huỳnh
_STOP_CODAS = frozenset("c ch p t".split())
_STOP_TONES = frozenset("\u0301\u0323")  # a syllable ending in a stop takes sắc or nặng only
_FRONT_VOWELS = frozenset("ieêy")


def is_vietnamese_syllable(word: str) -> bool:
    """Whether `word` spells one Vietnamese syllable: onset + rhyme with at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_MARKS]
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    match = _SYLLABLE.fullmatch(bare)
    if match is None or len(tones) > 1:
        return False
    onset, vowels, coda = match.group("onset", "vowels", "coda")
    if vowels not in _VOWEL_CLUSTERS:
        return False
    if coda and vowels in _OPEN_ONLY or not coda and vowels in _NEEDS_CODA:
        return False
    if coda in _PALATAL_CODAS and vowels[-1] not in "aêiy":
        return False
    if coda in _STOP_CODAS and not (tones and tones[0] in _STOP_TONES):
        return False
    return _spelling_fits(onset, vowels)


def _spelling_fits(onset: str | None, vowels: str) -> bool:
    """k, gh, ngh go before i, e, ê (k also before y); c never does; g, ng not before e, ê.

    So kê/cơ, ghế/gà, nghe/nga; g before i is fine (gì).
    """
    front = vowels[0] in _FRONT_VOWELS
    if onset in ("k", "gh", "ngh"):
        return front and (onset == "k" or vowels[0] != "y")
    if onset == "c":
        return not front
    if onset in ("g", "ng"):
        return vowels[0] not in "eê"
    return True


def syllable_ratio(text: str) -> float:
    """Share of the words in `text` that are valid Vietnamese syllables (0.0 without words)."""
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    if not words:
        return 0.0
    return sum(map(is_vietnamese_syllable, words)) / len(words)
