"""Read the number of an article or clause that Tesseract dropped after its label.

In justified print a lone figure between wide gaps (`khoản 4 Điều 8 Luật Đường bộ`), or one
after the label at a line's end (`- Như Điều 3;`), can be read as nothing at all: the line comes
out `khoản 4 Điều Luật`. After a label that always takes a number (`Điều`, `khoản`, `điểm`,
`Chương`, `Mục`) and before a word that is no number, the ink in the gap is cut out and read by
the second recogniser (ocr/digit_reader.py, as for handwritten blanks and empty table cells);
a number read surely there is put in its place. A gap of one space holds no figure and is not
looked at; at a line's end only ink that starts one space after the label counts, so that the
next cell of a table is never taken for it.
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


def read_lost_numbers(image: Image.Image, lines: list[Line], reader: Callable[[], DigitReader]) -> tuple[list[Line], int]:
    """The lines with each label's lost number put back, and how many were."""
    found = 0
    fixed = []
    for line in lines:
        words = list(line.words)
        for i in range(len(words) - 1, -1, -1):
            following = words[i + 1] if i + 1 < len(words) else None
            if _wants_number(words[i], following) and (number := _read_gap(image, words[i], following, reader)):
                words.insert(i + 1, number)
                found += 1
        fixed.append(line if len(words) == len(line.words) else Line.from_words(words, line.block))
    return fixed, found


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
    crop = np.pad(region[:, x0:x1], ((tall // 2, tall // 2), (tall, tall)), constant_values=255)
    reading = reader().read(Image.fromarray(crop))
    # its dictionary's punctuation is full width (`3：`)
    text = unicodedata.normalize("NFKC", reading.text).strip()
    if not NUMBER.fullmatch(text) or (sure := figures_sure(reading)) is None:
        return None
    if not text[-1].isdigit() and reading.probabilities[-1] < SURE:
        text = text[:-1]  # a stop or semicolon read unsure (`;` as `：` at 0.51): the figures alone
    box = ((left + x0) / width, top / height, (left + x1) / width, bottom / height)
    return Word(text=text, confidence=sure, bbox=box)
