"""Ruled tables: cells found from their ruling lines, and the page read row by row, cell by cell.

Appendices list procedures in ruled tables (STT, code `1.012345`, name, time limit, fee, legal
basis). Read by line position alone, the lines of a row's cells interleave across the columns;
a table is read instead one row after another, each cell whole and left to right.

The cells come from pdfplumber's table algorithm (edges snapped and joined, intersections,
smallest rectangles, contiguous groups) fed with ruling segments found elsewhere: the PDF's
vector drawings (`ocr.table_lines.read_pdf_rulings`) or OpenCV on the page image
(`ocr.table_lines.erase_table_lines`). pdfplumber's own `Page.find_tables` parses the page
again with pdfminer and PyMuPDF's `find_tables` also reads all text: measured on real
appendix pages, 0.27-1.0 s and 0.08-0.40 s a page, against 1-7 ms for `get_drawings` and about
1 ms for the grid here. pdfplumber on its own also took text highlights (filled rectangles
one line high) for cells; only thin rules are edges here.
"""

from __future__ import annotations

from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pydantic import BaseModel

from ocr.reading_order import order_lines
from ocr.types import BBox, Line, Word

# pdfplumber's default tolerances, in points: rules this close are one rule, and meet.
SNAP_POINTS = 3.0
# A cell narrower or lower than this (points) is an artefact (a double rule, a seal's strokes).
MIN_CELL_POINTS = 6.0
# A real table has at least two columns and is wider than this share of the page.
MIN_TABLE_WIDTH = 0.2


class Rule(BaseModel):
    """A ruling segment in page units (points or pixels): horizontal when `horizontal`."""

    horizontal: bool
    start: float  # x0 of a horizontal rule, top of a vertical one
    end: float
    at: float  # y of a horizontal rule, x of a vertical one


class Table(BaseModel):
    """A ruled table; boxes are fractions of the page, cells row by row, left to right."""

    bbox: BBox
    cells: list[BBox]


def find_tables(rules: list[Rule], width: float, height: float, points: float = 1.0) -> list[Table]:
    """The tables the rules enclose; `points` is page units per point (1 for PDF, dpi/72 for images)."""
    horizontal = [r for r in rules if r.horizontal]
    vertical = [r for r in rules if not r.horizontal]
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    tolerance = SNAP_POINTS * points
    edges = merge_edges([_edge(rule) for rule in rules], tolerance, tolerance, tolerance, tolerance)
    cells = intersections_to_cells(edges_to_intersections(edges, tolerance, tolerance))
    smallest = MIN_CELL_POINTS * points
    cells = [c for c in cells if c[2] - c[0] >= smallest and c[3] - c[1] >= smallest]
    tables = []
    for group in cells_to_tables(cells):
        x0, y0 = min(c[0] for c in group), min(c[1] for c in group)
        x1, y1 = max(c[2] for c in group), max(c[3] for c in group)
        if (x1 - x0) / width < MIN_TABLE_WIDTH or len({round(c[0]) for c in group}) < 2:
            continue
        ordered = sorted(group, key=lambda c: (round(c[1] / tolerance), c[0]))
        tables.append(
            Table(
                bbox=(x0 / width, y0 / height, x1 / width, y1 / height),
                cells=[(c[0] / width, c[1] / height, c[2] / width, c[3] / height) for c in ordered],
            )
        )
    return tables


def _edge(rule: Rule) -> dict:
    """A rule as pdfplumber's edge object."""
    if rule.horizontal:
        return {"orientation": "h", "x0": rule.start, "x1": rule.end, "top": rule.at, "bottom": rule.at,
                "doctop": rule.at, "width": rule.end - rule.start, "height": 0.0}
    return {"orientation": "v", "x0": rule.at, "x1": rule.at, "top": rule.start, "bottom": rule.end,
            "doctop": rule.start, "width": 0.0, "height": rule.end - rule.start}


def order_page_lines(lines: list[Line], tables: list[Table]) -> list[Line]:
    """Lines in reading order: outside tables as `order_lines` reads them, each table cell by cell.

    A table's lines come where the table stands on the page; every cell is a block of its own.
    """
    if not tables:
        return order_lines(lines)
    tables = sorted(tables, key=lambda t: t.bbox[1])
    in_cells: dict[int, dict[BBox, list[Word]]] = {number: {} for number in range(len(tables))}
    outside = []
    for line in lines:
        rest = []
        for word in line.words:
            place = _locate(word, tables)
            if place is None:
                rest.append(word)
            else:
                in_cells[place[0]].setdefault(place[1], []).append(word)
        if len(rest) == len(line.words):
            outside.append(line)
        elif rest:
            outside.append(Line.from_words(rest, line.block).model_copy(update={"stamp": line.stamp}))
    ordered = [("text", line) for line in order_lines(outside)]
    # Insert from the lowest table up, so that earlier insertion points stay where they were.
    for number in reversed(range(len(tables))):
        cells = sorted(in_cells[number].items(), key=lambda item: (item[0][1], item[0][0]))
        cell_lines = [
            ("cell", line.model_copy(update={"block": index}))
            for index, (_, words) in enumerate(cells)
            for line in _cell_lines(words)
        ]
        top = tables[number].bbox[1]
        at = next((i for i, (_, line) in enumerate(ordered) if _centre(line.bbox) > top), len(ordered))
        ordered[at:at] = cell_lines
    return _renumber(ordered)


def _locate(word: Word, tables: list[Table]) -> tuple[int, BBox] | None:
    """(table, cell) holding the centre of the word, None outside every table."""
    x = (word.bbox[0] + word.bbox[2]) / 2
    y = _centre(word.bbox)
    for number, table in enumerate(tables):
        x0, y0, x1, y1 = table.bbox
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue
        for cell in table.cells:
            if cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
                return number, cell
        return number, _gap_cell(x, y, table)
    return None


def _gap_cell(x: float, y: float, table: Table) -> BBox:
    """The part of a table round (x, y) that no cell covers: a scan's broken rule leaves such gaps.

    Bounded by the cells beside it in its row, then by the cells above and below that span.
    """
    row = [c for c in table.cells if c[1] <= y <= c[3]]
    left = max((c[2] for c in row if c[2] <= x), default=table.bbox[0])
    right = min((c[0] for c in row if c[0] >= x), default=table.bbox[2])
    across = [c for c in table.cells if c[0] < right and c[2] > left]
    top = max((c[3] for c in across if c[3] <= y), default=table.bbox[1])
    bottom = min((c[1] for c in across if c[1] >= y), default=table.bbox[3])
    return left, top, right, bottom


def _cell_lines(words: list[Word]) -> list[Line]:
    """A cell's words as printed lines, top to bottom, each left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: _centre(w.bbox)):
        if rows and _centre(word.bbox) <= max(w.bbox[3] for w in rows[-1]):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [Line.from_words(sorted(row, key=lambda w: w.bbox[0]), 0) for row in rows]


def _centre(bbox: BBox) -> float:
    return (bbox[1] + bbox[3]) / 2


def _renumber(ordered: list[tuple[str, Line]]) -> list[Line]:
    """Blocks numbered in reading order: a new block where the source or its block changes."""
    lines: list[Line] = []
    previous = None
    block = -1
    for source, line in ordered:
        if (source, line.block) != previous:
            block += 1
            previous = (source, line.block)
        lines.append(line.model_copy(update={"block": block}))
    return lines
