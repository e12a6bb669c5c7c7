"""The review desk end to end in headless Chromium: a document read by the real pipeline (Tesseract,
SeaweedFS on loopback), a clerk who logs in through the form, finds the record in the queue, clicks
a field and sees the words it came from highlighted on the page image, is refused an invalid
personal number, corrects it and approves with the keyboard; the record's history and the export
show the change. Another agency's record is 404 to this clerk, and a form posted without its CSRF
token is refused. Screenshots of each page go to tests/artifacts/screenshots (SOHOA_TEST_ARTIFACTS).
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
import uuid
from datetime import datetime, timezone

import pytest
from argon2 import PasswordHasher
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from browser import Box, colour_bounds, element_box, load_rgb
from conftest import services_env

from flows import reports
from flows.intake import ingest, save_record
from flows.review import history
from flows.steps import process_document
from samples.generate import document_bytes, make_document
from storage.records import Record, RecordField, RecordFiles
from web.desk.app import create_desk_app
from web.desk.settings import DeskSettings

pytestmark = pytest.mark.integration

AGENCY_A, AGENCY_B = "000.00.00.H62", "000.00.00.H63"
CLERK = unicodedata.normalize("NFC", "Phạm Thu Hà")
PASSWORD = unicodedata.normalize("NFC", "Mật khẩu đủ dài 2")
HIGHLIGHT = (224, 0, 122)  # the highlight's border (desk.css `.mark`)
BORDER = 2  # its width, drawn just outside the word box
INVALID_NUMBER = "999090012345"  # no province has code 999


@pytest.fixture(scope="module")
def desk_data(s3_settings, tmp_path_factory):
    """One generated certificate read by the real pipeline for agency A, one record of agency B, a clerk of A."""
    with services_env(s3_settings, tmp_path_factory, "dk") as services:
        document = make_document(random.Random(7), "xac_nhan_tinh_trang_hon_nhan")
        folder = tmp_path_factory.mktemp("desk-drop")
        path = folder / "xác nhận hôn nhân.png"
        path.write_bytes(document_bytes(document, "png"))
        batch = ingest([path], AGENCY_A, services, batch_name="hộp 7").batch_id
        (record,) = services.catalog.records(batch)
        assert process_document(record.id, services) == "needs_review"
        other = save_record(Record(
            id=uuid.uuid4().hex[:24], batch_id="b-other", batch_name="hộp B", agency=AGENCY_B,
            source_name="của cơ quan khác.pdf", source_path="của cơ quan khác.pdf", sha256="cd" * 32,
            size_bytes=10, media_type="application/pdf", status="needs_review", document_type="giay_khai_sinh",
            fields={"holder_name": RecordField(value="Đỗ Văn Khác", confidence=0.4)},
            review_reasons=["low confidence: holder_name (0.40)"], files=RecordFiles(original="x/cd"),
            ingested_at=datetime.now(timezone.utc)), services)
        catalog = services.catalog
        catalog.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        catalog.upsert_agencies([{"code": AGENCY_A, "name": "UBND xã Tử Du"},
                                 {"code": AGENCY_B, "name": "UBND xã Khác"}])
        catalog.users.add(CLERK, "clerk", AGENCY_A, PASSWORD, datetime.now(timezone.utc))
        yield services, record.id, other.id, batch, document.truth["fields"]


def wait(browser, condition, seconds: float = 10):
    return WebDriverWait(browser, seconds).until(condition)


def wait_for_page_images(browser):
    """Until page 1 is shown (later pages load as they scroll into view)."""
    wait(browser, lambda b: b.execute_script(
        "const i = document.querySelector('#trang-1 .sheet img'); return i.complete && i.naturalWidth > 0"))


def holder_words(services, record) -> list[list[float]]:
    """The boxes of the words the holder's number is printed in, read from pages.json directly."""
    pages = json.loads(services.store.get(record.files.words))
    wanted = record.fields["holder_id"].value
    for line in pages[0]["lines"]:
        digits = [(re.sub(r"\D", "", word["text"]), word["bbox"]) for word in line["words"]]
        numbered = [(text, box) for text, box in digits if text]
        if wanted in "".join(text for text, _ in numbered):
            return [box for text, box in numbered if text in wanted]
    raise AssertionError("the holder's number is not among page 1's words")


