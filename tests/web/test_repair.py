"""Repair in the app: a therapist ill on a Wednesday of the published demo week is shown where
it hits, repaired into a draft that touches only that therapist's citizens, shown as a diff, and
published after a confirmation; the API's repair and diff as exchange-format.md has them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.models import Plan
from planner.db.store import import_scenario, load_problem, load_solution, save_plan
from planner.plan.repair import week_changes
from planner.plan.versions import publish
from planner.tools.demo import coming_week, moved_to_week
from solver.problem import Problem, Solution
from solver.solve import solve
from tests.databases import stored_plan_violations
from tests.web.conftest import Web
from tests.web.test_api import api


@dataclass(frozen=True)
class Demo:
    """The Norddjurs week moved to the coming week, planned by first fit and published."""

    scenario_id: int
    plan_id: int
    problem: Problem
    solution: Solution

    @property
    def wednesday(self) -> date:
        return self.problem.days[2].date

    def busiest_on_wednesday(self) -> str:
        """The therapist with most appointments that Wednesday."""
        counts: dict[str, int] = {}
        for a in self.solution.appointments:
            if a.day == self.wednesday:
                counts[a.therapist] = counts.get(a.therapist, 0) + 1
        return max(sorted(counts), key=lambda t: counts[t])

    def citizens_seen(self, therapist: str) -> set[str]:
        """The citizens the therapist sees that Wednesday."""
        return {
            self.problem.referral(k).citizen
            for a in self.solution.appointments
            if a.day == self.wednesday and a.therapist == therapist
            for k in (a.participants if a.kind == "team" else (a.referral or "",))
        }


@pytest.fixture
def demo(engine: Engine, norddjurs_doc: dict[str, Any]) -> Demo:
    doc = moved_to_week(norddjurs_doc, coming_week(date.today()))
    with Session(engine) as session:
        scenario_id = import_scenario(doc, session=session)
        problem = load_problem(scenario_id, session=session)
        plan_id = save_plan(scenario_id, solve(problem, optimise=False), session=session)
        publish(plan_id, session=session)
        solution = load_solution(plan_id, session=session)
    return Demo(scenario_id, plan_id, problem, solution)


def ill_on_wednesday(demo: Demo, therapist: str) -> dict[str, str]:
    day = demo.wednesday.isoformat()
    return {"therapist": therapist, "from": f"{day}T00:00", "to": f"{day}T23:59"}


def test_api_repair_touches_only_the_ill_therapists_citizens(
    app: FastAPI, engine: Engine, demo: Demo
) -> None:
    ill = demo.busiest_on_wednesday()
    client = api(app)

    response = client.post(f"/api/plans/{demo.plan_id}/repair", json=ill_on_wednesday(demo, ill))

    assert response.status_code == 201, response.text
    body = response.json()
    assert stored_plan_violations(engine, body["plan"]) == []
    assert sorted(body) == ["diff", "plan"]
    assert sorted(body["diff"]) == ["appointments_changed", "citizens", "citizens_affected"]
    seen = demo.citizens_seen(ill)
    assert 0 < body["diff"]["citizens_affected"] <= len(seen)
    assert {c["citizen"] for c in body["diff"]["citizens"]} <= seen
    assert body["diff"]["citizens_affected"] == len(body["diff"]["citizens"])
    assert client.get(f"/api/plans/{body['plan']}/diff").json() == body["diff"]
    with Session(engine) as session:
        draft = session.get(Plan, body["plan"])
        assert draft is not None and draft.status == "draft"
    # Every other therapist's own sessions stay exactly as they were (their meetings may
    # only gain a seat moved from a meeting of the ill therapist).
    repaired = {a.id: a for a in load_repaired(engine, body["plan"]).appointments}
    kept = [a for a in demo.solution.appointments if a.therapist != ill and a.kind != "team"]
    assert [repaired.get(a.id) for a in kept] == kept


def load_repaired(engine: Engine, plan_id: int) -> Solution:
    with Session(engine) as session:
        return load_solution(plan_id, session=session)


def test_api_repair_names_each_wrong_field(app: FastAPI, demo: Demo) -> None:
    client = api(app)

    unknown = client.post(
        f"/api/plans/{demo.plan_id}/repair",
        json={"therapist": "t999", "from": "i morgen", "to": "2026-12-09T10:00"},
    )
    nothing = client.post(f"/api/plans/{demo.plan_id}/repair", json={})

    assert unknown.status_code == 422
    assert [(p["code"], p["location"], p["message"]) for p in unknown.json()["errors"]] == [
        (
            "change.unknown-key",
            "therapist",
            "therapist: Therapist t999 is not in the week; choose one from the list.",
        ),
        (
            "change.bad-time",
            "from",
            "from: write the time as YYYY-MM-DDTHH:MM, e.g. 2026-12-09T11:00",
        ),
    ]
    assert nothing.status_code == 422
    assert client.post("/api/plans/99999/repair", json={}).status_code == 404


def test_api_diff_of_the_published_plan_is_empty(app: FastAPI, demo: Demo) -> None:
    response = api(app).get(f"/api/plans/{demo.plan_id}/diff")

    assert response.json() == {"citizens_affected": 0, "appointments_changed": 0, "citizens": []}


def test_absence_is_shown_where_it_hits_then_repaired_and_published_after_confirming(
    coordinator: Web, engine: Engine, demo: Demo
) -> None:
    ill = demo.busiest_on_wednesday()
    day = demo.wednesday.isoformat()
    changes = f"/plans/{demo.plan_id}/changes"

    entered = coordinator.post(
        changes,
        {"kind": "therapist", "key": ill, "start": f"{day}T00:00", "end": f"{day}T23:59"},
        follow_redirects=True,
    )
    overview = coordinator.get(f"/weeks/{demo.scenario_id}?plan={demo.plan_id}")
    hit = sorted(
        (a for a in demo.solution.appointments if a.therapist == ill and a.day.isoformat() == day),
        key=lambda a: (a.start, a.id),
    )

    assert entered.status_code == 200
    assert re.findall(r'<tr id="hit-(a\d+)"', entered.text) == [a.id for a in hit]
    assert f"{len(hit)} aftaler er ramt af ændringer i ugen" in overview.text
    grid = coordinator.get(f"/plans/{demo.plan_id}/therapists/{ill}")
    marked = re.findall(r'href="/plans/\d+/appointments/(a\d+)"[^>]*>(?:(?!</a>).)*Ramt: '
                        r"Terapeuten er fraværende", grid.text, flags=re.S)  # fmt: skip
    assert sorted(marked) == sorted(a.id for a in hit)
    coordinator.client.cookies.set("lang", "en")
    english = coordinator.get(f"/plans/{demo.plan_id}/therapists/{ill}").text
    changes_en = coordinator.get(changes).text
    coordinator.client.cookies.set("lang", "da")
    marked_en = re.findall(r'href="/plans/\d+/appointments/(a\d+)"[^>]*>(?:(?!</a>).)*Hit: '
                           r"The therapist is absent", english, flags=re.S)  # fmt: skip
    assert sorted(marked_en) == sorted(a.id for a in hit)
    assert "<td>The therapist is absent</td>" in changes_en
    assert "fraværende" not in english + changes_en

    repaired = coordinator.post(f"/plans/{demo.plan_id}/repair", follow_redirects=False)
    assert repaired.status_code == 303
    draft = int(repaired.headers["location"].split("/")[2])
    assert stored_plan_violations(engine, draft) == []
    diff = coordinator.get(repaired.headers["location"])
    assert diff.status_code == 200
    affected = int(re.search(r"Borgere berørt</dt><dd>(\d+)", diff.text).group(1))  # type: ignore[union-attr]
    assert 0 < affected <= len(demo.citizens_seen(ill))

    confirm = coordinator.get(f"/plans/{draft}/publish")
    assert f'action="/plans/{draft}/publish"' in confirm.text
    assert f"Borgere berørt</dt><dd>{affected}</dd>" in confirm.text
    assert 'name="csrf_token"' in confirm.text
    published = coordinator.post(f"/plans/{draft}/publish", follow_redirects=False)
    assert published.status_code == 303
    letters = coordinator.get(f"/plans/{draft}/letters")
    # No letters were recorded for the first version: every citizen with times needs one.
    assert letters.status_code == 200


def test_entering_a_change_with_a_bad_time_stores_nothing(
    coordinator: Web, engine: Engine, demo: Demo
) -> None:
    response = coordinator.post(
        f"/plans/{demo.plan_id}/changes",
        {"kind": "room", "key": demo.problem.rooms[0].id, "start": "", "end": ""},
    )

    assert response.status_code == 422
    assert "Intet er gemt" in response.text
    assert "from: skriv tidspunktet som ÅÅÅÅ-MM-DDTTT:MM" in response.text
    with Session(engine) as session:
        assert week_changes(demo.scenario_id, session=session) == []


def test_repair_pages_are_for_coordinators_only(therapist: Web, anonymous: Web, demo: Demo) -> None:
    urls = [f"/plans/{demo.plan_id}/changes", f"/plans/{demo.plan_id}/diff",
            f"/plans/{demo.plan_id}/publish"]  # fmt: skip

    assert [therapist.get(url).status_code for url in urls] == [403] * 3
    assert [anonymous.get(url, follow_redirects=False).status_code for url in urls] == [303] * 3


def test_api_repair_needs_credentials(app: FastAPI, demo: Demo) -> None:
    response = TestClient(app).post(f"/api/plans/{demo.plan_id}/repair", json={})

    assert response.status_code == 401
