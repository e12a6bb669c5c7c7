"""The progress report published as Prefect artifacts, read back from a throwaway Prefect API."""

from __future__ import annotations

import json
from datetime import date

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey
from prefect.context import get_run_context

from flows.digitise import digitise_batch, publish_progress
from flows.reports import PROGRESS_ARTIFACT, SUMMARY_ARTIFACT
from progress_data import PROVINCE, fill_catalog

pytestmark = pytest.mark.integration


def artifacts(flow_run_id) -> dict:
    """The run's artifacts by key."""
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]),
            key=ArtifactFilterKey(any_=[PROGRESS_ARTIFACT, SUMMARY_ARTIFACT]),
        ))
    return {artifact.key: artifact for artifact in found}


def test_progress_table_and_summary(prefect_harness, tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_TARGET_DATE", date.today().isoformat())  # due today: every agency with work left is behind
    catalog = fill_catalog(f"sqlite:///{tmp_path / 'catalog.sqlite3'}")

    @flow
    def report_flow():
        return publish_progress(catalog), get_run_context().flow_run.id

    report, run_id = report_flow()
    published = artifacts(run_id)
    table = published[PROGRESS_ARTIFACT]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    by_agency = {row["cơ quan"]: row for row in rows}
    assert by_agency[PROVINCE]["cần số hóa"] == "8" and by_agency[PROVINCE]["còn thiếu"] == "5"
    assert by_agency["tổng"]["đã số hóa"] == str(report.total.digitised) == "5"
    summary = published[SUMMARY_ARTIFACT]
    assert summary.type == "markdown"
    assert f"đã số hóa: 5 ({report.total.percent_done}%)" in summary.data
    late = [row.group for row in report.rows if row.status == "behind"]
    assert len(late) == 3 and all(group in summary.data for group in late)  # the agencies behind are named
    catalog.close()


def test_digitise_batch_publishes_progress(prefect_harness, sohoa_env):
    state = digitise_batch(batch_id="no-such-batch", return_state=True)
    assert state.is_completed()
    published = artifacts(state.state_details.flow_run_id)
    assert set(published) == {PROGRESS_ARTIFACT, SUMMARY_ARTIFACT}
