"""Buckets, keys, checksums and versions over the plain S3 API (SeaweedFS, MinIO, Ceph...).

Keys (ARCHITECTURE.md):
- originals: `<sha256[:2]>/<sha256>`, write-once (object lock, governance retention)
- derived:   `<sha256>/<pipeline_version>/<name>`, versioned
- records:   `<agency>/<record_id>.json`, versioned: each correction is a new version
- inbox:     drops from archive staff, not versioned
- work:      page ranges of long documents while workers read them, not versioned, emptied as
             documents finish (storage/work.py)

Records refer to objects as "bucket/key" (see `ref`). Object metadata must stay ASCII (the
SDK refuses anything else): Vietnamese names belong in the JSON record.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit, urlunsplit

import certifi
import urllib3
from minio import Minio
from minio.commonconfig import ENABLED, GOVERNANCE, CopySource
from minio.credentials import Provider, StaticProvider
from minio.datatypes import Object
from minio.error import InvalidResponseError, S3Error, ServerError
from minio.objectlockconfig import DAYS, ObjectLockConfig
from minio.signer import sign_v4_s3
from minio.time import to_amz_date, utcnow
from minio.versioningconfig import VersioningConfig

from storage import seaweed
from storage.errors import (
    IntegrityError,
    ObjectNotFound,
    StorageError,
    StorageUnavailable,
)
from storage.settings import StorageSettings

log = logging.getLogger(__name__)

INPUT_FILES_PREFIX = "inputs/files/"
INPUT_EVENTS_PREFIX = "inputs/events/"
MIN_PART_SIZE = 5 * 1024 * 1024  # the SDK's lower bound for part_size
HASH_CHUNK = 1024 * 1024  # objects are hashed as they stream in, never held whole
CHECKSUM_HEADER = "x-amz-checksum-sha256"
_MISSING_CODES = {"NoSuchKey", "NoSuchVersion", "NoSuchBucket", "ResourceNotFound"}
_BAD_DIGEST_CODES = {"BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch"}
_BUSY_CODES = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout"}
_EXISTS_CODES = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}
# Buckets already warned about lacking object lock, so a long run warns once per bucket.
_warned_unlocked: set[str] = set()


def ref(bucket: str, key: str) -> str:
    """The "bucket/key" form that records store in `files`."""
    return f"{bucket}/{key}"


def split_ref(object_ref: str) -> tuple[str, str]:
    """The (bucket, key) of a "bucket/key" reference."""
    bucket, _, key = object_ref.partition("/")
    if not bucket or not key:
        raise ValueError(f"not a bucket/key reference: {object_ref!r}")
    return bucket, key


def original_key(sha256: str) -> str:
    sha256 = sha256.lower()
    return f"{sha256[:2]}/{sha256}"


def derived_key(sha256: str, pipeline_version: str, name: str) -> str:
    return f"{sha256}/{pipeline_version}/{name}"


def record_key(agency: str, record_id: str) -> str:
    # NFC so that the same Vietnamese name typed two ways maps to one key.
    agency, record_id = (unicodedata.normalize("NFC", part) for part in (agency, record_id))
    if not agency or not record_id or "/" in agency + record_id:
        raise ValueError(f"agency and record id must be non-empty, without '/': "
                         f"{agency!r}, {record_id!r}")
    return f"{agency}/{record_id}.json"


def sha256_base64(data: bytes) -> str:
    """The form S3 uses for `x-amz-checksum-sha256`."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def file_sha256(path: Path) -> bytes:
    """The file's SHA-256 digest, read a chunk at a time."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").digest()


@dataclass(frozen=True)
class ObjectVersion:
    version_id: str | None
    is_delete_marker: bool
    is_latest: bool
    last_modified: datetime | None


@dataclass(frozen=True)
class Buckets:
    originals: str
    derived: str
    records: str
    inbox: str
    work: str  # page ranges being read by several workers (storage/work.py): scratch, not the archive

    @classmethod
    def with_prefix(cls, prefix: str) -> Buckets:
        return cls(*(f"{prefix}-{role}" for role in ("originals", "derived", "records", "inbox", "work")))


def _http_client(settings: StorageSettings) -> urllib3.PoolManager:
    """Short connect timeout and a small retry, so a dead server fails in seconds, not minutes
    (the SDK default is 5 minutes and 5 retries); the flow does the longer backoff."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=settings.s3_connect_timeout,
                                read=settings.s3_read_timeout),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=urllib3.Retry(total=2, backoff_factor=0.5,
                              status_forcelist=[500, 502, 503, 504]),
    )


