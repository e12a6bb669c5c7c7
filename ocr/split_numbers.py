"""Join dates and notations Tesseract cut in two at a digit.

In Times New Roman a `1` stands between wide side bearings, and Tesseract often reads the
gap after it as a space: `29/11/2024` comes out as `29/1 1/2024`, `63/2010/NĐ-CP` as
`63/201 0/NĐ-CP`. Two neighbouring words are joined only when the first already holds a
slash, the cut is beside a `1`, and together they make a valid date or a legal document's
number with a plausible year, which neither half is on its own. The slash after a year cut
so is often lost or read as a Z (`63/201 0NĐ-CP`, `02/201 7Z/TT-VPCP`): it is put back where the
year's last digit is followed by the kind of document. After `số` (number) or the kind of
document a short run of figures before a notation is its head, wherever the cut (`số 25
4/2025/QH15`, `Quyết định 3 77/QĐ-BGDĐT`); a date after `ngày` with one slash lost (`14/52013`)
gets it back where only one place makes a date. Nothing else about a number is changed:
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
    # a line's first word follows the last of the line before (`ngày | 0601/2025`)
    return [_join_line(line, lines[k - 1].words[-1].text if k and lines[k - 1].words else "")
            for k, line in enumerate(lines)]


def _join_line(line: Line, before: str = "") -> Line:
    words: list[Word] = []
    for word in line.words:
        label = words[-1].text if words else before
        if words and (joined := _joined(words[-1].text, word.text)) is not None:
            words[-1] = words[-1].joined_with(word, joined)
        elif len(words) > 1 and (joined := _cited_joined(words[-2].text, words[-1].text, word.text)) is not None:
            words[-1] = words[-1].joined_with(word, joined)
        elif label and (dated := _slash_restored(label, word.text)) is not None:
            words.append(word.model_copy(update={"text": dated}))
        else:
            words.append(word)
    if all(new is old for new, old in zip(words, line.words)) and len(words) == len(line.words):
        return line
    return Line.from_words(words, line.block)


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


# `số` (number), or the kind of document, and the number it introduces: `Nghị quyết số 25
# 4/2025/QH15`, `số 1 07/2021/NĐ-CP`, `Quyết định 3 77/QĐ-BGDĐT`
_NUMBER_LABEL = re.compile(r"^(?:số|Số|SỐ):?$|^(?:định|tư|quyết)$")
# a decision's or letter's number without a year: 377/QĐ-BGDĐT, 12/UBND-KT
_YEARLESS_NOTATION = re.compile(r"^\(?\d{1,5}/[A-ZĐ]{2,}[-–]")


def _cited_joined(label: str, first: str, second: str) -> str | None:
    """A cited number cut anywhere after `số` made whole: nothing is written between `số` and
    the number it introduces, so a short run of figures there followed by a notation is its head."""
    if not (_NUMBER_LABEL.match(label) and first.isdigit() and len(first) <= 3 and second[:1].isdigit()):
        return None
    whole = first + second
    return whole if _valid(whole) and _NOTATION.match(whole) or _YEARLESS_NOTATION.match(whole) else None


_DAY_LABEL = re.compile(r"^(?:ngày|Ngày|NGÀY)$")
_SLASH_SHORT = re.compile(r"^(\d+/\d+)([.,;:)]*)$")
_DAY_BEFORE_YEAR = re.compile(r"^\d{2}/\d{4}$")


def _slash_restored(label: str, token: str) -> str | None:
    """A date after `ngày` read with one slash lost (`14/52013`, `0601/2025`), when exactly one
    place for it makes a valid date."""
    if not _DAY_LABEL.match(label) or not (short := _SLASH_SHORT.match(token)) or _valid(token):
        return None
    digits, tail = short.groups()
    # Two figures before the year (`17/2020`) may be a day whose month was lost (17/7/2020) as
    # well as a day and a month with the slash between them lost (1/7/2020).
    if _DAY_BEFORE_YEAR.match(digits):
        return None
    dates = {digits[:k] + "/" + digits[k:] for k in range(1, len(digits)) if "/" not in digits[k - 1 : k + 1]}
    valid = [date for date in dates if _valid(date)]
    return valid[0] + tail if len(valid) == 1 else None


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
