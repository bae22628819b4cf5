"""Test databases: SQLite (a file per test) and PostgreSQL (a schema per test, dropped after).

PostgreSQL tests are skipped, with the reason, when no server answers at `POSTGRES_URL` (CI
always has one).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from planner.db.engine import engine_from_url, migrate
from planner.db.models import Plan
from planner.db.store import export_plan, load_problem
from planner.formats.validate import check_plan_document
from tests.services import unavailable

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = engine_from_url(tmp_path / "planner.db")
    yield engine
    engine.dispose()


def postgres_engine() -> Iterator[Engine]:
    """An engine whose tables live in a schema of their own, dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = engine_from_url(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        unavailable(f"PostgreSQL at {POSTGRES_URL} is unreachable: {error.orig}")
    # libpq's `options` puts the schema first on the search path of every connection.
    scoped = engine_from_url(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    yield scoped
    scoped.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def backend_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated database of the given backend."""
    engines = sqlite_engine(tmp_path) if backend == "sqlite" else postgres_engine()
    engine = next(engines)
    migrate(engine)
    yield engine
    next(engines, None)


def stored_plan_violations(engine: Engine, plan_id: int) -> list[str]:
    """The validator's verdict on a stored plan (as plan/1 against its stored week): [] when clean.

    Every test that makes or changes a plan through the app checks the result with it.
    """
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        problem = load_problem(plan.scenario_id, session=session)
        doc = export_plan(plan_id, session=session)
    return [f"{v.rule}: {v.text()}" for v in check_plan_document(problem, doc)]
