"""A throwaway PostgreSQL server for the tests: Debian's `postgresql` binaries, a cluster made
by initdb in a temporary folder, listening on a free loopback port and a socket in that folder.

initdb refuses to run as root, so as root (CI) the cluster belongs to the `postgres` user the
package created and its commands run through `runuser`.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

USER = "sohoa"  # the cluster's superuser; trust authentication, loopback only


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder (/usr/lib/postgresql/<major>/bin)."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, default=None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="sohoa-pg-"))
        self.owner = "postgres" if os.geteuid() == 0 else getpass.getuser()
        if os.geteuid() == 0:
            shutil.chown(self.root, self.owner)
        self.data = self.root / "data"
        self.port = free_port()

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.owner, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.root / "server.log"
            raise RuntimeError(f"{program} failed: {result.stderr.strip()}"
                               + (f"\n{log.read_text()[-2000:]}" if log.exists() else ""))

    def start(self) -> PostgresCluster:
        try:
            self._start()
        except BaseException:
            # pg_ctl may give up waiting (or be interrupted) with the server up: stop it, if any.
            with contextlib.suppress(Exception):
                self._stop("immediate")
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        return self

    def _start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        # Durability is not what is tested: without fsync the throwaway cluster is much faster.
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        try:
            try:
                self._stop("fast")
            except Exception:
                self._stop("immediate")  # removing the folder under a running server leaves it running
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _stop(self, mode: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database of this cluster."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        return self.url(name)
