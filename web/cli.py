"""The `planner` command: the planner's commands plus those that run the web app.

`planner demo` makes a ready-to-use embedded database and serves it; `planner serve` serves an
existing database; `planner user` adds accounts. They live here, not in `planner.cli`, because
imports go one way (web -> planner).
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.cli import ProgressLine, app, fail
from planner.cli import main as planner_main
from planner.db.engine import database_url, engine_from_url, migrate
from planner.db.models import Scenario, Therapist
from planner.security.access import entries, prune
from planner.security.accounts import AccountError, create_account, find_account
from planner.security.signin import prune_attempts
from planner.security.tokens import create_api_token, revoke_api_token
from planner.tools.demo import coming_week, demo_register, improve_in_background

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
    """Make the demo database (the Norddjurs register with six weeks of history, the coming
    week derived from it, planned and published) and serve it."""
    engine = prepared_engine(db)
    with Session(engine) as session:
        week = coming_week(date.today())
        fresh = session.exec(select(Scenario).where(Scenario.week == week)).first() is None
        # Served, the first start answers at once: the coming week is published as first fit
        # plans it and the optimiser runs as a background job while the server starts.
        scenario_id = demo_register(
            week, time_limit, session=session, today=date.today(), progress=ProgressLine(),
            say=lambda text: typer.echo(text, err=True), optimise=not serve_app,
        )  # fmt: skip
        typer.echo(f"Week {week} (id {scenario_id}) is planned and published.", err=True)
        demo_accounts(session)
        if serve_app and fresh:
            improve_in_background(scenario_id, time_limit, session=session)
            typer.echo(
                f"Planning week {week} better ({time_limit:.0f} s) in the background; "
                "its plan becomes a draft on the week's page.",
                err=True,
            )
    if serve_app:
        run(engine, port)


def prepared_engine(db: Path | None) -> Engine:
    engine = engine_from_url(db) if db is not None else engine_from_url()
    migrate(engine)
    return engine


def demo_accounts(session: Session) -> None:
    """A coordinator and a therapist account; a new password is printed once."""
    given = os.environ.get("PLANNER_DEMO_PASSWORD")
    password = given or secrets.token_urlsafe(12)
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
    if made and not given:
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

    with Session(engine) as session:  # the access log keeps entries for its retention time
        prune(session=session)
        prune_attempts(session=session)
    typer.echo(f"Serving on http://{host}:{port} (database {engine.url})", err=True)
    uvicorn.run(create_app(engine), host=host, port=port, log_level="warning")


@app.command("access-log")
def access_log_command(
    citizen: Annotated[str, typer.Argument(help="the citizen's id")],
    db: Db = None,
) -> None:
    """Print one citizen's access-log entries as JSON (for an access request, GDPR art. 15);
    entries older than the retention time (PLANNER_ACCESS_LOG_MONTHS, 6) are pruned first."""
    with Session(prepared_engine(db)) as session:
        prune(session=session)
        typer.echo(json.dumps(entries(citizen, session=session), ensure_ascii=False, indent=1))


@app.command("user")
def add_user(
    username: str,
    role: Annotated[str, typer.Option(help="coordinator or therapist (required)")],
    therapist: Annotated[str | None, typer.Option(help="therapist id, for a therapist")] = None,
    name: Annotated[str, typer.Option(help="the name shown in the app")] = "",
    db: Db = None,
) -> None:
    """Add an account; the password is asked for (or read from PLANNER_PASSWORD)."""
    password = os.environ.get("PLANNER_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    with Session(prepared_engine(db)) as session:
        if (
            therapist is not None
            and not session.exec(select(Therapist.id).where(Therapist.key == therapist)).first()
        ):
            raise fail(
                [f"therapist: no stored week has a therapist {therapist}; import the week first"],
                "The account was not made",
            )
        try:
            create_account(
                username, password, session=session, name=name, role=role, therapist=therapist
            )
        except AccountError as e:
            raise fail([f"{e.field}: {e}"], "The account was not made") from None
    typer.echo(f"Account {username} ({role}) made in {database_url(db)}", err=True)


@app.command("api-token")
def api_token(
    username: str,
    name: Annotated[str, typer.Option(help="what the token is for, e.g. the script")] = "script",
    db: Db = None,
) -> None:
    """Make an API token for an account (`Authorization: Bearer`); it is printed once."""
    with Session(prepared_engine(db)) as session:
        account = find_account(username, session=session)
        if account is None:
            raise fail([f"username: there is no account {username}"], "No token was made")
        token_id, token = create_api_token(account, name, session=session)
    typer.echo(
        f"Token {token_id} for {username} (revoke: planner revoke-token {token_id}):", err=True
    )
    typer.echo(token)


@app.command("revoke-token")
def revoke_token(token_id: int, db: Db = None) -> None:
    """Revoke an API token by its number; it opens nothing any more."""
    with Session(prepared_engine(db)) as session:
        if not revoke_api_token(token_id, session=session):
            raise fail([f"token: there is no live token {token_id}"], "Nothing was revoked")
    typer.echo(f"Token {token_id} revoked", err=True)


@app.command("feed-url")
def feed_url_command(
    kind: Annotated[str, typer.Argument(help="therapist, room, centre, class or citizen")],
    key: Annotated[str, typer.Argument(metavar="ID", help="its id in the stored weeks")],
    db: Db = None,
    base_url: Annotated[
        str,
        typer.Option(envvar="PLANNER_BASE_URL", help="where planner serve/demo is reached"),
    ] = "http://127.0.0.1:8000",
) -> None:
    """Print the subscription link of a calendar feed served by `planner serve`/`planner demo`."""
    from planner.outputs.feeds import FeedError, feed_url
    from planner.security.secret import server_secret

    with Session(prepared_engine(db)) as session:
        try:
            url = feed_url(kind, key, session=session, secret=server_secret(), base_url=base_url)
        except FeedError as e:
            raise fail([str(e)], "No feed link") from None
    typer.echo(url)


@app.command("export")
def export_command(
    folder: Annotated[Path, typer.Option("--dir", help="folder to write the files into")],
    db: Db = None,
) -> None:
    """Write every stored week's scenario/1 and published plan/1 (e.g. 2027-W03.plan.json)."""
    from planner.plan.export import export_weeks

    if folder.exists() and not folder.is_dir():
        raise fail([f"--dir {folder}: not a folder"], "Bad options")
    with Session(prepared_engine(db)) as session:
        written = export_weeks(folder, session=session)
    plans = sum(1 for w in written if w.plan is not None)
    weeks = f"{len(written)} week{'s' if len(written) != 1 else ''}"
    typer.echo(f"{weeks} written to {folder} ({plans} with a published plan)", err=True)


