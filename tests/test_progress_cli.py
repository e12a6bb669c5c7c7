"""`sohoa progress` on a catalog filled from the sample registers: every format tells the same story,
and for every agency required = matched + missing (tests/progress_data.py says what it holds)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from flows.cli import app
from progress_data import COMMUNE, DECLARED, EXPECTED, NONE, PROVINCE, fill_catalog, record
from storage.catalog import Catalog
from storage.matching import reconcile

STATUS_LABELS = {"met": "đạt", "on_track": "đúng tiến độ", "behind": "chậm", "missed": "không đạt",
                 "no_denominator": "chưa có số liệu"}
# `required` per group of each grouping, from what progress_data.py puts in the catalog; 16 in all.
REQUIRED = {
    "agency": {PROVINCE: 8, COMMUNE: 3, DECLARED: 5, NONE: 0},
    "level": {"commune": 3, "province": 13},
    "procedure": {"1.000894": 0, "1.001193": 5, "unknown": 11},
    "field": {"Hộ tịch": 5, "Kinh tế hộ": 1, "Văn hóa": 1, "unknown": 6, "Đất đai": 3},
    # The demo register's entries were issued in 2020, 2022, 2023 and 2024, the workbook's in 2024.
    "year": {"2020": 4, "2021": 0, "2022": 1, "2023": 2, "2024": 6, "unknown": 3},
}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    env = {"SOHOA_HOME": str(home), "SOHOA_CATALOG_URL": f"sqlite:///{home / 'catalog.sqlite3'}"}
    fill_catalog(env["SOHOA_CATALOG_URL"]).close()
    return env


def sohoa(env: dict, *args: str) -> str:
    result = CliRunner().invoke(app, ["progress", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_required_is_matched_plus_missing_for_every_agency(home):
    report = json.loads(sohoa(home, "--format", "json"))
    rows = {row["group"]: row for row in report["rows"]}
    for agency, (required, digitised, review, missing, failed, unmatched) in EXPECTED.items():
        row = rows[agency]
        assert (row["required"], row["digitised"], row["needs_review"], row["missing"], row["failed"],
                row["unmatched_records"]) == (required, digitised, review, missing, failed, unmatched), agency
        assert row["required"] == row["digitised"] + row["needs_review"] + row["missing"]
    assert rows[NONE]["basis"] == "none" and rows[NONE]["status"] == "no_denominator"
    assert rows[DECLARED]["basis"] == "declared"
    # The matching module's reconciliation agrees on matched (digitised or in review) and missing.
    catalog = Catalog(home["SOHOA_CATALOG_URL"])
    for line in reconcile(catalog):
        row = rows[line["agency"]]
        assert (line["required"], line["matched"], line["missing"]) == (
            row["required"], row["digitised"] + row["needs_review"], row["missing"])
    catalog.close()
    total = report["total"]
    assert total["required"] == sum(v[0] for v in EXPECTED.values()) == 16
    assert total["digitised"] == 5 and total["percent_done"] == round(100 * 5 / 16, 2)


def test_json_csv_table_and_html_agree(home, tmp_path):
    report = json.loads(sohoa(home, "--format", "json"))
    expected = [*report["rows"], report["total"]]
    csv_rows = list(csv.DictReader(io.StringIO(sohoa(home, "--format", "csv"))))
    assert [r["group"] for r in csv_rows] == [r["group"] for r in expected]
    for got, want in zip(csv_rows, expected):
        assert got == {k: "" if v is None else str(v) for k, v in want.items()}

    sohoa(home, "--format", "html", "-o", str(tmp_path / "r.html"))
    cells = _table_cells((tmp_path / "r.html").read_text(encoding="utf-8"), "progress")
    sohoa(home, "-o", str(tmp_path / "r.txt"))
    lines = (tmp_path / "r.txt").read_text(encoding="utf-8").splitlines()
    fields = ["required", "digitised", "needs_review", "missing", "failed", "unmatched_records",
              "percent_done", "pace_per_day", "projected_completion"]
    for index, want in enumerate(expected):
        shown = ["–" if want[f] is None else str(want[f]) for f in fields]
        label = "tổng" if want["group"] == "total" else want["group"]
        html_row = cells[index]
        assert html_row[0] == label and html_row[2:11] == shown and html_row[11] == STATUS_LABELS[want["status"]]
        [line] = [line for line in lines if line.split()[:1] == [label]]
        assert line.split()[1:10] == shown, line
        assert STATUS_LABELS[want["status"]] in line


def test_burn_up_by_month(home):
    report = json.loads(sohoa(home, "--format", "json"))
    months = list(csv.DictReader(io.StringIO(sohoa(home, "--by", "month", "--format", "csv"))))
    assert [m["month"] for m in months] == [m["month"] for m in report["months"]]
    assert int(months[-1]["cumulative"]) == report["total"]["digitised"] == 5
    assert [int(m["digitised"]) for m in months] == [m["digitised"] for m in report["months"]]
    table = sohoa(home, "--by", "month")
    assert "lũy kế" in table and f"cần số hóa: {report['total']['required']}" in table


def test_target_date_option_and_structure(home):
    # Everything left is done in about four months at the recent pace: on track for a late target.
    late = json.loads(sohoa(home, "--format", "json", "--target-date", "2099-12-31"))
    assert late["target_date"] == "2099-12-31"
    assert {r["group"]: r["status"] for r in late["rows"]}[PROVINCE] == "on_track"
    early = json.loads(sohoa(home, "--format", "json", "--target-date", date.today().isoformat()))
    assert {r["group"]: r["status"] for r in early["rows"]}[PROVINCE] == "behind"
    env = {**home, "SOHOA_TARGET_DATE": "2099-06-30"}
    assert json.loads(sohoa(env, "--format", "json"))["target_date"] == "2099-06-30"
    successor = json.loads(sohoa(home, "--format", "json", "--structure", "successor", "--by", "level"))
    assert successor["structure"] == "successor" and successor["total"]["required"] == 16


def test_issue_year_keeps_its_meaning(home):
    years = {r["group"]: r["required"] for r in json.loads(sohoa(home, "--by", "year", "--format", "json"))["rows"]}
    assert years == REQUIRED["year"]


def test_table_without_a_denominator_still_shows_the_records(tmp_path):
    url = f"sqlite:///{tmp_path / 'catalog.sqlite3'}"
    catalog = Catalog(url)
    for n, status in enumerate(["digitised", "needs_review", "failed"], start=1):
        catalog.save(record(n, PROVINCE, status, 1, f"{n}/QĐ-UBND", "2024-01-02"), f"k{n}")
    catalog.close()
    result = CliRunner().invoke(app, ["progress"], env={"SOHOA_HOME": str(tmp_path), "SOHOA_CATALOG_URL": url})
    assert result.exit_code == 0
    assert "chưa có số liệu" in result.stdout
    assert "Hồ sơ đã nhận: 3 — đã số hóa 1, cần kiểm tra 1, lỗi đọc 1" in result.stdout
    assert "`sohoa register import SỔ.csv`" in " ".join(result.stderr.split())  # how to get a denominator


@pytest.mark.parametrize("args", [["--target-date", "31/12/2025"], ["--by", "district"], ["--structure", "new"]])
def test_bad_options_are_usage_errors(args, home):
    result = subprocess.run([sys.executable, "-m", "flows.cli", "progress", *args], env={**os.environ, **home},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    message = " ".join(result.stderr.replace("│", " ").split())
    assert f"Invalid value for '{args[0]}'" in message and f"'{args[1]}'" in message


def test_malformed_target_date_setting_is_a_configuration_error(home):
    env = {**os.environ, **home, "SOHOA_TARGET_DATE": "cuối năm"}
    result = subprocess.run([sys.executable, "-m", "flows.cli", "progress"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "progress settings" in result.stderr and "target_date" in result.stderr and "cuối năm" in result.stderr


class _Cells(HTMLParser):
    """The text of every row of one table, body and footer."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.inside = dict(attrs).get("id") == self.table_id
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None
        elif tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def _table_cells(page: str, table_id: str) -> list[list[str]]:
    parser = _Cells(table_id)
    parser.feed(page)
    return [row for row in parser.rows if row]  # the header row has th cells only


