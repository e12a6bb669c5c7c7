"""Rows of print that Tesseract's page layout analysis lost, found in the image and read again.

A row of letter-sized print that no recognised word covers is plainly there and was not read:
beside a seal and a signature (ocr/signature_block.py), in a narrow table cell (ocr/cell_rows.py).
The rows are found as runs of letter-sized components whose middles stand level (diacritics are
smaller, a signature's strokes and a seal's rim larger), cut into pieces at wide gaps, stacked one
under another on white paper and read in one Tesseract call, each piece as a line of its own; what
comes back is put where its piece stands on the page and kept only where it spells something and
spans its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ocr.types import Line, Word
from ocr.vntext import is_vietnamese_syllable

# Letter-sized components, in heights of the page's typical word: diacritics are smaller, the
# strokes of a signature and the seal's remnants larger.
LETTER_MIN, LETTER_MAX, LETTER_WIDEST = 0.3, 1.3, 1.6
# Pieces of a row further apart than this (in word heights) are two columns.
COLUMN_GAP = 2.5
MIN_LETTERS = 3
# Letters of one row have their middles this close to the row's level (in word heights): capitals
# and small letters differ by a fifth, lines of a list stand 1.2 or more apart.
ROW_TOLERANCE = 0.4
# A piece counts as read when recognised words stand over this share of its width.
COVERED = 0.5
# A letter joined to a signature's stroke or the seal's rim is no letter-sized component: a piece
# takes in the ink beside it along its row across gaps narrower than this (in word heights).
LETTER_GAP = 0.8
# ...and no further than a word or two: beyond, it is the seal or the signature itself.
WIDEN_REACH = 4.0
# Words read again from a piece: unsure ones are kept only when they spell something.
SURE_WORD = 0.3
SURE_MARK = 0.9
# A line read again must span this share of its row's letters: the rest unread (a family name
# under a seal as dark as the print) makes it a fragment.
COMPLETE = 0.75
_EDGE_PUNCTUATION = "\"'“”‘’()[].,;:!?…-–/"
_NUMBER = re.compile(r"[\w./&\-–]+")


@dataclass(frozen=True)
class Piece:
    x0: int
    y0: int
    x1: int
    y1: int
    letters: tuple[int, int]  # left and right of its letter-sized components, before widening


def word_height(lines: list[Line], page_height: int) -> float | None:
    """The page's typical word height in pixels: words of three letters or more."""
    heights = sorted(
        (w.bbox[3] - w.bbox[1]) * page_height
        for line in lines
        for w in line.words
        if sum(map(str.isalpha, w.text)) >= 3
    )
    return heights[len(heights) // 2] if len(heights) >= 5 else None


def print_pieces(clean: np.ndarray, height: float) -> list[Piece]:
    """Rows of letter-sized components, each cut at column gaps into pieces of a few letters."""
    ink = (clean < 255).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    boxes = [
        (x, y, x + w, y + h)
        for x, y, w, h, _ in stats[1:count]
        if LETTER_MIN * height <= h <= LETTER_MAX * height and w <= LETTER_WIDEST * height
    ]
    if not boxes:
        return []
    # Rows: letters whose middles stand level (a signature's strokes are no letters), round the
    # levels where most middles gather; seal lettering scattered between rows joins none of them.
    middles = np.array([(b[1] + b[3]) / 2 for b in boxes])
    counts = np.bincount(middles.astype(int), minlength=clean.shape[0])
    window = max(1, int(ROW_TOLERANCE * height / 2))
    density = np.convolve(counts, np.ones(2 * window + 1), mode="same")
    levels: list[int] = []
    for y in np.argsort(-density, kind="stable"):
        if density[y] < MIN_LETTERS:
            break
        if all(abs(int(y) - level) > 2 * ROW_TOLERANCE * height for level in levels):
            levels.append(int(y))
    rows = [[b for b, m in zip(boxes, middles) if abs(m - level) <= ROW_TOLERANCE * height] for level in levels]
    pieces = []
    for row in rows:
        group: list[tuple[int, int, int, int]] = []
        for box in sorted(row):
            if group and box[0] - max(b[2] for b in group) > COLUMN_GAP * height:
                pieces += _piece(group)
                group = []
            group.append(box)
        pieces += _piece(group)
    return [_widened(piece, ink, height) for piece in pieces]


def _piece(group: list[tuple[int, int, int, int]]) -> list[Piece]:
    if len(group) < MIN_LETTERS:
        return []
    x0, y0, x1, y1 = zip(*group)
    return [Piece(min(x0), min(y0), max(x1), max(y1), (min(x0), max(x1)))]


def _widened(piece: Piece, ink: np.ndarray, height: float) -> Piece:
    """The piece run on to the left and right over ink in its rows (`CH` of `CHỦ` crossed by
    the signature, `P` of `PHÓ` touching the seal), up to a gap of LETTER_GAP."""
    inked = ink[piece.y0: piece.y1].any(axis=0)
    gap, reach = int(LETTER_GAP * height), int(WIDEN_REACH * height)
    x0, x1 = piece.x0, piece.x1
    while x0 > max(0, piece.x0 - reach) and inked[max(0, x0 - gap): x0].any():
        x0 = max(0, x0 - gap) + int(np.flatnonzero(inked[max(0, x0 - gap): x0])[0])
    while x1 < min(inked.size, piece.x1 + reach) and inked[x1: x1 + gap].any():
        x1 = x1 + int(np.flatnonzero(inked[x1: x1 + gap])[-1]) + 1
    return Piece(max(x0, piece.x0 - reach), piece.y0, min(x1, piece.x1 + reach), piece.y1, piece.letters)


def covered(piece: Piece, top: int, words: list[Word], width: int, page_height: int, height: float) -> bool:
    """Whether recognised `words` already stand over most of the piece."""
    margin = 0.3 * height
    y0, y1 = piece.y0 + top, piece.y1 + top
    spans = [
        (w.bbox[0] * width - margin, w.bbox[2] * width + margin)
        for w in words
        if min(y1, w.bbox[3] * page_height) - max(y0, w.bbox[1] * page_height)
        > 0.5 * min(y1 - y0, (w.bbox[3] - w.bbox[1]) * page_height)
    ]
    columns = np.zeros(piece.x1 - piece.x0, bool)
    for x0, x1 in spans:
        columns[max(0, int(x0) - piece.x0): max(0, int(x1) - piece.x0)] = True
    return columns.mean() >= COVERED


def stack(
    clean: np.ndarray, pieces: list[Piece], height: float
) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """The pieces one under another on white paper, with room for their marks above and below;
    and for each, (canvas top, canvas bottom, zone x, zone y) of the crop placed there."""
    above, below, side, gap = int(0.5 * height), int(0.35 * height), int(0.5 * height), int(1.2 * height)
    crops = []
    for p in pieces:
        x0, y0 = max(0, p.x0 - side), max(0, p.y0 - above)
        crops.append((x0, y0, clean[y0: p.y1 + below, x0: p.x1 + side]))
    size = (gap + sum(c.shape[0] + gap for _, _, c in crops), max(c.shape[1] for _, _, c in crops) + 2 * side)
    canvas = np.full(size, 255, np.uint8)
    places, at = [], gap
    for x0, y0, crop in crops:
        canvas[at: at + crop.shape[0], side: side + crop.shape[1]] = crop
        places.append((at, at + crop.shape[0], x0 - side, y0 - at))
        at += crop.shape[0] + gap
    return Image.fromarray(canvas, mode="L"), places


def placed(
    found: list[Line],
    pieces: list[Piece],
    places: list[tuple[int, int, int, int]],
    canvas_size: tuple[int, int],
    top: int,
    page_size: tuple[int, int],
    lines: list[Line],
) -> list[Line]:
    """The words read on the canvas put back where their piece stands on the page, one line per
    piece; words over a word already read are left out, and so is a line whose words leave much
    of its piece's letters unread (a name without its family name is worse than none)."""
    cw, ch = canvas_size
    width, page_height = page_size
    by_piece: dict[int, list[Word]] = {}
    known = [w.bbox for line in lines for w in line.words]
    for line in found:
        for word in line.words:
            centre = (word.bbox[1] + word.bbox[3]) / 2 * ch
            index = next((i for i, (a, b, _, _) in enumerate(places) if a <= centre < b), None)
            if index is None:
                continue
            _, _, dx, dy = places[index]
            bbox = (
                (word.bbox[0] * cw + dx) / width,
                (word.bbox[1] * ch + dy + top) / page_height,
                (word.bbox[2] * cw + dx) / width,
                (word.bbox[3] * ch + dy + top) / page_height,
            )
            if _plausible(word) and not any(_inside(bbox, other) for other in known):
                by_piece.setdefault(index, []).append(word.model_copy(update={"bbox": bbox}))
    return [
        Line.from_words(sorted(words, key=lambda w: w.bbox[0]), 0)
        for index, words in sorted(by_piece.items())
        if any(_worded(word.text) for word in words) and _complete(words, pieces[index], width)
    ]


def _complete(words: list[Word], piece: Piece, width: int) -> bool:
    """Whether the words span most of the piece's letters."""
    left, right = piece.letters
    start, end = min(w.bbox[0] for w in words) * width, max(w.bbox[2] for w in words) * width
    return min(end, right) - max(start, left) >= COMPLETE * (right - left)


def _plausible(word: Word) -> bool:
    """A word worth keeping from a piece that may hold a signature's strokes: a syllable, a
    number or an abbreviation read fairly sure, or a mark read very sure (the `-` of a list
    item); strokes read as `/`, `%`, `Z⁄`."""
    if not any(c.isalnum() for c in word.text):
        return word.confidence >= SURE_MARK
    if _worded(word.text):
        return word.confidence >= SURE_WORD
    # a single odd letter (`Ø`) is a piece of seal or stroke, however sure
    return len(word.text.strip(_EDGE_PUNCTUATION)) > 1 and word.confidence >= SURE_MARK


def _worded(text: str) -> bool:
    core = text.strip(_EDGE_PUNCTUATION)
    if not core:
        return False
    if any(c.isdigit() for c in core):
        return bool(_NUMBER.fullmatch(core))  # `3`, `01/2018/TT-VPCP`; not `„2``
    return core.isupper() and core.isalpha() and len(core) >= 2 or is_vietnamese_syllable(core)


def _inside(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether the centre of box `a` lies in box `b`."""
    x, y = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] <= x <= b[2] and b[1] <= y <= b[3]
