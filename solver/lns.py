"""Large weeks: improve a plan one neighbourhood at a time (large neighbourhood search).

A whole municipality of Aarhus' size is too large a CP-SAT model for a 2-core machine and a
three-minute budget. A neighbourhood is one centre on some days: its options are free, and
everything else the current plan holds stays exactly where it is (fixed in the sub-model, so
therapists, rooms, citizens and referrals shared with the rest of the week are respected). Each
sub-model is the size of a small municipality's week, which CP-SAT solves well; a better answer
replaces the current plan. The per-citizen bound stays the proof of how far from the best it is.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import combinations

from ortools.sat.python import cp_model

from solver.draft import Draft, HeldMeeting
from solver.model import Goal, PlanModel, option_key, tune
from solver.options import MeetingOption, Options
from solver.problem import Problem

#: Free options a neighbourhood should hold at most (a small municipality's week).
NEIGHBOURHOOD_OPTIONS = 3000
#: Seconds one neighbourhood may take at most.
AREA_SECONDS = 8.0


@dataclass(frozen=True)
class Neighbourhood:
    """One centre on some days: what a sub-model may change."""

    centre: str
    days: frozenset[int]


def neighbourhoods(problem: Problem, options: Options, width: int) -> list[Neighbourhood]:
    """Each centre on every set of `width` days, or single days where that is too large.

    Sets of days, not only runs, so a session can move between any two days of the week.
    """
    days = range(len(problem.days))
    count: dict[tuple[str, int], int] = defaultdict(int)
    for o in options.individual:
        count[(o.centre, o.day)] += 1
    out = []
    for centre in problem.centres:
        for chosen in combinations(days, min(width, len(days))):
            if sum(count[(centre.id, d)] for d in chosen) <= NEIGHBOURHOOD_OPTIONS:
                out.append(Neighbourhood(centre.id, frozenset(chosen)))
        if not any(area.centre == centre.id for area in out):
            out += [Neighbourhood(centre.id, frozenset({d})) for d in days]
    return out


def sub_options(
    problem: Problem, options: Options, plan: Draft, area: Neighbourhood
) -> tuple[Options, Draft]:
    """The options of a neighbourhood, plus the rest of the plan as fixed one-start options."""
    free = [o for o in options.individual if o.centre == area.centre and o.day in area.days]
    free_keys = {option_key(o) for o in free}
    fixed = Draft()
    for b in plan.bookings:
        if option_key(b.option) not in free_keys:
            fixed.bookings.append(replace(b, option=replace(b.option, starts=(b.start,))))
    held = {m.meeting: m for m in plan.meetings}
    meetings = []
    for j, meeting in enumerate(options.meetings):
        centre = problem.team_class(meeting.team_class).centre
        if centre == area.centre and meeting.day in area.days:
            meetings.append(meeting)
        elif j in held:
            meetings.append(pinned_meeting(meeting, held[j]))
            fixed.meetings.append(
                HeldMeeting(j, held[j].instructor, held[j].room, list(held[j].participants))
            )
        else:
            meetings.append(replace(meeting, seats=()))  # cannot be held in this sub-model
    sub = Options(free + [b.option for b in fixed.bookings], meetings, options.requested)
    return sub, fixed


def pinned_meeting(meeting: MeetingOption, held: HeldMeeting) -> MeetingOption:
    """A held meeting exactly as it is: its instructor, its room, its participants."""
    return replace(
        meeting, instructors=(held.instructor,), rooms=(held.room,), seats=tuple(held.participants)
    )


def improve(
    problem: Problem,
    options: Options,
    plan: Draft,
    pinned: Draft,
    bounds: dict[str, int],
    deadline: float,
    workers: int,
    on_better: Callable[[Draft, int], None] | None = None,
) -> Draft:
    """Re-solve neighbourhoods until the deadline, those with most missing sessions first.

    Two days at a centre at a time; after a round with no gain, one day more (then more time).
    """
    width, seconds = 2, AREA_SECONDS
    while time.monotonic() < deadline - 0.5:
        areas = neighbourhoods(problem, options, width)
        areas = by_missing_sessions(problem, options, plan, bounds, areas)
        if not areas:
            break  # every referral has all it could get
        gained, all_optimal = False, True
        for area in areas:
            left = deadline - time.monotonic()
            if left < 0.5:
                break
            better, optimal = solve_area(
                problem, options, plan, pinned, bounds, area, min(left, seconds), workers
            )
            all_optimal = all_optimal and optimal
            if better is not None and better.placed() > plan.placed():
                plan, gained = better, True
                if on_better is not None:
                    on_better(plan, plan.placed())
        if gained:
            continue
        if width < len(problem.days):
            width += 1
        elif all_optimal:
            break  # each centre's week is as good as it gets with the rest as it is
        else:
            seconds *= 2
    return plan


def by_missing_sessions(
    problem: Problem,
    options: Options,
    plan: Draft,
    bounds: dict[str, int],
    areas: list[Neighbourhood],
) -> list[Neighbourhood]:
    """Neighbourhoods ordered by the sessions missing from referrals that have options there."""
    placed = plan.placed_by_referral()
    missing = {r: n - placed.get(r, 0) for r, n in bounds.items() if n > placed.get(r, 0)}
    weight: dict[Neighbourhood, int] = dict.fromkeys(areas, 0)
    where = {(a.centre, d): a for a in areas for d in a.days}
    seen = set()
    for o in options.individual:
        area = where.get((o.centre, o.day))
        if o.referral in missing and area is not None and (o.referral, area) not in seen:
            seen.add((o.referral, area))
            weight[area] += missing[o.referral]
    for m in options.meetings:
        area = where.get((problem.team_class(m.team_class).centre, m.day))
        for r in m.seats:
            if r in missing and area is not None and (r, area) not in seen:
                seen.add((r, area))
                weight[area] += missing[r]
    # Elsewhere every referral has all it can get: re-solving cannot place more there.
    return sorted((a for a in areas if weight[a] > 0), key=lambda a: -weight[a])


def solve_area(
    problem: Problem,
    options: Options,
    plan: Draft,
    pinned: Draft,
    bounds: dict[str, int],
    area: Neighbourhood,
    seconds: float,
    workers: int,
) -> tuple[Draft | None, bool]:
    """The best plan that changes only this neighbourhood (None if none found), and whether
    it is proven the best."""
    sub, fixed = sub_options(problem, options, plan, area)
    model = PlanModel(problem, sub, bounds).build()
    model.fix(fixed)
    model.fix(pinned_in_area(pinned, fixed))
    goal: Goal = model.primary_goal()
    model.model.maximize(goal.expr)
    model.hint(plan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    tune(solver, lp=True)
    status = solver.solve(model.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return model.read(solver), status == cp_model.OPTIMAL


def pinned_in_area(pinned: Draft, fixed: Draft) -> Draft:
    """The pinned appointments the sub-model could otherwise move: those not fixed already."""
    fixed_keys = {option_key(b.option) for b in fixed.bookings}
    fixed_meetings = {m.meeting for m in fixed.meetings}
    return Draft(
        [b for b in pinned.bookings if option_key(b.option) not in fixed_keys],
        [m for m in pinned.meetings if m.meeting not in fixed_meetings],
    )
