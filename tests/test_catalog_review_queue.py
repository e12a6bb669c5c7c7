"""The catalog's review queue: records waiting for review ordered by their lowest field confidence,
filtered by agency, batch, kind of reason and document type, paged by keyset, counted per reason;
the kinds read from the reasons' text; revision 0004 filling the columns of existing rows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from test_catalog import make_record

from storage import migrate
from storage.catalog import Catalog
from storage.reasons import REASON_KINDS, reason_field, reason_kind, reason_kinds
from storage.records import Record, RecordField

A, B = "H26.01", "H26.02"


def waiting(n: int, confidences: tuple[float, ...], reasons: list[str], agency: str = A, batch: str = "b1",
            document_type: str = "quyet_dinh", status: str = "needs_review") -> Record:
    fields = {name: RecordField(value=f"v{i}", confidence=c)
              for i, (name, c) in enumerate(zip(("document_number", "issue_date", "signer"), confidences))}
    return make_record(n, status=status, agency=agency, fields=fields, document_type=document_type,
                       review_reasons=reasons if status == "needs_review" else []).model_copy(
        update={"batch_id": batch, "batch_name": f"lô {batch}"})


def fill(catalog: Catalog) -> None:
    for record in (
        waiting(1, (0.9, 0.4), ["missing: signer", "missing: summary"]),
        waiting(2, (0.7,), ["low confidence: issue_date (0.70)"], batch="b2"),
        waiting(3, (0.4, 0.95), ["invalid: holder_id (not 12 digits)", "missing: signer"], agency=B),
        waiting(4, (), ["page 2: timeout (180 s)", "unknown document type"], document_type="other"),
        waiting(5, (0.4,), ["handwritten: issue_date read by the digit reader (2021-02-03), check it"]),
        waiting(6, (0.3,), [], status="digitised"),  # not waiting: never listed
    ):
        catalog.save(record, f"k/{record.id}")


@pytest.mark.parametrize("reason, kind, field", [
    ("missing: issue_date", "missing", "issue_date"),
    ("invalid: holder_id (not 12 digits)", "invalid", "holder_id"),
    ("handwritten: issue_date read by the digit reader (2021-02-03), check it", "handwritten", "issue_date"),
    ("misread word: signer (Phóỏ)", "misread_word", "signer"),
    ("low confidence: signer (0.50)", "low_confidence", "signer"),
    ("issue_date disagrees with the digital signature (signed 2024-05-02)", "signature", "issue_date"),
    ("issuer disagrees with the digital signature (signed by UBND xã Bình Sơn)", "signature", "issuer"),
    ("issue_date not printed: the digital signature's day (2024-05-02) is suggested", "signature", "issue_date"),
    ("unknown document type", "document_type", None),
    ("document type conflict: title says quyet_dinh, number says thong_bao", "document_type", None),
    ("document type from the recipients list (Như trên): no title, no V/v subject", "document_type", None),
    ("page 12: timeout (180 s)", "unread_page", None),
    ("something nobody wrote a pattern for", "other", None),
])
def test_the_kind_of_each_reason_extraction_writes(reason, kind, field):
    assert (reason_kind(reason), reason_field(reason)) == (kind, field)
    assert kind in REASON_KINDS


def test_kinds_are_listed_once_each_in_order():
    assert reason_kinds(["missing: signer", "page 2: failed (x)", "missing: summary"]) == ["missing", "unread_page"]


def test_the_queue_is_ordered_by_lowest_confidence_then_id_with_no_field_read_first(catalog):
    fill(catalog)
    rows = catalog.review_queue()
    assert [(row.id, row.min_confidence) for row in rows] == [
        ("r4", 0.0), ("r1", 0.4), ("r3", 0.4), ("r5", 0.4), ("r2", 0.7)]
    first = rows[1]
    assert (first.agency, first.batch_id, first.batch_name, first.source_name, first.document_type) == (
        A, "b1", "lô b1", "Quyết định 1.pdf", "quyet_dinh")
    assert first.review_reasons == ["missing: signer", "missing: summary"]


def test_filters_combine(catalog):
    fill(catalog)

    def ids(**filters) -> list[str]:
        return [row.id for row in catalog.review_queue(**filters)]

    assert ids(agency=B) == ["r3"]
    assert ids(agency=A) == ["r4", "r1", "r5", "r2"]
    assert ids(batch_id="b2") == ["r2"]
    assert ids(reason="missing") == ["r1", "r3"]
    assert ids(reason="missing", agency=A) == ["r1"]
    assert ids(document_type="other") == ["r4"]
    assert ids(reason="handwritten", batch_id="b2") == []
    assert catalog.review_queue_count(agency=A) == 4 and catalog.review_queue_count() == 5


def test_keyset_pages_list_every_record_once_across_equal_confidences(catalog):
    fill(catalog)
    seen, after = [], None
    while page := catalog.review_queue(after=after, limit=2):
        seen += [row.id for row in page]
        after = page[-1].after
    assert seen == ["r4", "r1", "r3", "r5", "r2"]
    # Approving a record of the first page between two page loads moves nobody on later pages.
    first = catalog.review_queue(limit=2)
    catalog.save(waiting(1, (0.9, 0.4), [], status="digitised"), "k/r1")
    assert [row.id for row in catalog.review_queue(after=first[-1].after, limit=2)] == ["r3", "r5"]


def test_counts_per_reason_count_records_under_the_other_filters(catalog):
    fill(catalog)
    assert catalog.review_reason_counts() == {
        "missing": 2, "invalid": 1, "low_confidence": 1, "unread_page": 1, "document_type": 1, "handwritten": 1}
    assert catalog.review_reason_counts(agency=A) == {
        "missing": 1, "low_confidence": 1, "unread_page": 1, "document_type": 1, "handwritten": 1}
    assert catalog.review_reason_counts(batch_id="b2", document_type="quyet_dinh") == {"low_confidence": 1}
    assert catalog.review_reason_counts(agency=B, document_type="quyet_dinh") == {"missing": 1, "invalid": 1}
    # Each count is what the queue lists with that reason chosen.
    for kind, count in catalog.review_reason_counts(agency=A).items():
        assert catalog.review_queue_count(agency=A, reason=kind) == count


def test_approval_and_rebuild_keep_the_queue_in_step_with_the_records(catalog):
    fill(catalog)
    catalog.save(waiting(3, (0.4, 0.95), [], agency=B, status="digitised"), "k/r3")
    assert catalog.review_reason_counts(agency=B) == {}
    records = [(record, f"k/{record.id}") for record in catalog.records()]
    assert catalog.rebuild(records) == 6
    assert [row.id for row in catalog.review_queue()] == ["r4", "r1", "r5", "r2"]
    assert catalog.review_reason_counts()["missing"] == 1


def test_revision_0004_fills_the_rows_already_there(catalog):
    fill(catalog)
    before = ([(row.id, row.min_confidence) for row in catalog.review_queue()], catalog.review_reason_counts())
    migrate.downgrade(catalog.engine, "0003")
    assert "review_reasons" not in sa.inspect(catalog.engine).get_table_names()
    migrate.upgrade(catalog.engine)
    assert ([(row.id, row.min_confidence) for row in catalog.review_queue()], catalog.review_reason_counts()) == before
    with catalog.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT min_confidence FROM documents WHERE id = 'r6'").scalar() == 0.3


@pytest.mark.integration
def test_neighbours_follow_the_queues_filters_and_a_records_former_place(catalog):
    fill(catalog)
    assert catalog.review_neighbours("r3") == ((0.4, "r1"), (0.4, "r5"))
    assert catalog.review_neighbours("r5", agency=A) == ((0.4, "r1"), (0.7, "r2"))  # B's r3 left out
    assert catalog.review_neighbours("r1", reason="missing") == (None, (0.4, "r3"))
    assert catalog.review_neighbours("r4", batch_id="b2") == (None, (0.7, "r2"))  # r4 itself is in b1
    assert catalog.review_neighbours("r2", document_type="other") == ((0.0, "r4"), None)
    # r1 corrected to 0.95 and approved: its neighbours are still those of where the queue listed it.
    catalog.save(waiting(1, (0.95,), [], status="digitised"), "k/r1")
    assert catalog.review_neighbours("r1") == ((0.7, "r2"), None)
    assert catalog.review_neighbours("r1", place=0.4) == ((0.0, "r4"), (0.4, "r3"))
    assert catalog.review_neighbours("no-such-record") == (None, None)
    # Still waiting after the correction, r5 is never its own neighbour from its former place.
    catalog.save(waiting(5, (0.99,), ["missing: signer"]), "k/r5")
    assert catalog.review_neighbours("r5", agency=A, place=0.4) == ((0.0, "r4"), (0.7, "r2"))
    assert catalog.review_neighbours("r5", agency=A, reason="missing", place=0.4) == (None, None)


def test_the_queue_on_postgresql(postgres_url):
    catalog = Catalog(postgres_url)
    try:
        fill(catalog)
        seen, after = [], None
        while page := catalog.review_queue(agency=A, after=after, limit=3):
            seen += [row.id for row in page]
            after = page[-1].after
        assert seen == ["r4", "r1", "r5", "r2"]
        assert catalog.review_queue(reason="missing")[0].review_reasons == ["missing: signer", "missing: summary"]
        assert catalog.review_reason_counts(agency=B) == {"missing": 1, "invalid": 1}
        assert catalog.review_neighbours("r5", agency=A) == ((0.4, "r1"), (0.7, "r2"))
        assert catalog.review_neighbours("r3", reason="missing", place=0.2) == (None, (0.4, "r1"))
    finally:
        catalog.close()
