"""The access log: reads and changes of a citizen's data in the API, pages, letters and feeds are
recorded with who, when, what and which citizen; one citizen's entries come out for an access
request; old entries are pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import AccessLogEntry
from planner.security.access import prune, record
from tests.web.conftest import StoredWeek, Web
from tests.web.test_api import api
from tests.web.test_grid import small_week


def test_api_reads_and_moves_are_logged_and_exported_per_citizen(
    app: FastAPI, engine: Engine
) -> None:
    plan_id = small_week(engine)  # a0002 is r001's, of citizen c001
    client = api(app)
    client.get(f"/api/plans/{plan_id}")
    body = {"start": "2026-12-09T10:00:00+01:00", "therapist": "t02", "room": "auning-b1"}
    client.post(f"/api/plans/{plan_id}/appointments/a0002/move", json=body)

    log = client.get("/api/access-log", params={"citizen": "c001"}).json()
    other = client.get("/api/access-log", params={"citizen": "c002"}).json()

    assert [(e["account"], e["action"], e["what"], e["citizen"]) for e in log] == [
        ("koord", "read", f"GET /api/plans/{plan_id}", "c001"),
        ("koord", "change", f"POST /api/plans/{plan_id}/appointments/a0002/move", "c001"),
    ]
    assert sorted(log[0]) == ["account", "action", "at", "citizen", "what"]
    assert [e["what"] for e in other] == [f"GET /api/plans/{plan_id}"]


def test_pages_and_letters_are_logged(coordinator: Web, engine: Engine) -> None:
    plan_id = small_week(engine)
    coordinator.get(f"/plans/{plan_id}/referrals/r001")
    coordinator.get(f"/plans/{plan_id}/appointments/a0001")  # r002's: citizen c002

    with Session(engine) as session:
        rows = session.exec(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()  # type: ignore[arg-type]
    assert [(r.action, r.what, r.citizen) for r in rows] == [
        ("read", f"GET /plans/{plan_id}/referrals/r001", "c001"),
        ("read", f"GET /plans/{plan_id}/appointments/a0001", "c002"),
    ]


def test_a_citizen_letter_is_logged(
    coordinator: Web, engine: Engine, norddjurs: StoredWeek
) -> None:
    coordinator.post(f"/plans/{norddjurs.plan_id}/publish")
    coordinator.get(f"/plans/{norddjurs.plan_id}/citizens/c0001/letter")

    with Session(engine) as session:
        rows = session.exec(select(AccessLogEntry)).all()
    assert [(r.account, r.what, r.citizen) for r in rows] == [
        ("koord", f"GET /plans/{norddjurs.plan_id}/citizens/c0001/letter", "c0001")
    ]


def test_entries_older_than_the_retention_are_pruned(engine: Engine) -> None:
    with Session(engine) as session:
        record("koord", "read", "GET /x", ["c001"], session=session)
        pruned_now = prune(session=session)
        later = datetime.now(UTC) + timedelta(days=181)
        pruned_later = prune(session=session, now=later)

    assert (pruned_now, pruned_later) == (0, 1)
