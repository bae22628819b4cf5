"""The stored weeks and plans: SQLModel tables, one family per thing a coordinator names.

A `scenario` row is one imported scenario/1 week; every centre, room, therapist, package, team
class, citizen and referral belongs to it, so several weeks (or several imports of one week) live
side by side. Inside a week, entities keep their scenario/1 id in `key` and refer to each other by
that key (a room's `centre` is a centre key): the import has already checked every reference with
`planner.formats.scenario.check_scenario`, and the keys make the export a plain copy.

Times of day are minutes after local midnight (as in `solver.problem`), dates are DATE, weekdays
are `mon` … `sun`. Lists of plain words (skills, a therapist's centres, unplaced reasons) are JSON;
lists of times (opening hours, working hours, availability, meetings) are child tables. A weekday
given with an empty list of windows is stored as no rows, the same as a weekday left out (both
mean "none that day"); everything else comes back from the database exactly as the solver read it.

Note: no `from __future__ import annotations` here; SQLModel reads the annotations of
relationships at class creation.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

#: Stable constraint names, so Alembic migrations can refer to them on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PLAN_STATUSES = ("draft", "published", "superseded")
APPOINTMENT_ROLES = ("plan", "pinned", "previous")


def scenario_key(table: str) -> tuple[UniqueConstraint]:
    """Ids are unique per kind within one imported week."""
    return (UniqueConstraint("scenario_id", "key", name=f"uq_{table}_scenario_id_key"),)


# --- the week ---------------------------------------------------------------------------------


class ScenarioBase(SQLModel):
    name: str
    week: str = Field(index=True)  # ISO week, e.g. "2026-W50"
    timezone: str
    slot_minutes: int
    detour_factor: float
    speed_kmh: float


class Scenario(ScenarioBase, table=True):
    """One imported week: the owner of everything planned for it."""

    __tablename__ = "scenario"

    id: int | None = Field(default=None, primary_key=True)
    imported_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


# --- centres and rooms ------------------------------------------------------------------------


class CentreBase(SQLModel):
    key: str
    name: str
    address: str
    lat: float
    lon: float


class Centre(CentreBase, table=True):
    __tablename__ = "centre"
    __table_args__ = scenario_key("centre")

    id: int | None = Field(default=None, primary_key=True)
    # Not part of scenario/1: how citizens reach the centre to cancel (for their letters).
    phone: str | None = None
    phone_hours: str | None = None
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    opening: list["CentreOpening"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "CentreOpening.id"}
    )


class CentreOpening(SQLModel, table=True):
    """A centre's opening hours on one weekday; a weekday without a row is closed."""

    __tablename__ = "centre_opening"

    id: int | None = Field(default=None, primary_key=True)
    # Set by the parent's relationship when the week is written.
    centre_id: int | None = Field(
        default=None, foreign_key="centre.id", index=True, ondelete="CASCADE", nullable=False
    )
    day: str
    start: int
    end: int


class RoomBase(SQLModel):
    key: str
    centre: str  # centre key
    name: str
    kind: str
    capacity: int


class Room(RoomBase, table=True):
    __tablename__ = "room"
    __table_args__ = scenario_key("room")

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")


# --- therapists -------------------------------------------------------------------------------


class TherapistBase(SQLModel):
    key: str
    name: str
    profession: str
    skills: list[str] = Field(default_factory=list, sa_type=JSON)
    centres: list[str] = Field(default_factory=list, sa_type=JSON)  # centre keys, in order
    max_minutes: int | None = None


class Therapist(TherapistBase, table=True):
    __tablename__ = "therapist"
    __table_args__ = scenario_key("therapist")

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    hours: list["TherapistHours"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "TherapistHours.id"}
    )
    absences: list["TherapistAbsence"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "TherapistAbsence.id"}
    )


class TherapistHours(SQLModel, table=True):
    """One working window of a therapist on a weekday."""

    __tablename__ = "therapist_hours"

    id: int | None = Field(default=None, primary_key=True)
    # Set by the parent's relationship when the week is written.
    therapist_id: int | None = Field(
        default=None, foreign_key="therapist.id", index=True, ondelete="CASCADE", nullable=False
    )
    day: str
    start: int
    end: int


class TherapistAbsence(SQLModel, table=True):
    """A date the therapist does not work (holiday, course, illness)."""

    __tablename__ = "therapist_absence"

    id: int | None = Field(default=None, primary_key=True)
    # Set by the parent's relationship when the week is written.
    therapist_id: int | None = Field(
        default=None, foreign_key="therapist.id", index=True, ondelete="CASCADE", nullable=False
    )
    date: date


# --- packages and team classes ----------------------------------------------------------------


class PackageBase(SQLModel):
    key: str  # the package code, e.g. "TG1"
    name: str
    basis: str
    weekly_min: int
    weekly_max: int
    max_sessions: int | None = None


