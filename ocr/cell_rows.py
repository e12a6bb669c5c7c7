"""Rows of print in ruled table cells that Tesseract's page layout lost, read again.

An appendix's narrow columns hold short rows of print: a field of study (`Giáo` / `dục` /
`trung` / `học`), a header cell (`Phí, lệ phí` / `(nếu có)`), a school type (`THPT.`). With the
table's rules erased, Tesseract's layout analysis still takes some of these rows for specks or
a picture and never reads them, while the rows around them come back: the text says `dục trung
học` under `của Bộ`. In every cell, the rows of letter-sized print that no recognised word covers
are found within the cell's edges and read again as ocr/lost_rows.py reads lost rows; what comes
back is kept where it spells something and spans its row. A page whose cells were read whole
costs image measurement and no Tesseract call.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from ocr.lost_rows import Piece, covered, placed, print_pieces, stack, word_height
from ocr.tables import Table
from ocr.types import Line, Word

STAGE = "cell_rows"  # named in the page's stages when a row was read again
# Left out round each cell, as a share of the page's width: what an erased rule leaves behind.
INSET = 0.004
# A row's marks reach this far above its letters (in word heights: `Ố`, `Ỹ`); rows of a cell stand
# closer than the signature block's, so ink any further belongs to the row above.
MARKS_ABOVE = 0.35
# Darker than this is ink (grey levels, paper 255).
INK = 128


def reread_cell_rows(
    image: Image.Image, lines: list[Line], tables: list[Table], reread: Callable[[Image.Image], list[Line]]
) -> list[Line]:
    """Lines read again from the rows of the tables' cells that `lines` lack (boxes as page
    fractions), for the caller to put in reading order; [] when every row was read. `reread`
    reads an image as a block of text, boxes as fractions of it."""
    width, page_height = image.size
    height = word_height(lines, page_height)
    if height is None or not tables:
        return []
    grey = np.asarray(image.convert("L"))
    inset = int(INSET * width)
    words = [word for line in lines for word in line.words]
    pieces = []
    for table in tables:
        for cell in table.cells:
            x0, y0 = int(cell[0] * width) + inset, int(cell[1] * page_height) + inset
            x1, y1 = int(cell[2] * width) - inset, int(cell[3] * page_height) - inset
            if x1 - x0 < height or y1 - y0 < height / 2:
                continue
            # only the words over the cell can cover its rows: a page of tables holds hundreds
            over = [w for w in words if w.bbox[0] < cell[2] and w.bbox[2] > cell[0] and w.bbox[1] < cell[3] and w.bbox[3] > cell[1]]
            if not _unread_ink(grey[y0:y1, x0:x1], over, y0, page_height):
                continue
            for piece in print_pieces(grey[y0:y1, x0:x1], height):
                on_page = Piece(piece.x0 + x0, piece.y0 + y0, piece.x1 + x0, piece.y1 + y0,
                                (piece.letters[0] + x0, piece.letters[1] + x0))
                if not covered(on_page, 0, over, width, page_height, height):
                    pieces.append(on_page)
    if not pieces:
        return []
    canvas, places = stack(_rows_only(grey, pieces, height), pieces, height)
    return placed(reread(canvas), pieces, places, canvas.size, 0, (width, page_height), lines)


def _unread_ink(region: np.ndarray, words: list[Word], top: int, page_height: int) -> bool:
    """Whether ink stands in rows of the cell that no word's box spans: a cheap test that spares
    most cells the search for rows of letters."""
    unread = (region < INK).any(axis=1)
    for word in words:
        unread[max(0, int(word.bbox[1] * page_height) - top): max(0, int(word.bbox[3] * page_height) - top)] = False
    return bool(unread.any())


def _rows_only(grey: np.ndarray, pieces: list[Piece], height: float) -> np.ndarray:
    """The page with nothing but the pieces' rows and their marks: a neighbouring row's marks
    and descenders, in the margin each crop takes, read as stray stops (`THPT..`)."""
    keep = np.zeros(grey.shape, bool)
    above = int(MARKS_ABOVE * height)
    for piece in pieces:
        keep[max(0, piece.y0 - above): piece.y1, piece.x0: piece.x1] = True
    return np.where(keep, grey, 255).astype(np.uint8)
