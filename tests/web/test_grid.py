"""The week grids in the browser, adjusting a draft by hand through its forms, and a therapist's
own week (and nothing else)."""

from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from planner.db.models import Appointment, Plan
from planner.db.store import import_scenario, load_problem, load_solution, save_plan
from solver.problem import Solution
from tests.databases import stored_plan_violations
from tests.planner.plan.test_edit import BASE, plan_of, week
from tests.web.conftest import StoredWeek, Web

ENTRY = re.compile(r'<a class="appt kind-(\w+)" href="/plans/\d+/appointments/(a\d+)"')


def small_week(engine: Engine) -> int:
    """The hand-made week of tests/planner/plan/test_edit.py with its draft; returns the plan id."""
    with Session(engine) as session:
        scenario_id = import_scenario(week(), session=session)
        problem = load_problem(scenario_id, session=session)
        return save_plan(scenario_id, plan_of(problem, BASE), session=session)


def solution(engine: Engine, plan_id: int) -> Solution:
    with Session(engine) as session:
        return load_solution(plan_id, session=session)


def locked(engine: Engine, plan_id: int) -> list[str]:
    with Session(engine) as session:
        query = select(Appointment.key).where(
            Appointment.plan_id == plan_id, col(Appointment.locked).is_(True)
        )
        return list(session.exec(query).all())


def slot(day: str, start: int, therapist: str, room: str, **over: str) -> dict[str, str]:
    """A slot as the slot list's form posts it."""
    fields = {"kind": "individual", "day": day, "start": str(start), "therapist": therapist,
              "centre": "auning", "room": room, "meeting": ""}  # fmt: skip
    return fields | over


# --- the grids ------------------------------------------------------------------------------------


def test_centre_grid_shows_every_appointment_of_the_centre(
    coordinator: Web, norddjurs: StoredWeek, engine: Engine
) -> None:
    page = coordinator.get(f"/plans/{norddjurs.plan_id}/centres/auning")

    expected = [
        (a.kind, a.id)
        for a in solution(engine, norddjurs.plan_id).appointments
        if a.centre == "auning"
    ]
    assert page.status_code == 200
    assert sorted(ENTRY.findall(page.text)) == sorted(expected)
    assert "<h1>Træningscenter Auning</h1>" in page.text
    assert '<span class="appt-kind">Holdtræning</span>' in page.text


def test_therapist_and_class_pages_show_their_appointments(
    coordinator: Web, norddjurs: StoredWeek, engine: Engine
) -> None:
    appointments = solution(engine, norddjurs.plan_id).appointments
    with Session(engine) as session:
        problem = load_problem(norddjurs.scenario_id, session=session)

    page = coordinator.get(f"/plans/{norddjurs.plan_id}/therapists/t001").text
    mine = [a for a in appointments if a.therapist == "t001"]
    assert sorted(ENTRY.findall(page)) == sorted((a.kind, a.id) for a in mine)
    assert "<h1>Anders Krogh</h1>" in page
    one = next(a for a in mine if a.referral)
    assert problem.citizen(problem.referral(one.referral).citizen).name in page  # type: ignore[arg-type]

    page = coordinator.get(f"/plans/{norddjurs.plan_id}/classes/balance-auning").text
    meetings = [a for a in appointments if a.team_class == "balance-auning"]
    assert page.count('<li class="appt kind-team meeting">') == len(meetings) > 0
    for r in meetings[0].participants:
        assert f'href="/plans/{norddjurs.plan_id}/referrals/{r}">{r}</a>' in page


def test_grid_links_reach_every_grid_and_unplaced_referral_and_nothing_else(
    coordinator: Web, norddjurs: StoredWeek, engine: Engine
) -> None:
    plan = norddjurs.plan_id
    index = coordinator.get(f"/plans/{plan}/grid").text
    overview = coordinator.get(f"/weeks/{norddjurs.scenario_id}").text
    missing = [u.referral for u in solution(engine, plan).unplaced]

    for path in ("centres/auning", "centres/glesborg", "therapists/t001", "classes/balance-auning"):
        assert f'href="/plans/{plan}/{path}"' in index
    assert f'<a href="/plans/{plan}/grid" aria-current="page">Plan som skema</a>' in index
    assert f'<a href="/plans/{plan}/grid" >Plan som skema</a>' in overview
    for r in missing:
        assert f'<a href="/plans/{plan}/referrals/{r}">{r}</a>' in overview
    referral = coordinator.get(f"/plans/{plan}/referrals/{missing[0]}")
    assert referral.status_code == 200
    assert "Ledige tider til en manglende session" in referral.text
    unknown = ("centres/ingen", "therapists/t999", "classes/ingen", "referrals/r9999",
               "appointments/a9999")  # fmt: skip
    for path in ["/plans/999/grid", *(f"/plans/{plan}/{rest}" for rest in unknown)]:
        assert (path, coordinator.get(path).status_code) == (path, 404)


# --- adjusting a draft ----------------------------------------------------------------------------


