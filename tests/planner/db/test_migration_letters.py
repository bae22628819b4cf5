"""Migration 0007 (week changes, letters sent, citizens' e-mail): a database at 0004 holding a
week and a published plan comes through the upgrade with nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlmodel import Session

from planner.db.engine import alembic_config
from planner.db.store import import_scenario, load_problem, load_solution, save_plan
from planner.formats.scenario import parse_scenario
from planner.outputs.letters import plan_letters, record_letters
from planner.plan.versions import publish
from tests.databases import BACKENDS, postgres_engine, sqlite_engine
from tests.factories import scenario
from tests.planner.db.old_database import upgrade_to
from tests.planning import plan

TABLES = ("scenario", "centre", "room", "therapist", "citizen", "referral", "plan", "appointment")


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the backend, not migrated."""
    engines = sqlite_engine(tmp_path) if request.param == "sqlite" else postgres_engine()
    engine = next(engines)
    yield engine
    next(engines, None)


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES
        }


def test_upgrade_from_0004_keeps_weeks_and_plans(database: Engine) -> None:
    doc = scenario()
    solution = plan(doc, time_limit=2)
    upgrade_to(database, "head")
    with Session(database) as session:
        week = import_scenario(doc, session=session)
        plan_id = save_plan(week, solution, session=session)
        publish(plan_id, session=session)
    before = counts(database)
    # Back to 0004 with the data in place, then up again: the upgrade that a live database runs.
    config = alembic_config()
    with database.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")

    upgrade_to(database, "head")

    assert counts(database) == before
    with Session(database) as session:
        assert load_problem(week, session=session) == parse_scenario(doc)
        assert [a.id for a in load_solution(plan_id, session=session).appointments] == [
            a.id for a in solution.appointments
        ]
        run = plan_letters(plan_id, session=session)
        rows = record_letters(plan_id, [x.citizen for x in run.changed], "printed", by="koord",
                              session=session)  # fmt: skip
        assert [r.citizen for r in rows] == ["c001"]
