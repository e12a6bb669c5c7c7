"""prefect.yaml works against a real Prefect server: the deployments register, with the nightly and the weekly
fixity schedules and their no-overlap rule, and an on-demand run processes a batch through a worker."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def prefect_server(tmp_path, s3_settings):
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "SOHOA_HOME": str(s3_settings.home),
        "SOHOA_BUCKET_PREFIX": "deploy",
        "SOHOA_CATALOG_URL": f"sqlite:///{tmp_path / 'catalog.sqlite3'}",
        "SOHOA_PROJECT_DIR": str(ROOT),
    }
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        _wait_healthy(port)
        yield env
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _wait_healthy(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the Prefect server did not become healthy in 60 s")


def _run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def test_deployments_register_and_run(prefect_server):
    env = prefect_server
    prefect = str(BIN / "prefect")
    _run([prefect, "work-pool", "create", "sohoa", "--type", "process", "--overwrite"], env)
    _run([prefect, "--no-prompt", "deploy", "--all"], env)

    def scheduled(name: str) -> dict:
        return json.loads(_run([sys.executable, "-c", (
            "import json, asyncio\n"
            "from prefect.client.orchestration import get_client\n"
            "async def main():\n"
            "    async with get_client() as c:\n"
            f"        d = await c.read_deployment_by_name({name!r})\n"
            "        s = d.schedules[0].schedule\n"
            "        print(json.dumps({'cron': s.cron, 'tz': s.timezone, 'limit': d.global_concurrency_limit.limit,\n"
            "                          'strategy': str(d.concurrency_options.collision_strategy.value)}))\n"
            "asyncio.run(main())\n"
        )], env))

    assert scheduled("nightly/nightly") == {"cron": "0 1 * * *", "tz": "Asia/Ho_Chi_Minh", "limit": 1, "strategy": "CANCEL_NEW"}
    assert scheduled("fixity-check/weekly") == {"cron": "0 3 * * 0", "tz": "Asia/Ho_Chi_Minh", "limit": 1,
                                                "strategy": "CANCEL_NEW"}

    sample = ROOT / "samples" / "batch" / "03 Giấy chứng nhận hộ kinh doanh.png"
    batch_id = _run([sys.executable, "-m", "flows.cli", "ingest", str(sample), "--agency", "H62.deploy"], env).strip()
    _run([prefect, "deployment", "run", "digitise-batch/on-demand", "--param", f"batch_id={batch_id}"], env)
    _run([prefect, "worker", "start", "--pool", "sohoa", "--run-once"], env)
    export = _run([sys.executable, "-m", "flows.cli", "records", "export", "--batch", batch_id], env)
    (record,) = [json.loads(line) for line in export.splitlines()]
    [truth] = [entry for entry in json.loads((ROOT / "samples" / "truth" / "batch.json").read_text(encoding="utf-8"))
               if entry["file"] == sample.name]
    # Read by the worker: the printed personal number, and review exactly when there are reasons.
    assert record["fields"]["holder_id"]["value"] == truth["fields"]["holder_id"] == "026193717845"
    assert record["status"] == ("needs_review" if record["review_reasons"] else "digitised")
