"""Alembic's entry point: runs the migrations on the connection `planner.db.engine.migrate`
hands over.

Without one (the `alembic` command line, with `sqlalchemy.url` set) it connects by itself.
"""

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import planner.db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from planner.db.engine import engine_from_url

config = context.config
target_metadata = SQLModel.metadata


def run_offline() -> None:
    """Print the SQL instead of running it (`alembic upgrade head --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = engine_from_url(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            run_on(connection)
    else:
        run_on(connection)


def run_on(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode alters a SQLite table by building a new one, copying the rows and dropping
        # the old: with foreign keys on, that drop would cascade and delete every row pointing at
        # the table (altering `plan` emptied `appointment`). Off for the migration, checked after;
        # the engine turns them on again at the connection's next checkout.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    # Batch mode lets later migrations alter columns on SQLite too.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left rows with broken references: {broken[:5]}")


if context.is_offline_mode():
    run_offline()
else:
    run_online()
