"""Which plan a coordinator looks at, and publishing drafts only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from planner.db.store import import_scenario, save_plan
from planner.errors import PlanStateError
from planner.plan.versions import current_plan, plan_of_week, publish, scenario_plans
from solver.problem import Solution, Stats
from tests.databases import backend_engine
from tests.factories import scenario

EMPTY = Solution("feasible", (), (), (), Stats(2, 0, 0, 2, 0.1))


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    for engine in backend_engine("sqlite", tmp_path):
        with Session(engine) as session:
            yield session


def test_current_plan_is_the_newest_that_is_not_superseded(session: Session) -> None:
    week = import_scenario(scenario(), session=session)
    assert current_plan(week, session=session) is None

    first = save_plan(week, EMPTY, session=session)
    publish(first, session=session)
    second = save_plan(week, EMPTY, session=session)
    assert current_plan(week, session=session).id == second  # type: ignore[union-attr]

    publish(second, session=session)
    statuses = [(p.version, p.status) for p in scenario_plans(week, session=session)]
    assert statuses == [(2, "published"), (1, "superseded")]


def test_publish_refuses_a_plan_that_is_not_a_draft(session: Session) -> None:
    week = import_scenario(scenario(), session=session)
    plan = save_plan(week, EMPTY, session=session)
    publish(plan, session=session)

    with pytest.raises(PlanStateError):
        publish(plan, session=session)


def test_plan_of_week_refuses_a_plan_of_another_week(session: Session) -> None:
    week = import_scenario(scenario(), session=session)
    other = import_scenario(scenario(week="2026-W51"), session=session)
    plan = save_plan(other, EMPTY, session=session)

    with pytest.raises(LookupError):
        plan_of_week(week, plan, session=session)
    assert plan_of_week(other, plan, session=session).id == plan  # type: ignore[union-attr]
