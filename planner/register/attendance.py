"""Attendance: whether each session of a published week took place, and what that does to courses.

A therapist or the coordinator registers, per appointment and referral (per participant in a
team meeting), one of `delivered`, `cancelled-by-citizen`, `no-show` or `cancelled-by-centre`.
Rows are only added, never changed: a correction is a new row, and the newest row of an
appointment and referral is the one that counts. Only a published plan's delivered sessions
count towards a package's `max_sessions`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from planner.db.models import (
    ATTENDANCE_STATUSES,
    Appointment,
    AppointmentParticipant,
    Attendance,
    Course,
    Plan,
    RegisterPackage,
)
from planner.db.store import export_plan, get
from planner.errors import NotFound, PlanStateError
from planner.formats.plan import DocumentError
from planner.register.store import RegisterError, by_key, change, field_error, planned_end
from solver.problem import Message

#: Where to look when a session did not take place, in the coordinator's words.
NO_SHOWS_IN_A_ROW = 2


@dataclass(frozen=True)
class Session_:
    """One session of a course in a published plan, with its attendance (None: not registered)."""

    plan_id: int
    week: str
    appointment: str
    kind: str
    day: date
    start: int
    end: int
    therapist: str
    centre: str
    attendance: str | None


def now() -> datetime:
    return datetime.now(UTC)


def referrals_of(row: Appointment) -> tuple[str, ...]:
    """The referrals an appointment is for: its own, or every participant of a meeting."""
    if row.kind == "team":
        return tuple(p.referral for p in row.participants)
    return (row.referral,) if row.referral else ()


# --- reading ----------------------------------------------------------------------------------


def latest(
    session: Session,
    plan_ids: Iterable[int] | None = None,
    referrals: Iterable[str] | None = None,
) -> dict[tuple[int, str, str], str]:
    """The status that counts per (plan, appointment, referral): the newest row's (of these
    plans and referrals, when given)."""
    query = select(Attendance).order_by(col(Attendance.id))
    if plan_ids is not None:
        query = query.where(col(Attendance.plan_id).in_(list(plan_ids)))
    if referrals is not None:
        query = query.where(col(Attendance.referral).in_(list(referrals)))
    return {(a.plan_id, a.appointment, a.referral): a.status for a in session.exec(query).all()}


def published_plan_ids(session: Session) -> list[int]:
    query = select(Plan.id).where(Plan.status == "published")
    return [i for i in session.exec(query).all() if i is not None]


def delivered_counts(session: Session, keys: Iterable[str] | None = None) -> Counter[str]:
    """Sessions registered delivered per course, over every week's published plan."""
    wanted = set(keys) if keys is not None else None
    counts: Counter[str] = Counter()
    for (_plan, _appointment, referral), status in latest(
        session, published_plan_ids(session)
    ).items():
        if status == "delivered" and (wanted is None or referral in wanted):
            counts[referral] += 1
    return counts


def pending_counts(session: Session, before_week: str) -> Counter[str]:
    """Sessions per course in published plans of weeks before `before_week` that nobody has
    registered yet: booked, so a later week may not plan them again."""
    query = (
        select(Appointment, Plan)
        .join(Plan, col(Appointment.plan_id) == col(Plan.id))
        .where(Plan.status == "published", Plan.week < before_week)
        .options(selectinload(Appointment.participants))  # type: ignore[arg-type]
    )
    rows = session.exec(query).all()
    marks = latest(session, {p.id for _, p in rows if p.id is not None})
    counts: Counter[str] = Counter()
    for a, p in rows:
        for referral in referrals_of(a):
            if (p.id, a.key, referral) not in marks:
                counts[referral] += 1
    return counts


def delivered(course: Course, counts: Counter[str]) -> int:
    """A course's delivered sessions: those before the register, and those registered since."""
    return course.delivered_before + counts.get(course.key, 0)


