"""WCAG 2.1 AA in a real browser: axe-core finds nothing on each page, pages reflow at 200 %
zoom without sideways scrolling, and the keyboard reaches everything with a visible focus.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, sign_in

PAGES = ["/weeks", "/weeks/1", "/weeks/1/plans"]
#: Every other kind of coordinator page, on the Norddjurs week and its first-fit draft.
MORE_PAGES = [
    "/weeks/1?centre=auning",
    "/plans/1/grid",
    "/plans/1/centres/posthaven",
    "/plans/1/therapists/t001",
    "/plans/1/classes/balance-auning",
    "/plans/1/referrals/r0001",
    "/plans/1/appointments/a0001",
    "/weeks/1/feeds",
    "/weeks/1/therapists",
    "/weeks/1/therapists/t001/edit",
    "/weeks/1/referrals/new",
    "/weeks/1/citizens",
    "/weeks/1/classes/balance-auning/edit",
]


def test_login_page_meets_wcag_21_aa(page: Any) -> None:
    page.goto("/login")

    assert axe_violations(page) == []


def test_failed_login_message_meets_wcag_21_aa(page: Any) -> None:
    page.goto("/login")
    page.get_by_label("Brugernavn").fill("koord")
    page.get_by_label("Adgangskode").fill("forkert-kode")
    page.get_by_role("button", name="Log ind").click()

    assert page.get_by_role("alert").inner_text() == "Forkert brugernavn eller adgangskode."
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_coordinator_page_meets_wcag_21_aa(page: Any, path: str) -> None:
    sign_in(page)
    page.goto(path)

    assert axe_violations(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_english_page_meets_wcag_21_aa(page: Any, path: str) -> None:
    sign_in(page)
    page.goto(f"/sprog/en?next={path}")

    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", MORE_PAGES)
def test_every_other_coordinator_page_meets_wcag_21_aa(page: Any, path: str) -> None:
    sign_in(page)
    response = page.goto(path)

    assert response.status == 200
    assert axe_violations(page) == []


def test_therapist_own_week_meets_wcag_21_aa(page: Any) -> None:
    sign_in(page, "anders")
    page.goto("/me")

    assert page.get_by_role("heading", level=1).inner_text().startswith("Min uge")
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/login", *PAGES, *MORE_PAGES])
def test_page_reflows_at_200_percent_zoom(browser: Any, server: str, path: str) -> None:
    """200 % zoom of a 1280 px window is a 640 px viewport: nothing may need sideways scrolling
    (wide tables scroll inside their own box)."""
    context = browser.new_context(base_url=server, viewport={"width": 640, "height": 800})
    page = context.new_page()
    if path != "/login":
        sign_in(page)
    page.goto(path)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(page: Any) -> None:
    sign_in(page)
    page.goto("/weeks")
    page.keyboard.press("Tab")

    focused = page.evaluate(
        "() => [document.activeElement.className, getComputedStyle(document.activeElement)"
        ".outlineStyle]"
    )
    assert focused == ["skip", "solid"]
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_axe_check_does_find_a_missing_label_and_poor_contrast(page: Any) -> None:
    """The checker itself: a page with known faults is not passed."""
    page.set_content(
        '<html lang="da"><head><title>Prøve</title></head><body><main><h1>Prøve</h1><input id="x">'
        '<p style="color:#aaa;background:#fff">grå tekst</p></main></body></html>'
    )

    found = {line.split(":")[0] for line in axe_violations(page)}
    assert found == {"label", "color-contrast"}
