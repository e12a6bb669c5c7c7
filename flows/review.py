"""Review by archive staff: list what needs a person, correct fields, approve or send back with a
note, show history.

Every correction or approval is a new version of the record in the records bucket (the
truth), carrying who, when, the old and the new value; the catalog is then updated from
it, so `sohoa reindex` keeps them. Old versions stay readable through object versioning.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable

from extract.dates import date_problem
from extract.identifiers import holder_id_problem
from extract.body import VALUE_CHECKS
from extract.notation import ENTRY_NUMBERED, shape_problem
from extract.text import remove_spaces
from flows.intake import save_record
from flows.services import Services
from storage.records import RECORD_FIELDS, Correction, Record, RecordField, ReviewNote

log = logging.getLogger(__name__)

CORRECTABLE_STATUSES = ("needs_review", "digitised")  # pending has nothing read yet
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class CorrectionRefused(Exception):
    """A correction or approval the record cannot take; the message says why."""


def needs_review(services: Services, agency: str | None = None, batch_id: str | None = None) -> list[Record]:
    return [
        record for record in services.catalog.records(batch_id)
        if record.status == "needs_review" and (agency is None or record.agency == agency)
    ]


def set_field(services: Services, record_id: str, field: str, value: str, by: str,
              note: str | None = None, force: bool = False) -> Record:
    """Set (or, with an empty value, remove) one field as a new version of the record."""
    record = latest(services, record_id)
    if record.status not in CORRECTABLE_STATUSES:
        raise CorrectionRefused(f"record {record_id} is {record.status}: it has no fields to correct")
    if field not in RECORD_FIELDS and field not in record.fields:
        raise CorrectionRefused(f"unknown field {field!r}; known: {', '.join(RECORD_FIELDS)}")
    value = normalise(field, value)
    problem = value_problem(field, value, record.document_type) if value else None
    if problem and not force:
        raise CorrectionRefused(f"{field} {loggable(field, value)}: {problem} (use --force to store it anyway)")
    old = record.fields.get(field)
    new = RecordField(value=value, confidence=1.0, source="manual") if value else None
    if old is None and new is None:
        raise CorrectionRefused(f"record {record_id} has no {field} to remove")
    fields = {name: kept for name, kept in record.fields.items() if name != field}
    if new is not None:
        fields[field] = new
    correction = Correction(field=field, old=old, new=new, by=by, at=_now(), note=note,
                            forced=problem is not None)
    # A value typed in settles what the machine only suggested for that field.
    suggestions = {name: kept for name, kept in record.suggestions.items() if name != field}
    record = save_record(record.model_copy(update={
        "fields": fields, "suggestions": suggestions, "corrections": [*record.corrections, correction],
    }), services)
    log.info("%s: %s %s → %s by %s%s", record_id, field, loggable(field, old), loggable(field, new),
             by, " (forced)" if correction.forced else "")
    return record


def approve(services: Services, record_id: str, by: str, note: str | None = None) -> Record:
    """needs_review → digitised; the reasons move to `resolved_reasons` so they stay readable."""
    record = latest(services, record_id)
    if record.status != "needs_review":
        raise CorrectionRefused(f"record {record_id} is {record.status}, only needs_review can be approved")
    record = save_record(record.model_copy(update={
        "status": "digitised",
        "resolved_reasons": [*record.resolved_reasons, *record.review_reasons],
        "review_reasons": [],
        "approved_by": by,
        "approved_at": _now(),
        "approval_note": note,
    }), services)
    log.info("%s: approved by %s", record_id, by)
    return record


def send_back(services: Services, record_id: str, by: str, note: str) -> Record:
    """Leave a needs_review record waiting, with a note saying what to look at again."""
    note = unicodedata.normalize("NFC", note).strip()
    if not note:
        raise CorrectionRefused("sending a record back needs a note saying what to look at")
    record = latest(services, record_id)
    if record.status != "needs_review":
        raise CorrectionRefused(f"record {record_id} is {record.status}, only needs_review can be sent back")
    sent = ReviewNote(by=by, at=_now(), note=note)
    record = save_record(record.model_copy(update={"review_notes": [*record.review_notes, sent]}), services)
    log.info("%s: sent back by %s", record_id, by)
    return record


def history(services: Services, record_id: str) -> list[dict]:
    """Every stored version of the record, newest first, with what each one changed."""
    key = _key(services, record_id)
    store = services.store
    versions = store.record_versions(key)
    records = [Record.model_validate_json(store.get_record(key, v["version_id"])) for v in versions]
    entries = []
    for index, (version, record) in enumerate(zip(versions, records)):
        older = records[index + 1] if index + 1 < len(records) else None
        added = record.corrections[len(older.corrections):] if older else record.corrections
        entry = {
            "version_id": version["version_id"],
            "modified": version["last_modified"].isoformat(),
            "status": record.status,
            "corrections": [c.model_dump(mode="json", exclude_none=True) for c in added],
        }
        notes = record.review_notes[len(older.review_notes):] if older else record.review_notes
        if notes:
            entry["notes"] = [n.model_dump(mode="json") for n in notes]
        if record.approved_at and (older is None or older.approved_at != record.approved_at):
            entry["approved_by"] = record.approved_by
        entries.append(entry)
    return entries


def latest(services: Services, record_id: str) -> Record:
    """The record as last written to object storage (not the catalog's copy, which may lag)."""
    return Record.model_validate_json(services.store.get_record(_key(services, record_id)))


def normalise(field: str, value: str) -> str:
    value = unicodedata.normalize("NFC", value).strip()
    # CONTRACT.md: notations and identifiers carry no whitespace (OCR's spaces, a typist's too).
    return remove_spaces(value) if field in ("document_number", "parent_document_number", "holder_id") else value


def value_problem(field: str, value: str, document_type: str | None = None) -> str | None:
    """Why the value fails its field's check (the same validators as extraction), or None."""
    if field == "document_number" and document_type in ENTRY_NUMBERED and value.isdigit():
        return None  # a register entry number (`Số: 125`)
    check = _CHECKS.get(field)
    return check(value) if check else None


def _issue_date_problem(value: str) -> str | None:
    return _iso_date_problem(value, today=None)


def _valid_until_problem(value: str) -> str | None:
    # An end of validity lies in the future as often as not; only the calendar and 1945 apply.
    return _iso_date_problem(value, today=dt.date.max)


def _iso_date_problem(value: str, today: dt.date | None) -> str | None:
    match = _ISO_DATE.fullmatch(value)
    if not match:
        return "not an ISO date YYYY-MM-DD"
    year, month, day = (int(part) for part in match.groups())
    return date_problem(day, month, year, today)


_CHECKS: dict[str, Callable[[str], str | None]] = {
    **VALUE_CHECKS,
    "issue_date": _issue_date_problem,
    "valid_until": _valid_until_problem,
    "holder_id": holder_id_problem,
    "document_number": shape_problem,
    "parent_document_number": shape_problem,
    "parent_issue_date": _issue_date_problem,
}


def loggable(field: str, value: RecordField | str | None) -> str:
    """A value fit for log lines: personal numbers only by their last 3 digits."""
    if isinstance(value, RecordField):
        value = value.value
    if value is None:
        return "(none)"
    if field == "holder_id":
        return "*" * max(len(value) - 3, 0) + value[-3:]
    return repr(value)


def _key(services: Services, record_id: str) -> str:
    key = services.catalog.record_key(record_id)
    if key is None:
        raise CorrectionRefused(f"no record {record_id}")
    return key


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
