"""The database: which one to use, bringing its tables up to date, and sessions for the web app.

`DATABASE_URL` names the database (PostgreSQL in production, e.g.
`postgresql+psycopg://planner@db/planner`); without it the planner keeps a SQLite file
`planner.db` in the working directory. Tables are made and changed only by the Alembic
migrations in `planner/db/migrations`, never by `create_all`, so every database has the same
history.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

DEFAULT_URL = "sqlite:///planner.db"


def database_url(url: str | Path | None = None) -> str:
    """The caller's URL or SQLite file path, else `DATABASE_URL`, else `sqlite:///planner.db`."""
    chosen = str(url) if url is not None else os.environ.get("DATABASE_URL") or DEFAULT_URL
    return chosen if "://" in chosen else f"sqlite:///{chosen}"


def engine_from_url(url: str | Path | None = None) -> Engine:
    """An engine for the planner's database (see `database_url` for which one)."""
    chosen = database_url(url)
    # SQLite lets one writer in at a time; the others wait this long (seconds) for their turn.
    options = {"connect_args": {"timeout": 30}} if chosen.startswith("sqlite") else {}
    engine = create_engine(chosen, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", enforce_foreign_keys)
        # Again at every checkout: the migrations switch them off on their connection (see
        # migrations/env.py), and a pooled connection must never come back without them.
        event.listen(engine, "checkout", enforce_foreign_keys)
    return engine


def enforce_foreign_keys(connection: Any, *_: Any) -> None:
    """SQLite ignores foreign keys (and so ON DELETE CASCADE) unless told on each connection."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config() -> Config:
    """Alembic's configuration, without an ini file: the migrations ship inside the package."""
    config = Config()
    config.set_main_option("script_location", "planner.db:migrations")
    return config


def migrate(engine: Engine) -> None:
    """Bring the database's tables up to the newest migration (`alembic upgrade head`)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@cache
def default_engine() -> Engine:
    return engine_from_url()


def get_session() -> Iterator[Session]:
    """One session per request, for FastAPI's `Depends(get_session)`."""
    with Session(default_engine()) as session:
        yield session
