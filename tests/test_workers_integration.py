"""Many workers, one catalog: two `sohoa process` runs on one batch, sharing a PostgreSQL
catalog and the session's SeaweedFS, process every document exactly once, the one a dead
worker had claimed included; `sohoa reindex` then rebuilds the same catalog from object storage."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pymupdf
import pytest

from extract.settings import ExtractSettings
from flows.intake import ingest
from flows.services import Services
from ocr.assemble import TEXT_FONT_FILE
from ocr.settings import OcrSettings
from storage.catalog import Catalog
from storage.objects import ObjectStore

pytestmark = pytest.mark.integration

AGENCY = "000.00.00.H62"
DOCUMENTS = 8


def born_digital_decision(path: Path, n: int) -> None:
    """A one-page decision with a text layer: read without OCR, so the test costs no Tesseract."""
    document = pymupdf.open()
    page = document.new_page()
    lines = ["ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC", f"Số: {n}/QĐ-UBND", "QUYẾT ĐỊNH",
             f"Về việc giao đất cho hộ gia đình số {n}", "CHỦ TỊCH", "Nguyễn Văn An"]
    for i, line in enumerate(lines):
        page.insert_text((72, 90 + 28 * i), line, fontname="serif", fontfile=str(TEXT_FONT_FILE), fontsize=12)
    document.save(path)


def postgres_batch(s3_settings, postgres_url: str, folder: Path, prefix: str) -> tuple[Services, str]:
    """DOCUMENTS born-digital decisions ingested as batch `folder.name`, fresh buckets, the PostgreSQL catalog."""
    settings = s3_settings.model_copy(update={"bucket_prefix": f"{prefix}-{uuid.uuid4().hex[:12]}"})
    catalog = Catalog(postgres_url)
    services = Services(settings, OcrSettings(), ExtractSettings(), ObjectStore.connect(settings), catalog)
    folder.mkdir()
    for n in range(1, DOCUMENTS + 1):
        born_digital_decision(folder / f"quyết định {n}.pdf", n)
    return services, ingest([folder], AGENCY, services, batch_name=folder.name).batch_id


def sohoa_worker(*args: str, env: dict) -> subprocess.Popen:
    """`sohoa ARGS` whose first document waits for the other worker's (tests/rendezvous_cli.py)."""
    return subprocess.Popen([sys.executable, str(Path(__file__).with_name("rendezvous_cli.py")), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_workers_share_one_batch_on_postgresql(s3_settings, postgres_url, prefect_harness, tmp_path):
    from prefect.settings import PREFECT_API_URL

    services, batch = postgres_batch(s3_settings, postgres_url, tmp_path / "hộp 3", "w")
    settings, catalog = services.storage_settings, services.catalog
    pending = catalog.ids_with_status("pending", batch)
    assert len(pending) == DOCUMENTS
    # A worker that died holding a document: its claim lapses and the document is done by another.
    assert catalog.claim(pending[0], "gone-host:4242:dead00", ttl=0.5)
    time.sleep(0.6)

    base = {key: value for key, value in os.environ.items() if key != "SOHOA_S3_ENDPOINT"}
    base.update(SOHOA_HOME=str(settings.home), SOHOA_BUCKET_PREFIX=settings.bucket_prefix,
                SOHOA_CATALOG_URL=postgres_url, SOHOA_WORKERS="1", PREFECT_API_URL=PREFECT_API_URL.value())
    # As on two machines reporting to one Prefect server. Each holds its first document until the
    # other holds one too, so both take part however long each takes to start.
    (tmp_path / "rendezvous").mkdir()
    workers_env = {**base, "RENDEZVOUS_DIR": str(tmp_path / "rendezvous"), "RENDEZVOUS_WORKERS": "2"}
    runs = [sohoa_worker("-v", "process", "--batch", batch, env=workers_env) for _ in range(2)]
    try:
        outputs = [run.communicate(timeout=300) for run in runs]
    finally:
        for run in runs:  # a hung worker must not outlive the test (nor the PostgreSQL cluster)
            if run.poll() is None:
                run.kill()
                run.wait()
    for run, (_, stderr) in zip(runs, outputs):
        assert run.returncode == 0, stderr[-3000:]

    # Who processed what, from each run's log line `<file>: <status> (worker <id>)`.
    done = [re.findall(r"flows\.steps: (.+?): \w+ \(worker (\S+)\)", stderr) for _, stderr in outputs]
    files = [[path for path, _ in lines] for lines in done]
    assert files[0] and files[1], "both workers take part"
    assert sorted(files[0] + files[1]) == sorted(f"hộp 3/quyết định {n}.pdf" for n in range(1, DOCUMENTS + 1))
    workers = [{worker for _, worker in lines} for lines in done]
    assert len(workers[0]) == len(workers[1]) == 1 and workers[0] != workers[1], workers

    # Exactly one processing per document: the ingest's version of its record, then one more.
    records = {record.id: record for record in catalog.records(batch)}
    assert len(records) == DOCUMENTS
    for record in records.values():
        assert record.status in ("digitised", "needs_review"), (record.source_path, record.status, record.error)
        assert len(services.store.record_versions(catalog.record_key(record.id))) == 2, record.source_path
        assert catalog.claim_holder(record.id) is None  # every claim given back

    # `sohoa reindex` on PostgreSQL: the catalog rebuilt from the records bucket is the same.
    before = {r.id: r.model_dump_json() for r in catalog.records()}
    reindex = subprocess.run([sys.executable, "-m", "flows.cli", "reindex"], env=base,
                             capture_output=True, text=True, timeout=120)
    assert reindex.returncode == 0, reindex.stderr
    assert f"catalog rebuilt from {DOCUMENTS} records" in reindex.stderr
    assert {r.id: r.model_dump_json() for r in catalog.records()} == before
    catalog.close()
