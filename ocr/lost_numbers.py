"""Read again the short numbers Tesseract dropped or garbled.

In justified print a lone figure between wide gaps (`khoản 4 Điều 8 Luật Đường bộ`), or one
after the label at a line's end (`- Như Điều 3;`), can be read as nothing at all: the line comes
out `khoản 4 Điều Luật`. After a label that always takes a number (`Điều`, `khoản`, `điểm`,
`Chương`, `Mục`) and before a word that is no number, the ink in the gap is cut out and read by
the second recogniser (ocr/digit_reader.py, as for handwritten blanks and empty table cells);
a number read surely there is put in its place. A gap of one space holds no figure and is not
looked at; at a line's end only ink that starts one space after the label counts, so that the
next cell of a table is never taken for it.

A short word with a figure that Tesseract read all but blind (`07` beside a table's rule read
`7T` at 0.21, `01` read `Ơ1`) is read again the same way, and becomes the number the second
recogniser reads surely there.

A number read unsure without any separator is read again too: in a table's narrow columns and
bold total rows Tesseract drops the dot of thousands and the decimal comma, or takes the dot for
a 0 (`29.137` read `290137`, `22,1` read `221`), and the second recogniser reads them. Its
reading is taken only when it is a number as Vietnamese writes them (`47.366`, `34,6`) whose
figures are those Tesseract read, separators put in (or a 0 read for one) and nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from ocr.digit_reader import DigitReader
from ocr.empty_cells import SURE, figures_sure
from ocr.types import Line, Word
from ocr.vntext import fold

STAGE = "lost_numbers"  # named in the page's stages when a number was put back
_LABELS = frozenset(("dieu", "khoan", "diem", "chuong", "muc"))
# A gap narrower than this many line heights is a space: no figure fits in it.
MIN_GAP = 0.9
# At a line's end: the figure starts within this many line heights of the label, and the reading
# is no wider than this many.
END_START = 0.8
MAX_WIDTH = 2.5
# Left out next to each word read, in line heights: a mark's overhang is no figure.
PAD = 0.1
NUMBER = re.compile(r"\d{1,3}[.,;:]?")
# A word of at most SHORT characters with a figure, read below GARBLED, is read again: the
# misreads of counts in table cells (`7T`, `Ơ1`) come below 0.3, and few right readings do.
GARBLED = 0.3
SHORT = 4
# Figures alone, at least three, read below UNGROUPED, are read again for their separators; a year
# is left alone (`2025` is never `2.025` in a document's text).
UNGROUPED = 0.9
_BARE = re.compile(r"\d{3,}")
_YEAR = re.compile(r"(?:19|20)\d{2}")
# Thousands grouped by dots, a decimal comma with one or two figures.
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d{1,3},\d{1,2}")


def read_lost_numbers(image: Image.Image, lines: list[Line], reader: Callable[[], DigitReader]) -> tuple[list[Line], int]:
    """The lines with each label's lost number put back, garbled short numbers read again and
    unsure numbers' lost separators put back; how many words were put back or changed."""
    found = 0
    fixed = []
    for line in lines:
        words = list(line.words)
        for i in range(len(words) - 1, -1, -1):
            following = words[i + 1] if i + 1 < len(words) else None
            if _garbled(words[i]) and (number := _read_word(image, words[i], reader)) and number.text != words[i].text:
                words[i] = number
                found += 1
            elif _ungrouped(words[i]) and (number := _regrouped(image, words[i], reader)):
                words[i] = number
                found += 1
            elif _wants_number(words[i], following) and (number := _read_gap(image, words[i], following, reader)):
                words.insert(i + 1, number)
                found += 1
        changed = len(words) != len(line.words) or any(a is not b for a, b in zip(words, line.words))
        fixed.append(Line.from_words(words, line.block) if changed else line)
    return fixed, found


def _garbled(word: Word) -> bool:
    return word.confidence < GARBLED and len(word.text) <= SHORT and any(c.isdigit() for c in word.text)


