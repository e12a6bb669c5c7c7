"""The one place that runs Ghostscript (`gs`, Debian's `ghostscript` package).

Ghostscript exits 0 on many failures (a password-protected or damaged input gives an
empty or partial file and a `**** Error` line), so callers must check what it wrote;
what it said is logged, and kept in the error when it does fail.
"""

from __future__ import annotations

import logging
import shutil
import subprocess

log = logging.getLogger(__name__)

GS = "gs"
STDERR_TAIL_CHARS = 2000


class GhostscriptError(Exception):
    """Ghostscript is missing, failed, or took too long; the message ends with what it said."""


def run_gs(args: list[str], timeout: int) -> None:
    """Run `gs` with `args` (inputs and `-o OUTPUT` included) in batch mode."""
    if shutil.which(GS) is None:
        raise GhostscriptError("Ghostscript is not installed: run `apt-get install ghostscript`")
    # -sstdout=%stderr: the PostScript side prints its errors on stdout; keep them all in one place.
    command = [GS, "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dQUIET", "-sstdout=%stderr", *args]
    try:
        completed = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GhostscriptError(f"Ghostscript took longer than {timeout} s") from exc
    said = completed.stderr.decode("utf-8", errors="replace").strip()
    if completed.returncode != 0:
        raise GhostscriptError(f"Ghostscript failed (exit {completed.returncode}): {_tail(said)}")
    if said:
        log.warning("Ghostscript: %s", _tail(said))


def _tail(text: str) -> str:
    return text if len(text) <= STDERR_TAIL_CHARS else "..." + text[-STDERR_TAIL_CHARS:]
