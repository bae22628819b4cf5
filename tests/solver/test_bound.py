"""The proven bounds on placed sessions: per citizen, and the linear relaxation."""

from __future__ import annotations

import pytest
from hypothesis import given

from planner.formats.scenario import parse_scenario
from solver.bound import drive_halves, integer_bound, referral_caps, relaxation_bound
from solver.explain import citizen_bound, referral_bounds
from solver.options import build_options
from solver.solve import Progress, solve
from tests import factories as f
from tests.planning import plan
from tests.solver.test_properties import PROPERTY, weeks

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


def prepared(doc: dict):  # type: ignore[no-untyped-def]
    """The week's problem, options, per-referral bounds and the caps they give."""
    problem = parse_scenario(doc)
    options = build_options(problem)
    per_referral = referral_bounds(problem, options)
    return problem, options, per_referral, referral_caps(options, per_referral)


def bounds_of(doc: dict) -> tuple[int, int | None]:
    problem, options, per_referral, caps = prepared(doc)
    return citizen_bound(problem, options, per_referral), relaxation_bound(problem, options, caps)


def integer_bound_of(doc: dict, seconds: float = 5.0) -> int | None:
    problem, options, _, caps = prepared(doc)
    return integer_bound(problem, options, caps, seconds)


def two_therapists_in(window: dict, minutes: list[int]) -> dict:
    """Two therapists free only in `window`, and one citizen free then per session length."""
    return f.scenario(
        rooms=[f.room("auning-b1"), f.room("auning-b2")],
        therapists=[f.therapist("t01", hours=window), f.therapist("t02", hours=window)],
        citizens=[f.citizen(f"c{i:03d}", available=window) for i in range(len(minutes))],
        referrals=[
            f.referral(f"r{i:03d}", f"c{i:03d}", sessions_per_week=1, session_minutes=m,
                       exception="t")
            for i, m in enumerate(minutes)
        ],
    )  # fmt: skip


def two_centres_one_therapist() -> dict:
    """One therapist who may work at Auning or Posthaven, one citizen at each on Monday only."""
    monday = {"mon": [["08:00", "16:00"]]}
    return f.scenario(
        centres=[f.centre("auning"), f.centre("posthaven")],
        rooms=[f.room("auning-b1"), f.room("posthaven-b1", centre="posthaven")],
        therapists=[f.therapist("t01", centres=["auning", "posthaven"])],
        citizens=[f.citizen("c001", available=monday), f.citizen("c002", available=monday)],
        referrals=[
            f.referral("r001", "c001", sessions_per_week=1, exception="t"),
            f.referral("r002", "c002", sessions_per_week=1, exception="t", centre="posthaven"),
        ],
    )


def test_relaxation_bound_sees_one_centre_a_day():
    """The therapist has the hours for both, but works from one centre a day."""
    assert bounds_of(two_centres_one_therapist()) == (2, 1)
    assert plan(two_centres_one_therapist()).stats.sessions_placed == 1


def test_integer_bound_packs_whole_sessions_where_the_linear_optimum_splits_them():
    """Two therapists with 100 minutes each; one citizen of 50 minutes, three of 70. The linear
    optimum fills the 200 minutes with 3.1 sessions; whole sessions fit one per therapist."""
    doc = two_therapists_in({"mon": [["10:00", "11:40"]]}, [50, 70, 70, 70])
    assert bounds_of(doc) == (4, 3)
    assert integer_bound_of(doc) == 2
    solution = plan(doc)
    assert (solution.stats.sessions_placed, solution.stats.placed_bound) == (2, 2)


def test_progress_lines_give_the_bound_as_it_is_tightened():
    """The first lines give the linear bound (3); once the integer program proves 2, the rest
    give 2, the plan's own bound, secondary stage included."""
    lines: list[Progress] = []
    solution = plan(two_therapists_in({"mon": [["10:00", "11:40"]]}, [50, 70, 70, 70]),
                    progress=lines.append)  # fmt: skip
    bounds = [p.bound for p in lines]
    assert bounds[0] == 3 and bounds[-1] == solution.stats.placed_bound == 2
    assert bounds == sorted(bounds, reverse=True)


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


