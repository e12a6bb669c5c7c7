"""Fault injection: a run that dies half-way is finished by the next one, with nothing done twice."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from extract.settings import ExtractSettings
from flows.intake import ingest
from flows.services import Services
from flows.steps import process_document
from ocr.settings import OcrSettings
from storage.catalog import Catalog
from storage.errors import StorageUnavailable
from storage.objects import ObjectStore

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "batch"
CHEAP_FILES = ["02 Công văn Sở Tư pháp.pdf", "03 Giấy chứng nhận hộ kinh doanh.png", "08 Bảng kê.pdf"]


@pytest.fixture
def services(s3_settings, tmp_path):
    settings = s3_settings.model_copy(update={"bucket_prefix": f"r-{uuid.uuid4().hex[:12]}"})
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    yield Services(settings, OcrSettings(), ExtractSettings(), ObjectStore.connect(settings), catalog)
    catalog.close()


@pytest.fixture
def drop(tmp_path) -> Path:
    folder = tmp_path / "hộp 7"
    folder.mkdir()
    for name in CHEAP_FILES:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def test_storage_outage_mid_document_then_rerun(services, drop, monkeypatch):
    batch = ingest([drop], "000.00.00.H62", services, batch_name="hộp 7")
    ids = services.catalog.ids_with_status("pending", batch.batch_id)
    assert len(ids) == len(CHEAP_FILES)

    # The server goes away after the derived files are stored, before the record is written.
    real_put_record = services.store.put_record
    def failing_put_record(*args, **kwargs):
        raise StorageUnavailable("connection refused (injected)")
    monkeypatch.setattr(services.store, "put_record", failing_put_record)
    with pytest.raises(StorageUnavailable):
        process_document(ids[0], services)
    assert services.catalog.get(ids[0]).status == "pending"  # nothing half-done is visible

    monkeypatch.setattr(services.store, "put_record", real_put_record)
    statuses = [process_document(record_id, services) for record_id in services.catalog.ids_with_status("pending", batch.batch_id)]
    assert services.catalog.ids_with_status("pending", batch.batch_id) == []
    assert sorted(statuses) == sorted(r.status for r in services.catalog.records(batch.batch_id))
    for record_id in ids:
        key = services.catalog.record_key(record_id)
        assert len(services.store.record_versions(key)) == 2  # registered, then finished: once each


def test_bug_on_one_document_does_not_stop_the_others(services, drop, monkeypatch):
    batch = ingest([drop], "000.00.00.H62", services)
    import flows.steps

    real = flows.steps.extract_document
    calls = []
    def sometimes_broken(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ZeroDivisionError("injected bug")
        return real(*args, **kwargs)
    monkeypatch.setattr(flows.steps, "extract_document", sometimes_broken)
    for record_id in services.catalog.ids_with_status("pending", batch.batch_id):
        process_document(record_id, services)
    records = list(services.catalog.records(batch.batch_id))
    internal = [r for r in records if r.error and r.error.code == "internal_error"]
    assert len(internal) == 1 and "ZeroDivisionError" in internal[0].error.message
    assert all(r.status != "pending" for r in records)
    assert services.store.get_original(internal[0].sha256) == (SAMPLES / internal[0].source_name).read_bytes()
