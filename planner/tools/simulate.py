"""The whole loop, week after week, on a generated municipality (`planner simulate`).

Week 0 is a generated week loaded into the register. Then, each week: new courses arrive (about
a ninth of the courses a municipality of the scale runs, a third of them SUL §140 discharged a few
days before the week), the week is derived from the register (active courses and the waiting
list in its order), planned (first fit, or the optimiser for a short time), checked by the
validator, published, and its attendance registered at realistic rates (seeded); courses whose
planned end has come are completed. A row a week is printed, the figures at the end, and the
invariants over all weeks are checked: no course delivers more than its package, every course
starts with an individual session, every SUL §140 start that capacity allowed came within 7 days.
"""

from __future__ import annotations

import copy
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from planner.db.models import Course, RegisterPackage
from planner.db.store import load_problem, save_plan
from planner.formats.scenario import week_monday
from planner.formats.validate import check_plan
from planner.plan.versions import publish
from planner.register.attendance import (
    delivered,
    delivered_counts,
    plan_with_attendance,
    record_many,
)
from planner.register.derive import derive_week, start_deadline
from planner.register.store import add_courses, by_key, end_course, import_register
from planner.tools.generate import SCALES, Scale, build, pick_sites, towns_for
from planner.views.figures import Loaded, iso_week, load, median, percentile, week_figures
from solver.deadline import late_starts as late_sul_starts
from solver.deadline import open_in_time
from solver.options import build_options
from solver.order import plan_draft, queue_breaches
from solver.problem import Problem, Solution, clock
from solver.solve import solve

Doc = dict[str, Any]
Echo = Callable[[str], None]

#: The scales a simulation runs at: XS (one centre, for tests) and the generator's S, M and L.
SIM_SCALES: dict[str, Scale] = {"XS": Scale(centres=1, therapists=5, referrals=40), **SCALES}
#: Attendance of a planned session (domain: about 88 % delivered).
RATES = {
    "delivered": 0.88,
    "cancelled-by-citizen": 0.05,
    "no-show": 0.04,
    "cancelled-by-centre": 0.03,
}
#: New courses a week, as a share of the courses the scale runs (a course runs about 9 weeks).
ARRIVALS_SHARE = 1 / 9
#: The share of new courses that are SUL §140 (discharged a few days before the week).
SUL_SHARE = 1 / 3
BY = "simulering"


@dataclass
class WeekRow:
    week: str
    waiting: int
    active: int
    arrived: int
    started: int
    ended: int
    sul_starts: int
    sul_within: int
    wait_median: float | None
    planned: int
    placed_of: int
    delivered: int
    overruns: int
    violations: int
    seconds: float

    @property
    def sul_cell(self) -> str:
        return f"{self.sul_within}/{self.sul_starts}" if self.sul_starts else "–"


@dataclass
class Result:
    rows: list[WeekRow] = field(default_factory=list)
    # Per week, checked on the plan without a solver run (solver.deadline, solver.order):
    late_with_room: list[str] = field(default_factory=list)  # a place in time was left free
    out_of_order: list[str] = field(default_factory=list)  # a later course kept an earlier's place
    invariants: dict[str, list[str]] = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not broken for broken in self.invariants.values()) and not any(
            r.violations for r in self.rows
        )


def first_scenario(scale: str, seed: int, week: str) -> Doc:
    """The generated week the simulation starts from."""
    size = SIM_SCALES[scale]
    rng = random.Random(seed)
    towns = towns_for(size)
    sites = pick_sites(rng, size.centres, towns)
    return build(rng, f"Simuleret kommune {scale} (frø {seed})", week, sites, towns, size)


def next_week(week: str) -> str:
    monday = week_monday(week)
    assert monday is not None
    return iso_week(monday + timedelta(days=7))


# --- new courses ----------------------------------------------------------------------------


def templates(doc: Doc) -> tuple[list[tuple[Doc, list[Doc]]], list[tuple[Doc, list[Doc]]]]:
    """The generated citizens with their referrals, as patterns for new courses: SUL §140 ones
    and the others."""
    by_citizen: dict[str, list[Doc]] = {}
    for r in doc["referrals"]:
        by_citizen.setdefault(r["citizen"], []).append(r)
    citizens = {c["id"]: c for c in doc["citizens"]}
    sul: list[tuple[Doc, list[Doc]]] = []
    other: list[tuple[Doc, list[Doc]]] = []
    for key, referrals in by_citizen.items():
        (sul if referrals[0]["package"].startswith("SUL") else other).append(
            (citizens[key], referrals)
        )
    return sul, other


