"""Put a page's lines in reading order, column by column.

Tesseract (and a PDF's content stream) may run a line straight across the Decree 30
header, gluing the issuing body to the national motto. We split lines at wide gaps
between words, then read each band of two-column lines left column first.
"""

from __future__ import annotations

from ocr.types import Line

# Word gaps in running text are ~1% of the page width even when justified; the gap
# between the header columns or beside the signature block is 5% or more.
COLUMN_GAP = 0.05
CENTRE = 0.5


def order_lines(lines: list[Line]) -> list[Line]:
    """Lines in reading order, `block` renumbered: one block per column piece or full-width run."""
    pieces = sorted(
        (piece for line in lines for piece in split_at_gaps(line)),
        key=lambda piece: (piece.bbox[1], piece.bbox[0]),
    )
    groups: list[tuple[str, list[Line]]] = []  # ("full" | "column", lines)
    band: list[Line] = []
    for row in _rows(pieces):
        if len(row) == 1 and _straddles_centre(row[0]):
            groups.extend(("column", column) for column in _read_band(band))
            band = []
            if groups and groups[-1][0] == "full":
                groups[-1][1].append(row[0])
            else:
                groups.append(("full", [row[0]]))
        else:
            band.extend(row)
    groups.extend(("column", column) for column in _read_band(band))
    return [
        line.model_copy(update={"block": number})
        for number, (_, group) in enumerate(groups)
        for line in group
    ]


def split_at_gaps(line: Line) -> list[Line]:
    words = sorted(line.words, key=lambda w: w.bbox[0])
    pieces: list[list] = [[words[0]]] if words else []
    for previous, word in zip(words, words[1:]):
        if word.bbox[0] - previous.bbox[2] > COLUMN_GAP:
            pieces.append([word])
        else:
            pieces[-1].append(word)
    return [Line.from_words(piece, line.block) for piece in pieces]


def _rows(pieces: list[Line]) -> list[list[Line]]:
    """Group pieces that share a printed row, each row in x order."""
    rows: list[list[Line]] = []
    for piece in pieces:
        if rows and _same_row(rows[-1][0], piece):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return [sorted(row, key=lambda p: p.bbox[0]) for row in rows]


def _same_row(a: Line, b: Line) -> bool:
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap > 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def _straddles_centre(piece: Line) -> bool:
    """A centred title or a body line; a header or signature piece keeps to one side."""
    return piece.bbox[0] < CENTRE < piece.bbox[2]


def _is_left(piece: Line) -> bool:
    return (piece.bbox[0] + piece.bbox[2]) / 2 < 0.5


def _read_band(band: list[Line]) -> list[list[Line]]:
    left = [p for p in band if _is_left(p)]
    right = [p for p in band if not _is_left(p)]
    return [column for column in (left, right) if column]
