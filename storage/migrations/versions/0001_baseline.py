"""Baseline: the catalog's tables as sohoa made them before migrations.

A catalog made by an earlier sohoa has these tables but no `alembic_version`: this revision
adopts it instead of failing on tables that exist. Tables it lacks are created, and nullable
columns and indexes that later versions added (what `create_all` could not do, and a hand-written
ALTER TABLE used to) are added; no row is touched. The definitions are frozen here: later
changes to storage/catalog.py's tables are later revisions.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from storage.migrate import NAMING_CONVENTION

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
TZ = sa.DateTime(timezone=True)

sa.Table(
    "agencies", metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300)),
    sa.Column("level", sa.String(20)),
    sa.Column("parent", sa.String(64), index=True),
    sa.Column("successor", sa.String(64)),
    sa.Column("valid_from", sa.Date),
    sa.Column("valid_to", sa.Date),
)
sa.Table(
    "batches", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("agency", sa.String(64), sa.ForeignKey("agencies.code"), nullable=False, index=True),
    sa.Column("created_at", TZ, nullable=False),
)
sa.Table(
    "documents", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("batch_id", sa.String(64), sa.ForeignKey("batches.id"), nullable=False, index=True),
    sa.Column("agency", sa.String(64), sa.ForeignKey("agencies.code"), nullable=False, index=True),
    sa.Column("source_path", sa.String(1000), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("duplicate_of", sa.String(64)),
    sa.Column("pages", sa.Integer),
    sa.Column("document_type", sa.String(40)),
    sa.Column("issue_year", sa.Integer, index=True),
    sa.Column("ingested_at", TZ, nullable=False, index=True),
    sa.Column("digitised_at", TZ, index=True),
    sa.Column("holder_id", sa.String(32), index=True),
    sa.Column("record_key", sa.String(1000), nullable=False),
    sa.Column("record_json", sa.Text, nullable=False),
)
sa.Table(
    "pages", metadata,
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("method", sa.String(20), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("mean_confidence", sa.Float, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
)
sa.Table(
    "input_files", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("agency", sa.String(64)),
    sa.Column("imported_at", TZ, nullable=False),
)
sa.Table(
    "register_entries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agency", sa.String(64), nullable=False, index=True),
    sa.Column("procedure_code", sa.String(64)),
    sa.Column("field", sa.String(200)),
    sa.Column("document_number", sa.String(200), index=True),
    sa.Column("document_number_raw", sa.String(300)),
    sa.Column("issue_date", sa.Date, index=True),
    sa.Column("holder_id", sa.String(32), index=True),
    sa.Column("valid_until", sa.Date),
    sa.Column("source_sha256", sa.String(64), sa.ForeignKey("input_files.sha256"), nullable=False, index=True),
    sa.Column("source_name", sa.String(300), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    sa.UniqueConstraint("source_sha256", "row_number"),
)
sa.Table(
    "declared_totals", metadata,
    sa.Column("agency", sa.String(64), primary_key=True),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("declared_at", TZ, nullable=False),
)
sa.Table(
    "register_matches", metadata,
    sa.Column("register_entry_id", sa.Integer, sa.ForeignKey("register_entries.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"),
              nullable=False, unique=True),
    sa.Column("method", sa.String(20), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("flagged", sa.Boolean, nullable=False),
)
sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("agency", sa.String(64)),
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("revoked_at", TZ),
)
sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", TZ, nullable=False, index=True),
    sa.Column("token_id", sa.Integer, nullable=False, index=True),
    sa.Column("token_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("agency", sa.String(64)),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("record_id", sa.String(64)),
    sa.Column("holder_hash", sa.String(64), nullable=False, index=True),
    sa.Column("holder_masked", sa.String(32), nullable=False),
    sa.Column("results", sa.Integer, nullable=False),
    sa.Column("client", sa.String(100)),
)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in existing:
            table.create(bind)
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise RuntimeError(f"catalog table {table.name} lacks the required column {column.name}: "
                                   "it was not made by sohoa; rebuild it with `sohoa reindex` into a new catalog")
            op.add_column(table.name, sa.Column(column.name, column.type))
        indexed = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexed:
                index.create(bind)


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
