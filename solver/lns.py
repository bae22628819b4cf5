"""Large weeks: improve a plan one neighbourhood at a time (large neighbourhood search).

A whole municipality of Aarhus' size is too large a CP-SAT model for a 2-core machine and a
three-minute budget. A neighbourhood is one centre on some days: its options are free, and
everything else the current plan holds stays exactly where it is (fixed in the sub-model, so
therapists, rooms, citizens and referrals shared with the rest of the week are respected). Each
sub-model is the size of a small municipality's week, which CP-SAT solves well; a better answer
replaces the current plan when its sessions can all be given rooms. A therapist who works at
several centres can only move a day from one to another in a neighbourhood of one day at each of
their centres; those small ones ("crossings") come first in every round. The per-citizen bound
stays the proof of how far from the best it is.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import combinations

from ortools.sat.python import cp_model

from solver.model import Goal, PlanModel, tune
from solver.options import MeetingOption, Options, option_key
from solver.problem import Problem
from solver.rooms import assign_rooms
from solver.tentative import HeldMeeting, Tentative

#: Free options a neighbourhood should hold at most (a small municipality's week).
NEIGHBOURHOOD_OPTIONS = 3000
#: Seconds one neighbourhood may take at most.
AREA_SECONDS = 8.0
#: Seconds a therapist's day across centres may take at most (they are meant to be quick).
CROSSING_SECONDS = 2.0


@dataclass(frozen=True)
class Neighbourhood:
    """One centre on some days, and maybe other (centre, day) cells: what a sub-model may change."""

    centre: str
    days: frozenset[int]
    extra: frozenset[tuple[str, int]] = frozenset()

    @property
    def cells(self) -> frozenset[tuple[str, int]]:
        """Every (centre, day) whose options are free."""
        return frozenset((self.centre, d) for d in self.days) | self.extra


def neighbourhoods(problem: Problem, options: Options, width: int) -> list[Neighbourhood]:
    """Each centre on every set of `width` days, or single days where that is too large.

    Sets of days, not only runs, so a session can move between any two days of the week.
    """
    days = range(len(problem.days))
    count: dict[tuple[str, int], int] = defaultdict(int)
    for o in options.every:
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
    problem: Problem, options: Options, plan: Tentative, area: Neighbourhood
) -> tuple[Options, Tentative]:
    """The options of a neighbourhood, plus the rest of the plan as fixed one-start options."""
    cells = area.cells
    free = [o for o in options.individual if (o.centre, o.day) in cells]
    routes = [o for o in options.routes if (o.centre, o.day) in cells]
    free_keys = {option_key(o) for o in free + routes}
    fixed = Tentative()
    for b in plan.bookings:
        if option_key(b.option) not in free_keys:
            fixed.bookings.append(replace(b, option=replace(b.option, starts=(b.start,))))
    held = {m.meeting: m for m in plan.meetings}
    meetings = []
    for j, meeting in enumerate(options.meetings):
        centre = problem.team_class(meeting.team_class).centre
        if (centre, meeting.day) in cells:
            meetings.append(meeting)
        elif j in held:
            meetings.append(pinned_meeting(meeting, held[j]))
            fixed.meetings.append(
                HeldMeeting(j, held[j].instructor, held[j].room, list(held[j].participants))
            )
        else:
            meetings.append(replace(meeting, seats=()))  # cannot be held in this sub-model
    sub = Options(free + [b.option for b in fixed.bookings], meetings, options.requested, routes)
    return sub, fixed


def pinned_meeting(meeting: MeetingOption, held: HeldMeeting) -> MeetingOption:
    """A held meeting exactly as it is: its instructor, its room, its participants."""
    return replace(
        meeting, instructors=(held.instructor,), rooms=(held.room,), seats=tuple(held.participants)
    )


def improve(
    problem: Problem,
    options: Options,
    plan: Tentative,
    pinned: Tentative,
    bounds: dict[str, int],
    deadline: float,
    workers: int,
    on_better: Callable[[Tentative, int], None] | None = None,
) -> Tentative:
    """Re-solve neighbourhoods until the deadline, those with most missing sessions first.

    Each round first moves single days of therapists who work at several centres (small and
    quick), then two days at a centre at a time; after a round with no gain, one day more (then
    more time).
    """
    width, seconds = 2, AREA_SECONDS
    while time.monotonic() < deadline - 0.5:
        areas = crossings(problem, options, plan, bounds)
        areas += by_missing_sessions(
            problem, options, plan, bounds, neighbourhoods(problem, options, width)
        )
        if not areas:
            break  # every referral has all it could get
        gained, all_optimal = False, True
        for area in areas:
            left = deadline - time.monotonic()
            if left < 0.5:
                break
            limit = min(left, CROSSING_SECONDS if area.extra else seconds)
            better, optimal = solve_area(
                problem, options, plan, pinned, bounds, area, limit, workers
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


def refine(
    problem: Problem,
    options: Options,
    plan: Tentative,
    pinned: Tentative,
    bounds: dict[str, int],
    deadline: float,
    workers: int,
) -> Tentative:
    """The secondary goals (contact therapist, previous plan, seats, fair load, compact days)
    one neighbourhood at a time, every placed session and SUL §140 start kept.

    The whole week is in every sub-model (what lies outside the neighbourhood fixed), so the
    sub-model's objective is the week's: a part-plan is kept when it beats the plan it started
    from and its sessions all get rooms. Rounds go over one centre on one day, then two days.
    """
    width = 1
    while time.monotonic() < deadline - 0.5 and width <= len(problem.days):
        gained = False
        for area in neighbourhoods(problem, options, width):
            left = deadline - time.monotonic()
            if left < 0.5:
                return plan
            better, _ = refine_area(
                problem, options, plan, pinned, bounds, area, min(left, AREA_SECONDS), workers
            )
            if better is not None:
                plan, gained = better, True
        if not gained:
            width += 1  # this width is done; more days at once can still move things
    return plan


def refine_area(
    problem: Problem,
    options: Options,
    plan: Tentative,
    pinned: Tentative,
    bounds: dict[str, int],
    area: Neighbourhood,
    seconds: float,
    workers: int,
) -> tuple[Tentative | None, bool]:
    """A plan better on the secondary goals that changes only this neighbourhood and places
    as much (None if none found), and whether the neighbourhood is proven as good as it gets."""
    sub, fixed = sub_options(problem, options, plan, area)
    if not any((o.centre, o.day) in area.cells for o in sub.individual) and not any(
        m.seats and (problem.team_class(m.team_class).centre, m.day) in area.cells
        for m in sub.meetings
    ):
        return None, True
    model = PlanModel(problem, sub, bounds).build()
    model.fix(fixed)
    model.fix(pinned_in_area(pinned, fixed))
    model.keep_primary(plan)
    model.model.maximize(model.secondary_goal().expr)
    model.hint(plan)
    before = model.hinted_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    tune(solver, lp=True)
    status = solver.solve(model.model)
    optimal = status == cp_model.OPTIMAL
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or before is None:
        return None, optimal
    if solver.objective_value <= before + 0.5:
        return None, optimal
    better = model.read(solver)
    if better.placed() < plan.placed() or not rooms_fit(problem, options, better, pinned, area):
        return None, optimal
    return better, optimal


def crossings(
    problem: Problem, options: Options, plan: Tentative, bounds: dict[str, int]
) -> list[Neighbourhood]:
    """One day at every centre of a therapist who works at several, most missed sessions first.

    A session that needs such a therapist at their other centre that day (a class meeting they
    alone may lead) is out of reach of one-centre neighbourhoods. Only days on which a referral
    that misses sessions could have that therapist count; these areas are small and quick.
    """
    missing = missing_sessions(plan, bounds)
    size = cell_sizes(problem, options)
    wanted: dict[tuple[str, int], set[str]] = defaultdict(set)  # (therapist, day) -> referrals
    for o in options.individual:
        if o.referral in missing:
            wanted[(o.therapist, o.day)].add(o.referral)
    for m in options.meetings:
        for leader in m.instructors:
            wanted[(leader, m.day)].update(r for r in m.seats if r in missing)
    by_cells: dict[frozenset[tuple[str, int]], set[str]] = defaultdict(set)
    for t in problem.therapists:
        for d in range(len(problem.days)):
            cells = frozenset((c, d) for c in t.centres if (c, d) in size)
            fits = sum(size[c] for c in cells) <= NEIGHBOURHOOD_OPTIONS
            if len(cells) > 1 and fits and wanted[(t.id, d)]:
                by_cells[cells] |= wanted[(t.id, d)]
    weight = {cells: sum(missing[r] for r in wanting) for cells, wanting in by_cells.items()}
    return [crossing(cells) for cells in sorted(weight, key=lambda c: (-weight[c], sorted(c)))]


def crossing(cells: frozenset[tuple[str, int]]) -> Neighbourhood:
    """The neighbourhood of some (centre, day) cells."""
    (centre, day), *rest = sorted(cells)
    return Neighbourhood(centre, frozenset({day}), frozenset(rest))


def missing_sessions(plan: Tentative, bounds: dict[str, int]) -> dict[str, int]:
    """Per referral that could have more: how many more, at most."""
    placed = plan.placed_by_referral()
    return {r: n - placed.get(r, 0) for r, n in bounds.items() if n > placed.get(r, 0)}


def cell_sizes(problem: Problem, options: Options) -> dict[tuple[str, int], int]:
    """Options per (centre, day), for every cell with an option or a possible class meeting."""
    size: dict[tuple[str, int], int] = defaultdict(int)
    for o in options.every:
        size[(o.centre, o.day)] += 1
    for m in options.meetings:
        size.setdefault((problem.team_class(m.team_class).centre, m.day), 0)
    return size


def by_missing_sessions(
    problem: Problem,
    options: Options,
    plan: Tentative,
    bounds: dict[str, int],
    areas: list[Neighbourhood],
) -> list[Neighbourhood]:
    """Neighbourhoods ordered by the sessions missing from referrals that have options there."""
    missing = missing_sessions(plan, bounds)
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
    plan: Tentative,
    pinned: Tentative,
    bounds: dict[str, int],
    area: Neighbourhood,
    seconds: float,
    workers: int,
) -> tuple[Tentative | None, bool]:
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
    better = model.read(solver)
    if better.placed() > plan.placed() and not rooms_fit(problem, options, better, pinned, area):
        return None, status == cp_model.OPTIMAL
    return better, status == cp_model.OPTIMAL


def rooms_fit(
    problem: Problem, options: Options, plan: Tentative, pinned: Tentative, area: Neighbourhood
) -> bool:
    """Every individual session in the neighbourhood gets a room.

    The model counts a centre's room places, not rooms; a plan whose sessions cannot be put in
    rooms would lose them afterwards, so it is no better than the one it would replace.
    """
    cells = area.cells
    kept = {(option_key(b.option), b.start): b.room for b in pinned.bookings}
    bookings = [
        replace(b, room=kept.get((option_key(b.option), b.start)))
        for b in plan.bookings
        if (b.option.centre, b.option.day) in cells
    ]
    meetings = [
        m
        for m in plan.meetings
        if (
            problem.team_class(options.meetings[m.meeting].team_class).centre,
            options.meetings[m.meeting].day,
        )
        in cells
    ]
    return not assign_rooms(problem, options, Tentative(bookings, meetings))


def pinned_in_area(pinned: Tentative, fixed: Tentative) -> Tentative:
    """The pinned appointments the sub-model could otherwise move: those not fixed already."""
    fixed_keys = {option_key(b.option) for b in fixed.bookings}
    fixed_meetings = {m.meeting for m in fixed.meetings}
    return Tentative(
        [b for b in pinned.bookings if option_key(b.option) not in fixed_keys],
        [m for m in pinned.meetings if m.meeting not in fixed_meetings],
    )
