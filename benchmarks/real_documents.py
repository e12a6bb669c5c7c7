"""Real documents: sohoa on ../shared/realdocs against raw Tesseract, per capture kind, same pages, same run.

The files and their hand-checked truth are ../shared/realdocs (`--corpus`): its `truth.jsonl` gives
each file's capture kind, reference text and fields, and its `score.py` is the scorer; this script
loads that file and scores with its own normalisation and metrics (CER, WER and bag-of-words F1 over
the whole file, fields after its normalisation and alternates), so its figures are the ones `score.py`
prints for the same records.

Capture kinds:
- `born_digital`: the signed decisions as published, with their text layer;
- `rendered_300`, `rendered_200`: each born-digital file rendered by PyMuPDF to grey page images at
  300 and 200 dpi and written as image-only PDFs (no text layer): real layouts and fonts with exact
  truth (the file's text layer; the same fields as the born-digital file);
- `scan`: real scans (seals, handwritten numbers, signature stamps, scanner OCR layers);
- `low_resolution_image`: a 576×960-pixel photo of each page of a letter.

sohoa: `read_document` + `extract_document` per file in a worker process, timed together (each
worker first reads a bundled sample scan and runs raw Tesseract once, untimed, as a running sohoa
worker has: loading spaCy, pyvi, the language model and the digit reader is paid once a worker,
not by the first file it times); the
record built from them is what `sohoa records export` would give (status `needs_review` when
there is a review reason or an unread page). Per page, the decision the pipeline took (`method`,
and the reason when the page carries one). Baseline, on exactly the same page images, timed:
`pytesseract.image_to_string(image, lang="vie", config="--dpi N")` on each rendered page (scans:
the page rendered at 300 dpi; images: the image at the dpi sohoa assumes). For `born_digital` the
baseline is the text layer as a first script reads it (PyMuPDF `get_text`), as in extraction.py;
its OCR'd counterpart is `rendered_300`. Tesseract runs with OMP_THREAD_LIMIT=1 on both sides.

The reference text of some scans covers only part of the file (241_qd.pdf: pages 1-3 of 11;
truth.jsonl's `note`); score.py compares the whole file's text with it, so those files' CER says
little. Files without reference text are scored on fields only. With `--quick` only the first
QUICK_PAGES pages of each file are read, and a reference is cut to them when it is given page by
page; a file whose reference is not is then scored on fields only.

Targets (issue 10), on each rendered kind run: sohoa's mean bag-of-words F1 >= 0.97 (raw Tesseract
0.90 on the 300-dpi pages when the issue was filed); sohoa's seconds per page <= 1.5x raw
Tesseract's. PASS/FAIL per target at the end; exit status 1 when one is missed. Issue 11's field
targets are printed as information and do not set the exit status: recall >= 0.90 and precision
>= 0.97 on born-digital and rendered files, recall >= 0.80 and precision >= 0.95 on scans and
images, no wrong value in a record that is not sent to review.

`--records OUT.jsonl` writes the records of the real files there (`score.py CORPUS OUT.jsonl`
scores them by hand) and those of each rendered kind beside it (OUT.rendered_300.jsonl, ...).

    .venv/bin/python benchmarks/real_documents.py [--corpus ../shared/realdocs] [--kinds a,b] [--files a,b]
                                                  [--quick] [--workers 2] [--records OUT.jsonl] [--pages-cache DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402
import pytesseract  # noqa: E402
from PIL import Image  # noqa: E402

import ocr.tesseract  # noqa: E402,F401  (OMP_THREAD_LIMIT=1 for the raw runs too)
from benchmarks.common import print_check  # noqa: E402
from extract import Extraction, extract_document  # noqa: E402
from ocr import load  # noqa: E402
from ocr.errors import InputError  # noqa: E402
from ocr.pipeline import read_document  # noqa: E402
from ocr.settings import OcrSettings  # noqa: E402
from ocr.types import DocumentResult, PageResult  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "realdocs"
BORN_DIGITAL, SCAN, IMAGE = "born_digital", "scan", "low_resolution_image"
RENDERED = {"rendered_300": 300, "rendered_200": 200}
KINDS = (BORN_DIGITAL, *RENDERED, SCAN, IMAGE)
SCAN_DPI = 300  # scans are given to raw Tesseract as sohoa rasterises them (SOHOA_OCR_DPI's default)
QUICK_PAGES = 2
# issue 10's bar on rendered pages; issue 11's field bars (information only here)
MIN_RENDERED_F1, MAX_TIME_RATIO = 0.97, 1.5
FIELD_BARS = {BORN_DIGITAL: (0.90, 0.97), "rendered_300": (0.90, 0.97), "rendered_200": (0.90, 0.97),
              SCAN: (0.80, 0.95), IMAGE: (0.80, 0.95)}  # (recall, precision)


def load_scorer(corpus: Path) -> ModuleType:
    """The corpus's own score.py, imported by path."""
    spec = importlib.util.spec_from_file_location("realdocs_score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- records ------------------------------------------------------------------------------------

def page_decision(page: PageResult) -> dict:
    """How the pipeline read one page, and why when the page says."""
    return {"number": page.number, "method": page.method, "outcome": page.outcome,
            "reason": page.triage or page.error,
            "preprocessing": list(page.preprocessing)}


def record(source_name: str, document: DocumentResult, extraction: Extraction) -> dict:
    """The record fields score.py reads, status decided as flows/steps.py does (a reason or an unread page)."""
    unread = [f"page {p.number}: {p.outcome} ({p.error})" for p in document.pages if p.outcome != "ok"]
    reasons = list(extraction.review_reasons) + unread
    return {
        "source_name": source_name,
        "status": "needs_review" if reasons else "digitised",
        "document_type": extraction.document_type,
        "fields": {name: {"value": f.value, "confidence": round(f.confidence, 3)}
                   for name, f in extraction.fields.items()},
        "review_reasons": reasons,
        "text": document.text,
        "pages": [page_decision(p) for p in document.pages],
    }


def failed_record(source_name: str, error: InputError) -> dict:
    return {"source_name": source_name, "status": "failed", "error": {"code": error.code, "message": error.message},
            "text": "", "fields": {}, "review_reasons": [], "pages": []}


# ---- inputs -------------------------------------------------------------------------------------

def first_pages(data: bytes, limit: int | None) -> bytes:
    """The PDF cut to its first `limit` pages (all of it without a limit)."""
    if limit is None:
        return data
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        if doc.page_count <= limit:
            return data
        doc.select(range(limit))
        return doc.tobytes(garbage=3, deflate=True)


def rendered_pdf(data: bytes, dpi: int) -> tuple[bytes, list[Image.Image]]:
    """Every page as a grey image at `dpi` in a PDF with no text layer, and the images themselves."""
    images = []
    with pymupdf.open(stream=data, filetype="pdf") as source, pymupdf.open() as out:
        for page in source:
            pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
            images.append(Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples))
            target = out.new_page(width=page.rect.width, height=page.rect.height)
            target.insert_image(target.rect, stream=pixmap.tobytes("png"))
        return out.tobytes(garbage=3, deflate=True), images