def test_a_clerks_review_in_the_browser(desk_data, browser, live_server, screenshot):
    services, record_id, other_id, batch, truth = desk_data
    base = live_server(create_desk_app(services.catalog, services.store, DeskSettings()))

    # Logging in through the form.
    browser.get(base + "/hang-cho")
    assert browser.current_url == base + "/dang-nhap"
    browser.find_element(By.ID, "name").send_keys(CLERK)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    screenshot("1-login")
    browser.find_element(By.CSS_SELECTOR, ".login button[type=submit]").click()
    wait(browser, ec.url_to_be(base + "/"))

    # The queue lists the clerk's agency only.
    browser.get(base + "/hang-cho")
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href^='/ho-so/']")]
    assert links == [f"{base}/ho-so/{record_id}"]
    screenshot("2-queue")
    browser.find_element(By.CSS_SELECTOR, f"a[href='/ho-so/{record_id}']").click()
    wait(browser, ec.presence_of_element_located((By.ID, "record")))
    wait_for_page_images(browser)
    screenshot("3-record")
    # The page fits the 1366x768 screen: only the image and field panels scroll, not the window.
    width, height, view_width, view_height = browser.execute_script(
        "const d = document.documentElement; return [d.scrollWidth, d.scrollHeight, innerWidth, innerHeight]")
    assert (width, height) == (view_width, view_height)

    # Clicking a field highlights the words it was read from.
    record = services.catalog.get(record_id)
    words = holder_words(services, record)
    browser.find_element(By.CSS_SELECTOR, "#truong-holder_id .show").click()
    marks = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#trang-1 .mark"))
    assert len(marks) == len(words)
    image = element_box(browser, browser.find_element(By.CSS_SELECTOR, "#trang-1 .sheet img"))
    expected = Box(  # the words' union on screen, widened by the border drawn around it
        round(image.left + min(b[0] for b in words) * image.width) - BORDER,
        round(image.top + min(b[1] for b in words) * image.height) - BORDER,
        round(image.left + max(b[2] for b in words) * image.width) + BORDER,
        round(image.top + max(b[3] for b in words) * image.height) + BORDER,
    )
    viewer = element_box(browser, browser.find_element(By.CSS_SELECTOR, ".viewer"))
    pixels = load_rgb(screenshot("4-highlight"))[viewer.top:viewer.bottom, viewer.left:viewer.right]
    found = colour_bounds(pixels, HIGHLIGHT)
    assert found is not None, "no highlight on the page image"
    found = Box(found.left + viewer.left, found.top + viewer.top, found.right + viewer.left, found.bottom + viewer.top)
    # One pixel of slack for edges rounded or blended at sub-pixel positions.
    assert max(abs(found.left - expected.left), abs(found.top - expected.top),
               abs(found.right - expected.right), abs(found.bottom - expected.bottom)) <= 1, (found, expected)

    # Keyboard: `+` zooms the page and the highlight stays on its words; `n` goes to the next field.
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("+")
    wait(browser, ec.text_to_be_present_in_element((By.ID, "zoom-level"), "150%"))
    wait_for_page_images(browser)
    zoomed = element_box(browser, browser.find_element(By.CSS_SELECTOR, "#trang-1 .sheet img"))
    assert zoomed.width == pytest.approx(1.5 * image.width, abs=2)
    first = element_box(browser, browser.find_elements(By.CSS_SELECTOR, "#trang-1 .mark")[0])
    assert (first.left + BORDER - zoomed.left) / zoomed.width == pytest.approx(words[0][0], abs=0.003)
    body.send_keys("-")
    wait(browser, ec.text_to_be_present_in_element((By.ID, "zoom-level"), "100%"))
    order = [row.get_attribute("id") for row in browser.find_elements(By.CSS_SELECTOR, ".field")]
    body.send_keys("n")
    current = browser.find_element(By.CSS_SELECTOR, ".field.current").get_attribute("id")
    assert current == order[order.index("truong-holder_id") + 1]

    # An invalid personal number is refused next to the field; the value stays for correcting.
    box = browser.find_element(By.ID, "gia-tri-holder_id")
    box.clear()
    box.send_keys(INVALID_NUMBER, Keys.ENTER)
    refusal = wait(browser, ec.presence_of_element_located((By.ID, "loi-holder_id")))
    assert refusal.text == "Chưa lưu: mã tỉnh 999 không tồn tại."
    assert browser.find_element(By.ID, "gia-tri-holder_id").get_attribute("value") == INVALID_NUMBER
    screenshot("5-refused")
    box = browser.find_element(By.ID, "gia-tri-holder_id")
    box.clear()
    box.send_keys(truth["holder_id"], Keys.ENTER)
    wait(browser, ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".done"), "Đã lưu trường"))
    wait_for_page_images(browser)
    screenshot("6-corrected")

    # A form posted without its CSRF token is refused, and changes nothing.
    browser.execute_script("document.querySelector('#send-back-form input[name=csrf]').remove()")
    browser.find_element(By.CSS_SELECTOR, "#send-back-form textarea").send_keys("thử")
    browser.find_element(By.CSS_SELECTOR, "#send-back-form button").click()
    wait(browser, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Lỗi 403"))
    screenshot("7-csrf-refused")
    assert services.catalog.get(record_id).review_notes == []

    # Approving with the keyboard (`a`), away from any input.
    browser.get(f"{base}/ho-so/{record_id}")
    wait_for_page_images(browser)
    browser.find_element(By.TAG_NAME, "body").send_keys("a")
    wait(browser, ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".done"), "Đã duyệt hồ sơ."))
    screenshot("8-approved")

    browser.get(f"{base}/ho-so/{record_id}/lich-su")
    change = browser.find_element(By.CSS_SELECTOR, "li.correction[data-field=holder_id]").text
    assert f"→ {truth['holder_id']} — sửa bởi {CLERK}" in change
    assert "Duyệt bởi " + CLERK in browser.find_element(By.CSS_SELECTOR, "li.approval").text
    screenshot("9-history")

    # Another agency's record is 404 to this clerk.
    browser.get(f"{base}/ho-so/{other_id}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Lỗi 404"
    screenshot("10-other-agency")

    # What review history and the export say afterwards.
    newest = history(services, record_id)
    assert newest[0]["status"] == "digitised" and newest[0]["approved_by"] == CLERK
    (correction,) = [c for entry in newest for c in entry["corrections"]]
    assert (correction["field"], correction["by"], correction["new"]["value"]) == ("holder_id", CLERK, truth["holder_id"])
    (exported,) = [json.loads(line) for line in reports.records_jsonl(services.catalog.records(batch))]
    assert exported["status"] == "digitised" and exported["approved_by"] == CLERK
    assert exported["fields"]["holder_id"] == {"value": truth["holder_id"], "confidence": 1.0, "source": "manual"}
    assert exported["corrections"][0]["by"] == CLERK
