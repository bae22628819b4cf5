"""A corpus of hostile input: ids the pages could not serve, huge and deep bodies, numbers beyond
the database's integers, and the headers that keep a browser safe. Every answer is 4xx, never 500.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from planner.formats.scenario import ScenarioError, check_scenario
from tests.factories import citizen, referral, scenario
from tests.web.conftest import StoredWeek, Web
from tests.web.live import basic, client, live_server
from tests.web.test_api import api
from web.app import CSP
from web.limits import MAX_BODY

HOSTILE_IDS = ["a/b", "r001\r\nX-Evil: 1", "💥", 'c"1', "../etc", " c001", "", "a" * 65, "%2e"]


@pytest.mark.parametrize("bad", HOSTILE_IDS)
def test_an_unsafe_citizen_id_is_refused_at_import_naming_the_field(bad: str) -> None:
    doc = scenario(citizens=[citizen(bad)], referrals=[referral("r001", citizen=bad)])

    errors = check_scenario(doc)

    assert errors != []
    if bad:  # the empty id is refused by the schema already
        assert errors[0].startswith(f"citizens[0].id: {json.dumps(bad)} may hold only letters")


def test_safe_ids_pass() -> None:
    doc = scenario(citizens=[citizen("C-01.a_b")], referrals=[referral("r001", citizen="C-01.a_b")])

    assert check_scenario(doc) == []


@pytest.mark.parametrize(
    "path",
    [
        "/weeks/99999999999999999999999",
        "/weeks/9223372036854775808",
        "/weeks/2147483648",
        "/plans/99999999999999999999999/grid",
        "/api/plans/99999999999999999999999",
        "/api/weeks/2147483648/scenario",
        "/api/jobs/99999999999999999999999",
    ],
)
def test_integers_beyond_the_database_are_404_not_500(
    coordinator: Web, app: FastAPI, path: str
) -> None:
    client = api(app) if path.startswith("/api/") else coordinator.client

    assert client.get(path, follow_redirects=False).status_code == 404


def test_deep_json_is_refused_with_4xx_through_the_web_and_the_api(
    coordinator: Web, app: FastAPI
) -> None:
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    files = {"file": ("dyb.json", deep, "application/json")}
    page = coordinator.post("/weeks/import", files=files)
    answer = api(app).post(
        "/api/weeks", content=b'{"a":' + deep + b"}", headers={"content-type": "application/json"}
    )

    assert page.status_code == 422
    assert "dyb.json: JSON-dokumentet er for dybt indlejret" in page.text
    assert answer.status_code == 400  # FastAPI's own answer to a body it cannot parse


def test_a_body_over_the_limit_is_413_on_the_api_and_the_web_import(
    coordinator: Web, app: FastAPI
) -> None:
    big = b" " * (MAX_BODY + 1)
    answer = api(app).post("/api/weeks", content=big, headers={"content-type": "application/json"})
    page = coordinator.post("/weeks/import", files={"file": ("stor.json", big, "application/json")})

    assert (answer.status_code, page.status_code) == (413, 413)


def test_a_streamed_body_over_the_limit_is_413(app: FastAPI) -> None:
    def chunks() -> Any:
        for _ in range(21):
            yield b" " * (1024 * 1024)

    with live_server(app) as base, client(base, headers=basic("koord", "rigtig-hemmelig-1")) as h:
        answer = h.post(
            "/api/weeks", content=chunks(), headers={"content-type": "application/json"}
        )

    assert answer.status_code == 413


def test_an_import_in_progress_does_not_freeze_other_pages(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The upload is parsed, checked and stored in a worker thread: while one is under way (held
    here until the other page has answered), the event loop serves other requests."""
    started, release = threading.Event(), threading.Event()

    def slow_import(*_args: object, **_kwargs: object) -> int:
        started.set()
        release.wait(30)
        raise ScenarioError(["held"])

    monkeypatch.setattr("web.routes.weeks.import_scenario", slow_import)
    with live_server(app) as base, client(base) as uploader, client(base) as other:
        token = uploader.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        uploader.post("/login", data={"username": "koord", "password": "rigtig-hemmelig-1",
                                      "csrf_token": token})  # fmt: skip
        token = uploader.get("/weeks").text.split('"X-CSRF-Token": "')[1].split('"')[0]
        files = {"file": ("uge.json", b"{}", "application/json")}
        worker = threading.Thread(
            target=lambda: uploader.post("/weeks/import", data={"csrf_token": token}, files=files)
        )
        worker.start()
        assert started.wait(30)
        answered = other.get("/login", timeout=10).status_code
        release.set()
        worker.join()

    assert answered == 200


def test_letter_download_names_are_safe(coordinator: Web, norddjurs: StoredWeek) -> None:
    assert coordinator.post(f"/plans/{norddjurs.plan_id}/publish").status_code in (200, 303)
    response = coordinator.get(f"/plans/{norddjurs.plan_id}/citizens/c0001/letter.ics")

    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.count('"') == 2 and "\r" not in disposition and "\n" not in disposition


def test_pages_and_api_carry_the_protective_headers(
    coordinator: Web, app: FastAPI, norddjurs: StoredWeek
) -> None:
    page = coordinator.get(f"/weeks/{norddjurs.scenario_id}")
    scenario_doc = api(app).get(f"/api/weeks/{norddjurs.scenario_id}/scenario")
    plan = api(app).get(f"/api/plans/{norddjurs.plan_id}")

    for response in (page, scenario_doc, plan):
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["permissions-policy"].startswith("camera=()")
        assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in page.headers


def test_hsts_behind_https(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_HTTPS", "1")

    response = TestClient(app).get("/login")

    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_no_template_has_an_inline_script_or_handler() -> None:
    """The Content-Security-Policy allows only the site's script files."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "web" / "templates"
    found = [
        (p.name, marker)
        for p in root.rglob("*.html")
        for marker in ("<script>", " onclick=", " onchange=", " onsubmit=", "javascript:", "hx-on")
        if marker in p.read_text(encoding="utf-8")
    ]
    assert found == []
