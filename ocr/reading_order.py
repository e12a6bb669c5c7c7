"""Put a page's lines in reading order, column by column.

Tesseract (and a PDF's content stream) may run a line straight across the Decree 30
header, gluing the issuing body to the national motto. We split lines at wide gaps
between words, then read each band of two-column lines left column first.

On scans the two header columns can stand closer than COLUMN_GAP (`ỦY BAN NHÂN DÂN` ends 3.5%
of the page before `CỘNG HÒA`), so a narrower gap also splits a line when it is wide for that
line (several of its word gaps, more than a letter's height) and both sides are headings in
capitals: running text and table rows are mixed case, and a justified line's gaps stretch alike.
"""

from __future__ import annotations

from ocr.types import Line, Word

# Word gaps in running text are ~1% of the page width even when justified; the gap
# between the header columns or beside the signature block is 5% or more.
COLUMN_GAP = 0.05
CENTRE = 0.5
# The narrower split between two headings in capitals: measured header gaps on 300-dpi scans and
# a 576-pixel photo were 0.033-0.048 of the page, 4.7-6.9 times the line's median word gap and
# 1.6-3.4 times its letter height.
HEADING_GAP = 0.02
HEADING_GAP_WORD_GAPS = 3.0
HEADING_GAP_HEIGHTS = 1.2
CAPITALS_SHARE = 0.8


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
    pieces: list[list[Word]] = [[words[0]]] if words else []
    for previous, word in zip(words, words[1:]):
        if word.bbox[0] - previous.bbox[2] > COLUMN_GAP:
            pieces.append([word])
        else:
            pieces[-1].append(word)
    pieces = [part for piece in pieces for part in _split_headings(piece)]
    return [Line.from_words(piece, line.block) for piece in pieces]


def _split_headings(words: list[Word]) -> list[list[Word]]:
    """Two headings in capitals side by side (`ỦY BAN NHÂN DÂN  CỘNG HÒA ...`), split at the gap.

    Words of marks only (`_`: a stroke of the rule under a heading) do not bridge the gap and
    are dropped when they stand in it.
    """
    lettered = [w for w in words if any(char.isalnum() for char in w.text)]
    gaps = [b.bbox[0] - a.bbox[2] for a, b in zip(lettered, lettered[1:])]
    if len(gaps) < 3:
        return [words]
    typical = sorted(gaps)[len(gaps) // 2]
    height = sorted(w.bbox[3] - w.bbox[1] for w in lettered)[len(lettered) // 2]
    at, widest = max(enumerate(gaps), key=lambda item: item[1])
    if widest < max(HEADING_GAP, HEADING_GAP_WORD_GAPS * typical, HEADING_GAP_HEIGHTS * height):
        return [words]
    left, right = lettered[: at + 1], lettered[at + 1 :]
    if not (_in_capitals(left) and _in_capitals(right)):
        return [words]
    end, start = left[-1].bbox[2], right[0].bbox[0]
    return [[w for w in words if w.bbox[2] <= end], [w for w in words if w.bbox[0] >= start]]


def _in_capitals(words: list[Word]) -> bool:
    letters = [char for w in words for char in w.text if char.isalpha()]
    return bool(letters) and sum(char.isupper() for char in letters) >= CAPITALS_SHARE * len(letters)


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
