"""Neighbourhood search keeps every rule and never loses a placed session."""

from __future__ import annotations

import time

from planner.generate import generate
from planner.scenario import parse_scenario
from planner.validate import check_plan
from solver.draft import Draft
from solver.explain import referral_bounds
from solver.firstfit import first_fit
from solver.lns import Neighbourhood, improve, neighbourhoods, sub_options
from solver.options import build_options
from solver.solve import finish


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
    better = improve(problem, options, plan, Draft(), bounds, began + 8.0, 2)
    assert better.placed() >= plan.placed()
    solution = finish(problem, options, bounds, better, "feasible", Draft(), 10**6, began)
    assert check_plan(problem, solution) == []
