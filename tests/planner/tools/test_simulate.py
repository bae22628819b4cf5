"""`planner simulate`: the whole loop on a tiny municipality, and its rules over the run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import Plan
from planner.register.store import courses
from planner.tools.simulate import RATES, Result, draw_status, plan_checks, simulate
from tests.databases import backend_engine, stored_plan_violations


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Result, list[str]]]:
    lines: list[str] = []
    for engine in backend_engine("sqlite", tmp_path_factory.mktemp("simulate")):
        with Session(engine) as session:
            result = simulate(
                session=session, weeks=2, scale="XS", seed=3, start="2027-W02", time_limit=0,
                echo=lines.append,
            )  # fmt: skip
        yield engine, result, lines


def test_simulate_runs_two_weeks_with_a_row_a_week(run: tuple[Engine, Result, list[str]]) -> None:
    _engine, result, lines = run
    assert [r.week for r in result.rows] == ["2027-W02", "2027-W03"]
    assert len(lines) == 3  # the header and a row a week
    assert lines[0].split()[:3] == ["week", "waiting", "active"]
    assert [line.split()[0] for line in lines[1:]] == ["2027-W02", "2027-W03"]


def test_simulate_keeps_every_rule_of_the_run(run: tuple[Engine, Result, list[str]]) -> None:
    _engine, result, _lines = run
    assert {rule: broken for rule, broken in result.invariants.items()} == {
        "no course delivers more than its package": [],
        "every course starts with an individual session": [],
        "every SUL §140 start that capacity allowed came within 7 days": [],
        "waiting courses start in the waiting list's order": [],
    }
    assert [r.violations for r in result.rows] == [0, 0]
    assert result.ok


def test_simulate_publishes_valid_plans_and_registers_their_attendance(
    run: tuple[Engine, Result, list[str]],
) -> None:
    engine, result, _lines = run
    with Session(engine) as session:
        plans = session.exec(select(Plan).where(Plan.status == "published")).all()
        new = [c for c in courses(session=session) if c.key.startswith("r-sim")]
    assert sorted(p.week for p in plans) == ["2027-W02", "2027-W03"]
    assert [stored_plan_violations(engine, p.id or 0) for p in plans] == [[], []]
    assert len(new) == result.rows[1].arrived > 0
    assert all(r.delivered > 0 for r in result.rows)


def test_simulate_grants_new_courses_before_their_week(
    run: tuple[Engine, Result, list[str]],
) -> None:
    engine, _result, _lines = run
    with Session(engine) as session:
        new = [c for c in courses(session=session) if c.key.startswith("r-sim")]
    assert max(c.granted for c in new).isoformat() < "2027-01-18"  # Monday of week 3


def test_arrivals_are_a_third_sul_140_discharged_days_before_the_week() -> None:
    import random
    from datetime import date

    from planner.tools.simulate import arrivals

    sul = ({"id": "c1", "name": "A"}, [{"id": "r1", "citizen": "c1", "package": "SUL140-C",
                                        "intro": True, "delivered": 0}])  # fmt: skip
    other = ({"id": "c2", "name": "B"}, [{"id": "r2", "citizen": "c2", "package": "TG1"}])
    made = arrivals(random.Random(2), ([sul], [other]), 300, "2027-W03", 0)

    monday = date(2027, 1, 18)
    discharged = [r["discharged"] for _, r, _ in made if r["discharged"]]
    assert len(made) == 300
    assert 80 <= len(discharged) <= 120
    assert {(monday - date.fromisoformat(d)).days for d in discharged} == {1, 2, 3, 4, 5}
    assert all(granted < monday for _, _, granted in made)
    assert all("intro" not in r and r["citizen"] == c["id"] for c, r, _ in made)
    assert len({r["id"] for _, r, _ in made}) == 300


def test_draw_status_follows_the_rates() -> None:
    import random

    rng = random.Random(1)
    drawn = [draw_status(rng, RATES) for _ in range(20000)]
    shares = {s: round(drawn.count(s) / len(drawn), 2) for s in RATES}
    assert shares == {
        "delivered": 0.88,
        "cancelled-by-citizen": 0.05,
        "no-show": 0.04,
        "cancelled-by-centre": 0.03,
    }


def test_simulate_command_rejects_bad_options(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from planner.cli import app

    result = CliRunner().invoke(app, ["simulate", "--scale", "XXL", "--weeks", "0"])
    assert result.exit_code == 2
    assert "--scale must be one of XS, S, M, L, XL, not 'XXL'" in result.output
    assert "--weeks must be at least 1" in result.output


def test_plan_checks_find_a_late_start_with_a_free_place_and_an_out_of_order_start() -> None:
    """A plan made by hand that starts r002 (second on the waiting list) in the hour r001
    (first) could have, and a SUL §140 start on Thursday while Monday is free."""
    from planner.formats.scenario import parse_scenario
    from solver.problem import Appointment, Solution
    from tests import factories as f

    hours = {"mon": [["08:00", "10:00"]], "thu": [["08:00", "09:00"]]}
    first = f.referral("r001", "c001", sessions_per_week=1, session_minutes=60)
    second = f.referral("r002", "c002", sessions_per_week=1, session_minutes=60)
    sul = f.referral(
        "r003", "c003", sessions_per_week=1, session_minutes=60, intro=True,
        discharged="2026-12-01",
    )  # fmt: skip
    doc = f.scenario(
        therapists=[f.therapist(hours=hours)],
        citizens=[f.citizen("c001"), f.citizen("c002"), f.citizen("c003")],
        referrals=[sul, first, second],
    )
    problem = parse_scenario(doc)
    monday, thursday = problem.days[0].date, problem.days[3].date
    room = "auning-b1"
    appointments = (
        Appointment("a1", "individual", "t01", "auning", monday, 480, 540, "r002", room=room),
        Appointment("a2", "individual", "t01", "auning", thursday, 480, 540, "r003", room=room),
    )

    late, order = plan_checks(problem, Solution("feasible", appointments))

    assert late == ["r003: 2026-12-07 09:00 with t01"]
    assert order == ["r002 holds a place r001 could take"]
