"""The catalog's schema is migrated with Alembic: a new catalog, one made by sohoa before
migrations existed, and the same catalog API on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import importlib.util
import json
import threading
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from progress_data import ROOT, fill_catalog
from test_catalog import make_record

from storage import migrate
from storage.agencies import load_agencies
from storage.catalog import Base, Catalog
from storage.matching import match
from storage.progress import progress_report

T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def baseline():
    """The tables as sohoa made them with `create_all` before migrations (frozen in revision 0001)."""
    spec = importlib.util.spec_from_file_location("baseline", migrate.MIGRATIONS / "versions" / "0001_baseline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.metadata


def schema_drift(catalog: Catalog) -> list:
    with catalog.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def test_a_new_catalog_is_at_the_newest_revision_with_the_models_schema(catalog_url):
    catalog = Catalog(catalog_url)
    try:
        assert migrate.current(catalog.engine) == migrate.head()
        assert schema_drift(catalog) == []  # the revisions make exactly what the models declare
    finally:
        catalog.close()


def test_downgrade_and_upgrade_again(catalog_url):
    catalog = Catalog(catalog_url)
    catalog.save(make_record(1), "k1")
    migrate.downgrade(catalog.engine, "0001")
    assert "claimed_by" not in {c["name"] for c in sa.inspect(catalog.engine).get_columns("documents")}
    catalog.close()
    catalog = Catalog(catalog_url)  # opening upgrades again
    try:
        assert schema_drift(catalog) == []
        assert catalog.claim_next("b1", "w", 60) == "r1"  # the row survived both ways
    finally:
        catalog.close()


def test_a_revision_that_copies_a_table_keeps_the_rows_pointing_at_it(catalog_url):
    """On SQLite, dropping the column (0002 down) copies `documents`; with foreign keys on, the
    old table's drop used to cascade to every register match."""
    catalog = fill_catalog(catalog_url)
    try:
        matched = sorted((m.register_entry_id, m.document_id) for m in catalog.matches())
        assert matched
        migrate.downgrade(catalog.engine, "0001")
        migrate.upgrade(catalog.engine)
        assert sorted((m.register_entry_id, m.document_id) for m in catalog.matches()) == matched
        if catalog.engine.dialect.name == "sqlite":
            with catalog.engine.connect() as connection:  # the pooled connection checks them again
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        catalog.close()


def test_workers_opening_a_new_catalog_at_once_migrate_it_once(catalog_url, tmp_path):
    """Switching a new SQLite file to WAL failed now and then ("database is locked") when three
    workers opened it at once, so on SQLite the race is run on ten new files."""
    urls = [catalog_url]
    if catalog_url.startswith("sqlite"):
        urls = [f"sqlite:///{tmp_path}/catalog{n}.sqlite3" for n in range(10)]
    for url in urls:
        errors = []

        def open_catalog():
            try:
                Catalog(url).close()
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=open_catalog) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        catalog = Catalog(url)
        try:
            assert schema_drift(catalog) == []
            if url.startswith("sqlite"):
                with catalog.engine.connect() as connection:
                    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        finally:
            catalog.close()


def legacy_catalog(path, *, older: bool) -> str:
    """A catalog written by sohoa before migrations: `create_all` tables, no alembic_version, a
    document, a register entry and an API token in it. `older`: from before the holder and
    digitised-at columns and the API tables existed (what `_add_new_columns` used to patch)."""
    url = f"sqlite:///{path}"
    tables = baseline().tables
    engine = sa.create_engine(url)
    if older:
        tables = {name: table for name, table in tables.items() if name not in ("api_tokens", "audit_log")}
        baseline().create_all(engine, tables=[baseline().tables[name] for name in tables])
        with engine.begin() as connection:
            for column in ("holder_id", "digitised_at"):
                connection.exec_driver_sql(f"DROP INDEX ix_documents_{column}")
                connection.exec_driver_sql(f"ALTER TABLE documents DROP COLUMN {column}")
    else:
        baseline().create_all(engine)
    record = make_record(1, status="digitised", pages=2)
    with engine.begin() as connection:
        connection.execute(tables["agencies"].insert().values(code=record.agency, name="UBND tỉnh"))
        connection.execute(tables["batches"].insert().values(id="b1", name="lô 1", agency=record.agency, created_at=T0))
        document = dict(id="r1", batch_id="b1", agency=record.agency, source_path=record.source_path,
                        sha256=record.sha256, status="digitised", pages=2, ingested_at=T0, record_key="k1",
                        record_json=record.model_dump_json(exclude_none=True))
        if not older:
            document["digitised_at"] = T0
        connection.execute(tables["documents"].insert().values(**document))
        connection.execute(tables["input_files"].insert().values(sha256="f" * 64, name="sổ.csv", imported_at=T0))
        connection.execute(tables["register_entries"].insert().values(
            agency=record.agency, document_number="1/QĐ-UBND", source_sha256="f" * 64, source_name="sổ.csv",
            row_number=2))
        if not older:
            connection.execute(tables["api_tokens"].insert().values(
                name="Sở Nội vụ", role="supervisor", token_sha256="a" * 64, created_at=T0))
    engine.dispose()
    return url


@pytest.mark.parametrize("older", [False, True], ids=["previous", "older"])
def test_a_catalog_from_before_migrations_is_adopted_without_loss(tmp_path, older):
    url = legacy_catalog(tmp_path / "catalog.sqlite3", older=older)
    catalog = Catalog(url)
    try:
        assert migrate.current(catalog.engine) == migrate.head()
        assert schema_drift(catalog) == []
        assert catalog.get("r1").status == "digitised"
        assert catalog.status_counts()["digitised"] == 1
        assert [e.document_number for e in catalog.register_entries()] == ["1/QĐ-UBND"]
        assert [t.name for t in catalog.api_tokens()] == ([] if older else ["Sở Nội vụ"])
        assert [a.name for a in catalog.agencies()] == ["UBND tỉnh"]
        catalog.save(make_record(2), "k2")  # and it works as a catalog of today
        assert catalog.claim_next("b1", "w", 60) == "r2"
    finally:
        catalog.close()


@pytest.mark.integration
def test_rebuild_on_postgresql(postgres_url):
    """`rebuild` (what `sohoa reindex` runs) on PostgreSQL, where register matches point at the
    documents it deletes: they go with them and are recomputed, and progress comes back the same.
    (tests/test_progress_postgres.py compares PostgreSQL's progress with SQLite's.)"""
    catalog = fill_catalog(postgres_url)
    try:
        def report() -> dict:
            return json.loads(progress_report(catalog).model_dump_json(exclude={"generated_at"}))

        before, matched = report(), sorted((m.document_id, m.method) for m in catalog.matches())
        assert matched
        records = [(record, f"k-{record.id}") for record in catalog.records()]
        assert catalog.rebuild(records) == len(records)
        assert catalog.matches() == []
        # The inputs replayed, as `sohoa reindex` does from object storage.
        load_agencies(catalog, (ROOT / "samples/agencies/vinh_phuc_2022.csv").read_bytes())
        match(catalog)
        assert sorted((m.document_id, m.method) for m in catalog.matches()) == matched
        assert report() == before
        assert catalog.record_key("r1") == "k-r1"
    finally:
        catalog.close()
