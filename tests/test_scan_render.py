"""Grey scanned PDF pages are rasterised in grey at the scan's own resolution; other pages as before."""

from __future__ import annotations

import io
import random

import pymupdf
import pytest
from PIL import Image

from ocr import load
from ocr.pipeline import read_document
from ocr.scan_render import Rendering, scan_rendering
from samples.generate import make_document

A4 = pymupdf.paper_rect("a4")


def _image_bytes(dpi: int, mode: str, width_share: float = 1.0) -> bytes:
    size = (round(A4.width / 72 * dpi * width_share), round(A4.height / 72 * dpi))
    image = Image.new(mode, size, "white" if mode != "L" else 255)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _scan_page(doc: pymupdf.Document, dpi: int, mode: str = "L", width_share: float = 1.0) -> pymupdf.Page:
    page = doc.new_page(width=A4.width, height=A4.height)
    box = pymupdf.Rect(0, 0, A4.width * width_share, A4.height)
    page.insert_image(box, stream=_image_bytes(dpi, mode, width_share))
    return page


def test_a_grey_scan_is_rendered_at_its_own_resolution_in_grey():
    with pymupdf.open() as doc:
        page = _scan_page(doc, 200)
        assert scan_rendering(page, 300) == Rendering(200, True)
        dpi, grey = scan_rendering(page, 300)
        rendered = load.render_pdf_page(page, dpi, grey=grey)
        assert rendered.image.mode == "L" and rendered.dpi == 200
        assert abs(rendered.image.width - round(A4.width / 72 * 200)) <= 1


def test_a_finer_scan_is_rendered_at_the_setting():
    with pymupdf.open() as doc:
        assert scan_rendering(_scan_page(doc, 600), 300) == Rendering(300, True)


def test_a_colour_scan_is_rendered_in_colour_at_the_setting():
    # Colour dropout is tuned in pixels at 300 dpi.
    with pymupdf.open() as doc:
        assert scan_rendering(_scan_page(doc, 150, "RGB"), 300) == Rendering(300, False)


def test_visible_text_over_a_grey_scan_keeps_colour():
    # A signature stamp typeset over the scan may be red or blue.
    with pymupdf.open() as doc:
        page = _scan_page(doc, 200)
        page.insert_text((40, 40), "Ký bởi: Ủy ban nhân dân", fontsize=8, color=(1, 0, 0))
        assert scan_rendering(page, 300) == Rendering(300, False)


def test_an_invisible_scanner_layer_does_not_count():
    with pymupdf.open() as doc:
        page = _scan_page(doc, 200)
        page.insert_text((40, 40), "Quyet dinh so 12", fontsize=10, render_mode=3)
        assert scan_rendering(page, 300) == Rendering(200, True)


def test_pages_that_are_not_scans_are_rendered_at_the_setting():
    with pymupdf.open() as doc:
        typeset = doc.new_page(width=A4.width, height=A4.height)
        typeset.insert_text((72, 72), "QUYẾT ĐỊNH", fontsize=14)
        assert scan_rendering(typeset, 300) == Rendering(300, False)
        # An image over less than PAGE_IMAGE_COVER of the page is a picture on a page, not a scan.
        assert scan_rendering(_scan_page(doc, 100, width_share=0.4), 300) == Rendering(300, False)


@pytest.mark.integration
def test_a_200_dpi_scan_is_upscaled_for_tesseract_and_archived_as_scanned():
    document = make_document(random.Random(8), "quyet_dinh", "grey")
    image = document.pages[0].convert("L").resize(
        (round(A4.width / 72 * 200), round(A4.height / 72 * 200)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    with pymupdf.open() as doc:
        page = doc.new_page(width=A4.width, height=A4.height)
        page.insert_image(page.rect, stream=buffer.getvalue())
        data = doc.tobytes()
    result = read_document(data)
    page = result.pages[0]
    assert page.dpi == 200 and "upscale" in page.preprocessing
    assert document.truth["fields"]["document_number"] in page.text.replace(" ", "")
    with pymupdf.open(stream=result.pdf, filetype="pdf") as pdf:
        (info,) = pdf[0].get_image_info()
        assert (info["width"], info["colorspace"]) == (image.width, 1)  # no pixels made up, no colour added
