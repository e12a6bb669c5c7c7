"""The one place that runs Ghostscript (`gs`, Debian's `ghostscript` package).

Ghostscript exits 0 on many failures (a password-protected or damaged input gives an
empty or partial file and a `**** Error` line), so callers must check what it wrote;
what it said is logged, and kept in the error when it does fail. A missing `gs` is not a
failure of the document: it raises `GhostscriptMissing`, and the run stops.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess

from ocr.errors import GhostscriptMissing

log = logging.getLogger(__name__)

GS = "gs"
STDERR_TAIL_CHARS = 2000
INSTALL_COMMAND = "apt-get install ghostscript"
INSTALL = f"Ghostscript (gs) is not installed or not on the PATH: run `{INSTALL_COMMAND}`"


class GhostscriptError(Exception):
    """Ghostscript failed on this input, or took too long; the message ends with what it said."""


@functools.lru_cache(maxsize=1)
def check_ghostscript() -> str:
    """Ghostscript's version; raises GhostscriptMissing when `gs` cannot be run.

    Cached: a worker checks once. A `gs` removed later is still caught by `run_gs`.
    """
    if shutil.which(GS) is None:
        raise GhostscriptMissing(INSTALL)
    try:
        completed = subprocess.run([GS, "--version"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GhostscriptMissing(f"{INSTALL} (`gs --version` failed: {exc})") from exc
    return completed.stdout.strip()


def run_gs(args: list[str], timeout: int) -> None:
    """Run `gs` with `args` (inputs and `-o OUTPUT` included) in batch mode."""
    if shutil.which(GS) is None:
        raise GhostscriptMissing(INSTALL)
    # -sstdout=%stderr: the PostScript side prints its errors on stdout; keep them all in one place.
    command = [GS, "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dQUIET", "-sstdout=%stderr", *args]
    try:
        completed = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GhostscriptError(f"Ghostscript took longer than {timeout} s") from exc
    except FileNotFoundError as exc:  # removed since the check above
        raise GhostscriptMissing(INSTALL) from exc
    said = completed.stderr.decode("utf-8", errors="replace").strip()
    if completed.returncode != 0:
        raise GhostscriptError(f"Ghostscript failed (exit {completed.returncode}): {_tail(said)}")
    if said:
        log.warning("Ghostscript: %s", _tail(said))


def _tail(text: str) -> str:
    return text if len(text) <= STDERR_TAIL_CHARS else "..." + text[-STDERR_TAIL_CHARS:]
