"""The review desk's people: accounts, login sessions and failed-login counts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("agency", sa.String(64)),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("password_changed_at", TZ, nullable=False),
        sa.Column("disabled_at", TZ),
        sa.Column("last_login_at", TZ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name_key", name=op.f("uq_users_name_key")),
    )
    op.create_table(
        "desk_sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_seen_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_sessions")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_desk_sessions_token_sha256")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_desk_sessions_user_id_users")),
    )
    op.create_index(op.f("ix_desk_sessions_user_id"), "desk_sessions", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", TZ, nullable=False),
        sa.Column("blocked_until", TZ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failures")),
    )


def downgrade() -> None:
    op.drop_table("login_failures")
    op.drop_index(op.f("ix_desk_sessions_user_id"), table_name="desk_sessions")
    op.drop_table("desk_sessions")
    op.drop_table("users")
