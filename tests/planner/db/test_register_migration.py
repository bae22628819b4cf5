"""Migration 0005 (the register): a database at 0004 with weeks and plans upgrades, nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect
from sqlmodel import Session

from planner.db.engine import engine_from_url, migrate
from planner.db.store import export_plan, export_scenario, import_scenario, save_plan
from planner.formats.scenario import parse_scenario
from planner.register.store import import_register
from solver.solve import solve
from tests.databases import BACKENDS, postgres_engine
from tests.factories import scenario
from tests.planner.db.old_database import database_at

REGISTER_TABLES = {
    "register_info", "register_centre", "register_room", "register_therapist",
    "register_absence", "register_package", "register_class", "register_citizen", "course",
    "course_status_change", "attendance",
}  # fmt: skip


@pytest.fixture(params=BACKENDS)
def bare(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database with no tables yet."""
    if request.param == "sqlite":
        engine = engine_from_url(tmp_path / "old.db")
        yield engine
        engine.dispose()
    else:
        yield from postgres_engine()


def test_upgrade_from_0004_keeps_every_week_and_plan(bare: Engine, tmp_path: Path) -> None:
    doc = scenario()

    def fill(session: Session) -> tuple[int, int, dict, dict]:
        scenario_id = import_scenario(doc, session=session)
        solution = solve(parse_scenario(doc), time_limit=1, optimise=False)
        plan_id = save_plan(scenario_id, solution, session=session, status="published")
        week = export_scenario(scenario_id, session=session)
        return scenario_id, plan_id, week, export_plan(plan_id, session=session)

    scenario_id, plan_id, week_before, plan_before = database_at(bare, "0004", tmp_path, fill)
    assert REGISTER_TABLES & set(inspect(bare).get_table_names()) == set()

    migrate(bare)

    assert set(inspect(bare).get_table_names()) >= REGISTER_TABLES
    with Session(bare) as session:
        assert export_scenario(scenario_id, session=session) == week_before
        assert export_plan(plan_id, session=session) == plan_before
        assert import_register(doc, session=session)["referrals"] == 1
