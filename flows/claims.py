"""A worker's hold on the document it processes, so that many workers share one catalog.

A worker is one process (`host:pid:random`); its threads share the id, and the flow gives each
claimed document to one of them. A claim lasts `SOHOA_CLAIM_TTL_SECONDS` and is renewed every
third of that while the document is read, so only a worker that died (or hung that long) lets
its document go to another worker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterator

from storage.catalog import Catalog

log = logging.getLogger(__name__)

_worker_ids: dict[int, str] = {}


def worker_id() -> str:
    """This process's worker id; the random part keeps a reused pid from inheriting a dead
    worker's claims."""
    pid = os.getpid()  # a forked child is another worker
    return _worker_ids.setdefault(pid, f"{socket.gethostname()}:{pid}:{secrets.token_hex(3)}")


class ClaimLost(Exception):
    """Another worker took the document over: this one stalled past its claim's expiry."""


class Claim:
    def __init__(self, catalog: Catalog, record_id: str, worker: str, ttl: float):
        self.catalog, self.record_id, self.worker, self.ttl = catalog, record_id, worker, ttl
        self._lost = threading.Event()
        self._stop = threading.Event()

    def check(self) -> None:
        """Renew now; raises ClaimLost if the document is no longer this worker's (call it
        right before writing the results)."""
        if self._lost.is_set() or not self.catalog.renew_claim(self.record_id, self.worker, self.ttl):
            raise ClaimLost(f"document {self.record_id} was taken over by another worker")

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                if not self.catalog.renew_claim(self.record_id, self.worker, self.ttl):
                    self._lost.set()
                    return
            except Exception as exc:  # the catalog away for a moment: the next beat tries again
                log.warning("claim on %s not renewed (%s); it lapses in %.0f s", self.record_id, exc, self.ttl)


@contextlib.contextmanager
def holding(catalog: Catalog, record_id: str, worker: str, ttl: float) -> Iterator[Claim | None]:
    """Claim the document and keep the claim alive while the block runs; None when it is not
    pending or another worker holds it. The claim is released when the block ends normally; an
    exception leaves it held, so that a retry by this worker finds it (release_claim, or the
    expiry, gives it to others)."""
    if not catalog.claim(record_id, worker, ttl):
        yield None
        return
    claim = Claim(catalog, record_id, worker, ttl)
    beat = threading.Thread(target=claim._heartbeat, name=f"claim-{record_id}", daemon=True)
    beat.start()
    try:
        yield claim
    finally:
        claim._stop.set()
        beat.join()
    try:
        catalog.release_claim(record_id, worker)
    except Exception as exc:  # the document is finished: a claim left on it binds nobody
        log.warning("claim on %s not released (%s)", record_id, exc)
