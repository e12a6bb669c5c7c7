"""read_document on rendered pages with the real Tesseract: orientation, per-page outcomes."""

from __future__ import annotations

import io
import random

import pymupdf
import pytest

import ocr.pipeline
import ocr.preprocess
from ocr.pipeline import read_document
from ocr.tesseract import TesseractTimeout
from samples.generate import make_document


@pytest.fixture(scope="module")
def document():
    return make_document(random.Random(8), "quyet_dinh", "grey")


def _png(image, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


@pytest.mark.integration
def test_upside_down_page_is_read_upright(document):
    number = document.truth["fields"]["document_number"]
    result = read_document(_png(document.pages[0].rotate(180), document.dpi))
    page = result.pages[0]
    assert page.rotation == 180 and "orientation" in page.preprocessing
    assert number in page.text.replace(" ", "")
    with pymupdf.open(stream=result.pdf, filetype="pdf") as pdf:
        shown = pdf[0].get_pixmap(dpi=20)
        upright = pymupdf.open(stream=_png(document.pages[0], document.dpi), filetype="png")[0].get_pixmap(dpi=20)
        # The archive page is stored upright: its top band holds the header's ink like the original's.
        assert abs(_top_ink(shown) - _top_ink(upright)) < 0.02


@pytest.mark.integration
def test_a_quarter_turn_is_kept_only_when_it_reads_better(document, monkeypatch):
    number = document.truth["fields"]["document_number"]
    page = read_document(_png(document.pages[0].rotate(90, expand=True), document.dpi)).pages[0]
    assert page.rotation in (90, 270) and number in page.text.replace(" ", "")
    # A row profile fooled into turning an upright page (as a sparse signature page can):
    # the reading of the page as scanned wins.
    monkeypatch.setattr(ocr.preprocess, "SIDEWAYS_MARGIN", 0.0)
    page = read_document(_png(document.pages[0], document.dpi)).pages[0]
    assert page.rotation % 180 == 0 and number in page.text.replace(" ", "")


@pytest.mark.integration
def test_a_blank_page_is_read_once(monkeypatch):
    # A blank back of a sheet reads as no words: turning it over would read nothing again.
    from PIL import Image

    calls = []
    recognise = ocr.pipeline.recognise
    monkeypatch.setattr(ocr.pipeline, "recognise", lambda *a, **k: calls.append(1) or recognise(*a, **k))
    page = read_document(_png(Image.new("L", (1654, 2339), 255), 200)).pages[0]
    assert page.outcome == "ok" and page.lines == [] and page.rotation == 0
    assert len(calls) == 1


def _top_ink(pixmap) -> float:
    samples = pixmap.samples
    band = samples[: len(samples) // 6]
    return sum(1 for b in band if b < 128) / len(band)


@pytest.mark.integration
def test_a_page_that_times_out_keeps_its_image_and_the_rest_is_read(document, monkeypatch):
    tiff = io.BytesIO()
    first, second = document.pages[0], document.pages[0].copy()
    first.save(tiff, format="TIFF", save_all=True, append_images=[second], dpi=(document.dpi, document.dpi))
    real = ocr.pipeline.recognise
    calls = []

    def slow_on_second_page(image, dpi, language, timeout):
        calls.append(1)
        if len(calls) == 2:
            raise TesseractTimeout(f"Tesseract took longer than {timeout} s")
        return real(image, dpi, language, timeout)

    monkeypatch.setattr(ocr.pipeline, "recognise", slow_on_second_page)
    result = read_document(tiff.getvalue())
    assert [p.outcome for p in result.pages] == ["ok", "timeout"]
    assert "longer than" in result.pages[1].error
    assert result.pages[1].lines == []
    assert document.truth["fields"]["document_number"] in result.pages[0].text.replace(" ", "")
    with pymupdf.open(stream=result.pdf, filetype="pdf") as pdf:
        assert pdf.page_count == 2 and pdf[1].get_images()


def _image_pdf(images: list, dpi: int) -> bytes:
    with pymupdf.open() as doc:
        for image in images:
            page = doc.new_page(width=image.width * 72 / dpi, height=image.height * 72 / dpi)
            page.insert_image(page.rect, stream=_png(image, dpi))
        return doc.tobytes()


@pytest.mark.integration
def test_a_pdfs_pages_are_read_by_one_tesseract_run_and_one_by_one_when_it_fails(document, monkeypatch):
    data = _image_pdf([document.pages[0], document.pages[0].rotate(180)], document.dpi)
    runs = []
    real = ocr.pipeline.recognise_pages

    def counted(images, *args, **kwargs):
        runs.append(len(images))
        return real(images, *args, **kwargs)

    monkeypatch.setattr(ocr.pipeline, "recognise_pages", counted)
    together = read_document(data)
    assert runs == [2]  # both pages in one run; the upside-down one read again turned
    assert together.pages[1].rotation == 180
    number = document.truth["fields"]["document_number"]
    assert all(number in page.text.replace(" ", "") for page in together.pages)

    def failing(images, *args, **kwargs):
        raise TesseractTimeout("Tesseract took longer than 180 s a page")

    monkeypatch.setattr(ocr.pipeline, "recognise_pages", failing)
    alone = read_document(data)
    assert [page.text for page in alone.pages] == [page.text for page in together.pages]
    assert [page.outcome for page in alone.pages] == ["ok", "ok"]


@pytest.mark.parametrize("encoding", ["vni", "tcvn3"])
def test_legacy_font_pdf_ends_as_unicode_vietnamese(encoding):
    from samples.legacy_pdf import DECREE_LINES, legacy_pdf_bytes

    result = read_document(legacy_pdf_bytes(DECREE_LINES, encoding))
    page = result.pages[0]
    assert page.method == "transcoded" and page.preprocessing == [f"transcode_{encoding}"]
    assert " ".join(page.text.split()) == " ".join(" ".join(DECREE_LINES).split())
    with pymupdf.open(stream=result.pdf, filetype="pdf") as pdf:
        searchable = " ".join(pdf[0].get_text().split())
    assert searchable == " ".join(page.text.split())  # the archive's text layer is the corrected text
