"""A missing service is not a bad document: the record stays pending, the run fails and says
what to install or start, and the next run with the service back finishes the document.

Real flow, real Tesseract and Ghostscript (taken off the PATH), real SeaweedFS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from minio import Minio
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from extract.settings import ExtractSettings
from flows.intake import ingest
from flows.services import Services
from flows.steps import process_document
from ocr.errors import FontMissing, TesseractMissing
from ocr.ghostscript import check_ghostscript
from ocr.settings import OcrSettings
from ocr.tesseract import check_tesseract
from storage.catalog import Catalog
from storage.errors import CatalogUnavailable, StorageUnavailable
from storage.objects import ObjectStore, _http_client
from storage.records import Record

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "batch" / "03 Giấy chứng nhận hộ kinh doanh.png"  # one small page
AGENCY = "000.00.00.H62"
TESSERACT_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
GHOSTSCRIPT_HINT = "apt-get install ghostscript"


@pytest.fixture(autouse=True)
def fresh_tool_checks():
    """The tool checks are cached per process; each test decides what they have seen."""
    check_tesseract.cache_clear()
    check_ghostscript.cache_clear()
    yield
    check_tesseract.cache_clear()
    check_ghostscript.cache_clear()


def one_document(folder: Path) -> Path:
    """The sample page with bytes of its own (a PNG text chunk), so that it is no duplicate of
    the same sample ingested by another test of the session."""
    folder.mkdir()
    target = folder / SAMPLE.name
    with Image.open(SAMPLE) as image:
        info = PngInfo()
        info.add_text("test-copy", uuid.uuid4().hex)
        image.save(target, pnginfo=info, dpi=image.info.get("dpi", (300, 300)))
    return folder


def stored_record(services: Services, record_id: str) -> Record:
    """The latest version in the records bucket (the catalog is only an index of it)."""
    return Record.model_validate_json(services.store.get_record(services.catalog.record_key(record_id)))


def assert_pending_everywhere(services: Services, record_id: str) -> None:
    assert services.catalog.get(record_id).status == "pending"
    assert stored_record(services, record_id).status == "pending"
    assert len(services.store.record_versions(services.catalog.record_key(record_id))) == 1  # nothing saved


def run_flow(batch_id: str):
    from flows.digitise import digitise_batch

    return digitise_batch(batch_id=batch_id, return_state=True)


def ingest_one(services: Services, tmp_path: Path) -> tuple[str, str]:
    batch = ingest([one_document(tmp_path / "hộp")], AGENCY, services, batch_name=f"dv-{uuid.uuid4().hex[:8]}")
    (record,) = batch.registered
    assert record.status == "pending"
    return batch.batch_id, record.id


@pytest.mark.parametrize("program, hint, check, every_document_needs_it", [
    ("tesseract", TESSERACT_HINT, lambda: check_tesseract(OcrSettings().language), True),
    # Without it a PDF that cannot be made PDF/A in place would silently lose its PDF/A; a scan
    # sohoa assembled itself is made PDF/A in place (ocr/pdfa_inplace.py) and needs none.
    ("gs", GHOSTSCRIPT_HINT, check_ghostscript, False),
])
def test_flow_without_a_tool_fails_leaves_pending_and_resumes(
    sohoa_env, prefect_harness, monkeypatch, tmp_path, path_without, program, hint, check, every_document_needs_it
):
    services = sohoa_env
    batch_id, record_id = ingest_one(services, tmp_path)
    real_path = os.environ["PATH"]
    without = path_without(program)
    monkeypatch.setenv("PATH", without)

    # Missing when the run starts: the run fails before any document is touched.
    state = run_flow(batch_id)
    assert state.is_failed()
    assert "nothing was processed" in state.message and hint in state.message
    assert_pending_everywhere(services, record_id)

    # Removed after the worker checked it (the check is cached): a document that needs it fails its own task.
    monkeypatch.setenv("PATH", real_path)
    check()
    monkeypatch.setenv("PATH", without)
    state = run_flow(batch_id)
    if every_document_needs_it:
        assert state.is_failed()
        assert "1 of 1 documents stay pending: " in state.message and hint in state.message
        assert_pending_everywhere(services, record_id)
        monkeypatch.setenv("PATH", real_path)
        state = run_flow(batch_id)
    assert state.is_completed(), state.message
    assert state.result()["pending"] == 0
    record = stored_record(services, record_id)
    assert record.status in ("digitised", "needs_review")
    assert record.files.pdf_format == "pdfa-2b", record.files.pdf_note


@pytest.fixture
def own_services(s3_settings, tmp_path):
    """Services with buckets and a catalog of this test alone (the catalog in a folder of its own)."""
    settings = s3_settings.model_copy(update={"bucket_prefix": f"s-{uuid.uuid4().hex[:12]}"})
    (tmp_path / "catalog").mkdir()
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog' / 'catalog.sqlite3'}")
    yield Services(settings, OcrSettings(), ExtractSettings(), ObjectStore.connect(settings), catalog)
    catalog.close()


def test_missing_language_data_is_a_service_error(own_services, monkeypatch, tmp_path):
    _, record_id = ingest_one(own_services, tmp_path)
    empty = tmp_path / "tessdata"
    empty.mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty))
    with pytest.raises(TesseractMissing, match="no language data for vie.*apt-get install tesseract-ocr-vie"):
        process_document(record_id, own_services)
    assert_pending_everywhere(own_services, record_id)

    # The data gone after the check (cached): Tesseract's own refusal says the same.
    monkeypatch.delenv("TESSDATA_PREFIX")
    check_tesseract("vie")
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty))
    with pytest.raises(TesseractMissing, match="no language data for vie"):
        process_document(record_id, own_services)
    assert_pending_everywhere(own_services, record_id)

    # An OCR language that is not installed at all (SOHOA_OCR_LANGUAGE).
    monkeypatch.delenv("TESSDATA_PREFIX")
    unknown = replace(own_services, ocr_settings=OcrSettings(language="vie+xyz"))
    with pytest.raises(TesseractMissing, match="no language data for xyz: run `apt-get install tesseract-ocr-xyz`"):
        process_document(record_id, unknown)
    assert_pending_everywhere(own_services, record_id)


def test_missing_text_font_is_a_service_error(own_services, monkeypatch, tmp_path):
    from ocr import assemble

    _, record_id = ingest_one(own_services, tmp_path)
    monkeypatch.setattr(assemble, "TEXT_FONT_FILE", tmp_path / "LiberationSerif-Regular.ttf")  # not there
    assemble.text_font.cache_clear()
    try:
        with pytest.raises(FontMissing, match="apt-get install fonts-liberation2"):
            process_document(record_id, own_services)
    finally:
        assemble.text_font.cache_clear()
    assert_pending_everywhere(own_services, record_id)


def test_a_page_range_lost_with_its_dask_worker_leaves_the_document_pending(own_services, monkeypatch, tmp_path):
    """Scattered range bytes die with their worker (Dask cannot rebuild them): not the document's fault."""
    import distributed.client

    from flows import engine, steps

    class LostRange:
        def result(self):
            raise distributed.client.FutureCancelledError("read_page_range-1", reason="lost dependencies")

    def runner(ranges, settings):
        yield engine._result(LostRange())

    _, record_id = ingest_one(own_services, tmp_path)
    monkeypatch.setattr(steps, "cluster_ranges", lambda: runner)
    monkeypatch.setattr(steps, "read_document",
                        lambda data, settings, run_ranges, pdf_path: next(run_ranges(iter([]), settings)))
    with pytest.raises(engine.WorkerLost, match="lost with its Dask worker"):
        process_document(record_id, own_services)
    assert_pending_everywhere(own_services, record_id)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_object_storage_outage_leaves_the_document_pending(own_services, tmp_path):
    _, record_id = ingest_one(own_services, tmp_path)
    settings = own_services.storage_settings.model_copy(update={"s3_connect_timeout": 1.0})
    endpoint = f"127.0.0.1:{closed_port()}"
    gone = ObjectStore(
        Minio(endpoint, access_key="x", secret_key="y", secure=False, region=settings.s3_region,
              http_client=_http_client(settings)),
        own_services.store.buckets,
    )
    during_outage = replace(own_services, store=gone)
    with pytest.raises(StorageUnavailable, match="object storage unreachable"):
        process_document(record_id, during_outage)
    assert_pending_everywhere(own_services, record_id)


