"""The gazetteer: every Vietnamese province, district-level and commune-level unit's name.

One name a line in extract/data/places.txt (how it is built is said there); SOHOA_PLACES_FILE
names another list. Read here, for the OCR stage that respells place names (ocr/place_names.py),
and by the field reader that restores issuing bodies (extract/places.py). Folding (no marks, no
case) merges distinct names: only a folded form one name has identifies it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ocr.vntext import fold

PLACES_FILE = Path(__file__).resolve().parents[1] / "extract" / "data" / "places.txt"
_SPACES = re.compile(r"\s+")


def spelt(name: str) -> str:
    """A name as the gazetteer writes it: NFC, runs of blanks one space, the ends stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()


def _lines(path: Path) -> list[str]:
    names = (spelt(line) for line in path.read_text(encoding="utf-8").splitlines())
    return [name for name in names if name and not name.startswith("#")]


@lru_cache(maxsize=4)
def place_names(path: Path) -> frozenset[str]:
    return frozenset(_lines(path))


@lru_cache(maxsize=4)
def by_letters(path: Path) -> dict[str, str]:
    """Folded form → the name, for the folded forms only one line of the list has."""
    folded = [(fold(name), name) for name in _lines(path)]
    counts = Counter(key for key, _ in folded)
    return {key: name for key, name in folded if counts[key] == 1}


@lru_cache(maxsize=4)
def place_syllables(path: Path) -> frozenset[str]:
    """Every syllable of those names, lower case (`đắk`, `krông`: no Kinh syllable, but right)."""
    return frozenset(word.lower() for name in by_letters(path).values() for word in name.split())
