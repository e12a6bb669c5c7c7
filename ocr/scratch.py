"""Scratch folders that a killed process does not leave behind for good.

A folder removes itself when its `with` block ends, but a process that is killed (SIGKILL,
out of memory, a machine that loses power) never gets there: an original or an archive PDF
of hundreds of MB stays in TMPDIR. Each folder's name carries the id of the process that made
it, so the next run on the machine removes the folders of processes that no longer exist.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

_NAME = re.compile(r"sohoa-[a-z]+-(\d+)-")


def scratch_dir(kind: str) -> tempfile.TemporaryDirectory:
    """A temporary folder `sohoa-<kind>-<pid>-…` (kind: lower-case letters)."""
    return tempfile.TemporaryDirectory(prefix=f"sohoa-{kind}-{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def sweep_scratch(folder: Path | None = None) -> int:
    """Remove the scratch folders of processes that have ended; returns how many.

    A process id can be reused: a folder whose id now names another live process waits for
    a later sweep, which is the safe side. TMPDIR must not be shared between machines.
    """
    removed = 0
    for path in Path(folder or tempfile.gettempdir()).glob("sohoa-*-*-*"):
        match = _NAME.match(path.name)
        if match is None or not path.is_dir() or _alive(int(match.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    if removed:
        log.info("removed %d scratch folders left by ended processes in %s", removed, folder or tempfile.gettempdir())
    return removed
