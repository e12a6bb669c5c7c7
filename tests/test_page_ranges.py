"""A long PDF read as page ranges (ocr/page_ranges.py) reads as it does page after page."""

from __future__ import annotations

import pickle
import random
from datetime import date

import pymupdf
import pytest

from ocr.page_ranges import PageRange, read_page_range
from ocr.pipeline import _plan_ranges, read_document
from ocr.settings import OcrSettings
from samples.generate import make_document
from samples.writers import pdf_scan_bytes, pdf_text_bytes


def test_text_pages_stay_here_and_the_others_go_in_ranges_of_at_most_size():
    text_layer = [True, False, False, False, True, True, False]
    assert _plan_ranges(text_layer, 2) == [(True, 0, 0), (False, 1, 2), (False, 3, 3), (True, 4, 5), (False, 6, 6)]
    assert _plan_ranges([False] * 5, 8) == [(False, 0, 4)]
    assert _plan_ranges([True] * 3, 1) == [(True, 0, 2)]


def in_order(ranges, settings):
    """A runner as an engine is one: every range crosses a process boundary (pickled) both ways."""
    for part in ranges:
        yield pickle.loads(pickle.dumps(read_page_range(pickle.loads(pickle.dumps(part)), settings)))


@pytest.fixture(scope="module")
def mixed_pdf() -> bytes:
    """A typed page, then three scanned pages (a decision's pages, grey), then another typed page."""
    rng = random.Random(3)
    typed = make_document(rng, "quyet_dinh", "clean")
    scanned = make_document(rng, "quyet_dinh", "grey")
    with pymupdf.open() as doc:
        for part in (pdf_text_bytes(typed.layout[:1], date(2025, 3, 1)),
                     pdf_scan_bytes((scanned.pages * 3)[:3], scanned.dpi, date(2025, 3, 1)),
                     pdf_text_bytes(typed.layout[:1], date(2025, 3, 1))):
            with pymupdf.open("pdf", part) as source:
                doc.insert_pdf(source)
        return doc.tobytes()


@pytest.mark.integration
def test_ranges_read_as_one_process_reads_page_after_page(mixed_pdf, tmp_path):
    settings = OcrSettings(range_pages=2)
    told: list[int] = []
    original = tmp_path / "original"  # on disk, as process_document reads it
    original.write_bytes(mixed_pdf)
    ranged = read_document(original, settings, on_page=lambda page: told.append(page.number), run_ranges=in_order)
    plain = read_document(mixed_pdf, settings)
    assert told == [1, 2, 3, 4, 5]
    assert [p.method for p in ranged.pages] == ["text_layer", "ocr", "ocr", "ocr", "text_layer"]
    assert [p.number for p in ranged.pages] == [1, 2, 3, 4, 5]
    assert [p.text for p in ranged.pages] == [p.text for p in plain.pages]
    assert ranged.pages[1].text.strip()
    with pymupdf.open("pdf", ranged.pdf) as pdf:
        assert pdf.page_count == 5
        # Each page's searchable text is where it was: the ranges went back in page order.
        for page, result in zip(pdf, ranged.pages):
            first_words = result.lines[0].text.split()[:2]
            assert " ".join(first_words) in " ".join(page.get_text().split())


def test_a_range_is_numbered_as_in_the_document():
    rng = random.Random(4)
    typed = make_document(rng, "quyet_dinh", "clean")
    part = PageRange(pdf=pdf_text_bytes(typed.layout[:1], date(2025, 3, 1)), first=7, pages=1)
    result = read_page_range(part, OcrSettings())
    assert [p.number for p in result.pages] == [7]
    assert result.pages[0].method == "text_layer"
