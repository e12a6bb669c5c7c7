"""The date of a document cited by its number, where Tesseract misread one figure of it.

Decisions cite their legal bases by number and date, and the same decrees and circulars are cited
in document after document, always with their one date (`Nghị định số 63/2010/NĐ-CP ngày
08/6/2010`). At the size of body text Tesseract reads an 8 as a 6 there now and then, surely
enough (`ngày 06/6/2010`, `ngày 07/6/2017` for 07/8/2017). A date after `ngày` after a number
the table knows (ocr/data/cited_dates.tsv, built by ocr/data/make_citations.py from the
citations of real administrative text) that is that number's date with exactly one figure
other, written the same way (`08/6/2010` or `8/6/2010`, `ngày 08 tháng 6 năm 2010`), is that
date. Two figures other is another date, not a misreading, and stays.

The other way round, a date read right names the number before it: a number the table does not
know, cut or garbled (`02/201 ZTT-VPCP`, `02/2017/TT: -VPCP` in italics), in one word or two before
`ngày`, that is at most two characters from one the table dates so, is that number.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from ocr.types import Line, Word
from ocr.vntext import fold

TABLE = Path(__file__).with_name("data") / "cited_dates.tsv"
_TRAILING = ",;:."
# A number read at most this many characters (inserted, lost or other) from a known one.
MAX_EDITS = 2
# a number as numbers are written: only a misread one may be another's (`02/201ZTT-VPCP`)
_WELL_FORMED = re.compile(r"^\d{1,4}/(?:\d{4}/)?[A-ZĐ][A-ZĐa-z]*(?:-[A-ZĐ0-9][A-ZĐa-z0-9]*)*$")
# `08/6/2010;` as one word; its separators and what follows it are kept as read
_SLASHED = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})([,;:.)]*)$")


@cache
def cited_dates(path: Path = TABLE) -> dict[str, dt.date]:
    table = {}
    for row in path.read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            number, date, _ = row.split("\t")
            table[number] = dt.date.fromisoformat(date)
    return table


def restore_cited_dates(lines: list[Line], table: dict[str, dt.date] | None = None) -> list[Line]:
    """The lines with each misread date of a known cited number, and each misread number of a
    known date, mended (across line ends too)."""
    table = cited_dates() if table is None else table
    words = [(k, i, word) for k, line in enumerate(lines) for i, word in enumerate(line.words)]
    fixes: dict[tuple[int, int], Word | None] = {}  # None: joined into the word before
    for n in range(1, len(words) - 1):
        if fold(words[n][2].text) != "ngay":
            continue
        if (date := table.get(words[n - 1][2].text.rstrip(_TRAILING))) is not None:
            fixes.update(_mended(words[n + 1 : n + 6], date))
        else:
            fixes.update(_renamed(words[max(0, n - 2) : n], words[n + 1][2].text, table))
    if not fixes:
        return lines
    fixed = []
    for k, line in enumerate(lines):
        if not any((k, i) in fixes for i in range(len(line.words))):
            fixed.append(line)
            continue
        kept = [fixes.get((k, i), word) for i, word in enumerate(line.words)]
        fixed.append(Line.from_words([word for word in kept if word is not None], line.block))
    return fixed


def _renamed(before: list[tuple[int, int, Word]], date_text: str, table: dict[str, dt.date]) -> dict[tuple[int, int], Word | None]:
    """The number read before `ngày DATE` as the number the table dates so, if it is at most two
    characters from it: in the word before, or in the two before on one line (a cut number)."""
    slashed = _SLASHED.match(date_text)
    if slashed is None:
        return {}
    day, _, month, year, _ = slashed.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return {}
    numbers = [number for number, cited in table.items() if cited == date]
    if not numbers:
        return {}
    options = [before[-1:]] + ([before] if len(before) == 2 and before[0][0] == before[1][0] else [])
    for read in options:
        text = "".join(word.text for _, _, word in read)
        core = text.rstrip(_TRAILING)
        if core in table or _WELL_FORMED.match(core):
            return {}  # known, or a sibling the table does not know (`03/2017/TT-VPCP` of the same day)
        if not core[:1].isdigit():
            continue
        best = min(numbers, key=lambda number: Levenshtein.distance(core, number))
        if Levenshtein.distance(core, best) <= MAX_EDITS:
            first = read[0][2] if len(read) == 1 else read[0][2].joined_with(read[1][2], "")
            renamed = {read[0][:2]: first.model_copy(update={"text": best + text[len(core):]})}
            return renamed | {entry[:2]: None for entry in read[1:]}
    return {}


def _mended(following: list[tuple[int, int, Word]], date: dt.date) -> dict[tuple[int, int], Word]:
    """The words rewritten, by (line, word), in the date that opens `following`."""
    first = following[0]
    if (slashed := _SLASHED.match(first[2].text)) is not None:
        day, separator, month, year, tail = slashed.groups()
        read, meant = (day, month, year), _written_as((day, month, year), date)
        if meant is None or _figures_other(read, meant) != 1:
            return {}
        return {first[:2]: _with_text(first[2], separator.join(meant) + tail)}
    # `08 tháng 6 năm 2010`: the figures are words of their own
    texts = [word.text for _, _, word in following]
    if len(texts) < 5 or [fold(t) for t in texts[1:4:2]] != ["thang", "nam"]:
        return {}
    year, tail = texts[4][:4], texts[4][4:]
    read = (texts[0], texts[2], year)
    if not all(part.isdigit() for part in read) or tail.strip(_TRAILING) or (meant := _written_as(read, date)) is None:
        return {}
    if _figures_other(read, meant) != 1:
        return {}
    return {following[j][:2]: _with_text(following[j][2], text)
            for j, text in zip((0, 2, 4), (meant[0], meant[1], meant[2] + tail)) if text != texts[j]}


def _written_as(read: tuple[str, str, str], date: dt.date) -> tuple[str, str, str] | None:
    """`date` written with as many figures per part as `read` (`08` or `8`); None if it cannot be."""
    parts = tuple(f"{value:0{len(part)}d}" for value, part in zip((date.day, date.month, date.year), read))
    return parts if all(len(p) == len(r) for p, r in zip(parts, read)) else None


def _figures_other(read: tuple[str, ...], meant: tuple[str, ...]) -> int:
    return sum(a != b for r, m in zip(read, meant) for a, b in zip(r, m))


def _with_text(word: Word, text: str) -> Word:
    return word.model_copy(update={"text": text})
