"""“Đọc ngay” (read now): a clerk has an uploaded batch read at once instead of at the nightly run.

The desk reads nothing itself (OCR would take the web server's two cores from everyone using it):
it asks Prefect for a run of the on-demand deployment (prefect.yaml) with the drop's name as its
`drop` parameter, and a worker takes the drop with the nightly run's checks and reads the batch it
becomes (flows/digitise.py). Pressing twice finds the drop's run already waiting or running
(`drop` parameter) instead of starting another; across desk processes, the idempotency key
numbered by the drop's earlier runs (each carries a tag naming its drop) gives both presses the
same run. The batch list shows each drop's latest run. When Prefect cannot be reached or the deployment is
missing, the clerk reads that the batch will be read at the nightly run and the log says what to fix.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Protocol
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from flows.drops import DropSettings, DropView, drop_name, list_drops, split_drop_name
from web.api import loggable_path
from web.desk.sessions import SignedIn, csrf_checked
from web.desk.settings import DeskSettings

log = logging.getLogger("sohoa.desk")
router = APIRouter()

DROP_PARAMETER = "drop"  # flows/digitise.py:digitise_batch's
TAG, DROP_TAG = "sohoa-desk", "sohoa-drop:"
RUNS_SHOWN = 200  # the latest runs the batch list looks through for each drop's state

# Prefect's state names (the type's, or a finer one such as Late) in words for a clerk.
STATE_LABELS = {
    "SCHEDULED": "Đang chờ máy xử lý", "Late": "Đang chờ máy xử lý (chậm)",
    "AwaitingConcurrencySlot": "Đang chờ lô trước đọc xong", "PENDING": "Sắp đọc", "RUNNING": "Đang đọc",
    "COMPLETED": "Đã đọc xong", "FAILED": "Đọc không thành công", "CRASHED": "Đọc bị gián đoạn",
    "CANCELLED": "Đã hủy", "CANCELLING": "Đang hủy", "PAUSED": "Tạm dừng",
}
ACTIVE = ("SCHEDULED", "PENDING", "RUNNING", "PAUSED", "CANCELLING")
NOTICES = {
    "started": ("notice", "Đã bắt đầu đọc lô {drop}. Trạng thái hiện ở bảng dưới; tải lại trang để cập nhật."),
    "running": ("notice", "Lô {drop} đang được đọc hoặc đang chờ đọc; không cần bấm lại."),
    "nightly": ("error", "Chưa đọc ngay được lô {drop}: hệ thống xử lý đang bận hoặc chưa sẵn sàng. "
                         "Lô sẽ được đọc ở lần chạy hằng đêm; không cần tải lên lại."),
    "gone": ("error", "Lô {drop} không còn trong danh sách chờ nhận: có thể đã được nhận. Xem bảng “Đã nhận”."),
    "not_ready": ("error", "Lô {drop} chưa đọc được: xem cột Lý do ở bảng “Đang chờ nhận”."),
}


class StarterUnavailable(Exception):
    """No run could be started or read (Prefect away, the deployment missing); the message says
    what an operator should fix."""


@dataclass(frozen=True)
class RunView:
    drop: str
    id: str
    state_type: str  # SCHEDULED, RUNNING, COMPLETED ...
    state_name: str  # finer: Late, AwaitingConcurrencySlot ...

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state_name) or STATE_LABELS.get(self.state_type, self.state_name)

    @property
    def active(self) -> bool:
        return self.state_type in ACTIVE


class RunStarter(Protocol):
    def start(self, drop: str) -> tuple[RunView, bool]:
        """The drop's run: a new one (True), or the one already waiting or running (False)."""

    def latest_runs(self) -> dict[str, RunView]:
        """Per drop name, the latest run the desk started."""


