"""A long PDF's page ranges shared through the catalog, when no Dask cluster is configured.

Two `sohoa process` runs (or deployment workers, on any machines sharing the catalog and object
storage) share a batch's documents by claims (flows/claims.py); this shares a long document's pages
the same way, so that one 300-page volume is not read by one worker while the others idle:

- the document's owner (`SharedRanges`, the RangeRunner of the worker that claimed the document)
  puts each range's pages in the work bucket (storage/work.py) and registers the range in the
  catalog (`page_ranges`), idempotently: a range left by an earlier run of the same document, with
  the same pages and OCR settings, is kept, and reused when it was read;
- any worker of the batch with no document left to claim (`help_with_ranges`) claims an open range
  by one conditional UPDATE, renews the claim while it reads (a third of SOHOA_CLAIM_TTL_SECONDS),
  stores the reading (searchable PDF and pages JSON) under a folder of its claim's own and marks the
  range done; a range whose reader died is free again once its claim expires;
- the owner reads ranges too, its document's first, yields the readings in page order as they are
  done, and removes the ranges' rows and objects once the document's record is stored (`clean`).
  A run that dies leaves them to the next run of the document, and what is left of a finished
  document (its owner died after storing the record) is removed by the next run's `sweep`.

A range that fails on a helper (not an outage) is marked failed and read again by the owner, so that
its error is the document's, typed as if it had been read in one piece.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Iterator

from flows.services import Services
from flows.settings import FlowSettings
from ocr.errors import ToolMissing
from ocr.page_ranges import PageRange, RangeResult, read_page_range
from ocr.settings import OcrSettings
from ocr.types import PageResult
from storage import work
from storage.catalog import Catalog, PageRangeJob
from storage.errors import CatalogUnavailable, ObjectNotFound, StorageError
from storage.records import Record

log = logging.getLogger(__name__)

WAIT_SECONDS = 0.5  # the owner, for a range another worker is reading
IDLE_SECONDS = 1.0  # a worker with nothing to claim, for ranges to open
# Not the range's fault: the helper gives it back at once and its run fails with the message.
OUTAGES = (ToolMissing, StorageError, CatalogUnavailable)


class RangesGone(StorageError):
    """The document's ranges (rows or objects) disappeared while it was read; it stays pending and
    its next run cuts them again."""


def sharing_ranges(settings: FlowSettings) -> bool:
    """Ranges are shared through the catalog unless switched off or documents run on a Dask
    cluster, which shares them itself (flows/engine.py)."""
    return settings.share_ranges and not settings.dask_address


def settings_sha256(settings: OcrSettings) -> str:
    """Ranges are read only by workers whose OCR settings give the same reading."""
    return hashlib.sha256(settings.model_dump_json().encode()).hexdigest()


def _claimant(worker: str) -> str:
    # One claim of one thread: the threads of a worker share its id, and must not share a range.
    return f"{worker}#{secrets.token_hex(4)}"


def _folder(record_id: str, first: int, pages: int, digest: str) -> str:
    """A range's folder: its pages (`input.pdf`), and a folder per reading of it (one per claim)."""
    return f"{work.document_prefix(record_id)}{first:05d}-{pages}-{digest[:12]}/"


def _input_key(record_id: str, first: int, pages: int, digest: str) -> str:
    return _folder(record_id, first, pages, digest) + "input.pdf"


class SharedRanges:
    """The RangeRunner of a document's owner: ranges registered for the batch's workers, read here
    too, yielded in page order; `clean` once the record is stored."""

    def __init__(self, record: Record, services: Services, worker: str):
        self.record, self.services, self.worker = record, services, worker
        self.ttl = services.storage_settings.claim_ttl_seconds
        self.used = False

    def __call__(self, ranges: Iterator[PageRange], settings: OcrSettings) -> Iterator[RangeResult]:
        self.used = True
        digest = settings_sha256(settings)
        catalog, record_id = self.services.catalog, self.record.id
        left = {job.first_page: job for job in catalog.page_ranges(record_id)}
        plan, reused = [], 0
        for part in ranges:  # each range's bytes go to the work bucket as it is cut: a few MB held at a time
            job = left.get(part.first)
            if job is not None and (job.pages, job.settings_sha256) == (part.pages, digest):
                reused += job.status == "done"
            else:
                work.put(self.services.store, _input_key(record_id, part.first, part.pages, digest), part.pdf,
                         "application/pdf")
                catalog.put_page_range(record_id, self.record.batch_id, part.first, part.pages, digest)
            plan.append(part.first)
        catalog.drop_page_ranges(record_id, keep=plan)
        log.info("%s: %d page ranges open to the batch's workers%s", self.record.source_path, len(plan),
                 f" ({reused} read by an earlier run)" if reused else "")
        for first in plan:
            yield self._result(first, digest)

    def _result(self, first: int, digest: str) -> RangeResult:
        catalog = self.services.catalog
        while True:
            job = next((j for j in catalog.page_ranges(self.record.id) if j.first_page == first), None)
            if job is None:
                raise RangesGone(f"{self.record.source_path}: page range from page {first} is no longer in the "
                                 "catalog (the document was finished by another worker?)")
            if job.status == "done":
                return self._load(job)
            # The earliest range nobody reads, this document's own; a failed one is read again here.
            claimant = _claimant(self.worker)
            mine = catalog.claim_page_range(claimant, self.ttl, digest, document_id=self.record.id,
                                            statuses=("open", "failed"))
            if mine is None:
                time.sleep(WAIT_SECONDS)  # every range left is being read elsewhere
                continue
            try:
                result = _read_and_store(mine, claimant, self.services, self.ttl)
            except ObjectNotFound as exc:
                catalog.drop_page_ranges(self.record.id)  # the next run cuts them again
                raise RangesGone(f"{self.record.source_path}: the pages of a range are gone from the work "
                                 f"bucket ({exc})") from exc
            except BaseException:
                _give_back(catalog, mine, claimant)
                raise
            if mine.first_page == first:
                return result

    def _load(self, job: PageRangeJob) -> RangeResult:
        try:
            pdf = work.get(self.services.store, job.result_prefix + "result.pdf")
            pages = json.loads(work.get(self.services.store, job.result_prefix + "pages.json"))
        except ObjectNotFound as exc:
            self.services.catalog.drop_page_ranges(self.record.id)  # the next run cuts them again
            raise RangesGone(f"{self.record.source_path}: the reading of {_pages(job)} is gone from the work "
                             f"bucket ({exc})") from exc
        return RangeResult(pages=[PageResult.model_validate(page) for page in pages], pdf=pdf)

    def clean(self) -> None:
        """After the record is stored: the ranges' rows and objects are not needed any more (a
        failure only leaves them to the next run's sweep)."""
        try:
            _remove(self.services, self.record.id)
        except Exception as exc:
            log.warning("%s: page ranges not removed (%s); the next run removes them", self.record.source_path, exc)


