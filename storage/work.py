"""The work bucket: page ranges of long documents while several workers read them (flows/range_claims.py).

`ranges/<record id>/...`: each range's pages as a PDF, and each reading of it (its searchable PDF and
pages JSON). Scratch, not the archive: unversioned, never named by a record, so fixity, reindex and
the archive's orphan checks (which look at the originals, derived and records buckets) never see it;
a document's folder is removed once its record is stored, and a later run removes what a crashed one
left.
"""

from __future__ import annotations

from collections.abc import Iterator

from minio.deleteobjects import DeleteObject

from storage.errors import StorageError
from storage.objects import ObjectStore, _storage_errors, ref, sha256_base64

RANGES_PREFIX = "ranges/"


def document_prefix(record_id: str) -> str:
    return f"{RANGES_PREFIX}{record_id}/"


def put(store: ObjectStore, key: str, data: bytes, content_type: str) -> None:
    store._put(store.buckets.work, key, data, content_type, sha256_base64(data))


def get(store: ObjectStore, key: str) -> bytes:
    return store._get(store.buckets.work, key)


def document_ids(store: ObjectStore) -> Iterator[str]:
    """The records that have a folder in the work bucket."""
    bucket = store.buckets.work
    with _storage_errors(f"list {ref(bucket, RANGES_PREFIX)}"):
        for item in store.client.list_objects(bucket, prefix=RANGES_PREFIX):
            if item.is_dir:
                yield item.object_name.removeprefix(RANGES_PREFIX).rstrip("/")


def remove_document(store: ObjectStore, record_id: str) -> int:
    """Delete the document's folder; returns how many objects were removed."""
    bucket, prefix = store.buckets.work, document_prefix(record_id)
    with _storage_errors(f"remove {ref(bucket, prefix)}"):
        keys = [item.object_name for item in store.client.list_objects(bucket, prefix=prefix, recursive=True)]
        errors = list(store.client.remove_objects(bucket, (DeleteObject(key) for key in keys)))
    if errors:
        raise StorageError(f"remove {ref(bucket, prefix)}: {len(errors)} objects not removed ({errors[0]})")
    return len(keys)
