"""`sohoa records export|show|schema`."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from flows.cli import app
from flows.cli.common import OutputOpt, _services, _write, out

records_app = typer.Typer(help="Read the records.", no_args_is_help=True)
app.add_typer(records_app, name="records")


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    national_jsonl = "national-jsonl"  # approved records under the national systems' field names
    national_csv = "national-csv"


@records_app.command("export")
def records_export(
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch.")] = None,
    format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.jsonl,
    output: OutputOpt = None,
) -> None:
    """Every record, one per input file (the latest version of each); national-* formats: approved
    records only, with the national systems' field names (SoKyHieu, NgayCap, MaChuGiayTo ...)."""
    from flows import reports

    writers = {
        ExportFormat.jsonl: reports.records_jsonl,
        ExportFormat.csv: reports.records_csv,
        ExportFormat.national_jsonl: reports.national_jsonl,
        ExportFormat.national_csv: reports.national_csv,
    }
    _write(writers[format](_services().catalog.records(batch)), output)


@records_app.command("show")
def records_show(record_id: str) -> None:
    """One record as JSON."""
    record = _services().catalog.get(record_id)
    if record is None:
        raise typer.BadParameter(f"no record {record_id}", param_hint="RECORD_ID")
    out.print_json(data=record.export_dict())


@records_app.command("schema")
def records_schema(output: OutputOpt = None) -> None:
    """The JSON Schema (draft 2020-12) of a record as exported: every key present in every record."""
    from storage.record_schema import record_schema

    _write([json.dumps(record_schema(), ensure_ascii=False, indent=2) + "\n"], output)
