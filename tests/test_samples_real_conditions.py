"""The generator's file conditions modelled on real files (samples.generate.FILE_CONDITIONS).

Each must write the structure the real files show, and sohoa's triage must take it the way it
takes the real ones: a signature stamp over a scan is kept beside OCR, a scanner's unmarked
OCR layer is ignored, a born-digital PDF with stamped number and day is read from its layer.
"""

from __future__ import annotations

import random
import unicodedata

import pymupdf
import pytest
import pytesseract

from extract import extract_document
from ocr.pipeline import read_document
from ocr.triage import triage_page
from samples import writers
from samples.generate import (CONDITION_SETS, FILE_CONDITIONS, document_bytes, make_document, pick_format,
                              signature_stamp)

SEEDS = range(3)


def generated(condition: str, seed: int, doc_type: str | None = None):
    rng = random.Random(f"real-conditions:{condition}:{seed}")
    doc = make_document(rng, doc_type, condition)
    fmt = pick_format(rng, doc)
    return doc, fmt, document_bytes(doc, fmt)


def page_image_cover(page: pymupdf.Page) -> float:
    return max(abs(pymupdf.Rect(info["bbox"]) & page.rect) for info in page.get_image_info()) / abs(page.rect)


def test_the_real_set_holds_the_file_conditions_and_each_picks_its_format():
    assert CONDITION_SETS["real"] == ("signed_stamp", "scanner_layer", "stamped_blanks", "received_stamp+scan")
    for condition, fmt in FILE_CONDITIONS.items():
        doc, picked, _ = generated(condition, 0)
        assert picked == fmt
        assert doc.condition == condition


@pytest.mark.parametrize("seed", SEEDS)
def test_signed_stamp_is_a_scan_with_a_small_visible_stamp_kept_beside_ocr(seed):
    doc, _, data = generated("signed_stamp", seed)
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        page = pdf[0]
        assert page_image_cover(page) > 0.98
        spans = page.get_texttrace()
        assert spans and all(span["type"] == 0 for span in spans)  # filled: visible
        text = " ".join(unicodedata.normalize("NFC", page.get_text()).split())  # the box wraps its lines
        assert "Ký bởi: " in text or text.startswith("SAO Y; VĂN PHÒNG, ")
        assert doc.truth["fields"]["issuer"].upper() in text.upper()
        covered = sum(abs(pymupdf.Rect(w[:4])) for w in page.get_text("words")) / abs(page.rect)
        assert 0 < covered < 0.03
        # The stamp sits in the top margin, above every printed line.
        assert max(w[3] for w in page.get_text("words")) < doc.layout[0].lines[0].runs[0].baseline - 10
        triage = triage_page(page)
        assert triage.decision == "hybrid"
        assert "stamp or copy line" in triage.reason
        assert all(not later.get_text().strip() for later in list(pdf)[1:])  # only page 1 is stamped


def test_every_stamp_kind_occurs_and_only_the_signing_time_is_the_issue_day():
    doc = make_document(random.Random(0), "cong_van", "clean")
    stamps = [signature_stamp(doc, random.Random(seed))[0] for seed in range(30)]
    copies = [lines for lines in stamps if lines[0].startswith("SAO Y; ")]
    signed = [lines for lines in stamps if lines[0].startswith("Ký bởi: ")]
    published = [lines for lines in stamps if lines[0] == "TRUNG TÂM CÔNG BÁO"]
    assert copies and signed and published and len(copies) + len(signed) + len(published) == len(stamps)
    assert all(lines[2].startswith(f"Thời gian ký: {doc.issue_date:%d.%m.%Y} ") for lines in signed)
    assert all(not lines[3].startswith(f"{doc.issue_date:%d.%m.%Y} ") for lines in published)


@pytest.mark.parametrize("seed", SEEDS)
def test_scanner_layer_is_a_scan_under_an_invisible_layer_without_marks(seed):
    doc, _, data = generated("scanner_layer", seed)
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        assert pdf.page_count == len(doc.pages)
        page = pdf[0]
        assert page_image_cover(page) > 0.98
        spans = page.get_texttrace()
        assert spans and all(span["type"] == 3 for span in spans)  # render mode 3: invisible
        words = page.get_text("words")
        assert not any(not word[4].isascii() for word in words)
        # Over the words: the first printed line's layer words lie on that line's baseline.
        first = doc.layout[0].lines[0].runs[0]
        assert any(abs(word[3] - first.baseline) < first.size * 0.5 and abs(word[0] - first.x) < 2 for word in words)
        triage = triage_page(page)
        assert triage.decision == "ocr"
        assert triage.evidence.hidden > 0.99
        assert triage.evidence.marked_words < 0.02
        assert "0% words with marks" in triage.reason


