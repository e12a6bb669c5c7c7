"""Lines of page 1's header that Tesseract's layout analysis lost, found by their ink and read again.

On copies printed faint and thin (a ministry's grey `V/v …` and date lines), under a bold rule
(`TỈNH QUẢNG NGÃI`) or beside written-in ink, Tesseract finds no text block where the header
plainly has lines, and the issuer's place, the subject or the date are lost with them. Here the
header's ink that no OCR word covers is looked at: letter-sized marks (not specks, rules, seals
or the emblem) standing in rows a printed line high, in one of the two header columns. Each run
of such rows is read again on its own, and only what reads as Vietnamese text, surely, is kept;
a word over one OCR has (by ocr/triage.py's measure) is that word again.

ocr/signature_block.py does the like for the signature block, where the trouble is the seal: it
clears ink lighter than print. Here the trouble is print lighter than usual, so nothing is cleared.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from ocr.triage import covered
from ocr.types import Line, Word
from ocr.vntext import syllable_ratio

STAGE = "header_lines"
# The header (issuer, number, subject, place and date) stands in the top quarter of page 1.
HEADER_BOTTOM = 0.25
# Marks counted as letters, in the header's median line heights: a dot or an accent is smaller,
# a seal, a signature or the emblem larger.
LETTER_HEIGHT = (0.3, 1.6)
# Pieces of a letter this close (pixels of the 300-dpi OCR copy) are one mark.
JOIN_PX = 5
# A row of lost text has at least this much uncovered letter ink across it (line heights).
MIN_ROW_WIDTH = 4.0
# Rows this close (line heights) are one run, read again together.
ROW_GAP = 0.8
# Words OCR already has are masked out with this margin (line heights).
WORD_MARGIN = 0.25
# A run read again is kept line by line: sure enough, and mostly Vietnamese syllables.
MIN_CONFIDENCE = 0.7
MIN_SYLLABLES = 0.6
# Each run costs a small Tesseract call; a page with more lost runs than this is no header.
MAX_RUNS = 4


def recover_header_lines(image: Image.Image, lines: list[Line], reread: Callable[[Image.Image], list[Line]]) -> list[Line]:
    """The lines recovered from the header's uncovered ink (boxes as page fractions), for the
    caller to put in reading order; [] when nothing was lost. `reread` reads a crop as a block
    of text and gives boxes as fractions of the crop."""
    header = [line for line in lines if line.bbox[1] < HEADER_BOTTOM and line.words]
    if not header:
        return []
    height = statistics.median(line.bbox[3] - line.bbox[1] for line in header)
    runs = _lost_runs(image, lines, height)
    if len(runs) > MAX_RUNS:
        return []
    width, page_height = image.size
    words = [word for line in lines for word in line.words]
    found = []
    for x0, y0, x1, y1 in runs:
        crop = image.crop((int(x0 * width), int(y0 * page_height), int(x1 * width), int(y1 * page_height)))
        for line in reread(crop):
            line = line.on_page((x0, y0, x1, y1))
            new = [w for w in line.words if not any(covered(w.bbox, other.bbox) for other in words)]
            if new and _is_text(new):
                found.append(Line.from_words(new, line.block))
    return found


def _lost_runs(image: Image.Image, lines: list[Line], height: float) -> list[tuple[float, float, float, float]]:
    """Boxes (page fractions) of the runs of rows, per header column, where letter-sized ink
    stands that no OCR word covers."""
    width, page_height = image.size
    bottom = int(HEADER_BOTTOM * page_height)
    grey = np.asarray(image.convert("L").crop((0, 0, width, bottom)))
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    line_px = height * page_height
    margin = WORD_MARGIN * line_px
    for line in lines:
        for word in line.words:
            x0, y0, x1, y1 = word.bbox
            ink[max(0, int(y0 * page_height - margin)):max(0, int(y1 * page_height + margin)),
                max(0, int(x0 * width - margin)):max(0, int(x1 * width + margin))] = 0
    # Faint thin print falls apart under the threshold: its pieces are joined again first.
    ink = cv2.dilate(ink.astype(np.uint8), np.ones((JOIN_PX, JOIN_PX), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    low, high = LETTER_HEIGHT[0] * line_px, LETTER_HEIGHT[1] * line_px
    letters = [stats[i] for i in range(1, count) if low <= stats[i, cv2.CC_STAT_HEIGHT] <= high]
    runs = []
    for left, right in ((0, width // 2), (width // 2, width)):
        column = [s for s in letters if left <= s[0] + s[2] / 2 < right]
        runs.extend(_runs(column, line_px, width, page_height))
    return runs


def _runs(letters: list[np.ndarray], line_px: float, width: int, page_height: int) -> list[tuple[float, float, float, float]]:
    """The letters grouped into runs of rows, each as a box with a margin (page fractions); a run
    needs MIN_ROW_WIDTH of ink across it to be a line of text."""
    runs: list[list[np.ndarray]] = []
    for letter in sorted(letters, key=lambda s: s[1]):
        if runs and letter[1] <= max(s[1] + s[3] for s in runs[-1]) + ROW_GAP * line_px:
            runs[-1].append(letter)
        else:
            runs.append([letter])
    boxes = []
    for run in runs:
        if sum(s[2] for s in run) < MIN_ROW_WIDTH * line_px:
            continue
        pad = 0.5 * line_px
        x0, y0 = min(s[0] for s in run) - pad, min(s[1] for s in run) - pad
        x1, y1 = max(s[0] + s[2] for s in run) + pad, max(s[1] + s[3] for s in run) + pad
        boxes.append((max(0.0, x0 / width), max(0.0, y0 / page_height), min(1.0, x1 / width), min(1.0, y1 / page_height)))
    return boxes


def _is_text(words: list[Word]) -> bool:
    text = " ".join(w.text for w in words)
    confidence = sum(w.confidence for w in words) / len(words)
    return confidence >= MIN_CONFIDENCE and syllable_ratio(text) >= MIN_SYLLABLES and len(words) >= 2
