"""Page ranges of long documents, claimed in the catalog by any worker of the batch
(flows/range_claims.py): work in progress, not derived from records, emptied as documents finish.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_ranges",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("batch_id", sa.String(64), nullable=False),
        sa.Column("first_page", sa.Integer, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("settings_sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("claimed_by", sa.String(200)),
        sa.Column("claim_expires_at", sa.DateTime(timezone=True)),
        sa.Column("result_prefix", sa.String(300)),
        sa.Column("error", sa.Text),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_ranges")),
        sa.UniqueConstraint("document_id", "first_page", name=op.f("uq_page_ranges_document_id_first_page")),
    )
    op.create_index("ix_page_ranges_batch_status", "page_ranges", ["batch_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_page_ranges_batch_status", table_name="page_ranges")
    op.drop_table("page_ranges")
