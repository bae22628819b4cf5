"""Keeping weeks and plans in the database: import and export scenario/1, save and publish plans.

A scenario/1 document is checked in full before anything is written, and a week is written in
one transaction, so the database never holds half a week. Importing a week that is already
stored adds a second scenario row beside the first (a corrected export from the care system is
a new import, and plans made from the old one stay readable). Plans are numbered per ISO week
over all imports of that week; publishing one supersedes the week's previously published plan.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, SQLModel, col, select

from planner.db.models import (
    Appointment,
    AppointmentParticipant,
    Centre,
    CentreOpening,
    Citizen,
    CitizenWindow,
    ClassMeeting,
    Package,
    Plan,
    PlanUnplaced,
    PlanWarning,
    Referral,
    Room,
    Scenario,
    TeamClass,
    Therapist,
    TherapistAbsence,
    TherapistHours,
)
from planner.db.persons import person_keys
from planner.errors import NotFound
from planner.formats.plan import (
    appointment_to_json,
    plan_document,
    stats_from_json,
    stats_to_json,
)
from planner.formats.scenario import build_problem, parse_scenario
from planner.text.messages import from_json, to_json
from solver import problem as solved
from solver.problem import Problem, Solution, Travel, Window, clock

Doc = dict[str, Any]
Row = TypeVar("Row", bound=SQLModel)
PLAN_STATUSES_ON_SAVE = ("draft", "published")
#: How often a plan's save is tried when other saves of the week take its version number first.
VERSION_ATTEMPTS = 20


# --- import -----------------------------------------------------------------------------------


def import_scenario(doc: Doc, *, session: Session) -> int:
    """Store a scenario/1 week and return its id; ScenarioError (nothing written) if it is bad.

    Each citizen is bound to a person (`planner.db.persons`): the one known by the id and
    name, or a new one when the id was another person's in a week stored before."""
    problem = parse_scenario(doc)
    scenario = Scenario(
        name=problem.name,
        week=problem.week,
        timezone=problem.timezone,
        slot_minutes=problem.slot_minutes,
        detour_factor=problem.travel.detour_factor,
        speed_kmh=problem.travel.speed_kmh,
        imported_at=datetime.now(UTC),
    )
    try:
        session.add(scenario)
        session.flush()
        rows = week_rows(problem, flushed_id(scenario))
        persons = person_keys(((c.id, c.name) for c in problem.citizens), session=session)
        for row in rows:
            if isinstance(row, Citizen):
                row.person = persons[row.key]
        session.add_all(rows)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return flushed_id(scenario)


def flushed_id(row: Scenario | Plan) -> int:
    """The id the database gave a row when it was flushed."""
    assert row.id is not None, "flush the row first"
    return row.id


def week_rows(problem: Problem, owner: int) -> list[SQLModel]:
    """Every row of one week, children attached to their parents."""
    rows: list[SQLModel] = []
    rows += [centre_row(c, owner) for c in problem.centres]
    rows += [
        Room(scenario_id=owner, key=r.id, **fields(r, "centre name kind capacity"))
        for r in problem.rooms
    ]
    rows += [therapist_row(t, owner) for t in problem.therapists]
    rows += [package_row(p, owner) for p in problem.packages]
    rows += [class_row(c, owner) for c in problem.classes]
    rows += [citizen_row(c, owner) for c in problem.citizens]
    rows += [referral_row(r, owner) for r in problem.referrals]
    rows += [appointment_row(a, owner, role="pinned") for a in problem.pinned]
    rows += [appointment_row(a, owner, role="previous") for a in problem.previous]
    return rows


def stored_reasons(unplaced: solved.Unplaced) -> list[Any]:
    """An unplaced entry's reasons for its JSON column: each message as code and parameters."""
    return [to_json(m) for m in unplaced.reasons]


def stored_message(warning: solved.PlanWarning) -> str:
    """A warning's message for its text column: the message's code and parameters as JSON."""
    return json.dumps(to_json(warning.message), ensure_ascii=False)


def warning_message(text: str) -> solved.Message:
    """A stored warning's message; a plain sentence (stored before messages were data) as text."""
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    return from_json(value)


def fields(obj: object, names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names.split()}


