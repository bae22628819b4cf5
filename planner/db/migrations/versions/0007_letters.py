"""Changes to a published week, letters sent to citizens, and citizens' e-mail addresses.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(), nullable=True))
    op.create_table(
        "week_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("starts", sa.DateTime(), nullable=False),
        sa.Column("ends", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_week_change_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_week_change")),
    )
    with op.batch_alter_table("week_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_week_change_scenario_id"), ["scenario_id"], unique=False
        )
    op.create_table(
        "letter_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(), nullable=False),
        sa.Column("citizen", sa.String(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("sent_by", sa.String(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("times", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_letter_sent_plan_id_plan"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_sent")),
    )
    with op.batch_alter_table("letter_sent", schema=None) as batch_op:
        batch_op.create_index("ix_letter_sent_week_citizen", ["week", "citizen"], unique=False)


def downgrade() -> None:
    op.drop_table("letter_sent")
    with op.batch_alter_table("week_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_week_change_scenario_id"))
    op.drop_table("week_change")
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.drop_column("email")
