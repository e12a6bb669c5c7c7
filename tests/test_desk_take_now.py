"""“Đọc ngay” on the desk's batch list (`POST /lo/doc-ngay`), with a fake run starter in place of
Prefect: who may start which drop, when the button shows, what the clerk reads when Prefect is
away, and the state of each drop's run on the list. Drops sit in a drop folder (SOHOA_DROP_DIR);
tests/test_take_now_integration.py starts real runs on a real Prefect server."""

from __future__ import annotations

import logging
import os
import re
import unicodedata

import pytest
from fastapi.testclient import TestClient

from test_desk_accounts import form_csrf
from test_desk_batches import T0, AGENCY_A, AGENCY_B, CLERK_A, CLERK_B, SUPERVISOR, add_people, logged_in, row_of, text_of

from flows.drops import drop_name, split_drop_name
from storage.records import Record
from web.desk.settings import DeskSettings
from web.desk.take_now import RunView, StarterUnavailable

READY_DROP, FRESH_DROP, UNMARKED_DROP = f"{AGENCY_A}/Hộp 1", f"{AGENCY_A}/Hộp 2", f"{AGENCY_A}/Hộp 3"
OTHER_DROP = f"{AGENCY_B}/Hộp 7"


class FakeStarter:
    """Keeps the runs it was asked for; a drop's run stays scheduled (no worker) unless told."""

    def __init__(self, unavailable: str | None = None):
        self.unavailable = unavailable
        self.started: list[str] = []
        self.runs: dict[str, RunView] = {}

    def start(self, drop: str) -> tuple[RunView, bool]:
        if self.unavailable:
            raise StarterUnavailable(self.unavailable)
        if drop in self.runs and self.runs[drop].active:
            return self.runs[drop], False
        self.started.append(drop)
        self.runs[drop] = RunView(drop, f"run-{len(self.started)}", "SCHEDULED", "Scheduled")
        return self.runs[drop], True

    def latest_runs(self) -> dict[str, RunView]:
        if self.unavailable:
            raise StarterUnavailable(self.unavailable)
        return dict(self.runs)


@pytest.fixture
def desk(catalog, tmp_path, monkeypatch):
    """People of two agencies, and a drop folder with: a complete drop settled long ago (ready), a
    complete one just written (still being copied, for all the desk knows), one with no marker,
    and a drop of the other agency."""
    add_people(catalog)
    monkeypatch.setenv("SOHOA_DROP_DIR", str(tmp_path / "drops"))
    monkeypatch.setenv("SOHOA_DROP_QUIET_SECONDS", "3600")
    for drop, marked in ((READY_DROP, True), (FRESH_DROP, True), (UNMARKED_DROP, False), (OTHER_DROP, True)):
        folder = tmp_path / "drops" / drop
        folder.mkdir(parents=True)
        (folder / "công văn.pdf").write_bytes(b"%PDF-1.4 test")
        if marked:
            (folder / "_READY").write_bytes(b"")
    settled = tmp_path / "drops" / READY_DROP
    for path in [*settled.iterdir(), settled]:  # changed two hours ago: ready
        os.utime(path, (path.stat().st_atime - 7200, path.stat().st_mtime - 7200))
    return catalog


def with_starter(catalog, starter, name: str = CLERK_A) -> TestClient:
    client = logged_in(catalog, name=name, settings=DeskSettings(take_now_deployment="digitise-batch/on-demand"))
    client.app.state.run_starter = starter
    return client


def press(client: TestClient, drop: str, csrf: str | None = None):
    csrf = csrf if csrf is not None else form_csrf(client.get("/lo").text)
    return client.post("/lo/doc-ngay", data={"lo": drop, "csrf": csrf}, follow_redirects=False)


def buttons(page: str) -> list[str]:
    return re.findall(r'action="/lo/doc-ngay">.*?name="lo" value="([^"]+)"', page)


def test_the_button_shows_on_drops_the_run_would_take(desk, caplog):
    clerk = with_starter(desk, FakeStarter())
    page = clerk.get("/lo").text
    # A settled drop, and one just written (the run waits until it settles); not one without a marker.
    assert sorted(buttons(page)) == sorted([READY_DROP, FRESH_DROP])
    assert "Đọc ngay" not in row_of(page, "drop", UNMARKED_DROP)
    # The upload's notice offers it too.
    notice = clerk.get(f"/lo?moi={FRESH_DROP}").text
    assert "hoặc ngay bây giờ nếu bấm “Đọc ngay”" in text_of(notice)
    assert buttons(notice).count(FRESH_DROP) == 2