def arrivals(
    rng: random.Random,
    pool: tuple[list[tuple[Doc, list[Doc]]], list[tuple[Doc, list[Doc]]]],
    count: int,
    week: str,
    serial: int,
) -> list[tuple[Doc, Doc, date]]:
    """`count` new courses granted before `week` (citizen, referral, date granted): a third SUL
    §140 discharged one to five days before its Monday, the others granted in the last fortnight."""
    monday = week_monday(week)
    assert monday is not None
    sul, other = pool
    made = []
    for n in range(count):
        use_sul = sul and (not other or rng.random() < SUL_SHARE)
        citizen, referrals = rng.choice(sul if use_sul else other)
        key = f"sim{serial + n:05d}"
        person = {**copy.deepcopy(citizen), "id": f"c-{key}"}
        discharged = monday - timedelta(days=rng.randint(1, 5)) if use_sul else None
        granted = discharged or monday - timedelta(days=rng.randint(1, 14))
        for i, template in enumerate(referrals):
            referral = copy.deepcopy(template)
            referral.update(
                id=f"r-{key}-{i}",
                citizen=person["id"],
                earliest=None,
                discharged=discharged.isoformat() if discharged else None,
            )
            for name in ("intro", "final", "delivered"):
                referral.pop(name, None)
            made.append((person, referral, granted))
    return made


# --- attendance -----------------------------------------------------------------------------


def draw_status(rng: random.Random, rates: dict[str, float]) -> str:
    roll, total = rng.random(), 0.0
    for status, share in rates.items():
        total += share
        if roll < total:
            return status
    return "delivered"


def register_attendance(rng: random.Random, plan_id: int, *, session: Session) -> Counter[str]:
    """Every session of a published plan registered, in time order: a centre cancels a whole
    appointment (all its participants), a citizen cancels, does not come, or comes. A course
    whose start assessment did not take place cannot join its class yet: the centre cancels its
    seats until the assessment is delivered (every course starts with an individual session)."""
    doc = plan_with_attendance(plan_id, session=session)
    centre = RATES["cancelled-by-centre"]
    citizen_rates = {k: v / (1 - centre) for k, v in RATES.items() if k != "cancelled-by-centre"}
    counts: Counter[str] = Counter()
    done = delivered_counts(session)
    begun = {c.key for c in session.exec(select(Course)).all() if delivered(c, done) > 0}
    items = []
    for a in sorted(doc["appointments"], key=lambda a: (a["start"], a["id"])):
        by_centre = rng.random() < centre
        for referral in a.get("participants") or [a["referral"]]:
            status = "cancelled-by-centre" if by_centre else draw_status(rng, citizen_rates)
            if a["kind"] == "team" and referral not in begun:
                status = "cancelled-by-centre"
            elif status == "delivered":
                begun.add(referral)
            items.append((a["id"], referral, status))
            counts[status] += 1
    # The week's register in one go, as a coordinator's attendance list is saved: checked
    # item by item as one at a time would be, written and settled once.
    record_many(plan_id, items, session=session, by=BY)
    return counts


def complete_courses(sunday: date, *, session: Session) -> int:
    """Active courses whose planned end has come are completed (their re-test week is past)."""
    ended = 0
    query = select(Course).where(Course.status == "active").order_by(col(Course.id))
    for row in session.exec(query).all():
        if row.planned_end is not None and row.planned_end <= sunday:
            end_course(row.key, "completed", session=session, on=row.planned_end, by=BY)
            ended += 1
    return ended


def overruns(session: Session) -> list[str]:
    """Courses that delivered more sessions than their package allows."""
    counts = delivered_counts(session)
    packages = by_key(session, RegisterPackage)
    found = []
    for row in session.exec(select(Course)).all():
        cap = packages[row.package].doc.get("max_sessions")
        if cap is not None and delivered(row, counts) > cap:
            found.append(f"{row.key}: {delivered(row, counts)} delivered of {cap}")
    return found


# --- the loop -------------------------------------------------------------------------------