def course_sessions(key: str, *, session: Session) -> list[Session_]:
    """Every session of a course in a published plan, across weeks, oldest first."""
    own = (
        select(Appointment, Plan)
        .join(Plan, col(Appointment.plan_id) == col(Plan.id))
        .where(Plan.status == "published", Appointment.referral == key)
    )
    seats = (
        select(Appointment, Plan)
        .join(Plan, col(Appointment.plan_id) == col(Plan.id))
        .join(
            AppointmentParticipant,
            col(AppointmentParticipant.appointment_id) == col(Appointment.id),
        )
        .where(Plan.status == "published", AppointmentParticipant.referral == key)
    )
    rows = sorted(
        [*session.exec(own).all(), *session.exec(seats).all()],
        key=lambda pair: (pair[0].date, pair[0].start, pair[0].key),
    )
    marks = latest(session, {p.id for _, p in rows if p.id is not None}, [key])
    return [
        Session_(
            plan_id=p.id or 0,
            week=p.week,
            appointment=a.key,
            kind=a.kind,
            day=a.date,
            start=a.start,
            end=a.end,
            therapist=a.therapist,
            centre=a.centre,
            attendance=marks.get((p.id or 0, a.key, key)),
        )
        for a, p in rows
    ]


def plan_attendance(plan_id: int, *, session: Session) -> dict[str, dict[str, str]]:
    """Per appointment id of a plan, the registered status per referral."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for (_plan, appointment, referral), status in latest(session, [plan_id]).items():
        found[appointment][referral] = status
    return dict(found)


def plan_with_attendance(plan_id: int, *, session: Session) -> dict[str, Any]:
    """A saved plan as plan/1, each appointment with its `attendance` where registered."""
    doc = export_plan(plan_id, session=session)
    marks = plan_attendance(plan_id, session=session)
    for appointment in doc["appointments"]:
        if appointment["id"] in marks:
            appointment["attendance"] = dict(sorted(marks[appointment["id"]].items()))
    return doc


# --- registering ------------------------------------------------------------------------------


def record_attendance(
    plan_id: int, appointment: str, referral: str, status: str, *, session: Session, by: str
) -> bool:
    """Register whether a session took place; False when it was already so (nothing written).

    NotFound for an unknown plan or appointment, PlanStateError for a plan that is not
    published, RegisterError for a status or referral the appointment does not have.
    """
    return record_many(plan_id, [(appointment, referral, status)], session=session, by=by) == 1


def record_many(
    plan_id: int, items: Iterable[tuple[str, str, str]], *, session: Session, by: str
) -> int:
    """Register several (appointment, referral, status) of one plan in one transaction; how
    many changed anything. Every item is checked first: one bad item stores nothing."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("plan", plan_id)
    if plan.status != "published":
        raise PlanStateError(Message("attendance.not-published", {"version": plan.version}))
    rows = {
        a.key: a for a in session.exec(select(Appointment).where(Appointment.plan_id == plan_id))
    }
    known = latest(session, [plan_id])
    errors: list[DocumentError] = []
    fresh: list[Attendance] = []
    for appointment, referral, status in items:
        row = rows.get(appointment)
        if row is None:
            raise NotFound("appointment", appointment, plan=plan_id)
        if status not in ATTENDANCE_STATUSES:
            errors.append(
                field_error("status", "register.one-of", value=status, allowed=ATTENDANCE_STATUSES)
            )
        elif referral not in referrals_of(row):
            errors.append(field_error(
                "referral", "register.not-for-referral", appointment=appointment,
                referral=referral, allowed=list(referrals_of(row)),
            ))  # fmt: skip
        elif status == "delivered" and over_package(session, referral, known, plan_id, appointment):
            errors.append(field_error("status", "register.package-used-up", referral=referral))
        elif known.get((plan_id, appointment, referral)) != status:
            known[(plan_id, appointment, referral)] = status
            fresh.append(
                Attendance(
                    plan_id=plan_id,
                    appointment=appointment,
                    referral=referral,
                    status=status,
                    by=by,
                    at=now(),
                )
            )
    if errors:
        raise RegisterError.of_document(errors)
    if not fresh:
        return 0
    try:
        session.add_all(fresh)
        session.flush()
        for key in sorted({a.referral for a in fresh}):
            settle_course(key, session=session, by=by)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return len(fresh)