def test_the_api_answers_what_the_cli_prints(home):
    """The acceptance check: CLI (JSON), HTML and API tell the same numbers for the same catalog."""
    from fastapi.testclient import TestClient

    from web.api import create_app
    from web.api_auth import issue_token

    catalog = Catalog(home["SOHOA_CATALOG_URL"])
    try:
        _, token = issue_token(catalog, "sở nội vụ", "supervisor", None)
        client = TestClient(create_app(catalog, b"k" * 32))
        for by in ("agency", "level", "year"):
            printed = json.loads(sohoa(home, "--format", "json", "--by", by))
            answered = client.get(f"/api/v1/progress?by={by}", headers={"Authorization": f"Bearer {token}"}).json()
            for report in (printed, answered):
                report.pop("generated_at")
            assert answered == printed, by
    finally:
        catalog.close()


def shown_required(format: str, printed: str, groups: list[str]) -> dict[str, int]:
    """`required` per group and for the total, as one format shows the table."""
    if format == "json":
        report = json.loads(printed)
        return {row["group"]: row["required"] for row in [*report["rows"], report["total"]]}
    if format == "csv":
        return {row["group"]: int(row["required"]) for row in csv.DictReader(io.StringIO(printed))}
    if format == "html":
        rows = _table_cells(printed, "progress")
        return {"total" if row[0] == "tổng" else row[0]: int(row[2]) for row in rows}
    shown = {}
    for group in [*groups, "tổng"]:
        [line] = [line.strip() for line in printed.splitlines() if line.strip().startswith(f"{group} ")]
        shown["total" if group == "tổng" else group] = int(line[len(group):].split()[0])
    return shown


