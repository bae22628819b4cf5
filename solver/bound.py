"""A proven upper bound on placed sessions that sees competition: a linear relaxation.

The per-referral bound (`solver.explain`) lets every referral have every therapist to itself.
This one shares them out: each option is booked a fraction between 0 and 1, and every capacity
that any real plan must respect is a linear constraint. Its optimum is therefore at least as
large as the placed sessions of any plan, and usually well below the per-referral bound when a
skill, a centre or a time of day is in short supply.

The capacities: a referral's sessions and days, a citizen's day, a class meeting's seats and
meetings a week, each therapist's minutes inside every stretch of the day that some sessions
cannot leave (sessions whose every start keeps them inside [a, b] need that much of the
therapist's time inside [a, b]; an energetic reasoning argument), the same for a centre's room
places, and the order of a course (a seat after an individual assessment, before a re-test).
A home visit's options are its round trips (every start any route can give it is one of theirs),
but its driving is only the least any route spends next to it (`drive_halves`): the bound holds
for plans of routes, not only of round trips.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
from ortools.linear_solver import pywraplp

from solver.options import Options
from solver.problem import (
    INDIVIDUAL_ROOM_KINDS,
    Problem,
    Window,
    opens_with_assessment,
    travel_minutes,
)

#: Stretches [a, b] tried per therapist and day, at most.
STRETCHES = 150


def relaxation_bound(problem: Problem, options: Options, caps: dict[str, int]) -> int | None:
    """The most sessions any plan can place, by the linear relaxation; None if GLOP fails."""
    return solve_relaxation(problem, options, caps, None)


def integer_bound(
    problem: Problem, options: Options, caps: dict[str, int], seconds: float
) -> int | None:
    """The same constraints as an integer program: the bound SCIP proves within `seconds`,
    None if it proves none. A fractional plan of the relaxation packs pieces of a therapist's
    day that no whole plan can (S home-villages, seed 1, the larger part: 235 by the linear
    optimum, 230 after eight seconds of branching)."""
    return solve_relaxation(problem, options, caps, seconds)


def referral_caps(options: Options, bounds: dict[str, int]) -> dict[str, int]:
    """Each referral's most sessions: its requested ones, or fewer where its own bound says so."""
    return {r: min(options.requested[r], n) for r, n in bounds.items()}


def solve_relaxation(
    problem: Problem, options: Options, caps: dict[str, int], seconds: float | None
) -> int | None:
    """The relaxation's proven bound: GLOP's linear optimum when `seconds` is None, else the
    best bound SCIP proves for it as an integer program within `seconds`."""
    integer = seconds is not None
    lp = pywraplp.Solver.CreateSolver("SCIP" if integer else "GLOP")
    if lp is None:
        return None
    var = lp.IntVar if integer else lp.NumVar
    x = [var(0, 1, "") for _ in options.individual]
    seat = {key: var(0, 1, "") for key in seat_keys(options)}
    held = [var(0, 1, "") for _ in options.meetings]
    leads = {(j, t): var(0, 1, "") for j, m in enumerate(options.meetings) for t in m.instructors}
    add_referral_limits(problem, options, caps, lp, x, seat)
    add_meeting_limits(problem, options, lp, seat, held, leads)
    add_therapist_energy(problem, options, lp, x, leads)
    add_one_centre(problem, options, lp, x, leads, var)
    add_room_energy(problem, options, lp, x)
    add_course_order(problem, options, lp, x, seat)
    objective = lp.Objective()
    for v in [*x, *seat.values()]:
        objective.SetCoefficient(v, 1)
    objective.SetMaximization()
    proved = {pywraplp.Solver.OPTIMAL}
    if seconds is not None:
        lp.SetTimeLimit(max(1, int(seconds * 1000)))
        proved.add(pywraplp.Solver.FEASIBLE)  # stopped by the time limit, with a bound so far
    if lp.Solve() not in proved:
        return None
    value = lp.Objective().BestBound() if integer else lp.Objective().Value()
    if not math.isfinite(value):
        return None
    return math.floor(value + 1e-6)


