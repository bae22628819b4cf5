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
from collections.abc import Callable
from dataclasses import dataclass, replace

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


def neighbourhoods(problem: Problem, options: Options) -> list[Neighbourhood]:
    """Each centre, its days split so no neighbourhood has more than NEIGHBOURHOOD_OPTIONS."""
    out = []
    days = list(range(len(problem.days)))
    for centre in problem.centres:
        count = sum(1 for o in options.individual if o.centre == centre.id)
        parts = max(1, min(len(days), -(-count // NEIGHBOURHOOD_OPTIONS)))
        size = -(-len(days) // parts)
        for k in range(0, len(days), size):
            out.append(Neighbourhood(centre.id, frozenset(days[k : k + size])))
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

    After a round with no gain, each neighbourhood gets twice the time in the next.
    """
    areas = neighbourhoods(problem, options)
    seconds = AREA_SECONDS
    while time.monotonic() < deadline - 1.0:
        gained = False
        for area in by_missing_sessions(problem, options, plan, bounds, areas):
            left = deadline - time.monotonic()
            if left < 1.0:
                break
            better = solve_area(
                problem, options, plan, pinned, bounds, area, min(left, seconds), workers
            )
            if better is not None and better.placed() > plan.placed():
                plan, gained = better, True
                if on_better is not None:
                    on_better(plan, plan.placed())
        if not gained:
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
    return sorted(areas, key=lambda a: -weight[a])


def solve_area(
    problem: Problem,
    options: Options,
    plan: Draft,
    pinned: Draft,
    bounds: dict[str, int],
    area: Neighbourhood,
    seconds: float,
    workers: int,
) -> Draft | None:
    """The best plan that changes only this neighbourhood, or None if none was found."""
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
    if solver.solve(model.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return model.read(solver)


def pinned_in_area(pinned: Draft, fixed: Draft) -> Draft:
    """The pinned appointments the sub-model could otherwise move: those not fixed already."""
    fixed_keys = {option_key(b.option) for b in fixed.bookings}
    fixed_meetings = {m.meeting for m in fixed.meetings}
    return Draft(
        [b for b in pinned.bookings if option_key(b.option) not in fixed_keys],
        [m for m in pinned.meetings if m.meeting not in fixed_meetings],
    )
