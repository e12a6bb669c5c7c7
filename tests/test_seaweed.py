"""The managed SeaweedFS: loopback only, authenticated, one per home, restartable."""

import io
import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from minio import Minio
from minio.error import S3Error

from storage import seaweed
from storage.seaweed import GRPC_OFFSET
from storage.settings import StorageSettings

pytestmark = pytest.mark.integration

IPV4_LOOPBACK = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def client(endpoint: seaweed.S3Endpoint, secret_key: str | None = None) -> Minio:
    return Minio(endpoint.endpoint, endpoint.access_key, secret_key or endpoint.secret_key,
                 secure=False, region="us-east-1")


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:  # closed while we looked
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes


def listening_sockets(pid: int) -> list[tuple[str, int]]:
    """(hex address, port) of every TCP listener of the process, IPv4 and IPv6."""
    inodes = socket_inodes(pid)
    listeners = []
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A is LISTEN
                address, port = local.rsplit(":", 1)
                listeners.append((address, int(port, 16)))
    return listeners


def test_listens_on_loopback_only(s3_settings):
    seaweed.ensure_running(s3_settings)
    status = seaweed.status(s3_settings)
    expected = set(status["ports"].values())
    expected |= {port + GRPC_OFFSET for port in expected}
    # Readiness means S3 answers; the admin port opens a moment later.
    deadline = time.monotonic() + 10
    while not expected <= {port for _, port in listening_sockets(status["pid"])}:
        assert time.monotonic() < deadline, "SeaweedFS did not open all its ports"
        time.sleep(0.1)
    assert {address for address, _ in listening_sockets(status["pid"])} == {IPV4_LOOPBACK}


def test_anonymous_request_refused(s3_settings):
    endpoint = seaweed.ensure_running(s3_settings)
    client(endpoint).make_bucket("anonymous-check")
    for path in ("/", "/anonymous-check/"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://{endpoint.endpoint}{path}", timeout=5)
        refused.value.close()
        assert refused.value.code == 403


def test_wrong_secret_refused(s3_settings):
    endpoint = seaweed.ensure_running(s3_settings)
    with pytest.raises(S3Error) as refused:
        client(endpoint, secret_key="not-the-secret").list_buckets()
    assert refused.value.code == "SignatureDoesNotMatch"


def test_key_files_are_private(s3_settings):
    for name in ("s3.json", "security.toml"):
        mode = (s3_settings.home / "seaweedfs" / name).stat().st_mode
        assert mode & 0o077 == 0, name


def test_ensure_running_is_idempotent(s3_settings):
    first = seaweed.ensure_running(s3_settings)
    pid = seaweed.status(s3_settings)["pid"]
    assert seaweed.ensure_running(s3_settings) == first
    assert seaweed.status(s3_settings)["pid"] == pid


def test_second_home_is_separate(s3_settings, tmp_path):
    first = seaweed.ensure_running(s3_settings)
    client(first).make_bucket("only-in-first-home")
    other = StorageSettings(home=tmp_path / "other-home", s3_endpoint=None)
    try:
        second = seaweed.ensure_running(other)
        first_ports = set(seaweed.status(s3_settings)["ports"].values())
        second_ports = set(seaweed.status(other)["ports"].values())
        assert not first_ports & second_ports
        names = {bucket.name for bucket in client(second).list_buckets()}
        assert "only-in-first-home" not in names
        # Each home has its own keys: the first home's are refused by the second server.
        with pytest.raises(S3Error):
            Minio(second.endpoint, first.access_key, first.secret_key, secure=False,
                  region="us-east-1").list_buckets()
    finally:
        assert seaweed.stop(other)


def test_restart_keeps_data_and_ports(s3_settings):
    endpoint = seaweed.ensure_running(s3_settings)
    old_pid = seaweed.status(s3_settings)["pid"]
    client(endpoint).make_bucket("restart-check")
    client(endpoint).put_object("restart-check", "kept", io.BytesIO(b"still here"), 10)

    assert seaweed.stop(s3_settings)
    assert not Path(f"/proc/{old_pid}").exists()
    assert seaweed.status(s3_settings)["running"] is False
    assert seaweed.stop(s3_settings) is False

    restarted = seaweed.ensure_running(s3_settings)
    assert seaweed.status(s3_settings)["pid"] != old_pid
    assert restarted.endpoint == endpoint.endpoint
    assert client(restarted).get_object("restart-check", "kept").read() == b"still here"


def test_configured_endpoint_is_returned_as_is(tmp_path):
    settings = StorageSettings(home=tmp_path, s3_endpoint="s3.example.internal:9000",
                               s3_access_key="AK", s3_secret_key="SK", s3_secure=True)
    assert seaweed.ensure_running(settings) == seaweed.S3Endpoint(
        "s3.example.internal:9000", "AK", "SK", secure=True)
    assert not (tmp_path / "seaweedfs").exists()


def test_room_for_many_buckets_whatever_the_free_disk(s3_settings):
    """Every bucket is a collection with a volume of its own; slots counted from free disk ran out at 58."""
    seaweed.ensure_running(s3_settings)
    master = seaweed.status(s3_settings)["ports"]["master"]
    with urllib.request.urlopen(f"http://127.0.0.1:{master}/dir/status", timeout=10) as response:
        topology = json.load(response)["Topology"]
    assert topology["Max"] == seaweed.VOLUME_SLOTS >= 500
