"""Read text layers typeset in legacy 8-bit Vietnamese fonts (VNI-*, .Vn*/TCVN3).

Documents typed in the 1990s-2000s with VNI or ABC (TCVN3) fonts print correctly, but their PDF
text layer holds font codes read as Latin-1, not Unicode: VNI writes a base letter followed by a
mark character (`Quyeát ñònh`), TCVN3 one 8-bit code per precomposed lower-case letter
(`QuyÕt ®Þnh`). Once the encoding is known the text layer converts exactly, which beats OCR.

The tables are UniKey's VNI Windows and TCVN3 tables (vnconv/data.cpp), cross-checked against
the duydev/vietnamese-conversion charsets and, for TCVN3, glibc's TCVN5712-1 converter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Literal

import pymupdf

from ocr.types import Line, Word
from ocr.vntext import is_vietnamese_syllable, syllable_ratio

LegacyEncoding = Literal["vni", "tcvn3"]
ENCODINGS: tuple[LegacyEncoding, ...] = ("vni", "tcvn3")

# Combining tone marks in the tables' column order: none, sắc, huyền, hỏi, ngã, nặng.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_WORD = re.compile(r"[^\W\d_]+")

# Legacy codes of each lower-case vowel (and đ) in the six tones above.
_VNI_ROWS = {
    "a": "a aù aø aû aõ aï",
    "ă": "aê aé aè aú aü aë",
    "â": "aâ aá aà aå aã aä",
    "e": "e eù eø eû eõ eï",
    "ê": "eâ eá eà eå eã eä",
    "i": "i í ì æ ó ò",
    "o": "o où oø oû oõ oï",
    "ô": "oâ oá oà oå oã oä",
    "ơ": "ô ôù ôø ôû ôõ ôï",
    "u": "u uù uø uû uõ uï",
    "ư": "ö öù öø öû öõ öï",
    "y": "y yù yø yû yõ î",
    "đ": "ñ",
}
_TCVN3_ROWS = {
    "a": "a ¸ µ ¶ · ¹",
    "ă": "¨ ¾ » ¼ ½ Æ",
    "â": "© Ê Ç È É Ë",
    "e": "e Ð Ì Î Ï Ñ",
    "ê": "ª Õ Ò Ó Ô Ö",
    "i": "i Ý × Ø Ü Þ",
    "o": "o ã ß á â ä",
    "ô": "« è å æ ç é",
    "ơ": "¬ í ê ë ì î",
    "u": "u ó ï ñ ò ô",
    "ư": "\xad ø õ ö ÷ ù",  # ư is the soft hyphen, invisible in most editors
    "y": "y ý ú û ü þ",
    "đ": "®",
}
# TCVN3 has codes for these capitals only; a toned capital is typed with the lower-case code in
# an upper-case font (.VnTimeH), which draws every code as a capital.
_TCVN3_CAPITALS = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"}


def _letters(rows: dict[str, str]) -> dict[str, str]:
    """Precomposed Unicode letter -> legacy code, for every row and tone but the ASCII vowels.

    Some letters are their own code (VNI í, ì; TCVN3 ý): they stay, so that the encoder knows them.
    """
    table = {}
    for vowel, codes in rows.items():
        for tone, code in zip(_TONES, codes.split()):
            letter = unicodedata.normalize("NFC", vowel + tone)
            if not letter.isascii():
                table[letter] = code
    return table


def _vni_letters() -> dict[str, str]:
    lower = _letters(_VNI_ROWS)
    # Every VNI capital is the Latin-1 capital of each code character (UniKey: `aù` 0xF961,
    # `AÙ` 0xD941), so upper-casing both sides gives the capitals.
    return lower | {letter.upper(): code.upper() for letter, code in lower.items()}


# Unicode letter -> legacy code: the 134 Vietnamese letters for VNI; the 67 lower-case letters and
# the 7 coded capitals for TCVN3.
UNICODE_TO_LEGACY: dict[LegacyEncoding, dict[str, str]] = {
    "vni": _vni_letters(),
    "tcvn3": _letters(_TCVN3_ROWS) | _TCVN3_CAPITALS,
}
_LEGACY_TO_UNICODE = {
    encoding: {code: letter for letter, code in table.items()}
    for encoding, table in UNICODE_TO_LEGACY.items()
}
# Longest codes first so that VNI `ôù` (ớ) is not read as `ô` (ơ) followed by a stray mark.
_LEGACY_CODE = {
    encoding: re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True)))
    for encoding, table in _LEGACY_TO_UNICODE.items()
}

# --- Transcoding --------------------------------------------------------------------------------

_HYPHEN_TOKEN = re.compile(r"\S*-\S*")
# An ASCII letter or a TCVN3 letter code (0xA1-0xFE, where ® is đ and ¬ is ơ) beside the hyphen.
_LETTER_NEXT_TO_HYPHEN = re.compile(r"[A-Za-z\xa1-\xfe]-|-[A-Za-z\xa1-\xfe]")


def transcode(text: str, encoding: LegacyEncoding, *, uppercase: bool = False) -> str:
    """Legacy codes read as Latin-1 characters -> Unicode NFC; ASCII passes through.

    `uppercase` is for spans in a TCVN3 upper-case font (.VnTimeH), whose lower-case codes are
    drawn as capitals.
    """
    if encoding == "tcvn3":
        text = _HYPHEN_TOKEN.sub(_restore_tcvn3_u_horn, text)
    letters = _LEGACY_TO_UNICODE[encoding]
    unicode = _LEGACY_CODE[encoding].sub(lambda code: letters[code.group()], text)
    return unicodedata.normalize("NFC", unicode.upper() if uppercase else unicode)


def _restore_tcvn3_u_horn(token: re.Match[str]) -> str:
    """TCVN3 ư is 0xAD, which PDF WinAnsi fonts name `hyphen`: MuPDF reads `ng­êi` as `ng-êi`.

    A hyphen touching a letter is taken for ư when that makes every word of the token a valid
    syllable (`ng-êi` -> người, `®-¬ng` -> đương, `-u` -> ưu), and kept otherwise (`Q§-UBND`,
    `ki-l«-mÐt`, `05-01-2020`).
    """
    original = token.group()
    if not _LETTER_NEXT_TO_HYPHEN.search(original):
        return original
    candidate = original.replace("-", "\xad")
    words = _WORD.findall(transcode(candidate, "tcvn3"))
    return candidate if all(map(is_vietnamese_syllable, words)) else original


# --- Fonts and pages ----------------------------------------------------------------------------

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_VNI_FONT = re.compile(r"^VNI[-_ ]", re.IGNORECASE)  # VNI-Times, VNI-Helve, VNI-Times,Bold
_TCVN3_FONT = re.compile(r"^[._]?Vn[A-Z]")  # .VnTime, .VnArialH; producers drop or replace the dot
_UPPERCASE_TCVN3_FONT = re.compile(r"^[._]?Vn[A-Za-z ]*H(?:$|[,-])")  # .VnTimeH, .VnArialH,Bold
# Without a legacy font name a page must read clearly better once transcoded.
_MIN_GAIN_WITHOUT_FONT_NAME = 0.3


def _base_name(font_name: str) -> str:
    return _SUBSET_PREFIX.sub("", font_name)


def font_encoding(font_name: str) -> LegacyEncoding | None:
    """The legacy encoding a font name announces (subset prefix `ABCDEF+` allowed), if any."""
    name = _base_name(font_name)
    if _VNI_FONT.match(name):
        return "vni"
    if _TCVN3_FONT.match(name):
        return "tcvn3"
    return None


def _is_uppercase_font(font_name: str) -> bool:
    return bool(_UPPERCASE_TCVN3_FONT.match(_base_name(font_name)))


def _named_encodings(page: pymupdf.Page) -> set[LegacyEncoding]:
    return {enc for font in page.get_fonts() if (enc := font_encoding(font[3])) is not None}


def detect_encoding(page: pymupdf.Page) -> LegacyEncoding | None:
    """The legacy encoding of the page's text layer, or None for Unicode (or no) text.

    Font names decide when they name one encoding; otherwise (none or both named) the
    transcoding that yields the most valid Vietnamese syllables wins. The transcoded text must
    read better than the raw text, clearly better if no font has a legacy name, so that a
    Unicode text layer is never taken for a legacy one.
    """
    text = page.get_text("text")
    named = _named_encodings(page)
    candidates = sorted(named) if len(named) == 1 else ENCODINGS
    scores = {encoding: syllable_ratio(transcode(text, encoding)) for encoding in candidates}
    best = max(candidates, key=scores.__getitem__)
    gain = scores[best] - syllable_ratio(text)
    if named:
        return best if gain > 0 else None
    return best if gain >= _MIN_GAIN_WITHOUT_FONT_NAME else None


def read_legacy_text_layer(page: pymupdf.Page, encoding: LegacyEncoding) -> list[Line]:
    """Like `read_text_layer`, with the text of legacy-font spans transcoded to Unicode.

    Spans in other fonts (Arial digits beside VNI-Times text) are kept as they are, unless no
    font on the page has a legacy name: then the page was recognised by its text and every
    span is legacy.
    """
    width, height = page.rect.width, page.rect.height
    every_font_is_legacy = not _named_encodings(page)

    def unicode_text(font: str, text: str) -> str:
        if every_font_is_legacy or font_encoding(font):
            return transcode(text, encoding, uppercase=_is_uppercase_font(font))
        return text

    lines = []
    for block in page.get_text("rawdict", sort=False)["blocks"]:
        for line in block.get("lines", ()):
            words = [_word(chars, unicode_text, width, height) for chars in _split_words(line)]
            if words:
                lines.append(Line.from_words(words, block["number"]))
    return lines


def _split_words(line: dict) -> list[list[tuple[dict, str]]]:
    """The line's characters with their span's font name, cut into words at white space."""
    words: list[list[tuple[dict, str]]] = [[]]
    for span in line["spans"]:
        for char in span["chars"]:
            if char["c"].isspace():
                words.append([])
            else:
                words[-1].append((char, span["font"]))
    return [word for word in words if word]


def _word(
    chars: list[tuple[dict, str]],
    unicode_text: Callable[[str, str], str],
    width: float,
    height: float,
) -> Word:
    """One word from its characters; `unicode_text(font, text)` converts each font's stretch."""
    text = "".join(unicode_text(font, run) for font, run in _font_runs(chars))
    boxes = [char["bbox"] for char, _ in chars]
    return Word(
        text=unicodedata.normalize("NFC", text),
        confidence=1.0,
        bbox=(
            min(b[0] for b in boxes) / width,
            min(b[1] for b in boxes) / height,
            max(b[2] for b in boxes) / width,
            max(b[3] for b in boxes) / height,
        ),
    )


def _font_runs(chars: list[tuple[dict, str]]) -> list[tuple[str, str]]:
    """(font, text) for each stretch of a word set in one font: a capital in .VnTimeH, say."""
    runs: list[tuple[str, str]] = []
    for char, font in chars:
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char["c"])
        else:
            runs.append((font, char["c"]))
    return runs
