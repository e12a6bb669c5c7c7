"""ocr/tesseract.py with the real Tesseract: every image mode a page can reach it in reads the same,
and a page read without its blank margins gives boxes on the whole page."""

from __future__ import annotations

import pymupdf
import pytest
from PIL import Image

from ocr.tesseract import ink_box, recognise, recognise_pages
from samples.layout import font

TEXT = "Quyết định về việc bổ sung thủ tục hành chính"


@pytest.fixture(scope="module")
def line_image() -> Image.Image:
    """One line of 13 pt Vietnamese print on a strip of paper, rendered grey at 300 dpi."""
    with pymupdf.open() as doc:
        page = doc.new_page(width=420, height=40)
        page.insert_font(fontname="serif", fontbuffer=font("regular").buffer)
        page.insert_text((12, 26), TEXT, fontname="serif", fontsize=13)
        pixmap = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY, alpha=False)
    return Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)


@pytest.mark.integration
@pytest.mark.parametrize("mode", ["L", "RGB", "1"])
def test_the_page_image_reaches_tesseract_whole_in_any_mode(line_image, mode):
    # The image goes to Tesseract as a BMP file: grey, colour and bilevel pages must all survive it.
    # A bilevel page is thresholded as a scanner does, not dithered (Pillow's default).
    image = line_image.point(lambda v: 255 if v > 128 else 0).convert("1") if mode == "1" else line_image.convert(mode)
    lines = recognise(image, 300, "vie", timeout=60).lines
    assert [word.text for line in lines for word in line.words] == TEXT.split()
    left, top, right, bottom = lines[0].bbox
    # Boxes are fractions of the image: the line starts 12 pt into the 420 pt strip.
    assert 0.02 < left < 0.04 and right < 1.0 and 0.0 < top < bottom < 1.0


def test_the_ink_box_leaves_a_margin_of_paper_and_is_none_when_there_is_nothing_to_cut():
    page = Image.new("L", (2480, 3508), 255)
    assert ink_box(page, 300) is None  # no ink
    page.paste(0, (800, 2000, 1000, 2050))
    assert ink_box(page, 300) == (740, 1940, 1060, 2110)  # 0.2 inch of paper round it
    page.paste(0, (0, 0, 10, 10))
    page.paste(0, (2470, 3498, 2480, 3508))
    assert ink_box(page, 300) is None  # ink to the corners: nothing to leave out


@pytest.mark.integration
def test_a_line_far_from_the_edges_is_read_where_it_stands(line_image):
    # An A4 page at 300 dpi with one line of print low on it: Tesseract reads only the box round
    # the ink, and the words' boxes are still fractions of the whole page.
    page = Image.new("L", (2480, 3508), 255)
    page.paste(line_image, (800, 2000))
    lines = recognise(page, 300, "vie", timeout=60).lines
    assert [word.text for line in lines for word in line.words] == TEXT.split()
    left, top, right, bottom = lines[0].bbox
    assert abs(left - (800 + 12 * 300 / 72) / 2480) < 0.005  # the text starts 12 pt into the strip
    assert 2000 / 3508 < top < bottom < (2000 + line_image.height) / 3508


@pytest.mark.integration
def test_pages_read_in_one_run_read_as_each_alone(line_image):
    # Two pages of other sizes, one with the line low on it, one blank, one with the line on its own:
    # one Tesseract run gives each page its own words and boxes, as a run of its own would.
    low = Image.new("L", (2480, 3508), 255)
    low.paste(line_image, (800, 2000))
    blank = Image.new("L", (1200, 800), 255)
    pages = [low, blank, line_image]
    together = recognise_pages(pages, 300, "vie", timeout=60)
    alone = [recognise(page, 300, "vie", timeout=60) for page in pages]
    assert [r.lines for r in together] == [r.lines for r in alone]
    assert [len(r.lines) for r in together] == [1, 0, 1]
