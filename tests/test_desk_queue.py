"""The desk's queue page (`/hang-cho`): what a clerk and a supervisor see, the filters, the counts
per reason, the reasons in Vietnamese and keyset paging. Driven over HTTP in-process (TestClient);
the records are indexed straight into a SQLite catalog (no OCR)."""

from __future__ import annotations

import html
import re

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from test_catalog_review_queue import A, B, fill, waiting
from test_desk_accounts import PASSWORD, T0, Clock, log_in

from web.desk import queue
from web.desk.app import create_desk_app
from web.desk.settings import DeskSettings

CLERK, SUPERVISOR = "Nguyễn Thị Lan", "Lê Văn Nam"


@pytest.fixture
def catalog(catalog):
    catalog.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    catalog.upsert_agencies([{"code": A, "name": "UBND xã Bình Sơn"}, {"code": B, "name": "UBND xã Hợp Lý"}])
    catalog.users.add(CLERK, "clerk", A, PASSWORD, T0)
    catalog.users.add(SUPERVISOR, "supervisor", None, PASSWORD, T0)
    fill(catalog)
    return catalog


@pytest.fixture
def desk(catalog):
    with TestClient(create_desk_app(catalog, settings=DeskSettings(), clock=Clock())) as client:
        yield client


def queue_page(desk: TestClient, url: str = "/hang-cho") -> str:
    response = desk.get(url)
    assert response.status_code == 200
    return html.unescape(response.text)


def listed(page: str) -> list[str]:
    """The record ids of the table's rows, in order."""
    return re.findall(r'<a href="/ho-so/([^"?]+)(?:\?[^"]*)?">', page)  # the links carry the filters


def reason_count(page: str, kind: str) -> int:
    return int(re.search(rf'data-reason="{kind}">(\d+)<', page).group(1))


def test_a_clerk_sees_only_their_agency_whatever_the_address_asks(desk):
    log_in(desk, CLERK)
    page = queue_page(desk)
    assert listed(page) == ["r4", "r1", "r5", "r2"]  # r3 is the other agency's
    assert "Quyết định 3.pdf" not in page and B not in page
    assert 'name="co_quan"' not in page  # no agency to choose
    assert reason_count(page, "missing") == 1 and reason_count(page, "invalid") == 0
    assert "4 hồ sơ" in page
    for url in (f"/hang-cho?co_quan={B}", f"/hang-cho?co_quan={B}&ly_do=invalid"):
        other = queue_page(desk, url)
        assert "r3" not in listed(other) and "Quyết định 3.pdf" not in other


def test_a_supervisor_sees_every_agency_and_filters_by_each(desk):
    log_in(desk, SUPERVISOR)
    page = queue_page(desk)
    assert listed(page) == ["r4", "r1", "r3", "r5", "r2"]
    assert f'<option value="{B}">{B} — UBND xã Hợp Lý</option>' in page
    assert listed(queue_page(desk, f"/hang-cho?co_quan={B}")) == ["r3"]
    assert listed(queue_page(desk, "/hang-cho?lo=b2")) == ["r2"]
    assert listed(queue_page(desk, "/hang-cho?loai=other")) == ["r4"]
    missing = queue_page(desk, "/hang-cho?ly_do=missing")
    assert listed(missing) == ["r1", "r3"]
    assert '<option value="missing" selected>' in missing
    # Each reason's count is what choosing it lists, whichever reason is chosen now.
    assert reason_count(missing, "missing") == 2 and reason_count(missing, "unread_page") == 1
    assert "2 hồ sơ" in missing
    assert listed(queue_page(desk, f"/hang-cho?ly_do=missing&co_quan={A}")) == ["r1"]
    empty = queue_page(desk, "/hang-cho?ly_do=handwritten&lo=b2")
    assert listed(empty) == [] and "theo bộ lọc này" in empty


def test_rows_say_what_to_check_in_vietnamese(desk):
    log_in(desk, SUPERVISOR)
    page = queue_page(desk)
    row = re.search(r'<tr>\s*<td><a href="/ho-so/r1">.*?</tr>', page, re.S).group(0)
    for shown in ("Quyết định 1.pdf", A, "lô b1", "Quyết định", "40%", "Thiếu thông tin: Người ký",
                  "Thiếu thông tin: Trích yếu"):
        assert shown in row
    row4 = re.search(r'<tr>\s*<td><a href="/ho-so/r4">.*?</tr>', page, re.S).group(0)
    for shown in ("Loại khác", "0%", "Không đọc được trang 2", "Chưa rõ loại văn bản"):
        assert shown in row4
    assert "missing:" not in page and "low confidence" not in page


def test_trang_sau_pages_through_every_record_once(desk, catalog, monkeypatch):
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    for n in range(7, 10):  # ties with r1 and r3 at 0.4: the id breaks them
        catalog.save(waiting(n, (0.4,), ["missing: signer"], agency=A), f"k/r{n}")
    log_in(desk, SUPERVISOR)
    url, seen, pages = "/hang-cho?ly_do=missing", [], 0
    while url:
        page = queue_page(desk, url)
        seen += listed(page)
        pages += 1
        assert ("Trang đầu" in page) == (pages > 1)
        found = re.search(r'<a href="([^"]+)" rel="next">Trang sau</a>', page)
        url = found.group(1) if found else None
        if url:
            assert "ly_do=missing" in url  # the filters travel with the page
    assert seen == ["r1", "r3", "r7", "r8", "r9"] and pages == 3


def test_a_page_link_edited_into_nonsense_is_a_400_in_words(desk):
    log_in(desk, CLERK)
    for value in ("abc", "0.4", "2.0~r1", "nan~r1"):
        response = desk.get(f"/hang-cho?sau={value}")
        assert response.status_code == 400 and "Liên kết trang không hợp lệ" in response.text


def test_the_queue_needs_a_login_and_loads_nothing_from_elsewhere(desk):
    assert desk.get("/hang-cho", follow_redirects=False).headers["location"] == "/dang-nhap"
    log_in(desk, CLERK)
    page = desk.get("/hang-cho").text
    assert "<script" not in page and "style=" not in page and "<style" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
