"""Field accuracy against the generator's truth: sohoa against a naive regex baseline, same pages, same run.

sohoa: `read_document` + `extract_document` on each generated file: `--per-type`
documents of every generated type, in mixed formats and capture conditions. Baseline:
plain `pytesseract.image_to_string` per page, then one regular expression per field, as
a first script would do. Per field: exact-match accuracy (correct ÷ printed), precision
(correct ÷ given), and for sohoa how many wrong values would have been accepted without
review (the number that matters: a wrong value nobody looks at). Then per document type.

    .venv/bin/python benchmarks/extraction.py [--per-type 40] [--seed 2026] [--workers 2] [--types a,b]
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

FIELDS = ["document_number", "issue_date", "issue_place", "issuer", "signer", "signer_title", "summary",
          "holder_name", "holder_id", "address", "procedure_code", "valid_until", "land_serial", "land_parcel",
          "map_sheet", "land_area", "business_code", "register_book"]
# The bar: exact-match accuracy per field, and holder_id precision.
STRICT_FIELDS = {"document_number", "issue_date", "issuer", "signer", "holder_id"}
STRICT_TARGET, OTHER_TARGET, HOLDER_ID_PRECISION = 0.95, 0.90, 0.98


def _first(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text)


def naive_fields(text: str) -> dict[str, str]:
    """What a first regex script gets out of raw OCR text."""
    found: dict[str, str] = {}
    if m := _first(r"Số\s*:?\s*(\S+)", text):
        found["document_number"] = m.group(1)
    if m := _first(r"([^\n,]+),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text):
        found["issue_place"] = m.group(1).strip()
        found["issue_date"] = f"{m.group(4)}-{int(m.group(3)):02d}-{int(m.group(2)):02d}"
    if m := _first(r"\b(\d{12})\b", text) or _first(r"Mã số doanh nghiệp:\s*(\d{10})", text):
        found["holder_id"] = m.group(1)
    if m := _first(r"(?:Họ và tên|Họ, chữ đệm, tên)\s*:?\s*(.+)", text):
        found["holder_name"] = m.group(1).strip()
    if m := _first(r"Địa chỉ[^:\n]*:\s*(.+)", text):
        found["address"] = m.group(1).strip()
    if m := _first(r"V/v\s+(.+)", text):
        found["summary"] = m.group(1).strip()
    if m := _first(r"Mã (?:thủ tục hành chính|TTHC):\s*(\S+)", text):
        found["procedure_code"] = m.group(1)
    if m := _first(r"đến ngày:?\s*(\d{2})/(\d{2})/(\d{4})", text):
        found["valid_until"] = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    if m := _first(r"Số phát hành:\s*([A-Z]{2} \d{6})", text):
        found["land_serial"] = m.group(1)
    if m := _first(r"[Tt]hửa đất số:?\s*(\d+)", text):
        found["land_parcel"] = m.group(1)
    if m := _first(r"[Tt]ờ bản đồ số:?\s*(\d+)", text):
        found["map_sheet"] = m.group(1)
    if m := _first(r"Diện tích:\s*([\d,]+)\s*m2", text):
        found["land_area"] = m.group(1).replace(",", ".")
    if m := _first(r"Mã số hộ kinh doanh:\s*(\S+)", text):
        found["business_code"] = m.group(1)
    if m := _first(r"Quyển số:\s*(\S+)", text):
        found["register_book"] = m.group(1)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines:
        found["signer"] = lines[-1]
    return found


def run_one(job: tuple[int, str, int]) -> dict:
    seed, doc_type, index = job
    rng = random.Random(f"{seed}:{doc_type}:{index}")
    doc = make_document(rng, doc_type, rng.choice(MIXED_CONDITIONS))
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
        "type": doc_type,
        "truth": doc.truth["fields"],
        "type_ok": extraction.document_type == doc.truth["document_type"],
        "sohoa": {name: field.value for name, field in extraction.fields.items()},
        "reviewed": bool(extraction.review_reasons) or any(p.outcome != "ok" for p in document.pages),
        "baseline": naive_fields(raw),
        "pages": len(doc.pages),
        "seconds": (sohoa_seconds, baseline_seconds),
    }


def score(results: list[dict], system: str, name: str) -> tuple[int, int, int, int]:
    """For one field: (printed, given, correct, wrong and not sent to review)."""
    printed = given = correct = unreviewed_wrong = 0
    for r in results:
        truth, got = r["truth"].get(name), r[system].get(name)
        printed += truth is not None
        given += got is not None
        correct += got is not None and got == truth
        unreviewed_wrong += system == "sohoa" and got is not None and got != truth and not r["reviewed"]
    return printed, given, correct, unreviewed_wrong


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def field_table(results: list[dict]) -> list[str]:
    """Per field, with the issue's target and whether it is met."""
    failures = []
    print(f"{'field':16}{'printed':>8} | {'sohoa exact':>11}{'precision':>10}{'unrev. wrong':>13}{'target':>8} | "
          f"{'regex exact':>11}{'precision':>10}")
    totals = [0] * 6
    for name in FIELDS:
        p, g, c, w = score(results, "sohoa", name)
        _, bg, bc, _ = score(results, "baseline", name)
        if not p and not g:
            continue
        totals = [a + b for a, b in zip(totals, (p, g, c, w, bg, bc))]
        target = STRICT_TARGET if name in STRICT_FIELDS else OTHER_TARGET
        met = p and c / p >= target and (name != "holder_id" or c / max(g, 1) >= HOLDER_ID_PRECISION)
        if not met:
            failures.append(name)
        print(f"{name:16}{p:8} | {_ratio(c, p):>11}{_ratio(c, g):>10}{w:13}{target:>7.2f}{' ' if met else '!'} | "
              f"{_ratio(bc, p):>11}{_ratio(bc, bg):>10}")
    p, g, c, w, bg, bc = totals
    print(f"{'all fields':16}{p:8} | {_ratio(c, p):>11}{_ratio(c, g):>10}{w:13}{'':8} | {_ratio(bc, p):>11}{_ratio(bc, bg):>10}")
    return failures


