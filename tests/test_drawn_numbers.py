"""Numbers and days that signing software draws as glyph outlines into a born-digital page's blanks."""

from __future__ import annotations

import random
from typing import NoReturn

import pymupdf
import pytest

from extract import extract_document
from ocr.digit_reader import Reading
from ocr.drawn_numbers import DISAGREED_CONFIDENCE, read_drawn_numbers
from ocr.pipeline import read_document
from ocr.settings import OcrSettings
from ocr.textlayer import read_text_layer
from samples import writers
from samples.generate import OUTLINED_SHARE, document_bytes, make_document
from samples.specs import BUILDERS


def _outlined_decision(variant: str = "recognition"):
    doc = make_document(random.Random(f"signed:{variant}"), "quyet_dinh", "clean", variant)
    return doc, writers.pdf_text_bytes(doc.layout, doc.issue_date, signed=True, outlined=True)


@pytest.mark.parametrize(("doc_type", "variant"), [("quyet_dinh", "recognition"), ("quyet_dinh", "land_allocation"),
                                                   ("cong_van", "office"), ("giay_khai_sinh", "birth_certificate")])
def test_an_outlined_number_and_day_are_read_into_their_blanks(doc_type: str, variant: str) -> None:
    doc = make_document(random.Random(f"signed:{variant}"), doc_type, "clean", variant)
    data = writers.pdf_text_bytes(doc.layout, doc.issue_date, signed=True, outlined=True)
    number = doc.truth["fields"]["document_number"].split("/")[0]
    with pymupdf.open("pdf", data) as pdf:
        assert number not in pdf[0].get_text()  # drawn, not text
    document = read_document(data)
    assert document.pages[0].method == "text_layer"
    assert "drawn_numbers" in document.pages[0].preprocessing
    extraction = extract_document(document.pages)
    for name in ("document_number", "issue_date"):
        assert extraction.fields[name].value == doc.truth["fields"][name]
    assert not [reason for reason in extraction.review_reasons if "number" in reason or "date" in reason]


class _Reader:
    """The digit reader's part, played by a fake that reads every run as `text`."""

    def __init__(self, text: str):
        self.text = text

    def read(self, image) -> Reading:
        return Reading(self.text, tuple(0.99 for _ in self.text))


def _no_reader() -> NoReturn:
    raise AssertionError("the recogniser is made only when a run of shapes stands in a blank")


def _page_lines(data: bytes):
    pdf = pymupdf.open("pdf", data)
    return pdf, read_text_layer(pdf[0])


def test_two_readings_apart_leave_the_digits_in_doubt() -> None:
    """The digit reader read an italic `11`, Tesseract `77`: the digits go in, unsure."""
    doc, data = _outlined_decision()
    number = doc.truth["fields"]["document_number"].split("/")[0]
    pdf, lines = _page_lines(data)
    with pdf:
        agreed, _ = read_drawn_numbers(pdf[0], lines, lambda: _Reader(number), lambda image, dpi: [])
    number_line = next(line for line in agreed if line.text.startswith("Số:"))
    word = next(w for w in number_line.words if w.text == number)
    assert word.confidence == DISAGREED_CONFIDENCE and word.digits_agreed is None


def test_a_reading_that_is_no_number_is_left_out() -> None:
    doc, data = _outlined_decision()
    pdf, lines = _page_lines(data)
    with pdf:
        kept, read = read_drawn_numbers(pdf[0], lines, lambda: _Reader("QĐ"), lambda image, dpi: [])
    assert read == [] and kept == lines


def test_a_page_without_blanks_is_not_searched() -> None:
    doc = make_document(random.Random("signed:recognition"), "quyet_dinh", "clean", "recognition")
    data = writers.pdf_text_bytes(doc.layout, doc.issue_date)  # number and day printed
    pdf, lines = _page_lines(data)
    with pdf:
        kept, read = read_drawn_numbers(pdf[0], lines, _no_reader, lambda image, dpi: [])
    assert read == [] and kept == lines


def test_the_stage_can_be_switched_off() -> None:
    _, data = _outlined_decision()
    document = read_document(data, settings=OcrSettings(drawn_numbers=False))
    assert document.pages[0].preprocessing == []
    assert "document_number" not in extract_document(document.pages).fields


def test_the_generator_draws_outlines_for_some_stamped_files() -> None:
    outlined = 0
    cases = [(t, v) for t, variants in BUILDERS.items() for v in variants]
    for doc_type, variant in cases:
        doc = make_document(random.Random(f"signed:{variant}"), doc_type, "clean", variant)
        with pymupdf.open("pdf", document_bytes(doc, "pdf-stamped")) as pdf:
            number = doc.truth["fields"]["document_number"].split("/")[0]
            outlined += number not in pdf[0].get_text()
    assert 0 < outlined < len(cases)
    assert abs(outlined / len(cases) - OUTLINED_SHARE) < 0.25
