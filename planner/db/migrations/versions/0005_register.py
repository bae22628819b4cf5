"""The register: centres, rooms, therapists, packages, classes, citizens and courses over weeks,
with the courses' status history and the attendance of published plans' appointments.

Only new tables: every stored week and plan stays as it is.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("citizen", sa.String(), nullable=False),
        sa.Column("package", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("granted", sa.Date(), nullable=False),
        sa.Column("discharged", sa.Date(), nullable=True),
        sa.Column("earliest", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("ended_reason", sa.String(), nullable=True),
        sa.Column("delivered_before", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course")),
        sa.UniqueConstraint("key", name=op.f("uq_course_key_")),
    )
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_citizen"), ["citizen"], unique=False)
        batch_op.create_index(batch_op.f("ix_course_status"), ["status"], unique=False)

    op.create_table(
        "course_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_status_change")),
    )
    with op.batch_alter_table("course_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_status_change_course"), ["course"], unique=False
        )

    op.create_table(
        "register_absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("therapist", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_absence")),
    )
    with op.batch_alter_table("register_absence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_absence_therapist"), ["therapist"], unique=False
        )

    op.create_table(
        "register_centre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("phone_hours", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_centre")),
        sa.UniqueConstraint("key", name=op.f("uq_register_centre_key_")),
    )
    op.create_table(
        "register_citizen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_citizen")),
        sa.UniqueConstraint("key", name=op.f("uq_register_citizen_key_")),
    )
    op.create_table(
        "register_class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_class")),
        sa.UniqueConstraint("key", name=op.f("uq_register_class_key_")),
    )
    op.create_table(
        "register_info",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("detour_factor", sa.Float(), nullable=False),
        sa.Column("speed_kmh", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_info")),
    )
    op.create_table(
        "register_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("course_weeks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_package")),
        sa.UniqueConstraint("key", name=op.f("uq_register_package_key_")),
    )
    op.create_table(
        "register_room",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_room")),
        sa.UniqueConstraint("key", name=op.f("uq_register_room_key_")),
    )
    op.create_table(
        "register_therapist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_therapist")),
        sa.UniqueConstraint("key", name=op.f("uq_register_therapist_key_")),
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("appointment", sa.String(), nullable=False),
        sa.Column("referral", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_attendance_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attendance_plan_appointment", ["plan_id", "appointment"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attendance_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendance_referral"), ["referral"], unique=False)

    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index("ix_appointment_referral", ["referral"], unique=False)
    with op.batch_alter_table("appointment_participant", schema=None) as batch_op:
        batch_op.create_index("ix_appointment_participant_referral", ["referral"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("appointment_participant", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_participant_referral")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_referral")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_referral"))
        batch_op.drop_index(batch_op.f("ix_attendance_plan_id"))
        batch_op.drop_index("ix_attendance_plan_appointment")

    op.drop_table("attendance")
    op.drop_table("register_therapist")
    op.drop_table("register_room")
    op.drop_table("register_package")
    op.drop_table("register_info")
    op.drop_table("register_class")
    op.drop_table("register_citizen")
    op.drop_table("register_centre")
    with op.batch_alter_table("register_absence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_absence_therapist"))

    op.drop_table("register_absence")
    with op.batch_alter_table("course_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_status_change_course"))

    op.drop_table("course_status_change")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_status"))
        batch_op.drop_index(batch_op.f("ix_course_citizen"))

    op.drop_table("course")
