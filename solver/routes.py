"""Home-visit routes: a therapist drives from one visit straight on to the next where that saves.

The options plan every home visit as a round trip from the day's centre (that keeps the model's
travel fixed per option). Once the plan is made, two home visits that follow each other in a
therapist's day, with nothing at the centre between them, become a route: the first has no drive
back (`travel_after == 0`) and the second's drive starts at the first home. Driving between two
homes is never longer than via the centre (the great circle is a shortest way, and the rounding
up is applied once), so the route keeps every time the round trips kept and frees the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from itertools import pairwise

from solver.problem import Appointment, Problem, travel_minutes


def chain_home_visits(
    problem: Problem, appointments: list[Appointment], keep: frozenset[str] = frozenset()
) -> list[Appointment]:
    """The appointments with consecutive home visits chained where that saves driving.

    Appointments whose id is in `keep` (pinned ones) keep their travel as it is.
    """
    by_day: dict[tuple[str, object], list[int]] = defaultdict(list)
    for i, a in enumerate(appointments):
        by_day[(a.therapist, a.day)].append(i)
    out = list(appointments)
    for indices in by_day.values():
        indices.sort(key=lambda i: (out[i].start, out[i].end))
        for before, after in pairwise(indices):
            first, second = out[before], out[after]
            if not chainable(first, second, keep):
                continue
            leg = home_to_home(problem, first, second)
            if leg < first.travel_after + second.travel_before:
                out[before] = replace(first, travel_after=0)
                out[after] = replace(second, travel_before=leg)
    return out


def chainable(first: Appointment, second: Appointment, keep: frozenset[str]) -> bool:
    """Two home visits in a row, the first driving back to the centre, neither kept as it is."""
    return (
        first.kind == "home"
        and second.kind == "home"
        and first.travel_after > 0
        and first.id not in keep
        and second.id not in keep
    )


def home_to_home(problem: Problem, first: Appointment, second: Appointment) -> int:
    a = problem.citizen(problem.referral(first.referral or "").citizen)
    b = problem.citizen(problem.referral(second.referral or "").citizen)
    return travel_minutes(problem.travel, a.lat, a.lon, b.lat, b.lon)


def driving_minutes(appointments: list[Appointment]) -> int:
    """The week's driving to, between and back from home visits."""
    return sum(a.travel_before + a.travel_after for a in appointments if a.kind == "home")
