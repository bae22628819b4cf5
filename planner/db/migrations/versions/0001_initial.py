"""The first tables: imported weeks (scenario and what it owns) and saved plans.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 06:29:40.749959
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scenario",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("week", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("detour_factor", sa.Float(), nullable=False),
        sa.Column("speed_kmh", sa.Float(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario")),
    )
    with op.batch_alter_table("scenario", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenario_week"), ["week"], unique=False)

    op.create_table(
        "centre",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_centre_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre")),
        sa.UniqueConstraint("scenario_id", "key", name="uq_centre_scenario_id_key"),
    )
    with op.batch_alter_table("centre", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_centre_scenario_id"), ["scenario_id"], unique=False)

    op.create_table(
        "citizen",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("always_available", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_citizen_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen")),
        sa.UniqueConstraint("scenario_id", "key", name="uq_citizen_scenario_id_key"),
    )
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citizen_scenario_id"), ["scenario_id"], unique=False)

    op.create_table(
        "package",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("basis", sa.String(), nullable=False),
        sa.Column("weekly_min", sa.Integer(), nullable=False),
        sa.Column("weekly_max", sa.Integer(), nullable=False),
        sa.Column("max_sessions", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_package_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package")),
        sa.UniqueConstraint("scenario_id", "key", name="uq_package_scenario_id_key"),
    )
    with op.batch_alter_table("package", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_package_scenario_id"), ["scenario_id"], unique=False)

    op.create_table(
        "plan",
        sa.Column("week", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("solver_status", sa.String(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_plan_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint("week", "version", name="uq_plan_week_version"),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_scenario_id"), ["scenario_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_week"), ["week"], unique=False)

    op.create_table(
        "referral",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("citizen", sa.String(), nullable=False),
        sa.Column("package", sa.String(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("team_class", sa.String(), nullable=True),
        sa.Column("profession", sa.String(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("centre", sa.String(), nullable=True),
        sa.Column("sessions_per_week", sa.Integer(), nullable=False),
        sa.Column("session_minutes", sa.Integer(), nullable=False),
        sa.Column("intro", sa.Boolean(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.Column("earliest", sa.Date(), nullable=True),
        sa.Column("discharged", sa.Date(), nullable=True),
        sa.Column("contact", sa.String(), nullable=True),
        sa.Column("exception", sa.String(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_referral_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
        sa.UniqueConstraint("scenario_id", "key", name="uq_referral_scenario_id_key"),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_scenario_id"), ["scenario_id"], unique=False)

    op.create_table(
        "room",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("centre", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_room_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
        sa.UniqueConstraint("scenario_id", "key", name="uq_room_scenario_id_key"),
    )
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_scenario_id"), ["scenario_id"], unique=False)

    op.create_table(
        "team_class",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("centre", sa.String(), nullable=False),
        sa.Column("room_kind", sa.String(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("instructor_profession", sa.String(), nullable=False),
        sa.Column("instructor_skills", sa.JSON(), nullable=False),
        sa.Column("meetings_per_week", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_team_class_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_class")),
        sa.UniqueConstraint("scenario_id", "key", name="uq_team_class_scenario_id_key"),
    )
    with op.batch_alter_table("team_class", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_class_scenario_id"), ["scenario_id"], unique=False
        )

    op.create_table(
        "therapist",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("profession", sa.String(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("centres", sa.JSON(), nullable=False),
        sa.Column("max_minutes", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_therapist_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapist")),
        sa.UniqueConstraint("scenario_id", "key", name="uq_therapist_scenario_id_key"),
    )
    with op.batch_alter_table("therapist", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_therapist_scenario_id"), ["scenario_id"], unique=False)

    op.create_table(
        "appointment",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("therapist", sa.String(), nullable=False),
        sa.Column("centre", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("referral", sa.String(), nullable=True),
        sa.Column("team_class", sa.String(), nullable=True),
        sa.Column("room", sa.String(), nullable=True),
        sa.Column("travel_before", sa.Integer(), nullable=False),
        sa.Column("travel_after", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_appointment_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_appointment_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_appointment_scenario_id"), ["scenario_id"], unique=False
        )

    op.create_table(
        "centre_opening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centre.id"],
            name=op.f("fk_centre_opening_centre_id_centre"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre_opening")),
    )
    with op.batch_alter_table("centre_opening", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_centre_opening_centre_id"), ["centre_id"], unique=False
        )

    op.create_table(
        "citizen_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizen.id"],
            name=op.f("fk_citizen_window_citizen_id_citizen"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_window")),
    )
    with op.batch_alter_table("citizen_window", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_citizen_window_citizen_id"), ["citizen_id"], unique=False
        )

    op.create_table(
        "class_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["team_class.id"],
            name=op.f("fk_class_meeting_class_id_team_class"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_meeting")),
    )
    with op.batch_alter_table("class_meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_meeting_class_id"), ["class_id"], unique=False)

    op.create_table(
        "plan_unplaced",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("referral", sa.String(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_unplaced_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_unplaced")),
    )
    with op.batch_alter_table("plan_unplaced", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_unplaced_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("referral", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("message", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_warning_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_warning")),
    )
    with op.batch_alter_table("plan_warning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_warning_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "therapist_absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["therapist_id"],
            ["therapist.id"],
            name=op.f("fk_therapist_absence_therapist_id_therapist"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapist_absence")),
    )
    with op.batch_alter_table("therapist_absence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_therapist_absence_therapist_id"), ["therapist_id"], unique=False
        )

    op.create_table(
        "therapist_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["therapist_id"],
            ["therapist.id"],
            name=op.f("fk_therapist_hours_therapist_id_therapist"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapist_hours")),
    )
    with op.batch_alter_table("therapist_hours", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_therapist_hours_therapist_id"), ["therapist_id"], unique=False
        )

    op.create_table(
        "appointment_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("referral", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_appointment_participant_appointment_id_appointment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_participant")),
    )
    with op.batch_alter_table("appointment_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_participant_appointment_id"),
            ["appointment_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("appointment_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_participant_appointment_id"))

    op.drop_table("appointment_participant")
    with op.batch_alter_table("therapist_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_therapist_hours_therapist_id"))

    op.drop_table("therapist_hours")
    with op.batch_alter_table("therapist_absence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_therapist_absence_therapist_id"))

    op.drop_table("therapist_absence")
    with op.batch_alter_table("plan_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_warning_plan_id"))

    op.drop_table("plan_warning")
    with op.batch_alter_table("plan_unplaced", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_unplaced_plan_id"))

    op.drop_table("plan_unplaced")
    with op.batch_alter_table("class_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_meeting_class_id"))

    op.drop_table("class_meeting")
    with op.batch_alter_table("citizen_window", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_window_citizen_id"))

    op.drop_table("citizen_window")
    with op.batch_alter_table("centre_opening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centre_opening_centre_id"))

    op.drop_table("centre_opening")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_scenario_id"))
        batch_op.drop_index(batch_op.f("ix_appointment_plan_id"))

    op.drop_table("appointment")
    with op.batch_alter_table("therapist", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_therapist_scenario_id"))

    op.drop_table("therapist")
    with op.batch_alter_table("team_class", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_class_scenario_id"))

    op.drop_table("team_class")
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_scenario_id"))

    op.drop_table("room")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_scenario_id"))

    op.drop_table("referral")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_week"))
        batch_op.drop_index(batch_op.f("ix_plan_scenario_id"))

    op.drop_table("plan")
    with op.batch_alter_table("package", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_package_scenario_id"))

    op.drop_table("package")
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_scenario_id"))

    op.drop_table("citizen")
    with op.batch_alter_table("centre", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_centre_scenario_id"))

    op.drop_table("centre")
    with op.batch_alter_table("scenario", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_week"))

    op.drop_table("scenario")
