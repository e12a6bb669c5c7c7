"""Matching records to register entries: each stage, its guards, and what stays unmatched."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from storage.catalog import Catalog, InputFile
from storage.matching import mask_holder_id, match, reconcile
from storage.records import Record, RecordField, RecordFiles

T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
AGENCY = "TK.26.248.08914"


def save(catalog: Catalog, n: int, status: str = "digitised", agency: str = AGENCY, **fields: str) -> str:
    record = Record(
        id=f"r{n}", batch_id="b1", batch_name="lô 1", agency=agency,
        source_name=f"{n}.pdf", source_path=f"lô/{n}.pdf", sha256=f"{n:064x}", size_bytes=1,
        media_type="application/pdf", status=status, files=RecordFiles(original=f"o/{n}"),
        duplicate_of="r1" if status == "duplicate" else None,
        fields={name: RecordField(value=value, confidence=0.9) for name, value in fields.items()},
        ingested_at=T0 + timedelta(seconds=n),
    )
    catalog.save(record, f"k{n}")
    return record.id


def register(catalog: Catalog, *rows: dict, sha: str = "f" * 64) -> list[int]:
    """Store entries (row numbers from 2) and return their ids in order."""
    entries = [{"agency": AGENCY, "row_number": i, **row} for i, row in enumerate(rows, start=2)]
    for entry in entries:
        entry.setdefault("document_number_raw", entry.get("document_number"))
    source = InputFile(sha256=sha, name="sổ.csv", imported_at=T0)
    catalog.add_register_entries(source, entries)
    by_row = {e.row_number: e.id for e in catalog.register_entries() if e.source_sha256 == sha}
    return [by_row[e["row_number"]] for e in entries]


def matched(catalog: Catalog) -> dict[int, tuple]:
    return {m.register_entry_id: (m.document_id, m.method, m.flagged) for m in catalog.matches()}


def test_exact_on_number_without_blanks_and_agency(catalog):
    save(catalog, 1, document_number="12 /TLKS-BS", issue_date="2024-01-08")
    save(catalog, 2, agency="TK.26.248.08917", document_number="13/TLKS-BS")
    [a, b] = register(catalog, {"document_number": "12/TLKS-BS"}, {"document_number": "13/TLKS-BS"})
    summary = match(catalog)
    assert matched(catalog) == {a: ("r1", "exact", False)}  # 13/TLKS-BS is another commune's
    assert (summary.exact, summary.matched, summary.unmatched_entries) == (1, 1, 1)
    assert catalog.matches()[0].score == 1.0


def test_holder_and_date_when_the_number_is_missing_or_misread(catalog):
    save(catalog, 1, holder_id="026 324 000 245", issue_date="2024-01-15")
    save(catalog, 2, holder_id="026198004512", issue_date="2024-02-02", document_number="5/XNTTHN")
    [a, b, c] = register(
        catalog,
        {"holder_id": "026324000245", "issue_date": date(2024, 1, 15)},
        {"holder_id": "026198004512", "issue_date": date(2024, 2, 2), "document_number": "8/XNTTHN"},
        {"holder_id": "026198004512", "issue_date": date(2024, 2, 3)},  # another day: not the same paper
    )
    summary = match(catalog)
    assert matched(catalog) == {a: ("r1", "holder_date", False), b: ("r2", "holder_date", True)}
    assert (summary.holder_date, summary.flagged) == (2, 1)


def test_fuzzy_is_last_and_always_flagged(catalog):
    save(catalog, 1, document_number="2052/QĐ-UBND", issue_date="2024-03-02")
    save(catalog, 2, document_number="2053/QĐ-UBND", issue_date="2024-03-02")
    [a, b, c] = register(
        catalog,
        {"document_number": "2053/QĐ-UBND", "issue_date": date(2024, 3, 2)},  # exact: taken first
        {"document_number": "2O52/QĐ-UBND", "issue_date": date(2024, 3, 3)},  # O for 0, a day off
        {"document_number": "2052/QĐ-UBND", "issue_date": date(2023, 3, 2)},  # a year off: no
    )
    summary = match(catalog)
    assert matched(catalog) == {a: ("r2", "exact", False), b: ("r1", "fuzzy", True)}
    fuzzy = next(m for m in catalog.matches() if m.method == "fuzzy")
    assert 0.8 <= fuzzy.score < 1.0
    assert (summary.fuzzy, summary.flagged, summary.unmatched_entries) == (1, 1, 1)


def test_exact_needs_the_same_year_and_flags_another_day(catalog):
    save(catalog, 1, document_number="583/QĐ-UBND", issue_date="2024-11-13")
    save(catalog, 2, document_number="12/TLKS-BS", issue_date="2024-01-08")
    [a, b] = register(
        catalog,
        {"document_number": "583/QĐ-UBND", "issue_date": date(2023, 11, 13)},  # numbering restarts yearly
        {"document_number": "12/TLKS-BS", "issue_date": date(2024, 1, 18)},  # a misread day
    )
    match(catalog)
    assert matched(catalog) == {b: ("r2", "exact", True)}


def test_fuzzy_keeps_within_the_days(catalog):
    save(catalog, 1, document_number="2052/QĐ-UBND", issue_date="2024-03-02")
    register(catalog, {"document_number": "2O52/QĐ-UBND", "issue_date": date(2024, 3, 6)})
    assert match(catalog).fuzzy == 0
    assert match(catalog, fuzzy_days=4).fuzzy == 1


def test_fuzzy_needs_a_similar_number(catalog):
    save(catalog, 1, document_number="97/TLKS-BS", issue_date="2020-06-05")
    register(catalog, {"document_number": "1204/QĐ-UBND", "issue_date": date(2020, 6, 5)})
    assert match(catalog).matched == 0


def test_duplicates_never_match_and_one_record_per_entry(catalog):
    save(catalog, 1, document_number="583/QĐ-UBND", issue_date="2023-11-13")
    save(catalog, 2, status="duplicate", document_number="583/QĐ-UBND", issue_date="2023-11-13")
    save(catalog, 3, status="needs_review", document_number="583/QĐ-UBND")  # a second scan
    [a, b, c] = register(
        catalog,
        {"document_number": "583/QĐ-UBND", "issue_date": date(2023, 11, 13)},
        {"document_number": "583/QĐ-UBND", "issue_date": date(2023, 11, 13)},  # typed twice
        {"document_number": "583/QĐ-UBND", "issue_date": date(2023, 11, 13)},
    )
    match(catalog)
    found = matched(catalog)
    assert found == {a: ("r1", "exact", False), b: ("r3", "exact", False)}  # digitised first
    assert all(document != "r2" for document, _, _ in found.values())
    assert [e.id for e in catalog.unmatched_register_entries()] == [c]


def test_match_recomputes_and_is_idempotent(catalog):
    save(catalog, 1, document_number="12/TLKS-BS")
    register(catalog, {"document_number": "12/TLKS-BS"})
    match(catalog)
    first = matched(catalog)
    match(catalog)
    assert matched(catalog) == first and len(first) == 1
    save(catalog, 1, document_number="17/TLKS-BS")  # a reviewer corrected the number
    match(catalog)
    assert matched(catalog) == {}


def test_unmatched_lists_both_sides(catalog):
    save(catalog, 1, document_number="12/TLKS-BS")
    save(catalog, 2, document_number="99/TLKS-BS")  # in no register entry
    save(catalog, 3, agency="000.00.00.H62", document_number="1/QĐ-UBND")  # agency without a register
    save(catalog, 4, status="duplicate", document_number="98/TLKS-BS")
    [a, b] = register(catalog, {"document_number": "12/TLKS-BS"}, {"document_number": "14/TLKS-BS"})
    summary = match(catalog)
    assert [e.id for e in catalog.unmatched_register_entries()] == [b]
    assert [r.id for r in catalog.unmatched_records()] == ["r2"]
    assert (summary.unmatched_entries, summary.unmatched_records) == (1, 1)


def test_reconcile_required_is_matched_plus_missing(catalog):
    for n in range(1, 4):
        save(catalog, n, document_number=f"{n}/TLKS-BS")
    register(catalog, *({"document_number": f"{n}/TLKS-BS"} for n in range(1, 6)))
    save(catalog, 10, agency="VP.SO.TP", document_number="1/STP")
    save(catalog, 11, agency="VP.SO.TP", status="needs_review", document_number="2/STP")
    save(catalog, 12, agency="VP.SO.TP", status="pending")
    catalog.declare_total("VP.SO.TP", 40, T0)
    save(catalog, 20, agency="TK.26.243", document_number="1/QĐ-UBND")
    save(catalog, 21, agency="TK.26.243", document_number="2/QĐ-UBND")
    catalog.declare_total("TK.26.243", 1, T0)  # fewer than digitised: matched stops at the total
    match(catalog)
    rows = {row["agency"]: row for row in reconcile(catalog)}
    for row in rows.values():
        assert row["required"] == row["matched"] + row["missing"]
    assert (rows[AGENCY]["basis"], rows[AGENCY]["required"], rows[AGENCY]["matched"]) == ("register", 5, 3)
    assert (rows["VP.SO.TP"]["basis"], rows["VP.SO.TP"]["matched"], rows["VP.SO.TP"]["missing"]) == ("declared", 2, 38)
    assert (rows["TK.26.243"]["matched"], rows["TK.26.243"]["missing"]) == (1, 0)


def test_a_later_declaration_wins_whatever_the_order_it_is_loaded_in(catalog):
    catalog.declare_total("VP.SO.TP", 40, T0 + timedelta(days=1))
    catalog.declare_total("VP.SO.TP", 10, T0)
    assert catalog.declared_totals() == {"VP.SO.TP": 40}


def test_rebuild_drops_matches_with_the_documents(catalog):
    save(catalog, 1, document_number="12/TLKS-BS")
    register(catalog, {"document_number": "12/TLKS-BS"})
    match(catalog)
    records = [(record, "k1") for record in catalog.records()]
    assert catalog.rebuild(records) == 1
    assert catalog.matches() == []
    assert len(catalog.register_entries()) == 1
    assert match(catalog).exact == 1


@pytest.mark.parametrize("value, shown", [("026324000245", "026*******45"), ("123456789", "123****89"),
                                          ("0101234567-001", "010*********01"), ("1234", "****"), (None, None)])
def test_personal_numbers_are_never_shown_whole(value, shown):
    assert mask_holder_id(value) == shown
