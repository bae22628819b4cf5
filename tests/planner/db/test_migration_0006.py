"""Migration 0006 (security): a database at 0004 holding a week and a plan keeps both, and the
plan gets revision 0 and is not stale."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from planner.db.engine import alembic_config, engine_from_url
from planner.db.models import Plan
from planner.db.store import import_scenario
from tests.factories import scenario


def test_a_database_at_0004_with_a_week_and_a_plan_upgrades_with_nothing_lost(
    tmp_path: Path,
) -> None:
    engine = engine_from_url(tmp_path / "old.db")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    with Session(engine) as session:
        week = import_scenario(scenario(), session=session)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO plan (week, name, version, status, solver_status, stats, scenario_id, "
            "created_at) VALUES ('2026-W50', 'Testuge', 1, 'draft', 'feasible', '{}', :week, "
            "'2026-12-01 10:00:00')"
        ), {"week": week})  # fmt: skip
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    with Session(engine) as session:
        plans = session.exec(text("SELECT id FROM plan")).all()  # type: ignore[call-overload]
        plan = session.get(Plan, plans[0][0])
        assert plan is not None
        assert (plan.version, plan.status, plan.revision, plan.stale) == (1, "draft", 0, False)
        assert plan.scenario_id == week
    engine.dispose()
