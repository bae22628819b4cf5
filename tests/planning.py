"""Solve a scenario in a test, and always check the plan with the validator."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan
from solver.problem import Appointment, Solution
from solver.solve import ProgressFn, solve


def plan(
    doc: dict[str, Any],
    time_limit: float = 10.0,
    optimise: bool = True,
    progress: ProgressFn | None = None,
) -> Solution:
    """The plan of a scenario document; fails the test if it breaks any rule."""
    problem = parse_scenario(doc)
    solution = solve(problem, time_limit, workers=2, optimise=optimise, progress=progress)
    violations = check_plan(problem, solution)
    assert violations == [], "\n".join(f"[{v.rule}] {v.text()}" for v in violations)
    return solution


def of(solution: Solution, referral: str) -> list[Appointment]:
    """The referral's appointments (team meetings it sits in included), in time order."""
    return [
        a for a in solution.appointments if a.referral == referral or referral in a.participants
    ]


def placed(solution: Solution) -> int:
    return solution.stats.sessions_placed


def publish_unchecked(plan_id: int, *, session: Session) -> None:
    """Publish a hand-made plan the way `publish` does, but without its rule check.

    For tests of what comes after publishing (letters, e-mail, repair) whose small hand-made plans
    leave requested sessions unplaced without saying so; `publish` itself refuses such plans
    (tests/planner/plan/test_versions.py).
    """
    from planner.db.store import mark_published
    from planner.outputs.feeds import record_publication

    record_publication(plan_id, session=session)
    mark_published(plan_id, session=session)
