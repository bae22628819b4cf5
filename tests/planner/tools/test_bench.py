"""The bench's summary: median and worst gap per scale and shape; driving against round trips."""

from __future__ import annotations

from dataclasses import replace

from planner.formats.scenario import parse_scenario
from planner.tools.bench import BenchRow, driving, summary
from solver.problem import Appointment, Solution, Stats
from tests import factories as f

ROW = BenchRow(
    scale="S", shape="usual", seed=1, requested=100, first_fit=90, placed=95, placed_bound=100,
    gap=0.05, seconds=30.0, first_fit_seconds=1.0, peak_mb=200.0, violations=0, home_visits=0,
    drive_minutes=0, round_trip_minutes=0,
)  # fmt: skip


def test_summary_gives_median_and_worst_gap_per_scale_and_shape() -> None:
    rows = [
        ROW,
        replace(ROW, seed=2, gap=0.01, placed=99, seconds=31.0),
        replace(ROW, seed=3, gap=0.02, placed=98, seconds=29.0, peak_mb=300.0),
        replace(ROW, shape="sul-peak", gap=0.0),
    ]
    lines = summary(rows)
    assert lines[1].split() == [
        "S", "usual", "3", "2.00%", "5.00%", "30.0", "31.0", "300", "0", "90", "→", "98",
    ]  # fmt: skip
    assert lines[2].split()[:5] == ["S", "sul-peak", "1", "0.00%", "0.00%"]


def test_driving_counts_a_route_against_round_trips() -> None:
    doc = f.scenario(
        citizens=[f.citizen("c001", lat=56.431, lon=10.533), f.citizen("c002", lat=56.432,
                                                                        lon=10.534)],
        referrals=[f.referral(r, c, mode="home") for r, c in (("r001", "c001"), ("r002", "c002"))],
    )  # fmt: skip
    problem = parse_scenario(doc)
    day = problem.days[0].date
    visit = {"kind": "home", "therapist": "t01", "centre": "auning", "day": day}
    plan = Solution(
        "feasible",
        (
            Appointment("a1", start=540, end=585, referral="r001", travel_before=16,
                        travel_after=0, **visit),
            Appointment("a2", start=600, end=645, referral="r002", travel_before=1,
                        travel_after=17, **visit),
        ),
        (), (), Stats(2, 2, 2, 2, 0.0),
    )  # fmt: skip
    assert driving(problem, plan) == (34, 16 + 16 + 17 + 17, 2)
