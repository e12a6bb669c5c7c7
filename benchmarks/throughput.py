"""Seconds per page on the bundled sample batch: sohoa against raw Tesseract, same pages, same run.

Baseline: `pytesseract.image_to_string(page, lang="vie")` on each page image, i.e. one plain
Tesseract run per page (with the same OMP_THREAD_LIMIT=1). sohoa: `read_document` +
`extract_document` per file (type sniffing, text-layer triage, rasterising, one Tesseract run
giving PDF and words, reading order, PDF assembly, field extraction), one file after another.
With --end-to-end, also `sohoa digitise` in a fresh SOHOA_HOME (managed S3 server start,
Prefect's temporary API, storage, catalog, 2 documents side by side).

Target (issue 3's speed bar, applied to the batch): on the scanned files, sohoa read + extract
takes at most 1.5x raw Tesseract's seconds per page. PASS/FAIL at the end; exit status 1 when
missed.

    .venv/bin/python benchmarks/throughput.py [--end-to-end]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytesseract

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_check  # noqa: E402
from extract import extract_document  # noqa: E402
from ocr import load, sniff  # noqa: E402
from ocr.errors import InputError  # noqa: E402
from ocr.pipeline import read_document  # noqa: E402
from ocr.settings import OcrSettings  # noqa: E402
import ocr.tesseract  # noqa: E402,F401  (sets OMP_THREAD_LIMIT=1 for the baseline too)

BATCH = ROOT / "samples" / "batch"
MAX_RATIO = 1.5  # sohoa s/page over raw Tesseract's, scanned files


def page_images(data: bytes, settings: OcrSettings) -> list[load.ImagePage]:
    """The images raw Tesseract would be given: every frame, PDF pages at the OCR dpi."""
    if load.check_bytes(data, settings) == sniff.PDF:
        with load.open_pdf(data, settings) as doc:
            return [load.render_pdf_page(page, settings.dpi) for page in doc]
    return list(load.iter_image_pages(data, settings))


def readable_files(settings: OcrSettings) -> dict[str, bytes]:
    """The sample files that have pages; a file whose bytes were seen already is skipped like a duplicate."""
    files, seen = {}, set()
    for path in sorted(BATCH.iterdir()):
        data = path.read_bytes()
        if data in seen:
            continue
        seen.add(data)
        try:
            page_images(data, settings)
        except InputError:
            continue
        files[path.name] = data
    return files


def time_baseline(data: bytes, settings: OcrSettings) -> float:
    started = time.perf_counter()
    for page in page_images(data, settings):
        pytesseract.image_to_string(page.image, lang=settings.language, config=f"--dpi {page.dpi}")
    return time.perf_counter() - started


def time_sohoa(data: bytes, settings: OcrSettings) -> tuple[float, int, bool]:
    """Seconds, pages, and whether every page was OCR'd (no text layer used)."""
    started = time.perf_counter()
    document = read_document(data, settings)
    extract_document(document.pages, signatures=document.signatures)
    scanned = all(page.method == "ocr" for page in document.pages)
    return time.perf_counter() - started, len(document.pages), scanned


def time_end_to_end() -> float:
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as home:
        env = {**os.environ, "SOHOA_HOME": home}
        env.pop("SOHOA_S3_ENDPOINT", None)
        sohoa = [sys.executable, "-m", "flows.cli"]
        started = time.perf_counter()
        subprocess.run([*sohoa, "digitise", str(BATCH), "--agency", "bench"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - started
        subprocess.run([*sohoa, "services", "down"], env=env, check=True, stdout=subprocess.DEVNULL)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--end-to-end", action="store_true", help="also time `sohoa digitise` with storage and Prefect")
    args = parser.parse_args()
    settings = OcrSettings()
    files = readable_files(settings)
    rows = []  # (pages, scanned, baseline seconds, sohoa seconds) per file
    for data in files.values():
        baseline = time_baseline(data, settings)
        seconds, pages, scanned = time_sohoa(data, settings)
        rows.append((pages, scanned, baseline, seconds))
    pages, base_all, _ = _totals(rows)
    print(f"sample batch: {len(files)} readable files, {pages} pages")
    print(f"{'':34}{'pages':>6}{'s total':>9}{'s/page':>9}{'ratio':>8}")
    for label, subset in (("scanned files only", [r for r in rows if r[1]]), ("all readable files", rows)):
        n, base, own = _totals(subset)
        print(label)
        _print_row("raw Tesseract (baseline)", n, base, base)
        _print_row("sohoa read + extract", n, own, base)
    if args.end_to_end:
        _print_row("sohoa digitise (end to end)", pages, time_end_to_end(), base_all)
    own_memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {own_memory:.0f} MiB, largest child process {children:.0f} MiB")
    _, base, own = _totals([r for r in rows if r[1]])
    met = own <= MAX_RATIO * base
    print("target:")
    print_check(met, f"sohoa s/page <= {MAX_RATIO} x raw Tesseract on scanned files: ratio {own / base:.2f}")
    sys.exit(0 if met else 1)


def _totals(rows: list[tuple[int, bool, float, float]]) -> tuple[int, float, float]:
    return sum(r[0] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)


def _print_row(label: str, pages: int, seconds: float, baseline: float) -> None:
    print(f"  {label:32}{pages:6}{seconds:9.2f}{seconds / pages:9.2f}{seconds / baseline:8.2f}")


if __name__ == "__main__":
    main()