def test_scanner_reading_strips_every_mark_and_misreads_some_words():
    text = "Độc lập - Tự do - Hạnh phúc của Ủy ban nhân dân tỉnh Vĩnh Phúc đã trả lời"
    read = [writers.scanner_reading(text, random.Random(seed)) for seed in range(20)]
    assert all(r.isascii() for r in read)
    assert "Doc lap - Tu do - Hanh phuc cua Uy ban nhan dan tinh Vinh Phuc da tra loi" in read
    assert any(len(r) > len(text) or "q" in r for r in read)  # misread: "ii", "li", "rn", "i)", "q"


@pytest.mark.parametrize("seed", SEEDS)
def test_stamped_blanks_is_read_from_its_layer_with_the_true_number_and_date(seed, monkeypatch):
    def no_tesseract(*args, **kwargs):
        raise AssertionError("a born-digital PDF must not be OCR'd")

    monkeypatch.setattr(pytesseract.pytesseract, "run_tesseract", no_tesseract)
    doc, _, data = generated("stamped_blanks", seed, "quyet_dinh")
    fields = doc.truth["fields"]
    number = fields["document_number"].split("/")[0]
    day = str(int(fields["issue_date"][8:]))
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        page = pdf[0]
        assert not page.get_image_info() or page_image_cover(page) < 0.6
        spans = [span for span in page.get_texttrace() if span["chars"]]
        tail = ["".join(chr(c[0]) for c in span["chars"]) for span in spans[-2:]]
        # Number and day come last, each as text of its own; the header lines hold blanks.
        assert [t.strip() for t in tail] in ([number, day.zfill(2)], [number, day])
        assert f"Số: {number}" not in unicodedata.normalize("NFC", page.get_text())
        triage = triage_page(page)
        assert triage.decision == "text_layer"
        assert triage.reason.startswith("text_layer: Unicode text layer")
    read = read_document(data)
    extraction = extract_document(read.pages)
    assert extraction.fields["document_number"].value == fields["document_number"]
    assert extraction.fields["issue_date"].value == fields["issue_date"]


@pytest.mark.integration
@pytest.mark.parametrize("doc_type", ["quyet_dinh", "cong_van", "giay_phep_xay_dung"])
def test_a_stamp_above_the_header_is_a_signature_never_text_or_a_field(doc_type):
    # Stamps sit in the top margin; read as header lines they became the issuer and the place.
    doc, _, data = generated("signed_stamp", 0, doc_type)
    read = read_document(data)
    # A publishing centre's stamp is printed into the page and stays in its text.
    stamps = [line for line in read.pages[0].lines if line.stamp]
    assert stamps
    text_lines = read.text.splitlines()
    shown = " / ".join(s.stamp_text for s in read.signatures)
    for line in stamps:
        assert (line.text in text_lines) == (line.stamp == "publishing"), line.text
        assert line.stamp == "publishing" or line.text in shown, line.text
    extraction = extract_document(read.pages, signatures=read.signatures)
    truth = doc.truth["fields"]
    for name in ("issuer", "issue_place"):
        assert extraction.fields[name].value == truth[name], name


@pytest.mark.integration
def test_a_gazette_centres_publishing_time_is_not_the_issue_date():
    # Its stamp (name, e-mail, `dd.mm.yyyy hh:mm:ss +07:00` a day or more later) sits above the motto.
    doc, _, data = generated("signed_stamp", 6, "quyet_dinh")
    read = read_document(data)
    assert any(line.stamp and "+07:00" in line.text for line in read.pages[0].lines)
    extraction = extract_document(read.pages, signatures=read.signatures)
    assert extraction.fields["issue_date"].value == doc.truth["fields"]["issue_date"]


def read_received_stamp_page(seed: int):
    """One decision with the receiving office's `ĐẾN` stamp in the left margin, scanned, read and extracted."""
    doc = make_document(random.Random(f"received-stamp:{seed}"), "quyet_dinh", "received_stamp+scan")
    assert doc.layout[0].received is not None
    read = read_document(document_bytes(doc, "png"))
    return doc, extract_document(read.pages, signatures=read.signatures)


@pytest.mark.integration
def test_a_received_stamp_beside_the_title_stays_out_of_the_title_and_summary():
    # Real decisions carry the stamp level with the title and the subject; OCR reads it as a
    # segment two lines high in the margin, which must join neither.
    doc, extraction = read_received_stamp_page(3)
    assert extraction.document_type == "quyet_dinh"
    assert extraction.fields["summary"].value == doc.truth["fields"]["summary"]


@pytest.mark.integration
def test_a_received_stamp_close_to_a_long_subject_stays_out_of_the_summary():
    # OCR reads the stamp's `ĐẾN Ngày: ...` into the subject's line, a word gap away from it.
    doc, extraction = read_received_stamp_page(0)
    assert extraction.fields["summary"].value == doc.truth["fields"]["summary"]
