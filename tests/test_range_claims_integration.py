"""A long scan's page ranges shared through the catalog, without Dask (flows/range_claims.py): the
document's worker and another worker of the batch read its ranges, each exactly once, a dead
reader's range is taken over once its claim expires, the record is the one a single worker reads,
and nothing of the ranges is left in the catalog or the work bucket. Real SeaweedFS and Tesseract,
a SQLite catalog; two `sohoa process` runs on a PostgreSQL catalog end to end."""

from __future__ import annotations

import json
import logging
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

import pymupdf
import pytest

from extract.settings import ExtractSettings
from flows.intake import ingest
from flows.range_claims import SharedRanges, _input_key, help_with_ranges, settings_sha256, sweep
from flows.services import Services
from flows.steps import process_document
from ocr.page_ranges import cut_range
from ocr.pipeline import read_document
from ocr.settings import OcrSettings
from ocr.types import PageResult
from samples.generate import make_document
from samples.writers import pdf_scan_bytes
from storage import work
from storage.catalog import Catalog
from storage.objects import ObjectStore
from storage.records import Record

pytestmark = pytest.mark.integration

AGENCY = "000.00.00.H62"
READ = re.compile(r"pages (\d+)-(\d+) of document (\S+) read \(claim ([^#\s]+)#")


def three_page_scan(path: Path, pages: int = 3) -> None:
    """Pages of different decisions, so that a page out of order shows in the text."""
    documents = [make_document(random.Random(40 + n), "quyet_dinh", "clean") for n in range(pages)]
    path.write_bytes(pdf_scan_bytes([d.pages[0] for d in documents], documents[0].dpi, date(2025, 3, 1)))


def fresh(s3_settings, catalog_url: str, prefix: str) -> Services:
    settings = s3_settings.model_copy(update={"bucket_prefix": f"{prefix}-{uuid.uuid4().hex[:12]}"})
    return Services(settings.model_copy(update={"claim_ttl_seconds": 30.0}), OcrSettings(range_pages=1),
                    ExtractSettings(), ObjectStore.connect(settings), Catalog(catalog_url))


def work_keys(store: ObjectStore) -> list[str]:
    return [item.object_name for item in store.client.list_objects(store.buckets.work, recursive=True)]


def rebuilt_equal(services: Services) -> None:
    """`sohoa reindex`'s rebuild from the records bucket gives the catalog it replaces."""
    store, catalog = services.store, services.catalog
    before = sorted(r.model_dump_json() for r in catalog.records())
    catalog.rebuild((Record.model_validate_json(store.get_record(key)), key) for key in store.list_record_keys())
    assert sorted(r.model_dump_json() for r in catalog.records()) == before


def test_two_workers_share_a_long_scans_ranges_and_take_over_a_dead_readers(s3_settings, tmp_path, caplog):
    services = fresh(s3_settings, f"sqlite:///{tmp_path / 'catalog.sqlite3'}", "rc")
    catalog, store = services.catalog, services.store
    folder = tmp_path / "tập 2"
    folder.mkdir()
    three_page_scan(folder / "sổ.pdf")
    batch = ingest([folder], AGENCY, services, batch_name="tập 2").batch_id
    (record_id,) = catalog.ids_with_status("pending", batch)

    # A reader that died holding page 3's range (registered as the owner would, its pages uploaded).
    digest = settings_sha256(services.ocr_settings)
    with pymupdf.open(folder / "sổ.pdf") as pdf:
        work.put(store, _input_key(record_id, 3, 1, digest), cut_range(pdf, 2, 2).pdf, "application/pdf")
    catalog.put_page_range(record_id, batch, 3, 1, digest)
    assert catalog.claim_page_range("gone-host:4242:dead00#0", 3.0, digest, document_id=record_id)

    caplog.set_level(logging.INFO, logger="flows.range_claims")
    owner = threading.Thread(target=process_document, args=(record_id, services, "host-a:1:aaaaaa"))
    owner.start()
    deadline = time.monotonic() + 30
    while catalog.claim_holder(record_id) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    helped = help_with_ranges(services, "host-b:2:bbbbbb", batch)  # this thread is the other worker
    owner.join(timeout=300)
    assert not owner.is_alive()

    reads = Counter((int(m[1]), m[3], m[4]) for m in READ.finditer(caplog.text))
    by_range = Counter(first for first, _, _ in reads.elements())
    assert by_range == {1: 1, 2: 1, 3: 1}, caplog.text  # every range read exactly once
    readers = {worker for _, _, worker in reads}
    assert readers == {"host-a:1:aaaaaa", "host-b:2:bbbbbb"} and helped >= 1, reads  # both took part
    assert "gone-host:4242:dead00" not in readers  # its range was taken over after its claim expired

    (record,) = catalog.records(batch)
    assert record.status in ("digitised", "needs_review") and record.pages == 3
    assert [page.number for page in record.page_details] == [1, 2, 3]
    alone = read_document(folder / "sổ.pdf", services.ocr_settings)  # one worker, in order, no ranges
    assert record.text == alone.text
    with pymupdf.open("pdf", store.get(record.files.pdf)) as pdf:
        assert pdf.page_count == 3 and all(page.get_text().strip() for page in pdf)

    assert catalog.page_ranges(record_id) == [] and work_keys(store) == []  # nothing of the ranges left
    rebuilt_equal(services)
    catalog.close()


