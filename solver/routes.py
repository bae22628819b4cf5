"""Home-visit routes after the plan is made: a therapist drives from one visit straight on to
the next where that saves.

The model plans routes between near homes (`solver.options.route_options`); other visits are
round trips from the day's centre. Once the plan is made, two home visits that still follow each
other as round trips in a therapist's day, with nothing at the centre between them, become a
route: the first has no drive back (`travel_after == 0`) and the second's drive starts at the
first home. Driving between two homes is never longer than via the centre (the great circle is a
shortest way, and the rounding up is applied once), so the two visits never meet; the second's
drive may start earlier than its drive from the centre did, so it must still fit the therapist's
hours and the opening hours.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from itertools import pairwise

from solver.problem import WEEKDAYS, Appointment, Problem, travel_minutes


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
            saves = leg < first.travel_after + second.travel_before
            if saves and drive_fits(problem, second, second.start - leg):
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


def drive_fits(problem: Problem, visit: Appointment, begin: int) -> bool:
    """A visit busy from `begin` (its drive starting earlier) stays inside the therapist's
    hours and the centre's opening hours: the drive from another home may be the longer one."""
    weekday = WEEKDAYS[visit.day.weekday()]
    end = visit.end + visit.travel_after
    hours = problem.therapist(visit.therapist).hours.get(weekday, ())
    opening = problem.centre(visit.centre).open.get(weekday)
    in_hours = any(w.start <= begin and end <= w.end for w in hours)
    return in_hours and opening is not None and opening.start <= begin and end <= opening.end


def home_to_home(problem: Problem, first: Appointment, second: Appointment) -> int:
    a = problem.citizen(problem.referral(first.referral or "").citizen)
    b = problem.citizen(problem.referral(second.referral or "").citizen)
    return travel_minutes(problem.travel, a.lat, a.lon, b.lat, b.lon)


def driving_minutes(appointments: list[Appointment]) -> int:
    """The week's driving to, between and back from home visits."""
    return sum(a.travel_before + a.travel_after for a in appointments if a.kind == "home")
