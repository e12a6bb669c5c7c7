"""Ruling lines of tables: from a PDF page's vector drawings, or found and erased on a page image.

On an image, Tesseract reads a table's rules as `|` and glues them to words (`|thông`, `STT|`);
the rules of a found table are erased from the copy it reads, and the table's cells order the
words it returns (`ocr.tables`).
"""

from __future__ import annotations

import cv2
import numpy as np
import pymupdf

from ocr.tables import Rule, Table, find_tables

# A rule is thin: thicker filled rectangles are shading or text highlights, not rules.
MAX_RULE_POINTS = 2.0
# Pixel runs at least this long are rules. Down: longer than any letter stroke (a 14 pt `l` is
# about 3.5 mm), shorter than a one-line table row (6 mm and up). Across: shorter than a narrow
# column (an STT column is 1 cm and up), longer than neighbouring letters' bars that touch at
# the resolution lines are looked for at (`TT` in `TT-BTNMT`: 4-5 mm).
RULE_MM = {True: 9.0, False: 5.0}  # horizontal, vertical
# ...and thin: a scanner's dark border is a band several millimetres wide, whose runs would make
# rules of any direction. Thickness is the run's area over its length, which a long rule left
# slightly skewed (deskew leaves under 0.3 degrees) keeps small while its bounding box grows.
MAX_RULE_THICKNESS_MM = 1.5
# Lines are looked for at this resolution: rules stay 1-2 pixels thick and the openings cost
# a quarter of what they cost at 300 dpi.
RULING_DPI = 150
# Rule pixels are erased this far across the rule (pixels at the OCR image's dpi) beyond what
# was found: the grey, anti-aliased edges of a rule also read as `|`.
ERASE_MARGIN_PX = 2
# Where a rule was found, runs of ink this long along it are the rule; letters that touch it
# (the `g` of `bổ sung` above a row's rule) lose only the pixels that lie on it.
ERASE_RUN_MM = 3.0


def read_pdf_rulings(page: pymupdf.Page) -> list[Rule]:
    """Thin lines and rectangles the page draws, as rules in points.

    Unrotated page coordinates, like the words of `ocr.textlayer.read_text_layer`, so that the
    cells and the words they hold are measured alike.
    """
    rules = []
    for path in page.get_drawings():
        stroked = "s" in (path.get("type") or "")
        for item in path["items"]:
            if item[0] == "l":
                rules.extend(_rule_of(pymupdf.Rect(item[1], item[2])))
            elif item[0] == "re":
                rect = pymupdf.Rect(item[1])
                if min(rect.width, rect.height) <= MAX_RULE_POINTS:
                    rules.extend(_rule_of(rect))
                elif stroked:  # a cell drawn as a framed rectangle: its four sides
                    rules.extend(_sides(rect))
    return rules


def _rule_of(rect: pymupdf.Rect) -> list[Rule]:
    rect = rect.normalize()
    if rect.height <= MAX_RULE_POINTS and rect.width > MAX_RULE_POINTS:
        return [Rule(horizontal=True, start=rect.x0, end=rect.x1, at=(rect.y0 + rect.y1) / 2)]
    if rect.width <= MAX_RULE_POINTS and rect.height > MAX_RULE_POINTS:
        return [Rule(horizontal=False, start=rect.y0, end=rect.y1, at=(rect.x0 + rect.x1) / 2)]
    return []


def _sides(rect: pymupdf.Rect) -> list[Rule]:
    rect = rect.normalize()
    return [
        Rule(horizontal=True, start=rect.x0, end=rect.x1, at=rect.y0),
        Rule(horizontal=True, start=rect.x0, end=rect.x1, at=rect.y1),
        Rule(horizontal=False, start=rect.y0, end=rect.y1, at=rect.x0),
        Rule(horizontal=False, start=rect.y0, end=rect.y1, at=rect.x1),
    ]


def read_pdf_tables(page: pymupdf.Page) -> list[Table]:
    """The ruled tables a PDF page draws (fractions of the page)."""
    return find_tables(read_pdf_rulings(page), page.rect.width, page.rect.height)


def erase_table_lines(grey: np.ndarray, dpi: int) -> tuple[np.ndarray, list[Table]]:
    """The tables whose rules form cells on a grey page image, and a copy with those rules erased.

    Rules outside a table (the line under the national motto, a signature line) are left alone.
    Returns the image itself and no tables when there is no grid. At 300 dpi, 15-25 ms a page to
    look, about 40 ms with the erasing (Tesseract then reads the page about as much faster).
    """
    scale = min(1.0, RULING_DPI / dpi)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    level, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    thickest = MAX_RULE_THICKNESS_MM / 25.4 * dpi * scale
    boxes = [
        (horizontal, cv2.boundingRect(contour))
        for horizontal in (True, False)
        for contour in cv2.findContours(
            cv2.morphologyEx(ink, cv2.MORPH_OPEN, _kernel(horizontal, dpi * scale)),
            cv2.RETR_EXTERNAL,
            cv2.CHAIN_APPROX_SIMPLE,
        )[0]
        if cv2.contourArea(contour) <= thickest * max(cv2.boundingRect(contour)[2:])
    ]
    height, width = small.shape
    tables = find_tables([_rule(horizontal, box) for horizontal, box in boxes], width, height, dpi * scale / 72)
    if not tables:
        return grey, []
    erased = grey.copy()
    for horizontal, (left, top, w, h) in boxes:
        if any(_inside((left / width, top / height, (left + w) / width, (top + h) / height), t.bbox) for t in tables):
            _erase_rule(erased, horizontal, [v / scale for v in (left, top, left + w, top + h)], level, dpi)
    return erased, tables


def _erase_rule(grey: np.ndarray, horizontal: bool, box: list[float], level: float, dpi: int) -> None:
    """Turn the rule in `box` (pixels) to paper: the long runs of ink along it, and their fringe."""
    pad = ERASE_MARGIN_PX + 2
    x0, y0 = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    x1, y1 = int(box[2]) + pad + 1, int(box[3]) + pad + 1
    strip = grey[y0:y1, x0:x1]  # a view: erased in place
    run = max(3, round(ERASE_RUN_MM / 25.4 * dpi))
    along = cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1) if horizontal else (1, run))
    rule = cv2.morphologyEx((strip < level).astype(np.uint8), cv2.MORPH_OPEN, along)
    fringe = 2 * ERASE_MARGIN_PX + 1
    rule = cv2.dilate(rule, np.ones((fringe, 1) if horizontal else (1, fringe), np.uint8))
    strip[rule > 0] = 255


def _kernel(horizontal: bool, dpi: float) -> np.ndarray:
    length = max(3, round(RULE_MM[horizontal] / 25.4 * dpi))
    return cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))


def _rule(horizontal: bool, box: tuple[int, int, int, int]) -> Rule:
    """A run of rule pixels as one rule through its middle."""
    left, top, w, h = box
    if horizontal:
        return Rule(horizontal=True, start=left, end=left + w, at=top + h / 2)
    return Rule(horizontal=False, start=top, end=top + h, at=left + w / 2)


def _inside(box: tuple[float, float, float, float], bbox: tuple[float, float, float, float]) -> bool:
    """The rule lies in the table's box (with a little slack for its thickness)."""
    slack = 0.005
    return (box[0] >= bbox[0] - slack and box[1] >= bbox[1] - slack
            and box[2] <= bbox[2] + slack and box[3] <= bbox[3] + slack)