def _read_word(image: Image.Image, word: Word, reader: Callable[[], DigitReader]) -> Word | None:
    region = _ink_of(image, word)
    return None if region is None else _figures(region, word.bbox, reader)


def _ungrouped(word: Word) -> bool:
    return word.confidence < UNGROUPED and bool(_BARE.fullmatch(word.text)) and not _YEAR.fullmatch(word.text)


def _regrouped(image: Image.Image, word: Word, reader: Callable[[], DigitReader]) -> Word | None:
    """`word` with the separators the second recogniser reads surely in it (`290137` → `29.137`);
    None when it reads other figures, or no well-formed number."""
    if (region := _ink_of(image, word)) is None:
        return None
    reading = reader().read_ink(region)
    text = unicodedata.normalize("NFKC", reading.text).strip()
    if not _GROUPED.fullmatch(text) or (sure := figures_sure(reading)) is None:
        return None
    if word.text not in (re.sub("[.,]", "", text), re.sub("[.,]", "0", text)):
        return None
    return word.model_copy(update={"text": text, "confidence": sure})


def _ink_of(image: Image.Image, word: Word) -> np.ndarray | None:
    """The grey pixels of `word`'s box; None for a box too small to hold a figure."""
    width, height = image.size
    left, top, right, bottom = (int(word.bbox[0] * width), int(word.bbox[1] * height),
                                int(word.bbox[2] * width), int(word.bbox[3] * height))
    if bottom - top < 4 or right - left < 2:
        return None
    return np.asarray(image.crop((left, top, right, bottom)).convert("L"))


def _wants_number(word: Word, following: Word | None) -> bool:
    return fold(word.text).lower() in _LABELS and (following is None or not following.text[:1].isdigit())


def _read_gap(image: Image.Image, label: Word, following: Word | None, reader: Callable[[], DigitReader]) -> Word | None:
    width, height = image.size
    top, bottom = int(label.bbox[1] * height), int(label.bbox[3] * height)
    tall = bottom - top
    if tall < 4:
        return None
    left = int(label.bbox[2] * width) + int(PAD * tall)
    right = int(following.bbox[0] * width) - int(PAD * tall) if following else min(width, left + int(3 * tall))
    if right - left < MIN_GAP * tall:
        return None
    region = np.asarray(image.crop((left, top, right, bottom)).convert("L"))
    count, _, stats, _ = cv2.connectedComponentsWithStats((region < 128).astype(np.uint8))
    marks = [stats[k] for k in range(1, count) if stats[k, 3] >= tall / 4]
    if not marks:
        return None
    x0, x1 = min(int(s[0]) for s in marks), max(int(s[0] + s[2]) for s in marks)
    if following is None and (x0 > END_START * tall or x1 - x0 > MAX_WIDTH * tall):
        return None
    # the number's full stop, comma or semicolon too, below the figures' height
    x1 = max([x1, *(int(s[0] + s[2]) for s in stats[1:] if x1 <= s[0] <= x1 + tall / 3)])
    box = ((left + x0) / width, top / height, (left + x1) / width, bottom / height)
    return _figures(region[:, x0:x1], box, reader)


def _figures(ink: np.ndarray, box: tuple[float, float, float, float], reader: Callable[[], DigitReader]) -> Word | None:
    """The number the second recogniser reads surely in `ink` (a row of print), as a word with
    the page box `box`; None if it reads anything else."""
    reading = reader().read_ink(ink)
    # its dictionary's punctuation is full width (`3：`)
    text = unicodedata.normalize("NFKC", reading.text).strip()
    if not NUMBER.fullmatch(text) or (sure := figures_sure(reading)) is None:
        return None
    if not text[-1].isdigit() and reading.probabilities[-1] < SURE:
        text = text[:-1]  # a stop or semicolon read unsure (`;` as `：` at 0.51): the figures alone
    return Word(text=text, confidence=sure, bbox=box)
