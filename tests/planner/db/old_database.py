"""A database at an older migration holding data, made without the old code.

Tests of a migration need a database as an older release left it: its tables at that revision,
with weeks and plans in them. The rows are written by today's code into a scratch database at the
newest revision and copied, column by column, into the tables of the older revision (only the
columns that revision had). The data is therefore what today's import makes, restricted to the
older schema, and the migration under test must bring it back to today's form with nothing lost.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from alembic import command
from sqlalchemy import Engine, MetaData, select, text
from sqlmodel import Session

from planner.db.engine import alembic_config, engine_from_url, migrate

T = TypeVar("T")


def upgrade_to(engine: Engine, revision: str) -> None:
    """Run the migrations up to `revision` (e.g. "0004" or "head")."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def database_at(engine: Engine, revision: str, scratch: Path, fill: Callable[[Session], T]) -> T:
    """Bring the empty `engine` to `revision` and fill it with what `fill` writes today.

    `scratch` is a folder for the newest-revision database the rows are made in; `fill`'s
    result (e.g. the ids it made) is returned.
    """
    source = engine_from_url(scratch / "newest.db")
    migrate(source)
    with Session(source) as session:
        made = fill(session)
    upgrade_to(engine, revision)
    copy_rows(source, engine)
    source.dispose()
    return made


def copy_rows(source: Engine, target: Engine) -> None:
    """Every row of the target's tables from the source, keeping only the target's columns."""
    old, new = MetaData(), MetaData()
    old.reflect(target)
    new.reflect(source)
    with source.connect() as reading, target.begin() as writing:
        for table in old.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = reading.execute(select(new.tables[table.name])).mappings().all()
            kept = [{c.name: row[c.name] for c in table.columns} for row in rows]
            if kept:
                writing.execute(table.insert(), kept)
            if target.dialect.name == "postgresql" and "id" in table.columns:
                # Rows came with their ids: move the id sequence past them.
                writing.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"
                ))  # fmt: skip
