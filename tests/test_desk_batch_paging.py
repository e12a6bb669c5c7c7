"""Paging of the desk's batch page (`/lo/{id}`, 200 files a page, by status if chosen) and of the
batch list (`/lo`, 50 batches a page): a batch of thousands of files never renders them all, and
the counts per status at the top stay those of the whole batch (FastAPI's TestClient)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from test_desk_batches import AGENCY_A, AGENCY_B, SUPERVISOR, T0, add_people, logged_in, record

from storage.records import RecordError
from web.desk.batches import BATCHES_PER_PAGE, FILES_PER_PAGE

FILES = 450  # three pages of files: 200, 200, 50
BATCHES = 60  # with `big`, two pages of batches: 50, 11


def files_of(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-file="([^"]+)" data-status="(\w+)"', page)


def top_counts(page: str) -> dict[str, int]:
    found = re.search(r'<ul class="status-counts">(.*?)</ul>', page, re.S).group(1)
    return {status: int(n) for status, n in re.findall(r'<li data-status="(\w+)"[^>]*>.*?</a>: (\d+)</li>', found)}


def nav_links(page: str) -> dict[str, str]:
    """The paging links by their words (Trang đầu, Trang trước, Trang sau, Trang cuối)."""
    nav = re.search(r'<nav class="paging".*?</nav>', page, re.S)
    return {text: unescape(href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(0))} \
        if nav else {}


@pytest.fixture
def catalog(catalog):
    # One transaction for the lot (`rebuild`), then the people: a few hundred saves would cost seconds.
    files = [record(f"f{i:04d}", AGENCY_A, "big", "failed" if i % 2 == 0 else "digitised",
                    error=RecordError(code="encrypted_pdf", message="protected") if i % 2 == 0 else None)
             for i in range(FILES)]
    batches = [record(f"n{i:02d}", AGENCY_A, f"b{i:02d}", "digitised").model_copy(
        update={"ingested_at": T0 - timedelta(days=i + 1)}) for i in range(BATCHES)]  # b00 newest
    other = record("o1", AGENCY_B, "bo", "needs_review").model_copy(update={"ingested_at": T0 - timedelta(days=90)})
    catalog.rebuild((item, f"records/{item.id}.json") for item in (*files, *batches, other))
    add_people(catalog)
    return catalog


def test_a_big_batch_is_shown_a_page_at_a_time_with_the_whole_batchs_counts(catalog):
    clerk = logged_in(catalog)
    first = clerk.get("/lo/big").text
    shown = files_of(first)
    assert FILES_PER_PAGE == 200 and len(shown) == 200
    assert shown[0][0] == "f0000.pdf" and shown[-1][0] == "f0199.pdf"
    assert top_counts(first) == {"digitised": 225, "failed": 225}
    assert '<span class="count">450 tệp</span>' in first and "Trang 1/3 (1–200 trên 450)" in first
    assert nav_links(first) == {"Trang sau": "/lo/big?trang=2", "Trang cuối": "/lo/big?trang=3"}

    last = clerk.get("/lo/big?trang=3").text
    assert [name for name, _ in files_of(last)] == [f"f{i:04d}.pdf" for i in range(400, 450)]
    assert top_counts(last) == {"digitised": 225, "failed": 225}
    assert nav_links(last) == {"Trang đầu": "/lo/big", "Trang trước": "/lo/big?trang=2"}
    # Every file on exactly one page, in the same order.
    pages = [files_of(clerk.get(f"/lo/big?trang={n}").text) for n in (1, 2, 3)]
    assert [name for page in pages for name, _ in page] == [f"f{i:04d}.pdf" for i in range(FILES)]
    assert files_of(clerk.get("/lo/big?trang=99").text) == files_of(last)  # past the end: the last page


def test_the_files_of_one_status_are_paged_with_the_status_kept(catalog):
    clerk = logged_in(catalog)
    failed = clerk.get("/lo/big?trang_thai=failed").text
    shown = files_of(failed)
    assert len(shown) == 200 and {status for _, status in shown} == {"failed"}
    assert top_counts(failed) == {"digitised": 225, "failed": 225}  # still the whole batch's
    assert "Chỉ hiện các tệp “Lỗi đọc”" in unescape(failed) and "Trang 1/2 (1–200 trên 225)" in failed
    assert nav_links(failed)["Trang sau"] == "/lo/big?trang_thai=failed&trang=2"
    rest = files_of(clerk.get("/lo/big?trang_thai=failed&trang=2").text)
    assert len(rest) == 25 and rest[-1] == ("f0448.pdf", "failed")
    assert clerk.get("/lo/big?trang_thai=pending").text.count("Lô không có tệp nào ở trạng thái này") == 1

    assert clerk.get("/lo/big?trang_thai=khong-co").status_code == 400
    assert clerk.get("/lo/big?trang=0").status_code == 422
    assert clerk.get("/lo/bo").status_code == 404  # another agency's batch, paged or not


def test_the_batch_list_is_paged_newest_first_with_each_pages_counts(catalog):
    clerk = logged_in(catalog)
    first = clerk.get("/lo").text
    listed = re.findall(r'<tr data-batch="([^"]+)"', first)
    assert BATCHES_PER_PAGE == 50 and listed[:2] == ["big", "b00"] and len(listed) == 50
    assert '<span class="count">61 lô</span>' in first and nav_links(first)["Trang sau"] == "/lo?trang=2"
    second = clerk.get("/lo?trang=2").text
    assert re.findall(r'<tr data-batch="([^"]+)"', second) == [f"b{i:02d}" for i in range(49, 60)]
    row = re.search(r'<tr data-batch="b59">(.*?)</tr>', second, re.S).group(1)
    assert dict(re.findall(r'data-status="(\w+)">(\d+)<', row))["digitised"] == "1"

    supervisor = logged_in(catalog, name=SUPERVISOR)
    assert '<span class="count">62 lô</span>' in supervisor.get("/lo").text
    assert "bo" in re.findall(r'<tr data-batch="([^"]+)"', supervisor.get("/lo?trang=2").text)
