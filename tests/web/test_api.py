"""The JSON API: HTTP Basic for scripts, the same operations as the pages, OpenAPI described."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan_document
from tests.factories import scenario
from tests.web.conftest import PASSWORD, Web


def api(app: FastAPI, username: str = "koord", password: str = PASSWORD) -> TestClient:
    """A script's client: HTTP Basic credentials on every request, no cookies."""
    client = TestClient(app)
    client.auth = (username, password)
    return client


def test_api_without_credentials_is_401(app: FastAPI) -> None:
    response = TestClient(app).get("/api/weeks")

    assert response.status_code == 401
    assert "www-authenticate" not in response.headers  # no browser password prompt


def test_api_with_a_wrong_password_is_401(app: FastAPI) -> None:
    response = api(app, password="forkert").get("/api/weeks")

    assert response.status_code == 401


def test_api_refuses_a_therapist(app: FastAPI) -> None:
    response = api(app, "anders").get("/api/weeks")

    assert response.status_code == 403


def test_api_import_solve_read_and_publish(app: FastAPI) -> None:
    client = api(app)
    doc = scenario()

    week = client.post("/api/weeks", json=doc)
    assert week.status_code == 201
    week_id = week.json()["id"]
    assert client.get(f"/api/weeks/{week_id}/scenario").json() == doc

    job = client.post(f"/api/weeks/{week_id}/solve", json={"time_limit": 5})
    assert job.status_code == 202
    done = client.get(f"/api/jobs/{job.json()['id']}").json()
    assert (done["state"], done["placed"], done["requested"]) == ("done", 2, 2)

    plan: dict[str, Any] = client.get(f"/api/plans/{done['plan_id']}").json()
    assert plan["format"] == "plan/1"
    assert check_plan_document(parse_scenario(doc), plan) == []

    published = client.post(f"/api/plans/{done['plan_id']}/publish")
    assert published.json()["status"] == "published"
    assert client.post(f"/api/plans/{done['plan_id']}/publish").status_code == 409


def test_api_import_of_a_bad_week_lists_every_error(app: FastAPI) -> None:
    doc = scenario()
    doc["referrals"][0]["citizen"] = "c999"
    doc["therapists"][0]["centres"] = ["nowhere"]

    response = api(app).post("/api/weeks", json=doc)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert response.json()["detail"] == [e["message"] for e in errors]
    assert errors == [
        {
            "code": "unknown-id",
            "params": {"what": "centre", "key": "nowhere"},
            "location": "therapists[0] (t01).centres[0]",
            "record": {"list": "therapists", "index": 0, "id": "t01"},
            "field": ["centres", 0],
            "message": 'therapists[0] (t01).centres[0]: unknown centre "nowhere"; use the id of '
            "an existing centre",
        },
        {
            "code": "unknown-id",
            "params": {"what": "citizen", "key": "c999"},
            "location": "referrals[0] (r001).citizen",
            "record": {"list": "referrals", "index": 0, "id": "r001"},
            "field": ["citizen"],
            "message": 'referrals[0] (r001).citizen: unknown citizen "c999"; use the id of an '
            "existing citizen",
        },
    ]
    assert api(app).get("/api/weeks").json() == []


def test_api_errors_are_in_the_language_the_request_accepts(app: FastAPI) -> None:
    doc = scenario()
    doc["therapists"][0]["profession"] = "surgeon"
    client = api(app)

    danish = client.post("/api/weeks", json=doc, headers={"Accept-Language": "da-DK,en;q=0.5"})
    english = client.post("/api/weeks", json=doc, headers={"Accept-Language": "fr, en;q=0.8"})
    missing = client.get("/api/plans/9", headers={"Accept-Language": "da"})

    assert danish.json()["detail"] == [
        "therapists[0] (t01).profession: 'surgeon' kan ikke bruges; vælg en af physio, ot, "
        "assistant"
    ]
    assert english.json()["detail"] == [
        "therapists[0] (t01).profession: 'surgeon' is not one of physio, ot, assistant; use one "
        "of them"
    ]
    assert danish.json()["errors"][0]["code"] == english.json()["errors"][0]["code"]
    assert missing.json()["detail"] == "Plan 9 findes ikke."
    assert client.get("/api/plans/9").json()["detail"] == "Plan 9 does not exist."


def test_api_solve_refuses_a_bad_time_limit(app: FastAPI) -> None:
    client = api(app)
    week_id = client.post("/api/weeks", json=scenario()).json()["id"]

    response = client.post(f"/api/weeks/{week_id}/solve", json={"time_limit": -1})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "code": "text",
            "params": {"text": "Input should be greater than 0"},
            "location": "time_limit",
            "record": None,
            "field": ["time_limit"],
            "message": "time_limit: Input should be greater than 0",
        }
    ]


def test_api_unknown_things_are_404(app: FastAPI) -> None:
    client = api(app)

    assert client.get("/api/plans/9").status_code == 404
    assert client.get("/api/jobs/9").status_code == 404
    assert client.post("/api/weeks/9/solve").status_code == 404


def test_api_with_a_browser_session_needs_the_csrf_header(coordinator: Web, app: FastAPI) -> None:
    refused = coordinator.client.post("/api/weeks", json=scenario())
    accepted = coordinator.client.post(
        "/api/weeks", json=scenario(), headers={"X-CSRF-Token": coordinator.csrf}
    )

    assert (refused.status_code, accepted.status_code) == (403, 201)


def test_openapi_document_describes_the_api(app: FastAPI) -> None:
    assert TestClient(app).get("/api/openapi.json").status_code == 401
    document = api(app).get("/api/openapi.json").json()
    paths = document["paths"]
    refused = paths["/api/weeks"]["post"]["responses"]["422"]["content"]["application/json"]
    problem = document["components"]["schemas"]["ProblemOut"]["properties"]

    assert refused["schema"] == {"$ref": "#/components/schemas/ProblemsOut"}
    assert sorted(problem) == ["code", "field", "location", "message", "params", "record"]

    assert sorted(paths) == [
        "/api/access-log",
        "/api/courses",
        "/api/courses/{referral_id}",
        "/api/jobs/{job_id}",
        "/api/jobs/{job_id}/cancel",
        "/api/plans/{plan_id}",
        "/api/plans/{plan_id}/appointments/{appointment_id}/move",
        "/api/plans/{plan_id}/attendance",
        "/api/plans/{plan_id}/copy",
        "/api/plans/{plan_id}/diff",
        "/api/plans/{plan_id}/publish",
        "/api/plans/{plan_id}/referrals/{referral_id}/slots",
        "/api/plans/{plan_id}/repair",
        "/api/register",
        "/api/register/weeks/{iso_week}",
        "/api/weeks",
        "/api/weeks/{scenario_id}/plans",
        "/api/weeks/{scenario_id}/scenario",
        "/api/weeks/{scenario_id}/solve",
    ]