def simulate(
    *,
    session: Session,
    weeks: int,
    scale: str,
    seed: int,
    start: str,
    time_limit: float,
    echo: Echo,
) -> Result:
    """Run the loop for `weeks` weeks from `start`; the table is echoed a row at a time."""
    rng = random.Random(seed)
    doc = first_scenario(scale, seed, start)
    import_register(doc, session=session, by=BY)
    pool = templates(doc)
    per_week = len(doc["referrals"]) * ARRIVALS_SHARE
    result = Result()
    echo(HEADER)
    week, serial = start, 0
    first_monday = week_monday(start)
    assert first_monday is not None
    for index in range(weeks):
        began = time.monotonic()
        monday = week_monday(week)
        assert monday is not None
        sunday = monday + timedelta(days=6)
        arrived = 0
        if index > 0:  # week 0's new courses are the generated week's own
            count = max(0, round(rng.gauss(per_week, per_week**0.5)))
            new = arrivals(rng, pool, count, week, serial)
            add_courses([(c, r, granted, 0) for c, r, granted in new], session=session, by=BY)
            arrived, serial = len(new), serial + count
        scenario_id = derive_week(week, session=session)
        problem = load_problem(scenario_id, session=session)
        solution = solve(problem, max(time_limit, 1.0), optimise=time_limit > 0)
        broken = check_plan(problem, solution)
        late, order = plan_checks(problem, solution)
        result.late_with_room += late
        result.out_of_order += order
        if not broken:
            plan_id = save_plan(scenario_id, solution, session=session)
            publish(plan_id, session=session)
            marks = register_attendance(rng, plan_id, session=session)
        else:
            marks = Counter()
        complete_courses(sunday, session=session)
        over = overruns(session)
        figures = week_figures(session=session, weeks=[week])[0]
        row = WeekRow(
            week=week,
            waiting=figures.waiting,
            active=figures.active,
            arrived=arrived if index > 0 else len(doc["referrals"]),
            started=figures.started,
            ended=figures.ended,
            sul_starts=figures.sul_starts,
            sul_within=figures.sul_within,
            wait_median=figures.wait_median,
            planned=solution.stats.sessions_placed,
            placed_of=solution.stats.sessions_requested,
            delivered=marks["delivered"],
            overruns=len(over),
            violations=len(broken),
            seconds=time.monotonic() - began,
        )
        result.rows.append(row)
        echo(table_row(row))
        week = next_week(week)
    data = load(session, [r.week for r in result.rows])
    result.invariants = invariants(session, data, first_monday, sunday, result)
    result.figures = closing_figures(session, result, data)
    return result


# --- what must hold over all weeks -----------------------------------------------------------


def plan_checks(problem: Problem, solution: Solution) -> tuple[list[str], list[str]]:
    """The week's plan checked without a solver: SUL §140 starts placed after their 7 days
    while a place in time was left free, and later waiting courses holding a place an earlier
    one could take."""
    options = build_options(problem)
    draft = plan_draft(problem, options, solution.appointments)
    late = []
    for referral in late_sul_starts(problem, options, draft):
        place = open_in_time(problem, options, draft, referral)
        if place is not None:
            day = problem.days[place.option.day].date
            late.append(f"{referral.id}: {day} {clock(place.start)} with {place.option.therapist}")
    order = [
        f"{e.later} holds a place {e.earlier} could take"
        for e in queue_breaches(problem, options, draft)
    ]
    return late, order


def invariants(
    session: Session, data: Loaded, first_monday: date, last_sunday: date, result: Result
) -> dict[str, list[str]]:
    """The rules that must hold across the run, each with what broke it (empty: kept)."""
    first_individual = [
        f"{key}: first delivered session is a {kind} meeting"
        for key, kind in sorted(data.first_kind.items())
        if kind == "team" and data.courses[key].delivered_before == 0
    ]
    return {
        "no course delivers more than its package": overruns(session),
        "every course starts with an individual session": first_individual,
        "every SUL §140 start that capacity allowed came within 7 days": result.late_with_room,
        "waiting courses start in the waiting list's order": result.out_of_order,
    }


