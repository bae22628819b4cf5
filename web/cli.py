"""The `planner` command: the planner's commands plus those that run the web app.

`planner demo` makes a ready-to-use embedded database and serves it; `planner serve` serves an
existing database; `planner user` adds accounts. They live here, not in `planner.cli`, because
imports go one way (web -> planner).
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.accounts import AccountError, create_account, find_account
from planner.cli import ProgressLine, app, fail
from planner.cli import main as planner_main
from planner.db import database_url, engine_from_url, migrate
from planner.demo import coming_week, give_centres_phone, moved_to_week, norddjurs
from planner.models import Scenario
from planner.plans import publish
from planner.store import import_scenario, load_problem, save_plan

Port = Annotated[int, typer.Option(help="port to serve on")]
Db = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite file (default planner.db; DATABASE_URL if set)"),
]


@app.command()
def demo(
    db: Db = None,
    port: Port = 8000,
    time_limit: Annotated[float, typer.Option(help="seconds for the first plan")] = 30.0,
    serve_app: Annotated[bool, typer.Option("--serve/--no-serve", help="serve when ready")] = True,
) -> None:
    """Make the demo database (Norddjurs, the coming week planned and published) and serve it."""
    engine = prepared_engine(db)
    with Session(engine) as session:
        week = coming_week(date.today())
        scenario_id = demo_week(session, week, time_limit)
        typer.echo(f"Week {week} (id {scenario_id}) is planned and published.", err=True)
        demo_accounts(session)
    if serve_app:
        run(engine, port)


def prepared_engine(db: Path | None) -> Engine:
    engine = engine_from_url(db) if db is not None else engine_from_url()
    migrate(engine)
    return engine


def demo_week(session: Session, week: str, time_limit: float) -> int:
    """The Norddjurs week moved to `week`, with a published plan (made once, then kept)."""
    from solver.solve import solve

    existing = session.exec(select(Scenario).where(Scenario.week == week)).first()
    if existing is not None and existing.id is not None:
        return existing.id
    scenario_id = import_scenario(moved_to_week(norddjurs(), week), session=session)
    give_centres_phone(scenario_id, session=session)
    problem = load_problem(scenario_id, session=session)
    solution = solve(problem, time_limit, progress=ProgressLine())
    publish(save_plan(scenario_id, solution, session=session), session=session)
    return scenario_id


def demo_accounts(session: Session) -> None:
    """A coordinator and a therapist account; a new password is printed once."""
    password = os.environ.get("PLANNER_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    made = []
    for username, role, therapist in (
        ("koordinator", "coordinator", None),
        ("terapeut", "therapist", "t001"),
    ):
        if find_account(username, session=session) is None:
            name = "Demo-koordinator" if role == "coordinator" else "Anders Krogh"
            create_account(
                username, password, session=session, name=name, role=role, therapist=therapist
            )
            made.append(username)
    if made and "PLANNER_DEMO_PASSWORD" not in os.environ:
        typer.echo(f"Accounts {', '.join(made)} made with password: {password}", err=True)
    elif made:
        typer.echo(f"Accounts {', '.join(made)} made (PLANNER_DEMO_PASSWORD)", err=True)
    else:
        typer.echo("Accounts koordinator and terapeut already exist; passwords kept.", err=True)


@app.command()
def serve(db: Db = None, port: Port = 8000, host: str = "127.0.0.1") -> None:
    """Serve the web app on an existing database (migrated to the newest tables first)."""
    run(prepared_engine(db), port, host)


def run(engine: Engine, port: int, host: str = "127.0.0.1") -> None:
    import uvicorn

    from web.app import create_app

    typer.echo(f"Serving on http://{host}:{port} (database {engine.url})", err=True)
    uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")


@app.command("user")
def add_user(
    username: str,
    role: Annotated[str, typer.Option(help="coordinator or therapist")] = "coordinator",
    therapist: Annotated[str | None, typer.Option(help="therapist id, for a therapist")] = None,
    name: Annotated[str, typer.Option(help="the name shown in the app")] = "",
    db: Db = None,
) -> None:
    """Add an account; the password is asked for (or read from PLANNER_PASSWORD)."""
    password = os.environ.get("PLANNER_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    with Session(prepared_engine(db)) as session:
        try:
            create_account(
                username, password, session=session, name=name, role=role, therapist=therapist
            )
        except AccountError as e:
            raise fail([f"{e.field}: {e}"], "The account was not made") from None
    typer.echo(f"Account {username} ({role}) made in {database_url(db)}", err=True)


def main() -> None:
    planner_main()
