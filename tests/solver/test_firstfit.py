"""First fit on a plan that already holds some of a referral's sessions (the refill after rooms)."""

from __future__ import annotations

from pathlib import Path

from planner.formats.scenario import load_scenario, parse_scenario
from planner.formats.validate import check_plan
from solver.firstfit import Diary, first_fit
from solver.options import build_options
from solver.problem import Solution, Stats
from solver.solve import seed_diary
from solver.tentative import to_appointments
from tests import factories as f


def test_refill_never_books_a_second_re_test_for_a_team_referral() -> None:
    """A team referral whose re-test is booked gets seats only, never another individual."""
    team = f.referral(
        "r001", mode="team", sessions_per_week=2, session_minutes=60, final=True, exception="x",
        **{"class": "balance"},
    )  # fmt: skip
    problem = parse_scenario(f.scenario(classes=[f.team_class()], referrals=[team]))
    options = build_options(problem)
    first = first_fit(problem, options)
    retest = [b for b in first.bookings if b.option.referral == "r001"]
    assert len(retest) == 1
    partial = type(first)(bookings=retest, meetings=[])  # the seats lost, the re-test kept

    diary = Diary(problem, options)
    seed_diary(diary, partial)
    refilled = first_fit(problem, options, diary, scarce_first=True)

    individual = [b for b in refilled.bookings if b.option.referral == "r001"]
    appointments = tuple(to_appointments(problem, options, refilled, {}))
    plan = Solution("feasible", appointments, (), (), Stats(2, refilled.placed(), 0, 2, 0.0))
    assert len(individual) == 1
    assert [v for v in check_plan(problem, plan) if v.rule == "team-intro-final"] == []


def test_first_fit_starts_the_norddjurs_sul_start_r0249_with_an_assessment() -> None:
    """r0249 (mode centre, class balance-auning, SUL §140 start) once got a seat first."""
    problem = load_scenario(Path(__file__).parents[2] / "fixtures" / "norddjurs.json")
    options = build_options(problem)
    draft = first_fit(problem, options)
    appointments = to_appointments(problem, options, draft, {})
    mine = [a for a in appointments if a.referral == "r0249" or "r0249" in a.participants]
    first = min(mine, key=lambda a: (a.day, a.start))
    assert first.kind == "individual"
    plan = Solution("feasible", tuple(appointments), (), (), Stats(0, draft.placed(), 0, 0, 0.0))
    assert [v for v in check_plan(problem, plan) if v.rule == "course-start"] == []