class Package(PackageBase, table=True):
    __tablename__ = "package"
    __table_args__ = scenario_key("package")

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")


class TeamClassBase(SQLModel):
    key: str
    name: str
    centre: str  # centre key
    room_kind: str
    capacity: int
    minutes: int
    instructor_profession: str
    instructor_skills: list[str] = Field(default_factory=list, sa_type=JSON)
    meetings_per_week: int | None = None  # set when the planner chooses the meetings


class TeamClass(TeamClassBase, table=True):
    __tablename__ = "team_class"
    __table_args__ = scenario_key("team_class")

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    meetings: list["ClassMeeting"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "ClassMeeting.id"}
    )


class ClassMeeting(SQLModel, table=True):
    """A fixed weekly meeting of a team class."""

    __tablename__ = "class_meeting"

    id: int | None = Field(default=None, primary_key=True)
    # Set by the parent's relationship when the week is written.
    class_id: int | None = Field(
        default=None, foreign_key="team_class.id", index=True, ondelete="CASCADE", nullable=False
    )
    day: str
    start: int


# --- citizens and referrals -------------------------------------------------------------------


class CitizenBase(SQLModel):
    key: str
    name: str
    address: str
    lat: float
    lon: float
    # scenario/1 tells "no `available`" (whenever a centre is open) from an empty week.
    always_available: bool = True


class Citizen(CitizenBase, table=True):
    __tablename__ = "citizen"
    __table_args__ = scenario_key("citizen")

    id: int | None = Field(default=None, primary_key=True)
    # Not part of scenario/1: where appointment letters may be e-mailed (optional).
    email: str | None = None
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    windows: list["CitizenWindow"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "CitizenWindow.id"}
    )


class CitizenWindow(SQLModel, table=True):
    """A stretch of a weekday when the citizen can come or be visited."""

    __tablename__ = "citizen_window"

    id: int | None = Field(default=None, primary_key=True)
    # Set by the parent's relationship when the week is written.
    citizen_id: int | None = Field(
        default=None, foreign_key="citizen.id", index=True, ondelete="CASCADE", nullable=False
    )
    day: str
    start: int
    end: int


class ReferralBase(SQLModel):
    key: str
    citizen: str  # citizen key
    package: str  # package code
    mode: str
    team_class: str | None = None  # team class key
    profession: str
    skills: list[str] = Field(default_factory=list, sa_type=JSON)
    centre: str | None = None  # centre key
    sessions_per_week: int
    session_minutes: int
    intro: bool = False
    final: bool = False
    delivered: int = 0
    earliest: date | None = None
    discharged: date | None = None
    contact: str | None = None  # therapist key
    exception: str | None = None


class Referral(ReferralBase, table=True):
    __tablename__ = "referral"
    __table_args__ = scenario_key("referral")

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")


# --- plans ------------------------------------------------------------------------------------


class PlanBase(SQLModel):
    week: str = Field(index=True)
    name: str
    version: int  # 1, 2, … per week, over every import of that week
    status: str = "draft"  # one of PLAN_STATUSES
    solver_status: str  # optimal, feasible, infeasible or unknown
    stats: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # plan/1 `stats`


class Plan(PlanBase, table=True):
    """One saved plan of a week; the week has at most one published plan."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("week", "version", name="uq_plan_week_version"),)

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    unplaced: list["PlanUnplaced"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "PlanUnplaced.id"}
    )
    warnings: list["PlanWarning"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "PlanWarning.id"}
    )


class PlanUnplaced(SQLModel, table=True):
    """Sessions of one referral a plan could not place, with the reasons."""

    __tablename__ = "plan_unplaced"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    referral: str
    sessions: int
    reasons: list[str] = Field(default_factory=list, sa_type=JSON)


class PlanWarning(SQLModel, table=True):
    """Something a plan could not honour, e.g. a late SUL §140 start."""

    __tablename__ = "plan_warning"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    referral: str
    code: str
    message: str


class AppointmentBase(SQLModel):
    key: str  # the plan/1 id, e.g. "a0001"
    kind: str  # individual, home, online or team
    therapist: str
    centre: str
    date: date
    start: int
    end: int
    referral: str | None = None  # individual, home, online
    team_class: str | None = None  # team
    room: str | None = None
    travel_before: int = 0
    travel_after: int = 0
    locked: bool = False  # a coordinator locked it: a re-solve keeps it where it is


class Appointment(AppointmentBase, table=True):
    """An appointment of a saved plan, or a pinned or previous one of a scenario (`role`)."""

    __tablename__ = "appointment"

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    plan_id: int | None = Field(default=None, foreign_key="plan.id", index=True, ondelete="CASCADE")
    role: str = "plan"  # one of APPOINTMENT_ROLES
    participants: list["AppointmentParticipant"] = Relationship(
        cascade_delete=True, sa_relationship_kwargs={"order_by": "AppointmentParticipant.id"}
    )


class AppointmentParticipant(SQLModel, table=True):
    """A seat in a team meeting: the referral it is for."""

    __tablename__ = "appointment_participant"

    id: int | None = Field(default=None, primary_key=True)
    # Set by the parent's relationship when the week is written.
    appointment_id: int | None = Field(
        default=None, foreign_key="appointment.id", index=True, ondelete="CASCADE", nullable=False
    )
    referral: str


# --- people who sign in, and background solves --------------------------------------------------

ROLES = ("coordinator", "therapist")
JOB_STATES = ("queued", "running", "done", "cancelled", "failed")


class UserAccount(SQLModel, table=True):
    """Someone who signs in: a coordinator (everything) or a therapist (their own week)."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    name: str
    role: str  # one of ROLES
    therapist: str | None = None  # the therapist key a therapist account sees
    password_hash: str
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


