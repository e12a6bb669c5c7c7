"""Peak memory of a process and everything it starts (Tesseract, Ghostscript), sampled from /proc.

PSS (proportional set size, /proc/<pid>/smaps_rollup), not RSS, is summed over the tree: RSS
counts the shared libraries and copy-on-write pages of every process in full, and a child
between fork and exec shares its parent's whole address space, so a sum of RSS would count
the parent twice for the instant before Tesseract starts. Linux only.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

INTERVAL_SECONDS = 0.05


def tree_pids(root: int) -> list[int]:
    """`root` and its descendants, less children that have not exec'd yet (still the parent)."""
    pids, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        for child in _children(parent):
            if _cmdline(child) == _cmdline(parent):
                continue
            pids.append(child)
            frontier.append(child)
    return pids


def tree_pss_bytes(root: int) -> int:
    total = 0
    for pid in tree_pids(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:  # the process ended meanwhile
            continue
    return total


class PeakMemory:
    """Samples the trees under `pids` (this process when none) in a thread until stopped; `peak`
    is the largest sum seen at one time."""

    def __init__(self, *pids: int) -> None:
        self.pids = list(pids) or [os.getpid()]
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(tree_pss_bytes(pid) for pid in self.pids))
            time.sleep(INTERVAL_SECONDS)


def _children(pid: int) -> list[int]:
    children = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            children += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    return children


def _cmdline(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
