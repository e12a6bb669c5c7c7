"""Every key of the record in every record, and the published JSON Schema (`sohoa records schema`)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import jsonschema
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.reports import records_jsonl
from storage.record_schema import FIELDS, KEYS, record_schema
from storage.records import (
    RECORD_FIELDS, Correction, PageSummary, Record, RecordError, RecordField, RecordFiles, RecordSignature, ReviewNote,
)

AT = datetime(2026, 11, 27, 8, 30, tzinfo=timezone.utc)
VALIDATOR = jsonschema.Draft202012Validator(record_schema(), format_checker=jsonschema.FormatChecker())


def record(n: int, status: str = "pending", **changes) -> Record:
    return Record(
        id=f"r{n}", batch_id="b", batch_name="Hộp 1", agency="000.00.00.H62", source_name=f"{n}.pdf",
        source_path=f"{n}.pdf", sha256=f"{n:064x}", size_bytes=10, media_type="application/pdf", status=status,
        files=RecordFiles(original=f"sohoa-originals/{n}"), ingested_at=AT, **changes,
    )


def every_status() -> list[Record]:
    read = dict(
        pages=1, document_type="quyet_dinh", text="QUYẾT ĐỊNH\n", processed_at=AT, pipeline_version="3",
        fields={"document_number": RecordField(value="15/QĐ-UBND", confidence=0.97, raw="15 /QĐ-UBND")},
        page_details=[PageSummary(number=1, method="ocr", outcome="ok", mean_confidence=0.9, seconds=1.5)],
        signatures=[RecordSignature(kind="stamp", stamp_text="SAO Y", page=1)],
    )
    return [
        record(1),
        record(2, "digitised", **read, approved_by="Nguyễn Thị Lan", approved_at=AT,
               corrections=[Correction(field="signer", new=RecordField(value="Vũ Chí Giang", confidence=1.0,
                                                                          source="manual"), by="lan", at=AT)],
               resolved_reasons=["missing: signer"]),
        record(3, "needs_review", **read, review_reasons=["missing: issue_date"],
               suggestions={"issue_date": RecordField(value="2025-02-17", confidence=0.6)},
               review_notes=[ReviewNote(by="Lê Hoa", at=AT, note="Ngày ban hành mờ, đối chiếu bản giấy")]),
        record(4, "failed", error=RecordError(code="encrypted_pdf", message="the PDF is encrypted"), processed_at=AT),
        record(5, "duplicate", duplicate_of="r2"),
    ]


@pytest.mark.parametrize("item", every_status(), ids=lambda r: r.status)
def test_every_key_is_exported_whatever_the_status(item):
    for exported in (item.export_dict(), json.loads(item.to_json()), json.loads(next(iter(records_jsonl([item]))))):
        assert exported.keys() == Record.model_fields.keys()
        assert exported["files"].keys() == RecordFiles.model_fields.keys()
        VALIDATOR.validate(exported)


def test_empty_parts_are_null_or_empty_never_absent():
    failed = every_status()[3].export_dict()
    assert (failed["text"], failed["pages"], failed["duplicate_of"], failed["document_type"]) == (None, None, None, None)
    assert (failed["fields"], failed["suggestions"], failed["signatures"], failed["corrections"]) == ({}, {}, [], [])
    assert failed["files"]["pdf"] is None


def test_a_record_stored_before_the_rule_exports_every_key():
    """Records in object storage were written leaving out None and empty lists: reading one back
    exports it complete."""
    stored = {"id": "r9", "batch_id": "b", "batch_name": "b", "agency": "x", "source_name": "9.pdf",
              "source_path": "9.pdf", "sha256": "9" * 64, "size_bytes": 0, "media_type": "application/pdf",
              "status": "failed", "error": {"code": "empty_file", "message": "empty"},
              "files": {"original": "o/9"}, "ingested_at": "2026-11-27T08:30:00Z"}
    exported = Record.model_validate(stored).export_dict()
    assert exported.keys() == Record.model_fields.keys() and exported["text"] is None
    VALIDATOR.validate(exported)


def test_field_entries_say_source_and_raw_only_when_they_mean_something():
    exported = every_status()[1].export_dict()
    assert exported["fields"]["document_number"] == {"value": "15/QĐ-UBND", "confidence": 0.97, "raw": "15 /QĐ-UBND"}
    assert exported["corrections"][0]["new"] == {"value": "Vũ Chí Giang", "confidence": 1.0, "source": "manual"}
    assert exported["corrections"][0]["old"] is None


@pytest.mark.parametrize("breakage", [
    lambda r: r.pop("text"),
    lambda r: r.pop("suggestions"),
    lambda r: r["files"].pop("pdf"),
    lambda r: r["signatures"][0].pop("validated"),
    lambda r: r.update(status="failed"),  # failed without an error
    lambda r: r.update(duplicate_of="r1"),  # a link on a record that is no duplicate
    lambda r: r.update(sha256="ABC"),
    lambda r: r["fields"].update(issue_date={"value": "2025-02-17"}),  # no confidence
])
def test_the_schema_rejects_an_incomplete_or_inconsistent_record(breakage):
    exported = every_status()[2].export_dict()
    breakage(exported)
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(exported)


def test_schema_is_valid_and_describes_every_key_and_field():
    schema = record_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["required"]) == set(schema["properties"]) == set(Record.model_fields)
    assert all(schema["properties"][key]["description"] == KEYS[key] for key in Record.model_fields)
    assert set(RECORD_FIELDS) <= set(FIELDS)
    assert "(số và ký hiệu)" in schema["properties"]["fields"]["properties"]["document_number"]["description"]


def test_cli_prints_the_schema(tmp_path):
    printed = CliRunner().invoke(app, ["records", "schema"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == record_schema()
    written = CliRunner().invoke(app, ["records", "schema", "-o", str(tmp_path / "record.schema.json")])
    assert written.exit_code == 0
    assert json.loads((tmp_path / "record.schema.json").read_text(encoding="utf-8")) == record_schema()


def test_review_notes_beyond_the_contract_are_in_the_schema_with_their_type():
    """`review_notes` (written by send-back) is not in CONTRACT.md: the schema still says what it holds,
    and a record whose note lacks its author is invalid."""
    schema = record_schema()
    notes = schema["properties"]["review_notes"]
    assert "review_notes" in schema["required"] and notes["type"] == "array" and notes["default"] == []
    assert notes["items"] == {"$ref": "#/$defs/ReviewNote"} and "trả lại" in notes["description"]
    note = schema["$defs"]["ReviewNote"]
    assert set(note["required"]) == {"by", "at", "note"} and note["properties"]["at"]["format"] == "date-time"
    exported = every_status()[2].export_dict()
    assert exported["review_notes"] == [{"by": "Lê Hoa", "at": "2026-11-27T08:30:00Z",
                                         "note": "Ngày ban hành mờ, đối chiếu bản giấy"}]
    del exported["review_notes"][0]["by"]
    assert not VALIDATOR.is_valid(exported)