def test_a_later_owner_reuses_the_ranges_an_earlier_run_read(s3_settings, tmp_path, caplog):
    """An owner that died after page 2's range was read: the document's next owner reads page 1
    only, takes page 2's stored reading as it is, and removes both once done."""
    services = fresh(s3_settings, f"sqlite:///{tmp_path / 'catalog.sqlite3'}", "rr")
    catalog, store = services.catalog, services.store
    folder = tmp_path / "tập 4"
    folder.mkdir()
    three_page_scan(folder / "sổ.pdf", pages=2)
    batch = ingest([folder], AGENCY, services, batch_name="tập 4").batch_id
    (record_id,) = catalog.ids_with_status("pending", batch)
    digest = settings_sha256(services.ocr_settings)
    with pymupdf.open(folder / "sổ.pdf") as pdf:
        page_2 = cut_range(pdf, 1, 1).pdf
    # What the earlier run left: page 2's range, read (a reading marked so that its reuse shows).
    work.put(store, _input_key(record_id, 2, 1, digest), page_2, "application/pdf")
    catalog.put_page_range(record_id, batch, 2, 1, digest)
    job = catalog.claim_page_range("earlier:1:eeeeee#0", 60, digest, document_id=record_id)
    earlier = [PageResult(number=2, method="ocr", triage="ocr: read by the earlier run")]
    prefix = f"{work.document_prefix(record_id)}earlier/"
    work.put(store, prefix + "result.pdf", page_2, "application/pdf")
    work.put(store, prefix + "pages.json", json.dumps([p.model_dump(mode="json") for p in earlier]).encode(),
             "application/json")
    assert catalog.finish_page_range(job.id, "earlier:1:eeeeee#0", prefix)

    caplog.set_level(logging.INFO, logger="flows.range_claims")
    runner = SharedRanges(catalog.get(record_id), services, "host-a:1:aaaaaa")
    with pymupdf.open(folder / "sổ.pdf") as pdf:
        results = list(runner((cut_range(pdf, i, i) for i in range(2)), services.ocr_settings))
    assert [result.pages[0].number for result in results] == [1, 2]
    assert results[0].pages[0].method == "ocr" and results[0].pages[0].outcome == "ok"
    assert results[1].pages == earlier and results[1].pdf == page_2  # reused, not read again
    assert [int(m[1]) for m in READ.finditer(caplog.text)] == [1]
    assert "(1 read by an earlier run)" in caplog.text
    runner.clean()
    assert catalog.page_ranges(record_id) == [] and work_keys(store) == []
    catalog.close()


def test_a_later_run_removes_what_a_dead_owner_left_after_storing_the_record(s3_settings, tmp_path):
    services = fresh(s3_settings, f"sqlite:///{tmp_path / 'catalog.sqlite3'}", "rs")
    folder = tmp_path / "hộp"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(_one_page_pdf())
    batch = ingest([folder], AGENCY, services, batch_name="hộp").batch_id
    (record_id,) = services.catalog.ids_with_status("pending", batch)
    process_document(record_id, services, "host-a:1:aaaaaa")  # finished: not pending any more
    services.catalog.put_page_range(record_id, batch, 1, 1, "d" * 64)
    work.put(services.store, f"{work.document_prefix(record_id)}00001-1-dddd/input.pdf", b"%PDF", "application/pdf")
    work.put(services.store, f"{work.document_prefix('gone-record')}00001-1-dddd/input.pdf", b"%PDF",
             "application/pdf")
    assert sweep(services) == 2
    assert services.catalog.page_ranges(record_id) == [] and work_keys(services.store) == []
    services.catalog.close()


def _one_page_pdf() -> bytes:
    with pymupdf.open() as pdf:
        pdf.new_page().insert_text((72, 90), "QUYẾT ĐỊNH", fontname="helv")
        return pdf.tobytes()


def test_two_sohoa_process_runs_share_a_long_scans_ranges_on_postgresql(s3_settings, postgres_url, prefect_harness,
                                                                       tmp_path):
    """End to end: whichever run claims the scan owns it; the other has no document left and reads
    ranges of it. Each range is read once; `sohoa reindex` gives the same catalog."""
    from prefect.settings import PREFECT_API_URL

    services = fresh(s3_settings, postgres_url, "rp")
    folder = tmp_path / "tập 3"
    folder.mkdir()
    three_page_scan(folder / "sổ.pdf", pages=2)
    batch = ingest([folder], AGENCY, services, batch_name="tập 3").batch_id
    env = {key: value for key, value in os.environ.items() if key != "SOHOA_S3_ENDPOINT"}
    env.update(SOHOA_HOME=str(services.storage_settings.home), SOHOA_BUCKET_PREFIX=services.storage_settings.bucket_prefix,
               SOHOA_CATALOG_URL=postgres_url, SOHOA_WORKERS="1", SOHOA_OCR_RANGE_PAGES="1",
               PREFECT_API_URL=PREFECT_API_URL.value())
    runs = [subprocess.Popen([sys.executable, "-m", "flows.cli", "-v", "process", "--batch", batch], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        outputs = [run.communicate(timeout=300) for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()
    for run, (_, stderr) in zip(runs, outputs):
        assert run.returncode == 0, stderr[-3000:]
    reads = [Counter(int(m[1]) for m in READ.finditer(stderr)) for _, stderr in outputs]
    assert reads[0] + reads[1] == {1: 1, 2: 1}, [stderr[-2000:] for _, stderr in outputs]
    print(f"ranges read by each run: {[dict(r) for r in reads]}")

    (record,) = services.catalog.records(batch)
    assert record.status in ("digitised", "needs_review") and [p.number for p in record.page_details] == [1, 2]
    assert services.catalog.page_ranges(record.id) == [] and work_keys(services.store) == []
    rebuilt_equal(services)
    services.catalog.close()
