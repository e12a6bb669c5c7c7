"""Build the one searchable PDF of a document from its pages.

An OCR'd page is the page image with Tesseract's invisible text layer laid over it (as
OCRmyPDF's sandwich renderer does): the image keeps its colour while Tesseract reads a
grey copy. Pages with a trusted text layer are copied from the source PDF as they are; a
page that could not be read keeps its image, so the archive copy is never missing a page.
"""

from __future__ import annotations

import io

import pymupdf
from PIL import Image

POINTS_PER_INCH = 72
JPEG_QUALITY = 85


class PdfBuilder:
    def __init__(self) -> None:
        self._doc = pymupdf.open()

    def add_source_page(self, source: pymupdf.Document, index: int) -> None:
        self._doc.insert_pdf(source, from_page=index, to_page=index)

    def add_image_page(self, image: Image.Image, dpi: int, encoded: bytes | None = None,
                       text_pdf: bytes | None = None) -> None:
        """A page showing the image at its true size, with an optional text layer on top.

        `encoded` is the image's own file (a JPEG as scanned) to embed without re-encoding.
        """
        width = image.width * POINTS_PER_INCH / dpi
        height = image.height * POINTS_PER_INCH / dpi
        page = self._doc.new_page(width=width, height=height)
        page.insert_image(page.rect, stream=encoded or encode_page_image(image))
        if text_pdf is not None:
            with pymupdf.open(stream=text_pdf, filetype="pdf") as layer:
                page.show_pdf_page(page.rect, layer, 0, overlay=True)

    def build(self) -> bytes:
        data = self._doc.tobytes(garbage=3, deflate=True)
        self._doc.close()
        return data


def encode_page_image(image: Image.Image) -> bytes:
    """JPEG for grey and colour scans (as archives do), lossless PNG for bilevel ones."""
    buffer = io.BytesIO()
    if image.mode == "1":
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()
