"""`sohoa` commands run as an operator runs them, in a temporary SOHOA_HOME with its managed SeaweedFS:
wall seconds, CPU seconds and peak memory (PSS) of the commands' process trees.

CPU seconds are the commands' own (user + system of each command and every process it waited for:
Tesseract, Ghostscript), from `wait4`, so other engineers' load on the machine does not count. The
S3 server and the Prefect server are processes of their own (they would be on another machine), in
neither figure; the S3 server's CPU seconds over the same time are reported apart, from /proc.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.process_memory import PeakMemory

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "flows.cli"]
# Settings of the caller's shell that would point a run elsewhere than the temporary home.
FOREIGN = ("SOHOA_S3_ENDPOINT", "SOHOA_CATALOG_URL", "SOHOA_ENGINE", "SOHOA_DASK_ADDRESS", "PREFECT_API_URL")


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # the commands' process trees
    peak_bytes: int  # PSS of the commands' trees, summed at each sample
    storage_cpu_seconds: float  # the managed SeaweedFS over the same time
    last_lines: list[str]  # each command's last line of output (`sohoa process`: the status counts)


@contextlib.contextmanager
def prefect_server(home: Path, timeout: float = 600) -> Iterator[str]:
    """A Prefect server of its own on loopback, as a deployment has one (a run with no
    PREFECT_API_URL would start a temporary one each, inside its tree); yields its API URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    home.mkdir(parents=True, exist_ok=True)
    log = (home / "server.log").open("wb")
    server = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + timeout  # migrations of a new database, on a loaded machine
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Prefect server did not start; see {home / 'server.log'}") from None
                time.sleep(1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


class Home:
    """A temporary SOHOA_HOME (its own Prefect home too, so that runs touch nobody's ~/.prefect)."""

    def __init__(self, root: Path, **settings: str) -> None:
        self.root = root
        self.env = {key: value for key, value in os.environ.items() if key not in FOREIGN}
        self.env.update(SOHOA_HOME=str(root), PREFECT_HOME=str(root / "prefect"), **settings)

    def cli(self, *args: str) -> str:
        """A command's standard output; raises with its error output when it fails."""
        done = subprocess.run([*CLI, *args], env=self.env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"sohoa {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout.strip()

    def run_at_once(self, args: list[str], settings: list[dict[str, str]]) -> Run:
        """`sohoa *args` once per entry of `settings` (extra environment), all started together;
        returns when all have ended, raising if one failed."""
        weed = self._storage_pid()
        weed_before = _cpu_of(weed)
        logs = [self.root / f"run-{index}.log" for index in range(len(settings))]
        started = time.perf_counter()
        children = []
        for extra, log in zip(settings, logs):
            with log.open("wb") as output:
                children.append(subprocess.Popen([*CLI, *args], env={**self.env, **extra}, cwd=ROOT,
                                                 stdout=output, stderr=subprocess.STDOUT))
        with PeakMemory(*(child.pid for child in children)) as memory:
            cpu, failed = 0.0, []
            for child, log in zip(children, logs):
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, for its rusage
                cpu += usage.ru_utime + usage.ru_stime
                if child.returncode != 0:
                    failed.append(f"exit status {child.returncode}: {log.read_text()[-2000:]}")
        seconds = time.perf_counter() - started
        if failed:
            raise RuntimeError(f"sohoa {' '.join(args)} failed: " + "; ".join(failed))
        last_lines = [(log.read_text().strip().splitlines() or [""])[-1] for log in logs]
        return Run(seconds, cpu, memory.peak, _cpu_of(weed) - weed_before, last_lines)

    def close(self) -> None:
        subprocess.run([*CLI, "services", "down"], env=self.env, cwd=ROOT, check=True, capture_output=True)

    def _storage_pid(self) -> int:
        return json.loads((self.root / "seaweedfs" / "server.json").read_text())["pid"]


def _cpu_of(pid: int) -> float:
    """User + system seconds of a live process (and of its children it waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    # After the command's name: utime, stime, cutime, cstime are fields 14 to 17 of proc(5).
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
