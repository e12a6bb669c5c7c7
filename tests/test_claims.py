"""Claims in the catalog: many workers share the pending documents, each taken by one, and a
dead worker's document goes to another after its claim expires. On SQLite and on a real
PostgreSQL server."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from flows.claims import Claim, ClaimLost, holding, worker_id
from storage.catalog import Catalog, utc_now
from storage.records import RecordError
from test_catalog import make_record

A, B = "host-a:101:aaaaaa", "host-b:202:bbbbbb"


def fill(catalog: Catalog, count: int, batch: str = "b1") -> list[str]:
    for n in range(1, count + 1):
        record = make_record(n).model_copy(update={"batch_id": batch})
        catalog.save(record, f"k{n}")
    return [f"r{n}" for n in range(1, count + 1)]


def test_claim_next_takes_each_pending_document_once_in_order(shared):
    fill(shared, 3)
    shared.save(make_record(4, status="failed", error=RecordError(code="empty_file", message="e")), "k4")
    assert (shared.count_with_status("pending", "b1"), shared.count_with_status("failed")) == (3, 1)
    assert shared.count_with_status("pending", "other-batch") == 0
    assert shared.claim_next("b1", A, 60) == "r1"
    assert shared.claim_next("b1", B, 60) == "r2"
    assert shared.claim_next(None, A, 60) == "r3"
    assert shared.claim_next("b1", B, 60) is None  # r4 is not pending
    assert shared.claim_next("other-batch", B, 60) is None
    holder, expires = shared.claim_holder("r2")
    assert holder == B and timedelta(seconds=50) < expires - utc_now() <= timedelta(seconds=60)
    assert not shared.claim("r1", B, 60)  # A holds it
    assert shared.claim("r1", A, 60)  # A's own claim, extended
    assert not shared.claim("r4", A, 60)  # finished documents are not claimed
    assert shared.claim_holder("r4") is None


def test_racing_workers_get_disjoint_documents(catalog_url, shared):
    """Four workers, each with its own connection pool, claim until nothing is left."""
    ids = fill(shared, 40)
    start = threading.Barrier(4)
    taken: dict[str, list[str]] = {}

    def work(name: str) -> None:
        catalog = Catalog(catalog_url)
        mine = taken.setdefault(name, [])
        start.wait()
        while (record_id := catalog.claim_next("b1", name, 60)) is not None:
            mine.append(record_id)
        catalog.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [record_id for mine in taken.values() for record_id in mine]
    assert sorted(every) == sorted(ids)  # all taken, none twice
    assert len(set(every)) == len(every)


def test_a_dead_workers_claim_expires(shared):
    fill(shared, 1)
    assert shared.claim_next("b1", A, 1.5) == "r1"  # A dies holding it
    assert shared.claim_next("b1", B, 60) is None
    assert not shared.claim("r1", B, 60)
    time.sleep(1.7)
    assert shared.claim_next("b1", B, 60) == "r1"
    assert not shared.renew_claim("r1", A, 60)  # A, back from a stall, learns it lost the document
    assert not shared.release_claim("r1", A)  # and cannot free B's claim
    assert shared.claim_holder("r1")[0] == B


def test_renew_keeps_and_release_frees(shared):
    fill(shared, 1)
    assert shared.claim_next("b1", A, 0.5) == "r1"
    assert shared.renew_claim("r1", A, 60)
    time.sleep(0.7)  # past the first expiry
    assert shared.claim_next("b1", B, 60) is None
    assert shared.release_claim("r1", A)
    assert shared.claim_holder("r1") is None
    assert shared.claim_next("b1", B, 60) == "r1"


def test_holding_renews_while_the_document_is_read(shared):
    fill(shared, 1)
    with holding(shared, "r1", A, ttl=1.5) as claim:
        assert claim is not None
        with holding(shared, "r1", B, ttl=60) as other:
            assert other is None  # taken
        time.sleep(2.0)  # longer than the claim: the heartbeat renewed it
        assert not shared.claim("r1", B, 60)
        claim.check()
    assert shared.claim_holder("r1") is None  # released at the end
    assert shared.claim("r1", B, 60)


def test_a_stalled_worker_learns_it_lost_the_document(shared):
    fill(shared, 1)
    assert shared.claim("r1", A, 0.3)
    claim = Claim(shared, "r1", A, 0.3)  # no heartbeat: A stalls
    time.sleep(0.5)
    assert shared.claim_next("b1", B, 60) == "r1"
    with pytest.raises(ClaimLost):
        claim.check()


def test_an_exception_leaves_the_claim_for_a_retry(shared):
    fill(shared, 1)
    with pytest.raises(RuntimeError):
        with holding(shared, "r1", A, ttl=60):
            raise RuntimeError("storage went away")
    assert shared.claim_holder("r1")[0] == A
    assert not shared.claim("r1", B, 60)
    assert shared.claim("r1", A, 60)  # the retry, by the same worker


def test_worker_id_names_host_and_process():
    import os
    import socket

    host, pid, _ = worker_id().split(":")
    assert (host, int(pid)) == (socket.gethostname(), os.getpid())
    assert worker_id() == worker_id()