@app.command("plan-ahead")
def plan_ahead_command(
    weeks: Annotated[int, typer.Option(help="how many weeks to plan, 1 to 4")],
    first: Annotated[
        str | None, typer.Option(help="the first ISO week (default: the coming week)")
    ] = None,
    time_limit: Annotated[
        float, typer.Option(help="seconds the optimiser may use a week (0: first fit only)")
    ] = 10.0,
    db: Db = None,
) -> None:
    """Plan the next 1 to 4 weeks from the register in order, each from the week before."""
    from planner.register.ahead import plan_ahead
    from planner.register.store import RegisterError

    if time_limit < 0:
        raise fail(["--time-limit must be 0 (first fit) or more"], "Bad options")
    week = first or coming_week(date.today())
    with Session(prepared_engine(db)) as session:
        try:
            made = plan_ahead(week, weeks, session=session, time_limit=time_limit)
        except RegisterError as e:
            raise fail(e.errors, "Not planned") from None
    for w in made:
        typer.echo(f"{w.week}: {w.placed} of {w.requested} sessions placed, draft plan {w.plan_id}")


@app.command("bench-feed")
def bench_feed(
    db: Annotated[
        Path | None, typer.Option(help="a new SQLite file to keep (default: a temporary one)")
    ] = None,
    scale: Annotated[str, typer.Option(help="generated week: S, M or L")] = "L",
    seed: Annotated[int, typer.Option(help="generator seed")] = 1,
    requests: Annotated[int, typer.Option(help="feed requests to time")] = 300,
) -> None:
    """Time serving the busiest therapist's feed with a generated week planned and published."""
    import tempfile

    from planner.security.secret import server_secret
    from planner.tools.bench_feed import published_generated_week

    if requests < 1 or scale not in ("S", "M", "L"):
        raise fail(["--requests must be at least 1 and --scale one of S, M, L"], "Bad options")
    if db is not None and db.exists():
        raise fail([f"--db {db}: the file exists; name a new file"], "Bad options")
    with tempfile.TemporaryDirectory() as folder:
        engine = prepared_engine(db or Path(folder) / "bench-feed.db")
        week = published_generated_week(engine, scale, seed, server_secret())
        typer.echo(
            f"{scale} week: {week.appointments} appointments planned in {week.plan_seconds:.1f} s,"
            f" published (feeds recorded) in {week.publish_seconds:.1f} s;"
            f" therapist {week.therapist} has {week.events} events",
            err=True,
        )
        timings = time_feed(engine, week.path, requests)
        engine.dispose()
    typer.echo(f"{requests} requests of each kind, through the app with its middleware:")
    for label, values in zip(("feed", "feed, built afresh", "304"), timings, strict=True):
        typer.echo(f"  {label:<20} median {median(values):6.2f} ms   p95 {p95(values):6.2f} ms")


def time_feed(
    engine: Engine, path: str, requests: int
) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds per request through the whole app (middleware included): the feed as
    subscribers poll it, the same built afresh each time (no cached calendar), and a 304."""
    import time

    from fastapi.testclient import TestClient

    from planner.outputs.feeds import calendar_bytes
    from planner.security.secret import server_secret
    from web.app import create_app

    client = TestClient(create_app(engine, secret_key=server_secret()))
    first = client.get(path)
    if first.status_code != 200:
        raise fail([f"GET {path} answered {first.status_code}"], "The feed is not served")
    etag = first.headers["etag"]
    full, cold, unchanged = [], [], []
    for _ in range(requests):
        began = time.perf_counter()
        assert client.get(path).status_code == 200
        full.append((time.perf_counter() - began) * 1000)
        calendar_bytes.cache_clear()
        began = time.perf_counter()
        assert client.get(path).status_code == 200
        cold.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        unchanged.append((time.perf_counter() - began) * 1000)
    return full, cold, unchanged


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    planner_main()


if __name__ == "__main__":
    main()
