"""Review against the real SeaweedFS: corrections and approvals are record versions that
survive a reindex, keep the old value readable, and work from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

from extract.settings import ExtractSettings
from flows.intake import save_record
from flows.review import CorrectionRefused, approve, history, needs_review, send_back, set_field
from flows.services import Services
from ocr.settings import OcrSettings
from storage.catalog import Catalog
from storage.objects import ObjectStore
from storage.records import Record, RecordError, RecordField, RecordFiles

pytestmark = pytest.mark.integration

PROJECT = Path(__file__).resolve().parents[1]
AGENCY = "000.00.00.H62"
VALID_PERSONAL_NUMBER = "001090012345"  # Hà Nội, born 1990


@pytest.fixture
def services(s3_settings, tmp_path):
    settings = s3_settings.model_copy(update={"bucket_prefix": f"v-{uuid.uuid4().hex[:12]}"})
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    yield Services(settings, OcrSettings(), ExtractSettings(), ObjectStore.connect(settings), catalog)
    catalog.close()


def register(services: Services, name: str, status: str = "needs_review", **update) -> Record:
    """A processed record as the flow would leave it, without running OCR."""
    record = Record(
        id=uuid.uuid4().hex[:24], batch_id="b1", batch_name="hộp 1", agency=AGENCY,
        source_name=name, source_path=name, sha256="ab" * 32, size_bytes=10,
        media_type="application/pdf", status=status, document_type="giay_khai_sinh",
        fields={
            "issue_date": RecordField(value="2031-02-30", confidence=0.4),
            "holder_id": RecordField(value="001090012344", confidence=0.6),
        },
        review_reasons=["issue_date: not a calendar date"] if status == "needs_review" else [],
        files=RecordFiles(original="x/ab"), ingested_at=datetime.now(timezone.utc),
        error=RecordError(code="corrupt_file", message="broken") if status == "failed" else None,
        **update,
    )
    return save_record(record, services)


def test_correction_is_a_new_version_and_keeps_the_old_value(services):
    record = register(services, "a.pdf")
    key = services.catalog.record_key(record.id)

    corrected = set_field(services, record.id, "issue_date", "2021-02-03", by="lan", note="đọc lại bản giấy")

    assert corrected.fields["issue_date"] == RecordField(value="2021-02-03", confidence=1.0, source="manual")
    correction = corrected.corrections[-1]
    assert (correction.field, correction.by, correction.note) == ("issue_date", "lan", "đọc lại bản giấy")
    assert correction.old.value == "2031-02-30" and correction.new.value == "2021-02-03"
    versions = services.store.record_versions(key)
    assert len(versions) == 2
    previous = Record.model_validate_json(services.store.get_record(key, versions[1]["version_id"]))
    assert previous.fields["issue_date"].value == "2031-02-30" and previous.corrections == []
    assert services.catalog.get(record.id).fields["issue_date"].value == "2021-02-03"


def test_a_correction_settles_the_suggestion_for_its_field(services):
    suggested = RecordField(value="2021-02", confidence=0.3)
    record = register(services, "s.pdf", suggestions={"issue_date": suggested, "signer": suggested})
    corrected = set_field(services, record.id, "issue_date", "2021-02-03", by="lan")
    assert corrected.fields["issue_date"].value == "2021-02-03"
    assert list(corrected.suggestions) == ["signer"]  # the other field's suggestion stays


def test_invalid_values_are_refused_unless_forced(services):
    record = register(services, "b.pdf")
    for field, value in [("issue_date", "2021-13-01"), ("issue_date", "03/02/2021"),
                         ("holder_id", "999090012345"), ("document_number", "QĐ-UBND")]:
        with pytest.raises(CorrectionRefused):
            set_field(services, record.id, field, value, by="lan")
    with pytest.raises(CorrectionRefused, match="unknown field"):
        set_field(services, record.id, "favourite_colour", "xanh", by="lan")
    assert len(services.store.record_versions(services.catalog.record_key(record.id))) == 1

    forced = set_field(services, record.id, "holder_id", "999090012345", by="lan", force=True)
    assert forced.fields["holder_id"].value == "999090012345" and forced.corrections[-1].forced
    spaced = set_field(services, record.id, "holder_id", f" {VALID_PERSONAL_NUMBER[:6]} {VALID_PERSONAL_NUMBER[6:]}", by="lan")
    assert spaced.fields["holder_id"].value == VALID_PERSONAL_NUMBER
    removed = set_field(services, record.id, "holder_id", "", by="lan")
    assert "holder_id" not in removed.fields and removed.corrections[-1].new is None


def test_approval_and_refusals_by_status(services):
    record = register(services, "c.pdf")
    assert [r.id for r in needs_review(services, agency=AGENCY)] == [record.id]

    approved = approve(services, record.id, by="minh", note="đã đối chiếu")
    assert approved.status == "digitised" and approved.review_reasons == []
    assert approved.resolved_reasons == ["issue_date: not a calendar date"]
    assert (approved.approved_by, approved.approval_note) == ("minh", "đã đối chiếu")
    assert needs_review(services) == []
    with pytest.raises(CorrectionRefused, match="digitised"):
        approve(services, record.id, by="minh")

    failed = register(services, "d.pdf", status="failed")
    with pytest.raises(CorrectionRefused, match="failed"):
        approve(services, failed.id, by="minh")
    with pytest.raises(CorrectionRefused, match="failed"):
        set_field(services, failed.id, "issue_date", "2021-02-03", by="minh")


def test_send_back_keeps_the_record_waiting_with_the_note(services):
    record = register(services, "f.pdf")
    with pytest.raises(CorrectionRefused, match="needs a note"):
        send_back(services, record.id, by="lan", note="  ")
    sent = send_back(services, record.id, by="lan", note=" xem lại ngày cấp ")
    assert sent.status == "needs_review" and sent.review_reasons == record.review_reasons
    assert [(n.by, n.note) for n in sent.review_notes] == [("lan", "xem lại ngày cấp")]
    assert history(services, record.id)[0]["notes"][0]["note"] == "xem lại ngày cấp"
    approve(services, record.id, by="minh")
    with pytest.raises(CorrectionRefused, match="digitised"):
        send_back(services, record.id, by="lan", note="x")


def test_review_survives_reindex_and_history_lists_versions(services):
    record = register(services, "e.pdf")
    set_field(services, record.id, "issue_date", "2021-02-03", by="lan")
    approve(services, record.id, by="minh")

    store = services.store
    services.catalog.rebuild(
        (Record.model_validate_json(store.get_record(key)), key) for key in store.list_record_keys()
    )
    rebuilt = services.catalog.get(record.id)
    assert rebuilt.status == "digitised" and rebuilt.approved_by == "minh"
    assert rebuilt.corrections[0].old.value == "2031-02-30"
    assert rebuilt.fields["issue_date"].source == "manual"

    entries = history(services, record.id)
    assert [e["status"] for e in entries] == ["digitised", "needs_review", "needs_review"]
    assert entries[0]["approved_by"] == "minh" and entries[0]["corrections"] == []
    assert entries[1]["corrections"][0]["new"]["value"] == "2021-02-03"
    assert entries[2]["corrections"] == []


def test_untouched_record_exports_empty_review_keys(services):
    exported = register(services, "f.pdf").export_dict()
    assert (exported["corrections"], exported["resolved_reasons"], exported["approved_by"]) == ([], [], None)
    assert all("source" not in field for field in exported["fields"].values())


def review_cli(services: Services):
    """`sohoa review ...` in a subprocess, on this test's buckets and catalog, as user `hoa`."""
    env = {
        **os.environ,
        "SOHOA_HOME": str(services.storage_settings.home),
        "SOHOA_BUCKET_PREFIX": services.storage_settings.bucket_prefix,
        "SOHOA_CATALOG_URL": str(services.catalog.engine.url),
        "SOHOA_USER": "hoa",
    }
    env.pop("SOHOA_S3_ENDPOINT", None)

    def sohoa(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flows.cli", "review", *args], env=env, cwd=PROJECT,
                              capture_output=True, text=True, timeout=60)

    return sohoa


