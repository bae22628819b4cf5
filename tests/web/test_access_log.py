"""The access log: reads and changes of a citizen's data in the API, pages, letters and feeds are
recorded with who, when, what and which citizen; one citizen's entries come out for an access
request; old entries are pruned."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import AccessLogEntry, Appointment
from planner.formats.scenario import week_monday
from planner.register.store import import_register
from planner.security.access import prune, record
from planner.text.wording import short_name
from tests.web.conftest import StoredWeek, Web
from tests.web.test_api import api
from tests.web.test_grid import small_week, week


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


def test_api_slots_and_copy_are_logged_per_citizen(app: FastAPI, engine: Engine) -> None:
    """The slots of r001 (citizen c001) are a read of c001's; a copy changes every citizen's."""
    plan_id = small_week(engine)
    client = api(app)
    assert client.post(f"/api/plans/{plan_id}/publish").status_code == 200
    assert client.get(f"/api/plans/{plan_id}/referrals/r001/slots").status_code == 200
    assert client.post(f"/api/plans/{plan_id}/copy").status_code == 201

    with Session(engine) as session:
        rows = session.exec(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()  # type: ignore[arg-type]
    referred = sorted({r["citizen"] for r in week()["referrals"]})
    assert [(r.action, r.what, r.citizen) for r in rows] == [
        ("read", f"GET /api/plans/{plan_id}/referrals/r001/slots", "c001"),
        *[("change", f"POST /api/plans/{plan_id}/copy", c) for c in referred],
    ]


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
    letters = [(r.account, r.what, r.citizen) for r in rows if "letter" in r.what]
    assert letters == [("koord", f"GET /plans/{norddjurs.plan_id}/citizens/c0001/letter", "c0001")]


def test_entries_older_than_the_retention_are_pruned(engine: Engine) -> None:
    with Session(engine) as session:
        record("koord", "read", "GET /x", ["c001"], session=session)
        pruned_now = prune(session=session)
        later = datetime.now(UTC) + timedelta(days=181)
        pruned_later = prune(session=session, now=later)

    assert (pruned_now, pruned_later) == (0, 1)


# --- every route that shows a citizen's data logs it ---------------------------------------------

#: GET routes the walk below does not open, each with why no citizen's data can be on it.
NOT_WALKED = {
    "/jobs/{job_id}": "a solve's progress: counts, no citizen",
    "/api/jobs/{job_id}": "a solve's progress: counts, no citizen",
}
#: The one value every path parameter of that name takes in the walk (the Norddjurs week).
#: `key` depends on the page (data forms, courses) and the feed's parameters come from its link.
PARAMETERS = {
    "lang": "da", "centre_key": "auning", "therapist_key": "t001", "citizen_key": "c0001",
}  # fmt: skip


def get_routes(app: FastAPI) -> list[str]:
    """Every GET path of the app, from its route list (so a new page is walked too)."""
    openapi = app.openapi()  # the API's routes, with the pages' (include_in_schema=False) below
    paths = {p for p, methods in openapi["paths"].items() if "get" in methods}
    for included in app.routes:
        for route in getattr(getattr(included, "original_router", None), "routes", []):
            if "GET" in (getattr(route, "methods", None) or ()):
                paths.add(route.path_format if hasattr(route, "path_format") else route.path)
    return sorted(paths)


def markers(doc: dict[str, Any]) -> dict[str, str]:
    """What shows that a page holds a citizen's data: the full name, the first name and initial
    (a therapist's view) and the home address, each only where one citizen has it and no other
    citizen's holds it ("Lis Lassen" is in "Jytte Lis Lassen")."""
    found: dict[str, set[str]] = {}
    for c in doc["citizens"]:
        for text in (c["name"], short_name(c["name"]), c["address"]):
            found.setdefault(html.escape(text), set()).add(c["id"])
    return {
        text: next(iter(ids))
        for text, ids in found.items()
        if len(ids) == 1 and not any(text in other and ids != o for other, o in found.items()
                                     if other != text)
    }  # fmt: skip


def filled(path: str, values: dict[str, str], doc: dict[str, Any]) -> str:
    """The path with its parameters: `key` is the first id of the page's kind."""
    kinds = {"/courses/": "referrals", **{f"/{k}/": k for k in
             ("therapists", "rooms", "classes", "citizens", "referrals", "centres")}}  # fmt: skip
    kind = next((k for part, k in kinds.items() if part in path), None)
    if kind is not None and "{key}" in path:
        path = path.replace("{key}", doc[kind][0]["id" if kind != "packages" else "code"])
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def logged_citizens(engine: Engine, path: str) -> set[str]:
    with Session(engine) as session:
        rows = session.exec(select(AccessLogEntry)).all()
    return {r.citizen for r in rows if r.what.split("?")[0] == f"GET {path}"}


@pytest.mark.slow  # opens every page and API read of the app
def test_every_route_that_shows_a_citizen_logs_each_citizen_shown(
    app: FastAPI, coordinator: Web, therapist: Web, engine: Engine, norddjurs: StoredWeek,
    norddjurs_doc: dict[str, Any],
) -> None:  # fmt: skip
    """Finding 12 (GDPR art. 32): the route list is walked, every citizen whose name or address
    a response holds must have an entry for that request; a new route is walked too."""
    coordinator.post(f"/plans/{norddjurs.plan_id}/publish")
    with Session(engine) as session:
        import_register(norddjurs_doc, session=session)  # the courses pages have courses
        first = session.exec(
            select(Appointment).where(
                Appointment.plan_id == norddjurs.plan_id, Appointment.kind == "individual"
            )
        ).first()
    assert first is not None and first.referral is not None
    feed_page = coordinator.get(f"/weeks/{norddjurs.scenario_id}/feeds").text
    feed = re.search(r"/feeds/(therapist)/(t001)/([A-Za-z0-9_-]+)\.ics", feed_page)
    assert feed is not None
    values = {
        **PARAMETERS, "scenario_id": str(norddjurs.scenario_id),
        "plan_id": str(norddjurs.plan_id), "class_key": norddjurs_doc["classes"][0]["id"],
        "referral_key": first.referral, "referral_id": first.referral,
        "appointment_key": first.key, "kind": feed[1], "token": feed[3],
    }  # fmt: skip
    values["key"] = feed[2]  # only the feed's path has a {key} left after `filled`
    shown_by = markers(norddjurs_doc)
    wednesday = week_monday(norddjurs_doc["week"]) + timedelta(days=2)  # type: ignore[operator]
    queries = {"/api/access-log": {"citizen": "c0001"}, "/attendance": {"day": str(wednesday)}}
    client = api(app)
    missing, walked = {}, 0
    for route in get_routes(app):
        if route in NOT_WALKED:
            continue
        path = filled(route, values, norddjurs_doc)
        reader = (
            therapist.client
            if route == "/me"
            else client
            if route.startswith("/api/")
            else coordinator.client
        )
        response = reader.get(path, params=queries.get(route))
        assert response.status_code == 200, (route, response.status_code)
        walked += 1
        body = response.text
        shown = {key for text, key in shown_by.items() if text in body}
        unlogged = shown - logged_citizens(engine, response.url.path)  # after any redirect
        if unlogged:
            missing[route] = sorted(unlogged)

    assert missing == {}
    assert walked >= 50