def test_pressing_starts_one_run_for_the_drop_and_the_list_shows_its_state(desk):
    starter = FakeStarter()
    clerk = with_starter(desk, starter)
    pressed = press(clerk, READY_DROP)
    assert pressed.status_code == 303
    assert starter.started == [READY_DROP]
    page = clerk.get(pressed.headers["location"]).text
    assert "Đã bắt đầu đọc lô H26.01/Hộp 1." in text_of(page)
    assert "Đang chờ máy xử lý" in row_of(page, "drop", READY_DROP)
    assert READY_DROP not in buttons(page)  # its run is waiting: no second button

    again = clerk.get(press(clerk, READY_DROP).headers["location"]).text
    assert starter.started == [READY_DROP]
    assert "đang được đọc hoặc đang chờ đọc; không cần bấm lại" in text_of(again)

    # Once the drop is a batch, its row carries the run's state.
    starter.runs[READY_DROP] = RunView(READY_DROP, "run-1", "RUNNING", "Running")
    desk.save(Record(id="a" * 24, batch_id="b-1", batch_name="Hộp 1", agency=AGENCY_A, source_name="x.pdf",
                     source_path="Hộp 1/x.pdf", sha256="0" * 64, size_bytes=1, media_type="application/pdf",
                     status="pending", files={"original": "x"}, ingested_at=T0), "k/a")
    assert "Hộp 1 Đang đọc" in row_of(clerk.get("/lo").text, "batch", "b-1")


def test_a_clerk_cannot_start_another_agencys_drop(desk):
    starter = FakeStarter()
    clerk_b = with_starter(desk, starter, CLERK_B)
    assert buttons(clerk_b.get("/lo").text) == [OTHER_DROP]
    assert press(with_starter(desk, starter), OTHER_DROP).status_code == 404
    assert starter.started == []
    supervisor = with_starter(desk, starter, SUPERVISOR)
    assert press(supervisor, OTHER_DROP).status_code == 303 and starter.started == [OTHER_DROP]


def test_a_press_needs_the_csrf_token(desk):
    starter = FakeStarter()
    clerk = with_starter(desk, starter)
    assert press(clerk, READY_DROP, csrf="").status_code == 403
    assert press(clerk, READY_DROP, csrf="x" * 43).status_code == 403
    assert starter.started == []


def test_drops_the_run_would_not_take_are_not_started(desk):
    starter = FakeStarter()
    clerk = with_starter(desk, starter)
    for drop in (UNMARKED_DROP, f"{AGENCY_A}/không có"):
        page = clerk.get(press(clerk, drop).headers["location"]).text
        assert ("chưa đọc được" if drop == UNMARKED_DROP else "không còn trong danh sách chờ nhận") in text_of(page)
    assert press(clerk, "không có dấu gạch").status_code == 400
    assert starter.started == []


def test_without_prefect_the_clerk_reads_it_waits_for_the_nightly_run(desk, caplog):
    starter = FakeStarter(unavailable="Prefect API not reachable (ConnectError): start it")
    clerk = with_starter(desk, starter)
    with caplog.at_level(logging.WARNING, logger="sohoa.desk"):
        page = clerk.get(press(clerk, READY_DROP).headers["location"]).text
    assert "Lô sẽ được đọc ở lần chạy hằng đêm; không cần tải lên lại." in text_of(page)
    assert READY_DROP in buttons(page)  # the list still shows, without the runs' states
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("Prefect API not reachable" in m and "Hộp 1" in m for m in errors), errors


def test_without_a_deployment_configured_there_is_no_button(desk):
    clerk = logged_in(desk, settings=DeskSettings(take_now_deployment=""))
    page = clerk.get("/lo").text
    assert buttons(page) == [] and "Đọc ngay" not in page
    assert press(clerk, READY_DROP).status_code == 404


def test_the_deployment_defaults_to_on_demand_only_when_a_prefect_api_is_configured(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("SOHOA_DESK_TAKE_NOW_DEPLOYMENT", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert DeskSettings().take_now_deployment is None
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        assert DeskSettings().take_now_deployment == "digitise-batch/on-demand"
    monkeypatch.setenv("SOHOA_DESK_TAKE_NOW_DEPLOYMENT", "digitise-batch/tinh")
    assert DeskSettings().take_now_deployment == "digitise-batch/tinh"


def test_a_drop_is_named_by_its_agency_code_and_batch_name():
    assert split_drop_name(unicodedata.normalize("NFD", "H26.01/Hộp 1")) == ("H26.01", "Hộp 1")
    assert drop_name(*split_drop_name("H26.01/Hộp 1")) == "H26.01/Hộp 1"
    for bad in ("", "H26.01", "H26.01/", "/Hộp 1", "H26.01/Hộp/1"):
        with pytest.raises(ValueError):
            split_drop_name(bad)


def test_the_on_demand_run_waits_for_another_run_taking_drops(tmp_path):
    """The nightly run holding the drops' lock is retried (it ends, and may take the drop itself),
    not a failed "Đọc ngay"; a drop that cannot be read is not."""
    from types import SimpleNamespace

    from prefect.states import Failed

    from flows.digitise import _outage_or_busy
    from flows.drops import DropSettings, DropsNotTaken, _exclusive, take_drops

    services = SimpleNamespace(storage_settings=SimpleNamespace(home=tmp_path), catalog=None, store=None)
    with _exclusive(tmp_path / "drops.lock"):
        with pytest.raises(DropsNotTaken) as busy:
            take_drops(services, DropSettings(dir=tmp_path / "drops"), only=("H26.01", "Hộp 1"))
    assert _outage_or_busy(None, None, Failed(data=busy.value)) is True
    assert _outage_or_busy(None, None, Failed(data=DropsNotTaken("drops left where they are: x"))) is False
