"""Place names: the canonical form of place-type words and of the names themselves.

OCR often loses or swaps the marks of a place printed in bold capitals (`BÌNH XUYỂN`,
`HỖ SƠN`, `THÀNH PHỔ`). A name is restored from the gazetteer (`ExtractSettings.places_file`)
only when its accent-folded form belongs to exactly one known name: folding merges
distinct names, and where it does, nothing is guessed.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from extract.settings import ExtractSettings
from extract.text import clean
from ocr.vntext import fold

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


@lru_cache(maxsize=4)
def _gazetteer(path: Path) -> dict[str, str]:
    names = [clean(line) for line in path.read_text(encoding="utf-8").splitlines()]
    names = [name for name in names if name and not name.startswith("#")]
    counts = Counter(fold(name) for name in names)
    return {fold(name): name for name in names if counts[fold(name)] == 1}


def known_place(name: str) -> str:
    """The gazetteer's spelling of a place name when its folded form is unique there, else the name."""
    return _gazetteer(ExtractSettings().places_file).get(fold(clean(name)), name)


@lru_cache(maxsize=4)
def _syllables(path: Path) -> frozenset[str]:
    return frozenset(word.lower() for name in _gazetteer(path).values() for word in name.split())


def place_syllable(word: str) -> bool:
    """Whether `word` is a syllable of a known place name: `Đắk`, `Krông`, `Pắc` spell no
    Kinh syllable but are right."""
    return word.lower() in _syllables(ExtractSettings().places_file)
