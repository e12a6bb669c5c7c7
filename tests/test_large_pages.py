"""Pages over the pixel limit are read downsampled to it; only decompression bombs are refused."""

from __future__ import annotations

import io

import pymupdf
import pytest
from PIL import Image, ImageDraw

from ocr import errors, load
from ocr.pipeline import read_document
from ocr.settings import OcrSettings


def _image_file(size: tuple[int, int], mode: str, fmt: str, dpi: int) -> bytes:
    image = Image.new(mode, size, 255 if mode != "RGB" else (250, 250, 245))
    ImageDraw.Draw(image).rectangle((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, dpi=(dpi, dpi))
    return buffer.getvalue()


@pytest.mark.parametrize("size, limit, scale", [((3000, 4000), 12_000_000, 1.0), ((6000, 8000), 12_000_000, 0.5),
                                                ((2000, 1000), 2_000_001, 1.0)])
def test_the_scale_brings_the_page_within_the_limit(size, limit, scale):
    assert load.downsample_scale(*size, limit) == pytest.approx(scale)


@pytest.mark.parametrize("mode, fmt", [("L", "JPEG"), ("RGB", "PNG"), ("1", "TIFF")])
def test_an_image_over_the_pixel_limit_is_downsampled_and_says_from_what(mode, fmt):
    data = _image_file((4000, 3000), mode, fmt, dpi=1200)
    [page] = load.iter_image_pages(data, OcrSettings(max_page_pixels=1_000_000))
    width, height = page.image.size
    assert 0.97 * 1_000_000 <= width * height <= 1_000_000
    assert width / height == pytest.approx(4 / 3, rel=0.01)
    assert page.dpi == round(1200 * width / 4000)  # the paper's size is kept
    assert page.image.mode in ("L", "RGB")  # a bilevel page is averaged to grey, not thinned out
    assert page.encoded is None  # the JPEG as scanned is not the page any more
    assert page.downsampled_from == "downsampled from 4000x3000 px at 1200 dpi"


def test_an_image_within_the_limit_is_untouched():
    data = _image_file((400, 300), "L", "JPEG", dpi=300)
    [page] = load.iter_image_pages(data, OcrSettings())
    assert (page.image.size, page.dpi, page.downsampled_from, page.encoded) == ((400, 300), 300, None, data)


def test_a_pdf_page_too_large_at_the_ocr_resolution_is_rendered_at_less():
    with pymupdf.open() as doc:
        page = doc.new_page(width=2384, height=3370)  # A0 in points: 139 Mpx at 300 dpi
        rendered = load.render_pdf_page(page, 300, max_pixels=90_000_000)
    width, height = rendered.image.size
    assert width * height <= 90_000_000 and rendered.dpi == 240  # int(300 * 0.805)
    assert rendered.downsampled_from == "downsampled from 9933x14042 px at 300 dpi"


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 900 Mpx declared in a few hundred bytes of PNG: beyond any scan (A4 at 2400 dpi is 557 Mpx).
    header_only = _image_file((30000, 30000), "1", "PNG", dpi=300)
    with pytest.raises(errors.ImageTooLarge, match="decompression bomb"):
        list(load.iter_image_pages(header_only, OcrSettings()))


@pytest.mark.integration
def test_a_downsampled_page_is_read_and_its_record_says_so():
    data = _image_file((2400, 1800), "L", "PNG", dpi=600)
    page = read_document(data, OcrSettings(max_page_pixels=1_000_000)).pages[0]
    assert page.outcome == "ok"
    assert page.preprocessing[0] == "downsampled from 2400x1800 px at 600 dpi"
    assert "upscale" not in page.preprocessing
    assert page.width_px * page.height_px <= 1_000_000
