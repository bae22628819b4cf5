"""Weeks in the browser: import, the overview, generating a plan, versions and publishing."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from planner.db.models import Plan, Scenario
from tests.databases import stored_plan_violations
from tests.factories import scenario
from tests.web.conftest import StoredWeek, Web


def upload(web: Web, content: bytes, name: str = "uge.json") -> Any:
    return web.post("/weeks/import", files={"file": (name, content, "application/json")})


def count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_import_stores_the_week_and_opens_its_overview(coordinator: Web, engine: Engine) -> None:
    response = upload(coordinator, json.dumps(scenario()).encode())

    assert response.status_code == 200
    assert re.fullmatch(r"/weeks/\d+", response.url.path)
    assert "<h1>Testuge</h1>" in response.text
    assert count(engine, Scenario) == 1


def test_import_of_a_bad_week_shows_every_error_and_stores_nothing(
    coordinator: Web, engine: Engine
) -> None:
    doc = scenario()
    doc["week"] = "2025-W53"
    doc["referrals"][0]["citizen"] = "c999"
    response = upload(coordinator, json.dumps(doc).encode())

    assert response.status_code == 422
    assert "Importen blev afvist. Intet er gemt." in response.text
    errors = re.findall(r"<li>([^<]*)</li>", response.text.split('id="import-errors"')[1])
    assert len(errors) == 2
    assert any("2025-W53" in e for e in errors) and any("c999" in e for e in errors)
    assert 'aria-invalid="true"' in response.text
    assert count(engine, Scenario) == 0


def test_import_of_a_file_that_is_not_json_says_so(coordinator: Web, engine: Engine) -> None:
    response = upload(coordinator, b"\xff not json", name="noget.txt")

    assert response.status_code == 422
    assert "noget.txt: ikke gyldig JSON" in response.text
    assert count(engine, Scenario) == 0


def test_overview_of_norddjurs_shows_centres_missing_sessions_and_load(
    coordinator: Web, norddjurs: StoredWeek
) -> None:
    page = coordinator.get(f"/weeks/{norddjurs.scenario_id}").text

    for name in ("Træningscenter Auning", "Træningscenter Posthaven", "Træningscenter Glesborg"):
        assert f'<th scope="row">{name}</th>' in page
    assert "Terapeutbelastning" in page
    assert "Anders Krogh" in page
    assert 'badge status-draft">Kladde' in page


def test_overview_of_a_week_without_plan_offers_to_make_one(
    coordinator: Web, engine: Engine
) -> None:
    week = upload(coordinator, json.dumps(scenario()).encode()).url.path

    page = coordinator.get(week).text

    assert "Ingen plan endnu." in page
    assert ">Lav plan</button>" in page


def test_overview_of_an_unknown_week_or_plan_is_404(
    coordinator: Web, norddjurs: StoredWeek
) -> None:
    assert coordinator.get("/weeks/999").status_code == 404
    assert coordinator.get(f"/weeks/{norddjurs.scenario_id}?plan=999").status_code == 404
    assert coordinator.get(f"/weeks/{norddjurs.scenario_id}?plan=x").status_code == 422


def test_generate_plan_makes_a_valid_draft(coordinator: Web, engine: Engine) -> None:
    week = upload(coordinator, json.dumps(scenario()).encode()).url.path

    box = coordinator.htmx("POST", f"{week}/solve", {"time_limit": "10"})

    assert box.status_code == 200
    assert "Planen er klar" in box.text
    plan_id = int(re.search(r"\?plan=(\d+)", box.text).group(1))  # type: ignore[union-attr]
    assert stored_plan_violations(engine, plan_id) == []
    assert "2 placeret af 2" in box.text


def test_generate_plan_refuses_an_odd_time_limit(coordinator: Web, engine: Engine) -> None:
    week = upload(coordinator, json.dumps(scenario()).encode()).url.path

    response = coordinator.post(f"{week}/solve", {"time_limit": "7"})

    assert response.status_code == 422
    assert count(engine, Plan) == 0


def test_publish_makes_the_draft_the_published_plan(
    coordinator: Web, norddjurs: StoredWeek, engine: Engine
) -> None:
    response = coordinator.post(f"/plans/{norddjurs.plan_id}/publish")

    assert response.status_code == 200
    assert 'badge status-published">Offentliggjort' in response.text
    assert f'href="/plans/{norddjurs.plan_id}/letters">Lav breve til borgere' in response.text
    with Session(engine) as session:
        assert session.get(Plan, norddjurs.plan_id).status == "published"  # type: ignore[union-attr]

    again = coordinator.post(f"/plans/{norddjurs.plan_id}/publish")
    assert again.status_code == 409


def test_plan_versions_list_every_plan_of_the_week(coordinator: Web, norddjurs: StoredWeek) -> None:
    coordinator.post(f"/plans/{norddjurs.plan_id}/publish")

    page = coordinator.get(f"/weeks/{norddjurs.scenario_id}/plans").text

    assert f'href="/weeks/{norddjurs.scenario_id}?plan={norddjurs.plan_id}">Version 1</a>' in page
    assert "Offentliggjort" in page


def test_overview_of_one_centre(coordinator: Web, norddjurs: StoredWeek) -> None:
    page = coordinator.get(f"/weeks/{norddjurs.scenario_id}?centre=glesborg").text

    assert '<th scope="row">Træningscenter Glesborg</th>' in page
    assert '<th scope="row">Træningscenter Auning</th>' not in page
    assert 'centre=glesborg" aria-current="page">Træningscenter Glesborg</a>' in page
    assert coordinator.get(f"/weeks/{norddjurs.scenario_id}?centre=aarhus").status_code == 404
