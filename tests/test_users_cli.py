"""`sohoa users` and `sohoa desk serve` as an operator runs them: `python -m flows.cli` in a
subprocess, passwords on standard input, the catalog a SQLite file under SOHOA_HOME."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from conftest import own_home_env, sohoa_cli as sohoa

from storage import seaweed
from storage.catalog import Catalog, utc_now
from storage.settings import StorageSettings

AGENCY = "TK.26.248.08914"
PASSWORD = "mật khẩu của Lan 2026"




@pytest.fixture
def home(tmp_path):
    """A SOHOA_HOME whose catalog knows one agency."""
    home = tmp_path / "home"
    home.mkdir()
    catalog = Catalog(f"sqlite:///{home / 'catalog.sqlite3'}")
    catalog.upsert_agencies([{"code": AGENCY, "name": "Ủy ban nhân dân xã Hồ Sơn"}])
    catalog.close()
    return home


def users(home) -> list[dict]:
    result = sohoa(home, "users", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def verify(home, name: str, password: str):
    catalog = Catalog(f"sqlite:///{home / 'catalog.sqlite3'}")
    try:
        return catalog.users.verify(name, password, utc_now())
    finally:
        catalog.close()


def test_add_list_passwd_and_disable(home):
    added = sohoa(home, "users", "add", "Nguyễn Thị Lan", "--role", "clerk", "--agency", AGENCY,
                  stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.returncode == 0, added.stderr
    assert "Nguyễn Thị Lan added (clerk of TK.26.248.08914)" in added.stderr
    assert sohoa(home, "users", "add", "giám sát", "--role", "supervisor",
                 stdin="mật khẩu thứ hai\r\nmật khẩu thứ hai\r\n").returncode == 0  # Windows line ends
    listed = users(home)
    assert [(u["name"], u["role"], u["agency"], u["disabled_at"]) for u in listed] == [
        ("giám sát", "supervisor", None, None), ("Nguyễn Thị Lan", "clerk", AGENCY, None)]
    assert PASSWORD not in json.dumps(listed, ensure_ascii=False) and "argon2" not in json.dumps(listed)
    # Hashed with the library's full default cost, and the password works.
    catalog = Catalog(f"sqlite:///{home / 'catalog.sqlite3'}")
    try:
        assert catalog.users.get("Nguyễn Thị Lan").password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    finally:
        catalog.close()
    assert verify(home, "Nguyễn Thị Lan", PASSWORD) is not None
    assert verify(home, "giám sát", "mật khẩu thứ hai") is not None

    changed = sohoa(home, "users", "passwd", "nguyễn thị lan", stdin="mật khẩu mới hơn\nmật khẩu mới hơn\n")
    assert changed.returncode == 0, changed.stderr
    assert verify(home, "Nguyễn Thị Lan", PASSWORD) is None
    assert verify(home, "Nguyễn Thị Lan", "mật khẩu mới hơn") is not None

    disabled = sohoa(home, "users", "disable", "Nguyễn Thị Lan")
    assert disabled.returncode == 0, disabled.stderr
    assert verify(home, "Nguyễn Thị Lan", "mật khẩu mới hơn") is None
    assert next(u for u in users(home) if u["role"] == "clerk")["disabled_at"]


@pytest.mark.parametrize("args, stdin, refusal", [
    (["--role", "clerk", "--agency", AGENCY], f"{PASSWORD}\n{PASSWORD}x\n", "differ"),
    (["--role", "clerk", "--agency", AGENCY], "ngắn quá\nngắn quá\n", "at least 10"),
    (["--role", "clerk", "--agency", AGENCY], "", "at least 10"),  # nothing on standard input
    (["--role", "clerk"], f"{PASSWORD}\n{PASSWORD}\n", "agency"),
    (["--role", "clerk", "--agency", "NO.SUCH"], f"{PASSWORD}\n{PASSWORD}\n", "no agency NO.SUCH"),
    (["--role", "admin", "--agency", AGENCY], f"{PASSWORD}\n{PASSWORD}\n", "leave out --agency"),
    (["--role", "root"], f"{PASSWORD}\n{PASSWORD}\n", "root"),
])
def test_add_refusals_exit_1_and_add_nobody(home, args, stdin, refusal):
    result = sohoa(home, "users", "add", "Lan", *args, stdin=stdin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert refusal in " ".join(result.stderr.split()), result.stderr
    assert users(home) == []


def test_a_second_user_of_the_same_name_and_unknown_users_are_refused(home):
    assert sohoa(home, "users", "add", "Lan", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n").returncode == 0
    again = sohoa(home, "users", "add", "LAN", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.returncode == 1 and "already a user Lan" in again.stderr
    for command in (["disable", "Bình"], ["passwd", "Bình"]):
        result = sohoa(home, "users", *command, stdin=f"{PASSWORD}\n{PASSWORD}\n")
        assert result.returncode == 1 and "no user Bình" in result.stderr
    short = sohoa(home, "users", "passwd", "Lan", stdin="ngắn\nngắn\n")
    assert short.returncode == 1 and verify(home, "Lan", PASSWORD) is not None


def test_desk_serve_refuses_a_remote_address_without_allow_remote(home):
    result = sohoa(home, "desk", "serve", "--host", "0.0.0.0")
    assert result.returncode == 1 and "not a loopback address" in " ".join(result.stderr.split())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.integration
def test_desk_serve_lets_an_added_user_log_in(home):
    assert sohoa(home, "users", "add", "Lan", "--role", "supervisor", stdin=f"{PASSWORD}\n{PASSWORD}\n").returncode == 0
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "flows.cli", "desk", "serve", "--port", str(port)],
                              env=own_home_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=base, timeout=5) as browser:
            while True:
                try:
                    form = browser.get("/dang-nhap")
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.communicate()[1]
                    assert time.monotonic() < deadline, "the desk did not come up"
                    time.sleep(0.2)
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
            browser.post("/dang-nhap", data={"name": "Lan", "password": PASSWORD, "csrf": csrf})
            home_page = browser.get("/")
            assert home_page.status_code == 200 and "Xin chào, Lan" in home_page.text
    finally:
        os.kill(server.pid, signal.SIGTERM)
        _stdout, stderr = server.communicate(timeout=30)
        # `desk serve` started the home's managed SeaweedFS (it outlives commands): stop it too.
        sohoa(home, "services", "down")
    assert "serving the review desk on http://127.0.0.1" in stderr
    assert not seaweed.status(StorageSettings(home=home))["running"]
    log = (home / "logs" / "sohoa.log").read_text(encoding="utf-8")
    assert "POST /dang-nhap 303" in log and PASSWORD not in log
