"""The waiting page's "plan the next weeks": each week a job, in order, as drafts."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from planner.db.models import Plan, Scenario, SolveJob
from planner.register.store import import_register
from tests.databases import stored_plan_violations
from tests.factories import scenario
from tests.web.conftest import Web


def registered(engine: Engine) -> None:
    with Session(engine) as session:
        import_register(scenario(), session=session)


def test_coordinator_plans_the_next_two_weeks_from_the_waiting_page(
    coordinator: Web, engine: Engine
) -> None:
    registered(engine)
    page = coordinator.get("/waiting")
    assert page.status_code == 200
    assert 'action="/waiting/ahead"' in page.text and 'for="ahead-weeks"' in page.text

    response = coordinator.post(
        "/waiting/ahead",
        {"first": "2026-W50", "weeks": "2", "time_limit": "10"},
        follow_redirects=False,
    )

    assert response.status_code == 303, response.text
    with Session(engine) as session:
        jobs = session.exec(select(SolveJob).order_by(col(SolveJob.id))).all()
        weeks = [session.get(Scenario, j.scenario_id).week for j in jobs]  # type: ignore[union-attr]
        first_week = jobs[0].scenario_id
        plans = session.exec(select(Plan).order_by(col(Plan.id))).all()
        assert [(w, j.state) for w, j in zip(weeks, jobs, strict=True)] == [
            ("2026-W50", "done"),
            ("2026-W51", "done"),
        ]
        assert [(p.week, p.status) for p in plans] == [("2026-W50", "draft"), ("2026-W51", "draft")]
        plan_ids = [p.id or 0 for p in plans]
    assert response.headers["location"] == f"/weeks/{first_week}"
    assert [stored_plan_violations(engine, i) for i in plan_ids] == [[], []]


def test_plan_ahead_names_a_bad_count_and_a_bad_week(coordinator: Web, engine: Engine) -> None:
    registered(engine)
    coordinator.get("/waiting")

    five = coordinator.post("/waiting/ahead", {"first": "2026-W50", "weeks": "5"})
    bad_week = coordinator.post("/waiting/ahead", {"first": "uge 50", "weeks": "1"})

    assert five.status_code == 422 and "planlæg 1 til 4 uger frem, ikke 5" in five.text
    assert bad_week.status_code == 422
    assert "&#34;uge 50&#34; er ikke en ISO-uge; skriv den som 2026-W50" in bad_week.text
    with Session(engine) as session:
        assert session.exec(select(SolveJob)).all() == []


def test_plan_ahead_is_for_coordinators(therapist: Web) -> None:
    therapist.get("/attendance")
    response = therapist.post("/waiting/ahead", {"first": "2026-W50", "weeks": "1"})
    assert response.status_code == 403
