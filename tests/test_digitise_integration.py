"""The whole path on the bundled sample batch: real Tesseract, real SeaweedFS on loopback, real Prefect flow.

The batch is digitised once per session; the tests then read what it left behind.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from flows.intake import ingest
from ocr.pdfa import validate_pdfa
from flows.steps import process_document
from storage.records import Record

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
BATCH = ROOT / "samples" / "batch"
TRUTH = {entry["file"]: entry for entry in json.loads((ROOT / "samples" / "truth" / "batch.json").read_text())}
AGENCY = "000.00.00.H62"


@pytest.fixture(scope="session")
def digitised(sohoa_env, prefect_harness):
    from flows.digitise import digitise_batch

    result = ingest([BATCH], AGENCY, sohoa_env, batch_name="mẫu")
    counts = digitise_batch(batch_id=result.batch_id)
    records = {r.source_name: r for r in sohoa_env.catalog.records(result.batch_id)}
    return sohoa_env, result, counts, records


def test_one_record_per_file(digitised):
    _, result, _, records = digitised
    files = sorted(unicodedata.normalize("NFC", p.name) for p in BATCH.iterdir())
    assert sorted(records) == files == sorted(TRUTH)
    assert len(result.registered) == len(files)


def test_statuses_and_error_codes(digitised):
    _, _, counts, records = digitised
    for name, truth in TRUTH.items():
        record = records[name]
        expected = truth["expected_status"]
        if expected == "digitised":
            # A page the machine could not fully read goes to a person: never digitised with a gap.
            assert record.status in ("digitised", "needs_review"), (name, record.error)
            assert (record.status == "needs_review") == bool(record.review_reasons)
        else:
            assert record.status == expected, name
        if expected == "failed":
            assert record.error.code == truth["expected_error"] and record.error.message
        else:
            assert record.error is None
    # The run reports what the catalog holds: nothing pending, three bad files, one duplicate.
    assert counts == {status: sum(r.status == status for r in records.values()) for status in counts}
    assert (counts["pending"], counts["failed"], counts["duplicate"]) == (0, 3, 1)
    assert counts["digitised"] + counts["needs_review"] == 5, counts


def test_duplicate_links_to_first(digitised):
    _, _, _, records = digitised
    for name, truth in TRUTH.items():
        if truth["expected_status"] == "duplicate":
            first = records[truth["duplicate_of_file"]]
            assert records[name].duplicate_of == first.id
            assert records[name].sha256 == first.sha256
            assert records[name].text is None  # not processed twice


def test_originals_come_back_byte_identical_with_checksum(digitised):
    services, _, _, records = digitised
    for path in BATCH.iterdir():
        record = records[unicodedata.normalize("NFC", path.name)]
        data = path.read_bytes()
        assert record.sha256 == hashlib.sha256(data).hexdigest()
        assert services.store.get_original(record.sha256) == data
        assert services.store.original_checksum(record.sha256) == base64.b64encode(
            hashlib.sha256(data).digest()
        ).decode()


def test_fields_match_truth(digitised):
    """Every value given is the printed one; a value may be missing only where review says so."""
    _, _, _, records = digitised
    wrong, unflagged = [], []
    for name, truth in TRUTH.items():
        record = records[name]
        for field, expected in truth.get("fields", {}).items():
            got = record.fields.get(field)
            if got is not None and got.value != expected:
                wrong.append((name, field, expected, got.value))
            if got is None and f"missing: {field}" not in record.review_reasons:
                unflagged.append((name, field))
        if "document_type" in truth:
            assert record.document_type == truth["document_type"], name
    assert not wrong
    assert not unflagged


def test_archive_pdf_is_valid_pdfa_with_the_record_text(digitised):
    """Circular 05/2025: a two-layer PDF/A per result, whose text is the record's text."""
    services, _, _, records = digitised
    for name, record in records.items():
        if record.status not in ("digitised", "needs_review"):
            continue
        pdf = services.store.get(record.files.pdf)
        assert hashlib.sha256(pdf).hexdigest() == record.files.pdf_sha256, name  # what fixity checks
        assert record.files.pdf_format == "pdfa-2b", (name, record.files.pdf_note)
        assert validate_pdfa(pdf) == [], name
        with pymupdf.open(stream=pdf, filetype="pdf") as document:
            assert document.page_count == record.pages == len(record.text.split("\f"))
            extracted = [_normalised(page.get_text()) for page in document]
        assert extracted == [_normalised(text) for text in record.text.split("\f")], name


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_reprocessing_does_nothing_twice(digitised):
    services, result, _, records = digitised
    key = services.catalog.record_key(next(iter(records.values())).id)
    versions = len(services.store.record_versions(key))
    for record in records.values():
        assert process_document(record.id, services) == record.status
    assert len(services.store.record_versions(key)) == versions
    again = ingest([BATCH], AGENCY, services, batch_name="mẫu")
    assert again.batch_id == result.batch_id and again.registered == [] and again.already_registered == len(records)