@contextmanager
def _storage_errors(action: str) -> Iterator[None]:
    """Turn SDK and network exceptions into the storage error hierarchy."""
    try:
        yield
    except S3Error as exc:
        raise _s3_error(exc, action) from exc
    except ServerError as exc:
        if exc.status_code >= 500:
            raise StorageUnavailable(f"{action}: server error {exc.status_code}") from exc
        raise StorageError(f"{action}: {exc}") from exc
    except InvalidResponseError as exc:
        raise StorageError(f"{action}: the endpoint does not answer like an S3 server; "
                           f"check SOHOA_S3_ENDPOINT ({exc})") from exc
    except urllib3.exceptions.MaxRetryError as exc:
        if isinstance(exc.reason, urllib3.exceptions.ResponseError):
            # It answered, with 5xx every time: a full disk or no writable volume, not a network fault.
            raise StorageUnavailable(f"{action}: object storage answered with server errors "
                                     f"({exc.reason}); see its log (managed SeaweedFS: "
                                     f"<home>/logs/seaweedfs.log) and check its disk") from exc
        raise _unreachable(action, exc) from exc
    except (urllib3.exceptions.HTTPError, ConnectionError) as exc:
        raise _unreachable(action, exc) from exc


def _put_error(response: urllib3.BaseHTTPResponse, action: str) -> StorageError:
    """The error of a PUT sent past the SDK (`_put_stream`), as the SDK's would be typed."""
    try:
        return _s3_error(S3Error.fromxml(response), action)
    except ET.ParseError:  # no S3 error document: a proxy's page, an empty 5xx
        error = StorageUnavailable if response.status >= 500 else StorageError
        return error(f"{action}: HTTP {response.status}")


def _unreachable(action: str, exc: Exception) -> StorageUnavailable:
    return StorageUnavailable(f"{action}: object storage unreachable ({exc}); check that "
                              f"the S3 server is running (sohoa doctor)")


def _s3_error(exc: S3Error, action: str) -> StorageError:
    detail = f"{action}: {exc.code}: {exc.message}"
    if exc.code in _BAD_DIGEST_CODES:
        return IntegrityError(f"{detail} (the server received other bytes than were sent)")
    if exc.code in _MISSING_CODES:
        return ObjectNotFound(detail)
    if exc.code in _BUSY_CODES or exc.response.status >= 500:
        return StorageUnavailable(detail)
    return StorageError(detail)


@dataclass(frozen=True)
class Uploader:
    """What a PUT streamed past the SDK needs (`ObjectStore._put_stream`): the SDK client's
    connection pool, credentials and region."""

    http: urllib3.PoolManager
    credentials: Provider | None  # None: an endpoint open to anonymous requests
    region: str


