"""Prefect flows: `digitise-batch` (on demand) and `nightly` (everything pending).

One task per document, run side by side up to the number of cores. Storage and catalog
outages are retried with backoff; bad input never is (it is already a `failed` record by
then), nor is a missing tool. A run fails (`RunFailed`) when a service error left documents
pending, with what to install or start; it checks the tools before it starts, so a machine
without them fails at once. Each run ends by publishing the progress report as Prefect
artifacts (`nightly` through its `digitise-batch` subflow).
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.reports import PROGRESS_ARTIFACT, SUMMARY_ARTIFACT, progress_markdown, progress_table_rows
from flows.services import get_services
from flows.settings import FlowSettings
from flows.steps import SERVICE_ERRORS, check_tools, process_document
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


@task(
    name="process-document",
    retries=3,
    retry_delay_seconds=[5, 30, 120],
    retry_condition_fn=_only_outages,
    cache_policy=NO_CACHE,
)
def process_document_task(record_id: str) -> str:
    return process_document(record_id, get_services())


@flow(name="digitise-batch", task_runner=ThreadPoolTaskRunner(max_workers=FlowSettings().workers))
def digitise_batch(batch_id: str | None = None) -> dict[str, int]:
    """Process every pending document of a batch (of all batches when none is given)."""
    logger = get_run_logger()
    try:
        with catalog_errors():
            services = get_services()
            pending = services.catalog.ids_with_status("pending", batch_id)
        check_tools(services.ocr_settings)
    except SERVICE_ERRORS as exc:
        raise RunFailed(f"nothing was processed, every document stays pending: {exc}") from exc
    logger.info("%d pending documents%s", len(pending), f" in batch {batch_id}" if batch_id else "")
    futures = process_document_task.map(pending)
    failures: dict[str, int] = {}  # one line per distinct cause, not one per document
    for future in futures:
        future.wait()
        if future.state.is_failed():
            cause = _cause(future.state)
            failures[cause] = failures.get(cause, 0) + 1
    with catalog_errors():
        counts = services.catalog.status_counts(batch_id)
    logger.info("status counts: %s", counts)
    try:
        publish_progress(services.catalog)
    except Exception as exc:  # the documents are done: a report that fails must not fail the run
        logger.warning("progress artifacts not published: %s", exc)
    if failures:
        raise RunFailed(
            f"{sum(failures.values())} of {len(pending)} documents stay pending: "
            + "; ".join(f"{cause} ({n})" for cause, n in failures.items())
        )
    return counts


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
    """The scheduled run: everything still pending, whichever batch it came in."""
    return digitise_batch(batch_id=None)
