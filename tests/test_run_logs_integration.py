"""A deployed flow run's logs, as the Prefect UI shows them, carry sohoa's line for each document
(flows/run_logs.py): the flow run in a process of its own, with the environment prefect.yaml gives
every deployment, reporting to the session's Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import services_env
from test_workers_integration import AGENCY, born_digital_decision

from flows.intake import ingest
from flows.run_logs import SOHOA_LOGGERS

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
RUN = """
import sys
from flows.digitise import digitise_batch
print(digitise_batch(sys.argv[1], return_state=True).state_details.flow_run_id)
"""


def deployment_env() -> dict[str, str]:
    """The environment prefect.yaml's work pool gives every deployment's flow runs."""
    deployments = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    envs = [deployment["work_pool"]["job_variables"]["env"] for deployment in deployments]
    assert all(env == envs[0] for env in envs)
    return envs[0]


def test_every_deployment_sends_sohoas_loggers_to_the_api():
    assert deployment_env()["PREFECT_LOGGING_EXTRA_LOGGERS"].split(",") == list(SOHOA_LOGGERS)


def test_a_flow_runs_logs_name_each_documents_outcome(tmp_path, s3_settings, tmp_path_factory, prefect_harness):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.settings import PREFECT_API_URL

    with services_env(s3_settings, tmp_path_factory, "run-logs") as services:
        folder = tmp_path / "hộp 7"
        folder.mkdir()
        born_digital_decision(folder / "quyết định 7.pdf", 7)
        batch = ingest([folder], AGENCY, services, batch_name="hộp 7").batch_id
        env = {**os.environ, **deployment_env(), "PREFECT_API_URL": PREFECT_API_URL.value()}
        run = subprocess.run([sys.executable, "-c", RUN, batch], env=env, cwd=ROOT, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]
        flow_run_id = run.stdout.strip().splitlines()[-1]
        (record,) = services.catalog.records(batch)
        assert record.status in ("digitised", "needs_review"), record.error

    line = f"{record.source_path}: {record.status} (worker "
    with get_client(sync_client=True) as client:
        deadline = time.monotonic() + 30  # the server writes a batch of logs a moment after it comes
        while True:
            logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
            if any(log.message.startswith(line) for log in logs) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    found = [log for log in logs if log.message.startswith(line)]
    assert [(log.name, log.level) for log in found] == [("flows.steps", 20)], [log.message for log in logs]
    assert found[0].task_run_id is not None, "the line belongs to the document's task run"
