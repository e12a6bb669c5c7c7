"""`sohoa review list|show|set|approve|send-back|history`: archive staff correct and approve records."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import unicodedata
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli import app
from flows.cli.common import (
    EXIT_USAGE, ServiceFailure, TableFormat, _cell, _services, _write, console, out,
)

review_app = typer.Typer(help="Review and correct records (archive staff).", no_args_is_help=True)
app.add_typer(review_app, name="review")


RecordIdArg = Annotated[str, typer.Argument(help="Record id.")]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who makes the change; default $SOHOA_USER, then the OS user.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Why, kept in the record's history.")]


@review_app.command("list")
def review_list(
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency.")] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch id.")] = None,
    format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table,
) -> None:
    """Records waiting for a person, with the reasons."""
    from flows.review import needs_review

    with _review_errors():
        records = needs_review(_services(), agency, batch)
    rows = [
        {"id": r.id, "source_name": r.source_name, "document_type": r.document_type, "review_reasons": r.review_reasons}
        for r in records
    ]
    if format is TableFormat.json:
        _write([json.dumps(rows, ensure_ascii=False, indent=2) + "\n"], None)
        return
    table = Table(title=f"Cần kiểm tra: {len(rows)}")
    for column in ("id", "file", "type", "reasons"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["id"], escape(row["source_name"]), _cell(row["document_type"]),
                      escape("; ".join(row["review_reasons"])))
    out.print(table)


@review_app.command("show")
def review_show(record_id: RecordIdArg) -> None:
    """A record's fields (value, confidence, source), review reasons and corrections."""
    from flows.review import latest

    with _review_errors():
        record = latest(_services(), record_id)
    out.print(f"{record.id}  {escape(record.source_name)}  {record.status}  {_cell(record.document_type)}")
    table = Table("field", "value", "confidence", "source")
    for name, field in record.fields.items():
        table.add_row(name, escape(field.value), f"{field.confidence:.2f}", field.source)
    out.print(table)
    for name, field in record.suggestions.items():
        out.print(f"suggested: {name} {escape(field.value)} ({field.confidence:.2f}), not in the fields")
    for reason in record.review_reasons:
        out.print(f"reason: {escape(reason)}")
    for reason in record.resolved_reasons:
        out.print(f"resolved: {escape(reason)}")
    for c in record.corrections:
        old, new = (escape(side.value) if side else "(none)" for side in (c.old, c.new))
        note = f" ({escape(c.note)})" if c.note else ""
        out.print(f"{c.at:%Y-%m-%d %H:%M} {escape(c.by)}: {c.field} {old} → {new}{note}")
    for n in record.review_notes:
        out.print(f"{n.at:%Y-%m-%d %H:%M} {escape(n.by)}: sent back: {escape(n.note)}")
    if record.approved_by:
        out.print(f"approved {record.approved_at:%Y-%m-%d %H:%M} by {escape(record.approved_by)}")


@review_app.command("set")
def review_set(
    record_id: RecordIdArg,
    field: Annotated[str, typer.Argument(help="Field name, e.g. issue_date.")],
    value: Annotated[str | None, typer.Argument(help="New value; empty removes the field.")] = None,
    by: ByOpt = None,
    note: NoteOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Store a value that fails its check.")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the field instead.")] = False,
) -> None:
    """Correct one field: a new version of the record with who, when, the old and new value."""
    from flows.review import set_field

    if remove == (value is not None):
        raise typer.BadParameter("give either a VALUE or --remove", param_hint="VALUE")
    who = _who(by)
    with _review_errors():
        set_field(_services(), record_id, field, value or "", who, note, force)
    console.print(f"{record_id}: {escape(field)} {'removed' if not value else 'corrected'} by {escape(who)}")


@review_app.command("approve")
def review_approve(record_id: RecordIdArg, by: ByOpt = None, note: NoteOpt = None) -> None:
    """Accept a needs_review record as it stands now: it becomes digitised."""
    from flows.review import approve

    who = _who(by)
    with _review_errors():
        approve(_services(), record_id, who, note)
    console.print(f"{record_id}: approved by {escape(who)}")


@review_app.command("send-back")
def review_send_back(
    record_id: RecordIdArg,
    note: Annotated[str, typer.Option("--note", help="What to look at again (required), kept in the record.")],
    by: ByOpt = None,
) -> None:
    """Leave a needs_review record waiting, with a note (in review_notes) saying what to look at again."""
    from flows.review import send_back

    who = _who(by)
    with _review_errors():
        send_back(_services(), record_id, who, note)  # NFC and the empty note's refusal are send_back's
    console.print(f"{record_id}: sent back by {escape(who)}")


@review_app.command("history")
def review_history(record_id: RecordIdArg) -> None:
    """Every stored version of a record, newest first, with the corrections each one added (JSON)."""
    from flows.review import history

    with _review_errors():
        entries = history(_services(), record_id)
    _write([json.dumps(entries, ensure_ascii=False, indent=2) + "\n"], None)


def _who(by: str | None) -> str:
    try:
        return unicodedata.normalize("NFC", by or os.environ.get("SOHOA_USER") or getpass.getuser())
    except (KeyError, OSError):  # a container user without a name
        raise typer.BadParameter("cannot tell who you are; set SOHOA_USER", param_hint="--by") from None


@contextlib.contextmanager
def _review_errors():
    """A refused correction is the user's to fix (exit 1); storage failures are exit 2."""
    from flows.review import CorrectionRefused
    from storage.errors import StorageError

    try:
        yield
    except CorrectionRefused as exc:
        console.print(f"[red]refused:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from exc
    except StorageError as exc:
        raise ServiceFailure(f"object storage: {exc}") from exc
