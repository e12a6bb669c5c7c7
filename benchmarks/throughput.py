"""Seconds per page on the bundled sample batch: sohoa against raw Tesseract, same pages, same run.

Baseline: `pytesseract.image_to_string(page, lang="vie")` on each page image, i.e. one plain
Tesseract run per page (with the same OMP_THREAD_LIMIT=1). sohoa: `read_document` +
`extract_document` per file (type sniffing, text-layer triage, rasterising, one Tesseract run
giving PDF and words, reading order, PDF assembly, field extraction), one file after another.
With --end-to-end, also `sohoa digitise` in a fresh SOHOA_HOME (managed S3 server start,
Prefect's temporary API, storage, catalog, 2 documents side by side).

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

from extract import extract_document  # noqa: E402
from ocr import load, sniff  # noqa: E402
from ocr.errors import InputError  # noqa: E402
from ocr.pipeline import read_document  # noqa: E402
from ocr.settings import OcrSettings  # noqa: E402
import ocr.tesseract  # noqa: E402,F401  (sets OMP_THREAD_LIMIT=1 for the baseline too)

BATCH = ROOT / "samples" / "batch"


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


def time_baseline(files: dict[str, bytes], settings: OcrSettings) -> tuple[float, int]:
    started, pages = time.perf_counter(), 0
    for data in files.values():
        for page in page_images(data, settings):
            pytesseract.image_to_string(page.image, lang=settings.language, config=f"--dpi {page.dpi}")
            pages += 1
    return time.perf_counter() - started, pages


def time_sohoa(files: dict[str, bytes], settings: OcrSettings) -> tuple[float, int, int]:
    started, pages, ocr_pages = time.perf_counter(), 0, 0
    for data in files.values():
        document = read_document(data, settings)
        extract_document(document.pages)
        pages += len(document.pages)
        ocr_pages += sum(page.method == "ocr" for page in document.pages)
    return time.perf_counter() - started, pages, ocr_pages


def time_end_to_end() -> float:
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as home:
        env = {**os.environ, "SOHOA_HOME": home}
        env.pop("SOHOA_S3_ENDPOINT", None)
        sohoa = [sys.executable, "-m", "flows.cli"]
        started = time.perf_counter()
        subprocess.run([*sohoa, "digitise", str(BATCH), "--agency", "bench"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - started
        subprocess.run([*sohoa, "services", "down"], env=env, check=True, stdout=subprocess.DEVNULL)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--end-to-end", action="store_true", help="also time `sohoa digitise` with storage and Prefect")
    args = parser.parse_args()
    settings = OcrSettings()
    files = readable_files(settings)
    base_seconds, base_pages = time_baseline(files, settings)
    sohoa_seconds, pages, ocr_pages = time_sohoa(files, settings)
    assert pages == base_pages, (pages, base_pages)
    print(f"sample batch: {len(files)} readable files, {pages} pages ({ocr_pages} OCR'd, {pages - ocr_pages} text layer)")
    print(f"{'':34}{'s total':>9}{'s/page':>9}{'ratio':>8}")
    print(f"{'raw Tesseract (baseline)':34}{base_seconds:9.2f}{base_seconds / pages:9.2f}{1:8.2f}")
    print(f"{'sohoa read + extract':34}{sohoa_seconds:9.2f}{sohoa_seconds / pages:9.2f}{sohoa_seconds / base_seconds:8.2f}")
    if args.end_to_end:
        e2e = time_end_to_end()
        print(f"{'sohoa digitise (end to end)':34}{e2e:9.2f}{e2e / pages:9.2f}{e2e / base_seconds:8.2f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {own:.0f} MiB, largest child (Tesseract) {children:.0f} MiB")


if __name__ == "__main__":
    main()
