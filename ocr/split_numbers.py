"""Join dates and notations Tesseract cut in two at a digit.

In Times New Roman a `1` stands between wide side bearings, and Tesseract often reads the
gap after it as a space: `29/11/2024` comes out as `29/1 1/2024`, `63/2010/NĐ-CP` as
`63/201 0/NĐ-CP`. Two neighbouring words are joined only when the first already holds a
slash, the cut is beside a `1`, and together they make a valid date or a legal document's
number with a plausible year, which neither half is on its own. The slash after a year cut
so is often lost or read as a Z (`63/201 0NĐ-CP`, `02/201 7Z/TT-VPCP`): it is put back where the
year's last digit is followed by the kind of document. Nothing else about a number is changed:
validation later decides what to trust.
"""

from __future__ import annotations

import datetime as dt
import re

from ocr.types import Line, Word

FIRST_YEAR, LAST_YEAR = 1945, 2099
_DATE = re.compile(r"^\(?(\d{1,2})/(\d{1,2})/(\d{4})[.,;:)]*$")
# 63/2010/NĐ-CP, 01/2018/TT-VPCP: a number, its year, then the kind of document and its issuer
_NOTATION = re.compile(r"^\(?\d{1,4}/(\d{4})/[A-ZĐ]{2}")
_HALF = re.compile(r"^\(?\d{1,4}/[\d/]*\d$")
# the second half of a cut notation whose slash after the year was lost or read as a Z
_LOST_SLASH = re.compile(r"^(\d)Z?/?(?=[A-ZĐ])")


def join_split_numbers(lines: list[Line]) -> list[Line]:
    """The lines with each date or notation cut in two made whole again."""
    return [_join_line(line) for line in lines]


def _join_line(line: Line) -> Line:
    words: list[Word] = []
    for word in line.words:
        if words and (joined := _joined(words[-1].text, word.text)) is not None:
            words[-1] = _merged(words[-1], word, joined)
        else:
            words.append(word)
    return line if len(words) == len(line.words) else Line.from_words(words, line.block)


def _joined(first: str, second: str) -> str | None:
    """The two words made one, if they are the halves of one cut date or notation."""
    if not (_HALF.match(first) and second[:1].isdigit() and "1" in (first[-1], second[0])):
        return None
    if _valid(second):
        return None
    for whole in (first + second, first + _LOST_SLASH.sub(r"\1/", second, count=1)):
        if _valid(whole) and not _valid(first):
            return whole
    return None


def _valid(token: str) -> bool:
    if match := _DATE.match(token):
        day, month, year = (int(part) for part in match.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            return False
        return FIRST_YEAR <= year <= LAST_YEAR
    if match := _NOTATION.match(token):
        return FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR
    return False


def _merged(first: Word, second: Word, text: str) -> Word:
    (x0, top0, _, bottom0), (_, top1, x1, bottom1) = first.bbox, second.bbox
    return Word(
        text=text,
        confidence=min(first.confidence, second.confidence),
        bbox=(x0, min(top0, top1), x1, max(bottom0, bottom1)),
    )
