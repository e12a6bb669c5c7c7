"""The desk's progress page (`/tien-do`): the report of `sohoa progress --format html`, a clerk's
over their own agency, a supervisor's over every agency, under the desk's CSP (FastAPI's
TestClient; the catalog is a SQLite file)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from fastapi.testclient import TestClient

from test_desk_batches import AGENCY_A, AGENCY_B, SUPERVISOR, add_people, logged_in, record

from flows.report_html import CSS, progress_html, report_body
from storage.progress import progress_report


@pytest.fixture
def catalog(catalog):
    add_people(catalog)
    catalog.declare_total(AGENCY_A, 10, datetime(2025, 9, 1, tzinfo=timezone.utc))
    catalog.declare_total(AGENCY_B, 7, datetime(2025, 9, 1, tzinfo=timezone.utc))
    for n in range(3):
        catalog.save(record(f"a{n}", AGENCY_A, "ba", "digitised", digitised_at=datetime(2025, 9, 2 + n, tzinfo=timezone.utc)),
                     f"records/a{n}.json")
    catalog.save(record("b0", AGENCY_B, "bb", "digitised", digitised_at=datetime(2025, 9, 2, tzinfo=timezone.utc)),
                 "records/b0.json")
    return catalog


def groups(page: str) -> list[str]:
    """The agencies in the report's detail table."""
    body = re.search(r'<table id="progress">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return re.findall(r"<tr><td>([^<]+)</td>", body)


def headline(page: str) -> str:
    return re.search(r'<p class="headline">(.*?)</p>', page).group(1)


def test_a_clerk_sees_the_report_of_their_agency_only(catalog):
    page = logged_in(catalog).get("/tien-do").text
    assert groups(page) == [AGENCY_A]
    assert headline(page).startswith("Đã số hóa <b>3</b> / 10 kết quả")


def test_a_supervisor_sees_every_agency_as_the_command_does(catalog):
    page = logged_in(catalog, name=SUPERVISOR).get("/tien-do").text
    assert groups(page) == [AGENCY_A, AGENCY_B]
    assert headline(page).startswith("Đã số hóa <b>4</b> / 17 kết quả")
    # The same body as `sohoa progress --format html`, minute for minute.
    report = progress_report(catalog, "agency", "historical", date.today())
    assert groups(report_body(report)) == groups(page)


def test_the_report_is_grouped_as_asked_and_a_made_up_grouping_is_400(catalog):
    clerk = logged_in(catalog)
    by_year = clerk.get("/tien-do?theo=year").text
    assert "Chi tiết theo năm cấp" in by_year and '<option value="year" selected>' in by_year
    assert clerk.get("/tien-do?theo=district").status_code == 400
    assert clerk.get("/tien-do?cau_truc=other").status_code == 400


def test_the_page_has_no_inline_style_and_its_css_is_the_reports_scoped(catalog):
    clerk = logged_in(catalog)
    page = clerk.get("/tien-do")
    assert "<style" not in page.text and " style=" not in page.text
    assert '<link rel="stylesheet" href="/tien-do/bao-cao.css">' in page.text
    css = clerk.get("/tien-do/bao-cao.css")
    assert css.headers["content-type"].startswith("text/css")
    assert ".report td.n {" in css.text and ".report {" in css.text  # body's rule is the report's
    assert "\nbody" not in css.text and not css.text.startswith("body")
    # Every rule of the command's page is there, only scoped.
    assert len(re.findall(r"\{", css.text)) == len(re.findall(r"\{", CSS))


def test_the_commands_page_keeps_its_inline_style(catalog):
    report = progress_report(catalog, "agency", "historical", date.today())
    html = progress_html(report)
    assert html.startswith("<!doctype html>") and f"<style>{CSS}</style>" in html
    assert report_body(report) in html


def test_the_progress_page_needs_a_login(catalog):
    response = TestClient(logged_in(catalog).app).get("/tien-do", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/dang-nhap"
