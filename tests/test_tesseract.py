"""ocr/tesseract.py with the real Tesseract: every image mode a page can reach it in reads the same."""

from __future__ import annotations

import pymupdf
import pytest
from PIL import Image

from ocr.tesseract import recognise
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
