"""The fixity comparison: what a record says about its objects, and the verdict on bytes read back."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from storage.errors import ObjectNotFound, StorageError, StorageUnavailable
from storage.fixity import (
    FixityReport, FixityTarget, ObjectCheck, check_object, compare, in_part, part_of_week, run_fixity, targets,
)
from storage.objects import Buckets, ObjectStore, ObjectVersion
from storage.records import Record, RecordFiles

SHA = hashlib.sha256(b"original").hexdigest()
PDF_SHA = hashlib.sha256(b"pdf").hexdigest()
WORDS_SHA = hashlib.sha256(b"words").hexdigest()


def record(record_id: str = "r1", **files) -> Record:
    return Record(
        id=record_id, batch_id="b1", batch_name="Hộp 1", agency="000.00.00.H62", source_name="a.pdf",
        source_path="a.pdf", sha256=SHA, size_bytes=8, media_type="application/pdf",
        files=RecordFiles(original=f"p-originals/{SHA[:2]}/{SHA}", **files),
        ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
    )


def processed(record_id: str = "r1") -> Record:
    return record(
        record_id,
        pdf=f"p-derived/{SHA}/3/document.pdf", pdf_sha256=PDF_SHA, pdf_version="v-pdf",
        words=f"p-derived/{SHA}/3/pages.json", words_sha256=WORDS_SHA, words_version="v-words",
        record=f"p-records/000.00.00.H62/{record_id}.json",
    )


def test_targets_of_a_processed_record():
    found = {t.role: t for t in targets(processed())}
    assert set(found) == {"original", "pdf", "words", "record"}
    assert (found["original"].bucket, found["original"].key) == ("p-originals", f"{SHA[:2]}/{SHA}")
    assert found["original"].expected_sha256 == SHA  # the original's digest is the record's sha256
    assert (found["pdf"].expected_sha256, found["pdf"].expected_version) == (PDF_SHA, "v-pdf")
    assert (found["words"].expected_sha256, found["words"].expected_version) == (WORDS_SHA, "v-words")
    assert found["record"].expected_sha256 is None  # rewritten by corrections: presence only


def test_targets_of_a_pending_record_are_its_original_only():
    assert [t.role for t in targets(record())] == ["original"]


def test_old_record_json_without_hashes_still_loads():
    old = processed().model_dump(mode="json")
    for key in ("pdf_sha256", "pdf_version", "words_sha256", "words_version"):
        del old["files"][key]
    found = {t.role: t for t in targets(Record.model_validate(old))}
    assert found["pdf"].expected_sha256 is None and found["words"].expected_sha256 is None


def test_recorded_digests_round_trip_through_the_json():
    again = Record.model_validate_json(processed().to_json())
    assert (again.files.pdf_sha256, again.files.pdf_version) == (PDF_SHA, "v-pdf")
    assert (again.files.words_sha256, again.files.words_version) == (WORDS_SHA, "v-words")


def target(role="pdf", expected=PDF_SHA, version="v1") -> FixityTarget:
    return FixityTarget(record_id="r1", batch_id="b1", role=role, bucket="p-derived", key="k",
                        expected_sha256=expected, expected_version=version)


def test_same_bytes_are_ok():
    check = compare(target(), PDF_SHA, "v1")
    assert (check.status, check.problem, check.detail) == ("ok", False, "")


def test_recorded_digest_is_compared_case_blind():
    assert compare(target(expected=PDF_SHA.upper()), PDF_SHA, "v1").status == "ok"


def test_other_bytes_are_changed_with_both_digests():
    check = compare(target(), WORDS_SHA, "v2")
    assert check.status == "changed" and check.problem
    assert (check.expected_sha256, check.found_sha256) == (PDF_SHA, WORDS_SHA)
    assert (check.expected_version, check.found_version) == ("v1", "v2")
    assert "v2" in check.detail and "v1" in check.detail


def test_same_bytes_in_a_newer_version_are_ok_but_said():
    check = compare(target(), PDF_SHA, "v2")
    assert check.status == "ok" and "rewritten" in check.detail


def test_derived_file_without_recorded_digest_is_not_checkable():
    check = compare(target(expected=None, version=None), None, "v1")
    assert (check.status, check.problem) == ("not_checkable", False)


def test_present_record_object_is_ok():
    assert compare(target(role="record", expected=None, version=None), None, "v1").status == "ok"


def check(status: str, restore_version: str | None = None, role: str = "pdf") -> ObjectCheck:
    return ObjectCheck(record_id="r1", batch_id="b1", role=role, bucket="p-derived", key="k", status=status,
                       restore_version=restore_version)


def test_action_names_the_version_to_restore():
    assert "restore version v1 (" in check("changed", "v1").action()
    assert "backup" in check("missing").action() and "digitise the original again" in check("missing").action()
    assert "digitise" not in check("missing", role="original").action()
    assert "volume servers" in check("unreadable").action()
    assert check("ok").action() == "" and check("not_checkable").action() == ""


def test_parts_cover_every_record_once():
    ids = [f"record-{n}" for n in range(400)]
    parts = [[i for i in ids if in_part(i, part, 4)] for part in range(4)]
    assert sorted(sum(parts, [])) == sorted(ids)
    assert all(60 < len(p) < 140 for p in parts)  # about a quarter each


def test_weekly_part_turns_through_all_parts():
    days = [date(2026, 1, 4 + 7 * week) for week in range(4)]
    assert sorted(part_of_week(4, day) for day in days) == [0, 1, 2, 3]
    assert part_of_week(4, date(2026, 1, 4)) == part_of_week(4, date(2026, 1, 5))  # same week
    assert part_of_week(1, date(2026, 1, 4)) == 0


def test_bad_part_is_refused():
    with pytest.raises(ValueError):
        run_fixity(None, [], parts=2, part=2)
    with pytest.raises(ValueError):
        run_fixity(None, [], parts=0)


def test_report_summary():
    report = FixityReport(started_at=datetime.now(timezone.utc), batch_id="b1", records=2,
                          counts={"ok": 5, "missing": 1, "changed": 0, "unreadable": 0, "not_checkable": 2})
    assert report.summary() == "2 records of batch b1: ok 5, missing 1, not_checkable 2"


class VersionedStore:
    """Versions of keys in memory, newest last, with the failures a server can give: for the
    decisions check_object makes around ObjectStore (the real store is tested in test_fixity_integration)."""

    def __init__(self, versions: dict[str, list[tuple[str, bytes | None]]], fail=None, down=False):
        self.versions, self.fail, self.down, self.read = versions, fail, down, []

    def hash_object(self, bucket, key, version_id=None):
        if self.fail:
            raise self.fail
        kept = self.versions.get(key, [])
        if version_id is None:
            if not kept or kept[-1][1] is None:
                raise ObjectNotFound(f"{bucket}/{key}")
            version_id, data = kept[-1]
        else:
            data = dict(kept)[version_id]
        self.read.append(version_id)
        return hashlib.sha256(data).hexdigest(), version_id

    def object_versions(self, bucket, key):
        kept = self.versions.get(key, [])
        return [ObjectVersion(v, data is None, n == len(kept) - 1, None)
                for n, (v, data) in reversed(list(enumerate(kept)))]

    def ping(self):
        if self.down:
            raise StorageUnavailable("unreachable")


def test_overwritten_object_is_restored_from_the_pinned_version_first():
    store = VersionedStore({"k": [("v0", b"pdf"), ("v1", b"pdf"), ("v2", b"other")]})
    result = check_object(store, target(version="v0"))
    assert (result.status, result.found_version, result.restore_version) == ("changed", "v2", "v0")
    assert store.read == ["v2", "v0"]  # the pinned version is tried before newer ones


def test_no_version_with_the_recorded_bytes_means_no_restore():
    store = VersionedStore({"k": [("v1", b"x"), ("v2", b"y"), ("dm", None)]})  # a delete marker on top
    result = check_object(store, target())
    assert (result.status, result.restore_version) == ("missing", None)
    assert "delete marker dm" in result.detail and "backup" in result.action()


def test_a_key_never_stored_is_missing():
    result = check_object(VersionedStore({}), target())
    assert (result.status, result.detail) == ("missing", "no version of the key is stored")


def test_object_the_server_fails_to_return_is_unreadable():
    result = check_object(VersionedStore({"k": [("v1", b"pdf")]}, fail=StorageError("read: InternalError")), target())
    assert result.status == "unreadable" and result.problem and "InternalError" in result.detail


def test_server_down_stops_the_run_instead_of_calling_objects_unreadable():
    store = VersionedStore({"k": [("v1", b"pdf")]}, fail=StorageUnavailable("timed out"), down=True)
    with pytest.raises(StorageUnavailable):
        check_object(store, target())


def test_deleted_record_object_restores_its_newest_version():
    store = VersionedStore({"k": [("v1", b"{}"), ("v2", b"{ }"), ("dm", None)]})
    result = check_object(store, target(role="record", expected=None, version=None))
    assert (result.status, result.restore_version) == ("missing", "v2")


def test_shared_original_is_read_once():
    store = VersionedStore({f"{SHA[:2]}/{SHA}": [("v1", b"original")]})
    report = run_fixity(store, [record("r1"), record("r2")])
    assert (report.records, report.counts["ok"], store.read) == (2, 1, ["v1"])


def test_versions_listed_without_a_time_still_sort():
    """A version listed without LastModified sorts oldest, not a TypeError against the server's UTC times."""
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    items = [SimpleNamespace(object_name="k", version_id=v, is_delete_marker=marker, is_latest=latest, last_modified=t)
             for v, marker, latest, t in [("dm", True, "false", None), ("v1", False, "false", at - timedelta(days=1)),
                                          ("v2", False, "true", at)]]
    store = ObjectStore(SimpleNamespace(list_objects=lambda *args, **kwargs: iter(items)), Buckets.with_prefix("t"))
    assert [v.version_id for v in store.object_versions("t-derived", "k")] == ["v2", "v1", "dm"]
    assert [v["version_id"] for v in store.record_versions("k")] == ["v2", "v1"]  # no delete markers
