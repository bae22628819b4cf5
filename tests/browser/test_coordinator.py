"""A coordinator's week in the browser, start to end: sign in, generate a plan and watch its
progress, open the centre grid, place an unplaced session by hand, lock an appointment,
re-solve keeping it, and publish. Screenshots of the overview and the grid go to a temporary
folder, or to PLANNER_SCREENSHOTS=docs/screenshots when the README's pictures are renewed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan_document
from tests.browser.conftest import sign_in


def generate(page: Any, seconds: str = "10") -> None:
    """Press the generate button and follow the progress box until the plan is ready."""
    page.get_by_label("Tidsgrænse").select_option(seconds)
    page.locator("form[action$='/solve'] button[type=submit]").click()
    box = page.locator("#job")
    box.get_by_role("heading", name="Planlægger …").wait_for()
    placed = box.locator("[data-figure=placed]")
    placed.wait_for()
    box.get_by_role("heading", name="Planen er klar").wait_for(timeout=90_000)
    assert re.fullmatch(r"\d+ placeret af \d+ · Øvre grænse \d+ · \d+ sekunder",
                        box.locator("p").first.inner_text())  # fmt: skip
    box.get_by_role("link", name="Se den nye kladde").click()


def new_referral(page: Any) -> str:
    """A referral that arrives after the plan was made, entered in the referral form; its id."""
    page.goto("/weeks/1/referrals/new")
    key = page.get_by_label("Id", exact=True).input_value()
    page.get_by_label("Borger", exact=True).select_option("c0001")
    page.get_by_label("Pakke", exact=True).select_option("TG1")
    page.get_by_label("Form", exact=True).select_option("centre")
    page.get_by_label("Faggruppe", exact=True).select_option("physio")
    page.get_by_label("Center", exact=True).select_option("posthaven")
    page.get_by_label("Sessioner pr. uge").fill("1")
    page.get_by_label("Minutter pr. session").fill("60")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("status").filter(has_text="Gemt").wait_for()
    return key


def place_by_hand(page: Any, plan: int, referral: str) -> str:
    """Place the referral's missing session in the first free slot offered; the new id."""
    page.goto(f"/plans/{plan}/referrals/{referral}")
    page.locator("table.slot-table").get_by_role("button", name="Placér").first.click()
    page.get_by_role("status").filter(has_text="Sessionen er placeret.").wait_for()
    page.get_by_role("link", name="Se aftalen").click()
    return str(page.url.rsplit("/", 1)[1])


def violations(page: Any, plan: int) -> list[str]:
    """The validator's verdict on a plan the app made, read through the JSON API."""
    scenario = page.request.get("/api/weeks/1/scenario").json()
    doc = page.request.get(f"/api/plans/{plan}").json()
    return [f"{v.rule}: {v.text()}" for v in check_plan_document(parse_scenario(scenario), doc)]


def planned(page: Any) -> int:
    """The id of the plan `generate` just made (other tests on this server may have made plans
    of the week before: ids and versions are not counted from 1 here)."""
    page.wait_for_url(re.compile(r"/weeks/1\?plan=\d+$"))
    return int(page.url.rsplit("=", 1)[1])


def test_coordinator_plans_adjusts_and_publishes_a_week(page: Any, screenshots: Path) -> None:
    sign_in(page)
    page.goto("/weeks/1")
    generate(page)
    first = planned(page)
    assert re.match(r"Planversion \d+", page.locator(".meta").inner_text())
    page.screenshot(path=screenshots / "overview.png", full_page=False)
    overview = page.url
    assert violations(page, first) == []

    page.get_by_role("link", name="Plan som skema").click()
    page.get_by_role("link", name="Træningscenter Posthaven").first.click()
    page.wait_for_url(re.compile(rf"/plans/{first}/centres/posthaven$"))
    assert page.locator(".grid-day").count() == 5
    page.screenshot(path=screenshots / "grid.png", full_page=False)

    placed = place_by_hand(page, first, new_referral(page))
    page.get_by_role("button", name="Lås", exact=True).click()
    page.get_by_role("button", name="Lås op").wait_for()

    page.goto(overview)
    generate(page)
    second = planned(page)
    assert second > first
    page.goto(f"/plans/{second}/appointments/{placed}")
    assert page.locator("#lock .badge").inner_text() == "Låst"
    assert violations(page, second) == []

    page.goto(f"/weeks/1?plan={second}")
    page.get_by_role("link", name="Offentliggør…").click()
    page.get_by_role("button", name="Ja, offentliggør").click()
    assert page.locator(".badge").first.inner_text() == "Offentliggjort"