class ObjectStore:
    def __init__(self, client: Minio, buckets: Buckets, originals_retention_days: int = 3650,
                 uploader: Uploader | None = None):
        self.client = client
        self.uploader = uploader
        self.buckets = buckets
        self.originals_retention_days = originals_retention_days
        # Known after ensure_buckets(): whether originals are write-once on this server.
        self.originals_locked = False

    @classmethod
    def connect(cls, settings: StorageSettings) -> ObjectStore:
        """Connect to the configured endpoint (starting the managed server if needed)
        and make sure the buckets exist."""
        endpoint = seaweed.ensure_running(settings)
        credentials = StaticProvider(endpoint.access_key, endpoint.secret_key) if endpoint.access_key else None
        uploader = Uploader(_http_client(settings), credentials, settings.s3_region)
        client = Minio(
            endpoint.endpoint,
            credentials=uploader.credentials,
            secure=endpoint.secure,
            region=settings.s3_region,  # spares a bucket-location request per bucket
            http_client=uploader.http,
        )
        store = cls(client, Buckets.with_prefix(settings.bucket_prefix),
                    settings.originals_retention_days, uploader)
        store.ensure_buckets()
        return store

    # Buckets

    def ensure_buckets(self) -> None:
        with _storage_errors("prepare buckets"):
            self.originals_locked = self._ensure_originals()
            for bucket in (self.buckets.derived, self.buckets.records):
                self._ensure_bucket(bucket)
                self._enable_versioning(bucket)
            self._ensure_bucket(self.buckets.inbox)
            self._ensure_bucket(self.buckets.work)

    def _ensure_originals(self) -> bool:
        bucket = self.buckets.originals
        if not self.client.bucket_exists(bucket):
            self._make_locked_bucket(bucket)
        self._enable_versioning(bucket)
        lock = self._object_lock_config(bucket)
        if lock is None:
            if bucket not in _warned_unlocked:
                _warned_unlocked.add(bucket)
                log.warning("bucket %s has no object lock (the server refused it, or the "
                            "bucket was made without): originals are versioned but can be "
                            "deleted", bucket)
            return False
        self._set_default_retention(bucket, lock)
        return True

    def _make_locked_bucket(self, bucket: str) -> None:
        try:
            self.client.make_bucket(bucket, object_lock=True)
        except S3Error as exc:
            if exc.code in _EXISTS_CODES:
                return
            log.info("the server refused object lock for %s (%s: %s); "
                     "creating it with versioning only", bucket, exc.code, exc.message)
            self._ensure_bucket(bucket)

    def _ensure_bucket(self, bucket: str) -> None:
        if self.client.bucket_exists(bucket):
            return
        try:
            self.client.make_bucket(bucket)
        except S3Error as exc:
            # Another process made it between our check and our request.
            if exc.code not in _EXISTS_CODES:
                raise

    def _enable_versioning(self, bucket: str) -> None:
        if self.client.get_bucket_versioning(bucket).status != ENABLED:
            self.client.set_bucket_versioning(bucket, VersioningConfig(ENABLED))

    def _object_lock_config(self, bucket: str) -> ObjectLockConfig | None:
        try:
            return self.client.get_object_lock_config(bucket)
        except S3Error as exc:
            log.debug("no object lock on %s: %s", bucket, exc.code)
            return None

    def _set_default_retention(self, bucket: str, current: ObjectLockConfig) -> None:
        wanted = ObjectLockConfig(GOVERNANCE, self.originals_retention_days, DAYS)
        if current != wanted:
            self.client.set_object_lock_config(bucket, wanted)
            log.info("originals in %s are now retained %s days (governance mode)",
                     bucket, self.originals_retention_days)

    # Originals

    def put_original(self, data: bytes, sha256: str, content_type: str) -> str:
        """Store the bytes under their SHA-256 once; storing them again does nothing."""
        digest = hashlib.sha256(data).digest()
        if digest.hex() != sha256.lower():
            raise IntegrityError(f"the bytes do not have the SHA-256 {sha256} given for them")
        checksum = base64.b64encode(digest).decode("ascii")
        key = original_key(sha256)
        stored = self._stat(self.buckets.originals, key)
        if stored is not None:
            self._check_stored_checksum(key, stored, checksum)
            return key
        self._put(self.buckets.originals, key, data, content_type, checksum)
        return key

    def _check_stored_checksum(self, key: str, stored: Object, checksum: str) -> None:
        # The key is the content's hash, so an existing object is the same file unless the
        # stored copy is damaged; a server that keeps no checksum is trusted on the key.
        recorded = stored.metadata.get(CHECKSUM_HEADER)
        if recorded is not None and recorded != checksum:
            raise IntegrityError(f"{ref(self.buckets.originals, key)} is stored with checksum "
                                 f"{recorded}, expected {checksum}: the stored copy is damaged")
        log.debug("original %s already stored", key)

    def get_original(self, sha256: str) -> bytes:
        """The original's bytes, verified against their SHA-256."""
        key = original_key(sha256)
        data = self._get(self.buckets.originals, key)
        if hashlib.sha256(data).hexdigest() != sha256.lower():
            raise IntegrityError(f"{ref(self.buckets.originals, key)} came back with other "
                                 f"bytes than its SHA-256 says")
        return data

    def get_original_file(self, sha256: str, path: Path) -> None:
        """Writes the original to `path`, hashed chunk by chunk as it streams in: a scanned
        volume's hundreds of MB are never held in memory. Raises IntegrityError when the bytes are
        not the ones the SHA-256 names; on any failure, leaves no (partial) file."""
        key = original_key(sha256)
        try:
            with _storage_errors(f"get {ref(self.buckets.originals, key)}"):
                response = self.client.get_object(self.buckets.originals, key)
                try:
                    digest = hashlib.sha256()
                    with path.open("wb") as file:
                        for chunk in response.stream(HASH_CHUNK):
                            digest.update(chunk)
                            file.write(chunk)
                finally:
                    response.close()
                    response.release_conn()
            if digest.hexdigest() != sha256.lower():
                raise IntegrityError(f"{ref(self.buckets.originals, key)} came back with other "
                                     f"bytes than its SHA-256 says")
        except BaseException:
            path.unlink(missing_ok=True)  # a cut-off download must not pass for the original
            raise

    def original_checksum(self, sha256: str) -> str | None:
        """The base64 SHA-256 the server recorded, or None (no such original, or no checksum)."""
        stored = self._stat(self.buckets.originals, original_key(sha256))
        return None if stored is None else stored.metadata.get(CHECKSUM_HEADER)

    # Derived files and records

    def put_derived(self, sha256: str, version: str, name: str, data: bytes,
                    content_type: str) -> tuple[str, str | None]:
        """Store a derived file as a new version; returns (key, version id), which the record
        pins with the file's SHA-256 for fixity checks."""
        key = derived_key(sha256, version, name)
        version_id = self._put(self.buckets.derived, key, data, content_type, sha256_base64(data))
        return key, version_id

    def put_derived_file(self, sha256: str, version: str, name: str, path: Path,
                         content_type: str) -> tuple[str, str | None, str]:
        """`put_derived` for a file on disk (a scanned volume's archive copy, hundreds of MB),
        read twice instead of held: once for its SHA-256, once to upload it.
        Returns (key, version id, SHA-256 in hex)."""
        digest = file_sha256(path)
        key = derived_key(sha256, version, name)
        with path.open("rb") as stream:
            version_id = self._put_stream(self.buckets.derived, key, stream, path.stat().st_size,
                                          content_type, base64.b64encode(digest).decode("ascii"))
        return key, version_id, digest.hex()

    def put_record(self, agency: str, record_id: str, json_text: str) -> tuple[str, str | None]:
        """Store a record as a new version; returns (key, version id)."""
        key = record_key(agency, record_id)
        data = json_text.encode("utf-8")
        version_id = self._put(self.buckets.records, key, data,
                               "application/json; charset=utf-8", sha256_base64(data))
        return key, version_id

    def get_record(self, key: str, version_id: str | None = None) -> str:
        return self._get(self.buckets.records, key, version_id).decode("utf-8")

    def list_record_keys(self, agency: str | None = None) -> Iterator[str]:
        prefix = f"{unicodedata.normalize('NFC', agency)}/" if agency else None
        with _storage_errors(f"list {self.buckets.records}"):
            for item in self.client.list_objects(self.buckets.records, prefix=prefix,
                                                 recursive=True):
                yield item.object_name

    def record_versions(self, key: str) -> list[dict]:
        """The record's readable versions, newest first."""
        return [
            {"version_id": v.version_id, "last_modified": v.last_modified, "is_latest": v.is_latest}
            for v in self.object_versions(self.buckets.records, key) if not v.is_delete_marker
        ]

    # Inputs from outside (agency lists, registers, declarations): no record carries them, so
    # they are kept write-once beside the papers for the catalog to be rebuilt from storage.

    def put_input_file(self, data: bytes) -> str:
        """Store an imported file's bytes under `inputs/files/<sha256>` (once); returns the digest."""
        sha256 = hashlib.sha256(data).hexdigest()
        key = INPUT_FILES_PREFIX + sha256
        if self._stat(self.buckets.originals, key) is None:
            self._put(self.buckets.originals, key, data, "application/octet-stream", sha256_base64(data))
        return sha256

    def get_input_file(self, sha256: str) -> bytes:
        key = INPUT_FILES_PREFIX + sha256
        data = self._get(self.buckets.originals, key)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise IntegrityError(f"{ref(self.buckets.originals, key)} came back with other bytes than its SHA-256 says")
        return data

    def put_input_event(self, name: str, json_text: str) -> str:
        """One import or declaration as `inputs/events/<name>`; names sort in the order of events."""
        key = INPUT_EVENTS_PREFIX + name
        data = json_text.encode("utf-8")
        self._put(self.buckets.originals, key, data, "application/json; charset=utf-8", sha256_base64(data))
        return key

    def input_events(self) -> Iterator[str]:
        """The JSON of every import and declaration, oldest first."""
        bucket = self.buckets.originals
        with _storage_errors(f"list {ref(bucket, INPUT_EVENTS_PREFIX)}"):
            listing = self.client.list_objects(bucket, prefix=INPUT_EVENTS_PREFIX, recursive=True)
            keys = sorted(item.object_name for item in listing)
        for key in keys:
            yield self._get(bucket, key).decode("utf-8")

    def get(self, object_ref: str) -> bytes:
        """The bytes behind a "bucket/key" reference as stored in a record's `files`."""
        return self._get(*split_ref(object_ref))

    # Fixity: re-reading what is stored, and putting back a good version

    def hash_object(self, bucket: str, key: str, version_id: str | None = None) -> tuple[str, str | None]:
        """The hex SHA-256 of an object (the latest version unless one is named), hashed chunk by
        chunk as it streams in, and the version id that was read."""
        with _storage_errors(f"read {ref(bucket, key)}"):
            response = self.client.get_object(bucket, key, version_id=version_id)
            try:
                digest = hashlib.sha256()
                for chunk in response.stream(HASH_CHUNK):
                    digest.update(chunk)
                return digest.hexdigest(), response.headers.get("x-amz-version-id") or version_id
            finally:
                response.close()
                response.release_conn()

    def object_versions(self, bucket: str, key: str) -> list[ObjectVersion]:
        """Every version of one key, delete markers included, newest first."""
        with _storage_errors(f"list versions of {ref(bucket, key)}"):
            items = [item for item in self.client.list_objects(bucket, prefix=key, include_version=True)
                     if item.object_name == key]
        versions = [
            ObjectVersion(item.version_id, bool(item.is_delete_marker),
                          str(item.is_latest).lower() == "true", item.last_modified)
            for item in items
        ]
        # The latest first, then by time; the stable sort keeps the server's order within a second.
        # An aware minimum: a naive one cannot be compared with the server's UTC times.
        oldest = datetime.min.replace(tzinfo=timezone.utc)
        return sorted(versions, key=lambda v: (v.is_latest, v.last_modified or oldest), reverse=True)

    def restore_version(self, bucket: str, key: str, version_id: str) -> str | None:
        """Make a copy of an earlier version the latest one (undoing an overwrite or a delete
        marker without destroying anything); returns the new version id."""
        with _storage_errors(f"restore {ref(bucket, key)} from version {version_id}"):
            result = self.client.copy_object(bucket, key, CopySource(bucket, key, version_id=version_id))
        log.info("restored %s from version %s (new version %s)", ref(bucket, key), version_id,
                 result.version_id)
        return result.version_id

    def ping(self) -> None:
        """Raises StorageUnavailable unless the server answers."""
        with _storage_errors("reach object storage"):
            self.client.bucket_exists(self.buckets.originals)

    # Plumbing

    def _put(self, bucket: str, key: str, data: bytes, content_type: str,
             checksum: str) -> str | None:
        """Upload with the SHA-256 the server must verify; returns the version id."""
        length = len(data)
        with _storage_errors(f"put {ref(bucket, key)}"):
            result = self.client.put_object(
                bucket, key, io.BytesIO(data), length, content_type=content_type,
                # One PUT, never multipart: the checksum header is for a whole object, and
                # SeaweedFS refuses it on a multipart upload. S3 takes up to 5 GiB in one PUT.
                part_size=max(length, MIN_PART_SIZE),
                # The SDK has no checksum argument but sends x-amz-* metadata as headers;
                # the SigV4 payload hash is not checked by SeaweedFS, this is.
                metadata={CHECKSUM_HEADER: checksum},
            )
        log.debug("stored %s (%d bytes, version %s)", ref(bucket, key), length,
                  result.version_id)
        return result.version_id

    def _put_stream(self, bucket: str, key: str, stream: BinaryIO, length: int, content_type: str,
                    checksum: str) -> str | None:
        """`_put` of `length` bytes read from `stream` as they are sent; returns the version id.

        The SDK's `put_object` reads a one-PUT object whole into memory first (a scanned volume's
        archive copy: hundreds of MB), so this PUT is signed here (SigV4, the payload's SHA-256
        known beforehand) and its body streamed by urllib3; the server verifies the checksum."""
        if self.uploader is None:  # a store built around a bare SDK client
            return self._put(bucket, key, stream.read(length), content_type, checksum)
        action = f"put {ref(bucket, key)}"
        with _storage_errors(action):
            # The object's URL as the SDK spells it (scheme, host, addressing style, key encoding).
            url = urlsplit(self.client.presigned_put_object(bucket, key))._replace(query="")
            payload_sha256 = base64.b64decode(checksum).hex()
            date = utcnow()
            headers = {"Host": url.netloc, "Content-Type": content_type, "Content-Length": str(length),
                       CHECKSUM_HEADER: checksum, "x-amz-content-sha256": payload_sha256,
                       "x-amz-date": to_amz_date(date)}
            if self.uploader.credentials is not None:
                headers = sign_v4_s3(method="PUT", url=url, region=self.uploader.region, headers=headers,
                                     credentials=self.uploader.credentials.retrieve(),
                                     content_sha256=payload_sha256, date=date)
            response = self.uploader.http.urlopen("PUT", urlunsplit(url), body=stream, headers=headers)
            if response.status != 200:
                raise _put_error(response, action)
        version_id = response.headers.get("x-amz-version-id")
        log.debug("stored %s (%d bytes, version %s)", ref(bucket, key), length, version_id)
        return version_id

    def _get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        with _storage_errors(f"get {ref(bucket, key)}"):
            response = self.client.get_object(bucket, key, version_id=version_id)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

    def _stat(self, bucket: str, key: str) -> Object | None:
        """The object's information with its checksum, or None when there is no such key."""
        try:
            with _storage_errors(f"stat {ref(bucket, key)}"):
                return self.client.stat_object(
                    bucket, key, extra_headers={"x-amz-checksum-mode": "ENABLED"})
        except ObjectNotFound:
            return None
