"""Numbers and days stamped by the signing software go back into the blanks they fill."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pymupdf
import pytest

from extract.record import extract_document
from ocr.pipeline import read_document
from ocr.reading_order import order_lines
from ocr.stamped import fill_stamped_blanks
from ocr.textlayer import read_text_layer
from ocr.types import Line, Word
from samples import writers
from samples.generate import make_document
from samples.specs import BUILDERS

HEIGHT = 0.017


def _line(*words: tuple[str, float, float], top: float, block: int = 0) -> Line:
    """A line of (text, x0, x1) words standing on one row."""
    boxes = [Word(text=text, confidence=1.0, bbox=(x0, top, x1, top + HEIGHT)) for text, x0, x1 in words]
    return Line.from_words(boxes, block)


NUMBER = _line(("Số:", 0.171, 0.202), ("/QĐ-UBND", 0.250, 0.364), top=0.130)
DATE = _line(
    ("Bắc", 0.470, 0.506),
    ("Giang,", 0.512, 0.577),
    ("ngày", 0.583, 0.628),
    ("tháng", 0.665, 0.718),
    ("02", 0.724, 0.747),
    ("năm", 0.753, 0.793),
    ("2025", 0.800, 0.846),
    top=0.128,
)
TITLE = _line(("QUYẾT", 0.448, 0.532), ("ĐỊNH", 0.538, 0.599), top=0.169, block=1)


def _texts(lines: list[Line]) -> list[str]:
    return [line.text for line in lines]


def test_the_number_and_the_day_fill_their_blanks_in_the_header():
    stamps = [_line(("217", 0.207, 0.239), top=0.132, block=9), _line(("17", 0.636, 0.658), top=0.131, block=9)]
    lines = fill_stamped_blanks([NUMBER, DATE, TITLE, *stamps])
    assert _texts(lines) == ["Số: 217 /QĐ-UBND", "Bắc Giang, ngày 17 tháng 02 năm 2025", "QUYẾT ĐỊNH"]
    # The host keeps its block; its box now covers the stamp.
    assert lines[0].block == NUMBER.block
    assert lines[1].bbox[3] == pytest.approx(0.131 + HEIGHT)


def test_a_day_and_a_month_stamped_on_one_line_fill_two_blanks():
    date = _line(
        ("ngày", 0.580, 0.628), ("tháng", 0.672, 0.728), ("năm", 0.772, 0.814), ("2025", 0.818, 0.868), top=0.127
    )
    stamp = _line(("18", 0.645, 0.667), ("02", 0.727, 0.749), top=0.130, block=9)
    assert _texts(fill_stamped_blanks([date, stamp])) == ["ngày 18 tháng 02 năm 2025"]


def test_a_whole_number_stamped_after_a_lone_so_label():
    label = _line(("Số:", 0.171, 0.202), top=0.130)
    stamp = _line(("217/QĐ-UBND", 0.210, 0.330), top=0.131, block=9)
    assert _texts(fill_stamped_blanks([label, stamp])) == ["Số: 217/QĐ-UBND"]


def test_the_filled_header_reads_left_column_first():
    stamps = [_line(("217", 0.207, 0.239), top=0.132, block=9), _line(("17", 0.636, 0.658), top=0.131, block=9)]
    texts = _texts(order_lines(fill_stamped_blanks([NUMBER, DATE, TITLE, *stamps])))
    assert texts == ["Số: 217 /QĐ-UBND", "Bắc Giang, ngày 17 tháng 02 năm 2025", "QUYẾT ĐỊNH"]


@pytest.mark.parametrize(
    "fragment",
    [
        _line(("2", 0.515, 0.525), top=0.040),  # a page number on a row of its own
        _line(("217", 0.380, 0.420), top=0.131),  # beside the number line, in no gap of it
        _line(("17", 0.600, 0.640), top=0.131),  # over the printed `ngày`
        _line(("17", 0.636, 0.658), top=0.155),  # in the gap's column, a row lower
        _line(("18", 0.636, 0.650), ("02", 0.655, 0.665), ("2025", 0.670, 0.690), top=0.131),  # three words
        _line(("xx", 0.636, 0.658), top=0.131),  # no digit: a word of the text, not a stamp
    ],
    ids=["own-row", "no-gap", "overlap", "other-row", "three-words", "no-digit"],
)
def test_lines_that_fill_no_blank_stay_as_they_are(fragment):
    lines = [NUMBER, DATE, TITLE, fragment]
    assert fill_stamped_blanks(lines) == lines


def test_a_number_after_a_running_text_so_is_left_alone():
    # Justified table text: `số` and its number on one row as separate lines, with no blank.
    words = [_line(("số", 0.462, 0.475), top=0.750), _line(("165/2024/NĐ-CP", 0.502, 0.612), top=0.750)]
    assert fill_stamped_blanks(words) == words


def test_a_line_that_receives_a_stamp_is_not_moved_itself():
    # Two numeric lines share a row: the one with a gap keeps its place and takes the other.
    host = _line(("12", 0.10, 0.13), ("2025", 0.30, 0.36), top=0.5)
    stamp = _line(("7", 0.20, 0.22), top=0.5)
    assert _texts(fill_stamped_blanks([host, stamp])) == ["12 7 2025"]


# Real signed decisions (shared/realdocs, read here, never copied into the repository).
REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs"
STAMPED = [
    "217-QDCB.TTHC.So-Y-te-KCB-phult14.02.2025_18h11p19_signed_signed_signed_signed.pdf",
    "311_QD-UBND_18022025-signed_01.pdf",
    "QCT22.pdf",
    "qd486.pdf",
]


def _truth(name: str) -> dict[str, str]:
    with open(REALDOCS / "truth.jsonl", encoding="utf-8") as lines:
        return next(json.loads(line)["fields"] for line in lines if json.loads(line)["file"] == name)


@pytest.mark.parametrize("name", STAMPED)
def test_a_real_signed_decision_has_its_number_and_day_in_their_lines(name):
    truth = _truth(name)
    number = truth["document_number"].split("/", 1)[0]
    day = dt.date.fromisoformat(truth["issue_date"])
    with pymupdf.open(REALDOCS / "files" / name) as doc:
        texts = _texts(order_lines(read_text_layer(doc[0])))
    assert f"Số: {number} /QĐ-UBND" in texts
    assert any(text.endswith(f", ngày {day.day} tháng {day.month:02d} năm {day.year}") for text in texts)
    assert number not in texts and str(day.day) not in texts


@pytest.mark.parametrize("name", STAMPED)
def test_a_real_signed_decision_yields_its_number_and_issue_date(name):
    truth = _truth(name)
    document = read_document((REALDOCS / "files" / name).read_bytes())
    assert {page.method for page in document.pages} == {"text_layer"}
    fields = extract_document(document.pages, today=dt.date(2026, 1, 1)).fields
    assert fields["document_number"].value == truth["document_number"]
    assert fields["issue_date"].value == truth["issue_date"]


# The generator's signed born-digital variant: number and day written after the page, over blanks.
CASES = [(doc_type, variant) for doc_type, variants in BUILDERS.items() for variant in variants]


@pytest.mark.parametrize(("doc_type", "variant"), CASES, ids=[f"{t}:{v}" for t, v in CASES])
def test_a_generated_signed_pdf_reads_like_its_truth(doc_type, variant):
    doc = make_document(random.Random(f"signed:{variant}"), doc_type, "clean", variant)
    data = writers.pdf_text_bytes(doc.layout, doc.issue_date, signed=True)
    with pymupdf.open("pdf", data) as pdf:
        stream_order = [word[4] for word in pdf[0].get_text("words", sort=False)]
    day = f"{dt.date.fromisoformat(doc.truth['fields']['issue_date']).day:02d}"
    assert stream_order[-1] == day  # the stamps come last, as the signing software leaves them
    fields = extract_document(read_document(data).pages).fields
    for name in ("document_number", "issue_date"):
        assert fields[name].value == doc.truth["fields"][name]
