"""The API's copy, slots and move calls, and publishing's 409 (exchange-format.md)."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from tests.databases import stored_plan_violations
from tests.web.test_api import api
from tests.web.test_grid import small_week, solution


def test_api_slots_of_a_referral_are_local_timestamps_with_their_place(
    app: FastAPI, engine: Engine
) -> None:
    plan_id = small_week(engine)

    slots = api(app).get(f"/api/plans/{plan_id}/referrals/r001/slots").json()

    assert len(slots) > 10
    assert sorted(slots[0]) == ["centre", "end", "kind", "room", "start", "therapist"]
    assert slots[0]["start"].endswith("+01:00")
    assert {s["kind"] for s in slots} == {"individual"}


def test_api_move_to_a_free_slot_answers_the_plan_and_keeps_it_valid(
    app: FastAPI, engine: Engine
) -> None:
    plan_id = small_week(engine)
    body = {"start": "2026-12-09T10:00:00+01:00", "therapist": "t02", "room": "auning-b1"}

    moved = api(app).post(f"/api/plans/{plan_id}/appointments/a0002/move", json=body)

    assert moved.status_code == 200
    assert moved.json()["format"] == "plan/1"
    a = next(a for a in solution(engine, plan_id).appointments if a.id == "a0002")
    assert (a.day.isoformat(), a.start, a.therapist, a.room) == ("2026-12-09", 600, "t02",
                                                                "auning-b1")  # fmt: skip
    assert stored_plan_violations(engine, plan_id) == []


def test_api_move_that_breaks_a_rule_is_409_with_the_reasons(app: FastAPI, engine: Engine) -> None:
    plan_id = small_week(engine)
    clash = {"start": "2026-12-07T09:00:00+01:00", "therapist": "t02", "room": "auning-sal"}

    refused = api(app).post(f"/api/plans/{plan_id}/appointments/a0002/move", json=clash)

    assert refused.status_code == 409
    assert [e["code"] for e in refused.json()["errors"]] == ["therapist-overlap"]
    assert refused.json()["detail"][0].startswith("therapist-overlap: ")
    assert stored_plan_violations(engine, plan_id) == []


def test_api_move_of_an_unknown_appointment_is_404(app: FastAPI, engine: Engine) -> None:
    plan_id = small_week(engine)
    body = {"start": "2026-12-09T10:00:00+01:00", "therapist": "t02", "room": "auning-b1"}

    answer = api(app).post(f"/api/plans/{plan_id}/appointments/a9999/move", json=body)

    assert answer.status_code == 404


def test_api_copy_of_a_published_plan_is_a_new_draft(app: FastAPI, engine: Engine) -> None:
    plan_id = small_week(engine)
    client = api(app)
    assert client.post(f"/api/plans/{plan_id}/publish").status_code == 200

    copied = client.post(f"/api/plans/{plan_id}/copy")
    again = client.post(f"/api/plans/{copied.json()['id']}/copy")

    assert copied.status_code == 201
    assert (copied.json()["status"], copied.json()["version"]) == ("draft", 2)
    assert again.status_code == 409
    assert stored_plan_violations(engine, copied.json()["id"]) == []
