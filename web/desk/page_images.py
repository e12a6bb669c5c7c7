"""Page images for the record page, rendered from the record's stored searchable PDF with PyMuPDF.

The PDF holds each page as archived (upright, deskewed), so the OCR's word boxes, stored as
fractions of the page, fall on the same words of the image at any zoom.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import pymupdf

BASE_DPI = 120  # a page fills the desk's image column at 1366x768 and stays readable
MIN_ZOOM, MAX_ZOOM = 0.5, 3.0


class PageMissing(LookupError):
    """The PDF has no page of that number."""


def render_page(pdf: bytes, number: int, zoom: float = 1.0) -> bytes:
    """Page `number` (1-based) as PNG at BASE_DPI × zoom."""
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        if not 1 <= number <= document.page_count:
            raise PageMissing(f"page {number} of {document.page_count}")
        pixmap = document[number - 1].get_pixmap(dpi=round(BASE_DPI * zoom), alpha=False)
        return pixmap.tobytes("png")


class PdfCache:
    """The PDFs fetched last, kept in memory up to `max_bytes`: a record's pages and zoom levels
    then cost one download from object storage, not one each (a scanned volume's PDF is large)."""

    def __init__(self, max_bytes: int = 96 * 2**20):
        self.max_bytes = max_bytes
        self._pdfs: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # page images are rendered in several threads at once

    def get(self, key: str, fetch: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._pdfs:
                self._pdfs.move_to_end(key)
                return self._pdfs[key]
        pdf = fetch()
        with self._lock:
            if key not in self._pdfs and len(pdf) <= self.max_bytes:
                self._pdfs[key] = pdf
                self._size += len(pdf)
                while self._size > self.max_bytes:
                    _key, dropped = self._pdfs.popitem(last=False)
                    self._size -= len(dropped)
        return pdf
