"""Page ranges claimed in the catalog (storage/catalog.py, flows/range_claims.py): of two claimants
of one range exactly one wins, a dead reader's claim is taken over once it expires, and a range is
only claimed by workers with the same OCR settings. On SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import threading
import time

from storage.catalog import Catalog

DIGEST = "a" * 64


def register(catalog: Catalog, document: str = "d1", batch: str = "b1", firsts=(1, 3, 5)) -> None:
    for first in firsts:
        catalog.put_page_range(document, batch, first, 2, DIGEST)


def test_of_two_claimants_one_wins_and_the_next_range_goes_to_the_other(shared):
    register(shared)
    a = shared.claim_page_range("A#1", 60, DIGEST, batch_id="b1")
    b = shared.claim_page_range("B#1", 60, DIGEST, batch_id="b1")
    assert (a.first_page, b.first_page) == (1, 3)
    assert shared.claim_page_range("C#1", 60, "b" * 64, batch_id="b1") is None  # other OCR settings
    assert shared.claim_page_range("C#1", 60, DIGEST, batch_id="other") is None
    assert not shared.finish_page_range(a.id, "B#1", "x/")  # only the claimant finishes it
    assert shared.finish_page_range(a.id, "A#1", "ranges/d1/a/")
    assert not shared.finish_page_range(a.id, "A#1", "again/")  # done once
    done = {job.first_page: job for job in shared.page_ranges("d1")}
    assert (done[1].status, done[1].result_prefix, done[1].claimed_by) == ("done", "ranges/d1/a/", None)
    # Done ranges are never claimed again; the owner's claim takes its document's first open range.
    c = shared.claim_page_range("C#1", 60, DIGEST, document_id="d1")
    assert c.first_page == 5 and shared.claim_page_range("D#1", 60, DIGEST, document_id="d1") is None


def test_an_expired_claim_is_taken_over_and_the_late_reader_cannot_finish(shared):
    register(shared, firsts=(1,))
    dead = shared.claim_page_range("dead#1", 0.5, DIGEST, batch_id="b1")
    assert shared.claim_page_range("A#1", 60, DIGEST, batch_id="b1") is None  # still held
    time.sleep(0.7)
    taken = shared.claim_page_range("A#1", 60, DIGEST, batch_id="b1")
    assert taken is not None and taken.id == dead.id and taken.claimed_by == "A#1"
    assert not shared.renew_page_range(dead.id, "dead#1", 60)  # the stalled reader learns it lost
    assert not shared.finish_page_range(dead.id, "dead#1", "late/")
    assert shared.renew_page_range(taken.id, "A#1", 60)


def test_a_failed_range_is_claimed_only_by_its_owner_and_registering_again_reopens_a_changed_plan(shared):
    register(shared, firsts=(1,))
    job = shared.claim_page_range("B#1", 60, DIGEST, batch_id="b1")
    assert shared.fail_page_range(job.id, "B#1", "RuntimeError: boom")
    assert shared.claim_page_range("C#1", 60, DIGEST, batch_id="b1") is None  # helpers take open ones only
    owner = shared.claim_page_range("A#1", 60, DIGEST, document_id="d1", statuses=("open", "failed"))
    assert owner.id == job.id and owner.error == "RuntimeError: boom"
    shared.put_page_range("d1", "b1", 1, 3, DIGEST)  # another plan: open afresh, claim dropped
    (row,) = shared.page_ranges("d1")
    assert (row.pages, row.status, row.claimed_by, row.error) == (3, "open", None, None)
    register(shared, firsts=(1, 4))
    assert shared.drop_page_ranges("d1", keep=[4]) == 1
    assert [j.first_page for j in shared.page_ranges("d1")] == [4]
    assert shared.range_document_ids() == {"d1"}
    assert shared.drop_page_ranges("d1") == 1 and shared.range_document_ids() == set()


def test_racing_claimants_read_every_range_once(catalog_url, shared):
    """Four claimants, each with its own connection pool, claim until nothing is open."""
    register(shared, firsts=range(1, 61, 2))
    start = threading.Barrier(4)
    taken: dict[str, list[int]] = {}

    def claim(name: str) -> None:
        catalog = Catalog(catalog_url)
        mine = taken.setdefault(name, [])
        start.wait()
        while (job := catalog.claim_page_range(f"{name}#1", 60, DIGEST, batch_id="b1")) is not None:
            assert catalog.finish_page_range(job.id, f"{name}#1", f"{name}/")
            mine.append(job.first_page)
        catalog.close()

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [first for mine in taken.values() for first in mine]
    assert sorted(every) == list(range(1, 61, 2))  # all read, none twice
