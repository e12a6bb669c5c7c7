"""Ruled tables (ocr/tables.py, ocr/table_lines.py): found from their rules, read row by row, cell by cell.

Small table pages are drawn here with PyMuPDF (rules and text placed where a word processor puts
them); the real appendix pages are read at test time from ../shared/realdocs, never copied.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from rapidfuzz.distance import Levenshtein

from ocr.pipeline import read_document
from ocr.reading_order import order_lines
from ocr.table_lines import RULE_MM, erase_table_lines, read_pdf_tables
from ocr.tables import Table, order_page_lines
from ocr.textlayer import read_text_layer
from ocr.types import Line, Word
from samples import writers
from samples.generate import document_bytes, make_document
from samples.layout import FONT_DIR, STYLES

SERIF = str(FONT_DIR / STYLES["regular"])  # Vietnamese letters, as the generator's pages
REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs" / "files"
CODE = re.compile(r"\b[123]\.\d{6}\b")
# Columns (x in points) and rows (y) of the drawn table; each cell's printed lines.
COLUMNS = (60, 100, 300, 540)
ROWS = (200, 230, 330)
CELLS = (
    ("STT",), ("Tên thủ tục hành chính",), ("Căn cứ pháp lý",),
    ("1",), ("1.012345 Đăng ký đất đai,", "tài sản gắn liền với đất", "lần đầu"),
    ("Luật Đất đai số 31/2024/QH15;", "Nghị định số 101/2024/NĐ-CP"),
)
EXPECTED = ["Phụ lục", "DANH MỤC THỦ TỤC", *(text for cell in CELLS for text in cell),
            "Ghi chú: cuối trang."]


def table_page(doc: pymupdf.Document) -> pymupdf.Page:
    """An A4 page: a title, a ruled 3x2 table with cells of several lines, a note under it."""
    page = doc.new_page(width=595, height=842)
    page.insert_text((270, 120), "Phụ lục", fontname="serif", fontfile=SERIF, fontsize=12)
    page.insert_text((220, 150), "DANH MỤC THỦ TỤC", fontname="serif", fontfile=SERIF, fontsize=12)
    for y in ROWS:
        page.draw_line((COLUMNS[0], y), (COLUMNS[-1], y), width=0.6)
    for x in COLUMNS:
        page.draw_line((x, ROWS[0]), (x, ROWS[-1]), width=0.6)
    # Written column by column, as some producers do: stream order is not reading order either.
    for column in range(3):
        for row in range(2):
            for index, text in enumerate(CELLS[row * 3 + column]):
                at = (COLUMNS[column] + 4, ROWS[row] + 16 + 15 * index)
                page.insert_text(at, text, fontname="serif", fontfile=SERIF, fontsize=11)
    page.insert_text((60, 370), "Ghi chú: cuối trang.", fontname="serif", fontfile=SERIF, fontsize=12)
    return page


def texts(lines) -> list[str]:
    return [line.text for line in lines]


def grey_image(page: pymupdf.Page, dpi: int = 300) -> np.ndarray:
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width).copy()


def test_a_drawn_table_is_found_with_its_cells_row_by_row():
    with pymupdf.open() as doc:
        tables = read_pdf_tables(table_page(doc))
    assert len(tables) == 1
    expected = [(COLUMNS[c] / 595, ROWS[r] / 842, COLUMNS[c + 1] / 595, ROWS[r + 1] / 842)
                for r in range(2) for c in range(3)]
    assert np.allclose(tables[0].cells, expected, atol=1e-3)


def test_the_text_layer_is_read_cell_by_cell_with_the_text_around_in_place():
    with pymupdf.open() as doc:
        page = table_page(doc)
        lines = read_text_layer(page)
        assert texts(order_page_lines(lines, read_pdf_tables(page))) == EXPECTED
        # Read by position alone, the lines of the row's cells interleave.
        assert texts(order_lines(lines)) != EXPECTED


def test_cell_order_does_not_depend_on_the_order_words_come_in():
    with pymupdf.open() as doc:
        page = table_page(doc)
        lines = read_text_layer(page)
        tables = read_pdf_tables(page)
    random.Random(3).shuffle(lines)
    assert texts(order_page_lines(lines, tables)) == EXPECTED


def test_words_where_a_broken_rule_left_no_cell_keep_their_place_in_the_row():
    # A 3x2 grid whose header cell in the middle was lost (its top rule broken on the scan).
    xs, ys = (0.1, 0.3, 0.6, 0.9), (0.2, 0.3, 0.5)
    cells = [(xs[c], ys[r], xs[c + 1], ys[r + 1]) for r in range(2) for c in range(3) if (r, c) != (0, 1)]
    table = Table(bbox=(0.1, 0.2, 0.9, 0.5), cells=cells)

    def words(text: str, x: float, y: float) -> list[Word]:
        return [Word(text=word, confidence=0.9, bbox=(x + 0.05 * i, y, x + 0.05 * i + 0.04, y + 0.015))
                for i, word in enumerate(text.split())]

    # As Tesseract may give them: one line straight across each row.
    header = Line.from_words([*words("STT", 0.12, 0.24), *words("Mã TTHC", 0.32, 0.24), *words("Tên", 0.62, 0.24)], 0)
    row = Line.from_words([*words("1", 0.12, 0.32), *words("1.000314", 0.32, 0.32), *words("Cấp phép", 0.62, 0.32)], 0)
    lower = Line.from_words(words("lần đầu", 0.62, 0.35), 0)
    ordered = texts(order_page_lines([lower, row, header], [table]))
    assert ordered == ["STT", "Mã TTHC", "Tên", "1", "1.000314", "Cấp phép", "lần đầu"]


def test_highlights_and_a_lone_underline_are_no_table():
    with pymupdf.open() as doc:
        page = doc.new_page(width=595, height=842)
        page.insert_text((100, 100), "ỦY BAN NHÂN DÂN", fontname="serif", fontfile=SERIF, fontsize=13)
        page.draw_line((110, 106), (200, 106), width=0.5)
        for x in range(100, 400, 40):  # word shading, one line high, side by side
            page.draw_rect(pymupdf.Rect(x, 190, x + 36, 206), color=None, fill=(1, 1, 0))
        assert read_pdf_tables(page) == []
        grey = grey_image(page)
    erased, tables = erase_table_lines(grey, 300)
    assert tables == [] and erased is grey


def test_an_image_table_is_found_and_its_rules_erased():
    with pymupdf.open() as doc:
        page = table_page(doc)
        grey = grey_image(page)
        plain = grey_image(page)  # the same page without its rules, to compare the print with
        for path in page.get_drawings():
            page.draw_rect(path["rect"] + (-2, -2, 2, 2), color=None, fill=(1, 1, 1))
        text_only = grey_image(page)
    erased, tables = erase_table_lines(grey, 300)
    assert len(tables) == 1 and len(tables[0].cells) == 6
    with pymupdf.open() as doc:
        expected = read_pdf_tables(table_page(doc))[0].cells
    assert np.allclose(tables[0].cells, expected, atol=0.005)
    # No run of ink as long as a rule is left, and the print is untouched.
    ink = (erased < 128).astype(np.uint8)
    length = round(RULE_MM[False] / 25.4 * 300)
    assert not cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)).any()
    assert not cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)).any()
    assert np.count_nonzero(erased < 128) == pytest.approx(np.count_nonzero(text_only < 128), rel=0.02)
    assert np.count_nonzero(plain < 128) > np.count_nonzero(erased < 128)


def test_a_dark_scanner_border_is_no_table_nor_part_of_one():
    doc = make_document(random.Random(0), "quyet_dinh", "appendix_table+border")
    found = [erase_table_lines(np.asarray(page.convert("L")), doc.dpi)[1] for page in doc.pages]
    assert all(tables == [] for tables in found[:-1])
    (table,) = found[-1]
    assert 0.1 < table.bbox[0] and table.bbox[2] < 0.95  # the ruled table, not the page's edges


def test_a_book_scan_s_dark_edges_and_gutter_are_no_table():
    # Two pages side by side on a dark scanner bed: bands along the four edges and down the middle.
    with pymupdf.open() as doc:
        grey = grey_image(doc.new_page(width=595, height=842))
    height, width = grey.shape
    for band in (np.s_[:60], np.s_[-60:], np.s_[:, :60], np.s_[:, -60:], np.s_[:, width // 2 - 30:width // 2 + 30]):
        grey[band] = 40
    erased, tables = erase_table_lines(grey, 300)
    assert tables == [] and erased is grey


def test_the_table_stage_can_be_switched_off():
    from ocr.preprocess import PrepareOptions, prepare_page
    from PIL import Image

    with pymupdf.open() as doc:
        image = Image.fromarray(grey_image(table_page(doc)))
    assert "table_lines" in prepare_page(image, 300, None, PrepareOptions()).stages
    prepared = prepare_page(image, 300, None, PrepareOptions(table_lines=False))
    assert "table_lines" not in prepared.stages and prepared.tables == []


# ---- the generator's appendix page --------------------------------------------------------------

def test_the_appendix_condition_adds_a_ruled_page_and_keeps_the_document():
    clean = make_document(random.Random(11), "quyet_dinh", "clean")
    appended = make_document(random.Random(11), "quyet_dinh", "appendix_table")
    assert len(appended.pages) == len(clean.pages) + 1
    assert all(np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(clean.pages, appended.pages))
    assert appended.truth["page_texts"][:-1] == clean.truth["page_texts"]
    assert appended.truth["fields"] == clean.truth["fields"]
    last = appended.truth["page_texts"][-1]
    number = "".join(clean.truth["fields"]["document_number"].split())
    assert last.startswith("Phụ lục\n") and f"Kèm theo Quyết định số {number}" in last
    assert len(CODE.findall(last)) >= 3
    assert appended.layout[-1].vertical_rules


def test_the_born_digital_appendix_reads_as_its_truth():
    doc = make_document(random.Random(4), "quyet_dinh", "appendix_table")
    page = read_document(document_bytes(doc, "pdf-text")).pages[-1]
    assert page.method == "text_layer"
    assert page.text.split() == doc.truth["page_texts"][-1].split()
    assert [line.text for line in page.lines] == doc.truth["page_texts"][-1].split("\n")


# ---- real appendices (../shared/realdocs) -------------------------------------------------------

def _normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    "name, number, bound",
    # Measured: 0.050 (the signing software's stamp, last in the stream, is read first), 0.057, 0.000;
    # read by position alone the same pages score 0.64, 0.48, 0.57.
    [("DANHMUCTTHCKhoangsannhomIV.pdf", 1, 0.08), ("qd486.pdf", 3, 0.08),
     ("00.00.H57-441-QD-UBND-2025-PL1_signed.pdf", 3, 0.02)],
)
def test_a_real_appendix_page_reads_in_its_layer_order_with_whole_codes(name, number, bound):
    with pymupdf.open(REALDOCS / name) as doc:
        page = doc[number - 1]
        reference = _normalised(page.get_text())
        text = _normalised(" ".join(texts(order_page_lines(read_text_layer(page), read_pdf_tables(page)))))
    assert Levenshtein.distance(text, reference) / len(reference) < bound
    assert CODE.findall(text) == CODE.findall(reference)


@pytest.mark.integration
@pytest.mark.parametrize("condition", ["appendix_table", "appendix_table+scan"])
def test_an_ocrd_appendix_page_has_no_rules_in_its_text_and_whole_codes(condition):
    doc = make_document(random.Random(0), "quyet_dinh", condition)
    truth = doc.truth["page_texts"][-1]
    page = read_document(writers.png_bytes([doc.pages[-1]], doc.dpi)).pages[0]
    assert "table_lines" in page.preprocessing
    assert "|" not in page.text
    assert set(CODE.findall(truth)) <= set(CODE.findall(page.text))
    # Measured 0.003 and 0.009; raw Tesseract on the same pages 0.18 and 0.37.
    assert Levenshtein.distance(_normalised(page.text), _normalised(truth)) / len(_normalised(truth)) < 0.05
