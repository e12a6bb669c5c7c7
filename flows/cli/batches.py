"""Batches: `sohoa ingest`, `process`, `digitise`, `reindex`, `fixity`."""

from __future__ import annotations

import json
import threading
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli import app
from flows.cli.common import ServiceFailure, _check_tools, _progress_bar, _services, _write, console, out

PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders (folders are walked).")]
AgencyOpt = Annotated[str, typer.Option("--agency", help="Code of the agency that holds the papers.")]
BatchOpt = Annotated[str | None, typer.Option("--batch", help="Batch name; ingesting again into it adds only new files.")]


@app.command()
def ingest(paths: PathsArg, agency: AgencyOpt, batch: BatchOpt = None) -> None:
    """Store the originals and register one document per file; prints the batch id."""
    result = _ingest(paths, agency, batch)
    out.print(result.batch_id)


def _ingest(paths: list[Path], agency: str, batch: str | None):
    from flows.intake import walk_inputs, ingest as ingest_files

    if not agency.strip():
        raise typer.BadParameter("must not be empty", param_hint="--agency")
    try:
        total = sum(1 for _ in walk_inputs(paths))
    except FileNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="PATHS") from exc
    services = _services()
    with _progress_bar("ingest", total) as advance:
        result = ingest_files(paths, agency, services, batch_name=batch, on_file=lambda _: advance())
    duplicates = sum(1 for r in result.registered if r.status == "duplicate")
    console.print(
        f"batch {result.batch_id}: {len(result.registered)} files registered "
        f"({duplicates} duplicates), {result.already_registered} already there"
    )
    return result


@app.command()
def process(batch: Annotated[str | None, typer.Option("--batch", help="Batch id; all batches when omitted.")] = None) -> None:
    """Run the digitisation flow over every pending document."""
    _process(batch)


def _process(batch_id: str | None) -> None:
    _check_tools()
    # No lock: runs here and on other machines share the pending documents through claims in
    # the catalog (flows/claims.py), each document taken by one of them.
    _run_flow(_services(), batch_id)


def _run_flow(services, batch_id: str | None) -> None:
    pending = services.catalog.count_with_status("pending", batch_id)
    from flows.digitise import RunFailed, digitise_batch
    from flows.steps import SERVICE_ERRORS

    stop = threading.Event()
    with _progress_bar("digitise", pending) as advance:
        watcher = threading.Thread(target=_watch_pending, args=(services, batch_id, pending, advance, stop), daemon=True)
        watcher.start()
        try:
            counts = digitise_batch(batch_id=batch_id)
        except (RunFailed, *SERVICE_ERRORS) as exc:
            raise ServiceFailure(str(exc)) from exc
        finally:
            stop.set()
            watcher.join()
    _print_counts(counts)


def _watch_pending(services, batch_id, total, advance, stop: threading.Event) -> None:
    done = 0
    while not stop.wait(0.5):
        # A count, not the ids: this runs twice a second.
        now = total - services.catalog.count_with_status("pending", batch_id)
        for _ in range(now - done):
            advance()
        done = max(done, now)


def _print_counts(counts: dict[str, int]) -> None:
    console.print(", ".join(f"{status}: {n}" for status, n in counts.items() if n))


@app.command()
def digitise(paths: PathsArg, agency: AgencyOpt, batch: BatchOpt = None) -> None:
    """Ingest and process in one go; prints the batch id."""
    result = _ingest(paths, agency, batch)
    _process(result.batch_id)
    out.print(result.batch_id)


@app.command()
def reindex() -> None:
    """Rebuild the catalog from the records in object storage alone."""
    from storage.records import Record
    from storage.registers import reload_inputs

    services = _services()
    store = services.store

    def records():
        for key in store.list_record_keys():
            yield Record.model_validate_json(store.get_record(key)), key

    count = services.catalog.rebuild(records())
    # Agency lists, registers and declarations are inputs, not records: replay them too.
    reloaded = reload_inputs(store, services.catalog)
    console.print(f"catalog rebuilt from {count} records; inputs replayed: "
                  + ", ".join(f"{n} {kind}" for kind, n in reloaded.items()))


# --- fixity ------------------------------------------------------------------------------

EXIT_FIXITY = 4  # objects missing, changed or unreadable


class FixityFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def fixity(
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch; every batch when omitted.")] = None,
    parts: Annotated[int, typer.Option("--parts", min=1, help="Check one Nth of the records (by record id).")] = 1,
    part: Annotated[int | None, typer.Option("--part", min=0, help="Which part, 0 to N-1; default: this week's.")] = None,
    restore: Annotated[bool, typer.Option("--restore", help="Put back the stored version that has the recorded bytes.")] = False,
    format: Annotated[FixityFormat, typer.Option("--format")] = FixityFormat.table,
) -> None:
    """Re-read originals and derived files and compare their SHA-256 with the records.

    Exit 4 when an object is missing, changed or unreadable (after --restore: when one is left).
    """
    from flows.fixity import check_archive
    from storage.errors import CatalogUnavailable, StorageError
    from storage.fixity import check_object, restore as restore_object

    if part is not None and part >= parts:
        raise typer.BadParameter(f"must be below --parts ({parts})", param_hint="--part")
    services = _services()
    try:
        # Each problem is logged (stderr and sohoa.log) with what to do about it.
        report = check_archive(services, batch, parts, part)
        problems = report.problems
        if restore:
            for check in [c for c in problems if c.restore_version]:
                restore_object(services.store, check)
                console.print(f"restored {escape(check.ref)} from version {check.restore_version}",
                              soft_wrap=True, highlight=False)
            # Only what was restored is read again: the others were not touched, and re-reading
            # them would repeat the search through their versions.
            again = (check_object(services.store, c.target()) if c.restore_version else c for c in problems)
            problems = [c for c in again if c.problem]
    except (StorageError, CatalogUnavailable) as exc:
        raise ServiceFailure(str(exc)) from exc
    if format is FixityFormat.json:
        data = report.model_dump(mode="json") | {"problems": [c.model_dump(mode="json") for c in problems]}
        _write([json.dumps(data, ensure_ascii=False, indent=2) + "\n"], None)
    elif problems:
        # Keys are long hashes: folded, never cut, so that they can be copied (--format json has the digests).
        table = Table("status", "role", title=f"Fixity: {len(problems)} problems")
        table.add_column("record", no_wrap=True)
        table.add_column("object", overflow="fold")
        table.add_column("restore from version", overflow="fold")
        for check in problems:
            table.add_row(check.status, check.role, check.record_id, escape(check.ref), check.restore_version or "")
        out.print(table)
    console.print(escape(report.summary()), soft_wrap=True, highlight=False)
    if restore:
        console.print(f"after restoring: {len(problems)} problems left")
    if problems:
        raise typer.Exit(EXIT_FIXITY)
