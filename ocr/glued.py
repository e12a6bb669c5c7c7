"""Split syllables printed apart but stored (or read) without the space between them.

Some Word-to-PDF converters set Vietnamese text glyph by glyph and leave out the space after
a syllable whose last letter carries a mark: the page shows `thủ tục`, `Bộ Tư pháp`, the text
layer says `thủtục`, `BộTư pháp`. Tesseract does the same where print is tight (`bịbãi`). A
Vietnamese word is one syllable, so a token that is no syllable but is exactly two to four
common syllables in a row is cut there, its box shared out by letters. Anything else (names
from abroad, abbreviations, notations, numbers, junk) is left as it is. The other way round,
Tesseract sometimes cuts one syllable before its vowel (`giải quy ết`, `nghi ệp`): a piece
that starts with a vowel, is next to never a word alone, and makes a common syllable with the
word before it is joined to it. And it drops the space between a common word and the number
after it (`và01`, `ngày08/7/2017`, `Số:5915`), or after a comma between two syllables (`Thanh
Hóa,ngày`) or abbreviations (`VT,NC-KSTT.`), or both spaces round the `ngày` of a cited number
(`92/2017/NĐ-CPngày08/7/2017`): those are cut apart. A cited number cut after its notation's
hyphen (`63/2010/NĐ- CP`) is joined.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

from ocr.vntext import fold, is_vietnamese_syllable
from ocr.tone_marks import default_model
from ocr.types import Line, Word

# Occurrences per billion words (ocr/data/vi_syllables.tsv): `than` 64,600, `tục` 490,000; rare
# syllables such as `ne` (2,510) would cut junk and foreign words into plausible-looking pieces.
COMMON = 20_000
MAX_PIECES = 4
_EDGE_PUNCTUATION = "\"'“”‘’()[].,;:!?…*-–_"


# A piece Tesseract split off before a syllable's vowel (`quy ết`, `nghi ệp`) is seen this rarely
# on its own; the whole syllable at least COMMON times.
RARE = 1_000
_VOWELS = set("aăâeêioôơuưy")


def split_glued_syllables(lines: list[Line]) -> list[Line]:
    """The lines with each glued run of syllables cut into its words, and each syllable
    Tesseract cut in two before its vowel (`giải quy ết`) made whole again."""
    return [_join_split_line(_split_line(line)) for line in lines]


def _join_split_line(line: Line) -> Line:
    words: list[Word] = []
    for word in line.words:
        if words and (joined := _joined(words[-1], word)) is not None:
            words[-1] = joined
        else:
            words.append(word)
    return line if len(words) == len(line.words) else Line.from_words(words, line.block)


def _joined(first: Word, second: Word) -> Word | None:
    """`quy` + `ết` → `quyết`: the second piece starts with a vowel, is no word of its own, and
    the two make a common syllable. `63/2010/NĐ-` + `CP` → `63/2010/NĐ-CP`: no number ends in a
    hyphen, and the piece after it is the notation's capitals."""
    head, tail = unicodedata.normalize("NFC", first.text), unicodedata.normalize("NFC", second.text)
    if _NOTATION_HEAD.search(head) and _NOTATION_TAIL.match(tail):
        return first.joined_with(second, head + tail)
    core = tail.rstrip(_EDGE_PUNCTUATION)
    if not (head.isalpha() and core.isalpha() and _one_case(head + core)):
        return None
    if unicodedata.normalize("NFD", core[0].lower())[0] not in _VOWELS:
        return None
    unigrams = default_model().unigrams
    whole = (head + core).lower()
    if unigrams.get(core.lower(), 0) >= RARE or unigrams.get(whole, 0) < COMMON or not is_vietnamese_syllable(whole):
        return None
    return first.joined_with(second, head + tail)


# A number's notation cut after its hyphen on one line (`63/2010/NĐ- CP`, `57/2024/TT- BYT`).
_NOTATION_HEAD = re.compile(r"\d/[A-ZĐ]{1,4}-$")
_NOTATION_TAIL = re.compile(r"^[A-ZĐ]{2,}[A-ZĐ0-9&\-]*[;,.:)]?$")


def _split_line(line: Line) -> Line:
    words: list[Word] = []
    for word in line.words:
        words.extend(_split_word(word))
    return line if len(words) == len(line.words) else Line.from_words(words, line.block)


