"""Place names after a unit word, spelt as the gazetteer spells them.

Tesseract misreads the marks of place names (`thị xã Bim Sơn`, `TỈNH ĐÁK LẮK`, `phường Cô Nhuệ 2`,
`tỉnh Cao Băng`) and the syllable model cannot help (ocr/tone_marks.py): names are where it knows
least. After a unit word (`tỉnh`, `thành phố`, `huyện`, `quận`, `thị xã`, `thị trấn`, `xã`,
`phường`), the capitalised words that follow (a number too: `Cổ Nhuế 2`) are looked up in the
gazetteer of every unit's name (extract/data/places.txt) by their letters without marks; when
exactly one place has those letters, with other marks than read, the words take that place's
marks. Where two places share the letters (`Xuân Đỉnh`, `Xuân Định`) nothing is guessed, nor
for one word that some place spells as read: it may begin a name the next line ends (`tỉnh Vĩnh`
/ `Phúc` is not the city of Vinh).
"""

from __future__ import annotations

from pathlib import Path

from ocr.gazetteer import by_letters, place_names, place_syllables, spelt
from ocr.tone_marks import spelt_alike
from ocr.types import Line, Word
from ocr.vntext import fold

STAGE = "place_names"  # named in the page's stages when a name was respelt
UNIT_WORDS = frozenset(("tỉnh", "huyện", "quận", "xã", "phường"))
UNIT_PAIRS = frozenset(("thành phố", "thị xã", "thị trấn"))
# A place name runs at most this many words (`Buôn Ma Thuột`, `Cổ Nhuế 2`).
NAME_WORDS = 4
_EDGE = "\"'“”‘’()[].,;:!?…"


def restore_place_names(lines: list[Line], gazetteer: Path) -> tuple[list[Line], int]:
    """The lines with place names after a unit word respelt from `gazetteer` (a list of names,
    ocr/gazetteer.py); also how many words changed."""
    fixed, changed = [], 0
    for line in lines:
        words = list(line.words)
        count = sum(_respell_after(words, i, gazetteer) for i in range(len(words)))
        fixed.append(Line.from_words(words, line.block).model_copy(update={"stamp": line.stamp}) if count else line)
        changed += count
    return fixed, changed


def _respell_after(words: list[Word], i: int, gazetteer: Path) -> int:
    """Respell the name after a unit word ending at `words[i]`, in place; how many words changed."""
    unit = words[i].text.lower()
    pair = f"{words[i - 1].text.lower()} {unit}" if i > 0 else ""
    if unit not in UNIT_WORDS and pair not in UNIT_PAIRS:
        return 0
    cores = []
    for word in words[i + 1 : i + 1 + NAME_WORDS]:
        core = word.text.strip(_EDGE)
        if not core or not (core[0].isupper() or core.isdigit()):
            break
        cores.append(core)
        if word.text != word.text.rstrip(_EDGE):
            break  # `tỉnh Cao Băng, Sở ...`: the name ends at the comma
    for length in range(len(cores), 0, -1):
        read = spelt(" ".join(cores[:length]).title())
        if read in place_names(gazetteer):
            return 0  # spelt as a place is: the longest name read stands
        name = by_letters(gazetteer).get(fold(read))
        if name is None:
            continue
        if length == 1 and read.lower() in place_syllables(gazetteer):
            return 0  # `tỉnh Vĩnh` at a line's end is `Vĩnh Phúc` begun, not the city of Vinh
        changed = 0
        for k, (core, syllable) in enumerate(zip(cores, name.split())):
            if spelt_alike(core.lower(), syllable.lower()):
                continue
            word = words[i + 1 + k]
            fixed = syllable.upper() if core.isupper() and len(core) > 1 else syllable
            words[i + 1 + k] = word.model_copy(update={"text": word.text.replace(core, fixed, 1)})
            changed += 1
        return changed
    return 0
