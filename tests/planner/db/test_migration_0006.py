"""Migration 0006 (security): a database at 0004 holding a week and a plan keeps both, and the
plan gets revision 0 and is not stale."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from planner.db.engine import engine_from_url, migrate
from planner.db.models import Plan
from planner.db.store import import_scenario, save_plan
from solver.problem import Solution, Stats
from tests.factories import scenario
from tests.planner.db.old_database import database_at

EMPTY = Solution("feasible", (), (), (), Stats(2, 0, 0, 2, 0.1))


def test_a_database_at_0004_with_a_week_and_a_plan_upgrades_with_nothing_lost(
    tmp_path: Path,
) -> None:
    engine = engine_from_url(tmp_path / "old.db")

    def fill(session: Session) -> tuple[int, int]:
        week = import_scenario(scenario(), session=session)
        return week, save_plan(week, EMPTY, session=session)

    week, plan_id = database_at(engine, "0004", tmp_path, fill)
    migrate(engine)

    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        assert (plan.version, plan.status, plan.revision, plan.stale) == (1, "draft", 0, False)
        assert plan.scenario_id == week
    engine.dispose()
