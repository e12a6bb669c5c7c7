"""The `sohoa` command line (CONTRACT.md).

Exit codes: 0 the command did its job (a batch with bad files still exits 0 and reports
them); 1 usage error; 2 configuration or service error (storage or catalog unreachable,
Tesseract, its language data or Ghostscript missing, a run that left documents pending
because a service failed), with what to install or start; 3 an internal error, whose
traceback is written to SOHOA_HOME/logs/sohoa.log; 4 `sohoa fixity` found objects missing,
changed or unreadable.

One module per command group registers its commands on `app`: services (doctor, services),
batches (ingest, process, digitise, reindex, fixity), records, progress, review, registers
(agencies, register), api, drops, desk (users, desk). Shared helpers live in flows/cli/common.py.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Annotated

import typer
from rich.markup import escape

from flows.cli.common import EXIT_INTERNAL, EXIT_SERVICE, EXIT_USAGE, ServiceFailure, console
from storage.settings import StorageSettings

app = typer.Typer(
    help="sohoa: digitise paper results of administrative procedures.",
    epilog=(
        "Exit codes: 0 done (bad files are reported in their records); 1 usage error; "
        "2 configuration or service error (storage, catalog, Tesseract, Ghostscript); "
        "3 internal error (see SOHOA_HOME/logs/sohoa.log); 4 fixity problems found (`sohoa fixity`)."
    ),
    no_args_is_help=True,
)


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


# Imported last, as they import `app`: each module registers its commands on it, and this order
# is the order of `sohoa --help` (commands first, then groups, each in the order registered).
COMMAND_MODULES = ("services", "batches", "records", "progress", "review", "registers", "api", "drops", "desk")
for _module in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_module}")
