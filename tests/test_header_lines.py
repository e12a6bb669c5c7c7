"""Page 1's header lines that Tesseract's layout analysis lost, found by their ink and read again
(ocr/header_lines.py), with the real Tesseract on generated pages."""

from __future__ import annotations

import io
import random

import pymupdf
import pytest
from PIL import Image, ImageEnhance

from ocr import load, pipeline
from ocr.assemble import PdfBuilder
from ocr.header_lines import recover_header_lines
from ocr.pipeline import _reread_row
from ocr.settings import OcrSettings
from ocr.types import Line
from samples.layout import PageLayout, centred, scribble
from samples.render import render_page
from test_handwritten_digits import perfect_ocr_lines

pytestmark = pytest.mark.integration

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
LEFT = ["BỘ CÔNG AN", "Số: 4409/BCA-C04", "V/v tham gia ý kiến vào Dự thảo", "Quyết định của Thủ tướng"]
DATE = "Hà Nội, ngày 01 tháng 10 năm 2025"


def _header() -> PageLayout:
    lines = [centred(text, 150.0, 80.0 + 16.0 * i, "regular", 12.0) for i, text in enumerate(LEFT)]
    lines += [centred(text, 430.0, 80.0 + 16.0 * i, "bold", 12.0) for i, text in enumerate(MOTTO)]
    lines.append(centred(DATE, 430.0, 128.0, "italic", 12.0))
    return PageLayout(lines=lines)


def _ocr_lines(page: PageLayout, texts: list[str]) -> list[Line]:
    """The lines of `texts` where a perfect OCR would box their words."""
    return [line for line in perfect_ocr_lines(page) if line.text in texts]


def _faint(image: Image.Image) -> Image.Image:
    """The page as a faint copy prints it: black print turned light grey."""
    return ImageEnhance.Contrast(image.convert("L")).enhance(0.35)


def _reread(calls: list[Image.Image]):
    def reread(crop: Image.Image) -> list[Line]:
        calls.append(crop)
        return _reread_row(crop, 300, OcrSettings(), psm=6)
    return reread


def test_the_lost_subject_and_date_lines_of_a_faint_copy_are_read_again() -> None:
    page = _header()
    image = _faint(render_page(page, 300))
    read = _ocr_lines(page, [*MOTTO, *LEFT[:2]])  # Tesseract lost the subject and the date
    calls: list[Image.Image] = []
    found = recover_header_lines(image, read, _reread(calls))
    texts = [line.text for line in found]
    assert texts == [LEFT[2], LEFT[3], DATE] and len(calls) == 2  # one call per column's run
    for line in found:
        assert 0.1 < line.bbox[1] < 0.25 and not any(w.bbox == o.bbox for o in read for w in line.words)


def test_a_header_read_whole_costs_no_tesseract_call() -> None:
    page = _header()
    calls: list[Image.Image] = []
    assert recover_header_lines(render_page(page, 300), _ocr_lines(page, [*MOTTO, *LEFT, DATE]), _reread(calls)) == []
    assert calls == []


def test_strokes_and_a_scribble_in_the_header_are_not_taken_for_text() -> None:
    page = _header()
    page.strokes = scribble(random.Random(3), 330.0, 150.0, 160.0, 16.0)
    calls: list[Image.Image] = []
    found = recover_header_lines(render_page(page, 300), _ocr_lines(page, [*MOTTO, *LEFT, DATE]), _reread(calls))
    assert found == [] and len(calls) == 1  # read again, and what came back is no text


@pytest.mark.parametrize("switched_on", [True, False])
def test_the_stage_runs_on_page_one_unless_switched_off(switched_on: bool, monkeypatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(pipeline, "recover_header_lines", lambda image, lines, reread: calls.append(len(lines)) or [])
    buffer = io.BytesIO()
    render_page(_header(), 150).save(buffer, format="PDF", resolution=150)
    settings = OcrSettings(header_lines=switched_on)
    with pymupdf.open(stream=buffer.getvalue()) as doc:
        image_page = load.render_pdf_page(doc[0], settings.dpi)
    pipeline._ocr_page(pipeline._ocr_job(1, image_page, settings, "ocr: test"), PdfBuilder())
    assert len(calls) == (1 if switched_on else 0)
