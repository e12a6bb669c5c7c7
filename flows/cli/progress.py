"""`sohoa progress`: the way to 100% of issued results digitised, in a table or a file."""

from __future__ import annotations

import contextlib
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.cli import app
from flows.cli.common import OutputOpt, ServiceFailure, _catalog_only, _write, console, out
from storage.settings import StorageSettings


class ProgressFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


class GroupBy(str, Enum):
    agency = "agency"
    level = "level"
    procedure = "procedure"
    field = "field"  # lĩnh vực, as the registers name it
    year = "year"  # of issue
    month = "month"  # of digitisation: the burn-up


class Structure(str, Enum):
    historical = "historical"
    successor = "successor"


@app.command()
def progress(
    by: Annotated[GroupBy, typer.Option("--by", help="Group rows by agency, level, procedure code or "
                                        "year of issue; month: the burn-up per month of digitisation.")] = GroupBy.agency,
    structure: Annotated[Structure, typer.Option(
        "--structure", help="historical: agencies as they issued the results; successor: as they stand today.",
    )] = Structure.historical,
    target_date: Annotated[datetime | None, typer.Option(
        "--target-date", formats=["%Y-%m-%d"], help="Date by which 100% is due (default $SOHOA_TARGET_DATE).",
    )] = None,
    format: Annotated[ProgressFormat, typer.Option("--format")] = ProgressFormat.table,
    output: OutputOpt = None,
) -> None:
    """Progress toward 100% of issued results digitised: required (register entries or declared
    totals) = digitised + needs review + missing, pace, projected completion, status vs target."""
    from flows import reports
    from flows.report_html import progress_html

    with contextlib.closing(_catalog_only()) as catalog:
        report = _progress_report(catalog, by, structure, target_date)
        if format is ProgressFormat.table:
            _write_table(report, by, output)
            if output is None:
                _print_records_per_status(catalog, report)
                _print_waiting_drops(catalog)
            return
    text = {
        ProgressFormat.json: reports.progress_json,
        ProgressFormat.csv: reports.months_csv if by is GroupBy.month else reports.progress_csv,
        ProgressFormat.html: progress_html,
    }[format](report)
    _write([text], output)


def _progress_report(catalog, by: GroupBy, structure: Structure, target_date: datetime | None):
    from pydantic import ValidationError

    from storage.progress import ProgressSettings, progress_report

    try:
        settings = ProgressSettings(**({"target_date": target_date.date()} if target_date else {}))
    except ValidationError as exc:  # a malformed SOHOA_TARGET_DATE or SOHOA_INTERIM_TARGETS
        raise ServiceFailure(f"progress settings: {exc}") from exc
    # The burn-up comes with every report; its rows are then per agency.
    group = "agency" if by is GroupBy.month else by.value
    return progress_report(catalog, group, structure.value, settings=settings)


# Terminal headers short enough for 80 columns; the caption spells them out.
SHORT_HEADERS = {
    "required": "cần", "digitised": "đã", "needs_review": "k.tra", "missing": "thiếu", "failed": "lỗi",
    "unmatched_records": "ngoài", "percent_done": "%", "pace_per_day": "/ngày", "projected_completion": "dự kiến",
    "status": "tình trạng",
}
LEGEND = (
    "cần: cần số hóa (theo sổ theo dõi hoặc số khai báo) = đã + k.tra + thiếu; đã: đã số hóa và duyệt; "
    "k.tra: cần kiểm tra; thiếu: còn thiếu; lỗi: hồ sơ lỗi đọc; ngoài: hồ sơ đã đọc không có trong sổ; "
    "/ngày: tốc độ 30 ngày qua; dự kiến: ngày đạt 100% theo tốc độ đó"
)
NAMES_FROM_WIDTH = 110  # terminal columns from which the agency names fit beside the numbers
FILE_WIDTH = 200


def _progress_table(report, by: GroupBy, width: int) -> Table:
    from rich import box

    from flows import reports

    title = (f"Tiến độ số hóa đến {report.today.isoformat()}, mốc {report.target_date.isoformat()}, "
             f"{reports.STRUCTURE_LABELS[report.structure]}")
    style = {"title": title, "box": box.SIMPLE_HEAD, "padding": (0, 0), "pad_edge": False}
    if by is GroupBy.month:
        table = Table(caption=f"cần số hóa: {report.total.required}", **style)
        for index, header in enumerate(reports.MONTH_HEADERS.values()):
            table.add_column(header, justify="right" if index else "left")
        for point in report.months:
            table.add_row(*reports.month_cells(point))
        return table
    table = Table(caption=LEGEND, **style)
    table.add_column(reports.GROUP_LABELS[report.by], no_wrap=True)
    for field, header in SHORT_HEADERS.items():
        table.add_column(header, justify="left" if field == "status" else "right", no_wrap=field != "status",
                         min_width=9 if field == "status" else None)
    rows = [reports.progress_cells(row, report.by) for row in report.rows]
    names = width >= NAMES_FROM_WIDTH and any(cells[1] != reports.NO_VALUE for cells in rows)
    if names:
        table.add_column("tên", max_width=40)

    def add(cells: list[str], **options) -> None:
        group, name, *values = (escape(cell) for cell in cells)
        table.add_row(group, *values, *([name] if names else []), **options)

    for cells in rows:
        add(cells)
    table.add_section()
    add(reports.progress_cells(report.total, report.by, total=True), style="bold")
    return table


def _write_table(report, by: GroupBy, output: Path | None) -> None:
    if output is None:
        out.print(_progress_table(report, by, out.width))
        return
    # Plain text, wide enough that no column wraps: a file is read later, not in this terminal.
    with output.open("w", encoding="utf-8") as handle:
        Console(file=handle, width=FILE_WIDTH, color_system=None).print(_progress_table(report, by, FILE_WIDTH))
    console.print(f"wrote {output}")


def _print_records_per_status(catalog, report) -> None:
    """What was read whatever the denominator: the first thing a fresh install has to show."""
    from flows.reports import NO_DENOMINATOR_HINT

    counts = catalog.status_counts()
    out.print(
        f"Hồ sơ đã nhận: {sum(counts.values())} — đã số hóa {counts['digitised']}, cần kiểm tra "
        f"{counts['needs_review']}, lỗi đọc {counts['failed']}, trùng {counts['duplicate']}, "
        f"chờ xử lý {counts['pending']}"
    )
    if not report.total.required:
        console.print(escape(NO_DENOMINATOR_HINT))


def _print_waiting_drops(catalog) -> None:
    """Batches dropped but not taken yet: staff's work the counts above do not show yet."""
    from flows.drops import list_drops_if_reachable

    listing = list_drops_if_reachable(catalog, StorageSettings())
    if listing.drops:
        papers = sum(drop.files for drop in listing.drops)
        ready = sum(drop.state == "ready" for drop in listing.drops)
        out.print(f"Lô đã thả chưa nhận: {len(listing.drops)} ({papers} tệp; {ready} sẽ nhận ở lần chạy tới) "
                  "— xem `sohoa drops list`")
    for problem in listing.problems:
        out.print(f"Lô đã thả: {problem}")
