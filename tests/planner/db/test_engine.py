"""The database layer on both backends: SQLite (a file per test) and PostgreSQL (a fresh schema).

PostgreSQL tests are skipped, with the reason, when no server answers (`tests.databases`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, SQLModel, func, select

from planner.db import engine as db
from planner.db.engine import alembic_config, database_url, engine_from_url, get_session, migrate
from planner.db.models import Scenario
from planner.db.store import import_scenario
from tests.databases import BACKENDS, POSTGRES_URL, backend_engine
from tests.factories import scenario


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine(request.param, tmp_path)


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per planner table."""
    with Session(engine) as session:
        return {
            name: session.exec(select(func.count()).select_from(table)).one()
            for name, table in SQLModel.metadata.tables.items()
        }


# --- migrations -------------------------------------------------------------------------------


def test_migrate_creates_every_table(database: Engine) -> None:
    tables = set(inspect(database).get_table_names())

    assert tables == {*SQLModel.metadata.tables, "alembic_version"}


def test_migrate_creates_every_column(database: Engine) -> None:
    found = inspect(database)

    for name, table in SQLModel.metadata.tables.items():
        columns = {column["name"] for column in found.get_columns(name)}
        assert columns == set(table.columns.keys()), name


def test_migrate_twice_is_harmless(database: Engine) -> None:
    migrate(database)

    with database.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert [v for (v,) in versions] == [
        ScriptDirectory.from_config(alembic_config()).get_current_head()
    ]


def test_delete_scenario_removes_everything_it_owns(database: Engine) -> None:
    """All but who its citizens were: a person outlives the week (a re-import keeps the feed)."""
    doc = scenario()
    with Session(database) as session:
        scenario_id = import_scenario(doc, session=session)
        session.delete(session.get(Scenario, scenario_id))
        session.commit()

    left = {name: n for name, n in row_counts(database).items() if n}
    assert left == {"citizen_person": len(doc["citizens"])}


# --- choosing the database --------------------------------------------------------------------


def test_database_url_defaults_to_planner_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)

    assert database_url() == "sqlite:///planner.db"


def test_database_url_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)

    assert database_url() == POSTGRES_URL


def test_database_url_caller_wins_and_path_means_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)

    assert database_url(Path("/tmp/weeks.db")) == "sqlite:////tmp/weeks.db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_engine_from_url_sqlite_enforces_foreign_keys(tmp_path: Path) -> None:
    engine = engine_from_url(tmp_path / "fk.db")

    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_get_session_uses_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'web.db'}")
    db.default_engine.cache_clear()
    try:
        session = next(get_session())
        assert str(session.get_bind().url) == f"sqlite:///{tmp_path / 'web.db'}"
        session.close()
    finally:
        db.default_engine().dispose()
        db.default_engine.cache_clear()


def test_migrate_matches_the_models(database: Engine) -> None:
    with database.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)

    assert differences == []


def test_migrations_downgrade_to_an_empty_database(database: Engine) -> None:
    config = alembic_config()
    with database.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    assert inspect(database).get_table_names() == ["alembic_version"]


def test_foreign_keys_are_on_again_after_the_migrations_turned_them_off(tmp_path: Path) -> None:
    engine = engine_from_url(tmp_path / "keys.db")
    migrate(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