def test_reindex_into_an_empty_catalog_gives_the_same_export(digitised, tmp_path):
    """The catalog is only an index: a new, empty one rebuilt from object storage alone matches."""
    _, result, _, records = digitised
    export = _cli(["records", "export", "--batch", result.batch_id], dict(os.environ))
    assert len(export.splitlines()) == len(records)
    fresh = {**os.environ, "SOHOA_CATALOG_URL": f"sqlite:///{tmp_path / 'new-catalog.sqlite3'}"}
    assert _cli(["records", "export"], fresh) == ""
    assert f"catalog rebuilt from {len(records)} records" in _cli(["reindex"], fresh, stderr=True)
    assert _cli(["records", "export", "--batch", result.batch_id], fresh) == export
    for line in export.splitlines():
        Record.model_validate_json(line)


def test_national_export_lists_the_approved_records(digitised):
    _, result, _, records = digitised
    exported = _cli(["records", "export", "--batch", result.batch_id, "--format", "national-csv"], dict(os.environ))
    rows = list(csv.DictReader(io.StringIO(exported)))
    approved = {r.id: r for r in records.values() if r.status == "digitised"}
    assert {row["MaBanGhi"] for row in rows} == set(approved)
    for row in rows:
        assert row["SoKyHieu"] == approved[row["MaBanGhi"]].fields["document_number"].value


def test_every_exported_record_fits_the_published_schema(digitised, tmp_path):
    """Records of every status, as `sohoa records export` writes them, against `sohoa records schema`."""
    import jsonschema

    services, result, _, _ = digitised
    (tmp_path / "chờ.pdf").write_bytes(b"%PDF-1.4\n% ingested, not processed yet\n")
    waiting = ingest([tmp_path / "chờ.pdf"], "schema.pending", services, batch_name="not processed")
    schema = json.loads(_cli(["records", "schema"], dict(os.environ)))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    exported = [json.loads(line) for batch_id in (result.batch_id, waiting.batch_id)
                for line in _cli(["records", "export", "--batch", batch_id], dict(os.environ)).splitlines()]
    assert {r["status"] for r in exported} >= {"pending", "digitised", "failed", "duplicate"}
    for record in exported:
        assert set(record) == set(schema["required"]), record["source_name"]
        assert not list(validator.iter_errors(record)), record["source_name"]
    failed = [r for r in exported if r["status"] in ("failed", "duplicate", "pending")]
    assert all(r["text"] is None and r["pages"] is None and r["suggestions"] == {} for r in failed)


def _cli(args: list[str], env: dict, stderr: bool = False) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stderr if stderr else completed.stdout


def test_sample_register_reconciles_with_the_sample_batch(digitised):
    """Issue acceptance: with the sample register and batch, required = matched + missing, and
    the CLI's JSON, the HTML report and the API tell the same numbers."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from web.api import create_app
    from web.api_auth import issue_token
    from flows.cli import app
    from storage.agencies import import_agencies
    from storage.matching import match, reconcile
    from storage.registers import import_register

    services, _, _, _ = digitised
    agencies = ROOT / "samples" / "agencies" / "vinh_phuc_2022.csv"
    register = ROOT / "samples" / "registers" / f"demo_{AGENCY}.csv"
    import_agencies(services.store, services.catalog, agencies.read_bytes(), agencies.name)
    import_register(services.store, services.catalog, register.read_bytes(), register.name)
    match(services.catalog)

    [line] = [line for line in reconcile(services.catalog) if line["agency"] == AGENCY]
    assert line["required"] == line["matched"] + line["missing"] == 8
    assert line["matched"] >= 4  # the readable papers of the batch are in the register

    printed = json.loads(CliRunner().invoke(app, ["progress", "--format", "json"]).stdout)
    [row] = [row for row in printed["rows"] if row["group"] == AGENCY]
    assert row["required"] == row["digitised"] + row["needs_review"] + row["missing"] == line["required"]
    assert row["digitised"] + row["needs_review"] == line["matched"]
    _, token = issue_token(services.catalog, "sở nội vụ", "supervisor", None)
    answered = TestClient(create_app(services.catalog, b"k" * 32)).get(
        "/api/v1/progress", headers={"Authorization": f"Bearer {token}"}).json()
    for report in (printed, answered):
        report.pop("generated_at")
    assert answered == printed
    page = CliRunner().invoke(app, ["progress", "--format", "html"]).stdout
    assert f">{row['required']}<" in page and f">{row['digitised']}<" in page