# A common word read without the space before the number it introduces (`và01`, `ngày08/7/2017`,
# `Số:5915`).
_WORD_THEN_NUMBER = re.compile(r"^([^\W\d_]+:?)(\d[\d/.,]*)$")
# A cited number, `ngày` and its date read as one word, `ngày` garbled (`92/2017/NĐ-CPnsgày08/7/2017`).
_NOTATION_THEN_DATE = re.compile(r"^(\d+/\d{4}/[A-ZĐ][A-ZĐ0-9&\-]*)(n[a-z]{0,2}ày)(\d{1,2}/\d{1,2}/\d{4})$")
# Two syllables read without the space after the comma between them (`Hóa,ngày`), or two
# abbreviations (`Lưu: VT,NC-KSTT.`).
_COMMA_GLUED = re.compile(r"^([^\W\d_]+[,;])([^\W\d_]+)$")
_COMMA_GLUED_CAPITALS = re.compile(r"^([A-ZĐ]{2,}[,;])([A-ZĐ][A-ZĐ0-9&\-]*)$")
# A day or month stamped into the date line's blank so tight that OCR reads it with the labels
# around it as one word (`ngày2/tháng`, `tháng02năm`); matched folded.
_BLANK_GLUED = re.compile(r"^(ngay)(\S{1,4}?)(thang)$|^(thang)(\S{1,4}?)(nam)$")


def _split_word(word: Word) -> list[Word]:
    text = unicodedata.normalize("NFC", word.text)
    core = text.strip(_EDGE_PUNCTUATION)
    if glued := _NOTATION_THEN_DATE.match(core):
        return shared_boxes(word, _pieces(text, core, [glued.group(1), "ngày", glued.group(3)]))
    if (glued := _WORD_THEN_NUMBER.match(core)) and _common_word(glued.group(1).rstrip(":")):
        return shared_boxes(word, _pieces(text, core, list(glued.groups())))
    if (glued := _COMMA_GLUED.match(core)) and all(is_vietnamese_syllable(p.rstrip(",;").lower()) for p in glued.groups()):
        return shared_boxes(word, _pieces(text, core, list(glued.groups())))
    if glued := _COMMA_GLUED_CAPITALS.match(core):
        return shared_boxes(word, _pieces(text, core, list(glued.groups())))
    if glued := _BLANK_GLUED.match(fold(core)):
        cuts = [glued.end(group) for group in range(1, 7) if glued.group(group) is not None][:2]
        return shared_boxes(word, _pieces(text, core, [core[: cuts[0]], core[cuts[0]: cuts[1]], core[cuts[1]:]]))
    # Plain ASCII runs are web addresses, names from abroad (`Hanoi`), abbreviations: the
    # glued syllables met on real pages all carry a mark.
    if len(core) < 3 or not core.isalpha() or core.isascii() or is_vietnamese_syllable(core.lower()):
        return [word]
    pieces = split_syllables(core)
    if pieces is None:
        return [word]
    return shared_boxes(word, _pieces(text, core, pieces))


def _pieces(text: str, core: str, pieces: list[str]) -> list[str]:
    """The pieces of `core` with the punctuation around it in `text` put back on the outer ones."""
    start = text.index(core)
    pieces[0] = text[:start] + pieces[0]
    pieces[-1] = pieces[-1] + text[start + len(core):]
    return pieces


def _common_word(letters: str) -> bool:
    """A common syllable in small letters or capitalised: no unit (`m3`) or code (`QH15`)."""
    lower = letters.lower()
    return letters in (lower, lower.capitalize()) and default_model().unigrams.get(lower, 0) >= COMMON \
        and is_vietnamese_syllable(lower)


@cache
def split_syllables(core: str) -> list[str] | None:
    """`core` cut into the likeliest run of common syllables, or None when there is none."""
    unigrams = default_model().unigrams
    # best[i]: (score, pieces) of the best cut of core[:i]; a cut costs more than any
    # frequency can pay back, so the fewest pieces win and frequency breaks ties.
    best: list[tuple[float, list[str]] | None] = [(0.0, [])] + [None] * len(core)
    for end in range(1, len(core) + 1):
        for begin in range(max(0, end - 7), end):  # no syllable has more than 7 letters
            before = best[begin]
            piece = core[begin:end]
            if before is None or len(before[1]) == MAX_PIECES or not _one_case(piece):
                continue
            count = unigrams.get(piece.lower(), 0)
            if count < COMMON or not is_vietnamese_syllable(piece.lower()):
                continue
            score = before[0] + math.log(count) - 100.0
            if best[end] is None or score > best[end][0]:
                best[end] = (score, [*before[1], piece])
    found = best[-1]
    return found[1] if found is not None and len(found[1]) > 1 else None


def _one_case(piece: str) -> bool:
    """A word is written in lower case, with a capital, or in capitals: `BộTư` is `Bộ Tư`."""
    return piece.islower() or piece.isupper() or piece[0].isupper() and piece[1:].islower()


def shared_boxes(word: Word, pieces: list[str]) -> list[Word]:
    """`word` cut into `pieces`, its box shared out by letters."""
    x0, top, x1, bottom = word.bbox
    width = (x1 - x0) / sum(len(p) for p in pieces)
    words, left = [], x0
    for piece in pieces:
        right = left + width * len(piece)
        words.append(Word(text=piece, confidence=word.confidence, bbox=(left, top, right, bottom)))
        left = right
    return words