def at_most(lp: Any, terms: Iterable[tuple[float, Any]], upper: float) -> None:
    """sum(coefficient * variable) <= upper, set coefficient by coefficient: the natural API's
    expression objects cost more than the solve on a large week."""
    constraint = lp.Constraint(-lp.infinity(), upper)
    for coefficient, var in terms:  # each variable once in every caller
        constraint.SetCoefficient(var, coefficient)


def ones(variables: Iterable[Any]) -> Iterable[tuple[float, Any]]:
    return ((1.0, v) for v in variables)


def seat_keys(options: Options) -> list[tuple[str, int]]:
    return [(r, j) for j, m in enumerate(options.meetings) for r in m.seats]


def add_referral_limits(problem, options, caps, lp, x, seat) -> None:
    """One session a day per referral and citizen; no more than the referral's bound."""
    per_day: dict[tuple[str, int], list] = defaultdict(list)
    for i, o in enumerate(options.individual):
        per_day[(o.referral, o.day)].append(x[i])
    for (r, j), var in seat.items():
        per_day[(r, options.meetings[j].day)].append(var)
    per_referral: dict[str, list] = defaultdict(list)
    per_citizen_day: dict[tuple[str, int], list] = defaultdict(list)
    for (r, d), terms in per_day.items():
        at_most(lp, ones(terms), 1)
        per_referral[r] += terms
        per_citizen_day[(problem.referral(r).citizen, d)] += terms
    for r, terms in per_referral.items():
        at_most(lp, ones(terms), caps[r])
    for terms in per_citizen_day.values():
        if len(terms) > 1:
            at_most(lp, ones(terms), 1)


def add_meeting_limits(problem, options, lp, seat, held, leads) -> None:
    """Seats only in held meetings, within capacity; one meeting a day; meetings a week."""
    per_class_day: dict[tuple[str, int], list] = defaultdict(list)
    per_class: dict[str, list] = defaultdict(list)
    for j, m in enumerate(options.meetings):
        team_class = problem.team_class(m.team_class)
        size = min(team_class.capacity, max(problem.room(r).capacity for r in m.rooms))
        at_most(lp, [(1.0, seat[(r, j)]) for r in m.seats] + [(-size, held[j])], 0)
        for r in m.seats:
            at_most(lp, [(1.0, seat[(r, j)]), (-1.0, held[j])], 0)
        leading = lp.Constraint(0, 0)
        for t in m.instructors:
            leading.SetCoefficient(leads[(j, t)], 1)
        leading.SetCoefficient(held[j], -1)
        per_class_day[(m.team_class, m.day)].append(held[j])
        per_class[m.team_class].append(held[j])
    for terms in per_class_day.values():
        at_most(lp, ones(terms), 1)
    for class_id, terms in per_class.items():
        per_week = problem.team_class(class_id).meetings_per_week
        if per_week is not None:
            at_most(lp, ones(terms), per_week)


def add_therapist_energy(problem, options, lp, x, leads) -> None:
    """Inside every stretch, the work that cannot leave it fits the therapist's time there.

    A home visit's work is its session and the least driving any plan spends next to it
    (`drive_halves`: a route's drives may be shorter than round trips).
    """
    halves = drive_halves(problem, options)
    work: dict[tuple[str, int], list[tuple[int, int, int, Any]]] = defaultdict(list)
    for i, o in enumerate(options.individual):
        before, after = halves.get(i, (0, 0))
        begin, end = min(o.starts) - before, max(o.starts) + o.minutes + after
        work[(o.therapist, o.day)].append((begin, end, o.minutes + before + after, x[i]))
    for (j, t), var in leads.items():
        m = options.meetings[j]
        work[(t, m.day)].append((m.start, m.end, m.end - m.start, var))
    for (t, d), items in work.items():
        hours = problem.therapist(t).hours.get(problem.days[d].weekday, ())
        within = Within(items)
        for a, b in stretches(items):
            add_stretch(lp, within(a, b), windows_inside(hours, a, b))
    week: dict[str, list] = defaultdict(list)
    for (t, _), items in work.items():
        week[t] += [(w, v) for *_, w, v in items]
    for t in problem.therapists:
        if t.max_minutes is not None and week[t.id]:
            at_most(lp, week[t.id], t.max_minutes)