def late_starts(
    session: Session,
    data: Loaded,
    first_monday: date,
    last_sunday: date,
    with_room: frozenset[str] = frozenset(),
) -> dict[str, list[str]]:
    """SUL §140 courses whose 7 days ended in the run, by what happened to their start:
    delivered in time; planned in time but not delivered (the citizen cancelled or did not come,
    or the centre cancelled); not placed in the deadline's week (no capacity); the deadline
    before the run's first week; and placed after the deadline although placed in its week,
    split by whether the week's plan left a place in time free (`with_room`, from
    `plan_checks`): without one, capacity did not allow the start in time."""
    planned_first: dict[str, date] = {}
    for appointments in data.appointments.values():
        for a in appointments:
            for key in [p.referral for p in a.participants] if a.kind == "team" else [a.referral]:
                if key and (key not in planned_first or a.date < planned_first[key]):
                    planned_first[key] = a.date
    found: dict[str, list[str]] = {
        "in time": [],
        "planned in time, not delivered": [],
        "not placed in the deadline's week": [],
        "deadline before the run": [],
        "placed late, no place in time was free": [],
        "placed late, a place in time was free": [],
    }
    for c in data.courses.values():
        deadline = start_deadline(c)
        if deadline is None or c.delivered_before > 0 or deadline > last_sunday:
            continue
        first = data.first_delivered.get(c.key)
        planned = planned_first.get(c.key)
        deadline_monday = deadline - timedelta(days=deadline.weekday())
        if first is not None and first <= deadline:
            kind = "in time"
        elif planned is not None and planned <= deadline:
            kind = "planned in time, not delivered"
        elif deadline < first_monday:
            kind = "deadline before the run"
        elif planned is None or planned > deadline_monday + timedelta(days=6):
            kind = "not placed in the deadline's week"
        else:
            kind = (
                "placed late, a place in time was free"
                if c.key in with_room
                else "placed late, no place in time was free"
            )
        found[kind].append(f"{c.key}: deadline {deadline}, first planned {planned}")
    return found


def closing_figures(session: Session, result: Result, data: Loaded) -> list[str]:
    """The run's figures: starts, waits, SUL §140 within 7 days, attendance, utilisation."""
    monday = week_monday(result.rows[0].week)
    assert monday is not None
    waits = [
        (first - (c.discharged or c.granted)).days
        for key, first in data.first_delivered.items()
        if (c := data.courses[key]).delivered_before == 0 and first >= monday
    ]
    weeks = week_figures(session=session, weeks=[r.week for r in result.rows])
    totals = Counter[str]()
    for w in weeks:
        for name in ("planned", "delivered", "cancelled", "no_show", "started", "ended"):
            totals[name] += getattr(w, name)
        totals["sul_starts"] += w.sul_starts
        totals["sul_within"] += w.sul_within
    with_room = frozenset(line.split(":")[0] for line in result.late_with_room)
    late = late_starts(
        session, data, monday, monday + timedelta(days=7 * len(weeks) - 1), with_room
    )
    share = (
        f"{round(100 * totals['sul_within'] / totals['sul_starts'])} %"
        if totals["sul_starts"]
        else "–"
    )
    use = [w.utilisation for w in weeks if w.utilisation is not None]
    seconds = [r.seconds for r in result.rows]
    return [
        f"weeks {result.rows[0].week}..{result.rows[-1].week}: courses started {totals['started']}"
        f", ended {totals['ended']}; waiting at the end {result.rows[-1].waiting}",
        f"days from granted/discharged to the first session: median {fmt(median(waits))}, "
        f"90th percentile {fmt(percentile(waits, 0.9))} ({len(waits)} starts)",
        f"SUL §140 starts within 7 days: {totals['sul_within']} of {totals['sul_starts']} "
        f"({share}); by what happened: " + ", ".join(f"{k} {len(v)}" for k, v in late.items()),
        f"sessions planned {totals['planned']}, delivered {totals['delivered']}, cancelled "
        f"{totals['cancelled']}, no-show {totals['no_show']}",
        f"therapist utilisation: median {fmt(median(use))} % a week",
        f"seconds a week: median {statistics.median(seconds):.1f}, most {max(seconds):.1f}, "
        f"all {sum(seconds):.0f}",
    ]


def fmt(number: float | None) -> str:
    return "–" if number is None else f"{number:g}"


HEADER = (
    f"{'week':<8} {'waiting':>7} {'active':>6} {'new':>4} {'started':>7} {'ended':>5} "
    f"{'§140≤7d':>7} {'wait':>5} {'placed':>9} {'deliv':>5} {'overrun':>7} {'viol':>4} "
    f"{'sec':>6}"
)


def table_row(r: WeekRow) -> str:
    placed = f"{r.planned}/{r.placed_of}"
    return (
        f"{r.week:<8} {r.waiting:>7} {r.active:>6} {r.arrived:>4} {r.started:>7} {r.ended:>5} "
        f"{r.sul_cell:>7} {fmt(r.wait_median):>5} {placed:>9} {r.delivered:>5} "
        f"{r.overruns:>7} {r.violations:>4} {r.seconds:>6.1f}"
    )
