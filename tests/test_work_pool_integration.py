"""Prefect workers, as an operator deploys sohoa: a process work pool on a Prefect server on
loopback, a deployment of `digitise-batch` made from this folder, two `prefect worker start`
processes with the services' settings, and two flow runs of the deployment on one batch. The runs
go to the two workers, share the batch through the PostgreSQL catalog's claims, and process every
document exactly once."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import wait_or_kill
from test_workers_integration import DOCUMENTS, postgres_batch

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
PREFECT = Path(sys.executable).with_name("prefect")
RUNS_TIMEOUT = 240


def _worker_processes(marker: str) -> list[int]:
    """Every live process started under a worker's environment: the workers, the flow-run
    processes they start (in process groups of their own) and anything those started."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone meanwhile, or not ours
            continue
        if marker.encode() in environ and state != "Z":
            found.append(int(proc.name))
    return found


def _stop(workers: list[subprocess.Popen], marker: str) -> list[int]:
    """Stop the workers as Ctrl-C does; the processes that outlived them, then killed."""
    deadline = time.monotonic() + 20  # flow-run processes whose run has ended are exiting
    pids = {worker.pid for worker in workers}
    while set(_worker_processes(marker)) - pids and time.monotonic() < deadline:
        time.sleep(0.2)
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
    for worker in workers:
        wait_or_kill(worker)
    left = _worker_processes(marker)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


def _hold_claims(postgres_url: str):
    """A transaction that keeps every worker from claiming (it blocks UPDATEs of `documents`,
    not the reads a run starts with), so both flow runs are seen waiting before either takes a
    document: however long each takes to start, both take part."""
    engine = create_engine(postgres_url)
    connection = engine.connect()
    transaction = connection.begin()
    connection.execute(text("LOCK TABLE documents IN EXCLUSIVE MODE"))

    def waiting() -> int:
        with engine.connect() as other:
            return other.execute(text(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'documents'::regclass")).scalar()

    def release() -> None:
        if not connection.closed:
            transaction.rollback()
            connection.close()
            engine.dispose()

    return waiting, release


def test_two_process_workers_share_one_batch(s3_settings, postgres_url, prefect_harness, tmp_path):
    from prefect import flow as prefect_flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL
    from prefect.workers.process import ProcessWorker

    services, batch = postgres_batch(s3_settings, postgres_url, tmp_path / "hộp 5", "wp")
    settings, catalog = services.storage_settings, services.catalog
    assert catalog.count_with_status("pending", batch) == DOCUMENTS

    # The pool and the deployment, as `prefect work-pool create` and `prefect deploy` make them, but
    # without prefect.yaml's concurrency limit of 1, which would run the two flow runs one after the other.
    pool = f"sohoa-test-{uuid.uuid4().hex[:8]}"
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name=pool, type="process",
                                               base_job_template=ProcessWorker.get_default_base_job_template()))
    source = prefect_flow.from_source(source=str(ROOT), entrypoint="flows/digitise.py:digitise_batch")
    source.deploy(name=pool, work_pool_name=pool, build=False, push=False, print_next_steps=False,
                  ignore_warnings=True)

    # The workers' environment is the sohoa services' (two machines sharing storage and catalog);
    # the bucket prefix is unique to this test, so it also marks every process they start.
    env = {key: value for key, value in os.environ.items() if key != "SOHOA_S3_ENDPOINT"}
    env.update(SOHOA_HOME=str(settings.home), SOHOA_BUCKET_PREFIX=settings.bucket_prefix,
               SOHOA_CATALOG_URL=postgres_url, SOHOA_WORKERS="1", PREFECT_API_URL=PREFECT_API_URL.value(),
               PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_WORKER_QUERY_SECONDS="1")
    marker = f"SOHOA_BUCKET_PREFIX={settings.bucket_prefix}"
    names = ["sohoa-a", "sohoa-b"]
    logs = [tmp_path / f"{name}.log" for name in names]
    waiting, release = _hold_claims(postgres_url)
    workers: list[subprocess.Popen] = []
    try:
        for name, log in zip(names, logs):
            with log.open("w") as out:
                workers.append(subprocess.Popen(
                    [str(PREFECT), "worker", "start", "--pool", pool, "--type", "process", "--limit", "1",
                     "--name", name], env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                    start_new_session=True))
        runs = [run_deployment(f"digitise-batch/{pool}", parameters={"batch_id": batch}, timeout=0).id
                for _ in range(2)]

        deadline = time.monotonic() + RUNS_TIMEOUT
        while waiting() < 2 and time.monotonic() < deadline and all(w.poll() is None for w in workers):
            time.sleep(0.2)
        both_waited = waiting() >= 2
        release()
        with get_client(sync_client=True) as client:
            while True:
                flow_runs = [client.read_flow_run(run) for run in runs]
                states = [flow_run.state for flow_run in flow_runs]
                if all(state.is_final() for state in states) or time.monotonic() > deadline:
                    break
                time.sleep(1)
    finally:
        release()
        left = _stop(workers, marker)
    # Task runs reach the server as events, recorded a moment later: wait until all are there.
    with get_client(sync_client=True) as client:
        recorded_by = time.monotonic() + 30
        while True:
            task_runs = {run: [t for t in client.read_task_runs(flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[run]))) if t.name.startswith("process-document")] for run in runs}
            done = [t for tasks in task_runs.values() for t in tasks if t.state and t.state.is_completed()]
            if len(done) >= DOCUMENTS or time.monotonic() > recorded_by:
                break
            time.sleep(0.5)
    worker_logs = [log.read_text() for log in logs]
    assert both_waited, "both flow runs reached the catalog:\n" + "\n".join(text[-2000:] for text in worker_logs)
    assert [state.type.value for state in states] == ["COMPLETED", "COMPLETED"], (
        [state.message for state in states], [text[-3000:] for text in worker_logs])
    assert left == [], "no worker or flow-run process outlives the workers"
    assert _worker_processes(marker) == []

    # Each worker ran one of them (a worker labels the runs it takes; its log may also name a run it
    # tried to take as the other took it).
    assert sorted(flow_run.labels.get("prefect.worker.name") for flow_run in flow_runs) == names

    # Both runs processed documents, together every one, each in one task of one run.
    assert all(task_runs[run] for run in runs), {run: len(tasks) for run, tasks in task_runs.items()}
    assert sum(len(tasks) for tasks in task_runs.values()) == DOCUMENTS
    assert all(task.state.is_completed() for tasks in task_runs.values() for task in tasks)

    # Exactly one processing per document: the ingest's version of its record, then one more.
    records = list(catalog.records(batch))
    assert len(records) == DOCUMENTS
    for record in records:
        assert record.status in ("digitised", "needs_review"), (record.source_path, record.status, record.error)
        assert len(services.store.record_versions(catalog.record_key(record.id))) == 2, record.source_path
        assert catalog.claim_holder(record.id) is None  # every claim given back
    catalog.close()
