"""A batch uploaded in headless Chromium ends with the right statuses: a clerk chooses three files
(one a corrupt PDF) on the upload page, the drop lands in the real SeaweedFS inbox, is taken by
`take_drops` and read by the pipeline as the nightly run would, and the batch's page shows each
file's status and, for the failed ones, the reason in Vietnamese. Screenshots go to
tests/artifacts/screenshots (SOHOA_TEST_ARTIFACTS)."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import datetime, timezone

import pytest
from argon2 import PasswordHasher
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from browser import sign_in
from conftest import services_env
from test_desk_batches import BORN_DIGITAL, ENCRYPTED, SAMPLES

from flows.drops import DropSettings, take_drops
from flows.steps import process_document
from web.desk.app import create_desk_app
from web.desk.settings import DeskSettings

pytestmark = pytest.mark.integration

AGENCY = "000.00.00.H62"
CLERK = unicodedata.normalize("NFC", "Vũ Thị Mai")
PASSWORD = unicodedata.normalize("NFC", "Mật khẩu đủ dài 3")
CORRUPT = "Hồ sơ hỏng.pdf"


def test_a_batch_uploaded_in_the_browser_ends_with_the_right_statuses(s3_settings, tmp_path_factory, tmp_path,
                                                                      browser, live_server, screenshot):
    with services_env(s3_settings, tmp_path_factory, "du") as services:
        catalog = services.catalog
        catalog.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        catalog.upsert_agencies([{"code": AGENCY, "name": "UBND xã Tử Du"}])
        catalog.users.add(CLERK, "clerk", AGENCY, PASSWORD, datetime.now(timezone.utc))
        for name in (BORN_DIGITAL, ENCRYPTED):
            shutil.copy(SAMPLES / name, tmp_path / name)
        (tmp_path / CORRUPT).write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> broken\n%%EOF\n")
        base = live_server(create_desk_app(catalog, services.store, DeskSettings()))

        sign_in(browser, base, CLERK, PASSWORD)
        browser.get(base + "/lo/tai-len")
        browser.find_element(By.ID, "ten_lo").send_keys("Hộp 12 - năm 2019")
        browser.find_element(By.ID, "tep").send_keys(
            "\n".join(str(tmp_path / name) for name in (BORN_DIGITAL, ENCRYPTED, CORRUPT)))
        screenshot("1-upload")
        browser.find_element(By.CSS_SELECTOR, ".upload button[type=submit]").click()
        notice = WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".notice")))
        assert "Hộp 12 - năm 2019" in notice.text
        waiting = browser.find_element(By.CSS_SELECTOR, f"tr[data-drop='{AGENCY}/Hộp 12 - năm 2019']").text
        assert "Hộp 12 - năm 2019 3" in waiting
        screenshot("2-waiting")

        # Taken and read as the nightly run does.
        (outcome,) = take_drops(services, DropSettings(quiet_seconds=0))
        assert (outcome.action, outcome.registered) == ("taken", 3)
        for record_id in catalog.ids_with_status("pending", outcome.batch_id):
            process_document(record_id, services)

        browser.get(base + "/lo")
        browser.find_element(By.CSS_SELECTOR, f"tr[data-batch='{outcome.batch_id}'] a").click()
        WebDriverWait(browser, 10).until(ec.url_to_be(f"{base}/lo/{outcome.batch_id}"))
        rows = {row.get_attribute("data-file"): row for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-file]")}
        assert set(rows) == {BORN_DIGITAL, ENCRYPTED, CORRUPT}
        statuses = {name: row.get_attribute("data-status") for name, row in rows.items()}
        assert statuses[ENCRYPTED] == statuses[CORRUPT] == "failed"
        assert statuses[BORN_DIGITAL] in ("digitised", "needs_review")
        assert "Tệp có mật khẩu." in rows[ENCRYPTED].text
        assert "Cách xử lý: Xin bản không khóa rồi tải lên lại." in rows[ENCRYPTED].text
        assert "Cách xử lý:" in rows[CORRUPT].text and "tải lên lại" in rows[CORRUPT].text
        screenshot("3-batch")
        # Each file opens its record.
        rows[BORN_DIGITAL].find_element(By.TAG_NAME, "a").click()
        WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "record")))

        # The progress report inside the desk, styled by its scoped style sheet (no inline style).
        browser.get(base + "/tien-do")
        cell = browser.find_element(By.CSS_SELECTOR, ".report #progress td.n")
        assert cell.value_of_css_property("text-align") == "right"
        assert browser.find_element(By.CSS_SELECTOR, ".bar").value_of_css_property("margin-top") == "0px"
        screenshot("4-progress")
