"""Neighbourhood search keeps every rule and never loses a placed session."""

from __future__ import annotations

import time

from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan
from planner.tools.generate import generate
from solver.explain import referral_bounds
from solver.firstfit import first_fit
from solver.lns import Neighbourhood, crossings, improve, neighbourhoods, rooms_fit, sub_options
from solver.options import build_options
from solver.problem import INDIVIDUAL_ROOM_KINDS
from solver.solve import finish
from solver.tentative import Booking, Tentative


def small_week():
    problem = parse_scenario(generate("S", 7))
    options = build_options(problem)
    return problem, options, first_fit(problem, options)


def test_neighbourhoods_cover_every_centre_and_day():
    problem, options, _ = small_week()
    areas = neighbourhoods(problem, options, 2)
    covered = {(a.centre, d) for a in areas for d in a.days}
    assert covered == {(c.id, d) for c in problem.centres for d in range(len(problem.days))}


def test_sub_options_fix_everything_outside_the_neighbourhood():
    problem, options, plan = small_week()
    area = Neighbourhood(problem.centres[0].id, frozenset({0, 1}))
    sub, fixed = sub_options(problem, options, plan, area)
    inside = {(area.centre, d) for d in area.days}
    outside = [b for b in plan.bookings if (b.option.centre, b.option.day) not in inside]
    assert len(fixed.bookings) == len(outside)
    assert all(len(b.option.starts) == 1 for b in fixed.bookings)
    assert len(sub.meetings) == len(options.meetings)


def test_improve_keeps_the_rules_and_never_places_fewer():
    problem, options, plan = small_week()
    began = time.monotonic()
    bounds = referral_bounds(problem, options)
    better = improve(problem, options, plan, Tentative(), bounds, began + 8.0, 2)
    assert better.placed() >= plan.placed()
    solution = finish(problem, options, bounds, better, "feasible", Tentative(), 10**6, began)
    assert check_plan(problem, solution) == []


def test_sub_options_free_every_cell_of_a_crossing():
    problem, options, plan = small_week()
    area = Neighbourhood(
        problem.centres[0].id, frozenset({0}), frozenset({(problem.centres[1].id, 0)})
    )
    sub, fixed = sub_options(problem, options, plan, area)
    free = [o for o in options.individual if (o.centre, o.day) in area.cells]
    assert {o.centre for o in free} == {problem.centres[0].id, problem.centres[1].id}
    assert sub.individual[: len(free)] == free
    assert all((b.option.centre, b.option.day) not in area.cells for b in fixed.bookings)


def test_crossings_free_one_day_at_every_centre_of_a_therapist():
    problem, options, plan = small_week()
    bounds = referral_bounds(problem, options)
    areas = crossings(problem, options, plan, bounds)
    assert areas, "a first-fit week has two-centre therapists and missing sessions"
    for area in areas:
        days = {d for _, d in area.cells}
        centres = {c for c, _ in area.cells}
        assert len(days) == 1 and len(centres) > 1
        assert any(centres <= set(t.centres) for t in problem.therapists if len(t.centres) > 1)


def test_rooms_fit_refuses_more_sessions_than_rooms():
    problem, options, plan = small_week()
    area = Neighbourhood(problem.centres[0].id, frozenset({0}))
    assert rooms_fit(problem, options, plan, Tentative(), area)
    centre = area.centre
    places = sum(
        r.capacity for r in problem.rooms if r.centre == centre and r.kind in INDIVIDUAL_ROOM_KINDS
    )
    at_nine = [
        o
        for o in options.individual
        if o.centre == centre and o.day == 0 and o.kind == "individual" and 540 in o.starts
    ]
    crowded = Tentative([Booking(o, 540, None) for o in at_nine[: places + 1]])
    assert len(crowded.bookings) == places + 1
    assert not rooms_fit(problem, options, crowded, Tentative(), area)


# --- the secondary goals by neighbourhoods -------------------------------------------------------


def monday_week(therapists: int = 1) -> tuple:
    """One centre, two citizens with one 60-minute session each, on Monday only."""
    from tests import factories as f

    monday = {"mon": [["08:00", "16:00"]]}
    doc = f.scenario(
        therapists=[f.therapist(f"t0{k}") for k in range(1, therapists + 1)],
        rooms=[f.room("auning-b1"), f.room("auning-b2")],
        citizens=[f.citizen("c001", available=monday), f.citizen("c002", available=monday)],
        referrals=[
            f.referral("r001", "c001", sessions_per_week=1, session_minutes=60),
            f.referral("r002", "c002", sessions_per_week=1, session_minutes=60),
        ],
    )
    problem = parse_scenario(doc)
    return problem, build_options(problem)


def booked(options, referral: str, therapist: str, start: int) -> Booking:  # type: ignore[no-untyped-def]
    option = next(
        o for o in options.individual if (o.referral, o.therapist) == (referral, therapist)
    )
    return Booking(option, start, None)


def test_refine_closes_the_gap_in_a_therapists_day():
    from solver.lns import refine

    problem, options = monday_week()
    spread = Tentative([booked(options, "r001", "t01", 480), booked(options, "r002", "t01", 840)])
    bounds = referral_bounds(problem, options)
    better = refine(problem, options, spread, Tentative(), bounds, time.monotonic() + 20, 2)
    starts = sorted(b.start for b in better.bookings)
    assert better.placed() == 2
    assert starts[1] - starts[0] == 60  # back to back: the day spans 2 hours, not 7
    solution = finish(problem, options, bounds, better, "feasible", Tentative(), 2, 0.0)
    assert check_plan(problem, solution) == []


def test_refine_shares_the_load_between_two_therapists():
    from solver.lns import refine

    problem, options = monday_week(therapists=2)
    one = Tentative([booked(options, "r001", "t01", 480), booked(options, "r002", "t01", 540)])
    bounds = referral_bounds(problem, options)
    better = refine(problem, options, one, Tentative(), bounds, time.monotonic() + 20, 2)
    assert better.placed() == 2
    assert sorted(b.option.therapist for b in better.bookings) == ["t01", "t02"]


def test_refine_keeps_a_plan_that_is_as_good_as_it_gets():
    from solver.lns import refine

    problem, options = monday_week()
    tight = Tentative([booked(options, "r001", "t01", 480), booked(options, "r002", "t01", 540)])
    bounds = referral_bounds(problem, options)
    better = refine(problem, options, tight, Tentative(), bounds, time.monotonic() + 20, 2)
    assert sorted(b.start for b in better.bookings) == [480, 540]
