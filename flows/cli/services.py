"""`sohoa doctor` and `sohoa services up|down|status`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from flows.cli import app
from flows.cli.common import EXIT_SERVICE, ServiceFailure, console, out
from storage.settings import StorageSettings

services_app = typer.Typer(help="The managed local S3 server (SeaweedFS) under SOHOA_HOME.", no_args_is_help=True)
app.add_typer(services_app, name="services")


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