def centre_row(centre: solved.Centre, owner: int) -> Centre:
    return Centre(
        scenario_id=owner,
        key=centre.id,
        **fields(centre, "name address lat lon"),
        opening=[CentreOpening(day=d, start=w.start, end=w.end) for d, w in centre.open.items()],
    )


def therapist_row(therapist: solved.Therapist, owner: int) -> Therapist:
    return Therapist(
        scenario_id=owner,
        key=therapist.id,
        **fields(therapist, "name profession max_minutes"),
        skills=sorted(therapist.skills),
        centres=list(therapist.centres),
        hours=[
            TherapistHours(day=d, start=w.start, end=w.end) for d, w in windows(therapist.hours)
        ],
        absences=[TherapistAbsence(date=d) for d in sorted(therapist.absent)],
    )


def windows(week: dict[str, tuple[Window, ...]]) -> Iterable[tuple[str, Window]]:
    return ((day, w) for day, ws in week.items() for w in ws)


def package_row(package: solved.Package, owner: int) -> Package:
    low, high = package.weekly_minutes
    return Package(
        scenario_id=owner,
        key=package.code,
        **fields(package, "name basis max_sessions"),
        weekly_min=low,
        weekly_max=high,
    )


def class_row(team: solved.TeamClass, owner: int) -> TeamClass:
    return TeamClass(
        scenario_id=owner,
        key=team.id,
        **fields(team, "name centre room_kind capacity minutes meetings_per_week"),
        instructor_profession=team.instructor_profession,
        instructor_skills=sorted(team.instructor_skills),
        meetings=[ClassMeeting(day=m.day, start=m.start) for m in team.meetings],
    )


def citizen_row(citizen: solved.Citizen, owner: int) -> Citizen:
    available = citizen.available or {}
    return Citizen(
        scenario_id=owner,
        key=citizen.id,
        **fields(citizen, "name address lat lon"),
        always_available=citizen.available is None,
        windows=[CitizenWindow(day=d, start=w.start, end=w.end) for d, w in windows(available)],
    )


def referral_row(referral: solved.Referral, owner: int) -> Referral:
    names = (
        "citizen package mode profession sessions_per_week session_minutes team_class centre "
        "intro final delivered earliest discharged contact exception"
    )
    return Referral(
        scenario_id=owner,
        key=referral.id,
        skills=sorted(referral.skills),
        **fields(referral, names),
    )


def appointment_row(
    appointment: solved.Appointment, owner: int, *, role: str, plan_id: int | None = None
) -> Appointment:
    names = "kind therapist centre start end referral team_class room travel_before travel_after"
    return Appointment(
        scenario_id=owner,
        plan_id=plan_id,
        role=role,
        key=appointment.id,
        date=appointment.day,
        **fields(appointment, names),
        participants=[AppointmentParticipant(referral=p) for p in appointment.participants],
    )


# --- export -----------------------------------------------------------------------------------


def export_scenario(scenario_id: int, *, session: Session) -> Doc:
    """The stored week as a scenario/1 document; NotFound if there is no such scenario."""
    scenario = get(session, Scenario, scenario_id)
    zone_problem = timezone_only(scenario.timezone)
    return {
        "format": "scenario/1",
        "name": scenario.name,
        "timezone": scenario.timezone,
        "week": scenario.week,
        "slot_minutes": scenario.slot_minutes,
        "travel": {"detour_factor": scenario.detour_factor, "speed_kmh": scenario.speed_kmh},
        "centres": [
            centre_json(c) for c in owned_rows(session, Centre, scenario_id, Centre.opening)
        ],
        "rooms": [room_json(r) for r in owned_rows(session, Room, scenario_id)],
        "therapists": [
            therapist_json(t)
            for t in owned_rows(
                session, Therapist, scenario_id, Therapist.hours, Therapist.absences
            )
        ],
        "packages": [package_json(p) for p in owned_rows(session, Package, scenario_id)],
        "classes": [
            class_json(c) for c in owned_rows(session, TeamClass, scenario_id, TeamClass.meetings)
        ],
        "citizens": [
            citizen_json(c) for c in owned_rows(session, Citizen, scenario_id, Citizen.windows)
        ],
        "referrals": [referral_json(r) for r in owned_rows(session, Referral, scenario_id)],
        "pinned": [
            appointment_to_json(zone_problem, a)
            for a in scenario_appointments(session, scenario_id, "pinned")
        ],
        "previous": [
            appointment_to_json(zone_problem, a)
            for a in scenario_appointments(session, scenario_id, "previous")
        ],
    }


