"""Where the work runs: threads of this process, or a Dask cluster through prefect-dask.

- default: documents side by side in threads of the flow's process (`SOHOA_WORKERS`, one per
  core; Tesseract runs in processes of its own, so threads are enough for many small files);
- `SOHOA_DASK_ADDRESS=tcp://host:8786`: a running Dask scheduler, with workers on as many
  machines as there are (`dask worker tcp://host:8786 --nthreads 1`, run where sohoa is
  installed and configured like here: same object storage, same catalog);
- `SOHOA_ENGINE=dask`: a Dask cluster of `SOHOA_WORKERS` processes on this machine, for the run.

On a cluster, a document's task also sends the page ranges of a long PDF to the whole cluster
(ocr/page_ranges.py), so that one 300-page volume uses every worker. A range is scattered data,
which Dask cannot rebuild when the worker holding it dies: the document then stays pending
(`WorkerLost`, a service error) for the next run. The catalog's claims (flows/claims.py) keep two
runs apart.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

import distributed
from prefect.context import FlowRunContext
from prefect.settings import PREFECT_API_URL
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.settings import FlowSettings
from ocr.page_ranges import PageRange, RangeResult, RangeRunner, read_page_range
from ocr.settings import OcrSettings


def task_runner(settings: FlowSettings) -> TaskRunner:
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    if settings.engine == "dask":
        return DaskTaskRunner(
            cluster_class=local_cluster,
            # One thread per worker process: Tesseract and OpenCV hold the GIL between calls.
            cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1, "processes": True,
                            "host": "127.0.0.1", "dashboard_address": None},
        )
    return ThreadPoolTaskRunner(max_workers=settings.workers)


def local_cluster(**kwargs) -> distributed.LocalCluster:
    """A cluster whose workers report to this run's Prefect API: without PREFECT_API_URL each
    would start a temporary server of its own (10 s and 200 MB each), unseen by this run."""
    api_url = PREFECT_API_URL.value()
    if not api_url:
        from prefect.server.api.server import SubprocessASGIServer  # the server's whole app: import when needed

        server = SubprocessASGIServer()  # the temporary server this process's run reports to
        api_url = server.api_url if server.running else None
    return distributed.LocalCluster(**kwargs, env={"PREFECT_API_URL": api_url} if api_url else {})


def document_slots(settings: FlowSettings) -> int:
    """Documents to hold in flight: a cluster's worker threads, else SOHOA_WORKERS."""
    context = FlowRunContext.get()
    runner = context.task_runner if context else None
    if isinstance(runner, DaskTaskRunner):
        return max(1, sum(runner.client.nthreads().values()))
    return settings.workers


def cluster_ranges() -> RangeRunner | None:
    """On a Dask worker, the runner that reads a long PDF's ranges on the whole cluster; else None."""
    try:
        distributed.get_worker()
    except ValueError:
        return None
    return read_on_cluster


def read_on_cluster(ranges: Iterator[PageRange], settings: OcrSettings) -> Iterator[RangeResult]:
    """Submit the ranges a few at a time (each is pages of images), yield the results in order."""
    # worker_client secedes this task from its worker's slot while it waits, so that the slot
    # reads ranges too: the document's own worker is not idle.
    with distributed.worker_client() as client:
        window = 2 * max(1, sum(client.nthreads().values()))
        in_flight: deque[distributed.Future] = deque()
        for part in ranges:
            # Scattered, not inlined in the task: the scheduler would otherwise hold every range's bytes.
            in_flight.append(client.submit(read_page_range, client.scatter(part, hash=False), settings))
            if len(in_flight) >= window:
                yield _result(in_flight.popleft())
        while in_flight:
            yield _result(in_flight.popleft())


class WorkerLost(Exception):
    """A page range was lost with the Dask worker that held it: not the document's fault, so it
    stays pending for the next run (a range whose pages kill worker after worker ends as
    Dask's KilledWorker instead, an internal error recorded on the document)."""


def _result(future: distributed.Future) -> RangeResult:
    try:
        result = future.result()
    except distributed.client.FutureCancelledError as exc:
        raise WorkerLost(f"a page range was lost with its Dask worker ({exc}); the document stays pending") from exc
    future.release()
    return result
