"""The catalog's schema, brought to the newest Alembic revision when a Catalog opens.

Revisions are in storage/migrations/versions. A catalog made before migrations existed
(tables, no `alembic_version`) is adopted by the baseline revision, so upgrading sohoa never
needs a hand step. Several workers may open a new catalog at once: PostgreSQL serialises
them with an advisory lock, SQLite with a lock file beside the database.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")

# Named constraints, so that a later revision can drop or alter them by name on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Any fixed number: the key of the PostgreSQL advisory lock held while migrating ("sohoa").
_ADVISORY_LOCK_KEY = 0x736F686F61


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@functools.lru_cache(maxsize=1)
def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the catalog's schema to the newest revision; nothing to do is a query or two (and
    on SQLite a moment's hold of the lock file)."""
    with _sqlite_file_lock(engine):
        _use_wal(engine)
        if current(engine) != head():
            _migrate(engine, command.upgrade, "head")


def downgrade(engine: Engine, revision: str) -> None:
    with _sqlite_file_lock(engine):
        _migrate(engine, command.downgrade, revision)


def _use_wal(engine: Engine) -> None:
    """WAL lets the progress poller read while worker threads write. The mode is kept in the
    file, and switching to it is not retried on a busy database (two workers opening a new
    catalog at once failed with "database is locked"), hence set here, under the lock."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")


def _migrate(engine: Engine, step, revision: str) -> None:
    with engine.connect() as connection, _foreign_keys_off(connection):
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
            config = alembic_config()
            config.attributes["connection"] = connection
            step(config, revision)


@contextlib.contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, a batch revision copies a table and drops the old one; with foreign keys on,
    that drop deletes the rows that point at it (register_matches cascade). SQLite ignores the
    pragma inside a transaction, hence set before it begins and restored after it ends."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")  # the pooled connection is reused
        connection.commit()


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    # No folder: no lock; opening the database then fails with SQLite's own error, which says so.
    if not database or database == ":memory:" or not Path(database).parent.is_dir():
        yield
        return
    with open(f"{database}.migrate-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
