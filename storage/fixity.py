"""Fixity: re-read stored objects and compare their SHA-256 with what the records say.

What is checked per record (`targets`):
- the original, against the record's `sha256` (its key is that digest, so duplicates share it);
- the archive PDF and the words file, against `files.pdf_sha256` / `files.words_sha256`; records
  made before those keys existed are "not_checkable" (only their presence is checked);
- the record object itself, for presence only: every correction rewrites it, so no hash of it is kept.

Each object is read as a consumer of the record would read it (the latest version of the key),
hashed as it streams in. A missing or changed object is looked up in the key's version history
for a version that still has the recorded bytes (`restore_version`): the record's pinned
version first, then the others newest first. The versioned buckets never overwrite or delete
in place, so a bad latest version usually has a good one beneath it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from typing import Literal, get_args

from pydantic import BaseModel

from storage.errors import ObjectNotFound, StorageError, StorageUnavailable
from storage.objects import ObjectStore, ObjectVersion, split_ref
from storage.objects import ref as join_ref
from storage.records import Record

FixityStatus = Literal["ok", "missing", "changed", "unreadable", "not_checkable"]
ObjectRole = Literal["original", "pdf", "words", "record"]
STATUSES: tuple[FixityStatus, ...] = get_args(FixityStatus)
# What fails a run: bytes gone, different, or not returned. "not_checkable" is an old record.
PROBLEMS: frozenset[str] = frozenset({"missing", "changed", "unreadable"})
# Older versions hashed per problem object while looking for one to restore: bounds the work
# a key rewritten many times can cause.
MAX_VERSIONS_TRIED = 10


class FixityTarget(BaseModel):
    """One stored object and what its record says about it."""

    record_id: str
    batch_id: str
    role: ObjectRole
    bucket: str
    key: str
    expected_sha256: str | None = None  # None: presence only (a record, or an old derived file)
    expected_version: str | None = None

    @property
    def ref(self) -> str:
        return join_ref(self.bucket, self.key)


class ObjectCheck(FixityTarget):
    """The outcome for one object: the target checked, and what was found."""

    status: FixityStatus
    found_sha256: str | None = None
    found_version: str | None = None  # the latest version, which was read
    restore_version: str | None = None  # a stored version that has the recorded bytes
    detail: str = ""

    @property
    def problem(self) -> bool:
        return self.status in PROBLEMS

    def target(self) -> FixityTarget:
        """The object checked, to check it again."""
        return FixityTarget.model_validate(self.model_dump(include=set(FixityTarget.model_fields)))

    def action(self) -> str:
        """What the operator should do about it."""
        if self.status == "unreadable":
            return ("the server did not return the object: check the volume servers and their disks "
                    "(SeaweedFS log), then run `sohoa fixity` again")
        if self.status not in PROBLEMS:
            return ""
        if self.restore_version:
            return (f"restore version {self.restore_version} (`sohoa fixity --restore`, or an S3 copy "
                    f"of that version over the key); nothing is deleted")
        if self.role in ("pdf", "words"):
            return (f"no stored version has the recorded bytes: restore {self.ref} from a backup, "
                    f"or digitise the original again (record {self.record_id})")
        return f"no stored version has the recorded bytes: restore {self.ref} from a backup"


class FixityReport(BaseModel):
    """A run's counts per status and the objects with something to report (not the ok ones)."""

    started_at: datetime
    finished_at: datetime | None = None
    batch_id: str | None = None
    part: int = 0
    parts: int = 1
    records: int = 0
    counts: dict[str, int] = {status: 0 for status in STATUSES}
    problems: list[ObjectCheck] = []

    @property
    def has_problems(self) -> bool:
        return bool(self.problems)

    def summary(self) -> str:
        scope = f"batch {self.batch_id}" if self.batch_id else "every batch"
        share = f", part {self.part + 1} of {self.parts}" if self.parts > 1 else ""
        counts = ", ".join(f"{status} {n}" for status, n in self.counts.items() if n)
        return f"{self.records} records of {scope}{share}: {counts or 'nothing stored'}"


def targets(record: Record) -> list[FixityTarget]:
    """The stored objects a record names, with what it says their bytes are."""
    files = record.files
    base = {"record_id": record.id, "batch_id": record.batch_id}
    found = [FixityTarget(**base, role="original", expected_sha256=record.sha256,
                          **_located(files.original))]
    for role, object_ref, digest, version in (
        ("pdf", files.pdf, files.pdf_sha256, files.pdf_version),
        ("words", files.words, files.words_sha256, files.words_version),
    ):
        if object_ref:
            found.append(FixityTarget(**base, role=role, expected_sha256=digest,
                                      expected_version=version, **_located(object_ref)))
    if files.record:
        found.append(FixityTarget(**base, role="record", **_located(files.record)))
    return found


def _located(object_ref: str) -> dict[str, str]:
    bucket, key = split_ref(object_ref)
    return {"bucket": bucket, "key": key}


def in_part(record_id: str, part: int, parts: int) -> bool:
    """Whether a record falls in this part of `parts` (by a hash of its id, so parts are even
    and a record stays in its part from run to run)."""
    return int(hashlib.sha256(record_id.encode()).hexdigest()[:8], 16) % parts == part


