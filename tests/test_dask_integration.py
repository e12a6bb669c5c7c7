"""The flow on a real Dask scheduler with two worker processes (`dask scheduler`, `dask worker`):
documents run on the cluster, and a long scan's page ranges are read by both workers; and
`SOHOA_ENGINE=dask`'s local range cluster."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import distributed
import pymupdf
import pytest
from conftest import services_env, wait_or_kill
from prefect_dask import DaskTaskRunner

from flows.digitise import digitise_batch
from flows.engine import close_local_cluster, cluster_ranges, local_cluster, read_on_local_cluster
from flows.intake import ingest
from ocr.pipeline import read_document
from ocr.settings import OcrSettings
from samples.generate import make_document
from samples.writers import pdf_scan_bytes

pytestmark = pytest.mark.integration

SCAN_PAGES = 6
RANGE_PAGES = 2
DASK = Path(sys.executable).parent / "dask"


@pytest.fixture
def sohoa_services(s3_settings, tmp_path_factory, prefect_harness):
    with services_env(s3_settings, tmp_path_factory, "dask") as services:
        yield services


@pytest.fixture
def dask_cluster(tmp_path, sohoa_services):
    """A scheduler and two single-threaded workers on loopback, each its own process, configured
    like this process (object storage, catalog, Prefect API): as on three machines."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "SOHOA_OCR_RANGE_PAGES": str(RANGE_PAGES)}
    scheduler_file = tmp_path / "scheduler.json"
    processes = [subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(scheduler_file)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        address = _wait_for_address(scheduler_file, processes[0])
        for name in ("w1", "w2"):
            processes.append(subprocess.Popen(
                [str(DASK), "worker", address, "--name", name, "--nthreads", "1", "--nworkers", "1",
                 "--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(tmp_path / name)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):  # workers first, then the scheduler
            process.terminate()
        for process in processes:
            wait_or_kill(process)


def _wait_for_address(scheduler_file: Path, scheduler: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if scheduler.poll() is not None:
            raise RuntimeError(f"dask scheduler exited with {scheduler.returncode}")
        if scheduler_file.exists():
            try:
                return json.loads(scheduler_file.read_text())["address"]
            except (json.JSONDecodeError, KeyError):
                pass  # being written
        time.sleep(0.2)
    raise RuntimeError("dask scheduler did not start in 60 s")


def test_a_long_scan_is_read_by_both_workers_of_a_real_cluster(tmp_path, sohoa_services, dask_cluster):
    services = sohoa_services
    scanned = make_document(random.Random(5), "quyet_dinh", "grey")
    folder = tmp_path / "tập 1"
    folder.mkdir()
    (folder / "sổ quyết định.pdf").write_bytes(
        pdf_scan_bytes((scanned.pages * SCAN_PAGES)[:SCAN_PAGES], scanned.dpi, date(2025, 3, 1)))
    batch = ingest([folder], "000.00.00.H62", services, batch_name="tập 1").batch_id

    with distributed.Client(dask_cluster) as client, distributed.get_task_stream(client) as stream:
        counts = digitise_batch.with_options(task_runner=DaskTaskRunner(address=dask_cluster))(batch)
    assert counts["pending"] == 0 and counts["failed"] == 0, counts

    ran = [(str(task["key"]), task["worker"]) for task in stream.data]
    ranges = [worker for key, worker in ran if "read_page_range" in key]
    assert len(ranges) == SCAN_PAGES // RANGE_PAGES
    assert len(set(ranges)) == 2, "both workers read ranges of the one document"

    (record,) = services.catalog.records(batch)
    assert record.pages == SCAN_PAGES
    assert [page.number for page in record.page_details] == list(range(1, SCAN_PAGES + 1))
    assert all(page.method == "ocr" and page.outcome == "ok" for page in record.page_details)
    assert record.fields["document_number"].value == scanned.truth["fields"]["document_number"]
    with pymupdf.open("pdf", services.store.get(record.files.pdf)) as pdf:
        assert pdf.page_count == SCAN_PAGES
        assert all(page.get_text().strip() for page in pdf), "every page of the archive copy is searchable"


def test_sohoa_process_reads_a_long_scans_ranges_on_a_local_cluster(tmp_path, s3_settings, tmp_path_factory):
    """`SOHOA_ENGINE=dask sohoa process`: documents in the run's process, a long scan's ranges on a
    local cluster started for them; one Prefect API (the cluster runs no Prefect task)."""
    with services_env(s3_settings, tmp_path_factory, "dask-cli") as services:
        folder = tmp_path / "hộp 1"
        folder.mkdir()
        scanned = make_document(random.Random(6), "quyet_dinh", "grey")
        (folder / "quyết định.pdf").write_bytes(pdf_scan_bytes((scanned.pages * 2)[:2], scanned.dpi, date(2025, 3, 1)))
        batch = ingest([folder], "000.00.00.H62", services, batch_name="hộp 1").batch_id
        env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
        env.update(SOHOA_ENGINE="dask", SOHOA_WORKERS="2", SOHOA_OCR_RANGE_PAGES="1")
        run = subprocess.run([sys.executable, "-m", "flows.cli", "-v", "process", "--batch", batch], env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]
        assert "distributed.scheduler" in run.stderr, "a Dask cluster was started for the ranges"
        assert run.stderr.count("Starting temporary server") == 1, run.stderr[-3000:]
        (record,) = services.catalog.records(batch)
        assert record.status in ("digitised", "needs_review") and record.pages == 2
        assert all(page.method == "ocr" and page.outcome == "ok" for page in record.page_details)


def test_the_local_range_cluster_shares_the_ranges_and_loads_no_models(tmp_path, monkeypatch):
    """SOHOA_ENGINE=dask: a long scan's ranges read by this process and the local cluster, whose
    workers import nothing of sohoa but ocr/ (no extraction models, no Prefect, no pyHanko); the
    cluster stops when no document reads ranges on it."""
    monkeypatch.setenv("SOHOA_ENGINE", "dask")
    monkeypatch.setenv("SOHOA_WORKERS", "2")
    environ = dict(os.environ)
    scanned = make_document(random.Random(7), "quyet_dinh", "grey")
    original = tmp_path / "original"
    original.write_bytes(pdf_scan_bytes((scanned.pages * 4)[:4], scanned.dpi, date(2025, 3, 1)))
    runner = cluster_ranges()
    assert runner is read_on_local_cluster
    try:
        # Held here too, to watch the cluster the runner uses (SOHOA_WORKERS - 1 processes).
        with local_cluster(1) as client:
            # Dask's nanny sets its pre-spawn variables (MALLOC_TRIM_THRESHOLD_, OMP_NUM_THREADS) in this
            # process's environment for good; local_cluster puts it back for the process's own subprocesses.
            assert dict(os.environ) == environ
            (worker_pid,) = client.run(os.getpid).values()
            with distributed.get_task_stream(client) as stream:
                document = read_document(original, OcrSettings(range_pages=1), run_ranges=runner)
            loaded = client.run(lambda: sorted({name.split(".")[0] for name in sys.modules}))
        assert not _running(worker_pid), "the last document done with the cluster stopped it"
        # The next long document starts it again.
        again = read_document(original, OcrSettings(range_pages=2), run_ranges=runner)
    finally:
        close_local_cluster()
    assert [page.number for page in document.pages] == [1, 2, 3, 4]
    assert all(page.method == "ocr" and page.outcome == "ok" for page in document.pages)
    assert [page.text for page in again.pages] == [page.text for page in document.pages]
    on_cluster = [task for task in stream.data if "read_page_range" in str(task["key"])]
    assert 1 <= len(on_cluster) < 4, "the cluster read ranges, and so did this process"
    (modules,) = loaded.values()
    assert "ocr" in modules
    assert not {"extract", "spacy", "prefect", "flows", "storage", "web", "pyhanko"} & set(modules), modules


def _running(pid: int) -> bool:
    deadline = time.monotonic() + 30  # the nanny may take a moment to reap its worker
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
        except OSError:
            return False
        if state == "Z":
            return False
        time.sleep(0.2)
    return True