class SolveJob(SQLModel, table=True):
    """A plan being made in the background: its progress, and the draft it became."""

    __tablename__ = "solve_job"

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    base_plan_id: int | None = None  # the plan whose locked appointments the solve keeps
    state: str = "queued"  # one of JOB_STATES
    stage: str = ""
    time_limit: float
    requested: int = 0
    placed: int = 0
    bound: int = 0
    seconds: float = 0.0
    cancel_requested: bool = False
    plan_id: int | None = None
    error: str | None = None
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    updated_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


# --- calendar feeds -------------------------------------------------------------------------------

FEED_KINDS = ("therapist", "room", "centre", "class", "citizen")
FEED_ENTRY_STATUSES = ("confirmed", "cancelled")


class FeedToken(SQLModel, table=True):
    """The secret link of one calendar feed: only its hash is kept; renewing bumps `generation`."""

    __tablename__ = "feed_token"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_feed_token_kind_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # one of FEED_KINDS
    key: str  # the therapist, room, centre, class or citizen id (scenario/1)
    generation: int = 0
    token_hash: str  # SHA-256 of the token, hex
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    revoked_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
    )


class FeedEntry(SQLModel, table=True):
    """One appointment as one feed shows it, with its life-long UID and its change history.

    Rows span weeks and imports (a therapist's feed shows every published week) and are not
    owned by a scenario: a re-import of a week must not reset UIDs that calendars already hold.
    """

    __tablename__ = "feed_entry"
    __table_args__ = (
        UniqueConstraint("feed_kind", "feed_key", "uid", name="uq_feed_entry_feed_uid"),
        Index("ix_feed_entry_feed", "feed_kind", "feed_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str
    week: str = Field(index=True)  # ISO week of the published plan
    identity: str  # what the appointment is for: "referral:r001", "class:balance", "seat:r002"
    feed_kind: str  # one of FEED_KINDS
    feed_key: str
    feed_name: str  # the calendar's name as of this row's publication
    date: date
    start: int  # minutes after local midnight
    end: int
    timezone: str
    summary: str
    location: str
    description: str
    status: str = "confirmed"  # one of FEED_ENTRY_STATUSES
    sequence: int = 0
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    changed_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    cancelled_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
    )


# --- changes to a published week, and letters sent ----------------------------------------------

WEEK_CHANGE_KINDS = ("therapist", "room", "class", "referral")
LETTER_CHANNELS = ("printed", "pdf", "email")


class WeekChange(SQLModel, table=True):
    """Something that changed after a week was published: a therapist absent, a room closed,
    a class meeting cancelled, a citizen cancelling; what the overview marks and a repair mends."""

    __tablename__ = "week_change"

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", index=True, ondelete="CASCADE")
    kind: str  # one of WEEK_CHANGE_KINDS
    key: str  # the therapist, room, class or referral id (scenario/1)
    # Local wall-clock times of the week, without an offset.
    starts: datetime = Field(sa_type=DateTime(timezone=False))  # type: ignore[call-overload]
    ends: datetime = Field(sa_type=DateTime(timezone=False))  # type: ignore[call-overload]
    created_by: str  # username
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


class LetterSent(SQLModel, table=True):
    """A letter a citizen was given: for which plan, when, by whom, how, and the times it told
    (so the next batch is everyone whose times differ from their last letter)."""

    __tablename__ = "letter_sent"
    __table_args__ = (Index("ix_letter_sent_week_citizen", "week", "citizen"),)

    id: int | None = Field(default=None, primary_key=True)
    week: str  # ISO week
    citizen: str  # citizen id (scenario/1)
    plan_id: int | None = Field(default=None, foreign_key="plan.id", ondelete="SET NULL")
    plan_version: int
    channel: str  # one of LETTER_CHANNELS
    sent_by: str  # username
    sent_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    times: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
