"""Rows of print lost in ruled table cells, read again (ocr/cell_rows.py).

The page is drawn here as the OCR copy has it after ocr/table_lines.py: an appendix table's text
with its rules erased, and its cells given as ocr/tables.py finds them. The lines handed in are
those a perfect reading gives (boxes from the drawing), less the rows a test says were lost.
"""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from drawn_lines import draw_line
from ocr.cell_rows import STAGE, reread_cell_rows
from ocr.pipeline import read_document
from ocr.settings import OcrSettings
from ocr.tables import Table
from ocr.types import Line, Word

FONTS = Path("/usr/share/fonts/truetype/liberation2")
WIDTH, HEIGHT = 2481, 1200  # A4 width at 300 dpi, a band of an appendix page
REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "files"
# Three columns: the legal basis, the field (a narrow column, a word a row), the receiving body.
COLUMNS = ((200, 900), (900, 1250), (1250, 1900))
TOP, BOTTOM = 150, 1000
CELLS = {
    0: ("Thông tư số", "30/2024/TT-BGDĐT", "ngày 30/12/2024", "của Bộ trưởng Bộ"),
    1: ("Giáo", "dục", "trung", "học"),
    2: ("- Sở Giáo dục và", "Đào tạo;", "- Trường THPT."),
}


def _page() -> tuple[Image.Image, list[Line], list[Table]]:
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONTS / "LiberationSerif-Regular.ttf"), 54)
    lines: list[Line] = []
    for column, rows in CELLS.items():
        x = COLUMNS[column][0] + 40
        for k, value in enumerate(rows):
            lines.append(draw_line(draw, x, TOP + 40 + 80 * k, value, font, len(lines)))
    cells = [(x0 / WIDTH, TOP / HEIGHT, x1 / WIDTH, BOTTOM / HEIGHT) for x0, x1 in COLUMNS]
    table = Table(bbox=(COLUMNS[0][0] / WIDTH, TOP / HEIGHT, COLUMNS[-1][1] / WIDTH, BOTTOM / HEIGHT), cells=cells)
    return image, lines, [table]


def test_cells_read_whole_are_not_read_again() -> None:
    image, lines, tables = _page()
    calls = []
    assert reread_cell_rows(image, lines, tables, lambda canvas: calls.append(canvas) or []) == []
    assert calls == []


def test_only_the_lost_row_is_cut_out_and_put_back_in_its_cell() -> None:
    image, lines, tables = _page()
    lost = next(line for line in lines if line.text == "Giáo")
    canvases = []

    def read(canvas: Image.Image) -> list[Line]:
        canvases.append(canvas)
        return [Line.from_words([Word(text="Giáo", confidence=0.9, bbox=(0.3, 0.3, 0.7, 0.7))], 0)]

    found = reread_cell_rows(image, [line for line in lines if line is not lost], tables, read)
    assert len(canvases) == 1
    word_height = (lost.bbox[3] - lost.bbox[1]) * HEIGHT
    assert canvases[0].height < 5 * word_height  # the one row, not the cell's other rows
    assert canvases[0].width < (COLUMNS[1][1] - COLUMNS[1][0]) + 3 * word_height  # within its cell
    assert [line.text for line in found] == ["Giáo"]
    box = found[0].bbox
    assert COLUMNS[1][0] / WIDTH < box[0] < box[2] < COLUMNS[1][1] / WIDTH
    assert box[1] < (lost.bbox[1] + lost.bbox[3]) / 2 < box[3]


def test_a_reading_of_nothing_that_spells_is_left_out() -> None:
    image, lines, tables = _page()
    lost = next(line for line in lines if line.text == "Giáo")
    junk = [Line.from_words([Word(text="%", confidence=0.5, bbox=(0.3, 0.3, 0.7, 0.7))], 0)]
    assert reread_cell_rows(image, [line for line in lines if line is not lost], tables, lambda canvas: junk) == []


def _rendered(path: Path, page: int) -> bytes:
    """One page of a born-digital file as a 300-dpi grey image PDF, as the benchmark renders it."""
    with pymupdf.open(path) as doc:
        source = doc[page - 1]
        pixmap = source.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
        out = pymupdf.open()
        out.new_page(width=source.rect.width, height=source.rect.height).insert_image(source.rect, pixmap=pixmap)
        return out.tobytes()


@pytest.mark.integration
def test_a_real_appendixs_lost_cell_row_is_read_by_tesseract() -> None:
    # UBND TP Huế's appendix, page 3: the narrow field column `Giáo / dục / trung / học`, whose
    # `Giáo` the page's layout analysis loses in the first row
    data = _rendered(REALDOCS / "00.00.H57-441-QD-UBND-2025-PL1_signed.pdf", 3)
    page = read_document(data, OcrSettings()).pages[0]
    assert STAGE in page.preprocessing
    texts = [line.text for line in page.lines]
    fields = [i for i, text in enumerate(texts) if text == "dục" and i > 0 and texts[i - 1] == "Giáo"]
    assert fields, texts
