"""Every generated document type, and every variant of it, through the real Tesseract and extraction.

One clean page each (the recognition decision runs to two), read from an image file: the type and
every field the generator printed must come out exactly as its truth, and nothing more. Accuracy
under harder capture conditions is measured by benchmarks/extraction.py, not here.
"""

from __future__ import annotations

import random

import pytest

from extract import extract_document
from ocr.pipeline import read_document
from samples.generate import document_bytes, make_document
from samples.specs import BUILDERS

pytestmark = pytest.mark.integration

CASES = [(doc_type, variant) for doc_type, variants in BUILDERS.items() for variant in variants]


@pytest.mark.parametrize(("doc_type", "variant"), CASES, ids=[f"{t}:{v}" for t, v in CASES])
def test_a_clean_page_is_read_exactly(doc_type, variant):
    doc = make_document(random.Random(f"every-type:{variant}:0"), doc_type, "clean", variant)
    fmt = "png" if len(doc.pages) == 1 else "tiff"
    read = read_document(document_bytes(doc, fmt))
    extraction = extract_document(read.pages)
    assert [page.outcome for page in read.pages] == ["ok"] * len(doc.pages)
    assert extraction.document_type == doc.truth["document_type"]
    assert {name: field.value for name, field in extraction.fields.items()} == doc.truth["fields"]
