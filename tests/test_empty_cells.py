"""Ruled cells Tesseract left empty (ocr/empty_cells.py): their figures read by the shipped recogniser.

The small table is drawn here with PyMuPDF; the real appendix page is read at test time from
../shared/realdocs, never copied.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from ocr.digit_reader import digit_reader
from ocr.empty_cells import read_empty_cells
from ocr.pipeline import read_document
from ocr.table_lines import erase_table_lines
from ocr.tables import Table
from ocr.types import Line, Word
from samples.layout import FONT_DIR, STYLES
from test_tables import grey_image

SERIF = str(FONT_DIR / STYLES["regular"])
REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs" / "files"
WIDTH, HEIGHT = 595, 842
COLUMNS = (60, 100, 250, 540)
ROWS = (200, 240, 280, 320, 380)
# Row by row, column by column: each cell's printed lines; READ marks the cells Tesseract read.
CELLS = (
    ("1.",), ("1.012345",), ("Đăng ký đất đai lần đầu",),
    ("2.",), ("Phí, lệ phí",), ("Cấp đổi giấy chứng nhận",),
    ("3",), ("1.013274.H56",), ("Đăng ký biến động",),
    ("4", "5", "6"), ("",), ("Thủ tục khác",),
)
READ = {2, 5, 8, 11}


def _table_page() -> tuple[Image.Image, list[Table], list[Line]]:
    """The page image with its rules erased, its tables, and the words Tesseract read (READ cells)."""
    lines = []
    with pymupdf.open() as doc:
        page = doc.new_page(width=WIDTH, height=HEIGHT)
        for y in ROWS:
            page.draw_line((COLUMNS[0], y), (COLUMNS[-1], y), width=0.6)
        for x in COLUMNS:
            page.draw_line((x, ROWS[0]), (x, ROWS[-1]), width=0.6)
        for index, cell in enumerate(CELLS):
            row, column = divmod(index, 3)
            for k, text in enumerate(cell):
                at = (COLUMNS[column] + 6, ROWS[row] + 15 + 13 * k)
                page.insert_text(at, text, fontname="serif", fontfile=SERIF, fontsize=11)
                if index in READ:
                    box = (at[0] / WIDTH, (at[1] - 9) / HEIGHT, (at[0] + 150) / WIDTH, (at[1] + 2) / HEIGHT)
                    lines.append(Line.from_words([Word(text=text, confidence=0.95, bbox=box)], block=index))
        erased, tables = erase_table_lines(grey_image(page, dpi=300), 300)  # what OCR reads
    return Image.fromarray(erased), tables, lines


def test_row_numbers_and_codes_alone_in_their_cells_are_read():
    image, tables, lines = _table_page()
    assert len(tables) == 1 and len(tables[0].cells) == 12
    found = read_empty_cells(image, lines, tables, digit_reader)
    assert [line.text for line in found] == ["1.", "1.012345", "2.", "3", "1.013274.H56"]
    for line in found:
        word = line.words[0]
        assert word.confidence >= 0.9
        assert any(c[0] <= word.bbox[0] < word.bbox[2] <= c[2] and c[1] <= word.bbox[1] < word.bbox[3] <= c[3]
                   for c in tables[0].cells)
    # each a block of its own after the page's, so that the table orders them cell by cell
    assert len({line.block for line in found}) == 5 and min(line.block for line in found) > max(l.block for l in lines)


def test_words_several_lines_and_cells_already_read_are_left_alone():
    image, tables, lines = _table_page()
    found = {line.text for line in read_empty_cells(image, lines, tables, digit_reader)}
    # `Phí, lệ phí` (words: that recogniser has no tone marks), `4 5 6` (three lines), an empty cell
    assert not found & {"Phí, lệ phí", "Phi, le phi", "456", "4", ""}
    # a cell with a word read in it is never read again
    stt = Line.from_words([Word(text="l.", confidence=0.4, bbox=(0.11, 0.245, 0.13, 0.255))], block=99)
    again = read_empty_cells(image, [*lines, stt], tables, digit_reader)
    assert "1." not in [line.text for line in again]


def test_no_table_no_cells():
    image, _, lines = _table_page()
    assert read_empty_cells(image, lines, [], digit_reader) == []


@pytest.mark.integration
def test_a_real_appendix_page_gets_its_row_number_in_its_place():
    """qd486's first appendix page at 200 dpi: Tesseract reads every cell but the row's `1.`."""
    with pymupdf.open(REALDOCS / "qd486.pdf") as doc, pymupdf.open() as out:
        out.insert_pdf(doc, from_page=2, to_page=2)
        pixmap = out[0].get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        image_pdf = pymupdf.open()
        image_pdf.new_page(width=out[0].rect.width, height=out[0].rect.height).insert_image(
            out[0].rect, pixmap=pixmap)
        data = image_pdf.tobytes()
    page = read_document(data).pages[0]
    assert "empty_cells" in page.preprocessing
    texts = [line.text for line in page.lines]
    assert "1." in texts
    # in the table's reading order: the row number before its row's procedure
    assert texts.index("1.") < next(i for i, t in enumerate(texts) if t.startswith("Cấp phép sử dụng"))