def _read_and_store(job: PageRangeJob, claimant: str, services: Services, ttl: float) -> RangeResult:
    """Read a claimed range and store its reading under the claim's own folder; the range is done
    unless the claim was lost meanwhile (a stalled reader: the reading is as good, but another
    worker's stands)."""
    store, folder = services.store, _folder(job.document_id, job.first_page, job.pages, job.settings_sha256)
    with _renewed(services.catalog, job.id, claimant, ttl):
        data = work.get(store, folder + "input.pdf")
        result = read_page_range(PageRange(pdf=data, first=job.first_page, pages=job.pages), services.ocr_settings)
        prefix = f"{folder}{claimant.rpartition('#')[2]}/"
        work.put(store, prefix + "result.pdf", result.pdf, "application/pdf")
        pages_json = json.dumps([page.model_dump(mode="json") for page in result.pages], ensure_ascii=False)
        work.put(store, prefix + "pages.json", pages_json.encode(), "application/json")
    if services.catalog.finish_page_range(job.id, claimant, prefix):
        log.info("%s read (claim %s)", _pages(job), claimant)
    else:
        log.warning("%s: claim %s lost while reading them, another worker's reading stands", _pages(job), claimant)
    return result


def _pages(job: PageRangeJob) -> str:
    return f"pages {job.first_page}-{job.first_page + job.pages - 1} of document {job.document_id}"


@contextlib.contextmanager
def _renewed(catalog: Catalog, range_id: int, claimant: str, ttl: float) -> Iterator[None]:
    """Renew the range's claim every third of its life while the block runs (as flows/claims.py)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(ttl / 3):
            try:
                if not catalog.renew_page_range(range_id, claimant, ttl):
                    return
            except Exception as exc:  # the catalog away for a moment: the next beat tries again
                log.warning("claim on page range %d not renewed (%s); it lapses in %.0f s", range_id, exc, ttl)

    thread = threading.Thread(target=beat, name=f"range-{range_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _give_back(catalog: Catalog, job: PageRangeJob, claimant: str) -> None:
    try:
        catalog.release_page_range(job.id, claimant)
    except Exception as exc:  # the claim lapses by itself
        log.warning("claim on page range %d not released (%s); it lapses by itself", job.id, exc)


def help_with_ranges(services: Services, worker: str, batch_id: str | None) -> int:
    """For a worker with no document left to claim: read the open ranges of the batch's long
    documents (of any batch without one) while another worker may still open some, that is while a
    pending document is held by a worker; returns as soon as a pending document is free to claim
    (the run takes it). Returns how many ranges it read."""
    catalog, ttl = services.catalog, services.storage_settings.claim_ttl_seconds
    digest = settings_sha256(services.ocr_settings)
    read = 0
    while True:
        claimant = _claimant(worker)
        job = catalog.claim_page_range(claimant, ttl, digest, batch_id=batch_id)
        if job is None:
            held, free = catalog.pending_claim_counts(batch_id)
            if not held or free:
                return read
            time.sleep(IDLE_SECONDS)
            continue
        try:
            _read_and_store(job, claimant, services, ttl)
        except ObjectNotFound as exc:  # the owner's input is gone: the owner finds out and cuts it again
            catalog.fail_page_range(job.id, claimant, f"input missing: {exc}")
        except OUTAGES:
            _give_back(catalog, job, claimant)
            raise
        except Exception as exc:  # the owner reads it again, so that the error is the document's
            log.warning("%s failed here (%s: %s); its document's worker reads it again", _pages(job),
                        type(exc).__name__, exc)
            catalog.fail_page_range(job.id, claimant, f"{type(exc).__name__}: {exc}")
        else:
            read += 1


def sweep(services: Services) -> int:
    """Remove the ranges (rows and objects) of documents that are no longer pending: left by an
    owner that died after storing the record. Returns how many documents were cleaned."""
    catalog = services.catalog
    ids = catalog.range_document_ids() | set(work.document_ids(services.store))
    statuses = catalog.statuses_of(ids)
    finished = [record_id for record_id in ids if statuses.get(record_id) != "pending"]
    for record_id in finished:
        _remove(services, record_id)
    if finished:
        log.info("removed the page ranges of %d finished documents", len(finished))
    return len(finished)


def _remove(services: Services, record_id: str) -> None:
    # Rows first: a range whose row is gone is never claimed, so no reader needs its objects.
    services.catalog.drop_page_ranges(record_id)
    work.remove_document(services.store, record_id)
