"""Field accuracy against the generator's truth: sohoa against a naive regex baseline, same pages, same run.

sohoa: `read_document` + `extract_document` on each generated file (mixed types, formats
and conditions). Baseline: plain `pytesseract.image_to_string` per page, then one regular
expression per field, as a first script would do. Per field: recall (correct ÷ printed),
precision (correct ÷ given), and for sohoa how many wrong values would have been accepted
without review (the number that matters: a wrong value nobody looks at).

    .venv/bin/python benchmarks/extraction.py [--count 40] [--seed 2026] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pytesseract  # noqa: E402

import ocr.tesseract  # noqa: E402,F401  (OMP_THREAD_LIMIT=1 for the baseline too)
from extract import extract_document  # noqa: E402
from ocr.pipeline import read_document  # noqa: E402
from samples.generate import FORMATS, MIXED_CONDITIONS, MULTI_PAGE_FORMATS, document_bytes, make_document  # noqa: E402
from samples.specs import DOC_TYPES  # noqa: E402

FIELDS = ["document_number", "issue_date", "issue_place", "issuer", "signer", "signer_title",
          "summary", "holder_name", "holder_id", "address"]


def naive_fields(text: str) -> dict[str, str]:
    """What a first regex script gets out of raw OCR text."""
    found: dict[str, str] = {}
    if m := re.search(r"Số\s*:?\s*(\S+)", text):
        found["document_number"] = m.group(1)
    if m := re.search(r"([^\n,]+),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text):
        found["issue_place"] = m.group(1).strip()
        found["issue_date"] = f"{m.group(4)}-{int(m.group(3)):02d}-{int(m.group(2)):02d}"
    if m := re.search(r"\b(\d{12})\b", text):
        found["holder_id"] = m.group(1)
    if m := re.search(r"Họ và tên\s*:?\s*(.+)", text):
        found["holder_name"] = m.group(1).strip()
    if m := re.search(r"V/v\s+(.+)", text):
        found["summary"] = m.group(1).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines:
        found["signer"] = lines[-1]
    return found


def run_one(job: tuple[int, int]) -> dict:
    seed, index = job
    rng = random.Random(seed * 1000 + index)
    doc = make_document(rng, DOC_TYPES[index % len(DOC_TYPES)], rng.choice(MIXED_CONDITIONS))
    fmt = rng.choice(FORMATS if len(doc.pages) == 1 else MULTI_PAGE_FORMATS)
    data = document_bytes(doc, fmt)
    started = time.perf_counter()
    document = read_document(data)
    extraction = extract_document(document.pages)
    sohoa_seconds = time.perf_counter() - started
    started = time.perf_counter()
    raw = "\n".join(pytesseract.image_to_string(page, lang="vie", config=f"--dpi {doc.dpi}") for page in doc.pages)
    baseline_seconds = time.perf_counter() - started
    return {
        "format": fmt,
        "type": doc.truth["document_type"],
        "truth": doc.truth["fields"],
        "type_ok": extraction.document_type == doc.truth["document_type"],
        "sohoa": {name: field.value for name, field in extraction.fields.items()},
        "reviewed": bool(extraction.review_reasons) or any(p.outcome != "ok" for p in document.pages),
        "baseline": naive_fields(raw),
        "pages": len(doc.pages),
        "seconds": (sohoa_seconds, baseline_seconds),
    }


def score(results: list[dict], system: str) -> dict[str, tuple[int, int, int, int]]:
    """Per field: (printed, given, correct, wrong and not sent to review)."""
    table = {}
    for name in FIELDS:
        printed = given = correct = unreviewed_wrong = 0
        for r in results:
            truth, got = r["truth"].get(name), r[system].get(name)
            printed += truth is not None
            given += got is not None
            correct += got is not None and got == truth
            unreviewed_wrong += system == "sohoa" and got is not None and got != truth and not r["reviewed"]
        table[name] = (printed, given, correct, unreviewed_wrong)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(run_one, [(args.seed, i) for i in range(args.count)]))
    sohoa, baseline = score(results, "sohoa"), score(results, "baseline")
    pages = sum(r["pages"] for r in results)
    print(f"{len(results)} documents, {pages} pages; formats {dict(Counter(r['format'] for r in results))}")
    print(f"document type correct: {sum(r['type_ok'] for r in results)}/{len(results)}")
    print(f"{'field':16}{'printed':>8} | {'sohoa recall':>12}{'precision':>10}{'unreviewed wrong':>17} | {'regex recall':>12}{'precision':>10}")
    totals = [0, 0, 0, 0, 0, 0]
    for name in FIELDS:
        p, g, c, w = sohoa[name]
        _, bg, bc, _ = baseline[name]
        totals = [a + b for a, b in zip(totals, (p, g, c, w, bg, bc))]
        print(f"{name:16}{p:8} | {_ratio(c, p):>12}{_ratio(c, g):>10}{w:17} | {_ratio(bc, p):>12}{_ratio(bc, bg):>10}")
    p, g, c, w, bg, bc = totals
    print(f"{'all fields':16}{p:8} | {_ratio(c, p):>12}{_ratio(c, g):>10}{w:17} | {_ratio(bc, p):>12}{_ratio(bc, bg):>10}")
    reviewed = sum(r["reviewed"] for r in results)
    print(f"records sent to review: {reviewed}/{len(results)}")
    sohoa_s = sum(r["seconds"][0] for r in results)
    base_s = sum(r["seconds"][1] for r in results)
    print(f"seconds per page: sohoa {sohoa_s / pages:.2f}, raw Tesseract {base_s / pages:.2f} (ratio {sohoa_s / base_s:.2f})")


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


if __name__ == "__main__":
    main()
