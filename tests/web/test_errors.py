"""The app maps the product's exceptions once: NotFound is 404 and PlanStateError 409, said in
the reader's language (a page, or JSON under /api/); any other LookupError stays a bug (500).
And htmx: a history restore gets the whole page, a page that can answer with a fragment says so
in Vary."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from planner.errors import NotFound, PlanStateError
from planner.formats.scenario import ScenarioError, scenario_errors
from solver.problem import Message
from tests.factories import scenario
from tests.web.conftest import Web
from tests.web.test_grid import small_week
from web.deps import refused


def raising(app: FastAPI, path: str, error: Exception) -> None:
    def route() -> None:
        raise error

    app.add_api_route(path, route)


def test_not_found_is_a_404_page_in_danish(app: FastAPI) -> None:
    raising(app, "/missing", NotFound("referral", "r999"))
    response = TestClient(app).get("/missing")

    assert (response.status_code, response.headers["content-type"][:9]) == (404, "text/html")
    assert "Henvisning r999 findes ikke." in response.text


def test_not_found_is_a_404_page_in_english_for_an_english_reader(app: FastAPI) -> None:
    raising(app, "/missing", NotFound("referral", "r999"))
    client = TestClient(app)
    client.cookies.set("lang", "en")
    response = client.get("/missing")

    assert response.status_code == 404
    assert "Referral r999 does not exist." in response.text
    assert "findes ikke" not in response.text


def test_not_found_under_the_api_is_json_with_the_code(app: FastAPI) -> None:
    raising(app, "/api/missing", NotFound("plan", 12))
    response = TestClient(app).get("/api/missing")  # the API speaks English unless asked

    assert (response.status_code, response.json()) == (
        404,
        {
            "detail": "Plan 12 does not exist.",
            "code": "not-found",
            "params": {"what": "plan", "key": "12"},
        },
    )


def test_a_refused_field_is_said_in_the_readers_language(app: FastAPI) -> None:
    raising(app, "/bad", refused(422, "form.date", field="day"))
    raising(app, "/api/bad", refused(422, "form.date", field="day"))
    client = TestClient(app)
    danish = client.get("/bad")
    client.cookies.set("lang", "en")
    english = client.get("/bad")
    api = client.get("/api/bad", headers={"Accept-Language": "da"})

    assert danish.status_code == english.status_code == api.status_code == 422
    assert "Feltet &#39;day&#39; skal være en dato som 2026-12-07." in danish.text
    assert "The field &#39;day&#39; must be a date such as 2026-12-07." in english.text
    assert "skal være" not in english.text
    assert api.json()["errors"] == [
        {
            "code": "form.date",
            "params": {"field": "day"},
            "location": "day",
            "record": None,
            "field": ["day"],
            "message": "day: Feltet 'day' skal være en dato som 2026-12-07.",
        }
    ]


def test_a_bad_scenario_is_a_422_page_listing_each_error_in_the_readers_language(
    app: FastAPI,
) -> None:
    doc = scenario()
    doc["referrals"][0]["citizen"] = "c999"
    raising(app, "/import", ScenarioError(scenario_errors(doc)))
    client = TestClient(app)
    client.cookies.set("lang", "en")
    response = client.get("/import")

    assert response.status_code == 422
    assert "Nothing was stored: there is 1 error. Fix it and try again." in response.text
    assert "referrals[0] (r001).citizen: unknown citizen" in response.text


def test_plan_state_error_is_a_409_page(app: FastAPI) -> None:
    message = Message("plan.read-only", {"version": 3, "status": "published"})
    raising(app, "/locked", PlanStateError(message))
    response = TestClient(app).get("/locked")

    assert response.status_code == 409
    assert "Plan version 3 er offentliggjort og kan ikke ændres." in response.text


def test_a_plain_lookup_error_stays_a_500_bug(app: FastAPI) -> None:
    raising(app, "/bug", KeyError("r001"))
    raising(app, "/bug2", LookupError("no such thing"))
    client = TestClient(app, raise_server_exceptions=False)

    assert [client.get("/bug").status_code, client.get("/bug2").status_code] == [500, 500]


def test_a_missing_referral_of_a_plan_is_a_404_page(coordinator: Web, engine) -> None:
    plan_id = small_week(engine)

    response = coordinator.get(f"/plans/{plan_id}/referrals/r999")

    assert response.status_code == 404
    assert "Henvisning r999 findes ikke." in response.text


def test_htmx_gets_the_fragment_and_a_history_restore_the_whole_page(
    coordinator: Web, engine
) -> None:
    plan_id = small_week(engine)
    url = f"/plans/{plan_id}/referrals/r001"
    htmx = {"HX-Request": "true"}
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    fragment = coordinator.client.get(url, headers=htmx)
    whole = coordinator.client.get(url, headers=restore)
    plain = coordinator.client.get(url)

    assert ["<html" in r.text for r in (fragment, whole, plain)] == [False, True, True]
    # the session middleware adds Cookie to what the page said
    assert [r.headers.get("vary") for r in (fragment, whole, plain)] == ["HX-Request, Cookie"] * 3


def test_a_page_without_a_fragment_does_not_vary(coordinator: Web) -> None:
    assert coordinator.get("/weeks").headers.get("vary") == "Cookie"