def shown_months(format: str, printed: str) -> list[tuple[str, int]]:
    """(month, cumulative digitised) of the burn-up, as one format shows it."""
    if format == "json":
        return [(month["month"], month["cumulative"]) for month in json.loads(printed)["months"]]
    if format == "csv":
        return [(row["month"], int(row["cumulative"])) for row in csv.DictReader(io.StringIO(printed))]
    if format == "html":
        return [(row[0], int(row[2])) for row in _table_cells(printed, "months")]
    rows = [line.split() for line in printed.splitlines() if re.match(r"\s*\d{4}-\d{2} ", line)]
    return [(row[0], int(row[2])) for row in rows]


@pytest.mark.parametrize("by", ["agency", "level", "procedure", "field", "year", "month"])
@pytest.mark.parametrize("format", ["table", "json", "csv", "html"])
def test_every_grouping_in_every_format(by, format, home):
    printed = sohoa(home, "--by", by, "--format", format)
    if by != "month":
        assert shown_required(format, printed, list(REQUIRED[by])) == {**REQUIRED[by], "total": 16}
        return
    # By month: the burn-up, whose last month holds the 5 results approved so far.
    months = shown_months("json", sohoa(home, "--by", "month", "--format", "json"))
    assert months[-1][1] == 5 and shown_months(format, printed) == months
    if format in ("json", "html"):  # these also carry the table by agency
        assert shown_required(format, printed, list(REQUIRED["agency"])) == {**REQUIRED["agency"], "total": 16}


def test_the_table_names_batches_dropped_but_not_taken(home, tmp_path):
    # One drop marked ready, one still without its marker: both wait; the first goes at the next run.
    for batch, marker in (("Hộp 1", "_READY"), ("Hộp 2", None)):
        folder = tmp_path / PROVINCE / batch
        folder.mkdir(parents=True)
        (folder / "qd.pdf").write_bytes(b"%PDF-1.7\n")
        if marker:
            (folder / marker).write_text("")
    text = sohoa({**home, "SOHOA_DROP_DIR": str(tmp_path), "SOHOA_DROP_QUIET_SECONDS": "0"})
    assert "Lô đã thả chưa nhận: 2 (2 tệp; 1 sẽ nhận ở lần chạy tới)" in text
