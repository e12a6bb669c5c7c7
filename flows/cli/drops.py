"""`sohoa drops list|take`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli import app
from flows.cli.batches import _process
from flows.cli.common import EXIT_SERVICE, ServiceFailure, TableFormat, _cell, _services, _write, console, out

drops_app = typer.Typer(help="Batches archive staff drop in SOHOA_DROP_DIR or the S3 inbox (taken nightly).",
                        no_args_is_help=True)
app.add_typer(drops_app, name="drops")
DROP_STATES = {"ready": "sẵn sàng", "waiting": "chờ", "rejected": "sẽ từ chối"}
DROP_ACTIONS = {"taken": "đã nhận", "rejected": "từ chối", "left": "để lại", "error": "lỗi"}


@drops_app.command("list")
def drops_list(format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.table) -> None:
    """Drops not taken yet: complete or not and why, and what the next run will do with each."""
    from flows.drops import list_drops

    services = _services()
    listing = list_drops(services.catalog, services.store)
    if format is TableFormat.json:
        _write([listing.model_dump_json(indent=2) + "\n"], None)
    else:
        table = Table("nguồn", "cơ quan", "lô", "tệp", "MB", "thay đổi lúc", "trạng thái", "lý do",
                      title=f"Lô đã thả, chưa nhận: {len(listing.drops)}")
        for drop in listing.drops:
            table.add_row(drop.source, escape(drop.agency), escape(drop.batch), str(drop.files),
                          f"{drop.bytes / 1e6:.1f}", f"{drop.last_change.astimezone():%Y-%m-%d %H:%M}",
                          DROP_STATES[drop.state], escape(f"{drop.code}: {drop.reason}" if drop.code else drop.reason))
        out.print(table)
    for problem in listing.problems:
        console.print(f"[red]not listed:[/] {escape(problem)}", soft_wrap=True, highlight=False)
    if listing.problems:
        raise typer.Exit(EXIT_SERVICE)


@drops_app.command("take")
def drops_take(process: Annotated[bool, typer.Option(
        "--process", help="Then process everything pending, as the nightly run does.")] = False) -> None:
    """Take every complete drop now (ingest, move to processed/), reject the bad ones; leave the rest."""
    from flows.drops import DropsNotTaken, take_drops
    from storage.errors import CatalogUnavailable, StorageError

    services = _services()
    failure = None
    try:
        outcomes = take_drops(services)
    except DropsNotTaken as exc:
        outcomes, failure = exc.outcomes, str(exc)
    except (StorageError, CatalogUnavailable) as exc:
        raise ServiceFailure(f"drops stay where they are, the next run resumes: {exc}") from exc
    table = Table("nguồn", "cơ quan", "lô", "việc", "lô số hóa", "tệp mới", "lý do / nơi chuyển đến",
                  title="Nhận lô đã thả")
    for o in outcomes:
        detail = {"taken": o.error or o.moved_to, "rejected": f"{o.drop.code}: {o.drop.reason} → {o.moved_to}",
                  "left": f"{o.drop.code}: {o.drop.reason}", "error": o.error}[o.action]
        table.add_row(o.drop.source, escape(o.drop.agency), escape(o.drop.batch), DROP_ACTIONS[o.action],
                      escape(_cell(o.batch_id)), str(o.registered), escape(_cell(detail)))
    out.print(table)
    if process:
        _process(None)
    if failure:
        raise ServiceFailure(failure)
