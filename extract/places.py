"""Place names: the canonical form of place-type words and of the names themselves.

OCR often loses or swaps the marks of a place printed in bold capitals (`BÌNH XUYỂN`,
`HỖ SƠN`, `THÀNH PHỔ`). A name is restored from the gazetteer (`ExtractSettings.places_file`)
only when its accent-folded form belongs to exactly one known name: folding merges
distinct names, and where it does, nothing is guessed. A name OCR garbled further (`HÁAI PHONG`)
is restored only to the one known name close to it that the document prints elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from extract.settings import ExtractSettings
from extract.text import EDGE_PUNCTUATION, clean
from ocr.gazetteer import by_letters, place_names, place_syllables
from ocr.vntext import fold, is_vietnamese_syllable

# Place-type words, accent-folded → as written; longer first so `thị xã` wins over `xã`.
PLACE_TYPES = {
    "thanh pho": "thành phố",
    "thi tran": "thị trấn",
    "thi xa": "thị xã",
    "tinh": "tỉnh",
    "huyen": "huyện",
    "quan": "quận",
    "phuong": "phường",
    "xa": "xã",
}


def known_place(name: str) -> str:
    """The gazetteer's spelling of a place name when its folded form is unique there, else the name."""
    return by_letters(ExtractSettings().places_file).get(fold(clean(name)), name)


# A place read with a letter too many (`HÁAI PHONG`, `PHÓỎ`: a mark read as a second vowel) is
# this close to its name, folded; two names of the gazetteer rarely are.
CLOSE_NAME_RATIO = 0.8


def without_doubled_letters(key: str) -> str:
    """`haai phong` → `hai phong`: OCR reads a mark of a capital as a second letter."""
    return "".join(char for i, char in enumerate(key) if i == 0 or char != key[i - 1] or not char.isalpha())


def restored_place(name: str, evidence: Sequence[str] = ()) -> str:
    """`known_place`, and for a name the gazetteer does not hold as read, the one known name close
    to it: first among the places the document prints elsewhere (`evidence`: its place-and-date
    line, `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ...`), then the gazetteer's name without a doubled
    letter. With no such name, or two, the name stays as read (and goes to review as misread).
    A name whose letters several places share is the one of them the document prints elsewhere;
    a name that is no place but the first words of one the document prints is that place.
    """
    path = ExtractSettings().places_file
    known = known_place(name)
    key = fold(clean(name))
    # Marks misread into another real name (`HẢI PHONG`, a commune, for the city `Hải Phòng`):
    # the one name with these letters that the document prints elsewhere wins.
    printed = {clean(place) for place in evidence if fold(clean(place)) == key} & place_names(path)
    if known == name and len(printed) == 1:
        return printed.pop()
    if known != name or clean(name) in place_names(path):
        return known
    close = {
        known_place(place) for place in evidence
        if SequenceMatcher(None, key, fold(clean(place))).ratio() >= CLOSE_NAME_RATIO
    }
    close = {place for place in close if place in place_names(path)}
    if len(close) == 1:
        return close.pop()
    # A name read short, its last words lost under the header's rule (`TỈNH QUẢNG` of `TỈNH
    # QUẢNG NGÃI`): the one known place the document prints elsewhere that it begins.
    begun = {known_place(place) for place in evidence if fold(clean(place)).startswith(key + " ")}
    begun = {place for place in begun if place in place_names(path)}
    if len(begun) == 1:
        return begun.pop()
    return by_letters(path).get(without_doubled_letters(key), name)


def is_known_place(name: str) -> bool:
    """Whether the gazetteer holds `name` (marks as printed, or the only name with its letters)."""
    path = ExtractSettings().places_file
    return clean(name) in place_names(path) or fold(clean(name)) in by_letters(path)


def place_syllable(word: str) -> bool:
    """Whether `word` is a syllable of a known place name: `Đắk`, `Krông`, `Pắc` spell no
    Kinh syllable but are right."""
    return word.lower() in place_syllables(ExtractSettings().places_file)


_EDGE = EDGE_PUNCTUATION
# A place name runs this many words after its type word (`thành phố Buôn Ma Thuột`).
PLACE_NAME_WORDS = 4


def restore_misread_places(text: str, evidence: Sequence[str] = ()) -> str:
    """Running text (a subject) with a place name OCR garbled put right: a word that spells no
    syllable (`thành phố Huêề`: a doubled mark) in the words after a place type makes them the
    one known place `restored_place` finds (`evidence`: places the document prints); any other
    word stays as read."""
    words = text.split(" ")
    for misread, word in enumerate(words):
        core = word.strip(_EDGE)
        if not core.isalpha() or is_vietnamese_syllable(core.lower()) or place_syllable(core):
            continue
        start = next((s for s in range(max(0, misread - PLACE_NAME_WORDS + 1), misread + 1)
                      if _after_place_type(words, s) and not _ends_phrase(words[s:misread])), None)
        if start is None:
            continue
        for end in range(misread, min(len(words), start + PLACE_NAME_WORDS)):
            name = " ".join(words[start:end + 1]).strip(_EDGE)
            restored = restored_place(name, evidence)
            if restored != name:
                tail = words[end][len(words[end].rstrip(_EDGE)):]
                words[start:end + 1] = (restored + tail).split(" ")
                break
            if _ends_phrase([words[end]]):
                break
    return _remarked_places(words, evidence)


def _remarked_places(words: list[str], evidence: Sequence[str]) -> str:
    """The words with a capitalised name after a place type that no known place spells as read,
    but exactly one spells with other marks (`tỉnh Lâm Đông`: `Đồng` read as another syllable), put
    right; the longest such name first, of two words at least (one may be the start of a longer
    name: `xã Krông` of `Krông Pắc`)."""
    for start in range(1, len(words)):
        if not _after_place_type(words, start):
            continue
        for end in range(min(len(words), start + PLACE_NAME_WORDS) - 1, start, -1):
            run = words[start:end + 1]
            if not all(w[:1].isupper() and w[1:].rstrip(_EDGE).islower() for w in run) or _ends_phrase(run[:-1]):
                continue  # capitalised words, as in running text: a name in capitals keeps its case
            name = " ".join(run).strip(_EDGE)
            restored = restored_place(name, evidence)
            if restored.lower() != name.lower() and fold(restored) == fold(name):
                tail = words[end][len(words[end].rstrip(_EDGE)):]
                words[start:end + 1] = (restored + tail).split(" ")
                break
    return " ".join(words)


def _ends_phrase(words: list[str]) -> bool:
    return any(word != word.rstrip(_EDGE) for word in words)


def _after_place_type(words: list[str], start: int) -> bool:
    for place_type in PLACE_TYPES:
        size = len(place_type.split(" "))
        if start >= size and " ".join(fold(w) for w in words[start - size : start]) == place_type:
            return True
    return False
