"""“Đọc ngay” end to end, on a real SeaweedFS and a real Prefect server: the on-demand flow given a
drop's name takes that drop alone (with the nightly run's checks, waiting while it may still be
written) and reads its batch; the desk's button, pressed twice, creates exactly one flow run of the
deployment with the drop's name (no worker runs it here: the flow is tested on its own above)."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import uuid
from pathlib import Path

import pytest

from conftest import services_env
from test_desk_accounts import form_csrf
from test_desk_batches import AGENCY_A, CLERK_A, add_people, logged_in, row_of, text_of

from storage import inbox
from storage.records import Record
from web.desk.settings import DeskSettings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
BORN_DIGITAL = ROOT / "samples" / "batch" / "02 Công văn Sở Tư pháp.pdf"  # its text layer is read: no OCR
QUIET_SECONDS = 2


@pytest.fixture(scope="module")
def take_env(s3_settings, prefect_harness, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOHOA_DROP_QUIET_SECONDS", str(QUIET_SECONDS))
        patch.delenv("SOHOA_DROP_DIR", raising=False)
        with services_env(s3_settings, tmp_path_factory, "tn") as services:
            add_people(services.catalog)
            yield services


def put(store, key: str, data: bytes) -> None:
    store.client.put_object(store.buckets.inbox, key, io.BytesIO(data), len(data))


def inbox_keys(store, prefix: str) -> list[str]:
    return sorted(unicodedata.normalize("NFC", o.key) for o in inbox.list_objects(store, prefix))


def test_the_on_demand_flow_takes_the_named_drop_alone_and_reads_it(take_env):
    from flows.digitise import digitise_batch

    services, catalog = take_env, take_env.catalog
    for name in ("Hộp 9", "Hộp 10"):
        put(services.store, f"{AGENCY_A}/{name}/công văn.pdf", BORN_DIGITAL.read_bytes())
        put(services.store, f"{AGENCY_A}/{name}/_READY", b"")

    # Written a moment ago: the run waits out the quiet period, then takes it.
    counts = digitise_batch(drop=f"{AGENCY_A}/Hộp 9")
    batch = catalog.find_batch(AGENCY_A, "Hộp 9")
    assert batch is not None
    (record,) = catalog.records(batch)
    assert record.status in ("digitised", "needs_review"), record.error
    stored = Record.model_validate_json(services.store.get_record(catalog.record_key(record.id)))
    assert "Sở Tư pháp" in unicodedata.normalize("NFC", stored.text)
    assert counts == catalog.status_counts(batch) and counts["pending"] == 0
    assert inbox_keys(services.store, f"{AGENCY_A}/Hộp 9/") == []
    assert inbox_keys(services.store, f"processed/{AGENCY_A}/Hộp 9/")
    # The other drop is the nightly run's.
    assert catalog.find_batch(AGENCY_A, "Hộp 10") is None
    assert inbox_keys(services.store, f"{AGENCY_A}/Hộp 10/") == [f"{AGENCY_A}/Hộp 10/_READY",
                                                                  f"{AGENCY_A}/Hộp 10/công văn.pdf"]

    # Started again (a second press, or after the nightly took it): the same batch, nothing read twice.
    assert digitise_batch(drop=f"{AGENCY_A}/Hộp 9") == counts
    assert [r.id for r in catalog.records(batch)] == [record.id]

    state = digitise_batch(drop=f"{AGENCY_A}/Hộp không có", return_state=True)
    assert state.is_failed() and "no drop" in str(state.message)


@pytest.fixture(scope="module")
def deployment(take_env):
    """A deployment of digitise-batch on a process work pool, as `prefect deploy` makes the
    on-demand one; no worker: its runs stay scheduled."""
    from prefect import flow as prefect_flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.workers.process import ProcessWorker

    name = f"doc-ngay-{uuid.uuid4().hex[:8]}"
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name=name, type="process",
                                               base_job_template=ProcessWorker.get_default_base_job_template()))
    prefect_flow.from_source(source=str(ROOT), entrypoint="flows/digitise.py:digitise_batch").deploy(
        name=name, work_pool_name=name, build=False, push=False, print_next_steps=False, ignore_warnings=True)
    return f"digitise-batch/{name}"


def flow_runs(deployment_name: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId

    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(deployment_name)
        return client.read_flow_runs(flow_run_filter=FlowRunFilter(
            deployment_id=FlowRunFilterDeploymentId(any_=[deployment.id])))


def test_the_desks_button_starts_one_run_of_the_deployment_for_the_drop(take_env, deployment):
    services = take_env
    clerk = logged_in(services.catalog, services.store, CLERK_A, DeskSettings(take_now_deployment=deployment))
    sent = clerk.post("/lo/tai-len", data={"ten_lo": "Hộp 11", "csrf": form_csrf(clerk.get("/lo/tai-len").text)},
                      files=[("tep", ("công văn.pdf", BORN_DIGITAL.read_bytes(), "application/pdf"))],
                      follow_redirects=False)
    assert sent.status_code == 303
    notice = clerk.get(sent.headers["location"]).text
    csrf = form_csrf(notice)
    drop = f"{AGENCY_A}/Hộp 11"
    for _ in range(2):  # a double click
        pressed = clerk.post("/lo/doc-ngay", data={"lo": drop, "csrf": csrf}, follow_redirects=False)
        assert pressed.status_code == 303
    assert "không cần bấm lại" in text_of(clerk.get(pressed.headers["location"]).text)

    (run,) = flow_runs(deployment)
    assert run.parameters == {"drop": drop}
    assert run.state.type.value == "SCHEDULED"
    assert "Đang chờ máy xử lý" in row_of(clerk.get("/lo").text, "drop", drop)


def test_a_run_an_operator_started_for_the_drop_counts_too(take_env, deployment):
    from prefect.deployments import run_deployment

    services, drop = take_env, f"{AGENCY_A}/Hộp 14"
    put(services.store, f"{drop}/công văn.pdf", BORN_DIGITAL.read_bytes())
    put(services.store, f"{drop}/_READY", b"")
    run_deployment(deployment, parameters={"drop": drop}, timeout=0, as_subflow=False)  # as from a shell
    clerk = logged_in(services.catalog, services.store, CLERK_A, DeskSettings(take_now_deployment=deployment))
    pressed = clerk.post("/lo/doc-ngay", data={"lo": drop, "csrf": form_csrf(clerk.get("/lo").text)},
                         follow_redirects=False)
    assert "không cần bấm lại" in text_of(clerk.get(pressed.headers["location"]).text)
    assert len([run for run in flow_runs(deployment) if run.parameters.get("drop") == drop]) == 1


def test_a_deployment_that_is_missing_leaves_the_batch_for_the_nightly_run(take_env, caplog):
    services = take_env
    put(services.store, f"{AGENCY_A}/Hộp 12/công văn.pdf", BORN_DIGITAL.read_bytes())
    put(services.store, f"{AGENCY_A}/Hộp 12/_READY", b"")
    clerk = logged_in(services.catalog, services.store, CLERK_A,
                      DeskSettings(take_now_deployment="digitise-batch/khong-co"))
    with caplog.at_level(logging.ERROR, logger="sohoa.desk"):
        pressed = clerk.post("/lo/doc-ngay", data={"lo": f"{AGENCY_A}/Hộp 12", "csrf": form_csrf(
            clerk.get("/lo").text)}, follow_redirects=False)
    page = text_of(clerk.get(pressed.headers["location"]).text)
    assert "Lô sẽ được đọc ở lần chạy hằng đêm" in page
    assert any(re.search(r"Prefect has no deployment digitise-batch/khong-co: run `prefect", r.getMessage())
               for r in caplog.records), [r.getMessage() for r in caplog.records]


def test_a_clerk_presses_the_button_in_the_browser(take_env, deployment, browser, live_server, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from browser import element_box, sign_in
    from test_desk_accounts import PASSWORD
    from web.desk.app import create_desk_app

    services = take_env
    drop = f"{AGENCY_A}/Hộp 13"
    put(services.store, f"{drop}/công văn.pdf", BORN_DIGITAL.read_bytes())
    put(services.store, f"{drop}/_READY", b"")
    base = live_server(create_desk_app(services.catalog, services.store, DeskSettings(take_now_deployment=deployment)))
    sign_in(browser, base, CLERK_A, PASSWORD)
    browser.get(base + "/lo")
    button = browser.find_element(By.CSS_SELECTOR, f"tr[data-drop='{drop}'] .read-now button")
    right = element_box(browser, button).right
    assert right <= browser.execute_script("return window.innerWidth * window.devicePixelRatio"), right
    screenshot("1-waiting-drop")
    button.click()
    notice = WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, "p.notice")))
    assert f"Đã bắt đầu đọc lô {drop}." in notice.text
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-drop='{drop}']").text
    assert "Đang chờ máy xử lý" in row and "Đọc ngay" not in row
    screenshot("2-started")
    assert [run.parameters for run in flow_runs(deployment) if run.parameters.get("drop") == drop] == [{"drop": drop}]
