"""`sohoa api`: tokens from the command line, the audit listing, and the server as a process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timezone

import httpx
import pytest
from conftest import own_home_env, sohoa_cli as sohoa

from storage.catalog import Catalog
from storage.records import Record, RecordField, RecordFiles

AGENCY = "TK.26.248.08914"
PERSON = "026085001234"  # a made-up personal number
MASKED = "026*******34"




@pytest.fixture
def home(tmp_path):
    """A SOHOA_HOME whose catalog knows one agency and holds one digitised result of PERSON."""
    home = tmp_path / "home"
    home.mkdir()
    catalog = Catalog(f"sqlite:///{home / 'catalog.sqlite3'}")
    catalog.upsert_agencies([{"code": AGENCY, "name": "Ủy ban nhân dân xã Hồ Sơn", "level": "commune",
                              "parent": None, "successor": None, "valid_from": None, "valid_to": None}])
    moment = datetime(2025, 9, 1, tzinfo=timezone.utc)
    catalog.save(Record(
        id="r1", batch_id="b1", batch_name="lô 1", agency=AGENCY, source_name="1.pdf", source_path="lô/1.pdf",
        sha256="1" * 64, size_bytes=1, media_type="application/pdf", status="digitised",
        files=RecordFiles(original="o/1"), ingested_at=moment, processed_at=moment,
        fields={"holder_id": RecordField(value=PERSON, confidence=0.9),
                "valid_until": RecordField(value=date(2099, 1, 1).isoformat(), confidence=0.9)},
    ), "k1")
    catalog.close()
    return home


def create_token(home, *args: str) -> str:
    result = sohoa(home, "api", "token", "create", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_tokens_are_created_listed_and_revoked(home):
    token = create_token(home, "--role", "agency", "--agency", AGENCY, "--name", "Xã Hồ Sơn")
    assert len(token) >= 40 and "\n" not in token
    created = sohoa(home, "api", "token", "create", "--role", "supervisor", "--name", "Sở Nội vụ")
    assert "shown only this once" in created.stderr
    listed = json.loads(sohoa(home, "api", "token", "list", "--format", "json").stdout)
    assert [(t["id"], t["name"], t["role"], t["agency"], t["revoked_at"]) for t in listed] == [
        (1, "Xã Hồ Sơn", "agency", AGENCY, None), (2, "Sở Nội vụ", "supervisor", None, None)]
    assert token not in json.dumps(listed)
    assert sohoa(home, "api", "token", "revoke", "1").returncode == 0
    listed = json.loads(sohoa(home, "api", "token", "list", "--format", "json").stdout)
    assert listed[0]["revoked_at"] is not None and listed[1]["revoked_at"] is None
    assert sohoa(home, "api", "token", "revoke", "9").returncode == 1


@pytest.mark.parametrize("args", [
    ["api", "token", "create", "--role", "agency", "--name", "x"],  # no --agency
    ["api", "token", "create", "--role", "agency", "--agency", "NO.SUCH", "--name", "x"],
    ["api", "token", "create", "--role", "root", "--name", "x"],
    ["api", "serve", "--host", "0.0.0.0"],  # remote without --allow-remote
    ["api", "audit", "--holder", "12ab"],
])
def test_usage_errors_exit_1(home, args):
    result = sohoa(home, *args)
    assert result.returncode == 1, result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_over_http_and_the_audit_shows_the_lookup(home):
    token = create_token(home, "--role", "supervisor", "--name", "Sở Nội vụ")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "flows.cli", "api", "serve", "--port", str(port)],
                              env=own_home_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/health", headers=headers, timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        assert health.json()["role"] == "supervisor"
        assert httpx.get(f"{base}/health", timeout=5).status_code == 401
        found = httpx.post(f"{base}/holders/records", json={"holder_id": PERSON}, headers=headers, timeout=5).json()
        assert [r["id"] for r in found["records"]] == ["r1"] and found["holder"] == MASKED
        docs = httpx.get(f"http://127.0.0.1:{port}/docs", headers=headers, timeout=5)
        assert docs.status_code == 200 and "POST /api/v1/holders/records" in docs.text
    finally:
        os.kill(server.pid, signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=30)
    log = (home / "logs" / "sohoa.log").read_text(encoding="utf-8")
    assert "POST /api/v1/holders/records 200" in log
    assert PERSON not in log + stdout + stderr
    audit = sohoa(home, "api", "audit", "--format", "json", "--holder", PERSON)
    [entry] = json.loads(audit.stdout)
    assert (entry["token_name"], entry["action"], entry["holder"], entry["results"], entry["client"]) == (
        "Sở Nội vụ", "holder_records", MASKED, 1, "127.0.0.1")
    assert PERSON not in audit.stdout
    # `--holder -` takes the number from standard input, out of the shell history.
    piped = subprocess.run([sys.executable, "-m", "flows.cli", "api", "audit", "--format", "json", "--holder", "-"],
                           env=own_home_env(home), input=PERSON + "\n", capture_output=True, text=True, timeout=120)
    assert json.loads(piped.stdout) == [entry]
    assert json.loads(sohoa(home, "api", "audit", "--format", "json", "--holder", "026085009999").stdout) == []
