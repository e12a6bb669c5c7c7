"""The pure helpers of benchmarks/real_documents.py: records, truth per run, per-kind figures, targets.

No Tesseract and no real file is read: the scorer is ../shared/realdocs/score.py, given truth
written here.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from extract import Extraction, FieldValue
from ocr.types import DocumentResult, Line, PageResult, Word

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load("real_documents", ROOT / "benchmarks" / "real_documents.py")


@pytest.fixture(scope="module")
def scorer():
    return bench.load_scorer(REALDOCS)


def _page(number: int, text: str, **extra) -> PageResult:
    words = [Word(text=w, confidence=0.9, bbox=(0.1, 0.1, 0.2, 0.12)) for w in text.split()]
    lines = [Line.from_words(words, block=0)] if words else []
    return PageResult(number=number, method="ocr", lines=lines, **extra)


def _extraction(reasons: list[str] | None = None) -> Extraction:
    return Extraction(document_type="quyet_dinh",
                      fields={"document_number": FieldValue(value="12/QĐ-UBND", confidence=0.91234)},
                      review_reasons=reasons or [])


def test_record_is_what_score_reads_and_status_follows_review_reasons_and_unread_pages():
    document = DocumentResult(media_type="application/pdf", pdf=b"",
                              pages=[_page(1, "QUYẾT ĐỊNH"), _page(2, "Điều 1.")])
    rec = bench.record("a.pdf", document, _extraction())
    assert rec["status"] == "digitised"
    assert rec["text"] == "QUYẾT ĐỊNH\fĐiều 1."
    assert rec["fields"] == {"document_number": {"value": "12/QĐ-UBND", "confidence": 0.912}}
    assert rec["document_type"] == "quyet_dinh"
    assert [p["method"] for p in rec["pages"]] == ["ocr", "ocr"]
    assert bench.record("a.pdf", document, _extraction(["missing: signer"]))["status"] == "needs_review"
    timed_out = DocumentResult(media_type="application/pdf", pdf=b"",
                               pages=[_page(1, "QUYẾT ĐỊNH"), _page(2, "", outcome="timeout", error="180 s")])
    rec = bench.record("a.pdf", timed_out, _extraction())
    assert rec["status"] == "needs_review"
    assert rec["review_reasons"] == ["page 2: timeout (180 s)"]
    assert rec["pages"][1]["reason"] == "180 s"


def test_page_decision_reads_the_reason_when_pages_carry_one():
    assert bench.page_decision(_page(1, "x"))["reason"] is None
    page = PageResult(number=1, method="ocr", triage="text layer without tone marks")
    assert bench.page_decision(page)["reason"] == "text layer without tone marks"


def test_failed_record_carries_the_error_code():
    from ocr.errors import OcrFailed

    rec = bench.failed_record("b.pdf", OcrFailed("no page could be read"))
    assert rec["status"] == "failed"
    assert rec["error"] == {"code": "ocr_failed", "message": "no page could be read"}


def test_truth_is_cut_to_the_pages_read():
    per_page = {"file": "a.pdf", "text": ["one", "two", "three"]}
    assert bench.truth_for_run(per_page, pages=3, limit=None) is per_page
    assert bench.truth_for_run(per_page, pages=3, limit=2)["text"] == ["one", "two"]
    whole_file = {"file": "b.pdf", "text": ["pages one to three"]}
    assert bench.truth_for_run(whole_file, pages=11, limit=2)["text"] == []
    assert bench.truth_for_run(whole_file, pages=1, limit=2) is whole_file


def test_born_digital_files_are_also_read_rendered():
    assert bench.kind_of({"capture": "born_digital"}) == ["born_digital", "rendered_300", "rendered_200"]
    assert bench.kind_of({"capture": "scan"}) == ["scan"]


def _result(name: str, status: str, date: str, text: str, raw: str, seconds: tuple[float, float]) -> dict:
    return {"kind": "rendered_300", "file": name, "pages": 2,
            "record": {"source_name": name, "status": status, "document_type": "quyet_dinh", "text": text,
                       "fields": {"issue_date": {"value": date, "confidence": 0.9}}, "pages": []},
            "raw": {"source_name": name, "status": "digitised", "text": raw},
            "seconds": {"sohoa": seconds[0], "raw": seconds[1]}}


def test_summary_scores_with_score_py_and_counts_wrong_values_outside_review(scorer):
    truth = [{"file": name, "kind": "good", "capture": "born_digital", "document_type": "Quyết định",
              "fields": {"issue_date": "2025-02-18"}, "field_alternates": {},
              "text": ["Quyết định số 12", "ngày 18 tháng 02"]} for name in ("a.pdf", "b.pdf")]
    results = [
        # right text, wrong date, not sent to review: the case that counts
        _result("a.pdf", "digitised", "2025-02-19", "Quyết định số 12\fngày 18 tháng 02", "Quyết đinh số 12", (3.0, 2.0)),
        # wrong date too, but a person will look at it
        _result("b.pdf", "needs_review", "19/02/2025", "Quyết định số 12\fngày 18 tháng 02", "", (1.0, 2.0)),
    ]
    s = bench.summarise(scorer, truth, results)
    assert (s["files"], s["pages"], s["to_review"], s["failed"]) == (2, 4, 1, 0)
    assert s["per_page"] == {"sohoa": 1.0, "raw": 1.0}
    assert s["sohoa"]["summary"]["mean_bow_f1"] == 1.0
    assert s["raw"]["summary"]["mean_bow_f1"] == 0.25  # a.pdf: 3 of 4 words read, 3 of 8 found; b.pdf: none
    assert s["sohoa"]["fields"]["issue_date"]["wrong"] == 2
    assert s["unflagged_wrong"]["issue_date"] == 1
    assert s["sohoa"]["summary"]["document_type_acc"] == 1.0


def test_an_accepted_alternate_is_not_a_wrong_value(scorer):
    truth = [{"file": "a.pdf", "kind": "good", "capture": "scan", "fields": {"summary": "Về việc công bố (Lĩnh vực: X)"},
              "field_alternates": {"summary": ["Về việc công bố"]}, "text": []}]
    records = [{"source_name": "a.pdf", "status": "digitised", "fields": {"summary": {"value": "công bố"}}}]
    assert sum(bench.unflagged_wrong(scorer, truth, records).values()) == 0


def _summary(f1: float, sohoa: float, raw: float) -> dict:
    return {"sohoa": {"summary": {"mean_bow_f1": f1}}, "raw": {"summary": {"mean_bow_f1": 0.9}},
            "per_page": {"sohoa": sohoa, "raw": raw}}


def test_targets_apply_to_rendered_kinds_only():
    checks = bench.targets({"rendered_300": _summary(0.98, 3.0, 2.0), "rendered_200": _summary(0.96, 3.1, 2.0),
                            "scan": _summary(0.5, 9.0, 1.0)})
    assert [met for _, met in checks] == [True, True, False, False]
    assert bench.targets({"scan": _summary(0.5, 9.0, 1.0)}) == []


def test_rendered_records_are_written_beside_the_real_ones(tmp_path):
    results = [{"kind": kind, "record": {"source_name": "a.pdf", "kind": kind}}
               for kind in ("born_digital", "rendered_300", "scan")]
    out = tmp_path / "records" / "out.jsonl"
    bench.write_records(out, results)
    real = [json.loads(line)["kind"] for line in out.read_text(encoding="utf-8").splitlines()]
    rendered = [json.loads(line)["kind"] for line in
                (tmp_path / "records" / "out.rendered_300.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (real, rendered) == (["born_digital", "scan"], ["rendered_300"])
