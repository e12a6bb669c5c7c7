"""A long PDF read as page ranges side by side.

Runs of pages that need OCR (or transcoding) are cut out as small PDFs of their own
(`PageRange`), each read by `read_page_range` wherever the caller's engine runs it (a Dask
worker, perhaps on another machine: a range carries everything it needs, no storage access),
and their searchable PDFs are put back in page order. Pages with a trusted text layer are read
where the document is, in order: they cost milliseconds, and moving them would cost more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pymupdf

from ocr.memory import release_freed
from ocr.settings import OcrSettings
from ocr.types import PageResult


@dataclass(frozen=True)
class PageRange:
    pdf: bytes  # the range's pages, as a PDF of their own
    first: int  # the document's number of the range's first page (1-based)
    pages: int


@dataclass(frozen=True)
class RangeResult:
    pages: list[PageResult]  # numbered as in the document
    pdf: bytes  # the range's searchable pages, in order


# Given the ranges in page order, yields their results in the same order; it may read several at
# once, and should hold only a few ranges' bytes at a time (each is pages of images).
RangeRunner = Callable[[Iterator[PageRange], OcrSettings], Iterator[RangeResult]]


def cut_range(doc: pymupdf.Document, first_index: int, last_index: int) -> PageRange:
    """Pages first_index..last_index (0-based, inclusive) of the open document as a PageRange."""
    with pymupdf.open() as part:
        part.insert_pdf(doc, from_page=first_index, to_page=last_index)
        return PageRange(pdf=part.tobytes(garbage=1, deflate=True), first=first_index + 1,
                         pages=last_index - first_index + 1)


def read_page_range(part: PageRange, settings: OcrSettings) -> RangeResult:
    """Read the range's pages as read_document reads the pages of a PDF (one process, in order)."""
    from ocr.pipeline import read_pdf_pages  # the pipeline imports this module

    try:
        pages, pdf = read_pdf_pages(part.pdf, settings, first_number=part.first)
    finally:
        release_freed()  # what the range's pages left free in this thread's heap, back to the system
    return RangeResult(pages=pages, pdf=pdf)

