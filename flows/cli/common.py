"""What every command group of the CLI shares: the consoles, exit codes, the services, writing output."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storage.settings import StorageSettings

EXIT_USAGE, EXIT_SERVICE, EXIT_INTERNAL = 1, 2, 3

console = Console(stderr=True)
out = Console()


class ServiceFailure(Exception):
    """A service the command needs is missing or failed: exit code 2."""


HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535)]


@contextlib.contextmanager
def serving(host: str, port: int, allow_remote: bool) -> Iterator[None]:
    """Around a uvicorn server: a non-loopback address refused unless allowed, a port that cannot
    be bound turned into a service failure (uvicorn exits 1)."""
    from web.api import is_loopback

    if not allow_remote and not is_loopback(host):
        raise typer.BadParameter(f"{host} is not a loopback address; see --allow-remote", param_hint="--host")
    try:
        yield
    except SystemExit as exc:
        if exc.code:
            raise ServiceFailure(f"cannot serve on {host}:{port} (port in use?)") from exc


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


OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")]


class TableFormat(str, Enum):
    table = "table"
    json = "json"


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
