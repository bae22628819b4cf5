"""Courses over weeks in the browser: a therapist registers a day's attendance on a phone, the
coordinator derives and plans the next week, a course's delivered count advances, and a course
that reaches its package's maximum ends with the re-test as its last session.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session

from planner.db.engine import engine_from_url, migrate
from planner.db.store import load_problem, save_plan
from planner.formats.validate import check_plan
from planner.plan.versions import publish
from planner.register.attendance import plan_with_attendance
from planner.register.derive import derive_week
from planner.register.store import import_register
from planner.security.accounts import create_account
from solver.solve import solve
from tests.browser.conftest import PASSWORD, axe_violations, free_port, wait_until_up
from tests.factories import citizen, package, referral, scenario, team_class, therapist

PHONE = {"width": 390, "height": 844}


def register_week() -> dict[str, Any]:
    """t001 (the account `anders`) is the only occupational therapist: r003 is theirs; t002
    gives r001 (centre, 1 of 15 delivered) and r002 (balance class, 1 of 3 delivered)."""
    return scenario(
        therapists=[therapist("t001", profession="ot", skills=[]), therapist("t002")],
        packages=[package(high=120, max_sessions=15), package("TG2", high=120, max_sessions=3)],
        classes=[team_class()],
        citizens=[
            citizen("c001"),
            citizen("c002", name="Bent Hansen"),
            citizen("c003", name="Inge Madsen"),
        ],
        referrals=[
            referral("r001", "c001", delivered=1),
            referral(
                "r002", "c002", package="TG2", mode="team", delivered=1, **{"class": "balance"}
            ),
            referral("r003", "c003", profession="ot"),
        ],
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app on a register whose week 2026-W50 is planned and published; the base URL and,
    per referral, the days of its sessions."""
    folder = tmp_path_factory.mktemp("register")
    engine = engine_from_url(folder / "planner.db")
    migrate(engine)
    with Session(engine) as session:
        import_register(register_week(), session=session)
        week = derive_week("2026-W50", session=session)
        problem = load_problem(week, session=session)
        solution = solve(problem, time_limit=1, optimise=False)
        assert check_plan(problem, solution) == []
        plan_id = save_plan(week, solution, session=session)
        publish(plan_id, session=session)
        doc = plan_with_attendance(plan_id, session=session)
        create_account("koord", PASSWORD, session=session, name="Karen Koordinator")
        create_account(
            "anders",
            PASSWORD,
            session=session,
            name="Anders Krogh",
            role="therapist",
            therapist="t001",
        )
    engine.dispose()
    days: dict[str, list[str]] = {}
    for a in sorted(doc["appointments"], key=lambda a: a["start"]):
        for r in a.get("participants") or [a["referral"]]:
            days.setdefault(r, []).append(a["start"][:10])
    port = free_port()
    env = {**os.environ, "PLANNER_SECRET_KEY": "browser-tests", "DATABASE_URL": ""}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "web.cli",
            "serve",
            "--db",
            str(folder / "planner.db"),
            "--port",
            str(port),
        ],
        cwd=folder,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, 180)  # a loaded machine starts slowly
        yield {"url": url, "days": days}
    finally:
        process.terminate()
        process.wait(10)


def tab(browser: Any, served: dict[str, Any], viewport: dict[str, int], user: str) -> Any:
    # bypass_csp: axe-core is injected into pages whose CSP allows only their own scripts.
    context = browser.new_context(
        base_url=served["url"], viewport=viewport, locale="da-DK", bypass_csp=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Brugernavn").fill(user)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def register_all(page: Any, day: str, status: str = "Gennemført") -> int:
    """Press `status` for every person on the day's attendance sheet; how many."""
    page.goto(f"/attendance?day={day}")
    count = page.locator("fieldset").count()
    for i in range(count):
        page.locator("fieldset").nth(i).get_by_role("button", name=status, exact=True).click()
        page.wait_for_load_state()
    return count


def test_therapist_registers_a_day_of_attendance_on_a_phone(browser: Any, served: dict) -> None:
    page = tab(browser, served, PHONE, "anders")
    page.get_by_role("link", name="Fremmøde").first.click()
    day = served["days"]["r003"][0]
    page.goto(f"/attendance?day={day}")
    button = page.locator("fieldset").first.get_by_role("button", name="Gennemført", exact=True)
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.get_by_text("Inge M.").count() == 1
    assert page.get_by_text("Karen J.").count() == 0  # another therapist's citizen

    assert register_all(page, day) == 1
    pressed = page.locator("fieldset").first.get_by_role("button", name="Gennemført", exact=True)
    assert pressed.get_attribute("aria-pressed") == "true"
    assert axe_violations(page) == []
    page.context.close()


def test_delivered_count_advances_when_attendance_is_registered(browser: Any, served: dict) -> None:
    page = tab(browser, served, {"width": 1366, "height": 900}, "koord")
    page.goto("/courses/r001")
    assert page.locator("#delivered").inner_text() == "1"
    first = served["days"]["r001"][0]
    page.goto(f"/attendance?day={first}")
    sheet = page.locator("fieldset", has_text="Karen J.")
    sheet.get_by_role("button", name="Gennemført", exact=True).click()
    page.wait_for_load_state()
    page.goto("/courses/r001")

    assert page.locator("#delivered").inner_text() == "2"
    assert page.locator("#remaining").inner_text() == "13 af 15"
    assert axe_violations(page) == []
    page.context.close()


def test_course_reaching_its_maximum_ends_after_the_re_test(browser: Any, served: dict) -> None:
    page = tab(browser, served, {"width": 1366, "height": 900}, "koord")
    for day in served["days"]["r002"]:
        page.goto(f"/attendance?day={day}")
        page.locator("fieldset", has_text="Bent H.").get_by_role(
            "button", name="Gennemført", exact=True
        ).click()
        page.wait_for_load_state()
    page.goto("/courses/r002")
    rows = page.locator("#sessions tbody tr")

    assert page.locator("#delivered").inner_text() == "3"
    assert "Afsluttet · Pakken er brugt op" in page.locator(".meta").first.inner_text()
    assert rows.count() == 2
    assert rows.last.locator("td").nth(3).inner_text() == "Individuel"  # the re-test
    assert rows.first.locator("td").nth(3).inner_text() == "Hold"
    page.context.close()


def test_coordinator_derives_and_plans_the_next_week(browser: Any, served: dict) -> None:
    page = tab(browser, served, {"width": 1366, "height": 900}, "koord")
    page.get_by_role("link", name="Forløb").first.click()
    page.get_by_label("Uge (ISO, fx 2026-W50)").fill("2026-W51")
    page.get_by_label("Tidsgrænse (sekunder)").select_option("10")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lav og planlæg ugen").click()
    page.wait_for_url("**/weeks/*")
    outcome = page.locator("#job h2", has_text=re.compile("Planen er klar|Planlægningen fejlede"))
    outcome.wait_for(timeout=240_000)

    assert outcome.inner_text() == "Planen er klar", page.locator("#job").inner_text()

    assert "uge 51" in page.locator("h1").first.inner_text()
    page.context.close()
