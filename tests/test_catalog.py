"""The record model's invariants and the catalog as an index rebuilt from records."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from storage.records import Record, RecordError, RecordField, RecordFiles

T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def make_record(n: int, status: str = "pending", sha: str | None = None, **extra) -> Record:
    return Record(
        id=f"r{n}",
        batch_id="b1",
        batch_name="lô 1",
        agency=extra.pop("agency", "000.00.00.H62"),
        source_name=f"Quyết định {n}.pdf",
        source_path=f"lô/Quyết định {n}.pdf",
        sha256=sha or f"{n:064x}",
        size_bytes=100,
        media_type="application/pdf",
        status=status,
        files=RecordFiles(original=f"sohoa-originals/{n}"),
        ingested_at=T0 + timedelta(seconds=n),
        **extra,
    )


def test_record_strings_become_nfc():
    decomposed = unicodedata.normalize("NFD", "Quyết định.pdf")
    record = make_record(1).model_copy()
    record = Record.model_validate({**record.model_dump(), "source_name": decomposed})
    assert record.source_name == unicodedata.normalize("NFC", decomposed)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "failed"},  # failed without an error
        {"status": "digitised", "error": RecordError(code="corrupt_file", message="x")},
        {"status": "duplicate"},  # duplicate without duplicate_of
        {"sha256": "ABC"},
    ],
)
def test_record_invariants(changes):
    with pytest.raises(ValidationError):
        Record.model_validate({**make_record(1).model_dump(), **changes})


def test_export_has_every_key_null_where_it_does_not_apply():
    exported = make_record(1, status="failed", error=RecordError(code="empty_file", message="empty")).export_dict()
    assert exported["error"] == {"code": "empty_file", "message": "empty"}
    assert exported["duplicate_of"] is None and exported["text"] is None and exported["pages"] is None
    assert exported.keys() == Record.model_fields.keys()


def test_duplicates_link_to_the_first(catalog):
    catalog.save(make_record(1, sha="a" * 64), "k1")
    catalog.save(make_record(2, status="duplicate", sha="a" * 64, duplicate_of="r1"), "k2")
    assert catalog.first_with_sha256("a" * 64) == "r1"
    assert catalog.first_with_sha256("b" * 64) is None


def test_pending_and_counts(catalog):
    catalog.save(make_record(1), "k1")
    catalog.save(make_record(2, status="failed", error=RecordError(code="empty_file", message="e")), "k2")
    catalog.save(make_record(3, status="digitised", pages=2), "k3")
    assert catalog.ids_with_status("pending") == ["r1"]
    counts = catalog.status_counts("b1")
    assert (counts["pending"], counts["failed"], counts["digitised"]) == (1, 1, 1)


def test_save_replaces_and_rebuild_restores(catalog):
    catalog.save(make_record(1), "k1")
    catalog.save(make_record(1, status="digitised", pages=3, fields={"issue_date": RecordField(value="2022-06-29", confidence=0.9)}), "k1")
    assert catalog.get("r1").status == "digitised"
    before = list(catalog.records())
    assert catalog.rebuild([]) == 0
    assert list(catalog.records()) == []
    assert catalog.rebuild([(r, "k1") for r in before]) == 1
    assert list(catalog.records()) == before


def test_progress_per_agency_and_year(catalog):
    catalog.save(make_record(1, status="digitised", pages=2, fields={"issue_date": RecordField(value="2021-01-05", confidence=1)}), "k1")
    catalog.save(make_record(2, status="needs_review", pages=1), "k2")
    catalog.save(make_record(3, status="duplicate", duplicate_of="r1", pages=2), "k3")
    catalog.save(make_record(4, agency="000.00.53.H62"), "k4")
    rows = {row["agency"]: row for row in catalog.progress("agency")}
    main = rows["000.00.00.H62"]
    assert (main["documents"], main["digitised"], main["needs_review"], main["duplicate"]) == (3, 1, 1, 1)
    assert main["pages"] == 3  # a duplicate's pages are not read again
    assert main["percent_read"] == 100.0
    assert rows["000.00.53.H62"]["percent_read"] == 0.0
    years = {row["year"]: row["documents"] for row in catalog.progress("year")}
    assert years == {"2021": 1, "unknown": 3}
