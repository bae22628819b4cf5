"""`planner bench-repair` on a tiny week: the three ways are measured and every plan is valid."""

from __future__ import annotations

from planner.formats.scenario import parse_scenario
from planner.plan.repair import whole_days
from planner.tools.bench_repair import ill_therapist, measure
from tests.factories import scenario, therapist
from tests.planner.plan.test_repair import MON, WED, plan_of, session


def test_bench_repair_measures_repair_baseline_and_replan() -> None:
    problem = parse_scenario(scenario(therapists=[therapist("t01"), therapist("t02")]))
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 540))
    ill, wednesday = ill_therapist(problem, published)

    rows = measure("S", "day", problem, published, whole_days("therapist", ill, WED, WED),
                   [WED], replan_limit=1.0)  # fmt: skip

    assert (ill, wednesday) == ("t01", WED)
    assert [(r.method, r.hit, r.citizens, r.changed, r.lost, r.violations) for r in rows[:2]] == [
        ("repair", 1, 1, 1, 0, 0),
        ("baseline", 1, 1, 1, 0, 0),
    ]
    assert (rows[2].method, rows[2].lost, rows[2].violations) == ("re-plan", 0, 0)
