"""The declarative base of every catalog table (storage/catalog.py, storage/users.py), so that
Alembic compares one metadata with the database."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from storage import migrate


class Base(DeclarativeBase):
    # Tables change only through a revision in storage/migrations/versions (storage/migrate.py).
    metadata = MetaData(naming_convention=migrate.NAMING_CONVENTION)
