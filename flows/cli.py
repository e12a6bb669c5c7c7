"""The `sohoa` command line (CONTRACT.md).

Exit codes: 0 the command did its job (a batch with bad files still exits 0 and reports
them); 1 usage error; 2 configuration or service error (storage or catalog unreachable,
Tesseract, its language data or Ghostscript missing, a run that left documents pending
because a service failed), with what to install or start; 3 an internal error, whose
traceback is written to SOHOA_HOME/logs/sohoa.log; 4 `sohoa fixity` found objects missing,
changed or unreadable.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import sys
import threading
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storage.settings import StorageSettings

EXIT_USAGE, EXIT_SERVICE, EXIT_INTERNAL = 1, 2, 3

app = typer.Typer(
    help="sohoa: digitise paper results of administrative procedures.",
    epilog=(
        "Exit codes: 0 done (bad files are reported in their records); 1 usage error; "
        "2 configuration or service error (storage, catalog, Tesseract, Ghostscript); "
        "3 internal error (see SOHOA_HOME/logs/sohoa.log); 4 fixity problems found (`sohoa fixity`)."
    ),
    no_args_is_help=True,
)
services_app = typer.Typer(help="The managed local S3 server (SeaweedFS) under SOHOA_HOME.", no_args_is_help=True)
records_app = typer.Typer(help="Read the records.", no_args_is_help=True)
app.add_typer(services_app, name="services")
app.add_typer(records_app, name="records")

console = Console(stderr=True)
out = Console()


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    national_jsonl = "national-jsonl"  # approved records under the national systems' field names
    national_csv = "national-csv"


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


class ServiceFailure(Exception):
    """A service the command needs is missing or failed: exit code 2."""


@app.callback()
def _setup(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show progress logs.")] = False) -> None:
    level = logging.INFO if verbose else logging.WARNING
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    home = StorageSettings().home
    (home / "logs").mkdir(parents=True, exist_ok=True)
    file_handler = logging.FileHandler(home / "logs" / "sohoa.log", encoding="utf-8")
    file_handler.setLevel(logging.INFO)
    stderr_handler = logging.StreamHandler()
    stderr_handler.setLevel(level)
    # main() prints an internal error's traceback itself; the log file gets it once more.
    stderr_handler.addFilter(lambda record: not getattr(record, "file_only", False))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[file_handler, stderr_handler],
    )


def _services():
    from flows.services import get_services
    from storage.errors import CatalogUnavailable, StorageError, catalog_errors

    try:
        with catalog_errors():
            return get_services()
    except StorageError as exc:
        raise ServiceFailure(f"object storage: {exc}") from exc
    except CatalogUnavailable as exc:
        raise ServiceFailure(str(exc)) from exc


def _check_tools() -> None:
    """Tesseract, its language data, Ghostscript and the text font, before Prefect takes its 10 s to start."""
    from flows.steps import check_tools
    from ocr.errors import ToolMissing
    from ocr.settings import OcrSettings

    try:
        check_tools(OcrSettings())
    except ToolMissing as exc:
        raise ServiceFailure(f"{exc}; nothing was processed, every document stays pending") from exc


# --- doctor and services ---------------------------------------------------------------


@app.command()
def doctor() -> None:
    """Check every dependency of the pipeline; exit 2 if one is missing.

    Tesseract and the OCR language data, Ghostscript, the text layer font, object storage
    (reachable, object lock on originals, versioning), the catalog, and the Prefect API
    when PREFECT_API_URL is set.
    """
    from flows.doctor import effective_configuration, run_checks
    from ocr.settings import OcrSettings

    storage, ocr = StorageSettings(), OcrSettings()
    # soft_wrap: one line per check whatever the terminal width, so the output can be grepped.
    for name, value in effective_configuration(storage, ocr):
        out.print(f"{name} = {escape(value)}", soft_wrap=True, highlight=False)
    checks = run_checks(storage, ocr)
    for check in checks:
        status = "[green]ok[/]  " if check.ok else "[red]FAIL[/]"
        out.print(f"{status} {check.name}: {escape(check.detail)}", soft_wrap=True, highlight=False)
        if not check.ok:
            out.print(f"     fix: {escape(check.fix)}", soft_wrap=True, highlight=False)
    failed = sum(not check.ok for check in checks)
    if failed:
        console.print(f"{failed} of {len(checks)} checks failed")
        raise typer.Exit(EXIT_SERVICE)


@services_app.command("up")
def services_up() -> None:
    """Start the managed S3 server (no-op when SOHOA_S3_ENDPOINT is set or it already runs)."""
    from storage import seaweed
    from storage.errors import StorageError

    try:
        endpoint = seaweed.ensure_running(StorageSettings())
    except StorageError as exc:
        raise ServiceFailure(str(exc)) from exc
    out.print(f"S3 endpoint {endpoint.endpoint} is up")


@services_app.command("down")
def services_down() -> None:
    """Stop the managed S3 server of this SOHOA_HOME."""
    from storage import seaweed

    stopped = seaweed.stop(StorageSettings())
    out.print("stopped" if stopped else "was not running")


@services_app.command("status")
def services_status() -> None:
    """Show whether the managed S3 server runs, where, and where its log is."""
    from storage import seaweed

    status = seaweed.status(StorageSettings())
    out.print_json(data={k: str(v) if isinstance(v, Path) else v for k, v in status.items()})
    if not status.get("running"):
        raise typer.Exit(EXIT_SERVICE)


# --- ingest and process ----------------------------------------------------------------

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


# --- records, reindex, progress ---------------------------------------------------------

OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")]


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


def _catalog_only():
    """The catalog alone: progress, tokens and the API need no object storage, and stay
    usable while it is down."""
    from sqlalchemy.exc import OperationalError

    from storage.catalog import Catalog

    settings = StorageSettings()
    settings.home.mkdir(parents=True, exist_ok=True)
    try:
        return Catalog(settings.effective_catalog_url)
    except OperationalError as exc:
        raise ServiceFailure(f"catalog: {exc}") from exc


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


def _cell(value) -> str:
    return "–" if value is None else str(value)


def _write(chunks: Iterable[str], output: Path | None) -> None:
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    console.print(f"wrote {output}")


# --- review -----------------------------------------------------------------------------

review_app = typer.Typer(help="Review and correct records (archive staff).", no_args_is_help=True)
app.add_typer(review_app, name="review")


class ReviewListFormat(str, Enum):
    table = "table"
    json = "json"


RecordIdArg = Annotated[str, typer.Argument(help="Record id.")]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who makes the change; default $SOHOA_USER, then the OS user.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Why, kept in the record's history.")]


@review_app.command("list")
def review_list(
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency.")] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch id.")] = None,
    format: Annotated[ReviewListFormat, typer.Option("--format")] = ReviewListFormat.table,
) -> None:
    """Records waiting for a person, with the reasons."""
    from flows.review import needs_review

    with _review_errors():
        records = needs_review(_services(), agency, batch)
    rows = [
        {"id": r.id, "source_name": r.source_name, "document_type": r.document_type, "review_reasons": r.review_reasons}
        for r in records
    ]
    if format is ReviewListFormat.json:
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


@review_app.command("history")
def review_history(record_id: RecordIdArg) -> None:
    """Every stored version of a record, newest first, with the corrections each one added (JSON)."""
    from flows.review import history

    with _review_errors():
        entries = history(_services(), record_id)
    _write([json.dumps(entries, ensure_ascii=False, indent=2) + "\n"], None)


def _who(by: str | None) -> str:
    try:
        return by or os.environ.get("SOHOA_USER") or getpass.getuser()
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


# --- agencies and registers -------------------------------------------------------------

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


def _plain(value) -> str | None:
    """Dates as ISO text for JSON and tables."""
    return value.isoformat() if hasattr(value, "isoformat") else value


@contextlib.contextmanager
def _progress_bar(label: str, total: int):
    """Yields a function that advances the bar; shows nothing when not on a terminal."""
    progress = Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, disable=not console.is_terminal, transient=True,
    )
    task_id = progress.add_task(label, total=total)
    with progress:
        yield lambda: progress.advance(task_id)


# --- HTTP API ---------------------------------------------------------------------------

api_app = typer.Typer(help="The HTTP API for the supervising department and other systems.", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens of the HTTP API.", no_args_is_help=True)
app.add_typer(api_app, name="api")
api_app.add_typer(token_app, name="token")


class TokenRole(str, Enum):
    supervisor = "supervisor"
    agency = "agency"


TOKEN_COLUMNS = ["id", "name", "role", "agency", "created_at", "revoked_at"]
AUDIT_COLUMNS = ["at", "token_id", "token_name", "role", "agency", "action", "record_id", "holder", "results", "client"]


@api_app.command("serve")
def api_serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8765,
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote",
        help="Listen on an address other machines reach. The API speaks plain HTTP, so tokens and "
             "personal data would cross the network unencrypted: put a TLS reverse proxy in front instead.",
    )] = False,
) -> None:
    """Serve the HTTP API (JSON under /api/v1, docs at /docs; every route needs a token)."""
    from flows.api import API_PREFIX, is_loopback, serve
    from flows.api_auth import load_audit_key

    if not allow_remote and not is_loopback(host):
        raise typer.BadParameter(f"{host} is not a loopback address; see --allow-remote", param_hint="--host")
    settings, catalog = StorageSettings(), _catalog_only()
    console.print(f"serving the HTTP API on http://{host}:{port}{API_PREFIX} (Ctrl+C stops it)")
    try:
        serve(catalog, load_audit_key(settings.home), host, port)
    except SystemExit as exc:  # uvicorn exits 1 when it cannot bind
        if exc.code:
            raise ServiceFailure(f"cannot serve on {host}:{port} (port in use?)") from exc


@token_app.command("create")
def api_token_create(
    role: Annotated[TokenRole, typer.Option("--role", help="supervisor: every agency; agency: one agency's records.")],
    name: Annotated[str, typer.Option("--name", help="Who or which system uses the token.")],
    agency: Annotated[str | None, typer.Option("--agency", help="Agency code (agency role only).")] = None,
) -> None:
    """Make a token and print it; it is shown this once (only its SHA-256 is kept)."""
    from flows.api_auth import TokenRefused, issue_token

    catalog = _catalog_only()
    try:
        row, token = issue_token(catalog, name, role.value, agency)
    except TokenRefused as exc:
        raise typer.BadParameter(str(exc)) from exc
    sys.stdout.write(token + "\n")
    bound = f", agency {escape(row.agency)}" if row.agency else ""
    console.print(f"token {row.id} ({row.role}{bound}) for {escape(row.name)}: shown only this once; "
                  f"`sohoa api token revoke {row.id}` withdraws it")


@token_app.command("list")
def api_token_list(format: Annotated[ReviewListFormat, typer.Option("--format")] = ReviewListFormat.table) -> None:
    """Every token (never the token itself)."""
    catalog = _catalog_only()
    rows = [{c: _plain(getattr(t, c)) for c in TOKEN_COLUMNS} for t in catalog.api_tokens()]
    _print_rows(rows, TOKEN_COLUMNS, format, "Mã truy cập API")


@token_app.command("revoke")
def api_token_revoke(token_id: Annotated[int, typer.Argument(help="Token id, from `sohoa api token list`.")]) -> None:
    """Withdraw a token: the next request with it gets 401."""
    from storage.catalog import utc_now

    catalog = _catalog_only()
    row = catalog.revoke_api_token(token_id, utc_now())
    if row is None:
        raise typer.BadParameter(f"no token {token_id}", param_hint="ID")
    console.print(f"token {row.id} ({escape(row.name)}) revoked")


@api_app.command("audit")
def api_audit(
    format: Annotated[ReviewListFormat, typer.Option("--format")] = ReviewListFormat.table,
    holder: Annotated[str | None, typer.Option(
        "--holder", help="Only the lookups of this holder id; `-` reads it from standard input, "
                         "which keeps a personal number out of the shell history.")] = None,
) -> None:
    """Who read whose records through the API, newest first; holder ids are masked."""
    from flows.api_auth import holder_digits, holder_hash, load_audit_key

    settings, catalog = StorageSettings(), _catalog_only()
    wanted = None
    if holder == "-":
        holder = sys.stdin.readline().strip()
    if holder is not None:
        try:
            digits = holder_digits(holder)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--holder") from exc
        try:
            wanted = holder_hash(load_audit_key(settings.home, create=False), digits)
        except FileNotFoundError:
            raise ServiceFailure(f"no audit key under {settings.home}: nothing was looked up here, "
                                 "or the key was lost") from None
    rows = [
        {**{c: _plain(getattr(e, c)) for c in AUDIT_COLUMNS if c != "holder"}, "holder": e.holder_masked}
        for e in catalog.audit_entries(wanted)
    ]
    _print_rows(rows, AUDIT_COLUMNS, format, f"Nhật ký tra cứu: {len(rows)}")


def _print_rows(rows: list[dict], columns: list[str], format: ReviewListFormat, title: str) -> None:
    if format is ReviewListFormat.json:
        _write([json.dumps(rows, ensure_ascii=False, indent=2) + "\n"], None)
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(escape(_cell(row[c])) for c in columns))
    out.print(table)


# --- drops: batches left by archive staff in the drop folder or the S3 inbox ---------------------

drops_app = typer.Typer(help="Batches archive staff drop in SOHOA_DROP_DIR or the S3 inbox (taken nightly).",
                        no_args_is_help=True)
app.add_typer(drops_app, name="drops")
DROP_STATES = {"ready": "sẵn sàng", "waiting": "chờ", "rejected": "sẽ từ chối"}
DROP_ACTIONS = {"taken": "đã nhận", "rejected": "từ chối", "left": "để lại", "error": "lỗi"}


@drops_app.command("list")
def drops_list(format: Annotated[ReviewListFormat, typer.Option("--format")] = ReviewListFormat.table) -> None:
    """Drops not taken yet: complete or not and why, and what the next run will do with each."""
    from flows.drops import list_drops

    services = _services()
    listing = list_drops(services.catalog, services.store)
    if format is ReviewListFormat.json:
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


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # typer's (vendored click's) usage errors
        exc.show()
        sys.exit(EXIT_USAGE)
    except typer.Abort:
        console.print("aborted")
        sys.exit(130)
    except ServiceFailure as exc:
        # One line, not wrapped at the terminal's width: the command to run can be copied.
        console.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True, highlight=False)
        sys.exit(EXIT_SERVICE)
    except Exception:
        console.print_exception()
        console.print(f"[red]internal error[/]: {escape(_log_traceback())}", soft_wrap=True, highlight=False)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else 0)


def _log_traceback() -> str:
    """Write the exception being handled, traceback included, to sohoa.log; say where it went."""
    files = [h.baseFilename for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
    if not files:  # it happened before _setup could open the log
        return "please report it with the traceback above"
    logging.getLogger("sohoa").critical("internal error (exit code 3)", exc_info=True, extra={"file_only": True})
    return f"please report it with the traceback, also written to {files[0]}"


if __name__ == "__main__":
    main()