class PrefectStarter:
    """Runs of a Prefect deployment (`flow name/deployment name`), through the configured API."""

    def __init__(self, deployment: str, timeout: float = 5.0):
        from prefect.settings import PREFECT_API_URL

        self.deployment = deployment
        self.timeout = timeout
        # The API configured where the desk starts: its requests are served in other threads,
        # whose Prefect settings context is the process's default.
        self.api_url = PREFECT_API_URL.value()
        self._lock = threading.Lock()  # two presses in this process: the second sees the first's run

    def start(self, drop: str) -> tuple[RunView, bool]:
        from prefect.deployments import run_deployment

        with self._lock, self._api() as client:
            deployment = client.read_deployment_by_name(self.deployment)
            # Any run of the drop waiting or reading, started here or with `prefect deployment run`.
            active = next((run for run in self._runs(client, deployment.id, states=ACTIVE) if run.drop == drop), None)
            if active is not None:
                return active, False
            # Counted, not read: a read stops at the API's page size (200), and the key would repeat.
            earlier = client.count_flow_runs(flow_run_filter=_runs_filter(deployment.id, tags=[DROP_TAG + drop]))
            flow_run = run_deployment(self.deployment, parameters={DROP_PARAMETER: drop}, timeout=0,
                                      tags=[TAG, DROP_TAG + drop], as_subflow=False,
                                      idempotency_key=f"{TAG} {drop} #{earlier + 1}")
            return _view(drop, flow_run), True

    def latest_runs(self) -> dict[str, RunView]:
        with self._api() as client:
            deployment = client.read_deployment_by_name(self.deployment)
            latest: dict[str, RunView] = {}
            for run in self._runs(client, deployment.id, limit=RUNS_SHOWN):
                latest.setdefault(run.drop, run)  # newest first
            return latest

    def _runs(self, client, deployment_id, states: tuple[str, ...] | None = None,
              limit: int | None = None) -> list[RunView]:
        """The deployment's runs that name a drop, newest first."""
        from prefect.client.schemas.sorting import FlowRunSort

        runs = client.read_flow_runs(flow_run_filter=_runs_filter(deployment_id, states=states),
                                     sort=FlowRunSort.EXPECTED_START_TIME_DESC, limit=limit)
        return [_view(run.parameters[DROP_PARAMETER], run) for run in runs
                if isinstance(run.parameters.get(DROP_PARAMETER), str)]

    @contextlib.contextmanager
    def _api(self) -> Iterator:
        """A client that gives up after `timeout` seconds and one retry: a clerk waits for the answer."""
        from prefect.client.orchestration import get_client
        from prefect.exceptions import ObjectNotFound
        from prefect.settings import (
            PREFECT_API_REQUEST_TIMEOUT,
            PREFECT_API_URL,
            PREFECT_CLIENT_MAX_RETRIES,
            temporary_settings,
        )

        if not self.api_url:  # Prefect would start a server of its own in the desk's process
            raise StarterUnavailable("no Prefect API configured: set PREFECT_API_URL where the desk runs")
        settings = {PREFECT_API_URL: self.api_url, PREFECT_API_REQUEST_TIMEOUT: self.timeout,
                    PREFECT_CLIENT_MAX_RETRIES: 1}
        try:
            with temporary_settings(settings), get_client(sync_client=True) as client:
                yield client
        except ObjectNotFound:
            raise StarterUnavailable(f"Prefect has no deployment {self.deployment}: run `prefect --no-prompt deploy "
                                     "--all` in the project folder, or set SOHOA_DESK_TAKE_NOW_DEPLOYMENT") from None
        except Exception as exc:  # httpx's, Prefect's: the API did not answer as it should
            raise StarterUnavailable(f"Prefect API not reachable ({type(exc).__name__}: {exc}): start it "
                                     "(`prefect server start`) or correct PREFECT_API_URL") from exc


