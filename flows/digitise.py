"""Prefect flows: `digitise-batch` (on demand) and `nightly` (everything pending).

One task per document, run side by side up to the number of cores. Storage outages are
retried with backoff; bad input never is (it is already a `failed` record by then).
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.services import get_services
from flows.settings import FlowSettings
from flows.steps import process_document
from storage.errors import StorageUnavailable


class RunFailed(Exception):
    """Some documents could not be processed because a service failed; they stay pending."""


def _only_storage_outages(task, task_run, state) -> bool:
    try:
        state.result()
    except StorageUnavailable:
        return True
    except Exception:
        return False
    return False


@task(
    name="process-document",
    retries=3,
    retry_delay_seconds=[5, 30, 120],
    retry_condition_fn=_only_storage_outages,
    cache_policy=NO_CACHE,
)
def process_document_task(record_id: str) -> str:
    return process_document(record_id, get_services())


@flow(name="digitise-batch", task_runner=ThreadPoolTaskRunner(max_workers=FlowSettings().workers))
def digitise_batch(batch_id: str | None = None) -> dict[str, int]:
    """Process every pending document of a batch (of all batches when none is given)."""
    logger = get_run_logger()
    services = get_services()
    pending = services.catalog.ids_with_status("pending", batch_id)
    logger.info("%d pending documents%s", len(pending), f" in batch {batch_id}" if batch_id else "")
    futures = process_document_task.map(pending)
    errors = []
    for record_id, future in zip(pending, futures):
        future.wait()
        if future.state.is_failed():
            errors.append(f"{record_id}: {future.state.message}")
    counts = services.catalog.status_counts(batch_id)
    logger.info("status counts: %s", counts)
    if errors:
        raise RunFailed(f"{len(errors)} documents stay pending: " + "; ".join(errors[:5]))
    return counts


@flow(name="nightly")
def nightly() -> dict[str, int]:
    """The scheduled run: everything still pending, whichever batch it came in."""
    return digitise_batch(batch_id=None)
