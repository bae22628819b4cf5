"""Which plan a coordinator looks at, and publishing drafts only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session

from planner.db.store import import_scenario, save_plan
from planner.errors import PlanStateError
from planner.formats.scenario import parse_scenario
from planner.plan.versions import (
    PlanBreaksRules,
    current_plan,
    plan_of_week,
    publish,
    scenario_plans,
)
from tests.databases import backend_engine
from tests.factories import scenario
from tests.planner.plan.test_edit import plan_of

#: A plan with nothing placed, its account true (the validator passes it: publishing checks).
EMPTY = plan_of(parse_scenario(scenario()), ())


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


def test_publish_refuses_a_plan_that_breaks_a_rule_with_the_violations(session: Session) -> None:
    week = import_scenario(scenario(), session=session)
    wrong_count = replace(EMPTY, unplaced=())  # says nothing is missing, but two sessions are
    plan = save_plan(week, wrong_count, session=session)

    with pytest.raises(PlanBreaksRules) as refused:
        publish(plan, session=session)

    assert [v.rule for v in refused.value.violations] == ["unplaced"]
    assert [p.status for p in scenario_plans(week, session=session)] == ["draft"]