def over_package(
    session: Session,
    key: str,
    known: dict[tuple[int, str, str], str],
    plan_id: int,
    appointment: str,
) -> bool:
    """Would one more delivered session take the course past its package's maximum?"""
    if known.get((plan_id, appointment, key)) == "delivered":
        return False  # the same again changes nothing
    course = session.exec(select(Course).where(Course.key == key)).first()
    if course is None:
        return False
    package = by_key(session, RegisterPackage).get(course.package)
    cap = package.doc.get("max_sessions") if package else None
    if cap is None:
        return False
    elsewhere = sum(
        1
        for s in course_sessions(key, session=session)
        if s.plan_id != plan_id and s.attendance == "delivered"
    )
    here = sum(1 for (_p, _a, r), v in known.items() if r == key and v == "delivered")
    return course.delivered_before + elsewhere + here >= cap


def settle_course(key: str, *, session: Session, by: str) -> None:
    """A course's status after its attendance changed.

    A waiting course becomes active with its first delivered session (its planned end counts
    from then); a course whose delivered sessions reach its package's maximum ends (package
    used up); a correction that takes it below the maximum again makes it active again.
    """
    course = session.exec(select(Course).where(Course.key == key)).first()
    if course is None:
        return  # a week imported without the register: nothing to settle
    package = by_key(session, RegisterPackage).get(course.package)
    cap = package.doc.get("max_sessions") if package else None
    sessions = course_sessions(key, session=session)
    done = [s for s in sessions if s.attendance == "delivered"]
    count = course.delivered_before + len(done)
    last_day = done[-1].day if done else date.today()
    if course.status == "waiting" and count > 0:
        course.status = "active"
        if package is not None and done:
            course.planned_end = planned_end(package, done[0].day)
        session.add(
            change(
                key,
                "active",
                done[0].day if done else last_day,
                None,
                by,
                "første session gennemført",
            )
        )
    if course.status in ("active", "paused") and cap is not None and count >= cap:
        course.status, course.ended_reason = "ended", "package-used-up"
        session.add(change(key, "ended", last_day, "package-used-up", by))
    elif (
        course.status == "ended"
        and course.ended_reason == "package-used-up"
        and cap is not None
        and count < cap
    ):
        course.status, course.ended_reason = "active", None
        session.add(change(key, "active", last_day, None, by, "fremmøde rettet"))
    session.add(course)


# --- the coordinator's lists ------------------------------------------------------------------


def no_show_courses(*, session: Session) -> list[str]:
    """Courses whose last two registered sessions were no-shows: someone should call."""
    keys = [c.key for c in session.exec(select(Course).where(Course.status != "ended")).all()]
    flagged = []
    for key in keys:
        marks = [s.attendance for s in course_sessions(key, session=session) if s.attendance]
        if len(marks) >= NO_SHOWS_IN_A_ROW and set(marks[-NO_SHOWS_IN_A_ROW:]) == {"no-show"}:
            flagged.append(key)
    return flagged


@dataclass(frozen=True)
class Unregistered:
    plan_id: int
    week: str
    appointment: str
    referral: str
    day: date
    start: int
    therapist: str


def unregistered(*, session: Session, before: datetime | None = None) -> list[Unregistered]:
    """Sessions of published plans that have ended before `before` (now) with no attendance."""
    moment = before or now()
    query = (
        select(Appointment, Plan)
        .join(Plan, col(Appointment.plan_id) == col(Plan.id))
        .where(Plan.status == "published", Appointment.date <= moment.date())
        .order_by(col(Appointment.date), col(Appointment.start))
    )
    rows = session.exec(query).all()
    marks = latest(session, {p.id for _, p in rows if p.id is not None})
    found = []
    zones: dict[int, ZoneInfo] = {}
    for a, p in rows:
        zone = zones.setdefault(p.scenario_id, scenario_zone(session, p.scenario_id))
        ends = datetime.combine(a.date, datetime.min.time(), zone) + timedelta(minutes=a.end)
        if ends > moment:
            continue
        for referral in referrals_of(a):
            if (p.id, a.key, referral) not in marks:
                found.append(
                    Unregistered(p.id or 0, p.week, a.key, referral, a.date, a.start, a.therapist)
                )
    return found


def scenario_zone(session: Session, scenario_id: int) -> ZoneInfo:
    from planner.db.models import Scenario

    return ZoneInfo(get(session, Scenario, scenario_id).timezone)
