"""The register's therapists in the browser: the coordinator enters an absence with the keyboard
and the next week made from the register has those hours less."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import axe_violations
from tests.browser.test_register import served, tab

__all__ = ["served"]  # the module's own server on the register of test_register

LAPTOP = {"width": 1366, "height": 900}


def available_hours(page: Any, name: str) -> str:
    """The therapist's available hours in the week overview's load table."""
    row = page.locator("table.load tr", has=page.get_by_role("rowheader", name=name, exact=True))
    return str(row.locator("td").nth(1).inner_text())


def test_absence_entered_takes_its_hours_out_of_the_next_derived_week(
    browser: Any, served: dict[str, Any]
) -> None:
    page = tab(browser, served, LAPTOP, "koord")
    page.get_by_role("link", name="Terapeuter og hold").first.click()
    page.get_by_role("link", name="Terapeut t002").click()
    assert axe_violations(page) == []

    page.get_by_label("Første fraværsdag").fill("2026-12-16")
    page.get_by_label("Sidste fraværsdag").fill("2026-12-14")  # before the first: refused
    page.get_by_label("Type").select_option("ferie")
    page.get_by_role("button", name="Tilføj fravær").click()
    error = page.locator("#end-error")
    assert error.inner_text() == (
        "Sidste fraværsdag: ligger før 16.12.2026; skriv en dato samme dag eller senere"
    )
    assert page.get_by_label("Sidste fraværsdag").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []

    page.get_by_label("Første fraværsdag").fill("2026-12-15")
    page.get_by_label("Sidste fraværsdag").fill("2026-12-16")
    page.get_by_label("Sidste fraværsdag").press("Enter")  # the keyboard sends the form
    page.wait_for_url(re.compile(r"saved=1"))
    assert page.get_by_role("status").inner_text().startswith("Ændringen er gemt.")
    assert page.locator("#absences tbody tr").count() == 1

    page.get_by_role("link", name="Forløb").first.click()
    page.get_by_label("Uge (ISO, fx 2026-W50)").fill("2026-W51")
    page.get_by_label("Tidsgrænse (sekunder)").select_option("10")
    page.get_by_role("button", name="Lav og planlæg ugen").click()
    page.wait_for_url("**/weeks/*")

    assert "uge 51" in page.locator("h1").first.inner_text()
    assert available_hours(page, "Terapeut t002") == "24.0 timer"  # 40 hours less two days
    page.context.close()
