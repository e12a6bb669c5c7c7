"""`sohoa agencies ...` and `sohoa register ...`: the agency list and the registers of issued results."""

from __future__ import annotations

import contextlib
import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli import app
from flows.cli.common import EXIT_USAGE, ServiceFailure, _cell, _plain, _services, _write, console, out

agencies_app = typer.Typer(help="The agencies that issue results: level, parent, successor.", no_args_is_help=True)
register_app = typer.Typer(
    help="Registers of issued results (the denominator of the stock) and the records found in them.",
    no_args_is_help=True,
)
app.add_typer(agencies_app, name="agencies")
app.add_typer(register_app, name="register")


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


UNMATCHED_COLUMNS = ["kind", "agency", "id", "document_number", "issue_date", "holder_id", "source", "status"]


@agencies_app.command("import")
def agencies_import(
    file: Annotated[Path, typer.Argument(help="CSV: code,name,level,parent,successor,valid_from,valid_to (UTF-8).")],
) -> None:
    """Add or update agencies by code; a bad line refuses the whole file (nothing is changed)."""
    from storage.agencies import import_agencies, parse_agencies

    data = _read_input(file)
    with _input_errors(file):
        parse_agencies(data)  # a malformed file is the user's to fix before any service is needed
        services = _services()
        added, updated = import_agencies(services.store, services.catalog, data, file.name)
    console.print(f"{escape(file.name)}: {added} agencies added, {updated} updated")


@agencies_app.command("list")
def agencies_list(format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table) -> None:
    """Every agency; --format csv writes the import format."""
    from storage.agencies import CSV_COLUMNS, agencies_csv

    agencies = _services().catalog.agencies()
    if format is ListFormat.csv:
        _write([agencies_csv(agencies)], None)
        return
    rows = [{c: _plain(getattr(a, c)) for c in CSV_COLUMNS} for a in agencies]
    if format is ListFormat.json:
        _write([json.dumps(rows, ensure_ascii=False, indent=2) + "\n"], None)
        return
    table = Table(*CSV_COLUMNS, title=f"Cơ quan: {len(rows)}")
    for row in rows:
        table.add_row(*(escape(_cell(row[c])) for c in CSV_COLUMNS))
    out.print(table)


@register_app.command("import")
def register_import(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8) or XLSX as the one-stop system exports it.")],
    agency: Annotated[str | None, typer.Option("--agency", help="Agency code for rows without a Cơ quan.")] = None,
) -> None:
    """Load a register of issued results (CSV or XLSX).

    Bad rows are reported with their row number and the good ones kept; importing the same file
    again adds nothing.
    """
    from storage.registers import check_register_file, import_register

    if agency is not None and not agency.strip():
        raise typer.BadParameter("must not be empty", param_hint="--agency")
    data = _read_input(file)
    with _input_errors(file):
        check_register_file(data)
        services = _services()
        result = import_register(services.store, services.catalog, data, file.name, agency)
    for problem in result.problems:
        console.print(f"[red]{escape(file.name)}, row {problem.row}:[/] {escape(problem.message)}")
    console.print(
        f"{escape(file.name)}: {result.added} rows added, {result.already} already there, "
        f"{len(result.problems)} bad rows"
    )
    if result.problems and not (result.added or result.already):
        raise typer.Exit(EXIT_USAGE)


@register_app.command("declare")
def register_declare(
    agency: Annotated[str, typer.Option("--agency", help="Code of an agency that has no register.")],
    total: Annotated[int, typer.Option("--total", min=0, help="How many valid results it holds.")],
) -> None:
    """Record a declared total for an agency without a register (the latest declaration counts)."""
    from storage.registers import declare_total

    if not agency.strip():
        raise typer.BadParameter("must not be empty", param_hint="--agency")
    services = _services()
    with _input_errors(None):
        declare_total(services.store, services.catalog, agency, total)
    console.print(f"{escape(agency.strip())}: {total} results declared")


@register_app.command("match")
def register_match() -> None:
    """Match records to register entries again; prints per agency required = matched + missing.

    Stages: exact number and notation, then holder id + issue date, then a similar number within a
    few days (flagged for review). Duplicates never match; one record per entry.
    """
    from storage.matching import match, reconcile

    catalog = _services().catalog
    summary = match(catalog)
    console.print(
        f"matched: exact {summary.exact}, holder id + date {summary.holder_date}, fuzzy {summary.fuzzy} "
        f"({summary.flagged} flagged for review); register entries without a record: "
        f"{summary.unmatched_entries}; records in no register: {summary.unmatched_records}"
    )
    columns = ["agency", "basis", "required", "matched", "missing", "flagged"]
    table = Table(*columns, title="Đối chiếu sổ theo dõi")
    for row in reconcile(catalog):
        table.add_row(*(escape(str(row[c])) for c in columns))
    out.print(table)


@register_app.command("unmatched")
def register_unmatched(format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table) -> None:
    """Register entries without a record, and records found in no register entry.

    As of the last `sohoa register match`; records are listed for agencies that have a register.
    Personal numbers are masked.
    """
    from storage.csvtext import csv_lines
    from storage.matching import mask_holder_id

    catalog = _services().catalog
    rows = [
        {"kind": "register_entry", "agency": e.agency, "id": str(e.id), "document_number": e.document_number_raw,
         "issue_date": _plain(e.issue_date), "holder_id": mask_holder_id(e.holder_id),
         "source": f"{e.source_name}, row {e.row_number}", "status": None}
        for e in catalog.unmatched_register_entries()
    ]
    for record in catalog.unmatched_records():
        value = {name: field.value for name, field in record.fields.items()}.get
        rows.append({"kind": "record", "agency": record.agency, "id": record.id,
                     "document_number": value("document_number"), "issue_date": value("issue_date"),
                     "holder_id": mask_holder_id(value("holder_id")), "source": record.source_path,
                     "status": record.status})
    if format is ListFormat.json:
        _write([json.dumps(rows, ensure_ascii=False, indent=2) + "\n"], None)
        return
    if format is ListFormat.csv:
        _write(csv_lines(UNMATCHED_COLUMNS, rows), None)
        return
    table = Table(*UNMATCHED_COLUMNS, title=f"Chưa khớp: {len(rows)}")
    for row in rows:
        table.add_row(*(escape(_cell(row[c])) for c in UNMATCHED_COLUMNS))
    out.print(table)


def _read_input(file: Path) -> bytes:
    if not file.is_file():
        raise typer.BadParameter(f"no such file: {file}", param_hint="FILE")
    return file.read_bytes()


@contextlib.contextmanager
def _input_errors(file: Path | None):
    """A file or value the user must fix is exit 1, naming the line or row; storage failures exit 2."""
    from storage.agencies import AgencyFileError
    from storage.errors import StorageError
    from storage.registers import RegisterFileError

    where = f"{escape(file.name)}, " if file else ""
    try:
        yield
    except AgencyFileError as exc:
        for line, message in exc.problems:
            console.print(f"[red]{where}line {line}:[/] {escape(message)}")
        raise typer.Exit(EXIT_USAGE) from exc
    except RegisterFileError as exc:
        console.print(f"[red]{where}refused:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    except StorageError as exc:
        raise ServiceFailure(f"object storage: {exc}") from exc