def part_of_week(parts: int, today: date) -> int:
    """The part a weekly run checks when none is given: turning through all of them, one a week."""
    return (today.toordinal() // 7) % parts


def compare(target: FixityTarget, found_sha256: str | None, found_version: str | None) -> ObjectCheck:
    """The verdict on bytes read from the latest version of an object that exists."""
    if target.expected_sha256 is None:
        status: FixityStatus = "ok" if target.role == "record" else "not_checkable"
        detail = ("present; a record is rewritten by every correction, so only its presence is checked"
                  if target.role == "record" else "present; the record keeps no SHA-256 for it (made before fixity)")
    elif found_sha256 == target.expected_sha256.lower():
        status = "ok"
        detail = ("same bytes, rewritten since the record was saved (version "
                  f"{found_version}, the record pins {target.expected_version})"
                  if target.expected_version and found_version and found_version != target.expected_version
                  else "")
    else:
        status = "changed"
        detail = (f"the latest version {found_version} has other bytes than the record says"
                  + (f" (the record pins version {target.expected_version})" if target.expected_version else ""))
    return _check(target, status, found_sha256=found_sha256, found_version=found_version, detail=detail)


def _check(target: FixityTarget, status: FixityStatus, **values) -> ObjectCheck:
    return ObjectCheck(**target.model_dump(), status=status, **values)


def check_object(store: ObjectStore, target: FixityTarget) -> ObjectCheck:
    """Read one object and judge it. Raises StorageUnavailable only when the whole server is
    down (an outage is not an object's fault); an object the server fails to return is unreadable."""
    try:
        if target.expected_sha256 is None:
            check = _check_presence(store, target)
        else:
            found, version = store.hash_object(target.bucket, target.key)
            check = compare(target, found, version)
    except ObjectNotFound as exc:
        check = _check(target, "missing", detail=str(exc))
    except StorageUnavailable as exc:
        store.ping()  # the server itself down: stop the run rather than call everything unreadable
        check = _check(target, "unreadable", detail=str(exc))
    except StorageError as exc:
        check = _check(target, "unreadable", detail=str(exc))
    if check.status in ("missing", "changed"):
        _explain_from_history(store, target, check)
    return check


def _check_presence(store: ObjectStore, target: FixityTarget) -> ObjectCheck:
    versions = store.object_versions(target.bucket, target.key)
    latest = versions[0] if versions else None
    if latest is None or latest.is_delete_marker:
        raise ObjectNotFound(f"{target.ref}: no current version")
    return compare(target, None, latest.version_id)


def _explain_from_history(store: ObjectStore, target: FixityTarget, check: ObjectCheck) -> None:
    """Say how a missing object went and find a version to restore, from one listing of the key."""
    try:
        versions = store.object_versions(target.bucket, target.key)
    except StorageError:
        return  # the detail stays the read's error, with nothing to restore
    if check.status == "missing" and not versions:
        check.detail = "no version of the key is stored"
    elif check.status == "missing" and versions[0].is_delete_marker:
        check.detail = f"deleted: delete marker {versions[0].version_id} is the latest version"
    check.restore_version = _good_version(store, target, versions, check.found_version)


def _good_version(store: ObjectStore, target: FixityTarget, versions: list[ObjectVersion],
                  bad_version: str | None) -> str | None:
    """A stored version with the recorded bytes: the pinned one first, then newest first. For an
    object kept without a hash (a record), the newest version that is not a delete marker."""
    ids = [v.version_id for v in versions
           if not v.is_delete_marker and v.version_id and v.version_id != bad_version]
    if target.expected_sha256 is None:
        return ids[0] if ids else None
    if target.expected_version in ids:
        ids.remove(target.expected_version)
        ids.insert(0, target.expected_version)
    for version_id in ids[:MAX_VERSIONS_TRIED]:
        try:
            found, _ = store.hash_object(target.bucket, target.key, version_id)
        except StorageError:
            continue
        if found == target.expected_sha256.lower():
            return version_id
    return None


def run_fixity(
    store: ObjectStore,
    records: Iterable[Record],
    *,
    batch_id: str | None = None,
    parts: int = 1,
    part: int | None = None,
    on_check: Callable[[ObjectCheck], None] | None = None,
) -> FixityReport:
    """Check every object of the given records that fall in this part; an object several
    records share (an original and its duplicates) is read once."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    now = datetime.now(timezone.utc)
    part = part_of_week(parts, now.date()) if part is None else part
    if not 0 <= part < parts:
        raise ValueError(f"part must be from 0 to {parts - 1}")
    report = FixityReport(started_at=now, batch_id=batch_id, part=part, parts=parts)
    # The targets are gathered first so that no catalog query stays open while objects stream.
    chosen: dict[str, FixityTarget] = {}
    for record in records:
        if parts == 1 or in_part(record.id, part, parts):
            report.records += 1
            for target in targets(record):
                chosen.setdefault(target.ref, target)
    for target in chosen.values():
        check = check_object(store, target)
        report.counts[check.status] += 1
        if check.problem:
            report.problems.append(check)
        if on_check:
            on_check(check)
    report.finished_at = datetime.now(timezone.utc)
    return report


def restore(store: ObjectStore, check: ObjectCheck) -> str | None:
    """Put the good version found for a problem back as the latest; returns the new version id."""
    if not check.restore_version:
        raise ValueError(f"{check.ref}: no version to restore from")
    return store.restore_version(check.bucket, check.key, check.restore_version)
