"""The review desk's queue: each document's lowest field confidence and its review reasons' kinds,
indexed, filled for the documents already there from their record JSON.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

import json

import sqlalchemy as sa
from alembic import op

from storage.reasons import lowest_confidence, reason_kinds

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CHUNK = 1000  # documents read and written at a time: a large catalog never sits in memory whole


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("min_confidence", sa.Float))
    op.create_index("ix_documents_review_queue", "documents", ["status", "min_confidence", "id"])
    op.create_index("ix_documents_agency_review_queue", "documents", ["agency", "status", "min_confidence", "id"])
    op.create_index("ix_documents_batch_review_queue", "documents", ["batch_id", "status", "min_confidence", "id"])
    op.create_index("ix_documents_type_review_queue", "documents",
                    ["document_type", "status", "min_confidence", "id"])
    reasons = op.create_table(
        "review_reasons",
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("document_id", "kind", name=op.f("pk_review_reasons")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name=op.f("fk_review_reasons_document_id_documents")),
    )
    op.create_index("ix_review_reasons_kind", "review_reasons", ["kind", "document_id"])
    _fill(op.get_bind(), reasons)


def _fill(connection: sa.Connection, reasons: sa.Table) -> None:
    documents = sa.table("documents", sa.column("id"), sa.column("status"), sa.column("record_json"),
                         sa.column("min_confidence"))
    set_confidence = (sa.update(documents).where(documents.c.id == sa.bindparam("document"))
                      .values(min_confidence=sa.bindparam("confidence")))
    last = ""
    while True:  # in id order, a chunk at a time (keyset: no OFFSET rescans)
        rows = connection.execute(
            sa.select(documents.c.id, documents.c.status, documents.c.record_json)
            .where(documents.c.id > last).order_by(documents.c.id).limit(_CHUNK)
        ).all()
        if not rows:
            return
        confidences, kinds = [], []
        for document_id, status, record_json in rows:
            record = json.loads(record_json)
            fields = record.get("fields") or {}
            confidences.append({"document": document_id,
                                "confidence": lowest_confidence(f["confidence"] for f in fields.values())})
            if status == "needs_review":
                kinds += [{"document_id": document_id, "kind": kind}
                          for kind in reason_kinds(record.get("review_reasons") or [])]
        connection.execute(set_confidence, confidences)
        if kinds:
            connection.execute(reasons.insert(), kinds)
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_review_reasons_kind", table_name="review_reasons")
    op.drop_table("review_reasons")
    op.drop_index("ix_documents_type_review_queue", table_name="documents")
    op.drop_index("ix_documents_batch_review_queue", table_name="documents")
    op.drop_index("ix_documents_agency_review_queue", table_name="documents")
    op.drop_index("ix_documents_review_queue", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("min_confidence")
