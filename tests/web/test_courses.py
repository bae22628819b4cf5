"""The register's pages: deriving and planning a week, attendance on a phone, the course page."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session

from planner.register.attendance import plan_with_attendance
from planner.register.store import import_register
from tests.databases import stored_plan_violations
from tests.factories import referral, scenario
from tests.factories import therapist as therapist_doc
from tests.web.conftest import Web
from tests.web.test_api import api


def registered(engine: Engine) -> None:
    """The factory week with therapist t001 (the account `anders`) and one more therapist."""
    doc = scenario(
        therapists=[therapist_doc("t001"), therapist_doc("t002")],
        referrals=[referral("r001", contact="t001")],
    )
    with Session(engine) as session:
        import_register(doc, session=session)


def derived_and_published(coordinator: Web, app: FastAPI, week: str = "2026-W50") -> int:
    response = coordinator.post(
        "/register/weeks", {"week": week, "time_limit": "10"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    week_id = int(response.headers["location"].rsplit("/", 1)[1])
    [plan] = api(app).get(f"/api/weeks/{week_id}/plans").json()
    assert api(app).post(f"/api/plans/{plan['id']}/publish").status_code == 200
    return int(plan["id"])


def test_coordinator_derives_and_plans_the_week_from_the_courses_page(
    coordinator: Web, app: FastAPI, engine: Engine
) -> None:
    registered(engine)
    page = coordinator.get("/courses?status=waiting")
    assert page.status_code == 200 and "r001" in page.text

    plan_id = derived_and_published(coordinator, app)

    assert stored_plan_violations(engine, plan_id) == []


def test_therapist_registers_attendance_of_own_session_and_the_course_advances(
    coordinator: Web, therapist: Web, app: FastAPI, engine: Engine
) -> None:
    registered(engine)
    plan_id = derived_and_published(coordinator, app)
    with Session(engine) as session:
        appointments = plan_with_attendance(plan_id, session=session)["appointments"]
    mine = [a for a in appointments if a["therapist"] == "t001"]
    assert mine, appointments
    day = mine[0]["start"][:10]

    sheet = therapist.get(f"/attendance?day={day}")
    assert sheet.status_code == 200 and "Karen J." in sheet.text and "Jensen" not in sheet.text
    done = therapist.post(
        "/attendance",
        {
            "plan": plan_id,
            "appointment": mine[0]["id"],
            "referral": "r001",
            "status": "delivered",
            "day": day,
        },
        follow_redirects=False,
    )
    course = coordinator.get("/courses/r001")

    assert done.status_code == 303
    assert re.search(r'<dd id="delivered">1</dd>', course.text)
    assert "Gennemført" in course.text


def test_therapist_cannot_register_another_therapists_session(
    coordinator: Web, therapist: Web, app: FastAPI, engine: Engine
) -> None:
    doc = scenario(therapists=[therapist_doc("t002")], referrals=[referral()])
    with Session(engine) as session:
        import_register(doc, session=session)
    plan_id = derived_and_published(coordinator, app)
    with Session(engine) as session:
        first = plan_with_attendance(plan_id, session=session)["appointments"][0]

    refused = therapist.post(
        "/attendance",
        {
            "plan": plan_id,
            "appointment": first["id"],
            "referral": "r001",
            "status": "delivered",
            "day": first["start"][:10],
        },
    )

    assert refused.status_code == 403


def test_coordinator_pauses_resumes_and_ends_a_course_with_a_reason(
    coordinator: Web, engine: Engine
) -> None:
    doc = scenario(referrals=[referral(delivered=2)])
    with Session(engine) as session:
        import_register(doc, session=session)

    steps = [
        coordinator.post("/courses/r001/status", {"status": "paused"}, follow_redirects=False),
        coordinator.post("/courses/r001/status", {"status": "active"}, follow_redirects=False),
        coordinator.post(
            "/courses/r001/status",
            {"status": "ended", "reason": "moved-away"},
            follow_redirects=False,
        ),
    ]
    refused = coordinator.post("/courses/r001/status", {"status": "paused"})
    page = coordinator.get("/courses/r001")

    coordinator.client.cookies.set("lang", "en")
    refused_en = coordinator.post("/courses/r001/status", {"status": "paused"})

    assert [s.status_code for s in steps] == [303, 303, 303]
    assert (refused.status_code, refused_en.status_code) == (422, 422)
    assert "status: et forløb, der er afsluttet, kan ikke blive på pause" in refused.text
    assert "status: a course that is ended cannot become paused" in refused_en.text
    assert "Fraflyttet" in page.text and "På pause" in page.text


def test_courses_pages_are_for_coordinators(therapist: Web) -> None:
    assert therapist.get("/courses").status_code == 403
