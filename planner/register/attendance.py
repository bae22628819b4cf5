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
    # Plain columns, not rows: a week of attendance is read on every registration and derive.
    query = select(
        Attendance.plan_id, Attendance.appointment, Attendance.referral, Attendance.status
    ).order_by(col(Attendance.id))
    if plan_ids is not None:
        query = query.where(col(Attendance.plan_id).in_(list(plan_ids)))
    if referrals is not None:
        query = query.where(col(Attendance.referral).in_(list(referrals)))
    return {(plan, appointment, referral): status
            for plan, appointment, referral, status in session.exec(query).all()}  # fmt: skip


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
    return sessions_by_course([key], session=session).get(key, [])


def sessions_by_course(keys: Iterable[str], *, session: Session) -> dict[str, list[Session_]]:
    """Every session of each of these courses in a published plan, oldest first (read in
    three queries, however many courses: a week's attendance settles them all at once)."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    own = (
        select(Appointment, Plan)
        .join(Plan, col(Appointment.plan_id) == col(Plan.id))
        .where(Plan.status == "published", col(Appointment.referral).in_(wanted))
    )
    seats = (
        select(Appointment, Plan, AppointmentParticipant.referral)
        .join(Plan, col(Appointment.plan_id) == col(Plan.id))
        .join(
            AppointmentParticipant,
            col(AppointmentParticipant.appointment_id) == col(Appointment.id),
        )
        .where(Plan.status == "published", col(AppointmentParticipant.referral).in_(wanted))
    )
    rows = [(a, p, a.referral or "") for a, p in session.exec(own).all()]
    rows += list(session.exec(seats).all())
    rows.sort(key=lambda row: (row[0].date, row[0].start, row[0].key))
    marks = latest(session, {p.id for _, p, _ in rows if p.id is not None}, wanted)
    found: dict[str, list[Session_]] = {}
    for a, p, key in rows:
        found.setdefault(key, []).append(
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
        )
    return found


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
    items = list(items)
    named = sorted({appointment for appointment, _, _ in items})
    query = select(Appointment).where(
        Appointment.plan_id == plan_id, col(Appointment.key).in_(named)
    )
    rows = {a.key: a for a in session.exec(query)}
    # What counts now for these courses in this plan (the others' marks do not matter here).
    known = latest(session, [plan_id], sorted({referral for _, referral, _ in items}))
    outside = packages_outside(session, {r for _, r, s in items if s == "delivered"}, plan_id)
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
        elif status == "delivered" and over_package(
            session, referral, known, plan_id, appointment, outside
        ):
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
        changed = sorted({a.referral for a in fresh})
        sessions = sessions_by_course(changed, session=session)
        packages = by_key(session, RegisterPackage)
        for key in changed:
            found = sessions.get(key, [])
            settle_course(key, session=session, by=by, sessions=found, packages=packages)
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
    outside: dict[str, tuple[int | None, int]] | None = None,
) -> bool:
    """Would one more delivered session take the course past its package's maximum?

    `outside` keeps, per course, its maximum and the sessions delivered outside this plan
    (they do not change while one plan's attendance is registered), so that a whole week
    registered at once reads each course's sessions once."""
    if known.get((plan_id, appointment, key)) == "delivered":
        return False  # the same again changes nothing
    cache = {} if outside is None else outside
    if key not in cache:
        cache[key] = package_outside(session, key, plan_id)
    cap, elsewhere = cache[key]
    if cap is None:
        return False
    here = sum(1 for (_p, _a, r), v in known.items() if r == key and v == "delivered")
    return elsewhere + here >= cap


def package_outside(session: Session, key: str, plan_id: int) -> tuple[int | None, int]:
    """A course's package maximum (None: none, or no such course) and its sessions delivered
    outside the plan, those before the register included."""
    return packages_outside(session, {key}, plan_id).get(key, (None, 0))


def packages_outside(
    session: Session, keys: set[str], plan_id: int
) -> dict[str, tuple[int | None, int]]:
    """`package_outside` of several courses, their sessions read at once."""
    if not keys:
        return {}
    query = select(Course).where(col(Course.key).in_(sorted(keys)))
    courses = {c.key: c for c in session.exec(query).all()}
    packages = by_key(session, RegisterPackage)
    sessions = sessions_by_course(courses, session=session)
    found: dict[str, tuple[int | None, int]] = {}
    for key in keys:
        course = courses.get(key)
        package = packages.get(course.package) if course is not None else None
        cap = package.doc.get("max_sessions") if package is not None else None
        if course is None or cap is None:
            found[key] = (None, 0)
            continue
        elsewhere = sum(
            1 for s in sessions.get(key, []) if s.plan_id != plan_id and s.attendance == "delivered"
        )
        found[key] = (cap, course.delivered_before + elsewhere)
    return found


def settle_course(
    key: str,
    *,
    session: Session,
    by: str,
    sessions: list[Session_] | None = None,
    packages: dict[str, RegisterPackage] | None = None,
) -> None:
    """A course's status after its attendance changed.

    A waiting course becomes active with its first delivered session (its planned end counts
    from then); a course whose delivered sessions reach its package's maximum ends (package
    used up); a correction that takes it below the maximum again makes it active again.
    """
    course = session.exec(select(Course).where(Course.key == key)).first()
    if course is None:
        return  # a week imported without the register: nothing to settle
    package = (packages or by_key(session, RegisterPackage)).get(course.package)
    cap = package.doc.get("max_sessions") if package else None
    if sessions is None:
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
