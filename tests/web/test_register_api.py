"""The register's API: load, add courses, the waiting list, derive a week, attendance."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from planner.formats.scenario import check_scenario
from tests.databases import stored_plan_violations
from tests.factories import citizen, referral, scenario
from tests.web.test_api import api


def solved_and_published(client: Any, week_id: int) -> int:
    job = client.post(f"/api/weeks/{week_id}/solve", json={"time_limit": 2}).json()
    assert job["state"] == "done", job
    plan_id = job["plan_id"]
    assert client.post(f"/api/plans/{plan_id}/publish").status_code == 200
    return int(plan_id)


def test_register_api_derive_plan_attend_and_read_the_course(app: FastAPI, engine: Engine) -> None:
    client = api(app)
    assert client.post("/api/register", json=scenario()).json() == {
        "centres": 1, "rooms": 2, "therapists": 1, "packages": 1, "classes": 0,
        "citizens": 1, "referrals": 1,
    }  # fmt: skip
    added = client.post(
        "/api/courses",
        json={"citizen": citizen("c002"), "referral": referral("r002", "c002"),
              "granted": "2026-11-30", "priority": 1},
    )  # fmt: skip
    assert added.status_code == 201, added.text
    assert [c["id"] for c in client.get("/api/courses?status=waiting").json()] == ["r002", "r001"]

    week = client.post("/api/register/weeks/2026-W50", json={})
    assert week.status_code == 201, week.text
    week_id = week.json()["id"]
    assert week.json()["week"] == "2026-W50"
    assert check_scenario(client.get(f"/api/weeks/{week_id}/scenario").json()) == []
    plan_id = solved_and_published(client, week_id)
    assert stored_plan_violations(engine, plan_id) == []

    plan = client.get(f"/api/plans/{plan_id}").json()
    first = next(a for a in plan["appointments"] if a.get("referral") == "r001")
    body = {"appointment": first["id"], "referral": "r001", "status": "delivered"}
    once = client.post(f"/api/plans/{plan_id}/attendance", json=body)
    twice = client.post(f"/api/plans/{plan_id}/attendance", json=body)
    assert (once.status_code, once.json()["changed"]) == (200, True)
    assert (twice.status_code, twice.json()["changed"]) == (200, False)

    marked = client.get(f"/api/plans/{plan_id}").json()
    assert [a.get("attendance") for a in marked["appointments"] if a["id"] == first["id"]] == [
        {"r001": "delivered"}
    ]
    record = client.get("/api/courses/r001").json()
    assert (record["status"], record["delivered"], record["remaining"]) == ("active", 1, 14)
    assert record["first_session"] == first["start"][:10]
    assert [a["attendance"] for a in record["appointments"]] == ["delivered", None]


def test_register_api_errors_name_the_field(app: FastAPI) -> None:
    client = api(app)
    bad = client.post("/api/register", json=scenario(referrals=[referral(package="XX")]))
    client.post("/api/register", json=scenario())
    unknown = client.get("/api/courses/r999")
    week = client.post("/api/register/weeks/2026-50", json={})
    body = {"appointment": "a0001", "referral": "r001", "status": "maybe"}
    status = client.post("/api/plans/1/attendance", json=body)

    assert bad.status_code == 422 and "package" in str(bad.json()["detail"])
    assert unknown.status_code == 404
    assert week.status_code == 422 and "week" in str(week.json()["detail"])
    assert status.status_code == 422 and "status" in str(status.json()["detail"])


def test_register_api_attendance_on_a_draft_is_409(app: FastAPI) -> None:
    client = api(app)
    client.post("/api/register", json=scenario())
    week_id = client.post("/api/register/weeks/2026-W50", json={}).json()["id"]
    job = client.post(f"/api/weeks/{week_id}/solve", json={"time_limit": 1}).json()
    plan = client.get(f"/api/plans/{job['plan_id']}").json()
    body = {"appointment": plan["appointments"][0]["id"], "referral": "r001",
            "status": "delivered"}  # fmt: skip

    assert client.post(f"/api/plans/{job['plan_id']}/attendance", json=body).status_code == 409


def test_register_api_two_clients_register_the_same_session_at_once(
    app: FastAPI, engine: Engine
) -> None:
    client = api(app)
    client.post("/api/register", json=scenario())
    week_id = client.post("/api/register/weeks/2026-W50", json={}).json()["id"]
    plan_id = solved_and_published(client, week_id)
    [first, *_] = client.get(f"/api/plans/{plan_id}").json()["appointments"]
    answers: list[int] = []

    def register(status: str) -> None:
        body = {"appointment": first["id"], "referral": "r001", "status": status}
        answers.append(api(app).post(f"/api/plans/{plan_id}/attendance", json=body).status_code)

    threads = [threading.Thread(target=register, args=(s,)) for s in ("delivered", "no-show")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    record = client.get("/api/courses/r001").json()

    assert answers == [200, 200]
    assert record["appointments"][0]["attendance"] in ("delivered", "no-show")
    assert record["delivered"] == (
        1 if record["appointments"][0]["attendance"] == "delivered" else 0
    )


def test_register_api_is_in_the_openapi_document(app: FastAPI) -> None:
    paths = api(app).get("/api/openapi.json").json()["paths"]

    wanted = {
        "/api/register", "/api/courses", "/api/courses/{referral_id}",
        "/api/register/weeks/{iso_week}", "/api/plans/{plan_id}/attendance",
    }  # fmt: skip
    assert wanted <= set(paths)
