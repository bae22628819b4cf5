"""The commands that run the app: `planner demo` (run as a user would, in its own process),
`planner user` and `planner export` (in this process, through typer's runner)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner, Result

import web.cli  # noqa: F401  (adds the app's commands to `planner`)
from planner.cli import app
from planner.db.engine import engine_from_url
from planner.db.models import Attendance, Centre, Plan, Scenario
from planner.security.accounts import authenticate
from planner.tools.demo import coming_week


def planner(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def command(*args: str, **env: str) -> Result:
    """`planner ARGS` in this process (in the test's own folder: see `in_tmp_path`)."""
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a command writes beside it lands in the test's folder, not the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.mark.slow  # builds the demo register: six weeks and a solve
def test_demo_makes_a_published_coming_week_and_accounts(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = planner(
        "demo", "--no-serve", "--db", str(db), "--time-limit", "3",
        cwd=tmp_path, PLANNER_DEMO_PASSWORD="demo-adgangskode",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    engine = engine_from_url(db)
    with Session(engine) as session:
        weeks = session.exec(select(Scenario).order_by(col(Scenario.week))).all()
        plans = session.exec(select(Plan)).all()
        phones = {c.phone for c in session.exec(select(Centre)).all()}
        assert weeks[-1].week == coming_week(date.today())
        assert len(weeks) == 7  # six weeks of history and the coming week
        assert [(p.version, p.status) for p in plans] == [(1, "published")] * 7
        assert session.exec(select(func.count()).select_from(Attendance)).one() > 0
        assert phones == {"89 59 30 11"}
        for username in ("koordinator", "terapeut"):
            assert authenticate(username, "demo-adgangskode", session=session) is not None


@pytest.mark.slow  # builds the demo register twice
def test_demo_prints_a_made_up_password_once(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    env = {"PLANNER_DEMO_PASSWORD": ""}
    first = planner("demo", "--no-serve", "--db", db, "--time-limit", "1", cwd=tmp_path, **env)
    again = planner("demo", "--no-serve", "--db", db, "--time-limit", "1", cwd=tmp_path, **env)

    assert "Accounts koordinator, terapeut made with password: " in first.stderr
    assert "password:" not in again.stderr
    assert "already exist; passwords kept" in again.stderr


def test_user_adds_an_account_or_names_the_bad_field(tmp_path: Path) -> None:
    db = str(tmp_path / "users.db")
    made = command("user", "karen", "--role", "coordinator", "--db", db,
                   PLANNER_PASSWORD="lang-hemmelig-kode-1")  # fmt: skip
    short = command("user", "bo", "--role", "coordinator", "--db", db,
                    PLANNER_PASSWORD="kort")  # fmt: skip

    assert made.exit_code == 0, made.stderr
    assert (short.exit_code, short.stderr.splitlines()[-1]) == (
        2,
        "  - password: Adgangskoden skal være mindst 10 tegn",
    )
    with Session(engine_from_url(db)) as session:
        assert authenticate("karen", "lang-hemmelig-kode-1", session=session) is not None


def test_export_writes_every_stored_week_into_the_folder(tmp_path: Path) -> None:
    from planner.db.engine import migrate
    from planner.db.store import import_scenario
    from tests.factories import scenario

    db = tmp_path / "run.db"
    engine = engine_from_url(db)
    migrate(engine)
    with Session(engine) as session:
        import_scenario(scenario(), session=session)
    engine.dispose()

    done = command("export", "--db", str(db), "--dir", str(tmp_path / "out"))

    assert (done.exit_code, done.stderr) == (
        0,
        f"1 week written to {tmp_path / 'out'} (0 with a published plan)\n",
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2026-W50.scenario.json"]


def test_user_refuses_weak_passwords_a_missing_role_and_an_unknown_therapist(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "users.db")
    coordinator = ("user", "karen", "--role", "coordinator", "--db", db)
    same_letter = command(*coordinator, PLANNER_PASSWORD="aaaaaaaaaa")
    username = command(*coordinator, PLANNER_PASSWORD="karen-er-her-1")
    common = command(*coordinator, PLANNER_PASSWORD="password123")
    no_role = command("user", "bo", "--db", db, PLANNER_PASSWORD="bos-lange-kode")
    nosuch = command("user", "bo", "--role", "therapist", "--therapist", "nosuch", "--db", db,
                     PLANNER_PASSWORD="bos-lange-kode")  # fmt: skip

    assert [(r.exit_code, r.stderr.splitlines()[-1]) for r in (same_letter, username, common)] == [
        (2, "  - password: Adgangskoden skal have mindst 5 forskellige tegn"),
        (2, "  - password: Adgangskoden må ikke indeholde brugernavnet"),
        (2, "  - password: Adgangskoden er for almindelig; vælg en, der er svær at gætte"),
    ]
    assert no_role.exit_code == 2
    assert "--role" in no_role.stderr
    assert (nosuch.exit_code, nosuch.stderr.splitlines()[-1]) == (
        2,
        "  - therapist: no stored week has a therapist nosuch; import the week first",
    )


def test_plan_ahead_plans_the_weeks_in_order_as_drafts(tmp_path: Path) -> None:
    from planner.db.engine import migrate
    from planner.register.store import import_register
    from tests.factories import scenario

    db = tmp_path / "ahead.db"
    engine = engine_from_url(db)
    migrate(engine)
    with Session(engine) as session:
        import_register(scenario(), session=session)
    engine.dispose()

    args = ("--db", str(db), "--first", "2026-W50", "--time-limit", "0")
    done = command("plan-ahead", "--weeks", "2", *args)

    assert (done.exit_code, done.stdout.splitlines()) == (
        0,
        [
            "2026-W50: 2 of 2 sessions placed, draft plan 1",
            "2026-W51: 2 of 2 sessions placed, draft plan 2",
        ],
    )
    engine = engine_from_url(db)
    with Session(engine) as session:
        plans = session.exec(select(Plan).order_by(col(Plan.id))).all()
        assert [(p.week, p.status) for p in plans] == [("2026-W50", "draft"), ("2026-W51", "draft")]
    engine.dispose()

    refused = command("plan-ahead", "--weeks", "5", *args)
    assert (refused.exit_code, refused.stderr) == (
        2,
        "Not planned (1 error):\n  - weeks: plan 1 to 4 weeks ahead, not 5\n",
    )