def test_referral_page_offers_free_slots_and_htmx_filters_them(
    coordinator: Web, engine: Engine
) -> None:
    plan = small_week(engine)
    page = coordinator.get(f"/plans/{plan}/referrals/r003").text

    assert "Ledige tider til en manglende session" in page
    assert f'action="/plans/{plan}/referrals/r003/place"' in page
    assert "Nyt holdmøde" not in page  # the start assessment comes first

    url = f"/plans/{plan}/referrals/r001?day=2026-12-09&therapist=t02"
    fragment = coordinator.htmx("GET", url)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="slots"')
    assert "<html" not in fragment.text
    assert set(re.findall(r'name="day" value="([\d-]+)"', fragment.text)) == {"2026-12-09"}
    assert set(re.findall(r'name="therapist" value="(t\d+)"', fragment.text)) == {"t02"}


def test_referral_page_marks_slots_after_the_sul_140_deadline(
    coordinator: Web, engine: Engine
) -> None:
    # Found by a new user: a free slot offered by hand after the 7 days was not marked. r003 is
    # discharged Tuesday 1 December ("Opstart" not ticked): its start is due by Tuesday 8th.
    doc = week()
    doc["referrals"][2] |= {"discharged": "2026-12-01", "intro": False}
    with Session(engine) as session:
        scenario_id = import_scenario(doc, session=session)
        problem = load_problem(scenario_id, session=session)
        plan = save_plan(scenario_id, plan_of(problem, BASE), session=session)

    page = coordinator.get(f"/plans/{plan}/referrals/r003").text

    assert "opstart senest Tirsdag 08.12." in page
    assert 'id="deadline-note"' in page
    rows = re.findall(r"<tr>\s*<td>(\w+ [\d.]+)( <strong class=\"late-mark\">Efter fristen)?", page)
    marked = {day: bool(late) for day, late in rows}
    assert marked == {"Tirsdag 08.12.": False, "Torsdag 10.12.": True}  # the class's days


def test_referral_page_of_a_course_under_way_marks_no_slot(
    coordinator: Web, engine: Engine
) -> None:
    plan = small_week(engine)
    page = coordinator.get(f"/plans/{plan}/referrals/r003").text

    assert "late-mark" not in page
    assert 'id="deadline-note"' not in page


def test_placing_a_session_and_a_seat_by_hand_stores_a_valid_plan(
    coordinator: Web, engine: Engine
) -> None:
    plan = small_week(engine)
    coordinator.get(f"/plans/{plan}/referrals/r001")

    response = coordinator.post(
        f"/plans/{plan}/referrals/r001/place", slot("2026-12-09", 600, "t02", "auning-b1")
    )

    assert (response.status_code, response.url.path) == (200, f"/plans/{plan}/referrals/r001")
    assert "Sessionen er placeret." in response.text
    new = next(a for a in solution(engine, plan).appointments if a.id == "a0005")
    assert (new.referral, new.therapist, new.start, new.room) == ("r001", "t02", 600, "auning-b1")
    assert stored_plan_violations(engine, plan) == []
    with Session(engine) as session:
        stored = session.get(Plan, plan)
        assert stored is not None
        assert stored.stats["sessions_placed"] == 5
        assert "r001" not in [u.referral for u in stored.unplaced]

    intro = slot("2026-12-07", 480, "t01", "auning-b1")
    coordinator.post(f"/plans/{plan}/referrals/r003/place", intro)
    assert "Plads på hold (1 deltagere)" in coordinator.get(f"/plans/{plan}/referrals/r003").text
    seat = slot("2026-12-08", 600, "t01", "auning-sal", kind="team", meeting="a0004")
    coordinator.post(f"/plans/{plan}/referrals/r003/place", seat)
    meeting = next(a for a in solution(engine, plan).appointments if a.id == "a0004")
    assert meeting.participants == ("r003", "r004")
    assert stored_plan_violations(engine, plan) == []


def test_a_slot_that_breaks_a_rule_or_is_malformed_is_refused_and_nothing_is_stored(
    coordinator: Web, engine: Engine
) -> None:
    plan = small_week(engine)
    before = solution(engine, plan)
    coordinator.get(f"/plans/{plan}/referrals/r001")
    url = f"/plans/{plan}/referrals/r001/place"

    clash = coordinator.post(url, slot("2026-12-07", 540, "t02", "auning-sal"))
    bad_start = coordinator.post(url, slot("2026-12-09", 600, "t02", "auning-b1") | {"start": "ti"})
    bad_day = coordinator.post(url, slot("9. dec", 600, "t02", "auning-b1"))

    assert (clash.status_code, bad_start.status_code, bad_day.status_code) == (422, 422, 422)
    assert "Ændringen blev afvist, fordi den bryder reglerne. Intet er gemt." in clash.text
    assert '<li data-code="therapist-overlap">Terapeut t02 er dobbeltbooket: ' in clash.text
    assert "Feltet &#39;start&#39; skal være minutter efter midnat" in bad_start.text
    assert "Feltet &#39;day&#39; skal være en dato som 2026-12-07." in bad_day.text
    assert solution(engine, plan) == before
    assert stored_plan_violations(engine, plan) == []


