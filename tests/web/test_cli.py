"""The commands that run the app: `planner demo`, `planner user` (run as a user would)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from planner.db.engine import engine_from_url
from planner.db.models import Centre, Plan, Scenario
from planner.security.accounts import authenticate
from planner.tools.demo import coming_week


def planner(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_demo_makes_a_published_coming_week_and_accounts(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = planner(
        "demo", "--no-serve", "--db", str(db), "--time-limit", "3",
        cwd=tmp_path, PLANNER_DEMO_PASSWORD="demo-adgangskode",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    engine = engine_from_url(db)
    with Session(engine) as session:
        week = session.exec(select(Scenario)).one()
        plans = session.exec(select(Plan)).all()
        phones = {c.phone for c in session.exec(select(Centre)).all()}
        assert week.week == coming_week(date.today())
        assert [(p.version, p.status) for p in plans] == [(1, "published")]
        assert phones == {"89 59 30 11"}
        for username in ("koordinator", "terapeut"):
            assert authenticate(username, "demo-adgangskode", session=session) is not None


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
    made = planner("user", "karen", "--role", "coordinator", "--db", db, cwd=tmp_path,
                   PLANNER_PASSWORD="lang-hemmelig-kode-1")  # fmt: skip
    short = planner("user", "bo", "--role", "coordinator", "--db", db, cwd=tmp_path,
                    PLANNER_PASSWORD="kort")  # fmt: skip

    assert made.returncode == 0, made.stderr
    assert (short.returncode, short.stderr.splitlines()[-1]) == (
        2,
        "  - password: Adgangskoden skal være mindst 10 tegn",
    )
    with Session(engine_from_url(db)) as session:
        assert authenticate("karen", "lang-hemmelig-kode-1", session=session) is not None


def test_user_refuses_weak_passwords_a_missing_role_and_an_unknown_therapist(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "users.db")
    coordinator = ("user", "karen", "--role", "coordinator", "--db", db)
    same_letter = planner(*coordinator, cwd=tmp_path, PLANNER_PASSWORD="aaaaaaaaaa")
    username = planner(*coordinator, cwd=tmp_path, PLANNER_PASSWORD="karen-er-her-1")
    common = planner(*coordinator, cwd=tmp_path, PLANNER_PASSWORD="password123")
    no_role = planner("user", "bo", "--db", db, cwd=tmp_path, PLANNER_PASSWORD="bos-lange-kode")
    nosuch = planner("user", "bo", "--role", "therapist", "--therapist", "nosuch", "--db", db,
                     cwd=tmp_path, PLANNER_PASSWORD="bos-lange-kode")  # fmt: skip

    assert [(r.returncode, r.stderr.splitlines()[-1]) for r in (same_letter, username, common)] == [
        (2, "  - password: Adgangskoden skal have mindst 5 forskellige tegn"),
        (2, "  - password: Adgangskoden må ikke indeholde brugernavnet"),
        (2, "  - password: Adgangskoden er for almindelig; vælg en, der er svær at gætte"),
    ]
    assert no_role.returncode == 2
    assert "--role" in no_role.stderr
    assert (nosuch.returncode, nosuch.stderr.splitlines()[-1]) == (
        2,
        "  - therapist: no stored week has a therapist nosuch; import the week first",
    )
