"""ObjectStore against the real managed SeaweedFS."""

import base64
import hashlib
import http.server
import io
import os
import socket
import threading
import time
import unicodedata

import pytest
import urllib3
from minio.commonconfig import ENABLED, GOVERNANCE
from minio.error import S3Error
from minio.objectlockconfig import DAYS, ObjectLockConfig

from storage.errors import IntegrityError, ObjectNotFound, StorageUnavailable
from storage.objects import ObjectStore, original_key, ref, sha256_base64
from storage.settings import StorageSettings

pytestmark = pytest.mark.integration


def sample(size: int = 200_000) -> tuple[bytes, str]:
    data = os.urandom(size)
    return data, hashlib.sha256(data).hexdigest()


def original_versions(store: ObjectStore, sha256: str) -> list:
    return list(store.client.list_objects(store.buckets.originals, prefix=original_key(sha256),
                                          include_version=True))


def test_buckets_have_the_right_protection(object_store):
    client, buckets = object_store.client, object_store.buckets
    for bucket in (buckets.originals, buckets.derived, buckets.records):
        assert client.get_bucket_versioning(bucket).status == ENABLED
    assert client.get_bucket_versioning(buckets.inbox).status != ENABLED
    # SeaweedFS supports object lock; the fallback is for servers that do not.
    assert object_store.originals_locked
    assert client.get_object_lock_config(buckets.originals) == \
        ObjectLockConfig(GOVERNANCE, 3650, DAYS)


def test_ensure_buckets_twice_is_harmless(object_store):
    object_store.ensure_buckets()
    assert object_store.originals_locked


def test_original_round_trip(object_store):
    data, sha = sample()
    key = object_store.put_original(data, sha, "application/pdf")
    assert key == f"{sha[:2]}/{sha}"
    assert object_store.get_original(sha) == data
    assert object_store.get(ref(object_store.buckets.originals, key)) == data


def test_put_original_is_idempotent(object_store):
    data, sha = sample(1000)
    assert object_store.put_original(data, sha, "image/tiff") == \
        object_store.put_original(data, sha, "image/tiff")
    assert len(original_versions(object_store, sha)) == 1


def test_checksum_is_recorded(object_store):
    data, sha = sample(1000)
    assert object_store.original_checksum(sha) is None
    object_store.put_original(data, sha, "application/pdf")
    expected = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert object_store.original_checksum(sha) == expected


def test_bytes_not_matching_the_given_sha256_are_refused(object_store):
    data, _ = sample(1000)
    with pytest.raises(IntegrityError):
        object_store.put_original(data, hashlib.sha256(b"other").hexdigest(), "image/png")


def test_server_rejects_a_wrong_checksum(object_store):
    # Our own check happens before upload, so go one level down to reach the server's check.
    with pytest.raises(IntegrityError):
        object_store._put(object_store.buckets.derived, "x/1/bad.txt", b"sent bytes",
                          "text/plain", sha256_base64(b"other bytes"))
    with pytest.raises(ObjectNotFound):
        object_store.get(ref(object_store.buckets.derived, "x/1/bad.txt"))


def test_damaged_original_is_detected_on_read(object_store):
    data, sha = sample(1000)
    # Simulate damage: other bytes become the latest version under the original's key.
    object_store.client.put_object(object_store.buckets.originals, original_key(sha),
                                   io.BytesIO(b"damaged"), 7)
    with pytest.raises(IntegrityError):
        object_store.get_original(sha)


def test_original_streams_to_a_file(object_store, tmp_path):
    data, sha = sample(3 * 1024 * 1024 + 5)  # several chunks of the stream
    object_store.put_original(data, sha, "application/pdf")
    path = tmp_path / "original"
    object_store.get_original_file(sha, path)
    assert path.read_bytes() == data


def test_damaged_original_streamed_to_a_file_is_refused_and_removed(object_store, tmp_path):
    data, sha = sample(1000)
    object_store.client.put_object(object_store.buckets.originals, original_key(sha),
                                   io.BytesIO(b"damaged"), 7)
    path = tmp_path / "original"
    with pytest.raises(IntegrityError):
        object_store.get_original_file(sha, path)
    assert not path.exists()


def test_original_cut_off_while_streaming_to_a_file_leaves_no_file(object_store, tmp_path):
    data, sha = sample(3 * 1024 * 1024)
    object_store.put_original(data, sha, "application/pdf")
    get_object = object_store.client.get_object

    def cut_off(*args, **kwargs):  # the connection drops after the first chunk
        response = get_object(*args, **kwargs)
        stream = response.stream

        def first_chunk_only(size):
            yield next(stream(size))
            raise urllib3.exceptions.ProtocolError("connection reset by peer")

        response.stream = first_chunk_only
        return response

    object_store.client.get_object = cut_off
    path = tmp_path / "original"
    with pytest.raises(StorageUnavailable):
        object_store.get_original_file(sha, path)
    assert not path.exists()


def test_original_cannot_be_deleted_while_retained(object_store):
    assert object_store.originals_locked  # the session's managed SeaweedFS has it: its absence is a fault
    data, sha = sample(1000)
    object_store.put_original(data, sha, "application/pdf")
    [version] = original_versions(object_store, sha)
    with pytest.raises(S3Error) as refused:
        object_store.client.remove_object(object_store.buckets.originals, original_key(sha),
                                          version_id=version.version_id)
    assert refused.value.code == "AccessDenied"
    assert object_store.get_original(sha) == data


