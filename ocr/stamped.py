"""Put numbers stamped by signing software back into the blanks they fill.

On born-digital decisions the clerk's digital signature writes the number and the day into
the blanks of `Số: …/QĐ-UBND` and `ngày … tháng` as separate text (the appearance of a
signature field, which PyMuPDF's page text lists after the page's own lines). Read in that
order they stand on lines of their own and leave a hole in the date. Each such fragment lies
in the row of the line it fills, in a gap between that line's words (or right after its
`Số:`), so it is put back there by its position alone.
"""

from __future__ import annotations

from ocr.types import BBox, Line, Word
from ocr.vntext import fold

# A stamped fragment: a number, a number with its notation (`217/QĐ-UBND`), or a day and a
# month stamped on one line.
MAX_WORDS = 2
MAX_CHARACTERS = 16
# Stamps are positioned by the signing software, not typeset: allow them to touch the
# printed words beside the blank by this share of their own width.
ALLOWED_OVERLAP = 0.25
# A number stamped after `Số:` with nothing printed after it (the whole `217/QĐ-UBND`) stands
# at most this far from the label (page width): less than the gap between the header's columns.
# Only the header's `Số:` (with its colon) counts: `số` in running text is followed by its number.
NUMBER_LABEL = "so:"
AFTER_LABEL_GAP = 0.05


def fill_stamped_blanks(lines: list[Line]) -> list[Line]:
    """`lines` with each stamped fragment moved into the line whose blank it fills."""
    host_of = {}
    for index, line in enumerate(lines):
        if _is_fragment(line):
            host = _host(index, lines)
            if host is not None:
                host_of[index] = host
    # A line that receives a fragment keeps its place even if it looks like one itself.
    moving = {index: host for index, host in host_of.items() if host not in host_of}
    received: dict[int, list[Word]] = {}
    for index, host in moving.items():
        received.setdefault(host, []).extend(lines[index].words)
    result = []
    for index, line in enumerate(lines):
        if index in moving:
            continue
        if index in received:
            words = sorted(line.words + received[index], key=lambda w: w.bbox[0])
            line = Line.from_words(words, line.block)
        result.append(line)
    return result


def _is_fragment(line: Line) -> bool:
    return 0 < len(line.words) <= MAX_WORDS and all(
        len(w.text) <= MAX_CHARACTERS and any(c.isdigit() for c in w.text) for w in line.words
    )


def _host(index: int, lines: list[Line]) -> int | None:
    """The line whose row and blanks hold every word of lines[index], nearest in height."""
    fragment = lines[index]
    centre = (fragment.bbox[1] + fragment.bbox[3]) / 2
    candidates = [
        other
        for other, line in enumerate(lines)
        if other != index
        and line.bbox[1] <= centre <= line.bbox[3]
        and all(fits_blank(word.bbox, line) for word in fragment.words)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda other: abs((lines[other].bbox[1] + lines[other].bbox[3]) / 2 - centre))


def fits_blank(box: BBox, line: Line) -> bool:
    """Does a fragment with this box stand in a gap of `line`, or just after its `Số:`?"""
    x0, x1 = box[0], box[2]
    allowed = ALLOWED_OVERLAP * (x1 - x0)
    if any(min(x1, w.bbox[2]) - max(x0, w.bbox[0]) > allowed for w in line.words):
        return False
    before = [w for w in line.words if w.bbox[2] <= x0 + allowed]
    after = [w for w in line.words if w.bbox[0] >= x1 - allowed]
    if before and after:
        return True
    if not before:
        return False
    label = max(before, key=lambda w: w.bbox[2])
    return fold(label.text) == NUMBER_LABEL and x0 - label.bbox[2] <= AFTER_LABEL_GAP