def test_plan_without_the_relaxation_reports_the_per_citizen_bound_and_the_same_plan():
    problem = parse_scenario(competing_week())
    quick = solve(problem, 1, optimise=False, relax=False)
    full = solve(problem, 1, optimise=False)

    assert (quick.stats.placed_bound, full.stats.placed_bound) == (2, 1)
    assert quick.appointments == full.appointments


def test_relaxation_bound_sees_one_treatment_room_for_two_therapists():
    doc = competing_week()
    doc["therapists"].append(f.therapist("t02"))
    doc["rooms"] = [f.room("auning-b1")]
    assert bounds_of(doc) == (2, 1)


def test_relaxation_bound_sees_that_seats_wait_for_the_assessment():
    """Two team referrals with an intro, time for one intro only (Monday), the class on Tuesday."""
    doc = f.scenario(
        classes=[f.team_class(meetings=[{"day": "tue", "start": "10:00"}])],
        therapists=[
            f.therapist("t01", hours={"mon": [["10:00", "10:45"]], "tue": [["10:00", "11:00"]]})
        ],
        citizens=[f.citizen("c001"), f.citizen("c002")],
        referrals=[
            f.referral(
                r, c, mode="team", intro=True, sessions_per_week=2, session_minutes=45,
                exception="t", **{"class": "balance"},
            )
            for r, c in (("r001", "c001"), ("r002", "c002"))
        ],
    )  # fmt: skip
    # Alone, each referral gets its intro and its seat (2 + 2); together one intro fits, so
    # only that referral's seat can follow: 1 + 1.
    assert bounds_of(doc) == (4, 2)
    assert plan(doc).stats.sessions_placed == 2


def exact_optimum(doc: dict) -> int | None:
    """The most sessions the whole-week model can place, when CP-SAT proves it (else None)."""
    from ortools.sat.python import cp_model

    from solver.model import PlanModel

    problem = parse_scenario(doc)
    options = build_options(problem)
    model = PlanModel(problem, options).build()
    model.model.maximize(sum(model.x) + sum(model.seat.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10
    solver.parameters.num_workers = 2
    if solver.solve(model.model) != cp_model.OPTIMAL:
        return None
    return round(solver.objective_value)


@pytest.mark.slow  # solves random weeks to optimality
@given(weeks())
@PROPERTY
def test_relaxation_bound_is_at_least_the_exact_optimum(doc):
    """The bound is a proof: on random small weeks never below what an exact solve places.

    The exact solve is the solver's whole-week model proved optimal (it counts room places per
    centre, a relaxation of rooms); the bounds must never claim less than it can place.
    """
    best = exact_optimum(doc)
    citizen, relaxed = bounds_of(doc)
    whole = integer_bound_of(doc, 2.0)
    if best is not None:
        assert relaxed is None or relaxed >= best
        assert whole is None or whole >= best
        assert citizen >= best


def test_relaxation_bound_counts_the_drives_of_a_route_not_two_round_trips():
    """Two round trips to the neighbours do not fit the morning, one route does: a bound that
    charged round trips would claim 1 while a valid plan places 2."""
    from tests.solver.test_solve_rules import two_neighbours_in_a_short_morning

    doc = two_neighbours_in_a_short_morning()
    problem, options, *_ = prepared(doc)
    # The drive next door is one minute; between two whole-slot visits in a row it takes a
    # slot, half of it on each side of each visit (and no more than the drive to the centre).
    assert sorted(drive_halves(problem, options).values()) == [(7, 7), (7, 7)]
    assert bounds_of(doc)[1] == 2


def test_relaxation_bound_counts_whole_sessions_in_a_window():
    """Two therapists free 10-12, six 45-minute sessions: two each fit, not 2.67."""
    doc = two_therapists_in({"mon": [["10:00", "12:00"]]}, [45] * 6)
    assert bounds_of(doc) == (6, 4)
    assert plan(doc).stats.sessions_placed == 4