def test_each_record_put_is_a_new_version(object_store):
    texts = [f'{{"id": "r1", "revision": {number}}}' for number in range(3)]
    puts = [object_store.put_record("UBND-VP", "r1", text) for text in texts]
    key = puts[0][0]
    assert key == "UBND-VP/r1.json"
    versions = object_store.record_versions(key)
    assert [v["version_id"] for v in versions] == [version for _, version in reversed(puts)]
    assert [v["is_latest"] for v in versions] == [True, False, False]
    assert object_store.get_record(key) == texts[-1]
    for (_, version_id), text in zip(puts, texts):
        assert object_store.get_record(key, version_id) == text


def test_list_record_keys(object_store):
    for agency, record_id in (("A", "1"), ("A", "2"), ("B", "1")):
        object_store.put_record(agency, record_id, "{}")
    assert sorted(object_store.list_record_keys()) == ["A/1.json", "A/2.json", "B/1.json"]
    assert sorted(object_store.list_record_keys("A")) == ["A/1.json", "A/2.json"]


def test_vietnamese_record_key(object_store):
    agency = unicodedata.normalize("NFD", "Sở Tư pháp Hà Nội")
    text = '{"source_name": "Quyết định số 15 (bản sao).pdf"}'
    key, _ = object_store.put_record(agency, "Quyết định 15", text)
    assert key == unicodedata.normalize("NFC", "Sở Tư pháp Hà Nội/Quyết định 15.json")
    assert object_store.get_record(key) == text
    assert list(object_store.list_record_keys()) == [key]
    assert list(object_store.list_record_keys("Sở Tư pháp Hà Nội")) == [key]
    assert len(object_store.record_versions(key)) == 1


def test_derived_file(object_store):
    _, sha = sample(10)
    key, version_id = object_store.put_derived(sha, "1", "document.pdf", b"%PDF-1.7", "application/pdf")
    assert key == f"{sha}/1/document.pdf"
    assert version_id  # a versioned bucket: the record pins it
    assert object_store.get(ref(object_store.buckets.derived, key)) == b"%PDF-1.7"


def test_derived_file_uploaded_from_disk_with_its_checksum(object_store, tmp_path):
    _, sha = sample(11)
    path = tmp_path / "document.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(300_000))
    key, version_id, digest = object_store.put_derived_file(sha, "1", "document.pdf", path, "application/pdf")
    assert key == f"{sha}/1/document.pdf" and version_id
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert object_store.get(ref(object_store.buckets.derived, key)) == path.read_bytes()
    stored = object_store.client.stat_object(object_store.buckets.derived, key,
                                             extra_headers={"x-amz-checksum-mode": "ENABLED"})
    assert stored.metadata.get("x-amz-checksum-sha256") == sha256_base64(path.read_bytes())


class ReadSizes(io.BytesIO):
    """A stream that remembers the largest read asked of it."""

    largest = 0

    def read(self, size=-1):
        self.largest = max(self.largest, size if size >= 0 else len(self.getvalue()))
        return super().read(size)


def test_a_file_is_uploaded_as_it_is_read_not_held_whole(object_store):
    data = os.urandom(6 * 1024 * 1024 + 17)  # past the SDK's part size: still one verified PUT
    stream = ReadSizes(data)
    version_id = object_store._put_stream(object_store.buckets.derived, "x/1/big.pdf", stream, len(data),
                                          "application/pdf", sha256_base64(data))
    assert version_id and stream.largest <= 1024 * 1024
    assert object_store.get(ref(object_store.buckets.derived, "x/1/big.pdf")) == data
    stored = object_store.client.stat_object(object_store.buckets.derived, "x/1/big.pdf",
                                             extra_headers={"x-amz-checksum-mode": "ENABLED"})
    assert stored.metadata.get("x-amz-checksum-sha256") == sha256_base64(data)


def test_server_rejects_a_streamed_upload_with_a_wrong_checksum(object_store):
    with pytest.raises(IntegrityError):
        object_store._put_stream(object_store.buckets.derived, "x/1/bad.pdf", io.BytesIO(b"sent bytes"), 10,
                                 "application/pdf", sha256_base64(b"other bytes"))
    with pytest.raises(ObjectNotFound):
        object_store.get(ref(object_store.buckets.derived, "x/1/bad.pdf"))


def test_missing_object(object_store):
    with pytest.raises(ObjectNotFound):
        object_store.get_record("nobody/nothing.json")


def closed_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_endpoint_fails_fast(tmp_path):
    settings = StorageSettings(home=tmp_path, s3_endpoint=f"127.0.0.1:{closed_loopback_port()}",
                               s3_access_key="AK", s3_secret_key="SK",
                               s3_connect_timeout=0.5, s3_read_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable):
        ObjectStore.connect(settings)
    assert time.monotonic() - started < 5


def test_a_server_answering_500_is_told_apart_from_an_unreachable_one(tmp_path):
    """SeaweedFS answers 500 when it has no writable volume left: the operator must look at its disk."""
    class Failing(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_PUT = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = StorageSettings(home=tmp_path, s3_endpoint=f"127.0.0.1:{server.server_port}",
                                   s3_access_key="AK", s3_secret_key="SK",
                                   s3_connect_timeout=0.5, s3_read_timeout=1.0)
        with pytest.raises(StorageUnavailable, match="answered with server errors") as raised:
            ObjectStore.connect(settings)
        assert "unreachable" not in str(raised.value)
    finally:
        server.shutdown()
        server.server_close()


def test_large_object_goes_in_one_verified_put(object_store):
    """Above the SDK's 5 MiB part size an upload would turn multipart, which drops the checksum."""
    data = os.urandom(6 * 1024 * 1024 + 17)
    digest = hashlib.sha256(data).hexdigest()
    object_store.put_original(data, digest, "application/pdf")
    assert object_store.get_original(digest) == data
    assert object_store.original_checksum(digest) == sha256_base64(data)
