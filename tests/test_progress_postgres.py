"""Matching and progress counted by PostgreSQL give what SQLite gives (the GROUP BY queries of
Catalog.progress_facts and the JSON reads of Catalog.match_candidates run on both)."""

from __future__ import annotations

from datetime import date

import pytest
from progress_data import fill_catalog

from storage.matching import match, reconcile
from storage.progress import progress_report

pytestmark = pytest.mark.integration


@pytest.fixture
def both(tmp_path, postgres_url):
    catalogs = fill_catalog(f"sqlite:///{tmp_path / 'catalog.sqlite3'}"), fill_catalog(postgres_url)
    yield catalogs
    for catalog in catalogs:
        catalog.close()


def test_postgresql_matches_and_reports_like_sqlite(both):
    sqlite, postgres = both
    assert match(postgres) == match(sqlite)
    pairs = [{(m.register_entry_id, m.document_id, m.method, m.score, m.flagged) for m in c.matches()} for c in both]
    assert pairs[0] == pairs[1] and pairs[0]
    today = date.today()
    assert reconcile(postgres, today) == reconcile(sqlite, today)
    for by in ("agency", "level", "procedure", "field", "year"):
        for structure in ("historical", "successor"):
            reports = [progress_report(c, by, structure, today=today).model_dump(exclude={"generated_at"}) for c in both]
            assert reports[0] == reports[1], (by, structure)
    report = progress_report(postgres, "agency", today=today)
    assert report.total.required > 0 and report.months and report.total.pace_per_day > 0