def type_table(results: list[dict]) -> None:
    print(f"\n{'document type':30}{'docs':>5}{'type ok':>8}{'fields exact':>13}{'to review':>10}{'regex exact':>12}")
    for doc_type in sorted({r["type"] for r in results}):
        rows = [r for r in results if r["type"] == doc_type]
        printed = sum(len(r["truth"]) for r in rows)
        exact = sum(r["sohoa"].get(k) == v for r in rows for k, v in r["truth"].items())
        regex = sum(r["baseline"].get(k) == v for r in rows for k, v in r["truth"].items())
        print(f"{doc_type:30}{len(rows):5}{sum(r['type_ok'] for r in rows):8}{_ratio(exact, printed):>13}"
              f"{sum(r['reviewed'] for r in rows):10}{_ratio(regex, printed):>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--types", help="comma-separated document types (default: every generated type)")
    parser.add_argument("--misses", action="store_true", help="list every wrong or missing value of sohoa")
    args = parser.parse_args()
    types = args.types.split(",") if args.types else list(DOC_TYPES)
    jobs = [(args.seed, doc_type, i) for i in range(args.per_type) for doc_type in types]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(run_one, jobs))
    pages = sum(r["pages"] for r in results)
    print(f"{len(results)} documents ({args.per_type} of each of {len(types)} types), {pages} pages, seed {args.seed}")
    print(f"formats {dict(Counter(r['format'] for r in results))}")
    print(f"document type correct: {sum(r['type_ok'] for r in results)}/{len(results)}\n")
    failures = field_table(results)
    type_table(results)
    reviewed = sum(r["reviewed"] for r in results)
    print(f"\nrecords sent to review: {reviewed}/{len(results)}")
    sohoa_s = sum(r["seconds"][0] for r in results)
    base_s = sum(r["seconds"][1] for r in results)
    print(f"seconds per page: sohoa {sohoa_s / pages:.2f}, raw Tesseract {base_s / pages:.2f} (ratio {sohoa_s / base_s:.2f})")
    print("targets met" if not failures else f"below target: {', '.join(failures)}")
    if args.misses:
        print_misses(results)


def print_misses(results: list[dict]) -> None:
    print("\nmisses (document type, format, field: printed → read):")
    for r in results:
        for name in FIELDS:
            truth, got = r["truth"].get(name), r["sohoa"].get(name)
            if truth != got:
                print(f"  {r['type']:28} {r['format']:9} {name}: {truth!r} → {got!r}")


if __name__ == "__main__":
    main()
