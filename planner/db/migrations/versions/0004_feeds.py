"""Calendar feeds: their secret links (hashed) and the appointments each feed shows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_token")),
        sa.UniqueConstraint("kind", "key", name="uq_feed_token_kind_key"),
    )
    op.create_table(
        "feed_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("week", sa.String(), nullable=False),
        sa.Column("identity", sa.String(), nullable=False),
        sa.Column("feed_kind", sa.String(), nullable=False),
        sa.Column("feed_key", sa.String(), nullable=False),
        sa.Column("feed_name", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_entry")),
        sa.UniqueConstraint("feed_kind", "feed_key", "uid", name="uq_feed_entry_feed_uid"),
    )
    with op.batch_alter_table("feed_entry", schema=None) as batch_op:
        batch_op.create_index("ix_feed_entry_feed", ["feed_kind", "feed_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_feed_entry_week"), ["week"], unique=False)


def downgrade() -> None:
    op.drop_table("feed_entry")
    op.drop_table("feed_token")
