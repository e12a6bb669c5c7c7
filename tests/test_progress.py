"""Progress toward 100%: the denominator from registers and declarations, pace, projection, status."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from storage.catalog import Catalog, InputFile
from storage.matching import match, reconcile
from storage.progress import ProgressSettings, progress_report
from storage.records import Record, RecordError, RecordField, RecordFiles

TODAY = date(2025, 10, 1)
from merger_agencies import AGENCIES, COMMUNE, NEW_COMMUNE, OTHER  # noqa: E402


@pytest.fixture
def catalog(catalog):
    catalog.upsert_agencies(AGENCIES)
    return catalog


def save(catalog: Catalog, n: int, agency: str, status: str, digitised_days_ago: int | None = None,
         number: str | None = None) -> None:
    moment = datetime(2025, 10, 1, 9, tzinfo=timezone.utc) - timedelta(days=digitised_days_ago or 0)
    record = Record(
        id=f"r{n}", batch_id="b1", batch_name="lô 1", agency=agency, source_name=f"{n}.pdf",
        source_path=f"lô/{n}.pdf", sha256=f"{n:064x}", size_bytes=1, media_type="application/pdf",
        status=status, files=RecordFiles(original=f"o/{n}"), ingested_at=moment - timedelta(hours=1),
        processed_at=moment, error=RecordError(code="corrupt_file", message="unreadable") if status == "failed" else None,
        fields={"document_number": RecordField(value=number, confidence=0.9),
                "issue_date": RecordField(value="2024-03-02", confidence=0.9)} if number else {},
    )
    catalog.save(record, f"k{n}")


def register(catalog: Catalog, agency: str, numbers: list[str]) -> None:
    source = InputFile(sha256="a" * 64, name="sổ.csv", imported_at=datetime(2025, 9, 1, tzinfo=timezone.utc))
    catalog.add_register_entries(source, [
        {"agency": agency, "row_number": i, "document_number": n, "document_number_raw": n,
         "issue_date": date(2024, 3, 2), "procedure_code": "1.001193"}
        for i, n in enumerate(numbers, start=2)
    ])


@pytest.fixture
def filled(catalog):
    register(catalog, COMMUNE, [f"{n}/TLKS-BS" for n in range(1, 11)])  # 10 results issued
    save(catalog, 1, COMMUNE, "digitised", 3, "1/TLKS-BS")
    save(catalog, 2, COMMUNE, "digitised", 10, "2/TLKS-BS")
    save(catalog, 3, COMMUNE, "digitised", 60, "3/TLKS-BS")  # before the 30-day window
    save(catalog, 4, COMMUNE, "needs_review", None, "4/TLKS-BS")
    save(catalog, 5, COMMUNE, "failed")
    save(catalog, 6, COMMUNE, "digitised", 5, "99/QĐ-UBND")  # in no register
    catalog.declare_total(OTHER, 4, datetime(2025, 9, 1, tzinfo=timezone.utc))
    save(catalog, 7, OTHER, "digitised", 1, "7/QĐ-STP")
    match(catalog)
    return catalog


def test_required_is_digitised_plus_review_plus_missing(filled):
    report = progress_report(filled, "agency", today=TODAY)
    rows = {row.group: row for row in report.rows}
    commune = rows[COMMUNE]
    assert (commune.required, commune.digitised, commune.needs_review, commune.missing) == (10, 3, 1, 6)
    assert (commune.failed, commune.unmatched_records, commune.basis) == (1, 1, "register")
    assert commune.percent_done == 30.0
    assert commune.pace_per_day == round(2 / 30, 3)  # two approved in the last 30 days
    assert commune.projected_completion == TODAY + timedelta(days=105)  # 7 left at 2 per 30 days
    other = rows[OTHER]
    assert (other.basis, other.required, other.digitised, other.missing) == ("declared", 4, 1, 3)
    assert report.total.required == 14 and report.total.digitised == 4
    # The matching module's reconciliation agrees.
    reconciled = {row["agency"]: row for row in reconcile(filled)}
    assert reconciled[COMMUNE]["required"] == commune.required
    assert reconciled[COMMUNE]["matched"] == commune.digitised + commune.needs_review


def test_status_against_target_and_interim_targets(filled):
    early = ProgressSettings(target_date=date(2026, 12, 31))
    row = {r.group: r for r in progress_report(filled, "agency", today=TODAY, settings=early).rows}[COMMUNE]
    assert row.status == "on_track"  # 7 left at 2 in 30 days: about 105 days
    assert row.interim_target == 15.0
    late = ProgressSettings(target_date=date(2025, 10, 15))
    row = {r.group: r for r in progress_report(filled, "agency", today=TODAY, settings=late).rows}[COMMUNE]
    assert row.status == "behind"
    after = {r.group: r for r in progress_report(filled, "agency", today=date(2026, 1, 5)).rows}[COMMUNE]
    assert after.status == "missed"


def test_successor_structure_rolls_the_old_commune_into_the_new(filled):
    report = progress_report(filled, "agency", structure="successor", today=TODAY)
    groups = {row.group for row in report.rows}
    assert NEW_COMMUNE in groups and COMMUNE not in groups
    assert {r.group: r for r in report.rows}[NEW_COMMUNE].required == 10


def test_by_level_and_by_year_and_procedure(filled):
    levels = {row.group: row.required for row in progress_report(filled, "level", today=TODAY).rows}
    assert levels == {"commune": 10, "province": 4}
    years = {row.group: row.required for row in progress_report(filled, "year", today=TODAY).rows}
    assert years["2024"] == 11  # 10 entries and the declared agency's one record of 2024
    procedures = {row.group: row.required for row in progress_report(filled, "procedure", today=TODAY).rows}
    assert procedures["1.001193"] == 10


def test_burn_up_and_flow(filled):
    report = progress_report(filled, "agency", today=TODAY)
    assert [(m.month, m.cumulative) for m in report.months] == [("2025-08", 1), ("2025-09", 4)]
    [flow] = [f for f in report.flow if f.year == "2024"]
    assert (flow.issued, flow.with_file, flow.full_points) == (11, 4, False)


def test_a_flagged_match_counts_as_in_review(catalog):
    register(catalog, COMMUNE, ["12/TLKS-BS"])
    save(catalog, 1, COMMUNE, "digitised", 2, "13/TLKS-BS")  # only alike: a fuzzy match, flagged
    assert match(catalog).flagged == 1
    row = progress_report(catalog, "agency", today=TODAY).rows[0]
    assert (row.digitised, row.needs_review, row.missing) == (0, 1, 0)


def test_records_by_holder_finds_approved_results_of_one_person(catalog):
    for n, (status, holder) in enumerate([("digitised", "026090001234"), ("needs_review", "026090001234"),
                                          ("digitised", "026090009999")], start=1):
        record = Record(
            id=f"h{n}", batch_id="b1", batch_name="lô 1", agency=COMMUNE, source_name=f"{n}.pdf",
            source_path=f"lô/{n}.pdf", sha256=f"{n:064x}", size_bytes=1, media_type="application/pdf",
            status=status, files=RecordFiles(original=f"o/{n}"), ingested_at=datetime(2025, 9, 1, tzinfo=timezone.utc),
            fields={"holder_id": RecordField(value=holder, confidence=0.9)},
        )
        catalog.save(record, f"k{n}")
    assert [r.id for r in catalog.records_by_holder("026090001234")] == ["h1"]
    assert [r.id for r in catalog.records_by_holder("026090001234", statuses=("digitised", "needs_review"))] == ["h1", "h2"]
    assert catalog.records_by_holder("026090001234", agency=OTHER) == []


def test_expired_results_are_not_required_and_fields_group(catalog):
    source = InputFile(sha256="c" * 64, name="sổ.csv", imported_at=datetime(2025, 9, 1, tzinfo=timezone.utc))
    catalog.add_register_entries(source, [
        {"agency": COMMUNE, "row_number": 2, "document_number": "1/XNTTHN", "field": "Hộ tịch",
         "issue_date": date(2024, 2, 2), "valid_until": date(2024, 8, 2)},  # ended before TODAY
        {"agency": COMMUNE, "row_number": 3, "document_number": "2/XNTTHN", "field": "Hộ tịch",
         "issue_date": date(2025, 8, 2), "valid_until": date(2026, 2, 2)},
        {"agency": COMMUNE, "row_number": 4, "document_number": "3/GCN", "field": "Đất đai",
         "issue_date": date(2025, 8, 2)},
    ])
    match(catalog)
    [row] = progress_report(catalog, "agency", today=TODAY).rows
    assert (row.required, row.expired, row.missing) == (2, 1, 2)
    assert [line["required"] for line in reconcile(catalog, TODAY)] == [2]
    fields = {r.group: r.required for r in progress_report(catalog, "field", today=TODAY).rows}
    assert fields == {"Hộ tịch": 1, "Đất đai": 1}