def load_problem(scenario_id: int, *, session: Session) -> Problem:
    """The solver's problem for a stored week (checked when it was imported or edited)."""
    return build_problem(export_scenario(scenario_id, session=session))


def get(session: Session, table: type[Row], id: int) -> Row:
    row = session.get(table, id)
    if row is None:
        raise NotFound(str(table.__tablename__), id)
    return row


def owned_rows(session: Session, table: type[Row], scenario_id: int, *children: Any) -> list[Row]:
    """The rows of one kind of a week, in the order they were imported, children loaded."""
    query = select(table).where(table.scenario_id == scenario_id)  # type: ignore[attr-defined]
    query = query.order_by(table.id)  # type: ignore[attr-defined]
    for child in children:
        query = query.options(selectinload(child))
    return list(session.exec(query).all())


def timezone_only(timezone: str) -> Problem:
    """A week with nothing in it but its time zone, which is all `appointment_to_json` reads."""
    return Problem("", "", timezone, 15, Travel(), (), (), (), (), (), (), (), ())


def week_json(rows: Iterable[CentreOpening | TherapistHours | CitizenWindow]) -> dict[str, Any]:
    found: dict[str, list[list[str]]] = defaultdict(list)
    for row in rows:
        found[row.day].append([clock(row.start), clock(row.end)])
    return dict(found)


def centre_json(centre: Centre) -> Doc:
    opening = {row.day: [clock(row.start), clock(row.end)] for row in centre.opening}
    return {"id": centre.key, **fields(centre, "name address lat lon"), "open": opening}


def room_json(room: Room) -> Doc:
    return {"id": room.key, **fields(room, "centre name kind capacity")}


def therapist_json(therapist: Therapist) -> Doc:
    return {
        "id": therapist.key,
        **fields(therapist, "name profession skills centres"),
        "hours": week_json(therapist.hours),
        "absent": [a.date.isoformat() for a in therapist.absences],
        "max_minutes": therapist.max_minutes,
    }


def package_json(package: Package) -> Doc:
    return {
        "code": package.key,
        **fields(package, "name basis"),
        "weekly_minutes": [package.weekly_min, package.weekly_max],
        "max_sessions": package.max_sessions,
    }


def class_json(team: TeamClass) -> Doc:
    doc = {
        "id": team.key,
        **fields(team, "name centre room_kind capacity minutes"),
        "instructor": {
            "profession": team.instructor_profession,
            "skills": team.instructor_skills,
        },
    }
    if team.meetings or team.meetings_per_week is None:
        doc["meetings"] = [{"day": m.day, "start": clock(m.start)} for m in team.meetings]
    if team.meetings_per_week is not None:
        doc["meetings_per_week"] = team.meetings_per_week
    return doc


def citizen_json(citizen: Citizen) -> Doc:
    doc = {"id": citizen.key, **fields(citizen, "name address lat lon")}
    if not citizen.always_available:
        doc["available"] = week_json(citizen.windows)
    return doc


def referral_json(referral: Referral) -> Doc:
    doc = {
        "id": referral.key,
        **fields(referral, "citizen package mode"),
        "class": referral.team_class,
        **fields(referral, "profession skills centre sessions_per_week session_minutes"),
        **fields(referral, "intro final delivered"),
        "earliest": iso(referral.earliest),
        "discharged": iso(referral.discharged),
        "contact": referral.contact,
    }
    if referral.exception is not None:
        doc["exception"] = referral.exception
    return doc


def iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def scenario_appointments(
    session: Session, scenario_id: int, role: str
) -> list[solved.Appointment]:
    query = (
        select(Appointment)
        .where(Appointment.scenario_id == scenario_id, Appointment.role == role)
        .order_by(col(Appointment.id))
        .options(selectinload(Appointment.participants))  # type: ignore[arg-type]
    )
    return [appointment_of(row) for row in session.exec(query).all()]


