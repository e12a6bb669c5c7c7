"""Builds PageResult fixtures laid out like a Decree 30 page, for the extract tests.

Text lines are placed where a printed page has them: the left header column at x
0.08-0.45, the right one at x 0.5-0.95, centred title lines, full-width body lines,
and the signature block in the right column beside `Nơi nhận:`. Words get boxes in
proportion to their length and one confidence per line.
"""

from __future__ import annotations

from collections.abc import Sequence

from ocr.types import Line, PageResult, Word

CHAR_WIDTH = 0.0085  # a 13 pt character as a fraction of the A4 width
LINE_HEIGHT = 0.016
LINE_STEP = 0.024
LEFT_CENTRE, RIGHT_CENTRE = 0.265, 0.725

Row = str | tuple[str, float]  # text, or text with the confidence of each of its words


def _words(text: str, x0: float, y0: float, confidence: float) -> list[Word]:
    words, x = [], x0
    for token in text.split():
        width = len(token) * CHAR_WIDTH
        words.append(Word(text=token, confidence=confidence, bbox=(x, y0, x + width, y0 + LINE_HEIGHT)))
        x += width + CHAR_WIDTH
    return words


def _line(row: Row, x0: float, y0: float, block: int, default_confidence: float) -> Line:
    text, confidence = (row, default_confidence) if isinstance(row, str) else row
    return Line.from_words(_words(text, x0, y0, confidence), block)


def _width(row: Row) -> float:
    text = row if isinstance(row, str) else row[0]
    return len(text) * CHAR_WIDTH


def _column(rows: Sequence[Row], centre: float, top: float, block: int, confidence: float) -> list[Line]:
    return [
        _line(row, centre - _width(row) / 2, top + index * LINE_STEP, block, confidence)
        for index, row in enumerate(rows)
    ]


def decree30_page(
    *,
    left_header: Sequence[Row] = (),
    right_header: Sequence[Row] = (),
    centre: Sequence[Row] = (),
    body: Sequence[Row] = (),
    recipients: Sequence[Row] = (),
    signature: Sequence[Row] = (),
    number: int = 1,
    confidence: float = 0.95,
    method: str = "ocr",
) -> PageResult:
    """One page; zones left empty take no room, so a last page may hold only a signature."""
    lines = _column(left_header, LEFT_CENTRE, 0.06, 0, confidence)
    lines += _column(right_header, RIGHT_CENTRE, 0.06, 1, confidence)
    top = 0.06 + max(len(left_header), len(right_header)) * LINE_STEP + (0.03 if left_header else 0)
    lines += _column(centre, 0.5, top, 2, confidence)
    top += len(centre) * LINE_STEP + (0.02 if centre else 0)
    lines += [_line(row, 0.1, top + i * LINE_STEP, 3, confidence) for i, row in enumerate(body)]
    top += len(body) * LINE_STEP + (0.02 if body else 0)
    lines += [_line(row, 0.08, top + i * LINE_STEP, 4, confidence) for i, row in enumerate(recipients)]
    lines += _column(signature, RIGHT_CENTRE, top, 5, confidence)
    return PageResult(number=number, method=method, lines=lines)


def test_header_columns_keep_to_their_side() -> None:
    page = decree30_page(left_header=["UBND TỈNH VĨNH PHÚC"], right_header=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    left, right = page.lines
    assert 0.08 <= left.bbox[0] and left.bbox[2] <= 0.45
    assert 0.45 <= right.bbox[0] and right.bbox[2] <= 0.97


def test_each_line_carries_its_confidence() -> None:
    page = decree30_page(centre=["QUYẾT ĐỊNH", ("Về việc cấp phép", 0.6)])
    assert [line.confidence for line in page.lines] == [0.95, 0.6]
