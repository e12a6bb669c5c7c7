"""Rendering a PDF page for OCR: a grey scan is rendered grey, anything with colour in RGB."""

from __future__ import annotations

import io

import pymupdf
from PIL import Image

from ocr import load


def _page_with(image: Image.Image, text: str | None = None) -> pymupdf.Document:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=280)
    page.insert_image(page.rect, stream=buffer.getvalue())
    if text:
        page.insert_text((20, 20), text)
    return doc


def test_a_page_of_grey_images_renders_grey():
    with _page_with(Image.new("L", (100, 140), 200)) as doc:
        assert load.render_pdf_page(doc[0], 72).image.mode == "L"


def test_a_colour_image_renders_in_colour():
    # A red seal on a colour scan must reach colour dropout.
    with _page_with(Image.new("RGB", (100, 140), (220, 30, 30))) as doc:
        rendered = load.render_pdf_page(doc[0], 72).image
    assert rendered.mode == "RGB"
    assert rendered.getpixel((50, 70))[1] < 100


def test_a_grey_image_under_text_renders_in_colour():
    # Text drawn over the scan (a signature stamp) may be coloured: only a bare scan is rendered grey.
    with _page_with(Image.new("L", (100, 140), 200), text="Ký bởi") as doc:
        assert load.render_pdf_page(doc[0], 72).image.mode == "RGB"
