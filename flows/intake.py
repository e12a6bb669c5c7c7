"""Ingest: every input file becomes a stored original and a registered record.

Steps per file, in order: read → hash → store the original (always, even a bad file) →
recognise a duplicate → write the record → index it. Rerunning an ingest into the same
batch finds the records already there and does nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from flows.services import Services
from ocr.sniff import sniff_media_type
from storage.objects import record_key, ref
from storage.records import Record, RecordFiles

log = logging.getLogger(__name__)

UNKNOWN_MEDIA_TYPE = "application/octet-stream"


@dataclass
class InputFile:
    path: Path
    source_path: str  # NFC, relative to what the user named, with forward slashes
    # What archive staff declared for the file with a drop's manifest.csv (Record.declared).
    declared: dict[str, str] = field(default_factory=dict)


@dataclass
class IngestResult:
    batch_id: str
    batch_name: str
    registered: list[Record] = field(default_factory=list)
    already_registered: int = 0


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def walk_inputs(paths: list[Path]) -> Iterator[InputFile]:
    """Files named directly, and every file below folders named; hidden files are skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path.parent)
                if child.is_file() and not any(part.startswith(".") for part in relative.parts):
                    yield InputFile(child, nfc(relative.as_posix()))
        elif path.is_file():
            yield InputFile(path, nfc(path.name))
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def new_batch_id(now: datetime) -> str:
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def record_id_for(batch_id: str, source_path: str) -> str:
    # Derived, not random: ingesting the same file into the same batch again finds it.
    return hashlib.sha256(f"{batch_id}\0{source_path}".encode()).hexdigest()[:24]


def ingest(
    paths: list[Path],
    agency: str,
    services: Services,
    batch_name: str | None = None,
    on_file: Callable[[InputFile], None] | None = None,
) -> IngestResult:
    return ingest_inputs(walk_inputs(paths), agency, services, batch_name, on_file)


def ingest_inputs(
    items: Iterable[InputFile],
    agency: str,
    services: Services,
    batch_name: str | None = None,
    on_file: Callable[[InputFile], None] | None = None,
) -> IngestResult:
    """Register the given files into the batch named so (a new one when none is); files
    already registered in it are left alone."""
    agency = nfc(agency.strip())
    now = datetime.now(timezone.utc)
    batch_id = (batch_name and services.catalog.find_batch(agency, nfc(batch_name))) or new_batch_id(now)
    result = IngestResult(batch_id=batch_id, batch_name=nfc(batch_name or batch_id))
    for item in items:
        record_id = record_id_for(batch_id, item.source_path)
        if services.catalog.record_key(record_id) is not None:
            result.already_registered += 1
        else:
            result.registered.append(register_file(item, record_id, agency, result, services))
        if on_file:
            on_file(item)
    return result


def register_file(item: InputFile, record_id: str, agency: str, batch: IngestResult, services: Services) -> Record:
    data = item.path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    media_type = sniff_media_type(data) or UNKNOWN_MEDIA_TYPE
    store = services.store
    original = ref(store.buckets.originals, store.put_original(data, sha256, media_type))
    first = services.catalog.first_with_sha256(sha256)
    record = Record(
        id=record_id,
        batch_id=batch.batch_id,
        batch_name=batch.batch_name,
        agency=agency,
        # From source_path, not path: a drop fetched from the inbox is read from a temporary file.
        source_name=item.source_path.rsplit("/", 1)[-1],
        source_path=item.source_path,
        sha256=sha256,
        size_bytes=len(data),
        media_type=media_type,
        status="duplicate" if first else "pending",
        duplicate_of=first,
        files=RecordFiles(original=original),
        declared=item.declared,
        ingested_at=datetime.now(timezone.utc),
    )
    save_record(record, services)
    log.info("registered %s as %s (%s)", item.source_path, record_id, record.status)
    return record


def save_record(record: Record, services: Services) -> Record:
    """Write the record to object storage (a new version), then index it."""
    store = services.store
    key = record_key(record.agency, record.id)
    files = record.files.model_copy(update={"record": ref(store.buckets.records, key)})
    record = record.model_copy(update={"files": files})
    store.put_record(record.agency, record.id, record.to_json())
    services.catalog.save(record, key)
    return record
