"""Where the work runs: threads of this process, or a Dask cluster through prefect-dask.

- default: documents side by side in threads of the flow's process (`SOHOA_WORKERS`, one per
  core; Tesseract runs in processes of its own, so threads are enough for many small files);
- `SOHOA_DASK_ADDRESS=tcp://host:8786`: a running Dask scheduler, with workers on as many
  machines as there are (`dask worker tcp://host:8786 --nthreads 1`, run where sohoa is
  installed and configured like here: same object storage, same catalog);
- `SOHOA_ENGINE=dask`: documents in threads here, as by default, and the page ranges of long PDFs
  read side by side by this process and a Dask cluster of `SOHOA_WORKERS - 1` processes on this
  machine, started when a long PDF's ranges come and stopped when no document is reading ranges
  on it (`local_cluster`): a worker that has read pages holds 250-300 MB, which the document's
  build, extraction and PDF/A (its largest moment in this process) would otherwise have beside
  them. Its workers only read ranges, which import `ocr/` alone: no extraction models, no Prefect
  (a worker is about 85 MB before its first page, where a whole sohoa process with spaCy's
  models is about 450 MB), and the models are loaded once, here. This process reads ranges too:
  its document's thread would otherwise only wait, and one more worker would cost a worker's
  memory for no more cores.

On a remote cluster, a document's task also sends the page ranges of a long PDF to the whole
cluster (ocr/page_ranges.py), so that one 300-page volume uses every worker. A range is scattered data,
which Dask cannot rebuild when the worker holding it dies: the document then stays pending
(`WorkerLost`, a service error) for the next run. The catalog's claims (flows/claims.py) keep two
runs apart.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import types
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager

import distributed
from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.settings import FlowSettings
from ocr.page_ranges import PageRange, RangeResult, RangeRunner, read_page_range
from ocr.settings import OcrSettings


def task_runner(settings: FlowSettings) -> TaskRunner:
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    # SOHOA_ENGINE=dask too: only page ranges go to its local cluster (cluster_ranges). Documents
    # on the cluster would load the extraction models in every worker process, and hold a whole
    # sohoa process per worker beside this one (1.87 GB for a 300-page volume on 2 workers).
    return ThreadPoolTaskRunner(max_workers=settings.workers)


_local_lock = threading.Lock()
_local: distributed.Client | None = None
_local_users = 0  # documents reading ranges on the local cluster now


@contextmanager
def local_cluster(workers: int) -> Iterator[distributed.Client]:
    """A client of this process's local range cluster of `workers` processes, for as long as the
    caller reads ranges on it: started by the first document that needs it (a batch of short
    files never starts it), stopped when the last one is done with it (documents run in threads,
    so ranges of two long ones share it)."""
    global _local, _local_users
    with _local_lock:  # two long documents must not start two clusters
        if _local is None:
            with _bare_main(), _environ_kept():
                # One thread per worker process: Tesseract and OpenCV hold the GIL between calls.
                cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                   host="127.0.0.1", dashboard_address=None)
            _local = distributed.Client(cluster)
        _local_users += 1
        client = _local
    try:
        yield client
    finally:
        with _local_lock:
            _local_users -= 1
            if _local_users == 0:
                _stop_local()


@contextmanager
def _bare_main() -> Iterator[None]:
    """Worker processes started meanwhile do not import this process's main module.

    multiprocessing's spawn imports the parent's `__main__` in each child, and a deployed flow
    run's is `prefect.engine`: all of Prefect, about 100 MB in each range worker that needs only
    ocr/ (a benchmark's would bring spaCy). An empty module stands in while the workers start.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


@contextmanager
def _environ_kept() -> Iterator[None]:
    """This process's environment as it was before Dask's nanny started workers.

    The nanny sets its `pre-spawn-environ` (OMP_NUM_THREADS=1, MALLOC_TRIM_THRESHOLD_,
    PYTHONHASHSEED) in the parent's environment for good: every later Tesseract or Ghostscript
    this process starts would inherit them. Only the changed names are put back, so that other
    threads never see the environment emptied. (A worker the nanny restarts later sets them again.)
    """
    saved = dict(os.environ)
    try:
        yield
    finally:
        for name in set(os.environ) - set(saved):
            del os.environ[name]
        for name, value in saved.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


@atexit.register
def close_local_cluster() -> None:
    """Stop the local range cluster, if one is running (its worker processes with it)."""
    with _local_lock:
        _stop_local()


def _stop_local() -> None:
    global _local
    if _local is not None:
        cluster = _local.cluster
        _local.close()
        cluster.close()
        _local = None


def document_slots(settings: FlowSettings) -> int:
    """Documents to hold in flight: a cluster's worker threads, else SOHOA_WORKERS."""
    context = FlowRunContext.get()
    runner = context.task_runner if context else None
    if isinstance(runner, DaskTaskRunner):
        return max(1, sum(runner.client.nthreads().values()))
    return settings.workers


def cluster_ranges() -> RangeRunner | None:
    """The runner that reads a long PDF's page ranges side by side: on a Dask worker, the whole
    cluster; with SOHOA_ENGINE=dask and 2 workers or more, the local range cluster and this
    process; else None (read in order here)."""
    try:
        distributed.get_worker()
    except ValueError:
        settings = FlowSettings()
        return read_on_local_cluster if settings.engine == "dask" and settings.workers > 1 else None
    return read_on_cluster


def read_on_cluster(ranges: Iterator[PageRange], settings: OcrSettings) -> Iterator[RangeResult]:
    """From a document's task on a Dask worker: the ranges read by the worker's cluster."""
    # worker_client secedes this task from its worker's slot while it waits, so that the slot
    # reads ranges too: the document's own worker is not idle.
    with distributed.worker_client() as client:
        yield from _read_ranges(client, ranges, settings)


def read_on_local_cluster(ranges: Iterator[PageRange], settings: OcrSettings) -> Iterator[RangeResult]:
    """The ranges read by this process, one at a time in a thread, and by the local range cluster
    of SOHOA_WORKERS - 1 processes (SOHOA_ENGINE=dask), which this document leaves as soon as its
    last range is read."""
    with ExitStack() as leave:
        client = leave.enter_context(local_cluster(FlowSettings().workers - 1))
        here = leave.enter_context(ThreadPoolExecutor(1, thread_name_prefix="sohoa-range"))
        yield from _read_ranges(client, ranges, settings, here, finished=leave.close)


def _read_ranges(client: distributed.Client, ranges: Iterator[PageRange], settings: OcrSettings,
                 here: ThreadPoolExecutor | None = None,
                 finished: Callable[[], None] | None = None) -> Iterator[RangeResult]:
    """Submit the ranges a few at a time (each is pages of images), yield the results in order;
    with `here`, each range that comes while it is idle is read by it instead. `finished` is
    called once every range is read, before the last result is yielded, after which the caller
    builds the document: the local cluster is stopped first. When a range fails, the futures of
    those still in flight are dropped with this generator, and Dask cancels what nobody waits for."""
    window = 2 * max(1, sum(client.nthreads().values())) + (here is not None)
    in_flight: deque[distributed.Future | Future] = deque()
    reading_here: Future | None = None
    for part in ranges:
        if here is not None and (reading_here is None or reading_here.done()):
            reading_here = here.submit(read_page_range, part, settings)
            in_flight.append(reading_here)
        else:
            # Scattered, not inlined in the task: the scheduler would otherwise hold every range's bytes.
            in_flight.append(client.submit(read_page_range, client.scatter(part, hash=False), settings))
        if len(in_flight) >= window:
            yield _result(in_flight.popleft())
    while in_flight:
        result = _result(in_flight.popleft())
        if not in_flight and finished is not None:
            finished()
        yield result


class WorkerLost(Exception):
    """A page range was lost with the Dask worker that held it: not the document's fault, so it
    stays pending for the next run (a range whose pages kill worker after worker ends as
    Dask's KilledWorker instead, an internal error recorded on the document)."""


def _result(future: distributed.Future | Future) -> RangeResult:
    if isinstance(future, Future):  # read here
        return future.result()
    try:
        result = future.result()
    except distributed.client.FutureCancelledError as exc:
        raise WorkerLost(f"a page range was lost with its Dask worker ({exc}); the document stays pending") from exc
    future.release()
    return result
