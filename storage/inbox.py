"""The inbox bucket: batches archive staff drop as `<agency code>/<batch name>/<file>` (flows/drops.py).

Plain S3 calls, mapped to the storage errors. The inbox is not versioned; a taken drop is copied
under `processed/` (or `rejected/`) and only then deleted, so that a crash between the two
leaves a copy in both places, never in neither.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from minio.commonconfig import CopySource
from minio.deleteobjects import DeleteObject

from storage.errors import StorageError
from storage.objects import ObjectStore, _storage_errors, ref, sha256_base64


@dataclass(frozen=True)
class InboxObject:
    key: str  # as stored: Vietnamese names may be NFC or NFD
    size: int
    last_modified: datetime


def top_prefixes(store: ObjectStore) -> list[str]:
    """The first-level "folders" (`agency/`, `processed/` ...), without listing what is under them."""
    bucket = store.buckets.inbox
    with _storage_errors(f"list {bucket}"):
        return [item.object_name for item in store.client.list_objects(bucket) if item.is_dir]


def list_objects(store: ObjectStore, prefix: str) -> Iterator[InboxObject]:
    bucket = store.buckets.inbox
    with _storage_errors(f"list {ref(bucket, prefix)}"):
        for item in store.client.list_objects(bucket, prefix=prefix, recursive=True):
            if not item.is_dir and not item.object_name.endswith("/"):
                yield InboxObject(item.object_name, item.size or 0, item.last_modified)


def exists(store: ObjectStore, prefix: str) -> bool:
    bucket = store.buckets.inbox
    with _storage_errors(f"list {ref(bucket, prefix)}"):
        return any(True for _ in store.client.list_objects(bucket, prefix=prefix, recursive=True))


def download(store: ObjectStore, key: str, path: Path) -> None:
    """The object's bytes into `path`, streamed (a bound volume can be hundreds of MB)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _storage_errors(f"get {ref(store.buckets.inbox, key)}"):
        store.client.fget_object(store.buckets.inbox, key, str(path))


def get(store: ObjectStore, key: str) -> bytes:
    return store._get(store.buckets.inbox, key)


def put(store: ObjectStore, key: str, data: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
    store._put(store.buckets.inbox, key, data, content_type, sha256_base64(data))


def put_stream(store: ObjectStore, key: str, stream: BinaryIO, content_type: str = "application/octet-stream") -> int:
    """A seekable stream's bytes under `key`, read twice (its SHA-256, then the upload) rather than
    held: a file uploaded from the desk can be hundreds of MB. Returns its size."""
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    store._put_stream(store.buckets.inbox, key, stream, size, content_type,
                      base64.b64encode(digest.digest()).decode("ascii"))
    return size


def copy(store: ObjectStore, source_key: str, target_key: str) -> None:
    bucket = store.buckets.inbox
    with _storage_errors(f"copy {ref(bucket, source_key)} to {target_key}"):
        store.client.copy_object(bucket, target_key, CopySource(bucket, source_key))


def remove(store: ObjectStore, keys: list[str]) -> None:
    bucket = store.buckets.inbox
    with _storage_errors(f"delete from {bucket}"):
        errors = list(store.client.remove_objects(bucket, (DeleteObject(key) for key in keys)))
    if errors:
        raise StorageError(f"delete from {bucket}: {len(errors)} objects not deleted, first "
                           f"{errors[0].name}: {errors[0].code} {errors[0].message}")
