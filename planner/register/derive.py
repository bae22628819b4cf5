"""A coming week made from the register: its scenario/1, stored as a week and ready to plan.

Each rule of the derived week is one function below: who works (standing hours less absences
and days outside employment), which classes meet, which courses come (active ones, and waiting
ones that may start, in waiting-list order), and what each course asks for this week (`intro`,
`final`, `delivered`). `previous` is the last published week's appointments moved to this week,
so a citizen keeps weekday, time and therapist where the plan can.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from planner.db.models import (
    Centre,
    Course,
    Plan,
    RegisterCentre,
    RegisterCitizen,
    RegisterClass,
    RegisterPackage,
    RegisterTherapist,
    SolveJob,
)
from planner.db.store import import_scenario, load_solution, timezone_only
from planner.formats.plan import appointment_to_json
from planner.formats.scenario import ScenarioError, plannable_days, scenario_errors, week_monday
from planner.plan.jobs import start_solve
from planner.register.attendance import delivered, delivered_counts, pending_counts
from planner.register.store import RegisterError, absences, by_key, register_document
from solver.problem import SUL140_START_DAYS, Appointment

Doc = dict[str, Any]


# --- the waiting list ---------------------------------------------------------------------------


def start_deadline(course: Course) -> date | None:
    """SUL §140: the day by which the first session must be given (discharge + 7 days)."""
    return course.discharged + timedelta(days=SUL140_START_DAYS) if course.discharged else None


def waiting_order(course: Course) -> tuple[Any, ...]:
    """The order waiting courses start in: SUL §140 deadlines first (soonest first), then the
    higher priority, then the earlier grant, then the referral id."""
    deadline = start_deadline(course)
    return (deadline is None, deadline or date.max, -course.priority, course.granted, course.key)


def waiting_list(*, session: Session) -> list[Course]:
    """The waiting courses in the order they will start."""
    rows = session.exec(select(Course).where(Course.status == "waiting")).all()
    return sorted(rows, key=waiting_order)


def may_start(course: Course, monday: date) -> bool:
    """A waiting course may start in the week of `monday` when it is granted and its earliest
    start falls before the week ends."""
    friday = monday + timedelta(days=4)
    return course.granted <= friday and (course.earliest is None or course.earliest <= friday)


# --- the week's people ------------------------------------------------------------------------


def working_days(row: RegisterTherapist, days: list[date]) -> list[date]:
    """The week's days inside the therapist's employment (first to last working day)."""
    return [
        d
        for d in days
        if (row.first_day is None or row.first_day <= d)
        and (row.last_day is None or d <= row.last_day)
    ]


def week_therapists(session: Session, days: list[date]) -> list[Doc]:
    """Therapists employed in the week, their standing hours, absent on absence days and on
    days outside their employment; a therapist employed on none of the days is left out."""
    found = []
    for row in by_key(session, RegisterTherapist).values():
        employed = working_days(row, days)
        if not employed:
            continue
        away = {d for d in days if d not in employed}
        for absence in absences(session, row.key):
            away |= {d for d in days if absence.start <= d <= absence.end}
        found.append({**row.doc, "absent": sorted(d.isoformat() for d in away)})
    return found


def week_classes(session: Session, monday: date) -> list[Doc]:
    """Classes held in the week: their first date before it ends and last date after it starts."""
    sunday = monday + timedelta(days=6)
    return [
        row.doc
        for row in by_key(session, RegisterClass).values()
        if (row.first_date is None or row.first_date <= sunday)
        and (row.last_date is None or monday <= row.last_date)
    ]


# --- what a course asks for this week ---------------------------------------------------------


def remaining(course: Course, done: int, packages: dict[str, RegisterPackage]) -> int | None:
    """Sessions the package still allows (None: no maximum)."""
    cap = packages[course.package].doc.get("max_sessions")
    return None if cap is None else max(0, cap - done)


def is_final(course: Course, done: int, packages: dict[str, RegisterPackage], monday: date) -> bool:
    """The week holds the course's re-test when the remaining sessions fit in the week or the
    planned end falls in it (or has passed)."""
    left = remaining(course, done, packages)
    fits = left is not None and left <= course.doc["sessions_per_week"]
    ends = course.planned_end is not None and course.planned_end <= monday + timedelta(days=6)
    return fits or ends


def week_referral(
    course: Course,
    done: int,
    packages: dict[str, RegisterPackage],
    monday: date,
    therapists: set[str],
    classes: set[str],
    booked: int = 0,
) -> Doc | None:
    """The course as this week's scenario/1 referral; None when it cannot come this week (its
    package is used up, or its team class does not meet).

    `delivered` is the sessions registered delivered so far, plus `booked`: sessions of
    earlier published weeks nobody has registered yet count as given, so that a week derived
    before last week's attendance is in never plans past the package.
    """
    cap = packages[course.package].doc.get("max_sessions")
    used = done + booked if cap is None else min(cap, done + booked)
    if remaining(course, used, packages) == 0:
        return None
    doc = dict(course.doc)
    if doc.get("class") and doc["class"] not in classes:
        if doc["mode"] == "team":
            return None
        doc["class"] = None
    if doc.get("contact") and doc["contact"] not in therapists:
        doc["contact"] = None  # on leave or gone: any therapist of the profession
    return {
        **doc,
        "intro": used == 0,
        "final": is_final(course, used, packages, monday),
        "delivered": used,
        "earliest": course.earliest.isoformat() if course.earliest else None,
        "discharged": course.discharged.isoformat() if course.discharged else None,
    }


def week_courses(session: Session, monday: date, max_starts: int | None) -> list[Course]:
    """The courses the week plans: every active one, then the waiting ones that may start, in
    waiting-list order (at most `max_starts` of them when given)."""
    active = session.exec(
        select(Course).where(Course.status == "active").order_by(col(Course.id))
    ).all()
    starting = [c for c in waiting_list(session=session) if may_start(c, monday)]
    if max_starts is not None:
        starting = starting[:max_starts]
    return [*starting, *active]  # SUL §140 starts first, as a coordinator fills a diary


# --- previous -----------------------------------------------------------------------------------


def last_published(session: Session, week: str) -> Plan | None:
    """The published plan of the latest week before `week`."""
    query = (
        select(Plan)
        .where(Plan.status == "published", Plan.week < week)
        .order_by(col(Plan.week).desc())
    )
    return session.exec(query).first()


def moved_previous(
    session: Session,
    week: str,
    days: set[date],
    referrals: set[str],
    ids: dict[str, set[str]],
    pattern: Plan | None = None,
) -> list[Appointment]:
    """The last published week's appointments (or the `pattern` plan's) moved by whole weeks
    onto this week, for the referrals, therapists, rooms and classes this week has, on its
    plannable days."""
    plan = pattern or last_published(session, week)
    if plan is None or plan.id is None:
        return []
    old, new = week_monday(plan.week), week_monday(week)
    assert old is not None and new is not None
    shift = new - old
    moved = []
    for a in load_solution(plan.id, session=session).appointments:
        day = a.day + shift
        participants = tuple(p for p in a.participants if p in referrals)
        if (
            day not in days
            or a.therapist not in ids["therapists"]
            or a.centre not in ids["centres"]
            or (a.room is not None and a.room not in ids["rooms"])
            or (a.kind == "team" and (not participants or a.team_class not in ids["classes"]))
            or (a.kind != "team" and a.referral not in referrals)
        ):
            continue
        moved.append(
            Appointment(
                id=a.id,
                kind=a.kind,
                therapist=a.therapist,
                centre=a.centre,
                day=day,
                start=a.start,
                end=a.end,
                referral=a.referral,
                team_class=a.team_class,
                participants=participants,
                room=a.room,
                travel_before=a.travel_before,
                travel_after=a.travel_after,
            )
        )
    return moved


# --- the week ---------------------------------------------------------------------------------


def week_name(name: str, week: str) -> str:
    return f"{name}, uge {int(week[-2:])}"


def week_document(
    week: str,
    *,
    session: Session,
    max_starts: int | None = None,
    expected: Counter[str] | None = None,
    pattern: Plan | None = None,
    check: bool = True,
) -> Doc:
    """The coming week's scenario/1 from the register; RegisterError if it cannot be made.

    Planning ahead (`planner.register.ahead`) gives the sessions `expected` per course from
    earlier weeks not yet held (they count as delivered until registered) and the `pattern`
    plan of the week before, in place of the last published one. Without `check` the document
    is not checked here: the caller stores it, and storing checks it (`store_week`)."""
    monday = week_monday(week) if re.fullmatch(r"\d{4}-W\d{2}", week) else None
    if monday is None:
        raise RegisterError.of("week", "register.not-a-week", week=week)
    doc = register_document(session, week)
    plannable, _holidays = plannable_days(week)
    days = [d.date for d in plannable]
    doc["name"] = week_name(doc["name"], week)
    doc["therapists"] = week_therapists(session, [monday + timedelta(days=i) for i in range(5)])
    doc["classes"] = week_classes(session, monday)
    packages = by_key(session, RegisterPackage)
    therapist_ids = {t["id"] for t in doc["therapists"]}
    class_ids = {c["id"] for c in doc["classes"]}
    counts: Counter[str] = delivered_counts(session)
    booked = pending_counts(session, week)
    referrals = []
    for course in week_courses(session, monday, max_starts):
        referral = week_referral(
            course,
            delivered(course, counts) + (expected or Counter()).get(course.key, 0),
            packages,
            monday,
            therapist_ids,
            class_ids,
            booked=booked.get(course.key, 0),
        )
        if referral is not None:
            referrals.append(referral)
    citizens = by_key(session, RegisterCitizen)
    wanted = {r["citizen"] for r in referrals}
    doc["citizens"] = [row.doc for key, row in citizens.items() if key in wanted]
    doc["referrals"] = referrals
    ids = {
        "therapists": therapist_ids,
        "classes": class_ids,
        "centres": {c["id"] for c in doc["centres"]},
        "rooms": {r["id"] for r in doc["rooms"]},
    }
    zone = timezone_only(doc["timezone"])
    doc["previous"] = [
        appointment_to_json(zone, a)
        for a in moved_previous(
            session, week, set(days), {r["id"] for r in referrals}, ids, pattern
        )
    ]
    found = scenario_errors(doc) if check else []
    if found:
        raise RegisterError.of_document(found)
    return doc


def derive_week(week: str, *, session: Session, max_starts: int | None = None) -> int:
    """Make the coming week from the register and store it as a week; its id.

    The stored week is planned as any other (`planner.plan.jobs.start_solve`); its scenario/1
    export is the derived document.
    """
    doc = week_document(week, session=session, max_starts=max_starts, check=False)
    return store_week(doc, session=session)


def store_week(doc: Doc, *, session: Session) -> int:
    """A derived week stored, with the centres' phones; RegisterError (nothing stored) when it
    breaks a rule of scenario/1 (storing checks the whole document once)."""
    try:
        scenario_id = import_scenario(doc, session=session)
    except ScenarioError as e:  # checked above; kept so a rule added later cannot slip past
        raise RegisterError.of_document(e.found) from None
    give_phones(session, scenario_id)
    return scenario_id


def give_phones(session: Session, scenario_id: int) -> None:
    """The register's centre phones (for citizens' letters) on the stored week's centres."""
    phones = by_key(session, RegisterCentre)
    for centre in session.exec(select(Centre).where(Centre.scenario_id == scenario_id)).all():
        row = phones.get(centre.key)
        if row is not None and row.phone:
            centre.phone, centre.phone_hours = row.phone, row.phone_hours
            session.add(centre)
    session.commit()


def derive_and_plan(
    week: str,
    *,
    session: Session,
    time_limit: float = 30.0,
    background: bool = True,
    max_starts: int | None = None,
) -> SolveJob:
    """Derive the coming week and start planning it, as a coordinator does from its page."""
    scenario_id = derive_week(week, session=session, max_starts=max_starts)
    return start_solve(scenario_id, session=session, time_limit=time_limit, background=background)
