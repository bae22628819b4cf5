"""Two coordinators at once, over real HTTP against a real uvicorn server, on SQLite and
PostgreSQL: of two changes made from the same plan one wins and the other is told; the stored plan
always passes the validator; publishing checks the plan against the week's data as it is now;
plan versions stay distinct when the same ISO week is solved several times at once."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from planner.db.models import Plan
from planner.db.store import import_scenario
from tests.databases import stored_plan_violations
from tests.factories import scenario
from tests.planner.plan.test_edit import WED
from tests.web.conftest import PASSWORD, Web
from tests.web.live import at_once, basic, client, live_server
from tests.web.test_grid import slot, small_week, solution
from web.app import create_app

COORDINATOR = basic("koord", PASSWORD)
WEDNESDAY_10 = "2026-12-09T10:00:00+01:00"


def move(base: str, plan_id: int, appointment: str, body: dict[str, Any]) -> httpx.Response:
    with client(base, headers=COORDINATOR) as http:
        return http.post(f"/api/plans/{plan_id}/appointments/{appointment}/move", json=body)


def test_two_moves_into_the_same_free_slot_at_once_one_wins_one_is_told(
    app: FastAPI, engine: Engine
) -> None:
    plan_id = small_week(engine)
    same_slot = {"start": WEDNESDAY_10, "therapist": "t02", "room": "auning-b1"}

    with live_server(app) as base:
        answers = at_once([
            lambda: move(base, plan_id, "a0001", same_slot),
            lambda: move(base, plan_id, "a0002", same_slot),
        ])  # fmt: skip

    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409).json()["detail"]
    assert isinstance(refused, list) and len(refused) >= 1
    at_wednesday = [
        a.id for a in solution(engine, plan_id).appointments if (a.day, a.start) == (WED, 600)
    ]
    assert len(at_wednesday) == 1
    assert stored_plan_violations(engine, plan_id) == []


def test_many_changes_at_once_leave_a_valid_plan_and_a_revision_per_change(
    app: FastAPI, engine: Engine
) -> None:
    plan_id = small_week(engine)
    moves = [
        ("a0001", {"start": f"2026-12-{9 + i % 3:02d}T{9 + i // 3:02d}:00:00+01:00",
                   "therapist": "t02", "room": "auning-b1"})
        for i in range(6)
    ] + [
        ("a0002", {"start": f"2026-12-{9 + i % 3:02d}T{9 + i // 3:02d}:00:00+01:00",
                   "therapist": "t02", "room": "auning-b1"})
        for i in range(6)
    ]  # fmt: skip

    with live_server(app) as base:
        answers = at_once([lambda m=m: move(base, plan_id, *m) for m in moves])

    codes = [a.status_code for a in answers]
    assert sorted(set(codes)) <= [200, 409]
    assert codes.count(200) >= 1
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        assert plan.revision == codes.count(200)
    assert stored_plan_violations(engine, plan_id) == []


def test_a_draft_broken_by_a_data_edit_is_marked_and_not_published(
    app: FastAPI, engine: Engine
) -> None:
    plan_id = small_week(engine)  # a0001: t02 on Monday 09:00
    with live_server(app) as base, client(base, headers=COORDINATOR) as http:
        signed = client(base)
        page = signed.get("/login").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        signed.post("/login", data={"username": "koord", "password": PASSWORD,
                                     "csrf_token": token})  # fmt: skip
        with Session(engine) as session:
            scenario_id = session.get(Plan, plan_id).scenario_id  # type: ignore[union-attr]
        form_page = signed.get(f"/weeks/{scenario_id}/therapists/t02/edit").text
        token = form_page.split('"X-CSRF-Token": "')[1].split('"')[0]
        form = {"csrf_token": token, "name": "Terapeut t02", "profession": "physio",
                "centres": ["auning"], "skills": [], "hours_mon": "",
                **{f"hours_{d}": "08:00-16:00" for d in ("tue", "wed", "thu", "fri")},
                "absent": "", "max_minutes": ""}  # fmt: skip
        edited = signed.post(f"/weeks/{scenario_id}/therapists/t02/edit", data=form)
        overview = signed.get(f"/weeks/{scenario_id}?plan={plan_id}").text
        published = http.post(f"/api/plans/{plan_id}/publish")
        signed.close()

    assert edited.status_code == 303, edited.text
    assert "Skal tjekkes: ugens data er ændret, så kladden bryder reglerne" in overview
    assert published.status_code == 409
    assert [e["code"] for e in published.json()["errors"]] == ["therapist-hours"]
    assert published.json()["detail"][0].startswith("therapist-hours: ")
    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        assert (plan.status, plan.stale) == ("draft", True)


def test_six_solves_of_one_iso_week_at_once_get_distinct_versions(engine: Engine) -> None:
    app = create_app(engine, secret_key="test-secret", background_jobs=False)
    with Session(engine) as session:
        weeks = [import_scenario(scenario(), session=session) for _ in range(6)]

    def solve(week: int) -> httpx.Response:
        with client(base, headers=COORDINATOR) as http:
            return http.post(f"/api/weeks/{week}/solve", json={"time_limit": 1})

    with live_server(app) as base:
        answers = at_once([lambda w=w: solve(w) for w in weeks])

    assert [(a.status_code, a.json()["state"]) for a in answers] == [(202, "done")] * 6
    with Session(engine) as session:
        versions = session.exec(select(Plan.version).order_by(col(Plan.version))).all()
    assert list(versions) == [1, 2, 3, 4, 5, 6]


def test_a_page_change_refused_after_the_request_logged_is_a_409_page_not_500(
    coordinator: Web, engine: Engine
) -> None:
    """Found by the load script: the access log's commit expired the signed-in account, and the
    409 page, drawn after the request's session closed, could not read it (500)."""
    plan_id = small_week(engine)
    assert coordinator.post(f"/plans/{plan_id}/publish").status_code in (200, 303)

    moved = coordinator.post(f"/plans/{plan_id}/appointments/a0002/move",
                             slot("2026-12-09", 600, "t02", "auning-b1"))  # fmt: skip

    assert moved.status_code == 409
    assert "er offentliggjort og kan ikke ændres" in moved.text