def appointment_of(row: Appointment) -> solved.Appointment:
    return solved.Appointment(
        id=row.key,
        kind=row.kind,  # type: ignore[arg-type]
        day=row.date,
        **fields(row, "therapist centre start end referral team_class room"),
        participants=tuple(p.referral for p in row.participants),
        travel_before=row.travel_before,
        travel_after=row.travel_after,
    )


# --- plans ------------------------------------------------------------------------------------


def save_plan(
    scenario_id: int, solution: Solution, *, session: Session, status: str = "draft"
) -> int:
    """Keep a plan of a stored week as the week's next version; return the plan's id.

    Versions are numbered per ISO week over every import of it (unique `week, version`): when
    another save of the same week took the number first, this one is tried again with the next.
    """
    if status not in PLAN_STATUSES_ON_SAVE:
        raise ValueError(f'status "{status}" is not one of {", ".join(PLAN_STATUSES_ON_SAVE)}')
    for attempt in range(VERSION_ATTEMPTS):
        try:
            return save_plan_once(scenario_id, solution, session=session, status=status)
        except IntegrityError:
            if attempt == VERSION_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")


def save_plan_once(scenario_id: int, solution: Solution, *, session: Session, status: str) -> int:
    scenario = get(session, Scenario, scenario_id)
    plan = Plan(
        scenario_id=scenario_id,
        week=scenario.week,
        name=scenario.name,
        version=next_version(session, scenario.week),
        status="draft",
        solver_status=solution.status,
        stats=stats_to_json(solution.stats),
        created_at=datetime.now(UTC),
        unplaced=[
            PlanUnplaced(**fields(u, "referral sessions"), reasons=stored_reasons(u))
            for u in solution.unplaced
        ],
        warnings=[
            PlanWarning(**fields(w, "referral code"), message=stored_message(w))
            for w in solution.warnings
        ],
    )
    try:
        session.add(plan)
        session.flush()
        session.add_all(
            appointment_row(a, scenario_id, role="plan", plan_id=flushed_id(plan))
            for a in solution.appointments
        )
        if status == "published":
            supersede_published(session, plan)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return flushed_id(plan)


def next_version(session: Session, week: str) -> int:
    newest = session.exec(select(func.max(Plan.version)).where(Plan.week == week)).one()
    return (newest or 0) + 1


def supersede_published(session: Session, plan: Plan) -> None:
    """Make `plan` the week's published plan; the one published before is superseded."""
    query = select(Plan).where(Plan.week == plan.week, Plan.status == "published")
    for other in session.exec(query).all():
        if other.id != plan.id:
            other.status = "superseded"
            session.add(other)
    plan.status = "published"
    session.add(plan)


def mark_published(plan_id: int, *, session: Session) -> None:
    """Publish a saved plan: it becomes what therapists and citizens see for its week."""
    plan = get(session, Plan, plan_id)
    supersede_published(session, plan)
    session.commit()


def plan_versions(scenario_id: int, *, session: Session) -> list[Plan]:
    """Every saved plan of the stored week's ISO week (of any import of it), oldest first."""
    scenario = get(session, Scenario, scenario_id)
    query = select(Plan).where(Plan.week == scenario.week).order_by(col(Plan.version))
    return list(session.exec(query).all())


def load_solution(plan_id: int, *, session: Session) -> Solution:
    """The solution a saved plan holds."""
    plan = get(session, Plan, plan_id)
    query = (
        select(Appointment)
        .where(Appointment.plan_id == plan_id)
        .order_by(col(Appointment.id))
        .options(selectinload(Appointment.participants))  # type: ignore[arg-type]
    )
    return Solution(
        status=plan.solver_status,  # type: ignore[arg-type]
        appointments=tuple(appointment_of(row) for row in session.exec(query).all()),
        unplaced=tuple(
            solved.Unplaced(u.referral, u.sessions, tuple(from_json(r) for r in u.reasons))
            for u in plan.unplaced
        ),
        warnings=tuple(
            solved.PlanWarning(w.referral, w.code, warning_message(w.message))
            for w in plan.warnings
        ),
        stats=stats_from_json(plan.stats),
    )


def export_plan(plan_id: int, *, session: Session) -> Doc:
    """A saved plan as a plan/1 document."""
    plan = get(session, Plan, plan_id)
    problem = load_problem(plan.scenario_id, session=session)
    return plan_document(problem, load_solution(plan_id, session=session))