def test_moving_locking_and_unlocking_by_hand(coordinator: Web, engine: Engine) -> None:
    plan = small_week(engine)
    page = coordinator.get(f"/plans/{plan}/appointments/a0002").text
    assert "Flyt aftalen" in page

    to_thursday = slot("2026-12-10", 780, "t02", "auning-sal")
    response = coordinator.post(f"/plans/{plan}/appointments/a0002/move", to_thursday)

    assert (response.status_code, "Aftalen er flyttet." in response.text) == (200, True)
    moved = next(a for a in solution(engine, plan).appointments if a.id == "a0002")
    assert (str(moved.day), moved.start, moved.therapist) == ("2026-12-10", 780, "t02")
    assert stored_plan_violations(engine, plan) == []

    page = coordinator.post(f"/plans/{plan}/appointments/a0002/lock", {"locked": "1"})
    assert (page.status_code, locked(engine, plan)) == (200, ["a0002"])
    assert "Aftalen er låst. Lås den op for at flytte den." in page.text
    back = slot("2026-12-08", 540, "t01", "auning-b1")
    refused = coordinator.post(f"/plans/{plan}/appointments/a0002/move", back)
    assert refused.status_code == 422

    box = coordinator.htmx("POST", f"/plans/{plan}/appointments/a0002/lock", {"locked": "0"})
    assert box.status_code == 200
    assert box.text.lstrip().startswith('<form id="lock"')
    assert "Ikke låst." in box.text
    assert locked(engine, plan) == []
    assert stored_plan_violations(engine, plan) == []


def test_a_published_plan_is_read_only_until_copied(coordinator: Web, engine: Engine) -> None:
    plan = small_week(engine)
    coordinator.get(f"/plans/{plan}/appointments/a0003")
    coordinator.post(f"/plans/{plan}/appointments/a0003/lock", {"locked": "1"})
    coordinator.post(f"/plans/{plan}/publish")
    page = coordinator.get(f"/plans/{plan}/appointments/a0002").text

    assert "Lav ny kladde" in page and "Flyt hertil" not in page
    wednesday = slot("2026-12-09", 600, "t02", "auning-b1")
    place = coordinator.post(f"/plans/{plan}/referrals/r001/place", wednesday)
    lock = coordinator.post(f"/plans/{plan}/appointments/a0002/lock", {"locked": "1"})
    assert (place.status_code, lock.status_code) == (409, 409)
    assert len(solution(engine, plan).appointments) == 4

    copied = coordinator.post(f"/plans/{plan}/copy")
    draft = int(re.search(r"plan=(\d+)", str(copied.url)).group(1))  # type: ignore[union-attr]
    assert (copied.status_code, draft != plan, locked(engine, draft)) == (200, True, ["a0003"])
    coordinator.post(f"/plans/{draft}/referrals/r001/place", wednesday)
    assert len(solution(engine, draft).appointments) == 5
    assert stored_plan_violations(engine, draft) == []


# --- a therapist's own week -----------------------------------------------------------------------


def test_therapist_sees_their_own_published_week_with_short_names(
    coordinator: Web, therapist: Web, norddjurs: StoredWeek, engine: Engine
) -> None:
    assert "Ingen offentliggjort plan endnu." in therapist.get("/me").text
    coordinator.post(f"/plans/{norddjurs.plan_id}/publish")

    page = therapist.get("/me").text

    with Session(engine) as session:
        problem = load_problem(norddjurs.scenario_id, session=session)
    mine = [a for a in solution(engine, norddjurs.plan_id).appointments if a.therapist == "t001"]
    assert page.count('<div class="appt kind-') == len(mine)
    assert "/appointments/" not in page
    one = next(a for a in mine if a.referral)
    first, *_, last = problem.citizen(problem.referral(one.referral).citizen).name.split()  # type: ignore[arg-type]
    assert f"{first} {last[0]}." in page
    assert f"{first} {last}" not in page
    feed = re.search(r'href="webcal://testserver(/feeds/therapist/t001/[^"]+\.ics)"', page)
    assert feed is not None
    calendar = therapist.client.get(feed.group(1))
    assert (calendar.status_code, calendar.headers["content-type"]) == (
        200,
        "text/calendar; charset=utf-8",
    )


def test_therapist_is_refused_every_coordinator_page_and_a_coordinator_has_no_own_week(
    therapist: Web, coordinator: Web, norddjurs: StoredWeek
) -> None:
    plan = norddjurs.plan_id
    pages = ("grid", "centres/auning", "therapists/t001", "classes/balance-auning",
             "referrals/r0013", "appointments/a0001")  # fmt: skip
    for path in (f"/plans/{plan}/{rest}" for rest in pages):
        assert (path, therapist.get(path).status_code) == (path, 403)
    changes = (
        "referrals/r0013/place",
        "appointments/a0001/lock",
        "appointments/a0001/move",
        "copy",
    )
    for path in (f"/plans/{plan}/{rest}" for rest in changes):
        assert (path, therapist.post(path, {"locked": "1"}).status_code) == (path, 403)

    response = coordinator.client.get("/me", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/")