def test_catalog_outage_leaves_the_document_pending(own_services, tmp_path):
    _, record_id = ingest_one(own_services, tmp_path)
    own_services.catalog.close()  # no pooled connection keeps the file open
    (tmp_path / "catalog").rename(tmp_path / "catalog-away")  # the database file cannot be opened
    with pytest.raises(CatalogUnavailable, match="SOHOA_CATALOG_URL"):
        process_document(record_id, own_services)
    (tmp_path / "catalog-away").rename(tmp_path / "catalog")
    assert_pending_everywhere(own_services, record_id)


def sohoa(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("program, hint", [("tesseract", TESSERACT_HINT), ("gs", GHOSTSCRIPT_HINT)])
def test_process_command_without_a_tool_exits_2_and_says_what_to_install(
    sohoa_env, program, hint, tmp_path, path_without
):
    services = sohoa_env
    batch_id, record_id = ingest_one(services, tmp_path)
    env = {"PATH": path_without(program), "SOHOA_HOME": str(services.storage_settings.home)}
    result = sohoa("process", "--batch", batch_id, env=env)
    assert result.returncode == 2, result.stderr
    assert hint in result.stderr and "every document stays pending" in result.stderr
    assert_pending_everywhere(services, record_id)


def test_unreachable_catalog_exits_2(sohoa_env, tmp_path):
    env = {"SOHOA_HOME": str(sohoa_env.storage_settings.home),
           "SOHOA_CATALOG_URL": f"sqlite:///{tmp_path / 'no-such-folder' / 'catalog.sqlite3'}"}
    result = sohoa("records", "export", env=env)
    assert result.returncode == 2, result.stderr
    assert "the catalog cannot be used (unable to open database file)" in result.stderr
