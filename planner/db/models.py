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
    # Not part of scenario/1: which person this week's citizen is (`CitizenPerson.person`); the
    # citizen's calendar feed belongs to the person, not to the id weeks may reuse.
    person: str | None = Field(default=None, index=True)
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
    # Security (issue 13): bumped by every change, so of two changes at once one is refused.
    revision: int = 0
    # A data edit of the week made this draft break a rule: it must be fixed before publishing.
    stale: bool = False
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


# --- the register (courses over weeks) -------------------------------------------------------
#
# What lives beyond one week: the municipality's centres, rooms, therapists, packages, classes,
# citizens and their courses (forløb). Each entity keeps its scenario/1 form in `doc` (as the
# care system sent it; a derived week copies it), beside the columns the register itself reads
# and changes: dates of a therapist's employment and absences, a class's period, a course's
# status and history. The course record follows the KL Gateway Rehab model: the referral is the
# ServiceRequest (granted, discharged), the course the CarePlan (status, planned end), the
# weekly sessions PlannedInterventions and each attendance an Encounter.

COURSE_STATUSES = ("waiting", "active", "paused", "ended")
END_REASONS = (
    "completed",
    "package-used-up",
    "stopped-by-citizen",
    "moved-away",
    "died",
    "other",
)
ABSENCE_KINDS = ("ferie", "sygdom", "kursus", "andet")
ATTENDANCE_STATUSES = ("delivered", "cancelled-by-citizen", "no-show", "cancelled-by-centre")


class RegisterInfo(SQLModel, table=True):
    """The register's own settings (one row): the municipality's name and its week settings."""

    __tablename__ = "register_info"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    timezone: str
    slot_minutes: int
    detour_factor: float
    speed_kmh: float


class RegisterCentre(SQLModel, table=True):
    __tablename__ = "register_centre"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    doc: dict[str, Any] = Field(sa_type=JSON)  # scenario/1 centre
    phone: str | None = None
    phone_hours: str | None = None


class RegisterRoom(SQLModel, table=True):
    __tablename__ = "register_room"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    doc: dict[str, Any] = Field(sa_type=JSON)  # scenario/1 room


class RegisterTherapist(SQLModel, table=True):
    """A therapist's standing week (`doc` without `absent`) and their employment."""

    __tablename__ = "register_therapist"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    doc: dict[str, Any] = Field(sa_type=JSON)  # scenario/1 therapist, standing weekly hours
    first_day: date | None = None
    last_day: date | None = None


class RegisterAbsence(SQLModel, table=True):
    """Days from `start` to `end` (both included) a therapist does not work."""

    __tablename__ = "register_absence"

    id: int | None = Field(default=None, primary_key=True)
    therapist: str = Field(index=True)  # therapist key
    start: date
    end: date
    kind: str = "andet"  # one of ABSENCE_KINDS


class RegisterPackage(SQLModel, table=True):
    __tablename__ = "register_package"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    doc: dict[str, Any] = Field(sa_type=JSON)  # scenario/1 package
    course_weeks: int  # how long a course of this package runs: its planned end


class RegisterClass(SQLModel, table=True):
    """A team class with its standing meetings, held from `first_date` to `last_date`."""

    __tablename__ = "register_class"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    doc: dict[str, Any] = Field(sa_type=JSON)  # scenario/1 class
    first_date: date | None = None
    last_date: date | None = None


class RegisterCitizen(SQLModel, table=True):
    __tablename__ = "register_citizen"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    doc: dict[str, Any] = Field(sa_type=JSON)  # scenario/1 citizen


class Course(SQLModel, table=True):
    """A referral as a course (forløb): granted, waiting, active, paused, ended."""

    __tablename__ = "course"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # the referral id
    citizen: str = Field(index=True)  # citizen key
    package: str  # package code
    # scenario/1 referral as granted; intro, final, delivered and earliest are derived per week.
    doc: dict[str, Any] = Field(sa_type=JSON)
    granted: date  # the visitation decision (SEL §86) or the discharge (SUL §140)
    discharged: date | None = None  # SUL §140: the first session within 7 days of this
    earliest: date | None = None
    planned_end: date | None = None
    priority: int = 0  # higher starts first among courses with the same deadline
    status: str = Field(default="waiting", index=True)  # one of COURSE_STATUSES
    ended_reason: str | None = None  # one of END_REASONS
    delivered_before: int = 0  # sessions delivered before the register kept attendance
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


class CourseStatusChange(SQLModel, table=True):
    """One step of a course's status history, with its date, reason, and who made it."""

    __tablename__ = "course_status_change"

    id: int | None = Field(default=None, primary_key=True)
    course: str = Field(index=True)  # course key
    status: str
    on: date
    reason: str | None = None
    note: str = ""
    by: str = ""
    at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


class Attendance(SQLModel, table=True):
    """Whether a session of a published plan took place; append-only, the latest row wins."""

    __tablename__ = "attendance"
    __table_args__ = (Index("ix_attendance_plan_appointment", "plan_id", "appointment"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    appointment: str  # the plan/1 appointment id
    referral: str = Field(index=True)  # course key
    status: str  # one of ATTENDANCE_STATUSES
    by: str  # the account's username
    at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]


#: A course's sessions across weeks are found by referral: its own appointments and its seats.
Index("ix_appointment_referral", Appointment.__table__.c.referral)  # type: ignore[attr-defined]
Index(
    "ix_appointment_participant_referral",
    AppointmentParticipant.__table__.c.referral,  # type: ignore[attr-defined]
)
# --- security: sign-in sessions, throttling, API tokens, the access log -------------------------


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds only its random id; signing out ends the row."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)  # SHA-256 of the cookie's token, hex
    account_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    seen_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    ended_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
    )


class LoginAttempt(SQLModel, table=True):
    """A failed sign-in, counted per account and per address to slow down guessing."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True)
    address: str = Field(index=True)
    at: datetime = Field(sa_type=DateTime(timezone=True), index=True)  # type: ignore[call-overload]


class ApiToken(SQLModel, table=True):
    """A script's bearer token for the API: only its hash is kept; revoking ends it."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    name: str
    token_hash: str = Field(unique=True, index=True)
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
    revoked_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
    )


class AccessLogEntry(SQLModel, table=True):
    """Who read or changed which citizen's data, when (GDPR art. 32); rows are never changed."""

    __tablename__ = "access_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=DateTime(timezone=True), index=True)  # type: ignore[call-overload]
    account: str  # username, or "feed" for a calendar feed's reader
    action: str  # read or change
    what: str  # e.g. "GET /api/plans/3"
    citizen: str = Field(index=True)  # the citizen's id (scenario/1)
    scenario_id: int | None = None  # the imported week the citizen was read in (ids are per week)


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


# --- who a citizen id is: one person per id and name, across imported weeks ---------------------


class CitizenPerson(SQLModel, table=True):
    """One person behind a scenario/1 citizen id: the id with a fingerprint of the name.

    Weeks imported from different sources may give the same id (`c0001`) to different people; a
    citizen's feed belongs to `person` (the id itself for the first person seen with it, the id
    with `~2`, `~3` ... for the next), so an old link never shows another person's sessions.
    """

    __tablename__ = "citizen_person"
    __table_args__ = (
        UniqueConstraint("key", "fingerprint", name="uq_citizen_person_key_fingerprint"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)  # the citizen id (scenario/1)
    fingerprint: str  # SHA-256 of the id and the normalised name, hex (no name stored here)
    person: str = Field(unique=True)
    created_at: datetime = Field(sa_type=DateTime(timezone=True))  # type: ignore[call-overload]