def raw_inputs(kind: str, data: bytes, suffix: str) -> tuple[bytes, list[tuple[Image.Image, int]] | None]:
    """What sohoa reads for this kind, and the page images (with their dpi) raw Tesseract reads.

    None instead of images for born-digital files: their baseline is the text layer.
    """
    if kind in RENDERED:
        pdf, images = rendered_pdf(data, RENDERED[kind])
        return pdf, [(image, RENDERED[kind]) for image in images]
    if kind == BORN_DIGITAL:
        return data, None
    settings = OcrSettings()
    if suffix == ".pdf":
        with load.open_pdf(data, settings) as doc:
            return data, [(load.render_pdf_page(page, SCAN_DPI).image, SCAN_DPI) for page in doc]
    return data, [(page.image, page.dpi) for page in load.iter_image_pages(data, settings)]


def text_layer(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


# ---- one file in one kind -------------------------------------------------------------------------

WARM_UP = ROOT / "samples" / "batch" / "04 Trích lục khai sinh.pdf"


def warm_up() -> None:
    """Each worker's start: the models loaded, on both sides, before any file is timed."""
    extracted_record(WARM_UP.name, read_document(WARM_UP.read_bytes()))
    pytesseract.image_to_string(Image.new("L", (400, 100), 255), lang="vie")


def run_one(job: tuple[str, str, int | None, Path | None]) -> dict:
    kind, name, limit, cache = job
    path = Path(name)
    cached = cache / kind / f"{path.name}.json" if cache else None
    if cached and cached.is_file():
        return extract_cached(kind, path.name, json.loads(cached.read_text(encoding="utf-8")))
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        data = first_pages(data, limit)
    data, images = raw_inputs(kind, data, suffix)
    started = time.perf_counter()
    document = None
    try:
        document = read_document(data)
        result = extracted_record(path.name, document)
    except InputError as exc:  # nothing read: scored as a failed record
        result = failed_record(path.name, exc)
    sohoa_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if images is None:
        raw_pages = text_layer(data)
    else:
        raw_pages = [pytesseract.image_to_string(image, lang="vie", config=f"--dpi {dpi}") for image, dpi in images]
    seconds = {"sohoa": sohoa_seconds, "raw": time.perf_counter() - started}
    if cached and document is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        saved = {"document": document.model_dump(mode="json", exclude={"pdf"}), "raw_pages": raw_pages, "seconds": seconds}
        cached.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    return result_row(kind, path.name, result, raw_pages, seconds)


def extract_cached(kind: str, name: str, saved: dict) -> dict:
    """A row from pages read in an earlier run: only the extraction runs again (its time is added)."""
    document = DocumentResult.model_validate(saved["document"] | {"pdf": b""})
    started = time.perf_counter()
    result = extracted_record(name, document)
    seconds = dict(saved["seconds"])
    seconds["sohoa"] += time.perf_counter() - started
    return result_row(kind, name, result, saved["raw_pages"], seconds)


def extracted_record(name: str, document: DocumentResult) -> dict:
    # as flows/steps.py calls it: the PDF's signatures are evidence when read
    return record(name, document, extract_document(document.pages, signatures=document.signatures))


def result_row(kind: str, name: str, result: dict, raw_pages: list[str], seconds: dict) -> dict:
    return {"kind": kind, "file": name, "pages": len(raw_pages), "record": result,
            "raw": {"source_name": name, "status": "digitised", "text": "\f".join(raw_pages)},
            "seconds": seconds}


# ---- truth and plan -----------------------------------------------------------------------------

def kind_of(truth: dict) -> list[str]:
    """The kinds a truth entry is read in: its capture, plus the renderings of a born-digital file."""
    return [BORN_DIGITAL, *RENDERED] if truth["capture"] == BORN_DIGITAL else [truth["capture"]]


def truth_for_run(truth: dict, pages: int, limit: int | None) -> dict:
    """The truth entry for a file read up to `limit` of its `pages`: a per-page reference cut to
    the pages read, a reference for the whole file dropped when not every page is read."""
    text = truth.get("text") or []
    if limit is None or pages <= limit:
        return truth
    cut = text[:limit] if len(text) == pages else []
    return truth | {"text": cut}


def page_count(path: Path) -> int:
    if path.suffix.lower() != ".pdf":
        return 1
    with pymupdf.open(path) as doc:
        return doc.page_count


# ---- aggregation --------------------------------------------------------------------------------

def unflagged_wrong(scorer: ModuleType, truth: list[dict], records: list[dict]) -> Counter:
    """Per field, values that differ from the truth in records not sent to review (score.py's normalisation)."""
    by_name = {scorer.nfc(r["source_name"]): r for r in records}
    wrong: Counter = Counter()
    for t in truth:
        r = by_name.get(scorer.nfc(t["file"]))
        if r is None or r.get("status") != "digitised":
            continue
        predicted = scorer.rec_fields(r)
        for name, value in t["fields"].items():
            if name not in scorer.FIELDS or name not in predicted:
                continue
            accepted = {scorer.norm_field(name, v) for v in [value, *t.get("field_alternates", {}).get(name, [])]}
            wrong[name] += scorer.norm_field(name, predicted[name]) not in accepted
    return wrong


def summarise(scorer: ModuleType, truth: list[dict], results: list[dict]) -> dict:
    """One kind: score.py's results for sohoa's records and for the raw texts, pages, seconds, unflagged wrong values."""
    records = [r["record"] for r in results]
    sohoa, raw = scorer.score(truth, records), scorer.score(truth, [r["raw"] for r in results])
    pages = sum(r["pages"] for r in results)
    seconds = {side: sum(r["seconds"][side] for r in results) for side in ("sohoa", "raw")}
    return {
        "files": len(results), "pages": pages, "sohoa": sohoa, "raw": raw,
        "per_page": {side: seconds[side] / pages if pages else 0.0 for side in seconds},
        "unflagged_wrong": unflagged_wrong(scorer, truth, records),
        "to_review": sum(r["status"] == "needs_review" for r in records),
        "failed": sum(r["status"] == "failed" for r in records),
    }


# ---- report -------------------------------------------------------------------------------------

def _f(value: float | None, width: int = 7, digits: int = 3) -> str:
    return f"{'–':>{width}}" if value is None else f"{value:{width}.{digits}f}"


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def text_table(summaries: dict[str, dict]) -> None:
    print(f"{'kind':21}{'files':>6}{'pages':>6} | {'CER sohoa':>9}{'raw':>7} | {'WER sohoa':>9}{'raw':>7} | "
          f"{'BoW-F1 sohoa':>12}{'raw':>7} | {'s/page sohoa':>12}{'raw':>7}{'ratio':>7}")
    for kind, s in summaries.items():
        a, b = s["sohoa"]["summary"], s["raw"]["summary"]
        print(f"{kind:21}{s['files']:6}{s['pages']:6} | {_f(a['mean_cer'], 9)}{_f(b['mean_cer'])} | "
              f"{_f(a['mean_wer'], 9)}{_f(b['mean_wer'])} | {_f(a['mean_bow_f1'], 12)}{_f(b['mean_bow_f1'])} | "
              f"{_f(s['per_page']['sohoa'], 12, 2)}{_f(s['per_page']['raw'], 7, 2)}"
              f"{_f(_ratio(s['per_page']['sohoa'], s['per_page']['raw']), 7, 2)}")


def file_table(summaries: dict[str, dict], results: list[dict]) -> None:
    print(f"{'kind':21}{'file':44}{'pages':>6} {'status':13}{'CER sohoa':>10}{'raw':>7}{'F1 sohoa':>9}{'raw':>7}"
          f"{'s/p sohoa':>10}{'raw':>7}")
    for kind, s in summaries.items():
        raw = {f["file"]: f for f in s["raw"]["files"]}
        timing = {r["file"]: r for r in results if r["kind"] == kind}
        for f in s["sohoa"]["files"]:
            r, t = raw[f["file"]], timing[f["file"]]
            pages = max(1, t["pages"])
            print(f"{kind:21}{f['file'][:43]:44}{t['pages']:6} {f['status'][:13]:13}{_f(f['cer'], 10)}{_f(r['cer'])}"
                  f"{_f(f['bow_f1'], 9)}{_f(r['bow_f1'])}{_f(t['seconds']['sohoa'] / pages, 10, 2)}"
                  f"{_f(t['seconds']['raw'] / pages, 7, 2)}")


def decision_table(results: list[dict]) -> None:
    print(f"{'kind':21}{'file':44}{'page':>5} {'method':11}{'outcome':9}reason / preprocessing")
    for r in results:
        for p in r["record"]["pages"]:
            why = p["reason"] or "(no reason recorded)"
            stages = f" [{'+'.join(p['preprocessing'])}]" if p["preprocessing"] else ""
            print(f"{r['kind']:21}{r['file'][:43]:44}{p['number']:5} {p['method']:11}{p['outcome']:9}{why}{stages}")
        if r["record"]["status"] == "failed":
            print(f"{r['kind']:21}{r['file'][:43]:44}{'–':>5} failed: {r['record']['error']['message']}")


def field_table(scorer: ModuleType, kind: str, s: dict) -> None:
    fields, summary = s["sohoa"]["fields"], s["sohoa"]["summary"]
    typed = round((summary["document_type_acc"] or 0.0) * s["files"])
    print(f"{kind}: {s['files']} files, sent to review {s['to_review']}, failed {s['failed']}; document type "
          f"correct {typed}/{s['files']}")
    print(f"  {'field':16}{'truth':>6}{'exact':>6}{'wrong':>6}{'miss':>5}{'extra':>6}{'recall':>7}{'prec':>7}"
          f"{'wrong, not flagged':>19}")
    for name in scorer.FIELDS:
        v = fields[name]
        if not v["n"] and not v["extra"]:
            continue
        print(f"  {name:16}{v['n']:6}{v['correct']:6}{v['wrong']:6}{v['missing']:5}{v['extra']:6}"
              f"{_f(v['recall'])}{_f(v['precision'])}{s['unflagged_wrong'][name]:19}")
    print(f"  {'all fields':16}{sum(v['n'] for v in fields.values()):6}{sum(v['correct'] for v in fields.values()):6}"
          f"{sum(v['wrong'] for v in fields.values()):6}{sum(v['missing'] for v in fields.values()):5}"
          f"{sum(v['extra'] for v in fields.values()):6}{_f(summary['field_recall'])}{_f(summary['field_precision'])}"
          f"{sum(s['unflagged_wrong'].values()):19}")


def targets(summaries: dict[str, dict]) -> list[tuple[str, bool]]:
    """(what, met) for each of issue 10's targets that applies to the kinds run."""
    checks = []
    for kind in RENDERED:
        if kind not in summaries:
            continue
        s = summaries[kind]
        f1, raw_f1 = s["sohoa"]["summary"]["mean_bow_f1"], s["raw"]["summary"]["mean_bow_f1"]
        if f1 is not None:
            checks.append((f"{kind} BoW-F1 >= {MIN_RENDERED_F1}: sohoa {f1:.3f} (raw {_f(raw_f1, 0)})",
                           f1 >= MIN_RENDERED_F1))
        per_page = s["per_page"]
        limit = MAX_TIME_RATIO * per_page["raw"]
        checks.append((f"{kind} s/page <= {MAX_TIME_RATIO} x raw: sohoa {per_page['sohoa']:.2f} s against "
                       f"{MAX_TIME_RATIO} x {per_page['raw']:.2f} s = {limit:.2f} s", per_page["sohoa"] <= limit))
    return checks


def field_bars(summaries: dict[str, dict]) -> list[tuple[str, bool]]:
    """Issue 11's field targets per kind run, as (what, met)."""
    checks = []
    for kind, s in summaries.items():
        summary = s["sohoa"]["summary"]
        if summary["field_recall"] is None:
            continue
        recall, precision = FIELD_BARS[kind]
        checks.append((f"{kind} field recall >= {recall:.2f}: {summary['field_recall']:.3f}",
                       summary["field_recall"] >= recall))
        checks.append((f"{kind} field precision >= {precision:.2f}: {_f(summary['field_precision'], 0)}",
                       (summary["field_precision"] or 0.0) >= precision))
        wrong = sum(s["unflagged_wrong"].values())
        checks.append((f"{kind} wrong values outside review: {wrong}", wrong == 0))
    return checks


def write_records(path: Path, results: list[dict]) -> None:
    """The real files' records at `path`, each rendered kind's beside it (score.py keys records by file name)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    groups: dict[Path, list[dict]] = {}
    for r in results:
        target = path.with_suffix(f".{r['kind']}.jsonl") if r["kind"] in RENDERED else path
        groups.setdefault(target, []).append(r["record"])
    for target, records in groups.items():
        with target.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)
        print(f"wrote {len(records)} records to {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with truth.jsonl, score.py, files/")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}")
    parser.add_argument("--files", help="comma-separated file names (default: every good file of truth.jsonl)")
    parser.add_argument("--quick", action="store_true", help=f"read only the first {QUICK_PAGES} pages of each file")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--records", type=Path, help="also write the records as JSONL (score.py reads them)")
    parser.add_argument("--pages-cache", type=Path,
                        help="keep each run's pages and raw texts here and reuse them: a later run re-does only the "
                             "extraction (for work on extract/; OCR changes need a fresh folder)")
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    if unknown := [k for k in kinds if k not in KINDS]:
        parser.error(f"unknown kinds {', '.join(unknown)}; known: {', '.join(KINDS)}")
    if not (args.corpus / "truth.jsonl").is_file():
        parser.error(f"no truth.jsonl in {args.corpus} (give --corpus)")
    scorer = load_scorer(args.corpus)
    truth, _ = scorer.load_jsonl(str(args.corpus / "truth.jsonl"), "truth")
    truth = [t for t in truth if t["kind"] == "good" and not t.get("duplicate_of")]
    if args.files:
        wanted = args.files.split(",")
        if unknown := sorted(set(wanted) - {t["file"] for t in truth}):
            parser.error(f"not in truth.jsonl: {', '.join(unknown)}")
        truth = [t for t in truth if t["file"] in wanted]
    limit = QUICK_PAGES if args.quick else None
    paths = {t["file"]: args.corpus / "files" / t["file"] for t in truth}
    pages = {name: page_count(path) for name, path in paths.items()}
    cache = args.pages_cache / ("quick" if args.quick else "all") if args.pages_cache else None
    jobs = [(kind, str(paths[t["file"]]), limit, cache) for t in truth for kind in kind_of(t) if kind in kinds]
    # Longest OCR first, so the two workers finish together.
    jobs.sort(key=lambda job: -min(pages[Path(job[1]).name], limit or 10**6) * (job[0] != BORN_DIGITAL))

    started = time.perf_counter()
    warm = any(not (cache and (cache / kind / f"{Path(name).name}.json").is_file()) for kind, name, _, _ in jobs)
    with ProcessPoolExecutor(args.workers, initializer=warm_up if warm else None) as pool:
        results = list(pool.map(run_one, jobs))
    order = {kind: i for i, kind in enumerate(KINDS)}
    results.sort(key=lambda r: (order[r["kind"]], r["file"]))
    run_truth = {t["file"]: truth_for_run(t, pages[t["file"]], limit) for t in truth}
    summaries = {}
    for kind in (k for k in KINDS if k in kinds):
        rows = [r for r in results if r["kind"] == kind]
        if rows:
            summaries[kind] = summarise(scorer, [run_truth[r["file"]] for r in rows], rows)

    print(f"{len(results)} runs of {len(truth)} files, {sum(r['pages'] for r in results)} pages, "
          f"{args.workers} workers, sohoa at {ROOT}, corpus {args.corpus}"
          + (f"; --quick: first {QUICK_PAGES} pages of each file" if args.quick else ""))
    print("\n== Text per capture kind (score.py's CER, WER, BoW-F1: mean over files; raw: Tesseract on the same "
          "page images, born_digital: the text layer as get_text reads it) ==")
    text_table(summaries)
    print("\n== Per file ==")
    file_table(summaries, results)
    print("\n== Per page: what sohoa decided ==")
    decision_table(results)
    print("\n== Fields (score.py; 'wrong, not flagged': a wrong value in a record not sent to review) ==")
    for kind, s in summaries.items():
        field_table(scorer, kind, s)
    if args.records:
        print()
        write_records(args.records, results)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")

    print("\ntargets (issue 10):")
    checks = targets(summaries)
    for what, met in checks:
        print_check(met, what)
    if not checks:
        print_check(None, "no rendered kind was run")
    print("information, not targets here (issue 11's field bars):")
    for what, met in field_bars(summaries):
        print(f"  {'met ' if met else 'not '}  {what}")
    missed = [what for what, met in checks if not met]
    print(f"{len(checks) - len(missed)} of {len(checks)} targets met")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