def _runs_filter(deployment_id, tags: list[str] | None = None, states: tuple[str, ...] | None = None):
    """The deployment's runs (with all these tags, in one of these state types)."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
        FlowRunFilterTags,
    )
    from prefect.client.schemas.objects import StateType

    return FlowRunFilter(
        deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]),
        tags=FlowRunFilterTags(all_=tags) if tags else None,
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType(s) for s in states])) if states else None)


def _view(drop: str, flow_run) -> RunView:
    state = flow_run.state
    return RunView(drop=drop, id=str(flow_run.id), state_type=state.type.value if state else "SCHEDULED",
                   state_name=state.name if state else "Scheduled")


def starter_from(settings: DeskSettings) -> RunStarter | None:
    deployment = settings.take_now_deployment
    return PrefectStarter(deployment, settings.take_now_timeout_seconds) if deployment else None


@dataclass
class TakeNowView:
    """What the batch list shows of it: the button (when a starter is configured), each drop's
    latest run, and the outcome of the last press."""

    enabled: bool = False
    runs: dict[str, RunView] = field(default_factory=dict)
    notice: tuple[str, str] | None = None  # (css class, Vietnamese text)

    def run(self, agency: str, batch: str) -> RunView | None:
        return self.runs.get(drop_name(agency, batch))

    def offers(self, drop: DropView) -> bool:
        """The button on a drop's row: a run would take it, and none of its runs waits or reads."""
        run = self.run(drop.agency, drop.batch)
        return self.enabled and (run is None or not run.active) and _takeable(drop)


def _takeable(drop: DropView) -> bool:
    """A run would take the drop: ready, or still being copied (the run waits until it settles);
    not one it would leave or reject (the drop's row says why)."""
    return drop.state == "ready" or (drop.state == "waiting" and drop.code == "still_writing")


def batches_view(request: Request) -> TakeNowView:
    starter: RunStarter | None = request.app.state.run_starter
    view = TakeNowView(enabled=starter is not None)
    outcome, drop = request.query_params.get("doc_ngay"), request.query_params.get("lo_doc", "")
    if outcome in NOTICES:
        kind, text = NOTICES[outcome]
        view.notice = (kind, text.format(drop=drop))
    if starter is not None:
        try:
            view.runs = starter.latest_runs()
        except StarterUnavailable as exc:
            log.warning("batch list without the states of its runs: %s", exc)
    return view


@router.post("/lo/doc-ngay")
async def take_now(request: Request, signed: Annotated[SignedIn, Depends(csrf_checked)]) -> Response:
    if request.app.state.run_starter is None:
        raise HTTPException(status_code=404)
    posted = (await request.form()).get("lo")  # read once already by csrf_checked: Starlette keeps it
    try:
        agency, batch = split_drop_name(posted if isinstance(posted, str) else "")
    except ValueError:
        raise HTTPException(status_code=400, detail="Tên lô không hợp lệ.") from None
    if signed.agency is not None and agency != signed.agency:  # another agency's drop: as if none
        raise HTTPException(status_code=404)
    name = drop_name(agency, batch)
    outcome = await run_in_threadpool(_start, request, signed, agency, batch)  # lists the inbox, asks Prefect
    return RedirectResponse(f"/lo?{urlencode({'doc_ngay': outcome, 'lo_doc': name})}", status_code=303)


def _start(request: Request, signed: SignedIn, agency: str, batch: str) -> str:
    """The outcome of a press, one of NOTICES."""
    desk, name = request.app.state, drop_name(agency, batch)
    listing = list_drops(desk.catalog, desk.store, DropSettings())
    drop = next((d for d in listing.drops if (d.agency, d.batch) == (agency, batch)), None)
    if drop is None and listing.problems:
        log.error("read-now of drop %s not started, the drops could not be listed: %s", loggable_path(name),
                  loggable_path("; ".join(listing.problems)))
        return "nightly"
    if drop is None:
        return "gone"
    if not _takeable(drop):
        return "not_ready"
    try:
        run, started = desk.run_starter.start(name)
    except StarterUnavailable as exc:
        log.error("read-now of drop %s not started, left for the nightly run: %s", loggable_path(name), exc)
        return "nightly"
    log.info("read-now of drop %s by user %d: flow run %s %s", loggable_path(name), signed.user.id, run.id,
             "started" if started else "already waiting or running")
    return "started" if started else "running"
