"""After publishing, in the browser: the demo week (Norddjurs moved to a coming week) is
published and its letters printed; one therapist falls ill on the Wednesday; the coordinator
enters it, sees the hit appointments, repairs, reads the diff, publishes after confirming, and
the letters to send are for no more citizens than that therapist saw that Wednesday."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan_document
from planner.tools.demo import coming_week, moved_to_week, norddjurs
from tests.browser.conftest import PASSWORD, axe_violations, sign_in

AUTH = ("koord", PASSWORD)


def published_demo_week(server: str, weeks_ahead: int = 4) -> tuple[int, int, dict[str, Any]]:
    """The demo week imported, planned and published through the API: (week, plan, scenario)."""
    # Weeks ahead: nothing of it is in the past, and each test that calls this picks its own.
    doc = moved_to_week(norddjurs(), coming_week(date.today() + timedelta(weeks=weeks_ahead)))
    with httpx.Client(base_url=server, auth=AUTH, timeout=60) as api:
        week = api.post("/api/weeks", json=doc).json()["id"]
        job = api.post(f"/api/weeks/{week}/solve", json={"time_limit": 5}).json()
        until = time.monotonic() + 120
        while job["state"] in ("queued", "running") and time.monotonic() < until:
            time.sleep(0.5)
            job = api.get(f"/api/jobs/{job['id']}").json()
        assert job["state"] == "done", job
        plan = job["plan_id"]
        assert api.post(f"/api/plans/{plan}/publish").status_code == 200
    return week, plan, doc


def wednesday_of(doc: dict[str, Any]) -> date:
    year, week = doc["week"].split("-W")
    return date.fromisocalendar(int(year), int(week), 3)


def seen_on(plan_doc: dict[str, Any], scenario: dict[str, Any], day: date) -> dict[str, set[str]]:
    """Per therapist, the citizens they see that day."""
    citizen = {r["id"]: r["citizen"] for r in scenario["referrals"]}
    seen: dict[str, set[str]] = {}
    for a in plan_doc["appointments"]:
        if datetime.fromisoformat(a["start"]).date() == day:
            referrals = a.get("participants") or [a["referral"]]
            seen.setdefault(a["therapist"], set()).update(citizen[r] for r in referrals)
    return seen


def test_therapist_ill_on_wednesday_leads_to_a_diff_and_few_letters(page: Any, server: str) -> None:
    week, plan, doc = published_demo_week(server)
    wednesday = wednesday_of(doc)
    plan_doc = httpx.get(f"{server}/api/plans/{plan}", auth=AUTH).json()
    on_wednesday = Counter(
        a["therapist"]
        for a in plan_doc["appointments"]
        if datetime.fromisoformat(a["start"]).date() == wednesday
    )
    ill = min(on_wednesday, key=lambda t: (-on_wednesday[t], t))
    seen = seen_on(plan_doc, doc, wednesday)[ill]
    sign_in(page)

    # Version 1's letters are printed and recorded: they are what citizens were told.
    page.goto(f"/plans/{plan}/letters")
    page.get_by_role("button", name="Registrér brevene som sendt").click()
    page.get_by_role("status").filter(has_text="breve er registreret som sendt").wait_for()

    # The therapist calls in ill for the Wednesday.
    page.goto(f"/plans/{plan}/changes")
    form = page.locator("form.change-form").filter(has_text="Terapeut fraværende")
    form.get_by_label("Hvem eller hvad").select_option(ill)
    form.get_by_label("Fra").fill(f"{wednesday.isoformat()}T00:00")
    form.get_by_label("Til").fill(f"{wednesday.isoformat()}T23:59")
    form.get_by_role("button", name="Registrér").click()
    hits = page.locator("tr.hit")
    hits.first.wait_for()
    assert hits.count() == on_wednesday[ill]
    assert axe_violations(page) == []

    page.get_by_role("button", name="Reparér").click()
    page.wait_for_url(re.compile(r"/plans/\d+/diff$"))
    draft = int(page.url.split("/")[-2])
    affected = int(page.locator("#diff-counts div").first.locator("dd").inner_text())
    assert 0 < affected <= len(seen)
    assert axe_violations(page) == []
    repaired = httpx.get(f"{server}/api/plans/{draft}", auth=AUTH).json()
    scenario = httpx.get(f"{server}/api/weeks/{week}/scenario", auth=AUTH).json()
    assert check_plan_document(parse_scenario(scenario), repaired) == []

    page.get_by_role("link", name="Offentliggør…").click()
    page.wait_for_url(f"**/plans/{draft}/publish")
    page.get_by_role("button", name="Ja, offentliggør").click()
    page.get_by_role("status").filter(has_text="Planen er offentliggjort").wait_for()

    page.goto(f"/plans/{draft}/letters")
    names = page.locator("table.letters-table tbody th[scope=row]").all_inner_texts()
    citizens = {c["id"]: c["name"] for c in doc["citizens"]}
    assert 0 < len(names) <= len(seen)
    assert set(names) <= {citizens[c] for c in seen}