def drive_halves(problem: Problem, options: Options) -> dict[int, tuple[int, int]]:
    """Per home-visit option, the least time any plan keeps its therapist on the road just
    before it and just after it, routes included.

    Between two things a therapist does in a row there is at least the drive between them. A
    visit's nearest drive (from the centre, or from another home the same therapist could visit
    that day) is the least before it, the same after it; two visits a drive joins share it by
    halves, so no minute is counted twice. Where both ends of a drive between homes lie on the
    slot grid (sessions of whole slots) and the therapist's day has no break, the time between
    the two visits is whole slots, all taken by the drive and its wait (nothing else fits
    between two things in a row). A route's first and last drives, from and to the centre, are
    longer than their halves; a term for that, once a day, tightened S home-villages by one
    session and made the linear program ten times slower.
    """
    halves: dict[int, tuple[int, int]] = {}
    visits: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, o in enumerate(options.individual):
        if o.kind == "home":
            visits[(o.therapist, o.day)].append(i)
    slot = problem.slot_minutes
    for (t, d), indices in visits.items():
        homes = [
            problem.citizen(problem.referral(options.individual[i].referral).citizen)
            for i in indices
        ]
        near = nearest_homes(problem, homes)
        one_window = len(problem.therapist(t).hours.get(problem.days[d].weekday, ())) == 1
        whole = one_window and all(options.individual[i].minutes % slot == 0 for i in indices)
        for i, home in zip(indices, homes, strict=True):
            o = options.individual[i]
            drive = near.get(home.id, o.travel_before)
            on_grid = -(-drive // slot) * slot if whole else drive
            after = -(-drive // slot) * slot if one_window and o.minutes % slot == 0 else drive
            halves[i] = (min(o.travel_before, on_grid) // 2, min(o.travel_after, after) // 2)
    return halves


def nearest_homes(problem: Problem, homes: list) -> dict[str, int]:
    """Each home's drive to the nearest other home of the list (by the format's formula)."""
    ids = list(dict.fromkeys(h.id for h in homes))
    if len(ids) < 2:
        return {}
    place = {h.id: h for h in homes}
    lat = np.radians([place[c].lat for c in ids])
    lon = np.radians([place[c].lon for c in ids])
    a = (
        np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
        + np.cos(lat[:, None])
        * np.cos(lat[None, :])
        * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2
    )
    np.fill_diagonal(a, np.inf)
    out = {}
    for k, c in enumerate(ids):
        # The nearest by floating point, then by the exact formula among the near-ties.
        row = a[k]
        close = np.flatnonzero(row <= row.min() * (1 + 1e-9) + 1e-15)
        out[c] = min(
            travel_minutes(
                problem.travel, place[c].lat, place[c].lon, place[ids[j]].lat, place[ids[j]].lon
            )
            for j in close
        )
    return out


def add_one_centre(problem, options, lp, x, leads, var) -> None:
    """A therapist works from one centre a day: a day's work at a centre needs that centre
    chosen, and one centre is chosen a day (the linear optimum shares the day out; the integer
    program keeps the rule)."""
    per_centre: dict[tuple[str, int], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for i, o in enumerate(options.individual):
        per_centre[(o.therapist, o.day)][o.centre].append(x[i])
    for (j, t), v in leads.items():
        m = options.meetings[j]
        per_centre[(t, m.day)][problem.team_class(m.team_class).centre].append(v)
    for by_centre in per_centre.values():
        if len(by_centre) < 2:
            continue
        chosen = []
        for terms in by_centre.values():
            at = var(0, 1, "")
            chosen.append(at)
            at_most(lp, [*ones(terms), (-float(len(terms)), at)], 0)
        at_most(lp, ones(chosen), 1)


def add_room_energy(problem, options, lp, x) -> None:
    """Inside every stretch of a centre's day, the individual sessions that cannot leave it fit
    the centre's room places (every treatment room and hall, classes left out) times its length."""
    places: dict[str, int] = defaultdict(int)
    for room in problem.rooms:
        if room.kind in INDIVIDUAL_ROOM_KINDS:
            places[room.centre] += room.capacity
    work: dict[tuple[str, int], list[tuple[int, int, int, Any]]] = defaultdict(list)
    for i, o in enumerate(options.individual):
        if o.kind == "individual":
            begin, end = min(o.starts), max(o.starts) + o.minutes
            work[(o.centre, o.day)].append((begin, end, o.minutes, x[i]))
    for (centre, _), items in work.items():
        within = Within(items)
        for a, b in stretches(items):
            add_stretch(lp, within(a, b), [b - a] * places[centre])


def add_course_order(problem, options, lp, x, seat) -> None:
    """A seat that must follow an individual assessment (or come before a re-test) needs one
    on an earlier (later) day; a team referral has no more individual sessions than those."""
    own: dict[tuple[str, int], list] = defaultdict(list)
    for i, o in enumerate(options.individual):
        own[(o.referral, o.day)].append(x[i])
    days = range(len(problem.days))
    for (r, j), var in seat.items():
        referral = problem.referral(r)
        day = options.meetings[j].day
        if opens_with_assessment(referral):
            earlier = [(-1.0, v) for d in days if d < day for v in own.get((r, d), [])]
            at_most(lp, [(1.0, var), *earlier], 0)
        # With both flags a single individual session is the intro: seats need no re-test then.
        if referral.mode == "team" and referral.final and not referral.intro:
            later = [(-1.0, v) for d in days if d > day for v in own.get((r, d), [])]
            at_most(lp, [(1.0, var), *later], 0)
    for referral in problem.referrals:
        if referral.mode == "team":
            terms = [v for d in days for v in own.get((referral.id, d), [])]
            if len(terms) > int(referral.intro) + int(referral.final):
                at_most(lp, ones(terms), int(referral.intro) + int(referral.final))


def add_stretch(
    lp,
    inside: list[tuple[int, Any]],
    lanes: list[int],
    extra: list[tuple[float, Any]] | None = None,
) -> None:
    """Work inside a stretch fits its lanes (a therapist's windows in it, a centre's room places
    times its length), by minutes and by count; `extra` is more work by minutes only.

    By minutes: the energy argument. By count: a lane holds pieces one after another, each
    inside it, so no more than floor(its minutes / the shortest piece) of them; this cuts what
    fractional minutes leave over (two 45-minute sessions in two hours, not 2.67).
    """
    if not inside:
        return
    extra = extra or []
    if sum(w for w, _ in inside) + sum(w for w, _ in extra) > sum(lanes):
        at_most(lp, [*inside, *extra], sum(lanes))
    shortest = min(w for w, _ in inside)
    if shortest <= 0:
        return
    most = sum(lane // shortest for lane in lanes)
    if len(inside) > most:
        at_most(lp, ones(v for _, v in inside), most)


class Within:
    """The items of one therapist's or centre's day that lie inside a stretch, found by spans:
    items with the same span are looked at once, spans in order of where they begin."""

    def __init__(self, items: list[tuple[int, int, int, Any]]) -> None:
        groups: dict[tuple[int, int], list[tuple[int, Any]]] = defaultdict(list)
        for begin, end, w, v in items:
            groups[(begin, end)].append((w, v))
        self.spans = sorted(groups)
        self.begins = [b for b, _ in self.spans]
        self.groups = groups

    def __call__(self, a: int, b: int) -> list[tuple[int, Any]]:
        inside: list[tuple[int, Any]] = []
        for span in self.spans[bisect_left(self.begins, a) :]:
            if span[0] > b:
                break
            if span[1] <= b:
                inside += self.groups[span]
        return inside


def stretches(items: list) -> list[tuple[int, int]]:
    """Candidate stretches: the whole day, each span, then others from narrowest, to a limit."""
    first = [(min(b for b, *_ in items), max(e for _, e, *_ in items))]
    first += sorted({(b, e) for b, e, *_ in items})
    begins = sorted({b for b, *_ in items})
    ends = sorted({e for _, e, *_ in items})
    rest = sorted(((a, b) for a in begins for b in ends if a < b), key=lambda p: p[1] - p[0])
    return list(dict.fromkeys(first + rest))[:STRETCHES]


def windows_inside(hours: tuple[Window, ...], a: int, b: int) -> list[int]:
    """The minutes of each working window that lie inside [a, b]."""
    return [max(0, min(w.end, b) - max(w.start, a)) for w in hours]
