"""Prefect flows: `digitise-batch` (on demand) and `nightly` (everything pending).

One task per document, run side by side up to the number of cores (or of a Dask cluster's
workers: flows/engine.py); a slot with no document left reads page ranges of the long documents
other slots or workers hold (flows/range_claims.py). Storage and catalog outages are retried with
backoff; bad input never is (it is already a `failed` record by then), nor is a missing tool. A run fails (`RunFailed`) when a service error left documents
pending, with what to install or start; it checks the tools before it starts, so a machine
without them fails at once. Each run ends by publishing the progress report as Prefect
artifacts (`nightly` through its `digitise-batch` subflow).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect_dask import DaskTaskRunner

from flows.claims import worker_id
from flows.engine import document_slots, task_runner
from flows.drops import (
    DROPS_ARTIFACT,
    DropSettings,
    DropsBusy,
    DropsNotTaken,
    QuietPeriod,
    TakeOutcome,
    drops_table_rows,
    split_drop_name,
    take_drops,
)
from flows.range_claims import help_with_ranges, sharing_ranges, sweep
from flows.reports import PROGRESS_ARTIFACT, SUMMARY_ARTIFACT, progress_markdown, progress_table_rows
from flows.run_logs import send_logs_to_prefect
from flows.services import get_services
from flows.settings import FlowSettings
from flows.steps import SERVICE_ERRORS, check_tools, process_document
from ocr.scratch import sweep_scratch
from storage.catalog import Catalog
from storage.errors import CatalogUnavailable, StorageUnavailable, catalog_errors
from storage.progress import ProgressReport, progress_report


class RunFailed(Exception):
    """Documents could not be processed because a service failed; they stay pending."""


def _only_outages(task, task_run, state) -> bool:
    try:
        state.result()
    except (StorageUnavailable, CatalogUnavailable):
        return True
    except Exception:
        return False
    return False


# A task retried only through outages of storage or catalog, never cached.
RETRIED_THROUGH_OUTAGES = dict(retries=3, retry_delay_seconds=[5, 30, 120], retry_condition_fn=_only_outages,
                               cache_policy=NO_CACHE)


@task(name="process-document", **RETRIED_THROUGH_OUTAGES)
def process_document_task(record_id: str, worker: str) -> str:
    return process_document(record_id, get_services(), worker)


@task(name="read-page-ranges", **RETRIED_THROUGH_OUTAGES)
def read_page_ranges_task(batch_id: str | None, worker: str) -> int:
    """A slot with no document to claim reads page ranges of the long documents other slots or
    workers hold (flows/range_claims.py); returns how many."""
    with catalog_errors():
        return help_with_ranges(get_services(), worker, batch_id)


@flow(name="digitise-batch", task_runner=task_runner(FlowSettings()))
def digitise_batch(batch_id: str | None = None, drop: str | None = None) -> dict[str, int]:
    """Process the pending documents of a batch (of all batches when none is given). Each is
    claimed in the catalog just before its task starts, so that runs on other machines sharing
    the catalog take the others (flows/claims.py).

    With `drop` (`<agency code>/<batch name>`, the review desk's "Đọc ngay"), that drop is taken
    first, with the nightly run's checks, and the batch it becomes is the one processed."""
    send_logs_to_prefect()  # each document's outcome in the run's logs too (flows/run_logs.py)
    logger = get_run_logger()
    sweep_scratch()  # what killed runs on this machine left in TMPDIR
    if drop is not None:
        batch_id = _take_named_drop(drop)
    try:
        with catalog_errors():
            services = get_services()
            pending = services.catalog.count_with_status("pending", batch_id)  # the ids are claimed one by one
        check_tools(services.ocr_settings)
    except SERVICE_ERRORS as exc:
        raise RunFailed(f"nothing was processed, every document stays pending: {exc}") from exc
    worker = worker_id()
    logger.info("%d pending documents%s; worker %s", pending, f" in batch {batch_id}" if batch_id else "", worker)
    helping = _idle_slots_read_ranges()
    if helping:
        _sweep_ranges()
    failures: dict[str, int] = {}  # one line per distinct cause, not one per document
    taken = 0
    in_flight: dict[PrefectFuture, str | None] = {}  # each task's record id (None: reading page ranges)
    ttl, slots = services.storage_settings.claim_ttl_seconds, document_slots(FlowSettings())
    while True:
        # After a service failure, take nothing more: it would fail the same way.
        while not failures and len(in_flight) < slots:
            try:
                with catalog_errors():
                    record_id = services.catalog.claim_next(batch_id, worker, ttl)
                    # No document left to claim: while a worker holds one, its page ranges may need readers.
                    help_out = record_id is None and helping and services.catalog.pending_claim_counts(batch_id)[0] > 0
            except CatalogUnavailable as exc:
                failures[str(exc)] = 0
                break
            if help_out:
                in_flight[read_page_ranges_task.submit(batch_id, worker)] = None
                continue
            if record_id is None:
                break
            in_flight[process_document_task.submit(record_id, worker)] = record_id
            taken += 1
        if not in_flight:
            break
        future = next(as_completed(list(in_flight)))
        future.wait()  # keeps the final state on the future; `state` alone may read a stale one from the API
        record_id = in_flight.pop(future)
        if future.state.is_failed():
            cause = _cause(future.state)
            if record_id is None:  # a range reader: its range is given back, no document stays for it
                failures.setdefault(cause, 0)
                continue
            failures[cause] = failures.get(cause, 0) + 1
            _give_back(services.catalog, record_id, worker)
    with catalog_errors():
        counts = services.catalog.status_counts(batch_id)
    logger.info("status counts: %s", counts)
    try:
        publish_progress(services.catalog)
    except Exception as exc:  # the documents are done: a report that fails must not fail the run
        logger.warning("progress artifacts not published: %s", exc)
    if failures:
        left = counts["pending"] - sum(failures.values())
        raise RunFailed(
            f"{sum(failures.values())} of {taken} documents stay pending: "
            + "; ".join(f"{cause} ({n})" if n else cause for cause, n in failures.items())
            + (f"; {left} other pending documents were not started" if left > 0 else "")
        )
    return counts


DROP_WAITS = 3  # quiet periods a run waits for a drop still being copied


def _take_named_drop(name: str) -> str:
    """The batch the named drop becomes: taken now, or earlier (by the nightly run, or a run started
    twice). A drop still being copied is waited for (its quiet period, a few times at most); one
    that is incomplete or rejected fails the run with the reason, and stays for the nightly run."""
    try:
        agency, batch = split_drop_name(name)
    except ValueError as exc:
        raise RunFailed(str(exc)) from None
    quiet = QuietPeriod(DropSettings().quiet_seconds)
    for _attempt in range(DROP_WAITS + 1):
        outcome = take_drop_task(agency, batch)
        if outcome is None:
            with catalog_errors():
                taken = get_services().catalog.find_batch(agency, batch)
            if taken is None:
                raise RunFailed(f"no drop {name} in the S3 inbox or the drop folder, and no batch of that name")
            get_run_logger().info("drop %s was taken already, into batch %s", name, taken)
            return taken
        view = outcome.drop
        if outcome.action == "taken":
            return outcome.batch_id
        if outcome.action == "rejected":
            raise RunFailed(f"drop {name} rejected ({view.code}: {view.reason}), moved to {outcome.moved_to}")
        if outcome.action == "error":
            raise RunFailed(f"drop {name} not taken: {outcome.error}")
        if view.code != "still_writing":
            raise RunFailed(f"drop {name} left for the nightly run ({view.code}): {view.reason}")
        wait = quiet.left(view.last_change, datetime.now(timezone.utc)) + 1
        get_run_logger().info("drop %s still being written: taking it in %.0f s", name, wait)
        time.sleep(wait)
    raise RunFailed(f"drop {name} kept changing for {DROP_WAITS} quiet periods: it stays for the nightly run")


def _outage_or_busy(task, task_run, state) -> bool:
    """Also retried: another run (the nightly one, or an on-demand run on another deployment)
    holding the drops' lock; failing at once would show the clerk a failed "Đọc ngay"."""
    try:
        state.result()
    except DropsBusy:
        return True
    except Exception:
        pass
    return _only_outages(task, task_run, state)


@task(name="take-drop", retries=3, retry_delay_seconds=[5, 30, 120], retry_condition_fn=_outage_or_busy,
      cache_policy=NO_CACHE)
def take_drop_task(agency: str, batch: str) -> TakeOutcome | None:
    """One drop taken, rejected or left; None when no source holds it."""
    try:
        outcomes = take_drops(get_services(), only=(agency, batch))
    except DropsNotTaken as exc:
        if not exc.outcomes:  # another run is taking drops, or a source cannot be listed
            raise
        outcomes = exc.outcomes
    _publish_drops(outcomes)
    return outcomes[0] if outcomes else None


def _idle_slots_read_ranges() -> bool:
    """Whether a slot with no document left reads page ranges claimed in the catalog: not when
    documents run on a Dask cluster (however its runner was given), which shares their ranges itself."""
    context = FlowRunContext.get()
    on_dask = isinstance(context.task_runner if context else None, DaskTaskRunner)
    return sharing_ranges(FlowSettings()) and not on_dask


def _sweep_ranges() -> None:
    """Page ranges left by workers that died after storing their document's record."""
    try:
        with catalog_errors():
            sweep(get_services())
    except Exception as exc:  # left for the next run: no document waits for them
        get_run_logger().warning("page ranges of finished documents not removed: %s", exc)


def _give_back(catalog: Catalog, record_id: str, worker: str) -> None:
    """A document whose task failed (its retries spent) is free for the next run at once."""
    try:
        catalog.release_claim(record_id, worker)
    except Exception as exc:  # the catalog is away: the claim lapses by itself
        get_run_logger().warning("claim on %s not released (%s); it lapses by itself", record_id, exc)


def _cause(state) -> str:
    """What failed a task: a service error's own message says what to install or start."""
    exc = state.result(raise_on_failure=False)
    if isinstance(exc, SERVICE_ERRORS):
        return str(exc)
    if isinstance(exc, BaseException):
        return f"{type(exc).__name__}: {exc}"
    return state.message or "unknown failure"


def publish_progress(catalog: Catalog) -> ProgressReport:
    """The progress table (key `sohoa-progress`) and a summary of it (`sohoa-summary`) as Prefect
    artifacts of the running flow: the latest of each shows under Artifacts in the Prefect UI."""
    report = progress_report(catalog)
    create_table_artifact(table=progress_table_rows(report), key=PROGRESS_ARTIFACT,
                          description=f"Tiến độ số hóa theo cơ quan đến {report.today.isoformat()}")
    create_markdown_artifact(markdown=progress_markdown(report), key=SUMMARY_ARTIFACT,
                             description="Tóm tắt tiến độ số hóa so với mốc")
    return report


@flow(name="nightly")
def nightly() -> dict[str, int]:
    """The scheduled run: first the complete drops are taken (flows/drops.py), then everything
    still pending is processed, whichever batch it came in; a drop that could not be taken
    fails the run after the processing, and stays for the next one."""
    send_logs_to_prefect()
    drops = take_drops_task(return_state=True)
    counts = digitise_batch(batch_id=None)
    if drops.is_failed():
        raise RunFailed(f"drops not taken: {drops.message}")
    return counts


@task(name="take-drops", retries=3, retry_delay_seconds=[5, 30, 120], retry_condition_fn=_only_outages,
      cache_policy=NO_CACHE)
def take_drops_task() -> dict[str, int]:
    """Drops taken, rejected and left (per action), from the drop folder and the S3 inbox; the list
    is the `sohoa-drops` artifact."""
    try:
        outcomes = take_drops(get_services())
    except DropsNotTaken as exc:
        # One source or drop failed: the others were still taken or rejected, and staff need that list.
        _publish_drops(exc.outcomes)
        raise
    _publish_drops(outcomes)
    return {action: sum(o.action == action for o in outcomes) for action in ("taken", "rejected", "left")}


def _publish_drops(outcomes: list[TakeOutcome]) -> None:
    try:
        create_table_artifact(table=drops_table_rows(outcomes), key=DROPS_ARTIFACT,
                              description="Lô đã thả: đã nhận, từ chối, còn chờ")
    except Exception as exc:  # the drops are taken: a report that fails must not fail the run
        get_run_logger().warning("drops artifact not published: %s", exc)
