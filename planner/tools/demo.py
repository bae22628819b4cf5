"""The demo week: the Norddjurs fixture moved to the coming ISO week, planned and published."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from planner.db.models import (
    Centre,
    RegisterCentre,
    RegisterCitizen,
    RegisterTherapist,
    Scenario,
    SolveJob,
)
from planner.db.store import (
    import_scenario,
    load_problem,
    load_solution,
    mark_published,
    save_plan,
)
from planner.formats.scenario import week_monday
from planner.plan.jobs import start_solve
from planner.plan.versions import publish
from planner.register.attendance import record_many
from planner.register.derive import derive_week
from planner.register.store import add_absence, add_courses, by_key, courses, import_register
from solver.solve import ProgressFn, solve

Doc = dict[str, Any]
FIXTURE = Path(__file__).parents[2] / "fixtures" / "norddjurs.json"


def coming_week(today: date) -> str:
    """The ISO week after today's, e.g. '2026-W49' on Thursday 26 November 2026."""
    year, week, _ = (today + timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def moved_to_week(doc: Doc, week: str) -> Doc:
    """The same week of work on another ISO week: every date moves by the same whole weeks."""
    old, new = week_monday(doc["week"]), week_monday(week)
    if old is None or new is None:
        raise ValueError(f"cannot move week {doc['week']} to {week}")
    shift = new - old
    moved = json.loads(json.dumps(doc))
    moved["week"] = week

    def later(text: str | None) -> str | None:
        return None if text is None else (date.fromisoformat(text) + shift).isoformat()

    for therapist in moved["therapists"]:
        therapist["absent"] = [later(d) for d in therapist.get("absent", [])]
    for referral in moved["referrals"]:
        for name in ("earliest", "discharged"):
            if referral.get(name):
                referral[name] = later(referral[name])
    for appointment in moved.get("pinned", []) + moved.get("previous", []):
        appointment["date"] = later(appointment["date"])
    return moved


#: Norddjurs' training centres share one phone line for booking and cancelling (domain.md).
NORDDJURS_PHONE = ("89 59 30 11", "hverdage kl. 8.00–9.00")


def norddjurs() -> Doc:
    """The Norddjurs fixture document (it lives in the source tree's `fixtures/`)."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def give_centres_phone(scenario_id: int, *, session: Session) -> None:
    """Norddjurs' shared phone line and hours on every centre of the stored week."""
    phone, hours = NORDDJURS_PHONE
    for centre in session.exec(select(Centre).where(Centre.scenario_id == scenario_id)).all():
        centre.phone, centre.phone_hours = phone, hours
        session.add(centre)
    session.commit()


def demo_week(
    week: str, time_limit: float, *, session: Session, progress: ProgressFn | None = None
) -> int:
    """The Norddjurs week moved to `week`, with a published plan (made once, then kept)."""
    existing = session.exec(select(Scenario).where(Scenario.week == week)).first()
    if existing is not None and existing.id is not None:
        return existing.id
    scenario_id = import_scenario(moved_to_week(norddjurs(), week), session=session)
    give_centres_phone(scenario_id, session=session)
    problem = load_problem(scenario_id, session=session)
    solution = solve(problem, time_limit, progress=progress)
    publish(save_plan(scenario_id, solution, session=session), session=session)
    return scenario_id


# --- the register demo: six weeks of courses and attendance, then the coming week -------------

#: How sessions turn out, by share (the demo's history): delivered, cancelled by the citizen,
#: no-show, cancelled by the centre.
ATTENDANCE_RATES = (
    ("delivered", 0.88),
    ("cancelled-by-citizen", 0.05),
    ("no-show", 0.04),
    ("cancelled-by-centre", 0.03),
)
HISTORY_WEEKS = 6


def iso_week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def outcome(rng: random.Random) -> str:
    """One session's attendance, drawn at the demo's rates."""
    draw, total = rng.random(), 0.0
    for status, share in ATTENDANCE_RATES:
        total += share
        if draw < total:
            return status
    return ATTENDANCE_RATES[0][0]


def history_attendance(plan_id: int, today: date, rng: random.Random, *, session: Session) -> int:
    """Attendance of every session of a published week held before `today`; how many."""
    items = [
        (a.id, referral, outcome(rng))
        for a in load_solution(plan_id, session=session).appointments
        if a.day < today
        for referral in (a.participants if a.kind == "team" else (a.referral,))
        if referral
    ]
    return record_many(plan_id, items, session=session, by="demo")


def demo_register(
    week: str,
    time_limit: float,
    *,
    session: Session,
    today: date,
    progress: ProgressFn | None = None,
    seed: int = 1,
    say: Callable[[str], None] = lambda _text: None,
    optimise: bool = True,
) -> int:
    """The Norddjurs register with six weeks of history before `week` (planned by first fit,
    published, attendance registered at realistic rates up to `today`), and `week` derived from
    it, planned (by the optimiser in `time_limit`, or by first fit when not `optimise`) and
    published; the coming week's id (made once, then kept)."""
    existing = session.exec(select(Scenario).where(Scenario.week == week)).first()
    if existing is not None and existing.id is not None:
        return existing.id
    rng = random.Random(seed)
    monday = week_monday(week)
    assert monday is not None
    first = iso_week_of(monday - timedelta(weeks=HISTORY_WEEKS))
    import_register(moved_to_week(norddjurs(), first), session=session, by="demo")
    give_register_phones(session)
    demo_absences(session, monday, rng)
    for back in range(HISTORY_WEEKS, 0, -1):
        past = iso_week_of(monday - timedelta(weeks=back))
        scenario_id = derive_week(past, session=session)
        problem = load_problem(scenario_id, session=session)
        solution = solve(problem, 5, optimise=False, relax=False)  # the quick bound: history
        plan_id = save_plan(scenario_id, solution, session=session)
        if back == 1:  # this week: its calendar feeds too
            publish(plan_id, session=session)
        else:  # weeks gone by: published without feeds, which only look ahead
            mark_published(plan_id, session=session)
        marked = history_attendance(plan_id, today, rng, session=session)
        added = new_courses(past, rng, session=session)
        say(
            f"Week {past}: {len(solution.appointments)} appointments, {marked} registered, "
            f"{added} new courses"
        )
    scenario_id = derive_week(week, session=session)
    problem = load_problem(scenario_id, session=session)
    solution = solve(problem, time_limit if optimise else 5, progress=progress, optimise=optimise)
    publish(save_plan(scenario_id, solution, session=session), session=session)
    return scenario_id


def improve_in_background(scenario_id: int, time_limit: float, *, session: Session) -> SolveJob:
    """The optimiser on the coming week in its own process, as "Lav plan" starts it: the
    first-fit plan stays published, the better plan becomes a draft to look at and publish."""
    return start_solve(scenario_id, session=session, time_limit=time_limit, background=True)


def give_register_phones(session: Session) -> None:
    """Norddjurs' shared phone line on every centre of the register."""
    phone, hours = NORDDJURS_PHONE
    for centre in session.exec(select(RegisterCentre)).all():
        centre.phone, centre.phone_hours = phone, hours
        session.add(centre)
    session.commit()


def demo_absences(session: Session, monday: date, rng: random.Random) -> None:
    """A few absences, as any six weeks have: a week's holiday, two sick days, a course day."""
    therapists = sorted(r.key for r in session.exec(select(RegisterTherapist)).all())
    picked = rng.sample(therapists, 3)
    start = monday - timedelta(weeks=3)
    add_absence(picked[0], start, start + timedelta(days=4), "ferie", session=session)
    add_absence(
        picked[1],
        monday - timedelta(days=12),
        monday - timedelta(days=11),
        "sygdom",
        session=session,
    )
    add_absence(
        picked[2], monday + timedelta(days=2), monday + timedelta(days=2), "kursus", session=session
    )


def new_courses(week: str, rng: random.Random, *, session: Session) -> int:
    """As many new courses as ended in the register, each like an ended one, for a new citizen
    (another citizen's name), granted in `week`: a centre's intake keeps pace with its ends."""
    monday = week_monday(week)
    assert monday is not None
    citizens = by_key(session, RegisterCitizen)
    names = sorted(c.doc["name"] for c in citizens.values())
    ended = [c for c in courses(session=session, status="ended") if "-" not in c.key]
    replaced = {c.key.split("-")[0] for c in courses(session=session) if "-" in c.key}
    items = []
    for course in ended:
        key = f"{course.key}-{week[-2:]}"
        if course.key in replaced:
            continue
        citizen = {
            **citizens[course.citizen].doc,
            "id": f"{course.citizen}-{week[-2:]}",
            "name": rng.choice(names),
        }
        referral = {**course.doc, "id": key, "citizen": citizen["id"], "earliest": None}
        if referral.get("discharged"):
            referral["discharged"] = (monday + timedelta(days=2)).isoformat()
        items.append((citizen, referral, monday + timedelta(days=2), 0))
    return len(add_courses(items, session=session, by="demo"))  # checked as one week, at once