def test_cli_set_and_approve(services):
    record = register(services, "g.pdf")
    sohoa = review_cli(services)

    refused = sohoa("set", record.id, "issue_date", "2021-02-30")
    assert refused.returncode == 1 and "not a calendar date" in refused.stderr

    assert sohoa("set", record.id, "issue_date", "2021-02-03", "--note", "bản giấy").returncode == 0
    listed = json.loads(sohoa("list", "--format", "json").stdout)
    assert [row["id"] for row in listed] == [record.id]
    shown = sohoa("show", record.id).stdout
    assert "2021-02-03" in shown and "manual" in shown and "2031-02-30" in shown  # the old value too
    assert sohoa("approve", record.id, "--by", "minh").returncode == 0
    latest = services.catalog.get(record.id)
    assert latest.status == "digitised" and latest.approved_by == "minh"
    assert latest.corrections[0].by == "hoa" and latest.corrections[0].note == "bản giấy"

    entries = json.loads(sohoa("history", record.id).stdout)
    assert len(entries) == 3 and entries[0]["approved_by"] == "minh"
    assert sohoa("approve", record.id).returncode == 1


def test_cli_send_back_needs_a_note_and_shows_it(services):
    record = register(services, "h.pdf")
    sohoa = review_cli(services)

    missing = sohoa("send-back", record.id)
    assert missing.returncode == 1 and "Missing option '--note'" in missing.stderr
    blank = sohoa("send-back", record.id, "--note", "  ")
    assert blank.returncode == 1 and "needs a note" in blank.stderr
    note = unicodedata.normalize("NFD", "Ngày cấp mờ, đối chiếu bản giấy")  # as some terminals type it
    sent = sohoa("send-back", record.id, "--note", note, "--by", unicodedata.normalize("NFD", "Lê Hoa"))
    assert sent.returncode == 0, sent.stderr
    latest = services.catalog.get(record.id)
    nfc = unicodedata.normalize("NFC", note)
    assert latest.status == "needs_review" and latest.review_reasons == record.review_reasons
    assert [(n.by, n.note) for n in latest.review_notes] == [(unicodedata.normalize("NFC", "Lê Hoa"), nfc)]

    assert f"sent back: {nfc}" in unicodedata.normalize("NFC", sohoa("show", record.id).stdout)
    entries = json.loads(sohoa("history", record.id).stdout)
    assert entries[0]["notes"][0]["note"] == nfc and entries[1].get("notes") is None
    assert sohoa("send-back", "khong-co", "--note", "x").returncode == 1  # unknown record: refused

    assert sohoa("approve", record.id).returncode == 0
    refused = sohoa("send-back", record.id, "--note", "xem lại")
    assert refused.returncode == 1 and "digitised" in refused.stderr
    assert len(services.catalog.get(record.id).review_notes) == 1
