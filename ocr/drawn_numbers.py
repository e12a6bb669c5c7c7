"""Numbers that signing software draws as outlines into a born-digital page's blanks, read.

Some signing software stamps the number and the day into `Số: …/QĐ-UBND` and `ngày … tháng …`
as filled glyph outlines, not as text (a Lai Châu decision of 2025): the text layer keeps its
blanks, and the number and the date are lost. Here runs of digit-sized filled shapes that stand
in a blank of page 1's `Số:` or date line are cut out and read by the digit reader
(ocr/digit_reader.py: `2362`, an italic `11` and `9`, each at 0.99 and more), and Tesseract reads
the printed row around them as a second reading. A run both read alike is as sure as the two
readings together; one they read apart (Tesseract took that italic `11` for `77` at 0.96) goes in
at a confidence that sends its field to review. The words then take their blanks as stamped text
does (ocr/stamped.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pymupdf
from PIL import Image

from ocr.digit_reader import DigitReader, Reading
from ocr.stamped import fill_stamped_blanks, fits_blank
from ocr.types import BBox, Line, Word
from ocr.vntext import fold

STAGE = "drawn_numbers"
# A blank the software fills: `Số:` with no number after it, a day or month left empty.
_BLANK = re.compile(r"(?:^|\s)so\s?:(?!\s*\d)|ngay[\s.…]*thang|thang[\s.…]*nam")
# A digit's outline, in page heights (5-21 pt on A4), no wider than it is high; a run holds a
# number or a day, and its shapes stand closer than this many heights apart.
GLYPH_HEIGHT = (0.006, 0.025)
GLYPH_WIDTH_RATIO = 1.2
RUN_GAP = 0.8
MAX_GLYPHS = 6
RENDER_DPI = 300
PAD_POINTS = 2
DIGITS = re.compile(r"[0-9]{1,6}")
_NEIGHBOURS = "/-.,:"
# Below the review threshold: two readers disagree on a digit.
DISAGREED_CONFIDENCE = 0.5

Reread = Callable[[Image.Image, int], list[Line]]


def read_drawn_numbers(
    page: pymupdf.Page, lines: list[Line], reader: Callable[[], DigitReader], reread: Reread
) -> tuple[list[Line], list[str]]:
    """`lines` with the drawn numbers put into their blanks, and what was read (for the log).
    `reader` gives the recogniser, made only when a run of shapes stands in a blank;
    `reread(image, dpi)` is Tesseract's reading of a row image."""
    blanks = [line for line in lines if _BLANK.search(fold(line.text))]
    if not blanks:
        return lines, []
    fragments = []
    for run in _glyph_runs(page):
        host = next((line for line in blanks if _in_row(run, line) and fits_blank(run, line)), None)
        word = _read_run(page, run, host, reader, reread) if host else None
        if word:
            fragments.append(Line.from_words([word], host.block))
    if not fragments:
        return lines, []
    return fill_stamped_blanks(lines + fragments), [line.text for line in fragments]


def _glyph_runs(page: pymupdf.Page) -> list[BBox]:
    """Boxes (page fractions) of runs of filled digit-sized shapes standing side by side."""
    width, height = page.rect.width, page.rect.height
    low, high = GLYPH_HEIGHT
    shapes = sorted(
        (r.x0 / width, r.y0 / height, r.x1 / width, r.y1 / height)
        for drawing in page.get_drawings()
        if "f" in (drawing.get("type") or "")
        and low <= (r := drawing["rect"]).height / height <= high
        and r.width <= GLYPH_WIDTH_RATIO * r.height
    )
    runs: list[list[BBox]] = []
    for shape in shapes:
        run = next((run for run in runs if _next_in_run(run[-1], shape)), None)
        if run is None:
            runs.append([shape])
        else:
            run.append(shape)
    return [_union(run) for run in runs if len(run) <= MAX_GLYPHS]


def _next_in_run(last: BBox, shape: BBox) -> bool:
    size = last[3] - last[1]
    centre_last, centre = (last[1] + last[3]) / 2, (shape[1] + shape[3]) / 2
    return abs(centre - centre_last) < size / 2 and 0 <= shape[0] - last[2] < RUN_GAP * size


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _in_row(run: BBox, line: Line) -> bool:
    centre = (run[1] + run[3]) / 2
    return line.bbox[1] <= centre <= line.bbox[3]


def _read_run(
    page: pymupdf.Page, run: BBox, host: Line, reader: Callable[[], DigitReader], reread: Reread
) -> Word | None:
    read = reader().read(_render(page, run)[0])
    # The margin may take in the notation's slash or the label's colon set close to the number.
    digits = DIGITS.fullmatch(read.text.strip(_NEIGHBOURS))
    if not digits:
        return None
    start = len(read.text) - len(read.text.lstrip(_NEIGHBOURS))
    reading = Reading(digits.group(), read.probabilities[start : start + len(digits.group())])
    image, row = _render(page, _union([run, host.bbox]))
    over = [w for line in reread(image, RENDER_DPI) for w in line.words if _overlaps(w.bbox, run, row)]
    # Tesseract may read the number glued to its notation (`2350/QĐ-UBND`): the digits must stand alone.
    if over and re.search(rf"(?<![0-9]){reading.text}(?![0-9])", " ".join(w.text for w in over)):
        agreed = min(w.confidence for w in over)
        return Word(text=reading.text, confidence=reading.confidence, bbox=run, digits_agreed=agreed)
    return Word(text=reading.text, confidence=min(reading.confidence, DISAGREED_CONFIDENCE), bbox=run)


def _render(page: pymupdf.Page, box: BBox) -> tuple[Image.Image, BBox]:
    """The box with a margin, in grey, and the box rendered (page fractions)."""
    width, height = page.rect.width, page.rect.height
    clip = pymupdf.Rect(box[0] * width, box[1] * height, box[2] * width, box[3] * height)
    clip = (clip + (-PAD_POINTS, -PAD_POINTS, PAD_POINTS, PAD_POINTS)) & page.rect
    pixmap = page.get_pixmap(dpi=RENDER_DPI, clip=clip, colorspace=pymupdf.csGRAY, annots=False)
    image = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
    return image, (clip.x0 / width, clip.y0 / height, clip.x1 / width, clip.y1 / height)


def _overlaps(word: BBox, run: BBox, row: BBox) -> bool:
    """Whether a word of the row's image (fractions of that image) stands over part of the run."""
    x0 = row[0] + word[0] * (row[2] - row[0])
    x1 = row[0] + word[2] * (row[2] - row[0])
    return x0 < run[2] and run[0] < x1
