"""Test databases: SQLite (a file per test) and PostgreSQL (a database per test, dropped after),
each a copy of a template migrated once per test process.

PostgreSQL tests are skipped, with the reason, when no server answers at `POSTGRES_URL` (CI
always has one).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
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


Fill = Callable[[Engine], Any]


def migrated(engine: Engine) -> None:
    """The empty template: the tables and nothing in them."""


def backend_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated database of the given backend."""
    for engine, _ in filled_engine(backend, tmp_path, migrated):
        yield engine


def filled_engine(backend: str, tmp_path: Path, fill: Fill) -> Iterator[tuple[Engine, Any]]:
    """A migrated database holding what `fill` stores, and what `fill` returned.

    The migrations and `fill` run once per test process and backend (a template); each test gets
    a copy of it: a copied file on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.
    """
    if backend == "sqlite":
        yield from sqlite_copy(tmp_path, fill)
    else:
        yield from postgres_copy(fill)


TEMPLATES: dict[tuple[str, Fill], tuple[str, Any]] = {}


def sqlite_copy(tmp_path: Path, fill: Fill) -> Iterator[tuple[Engine, Any]]:
    key = ("sqlite", fill)
    if key not in TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="planner-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "template.db"
        engine = engine_from_url(template)
        migrate(engine)
        value = fill(engine)
        engine.dispose()
        TEMPLATES[key] = (str(template), value)
    template, value = TEMPLATES[key]
    copy = tmp_path / "planner.db"
    shutil.copyfile(template, copy)
    engine = engine_from_url(copy)
    yield engine, value
    engine.dispose()


def postgres_admin() -> Engine:
    """Connects to the server's `test` database to create and drop the tests' databases."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except OperationalError as error:
        admin.dispose()
        unavailable(f"PostgreSQL at {POSTGRES_URL} is unreachable: {error.orig}")
    return admin


def database_url(name: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


def postgres_copy(fill: Fill) -> Iterator[tuple[Engine, Any]]:
    admin = postgres_admin()
    key = ("postgresql", fill)
    if key not in TEMPLATES:
        template = f"planner_template_{os.getpid()}_{len(TEMPLATES)}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{template}"'))
        atexit.register(drop_database, template)
        engine = engine_from_url(database_url(template))
        migrate(engine)
        value = fill(engine)
        engine.dispose()  # a template is copied only while nobody is connected to it
        TEMPLATES[key] = (template, value)
    template, value = TEMPLATES[key]
    admin.dispose()
    for engine in postgres_engine(template):
        yield engine, value


def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty SQLite database, without tables (for the migrations' own tests)."""
    engine = engine_from_url(tmp_path / "planner.db")
    yield engine
    engine.dispose()


def postgres_engine(template: str | None = None) -> Iterator[Engine]:
    """A PostgreSQL database of its own, empty or a copy of `template`, dropped afterwards."""
    admin = postgres_admin()
    name = f"planner_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    admin.dispose()
    engine = engine_from_url(database_url(name))
    yield engine
    engine.dispose()
    # Dropping a database waits for a checkpoint: do it beside the next tests, not before them.
    dropping = threading.Thread(target=drop_database, args=(name,))
    dropping.start()
    DROPS.append(dropping)


DROPS: list[threading.Thread] = []


def drop_database(name: str) -> None:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@atexit.register
def finish_drops() -> None:
    for dropping in DROPS:
        dropping.join()


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
