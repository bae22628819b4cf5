"""The proven bounds on placed sessions: per citizen, and the linear relaxation."""

from __future__ import annotations

from planner.formats.scenario import parse_scenario
from solver.bound import relaxation_bound
from solver.explain import citizen_bound, referral_bounds
from solver.options import build_options
from tests import factories as f
from tests.planning import plan

MON_10_11 = {"mon": [["10:00", "11:00"]]}


def competing_week() -> dict:
    """Two citizens who can both come only Monday 10-11, and one therapist."""
    return f.scenario(
        citizens=[f.citizen("c001", available=MON_10_11), f.citizen("c002", available=MON_10_11)],
        referrals=[
            f.referral("r001", "c001", sessions_per_week=1, session_minutes=60, exception="t"),
            f.referral("r002", "c002", sessions_per_week=1, session_minutes=60, exception="t"),
        ],
    )


def bounds_of(doc: dict) -> tuple[int, int | None]:
    problem = parse_scenario(doc)
    options = build_options(problem)
    per_referral = referral_bounds(problem, options)
    caps = {r: min(options.requested[r], n) for r, n in per_referral.items()}
    return citizen_bound(problem, options, per_referral), relaxation_bound(problem, options, caps)


def test_citizen_bound_ignores_competition():
    assert bounds_of(competing_week())[0] == 2


def test_relaxation_bound_sees_one_therapist_for_two_citizens():
    assert bounds_of(competing_week())[1] == 1


def test_relaxation_bound_allows_a_second_therapist():
    doc = competing_week()
    doc["therapists"].append(f.therapist("t02"))
    assert bounds_of(doc) == (2, 2)


def test_plan_reports_the_tightest_bound():
    solution = plan(competing_week())
    assert (solution.stats.sessions_placed, solution.stats.placed_bound) == (1, 1)
