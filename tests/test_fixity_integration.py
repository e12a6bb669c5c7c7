"""Fixity against the real SeaweedFS: a document stored by ingest and processing, then damaged.

Each test digitises a one-page born-digital PDF of its own (unique text, so never a duplicate),
damages what is stored the way an operator or a fault could, and checks what fixity reports,
from the check itself, the Prefect flow (state and artifacts) and `sohoa fixity`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tracemalloc
import uuid
from pathlib import Path

import pymupdf
import pytest
from conftest import services_env
from minio.error import S3Error
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.fixity import FIXITY_ARTIFACT, FIXITY_SUMMARY_ARTIFACT, fixity_check
from flows.intake import ingest
from flows.steps import process_document
from storage.fixity import run_fixity, targets
from storage.records import Record

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
AGENCY = "000.00.00.H62"


@pytest.fixture(scope="module")
def sohoa_env(s3_settings, tmp_path_factory):
    """Buckets and a catalog of this module's own (the session's sohoa_env is shared with tests
    that count what its buckets hold), reached by get_services() as the flow and the CLI do."""
    with services_env(s3_settings, tmp_path_factory, "fx") as services:
        yield services


@pytest.fixture
def stored(sohoa_env, tmp_path) -> Record:
    """One document ingested and processed through the normal code path, in a batch of its own."""
    token = uuid.uuid4().hex[:8]
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 100), f"UY BAN NHAN DAN TINH VINH PHUC  So: {token}/QD-UBND", fontsize=12)
    page.insert_text((72, 140), "QUYET DINH ve viec cap giay phep", fontsize=14)
    path = tmp_path / f"quyet-dinh-{token}.pdf"
    document.save(path)
    result = ingest([path], AGENCY, sohoa_env, batch_name=f"fixity-{token}")
    [registered] = result.registered
    assert process_document(registered.id, sohoa_env) in ("digitised", "needs_review")
    return sohoa_env.catalog.get(registered.id)


def check_all(services, record: Record) -> dict:
    report = run_fixity(services.store, [record])
    return {check.role: check for check in report.problems} | {"report": report}


def located(record: Record, role: str):
    [target] = [t for t in targets(record) if t.role == role]
    return target


def test_stored_document_is_all_ok(sohoa_env, stored):
    files = stored.files
    assert files.pdf_sha256 and files.words_sha256 and files.pdf_version and files.words_version
    report = run_fixity(sohoa_env.store, [stored])
    assert report.counts == {"ok": 4, "missing": 0, "changed": 0, "unreadable": 0, "not_checkable": 0}
    assert not report.has_problems


def test_overwritten_derived_file_is_changed_and_restored(sohoa_env, stored):
    store = sohoa_env.store
    pdf = located(stored, "pdf")
    written = store.client.put_object(pdf.bucket, pdf.key, io.BytesIO(b"%PDF-1.7 other bytes"), 20)
    found = check_all(sohoa_env, stored)
    changed = found["pdf"]
    assert set(found) == {"pdf", "report"} and changed.status == "changed"
    assert changed.found_version == written.version_id != stored.files.pdf_version
    assert changed.expected_sha256 == stored.files.pdf_sha256 != changed.found_sha256
    assert changed.restore_version == stored.files.pdf_version  # the pinned version still has the bytes
    assert f"restore version {stored.files.pdf_version}" in changed.action()

    result = sohoa("fixity", "--batch", stored.batch_id, "--restore")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"restored {pdf.bucket}/{pdf.key}" in result.stderr
    report = run_fixity(store, [stored])
    assert report.counts["ok"] == 4 and not report.has_problems  # a copy of the good version is the latest


def test_deleted_objects_are_missing_and_the_flow_fails(sohoa_env, stored, prefect_harness):
    store = sohoa_env.store
    words, original = located(stored, "words"), located(stored, "original")
    [kept] = [v for v in store.object_versions(original.bucket, original.key)]
    # Object lock forbids deleting the original's version, but not hiding it under a delete marker.
    with pytest.raises(S3Error) as refused:
        store.client.remove_object(original.bucket, original.key, version_id=kept.version_id)
    assert refused.value.code == "AccessDenied"
    for target in (words, original):
        store.client.remove_object(target.bucket, target.key)  # no version id: a delete marker

    found = check_all(sohoa_env, stored)
    assert {role: c.status for role, c in found.items() if role != "report"} == \
        {"words": "missing", "original": "missing"}
    assert "delete marker" in found["original"].detail
    assert found["original"].restore_version == kept.version_id
    assert found["words"].restore_version == stored.files.words_version

    state = fixity_check(batch_id=stored.batch_id, return_state=True)
    assert state.is_failed()
    assert "2 objects missing, changed or unreadable" in state.message
    artifacts = published(state.state_details.flow_run_id)
    rows = artifacts[FIXITY_ARTIFACT].data
    rows = json.loads(rows) if isinstance(rows, str) else rows
    assert {(row["object"], row["status"]) for row in rows} == \
        {(words.ref, "missing"), (original.ref, "missing")}
    assert {row["restore_version"] for row in rows} == {kept.version_id, stored.files.words_version}
    summary = artifacts[FIXITY_SUMMARY_ARTIFACT].data
    assert "2 objects need attention" in summary and original.ref in summary

    result = sohoa("fixity", "--batch", stored.batch_id)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Fixity: 2 problems" in result.stdout and stored.id in result.stdout
    assert f"restore version {kept.version_id}" in result.stderr


def test_clean_flow_run_completes(sohoa_env, stored, prefect_harness):
    state = fixity_check(batch_id=stored.batch_id, return_state=True)
    assert state.is_completed()
    assert state.result()["ok"] == 4
    artifacts = published(state.state_details.flow_run_id)
    assert "every object checked has the bytes its record says" in artifacts[FIXITY_SUMMARY_ARTIFACT].data


def test_record_made_before_fixity_is_not_checkable(sohoa_env, stored):
    old = stored.model_copy(update={"files": stored.files.model_copy(update={
        "pdf_sha256": None, "pdf_version": None, "words_sha256": None, "words_version": None})})
    report = run_fixity(sohoa_env.store, [old])
    assert (report.counts["ok"], report.counts["not_checkable"], report.has_problems) == (2, 2, False)


def published(flow_run_id) -> dict:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    return {artifact.key: artifact for artifact in found}


def sohoa(*args: str) -> subprocess.CompletedProcess:
    # sohoa_env has set SOHOA_HOME, the bucket prefix and the catalog in this process's environment.
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], env=dict(os.environ), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_objects_are_hashed_without_being_held_whole(object_store):
    data = os.urandom(24 * 1024 * 1024)
    key, version_id = object_store.put_derived("f" * 64, "3", "document.pdf", data, "application/pdf")
    tracemalloc.start()
    try:
        found = object_store.hash_object(object_store.buckets.derived, key)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == (hashlib.sha256(data).hexdigest(), version_id)
    assert peak < 6 * 1024 * 1024, peak  # a few 1 MiB chunks, not the 24 MiB object
