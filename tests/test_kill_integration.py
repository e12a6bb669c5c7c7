"""Crash safety: `sohoa process` SIGKILLed (its whole process group: the flow's worker threads,
Tesseract, Ghostscript) at random points 20 times in a row, then run to the end, leaves every
file with exactly one record, no derived object that no record points to, no claim held, no page
range or work object of a long scan left behind, and a catalog that `sohoa reindex` rebuilds
identically from object storage."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pymupdf
import pytest

from extract.settings import ExtractSettings
from flows.intake import ingest
from flows.services import Services
from ocr.settings import OcrSettings
from storage.catalog import Catalog
from storage.objects import ObjectStore, split_ref
from tests.test_range_claims_integration import three_page_scan, work_keys
from tests.test_workers_integration import born_digital_decision

pytestmark = pytest.mark.integration

AGENCY = "000.00.00.H62"
BORN_DIGITAL = 10  # a run does all of them in about 5 s: enough for most rounds to find work
ROUNDS = 20
CLAIM_TTL = 2.0  # seconds: a killed run's claim lapses quickly, so the next round takes its document


def scanned_decision(path: Path, tmp_path: Path) -> None:
    """One small scanned page (a PNG of a decision), so that some kills land inside Tesseract."""
    born_digital_decision(tmp_path / "scan-source.pdf", 99)
    with pymupdf.open(tmp_path / "scan-source.pdf") as document:
        document[0].get_pixmap(dpi=200, clip=pymupdf.Rect(40, 60, 560, 260)).save(path)


def start(env: dict, log: Path, *args: str) -> subprocess.Popen:
    """`sohoa ARGS` in a process group of its own, so that one killpg takes its children too."""
    with log.open("w") as stderr:
        return subprocess.Popen([sys.executable, "-m", "flows.cli", "-v", *args], env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=stderr, text=True)


def derived_state(store: ObjectStore) -> dict[str, list[str]]:
    """Every key of the derived bucket with its version ids (newest first)."""
    bucket = store.buckets.derived
    keys = {item.object_name for item in store.client.list_objects(bucket, recursive=True)}
    return {key: [v.version_id for v in store.object_versions(bucket, key)] for key in keys}


def stored_records(store: ObjectStore) -> dict[str, dict]:
    """The latest version of every record in the records bucket, by key."""
    return {key: json.loads(store.get_record(key)) for key in store.list_record_keys()}


def test_sigkill_at_random_points_loses_and_repeats_nothing(s3_settings, postgres_url, prefect_harness, tmp_path):
    from prefect.settings import PREFECT_API_URL

    settings = s3_settings.model_copy(update={"bucket_prefix": f"k-{uuid.uuid4().hex[:12]}"})
    catalog = Catalog(postgres_url)
    store = ObjectStore.connect(settings)
    services = Services(settings, OcrSettings(), ExtractSettings(), store, catalog)
    folder = tmp_path / "hộp 7"
    folder.mkdir()
    for n in range(1, BORN_DIGITAL + 1):
        born_digital_decision(folder / f"quyết định {n}.pdf", n)
    scanned_decision(folder / "bản quét.png", tmp_path)
    # A long scan cut in one-page ranges that both slots of a run claim: kills land while ranges
    # are read, stored in the work bucket and collected.
    three_page_scan(folder / "sổ đăng ký.pdf")
    batch = ingest([folder], AGENCY, services, batch_name="hộp 7").batch_id
    files = sorted(f"hộp 7/{path.name}" for path in folder.iterdir())
    files_ids = catalog.ids_with_status("pending", batch)
    assert len(files_ids) == len(files)

    env = {key: value for key, value in os.environ.items() if key != "SOHOA_S3_ENDPOINT"}
    env.update(SOHOA_HOME=str(settings.home), SOHOA_BUCKET_PREFIX=settings.bucket_prefix,
               SOHOA_CATALOG_URL=postgres_url, SOHOA_WORKERS="2", SOHOA_CLAIM_TTL_SECONDS=str(CLAIM_TTL),
               SOHOA_OCR_RANGE_PAGES="1",
               PREFECT_API_URL=PREFECT_API_URL.value())

    # Start-up (Python, Prefect, the tool checks) takes about 3-4 s here and a document well under
    # a second: kills up to 6 s land mostly in start-up, so every other round waits for the flow's
    # first claim (seen in the catalog) and kills within 0.4 s, about one born-digital document:
    # inside a document or while its results are saved. Once the batch is done, runs end by themselves.
    rng = random.Random(20261205)
    phases: Counter[str] = Counter()
    horizon, timings = 6.0, []
    for round_ in range(ROUNDS):
        log = tmp_path / f"round-{round_}.log"
        # Every other round aims at the documents: a short delay once the flow has begun claiming.
        aimed = round_ % 2 == 1
        delay = rng.uniform(0.0, 0.4) if aimed else rng.uniform(0.2, horizon)
        derived_before, pending_before = derived_state(store), set(catalog.ids_with_status("pending", batch))
        holders_before = claim_holders(catalog, files_ids)
        began = time.monotonic()
        run = start(env, log, "process", "--batch", batch)
        try:
            if aimed:  # the catalog, not the log, says when this run has claimed a document
                while run.poll() is None and claim_holders(catalog, files_ids) <= holders_before \
                        and time.monotonic() - began < 60:
                    time.sleep(0.02)
            run.wait(timeout=delay)
            phases["ran to the end"] += 1
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
                run.wait()
        text = log.read_text()
        assert run.returncode in (0, -signal.SIGKILL), text[-3000:]  # a run left alone must succeed
        if run.returncode == -signal.SIGKILL:
            claimed = bool(claim_holders(catalog, files_ids) - holders_before)
            phases[_phase(claimed, derived_before, derived_state(store), pending_before,
                          set(catalog.ids_with_status("pending", batch)), store, catalog)] += 1
        timings.append(time.monotonic() - began)

    # A document a killed run held is skipped by the next rounds until its claim lapses: the
    # last run must find every claim lapsed to take them all.
    time.sleep(CLAIM_TTL + 0.2)

    final = subprocess.run([sys.executable, "-m", "flows.cli", "-v", "process", "--batch", batch], env=env,
                           capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr[-3000:]
    print(f"kills by phase: {dict(phases)}; rounds took {sum(timings):.0f} s")
    assert sum(n for phase, n in phases.items() if phase.startswith(("processing", "saving"))) >= 2, phases

    # Exactly one record per input file, finished, in the catalog and in the records bucket.
    records = {record.id: record for record in catalog.records(batch)}
    assert sorted(record.source_path for record in records.values()) == files
    for record in records.values():
        assert record.status in ("digitised", "needs_review"), (record.source_path, record.status, record.error)
        assert catalog.claim_holder(record.id) is None, record.source_path  # no claim left
        assert catalog.page_ranges(record.id) == [], record.source_path
    assert work_keys(store) == []
    in_bucket = stored_records(store)
    assert sorted(in_bucket) == sorted(catalog.record_key(rid) for rid in records)
    for rid, record in records.items():
        assert in_bucket[catalog.record_key(rid)] == json.loads(record.to_json()), record.source_path

    # No orphan: every derived key is a file of a record, and its latest version is the one the
    # record pins, with the bytes the record's hash says. A run killed after writing a derived
    # file but before its record leaves an older version under the same key (a derived key is
    # <sha256>/<pipeline version>/<name>): superseded, never a second key.
    derived = derived_state(store)
    pinned = {}
    for record in records.values():
        for name in ("pdf", "words"):
            bucket, key = split_ref(getattr(record.files, name))
            assert bucket == store.buckets.derived
            pinned[key] = (getattr(record.files, f"{name}_version"), getattr(record.files, f"{name}_sha256"))
    assert sorted(derived) == sorted(pinned)
    for key, (version, sha256) in pinned.items():
        assert derived[key][0] == version, key
        assert store.hash_object(store.buckets.derived, key) == (sha256, version), key
    superseded = sum(len(versions) - 1 for versions in derived.values())
    print(f"superseded derived versions left by killed runs: {superseded}")

    # The catalog is what object storage says: the export is the same after `sohoa reindex`.
    export = [sys.executable, "-m", "flows.cli", "records", "export", "--batch", batch]
    before = subprocess.run(export, env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    reindex = subprocess.run([sys.executable, "-m", "flows.cli", "reindex"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert reindex.returncode == 0, reindex.stderr
    after = subprocess.run(export, env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    by_id = lambda text: sorted((json.loads(line) for line in text.splitlines() if line), key=lambda r: r["id"])
    assert by_id(after) == by_id(before) and len(by_id(before)) == len(files)
    catalog.close()


def claim_holders(catalog: Catalog, ids: list[str]) -> set[str]:
    """The workers that hold or held a claim on these documents (a killed run's stays behind)."""
    return {held[0] for record_id in ids if (held := catalog.claim_holder(record_id))}


def _phase(claimed: bool, derived_before: dict, derived_after: dict, pending_before: set, pending_after: set,
           store: ObjectStore, catalog: Catalog) -> str:
    """Where a kill landed, from whether the run claimed a document and what it left in storage."""
    if not claimed:
        return "start-up"
    if not pending_before:
        return "after the batch was done"
    # A derived file or a record written that the catalog does not show yet: killed while saving.
    pinned = set()
    for record in catalog.records():
        for name in ("pdf", "words"):
            if ref := getattr(record.files, name):
                pinned.add((split_ref(ref)[1], getattr(record.files, f"{name}_version")))
    unpinned = [key for key, versions in derived_after.items()
                if versions != derived_before.get(key) and (key, versions[0]) not in pinned]
    indexed = {record.id: record.status for record in catalog.records()}
    stale = [key for key, data in stored_records(store).items() if data["status"] != indexed.get(data["id"])]
    if unpinned or stale:
        return "saving"
    return "processing" if pending_after == pending_before else "processing (after finishing a document)"
