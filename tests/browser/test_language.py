"""The Danish UI says everything in Danish and the English UI in English, also where the
product has something to tell: a refused move, a refused data edit, why sessions are unplaced,
an error page, why appointments of a published plan are hit by a change of the week ("Ramt:"),
a refused change of the week, and a form field the app refuses.

What counts as a sentence of the other language: every stretch of two or more words between the
parameters of that language's message templates (planner/text/messages.py), and a few words that
only that language uses.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from datetime import date, datetime
from typing import Any

import httpx
import pytest

from planner.text.messages import CATALOGUE
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_repair import published_demo_week, wednesday_of

AUTH = ("koord", PASSWORD)
#: Words a Danish page never needs, and an English page never needs.
ENGLISH_WORDS = ("Appointment", "therapist", "referral", "changed by hand", " is ", " the ")
DANISH_WORDS = ("Aftale ", "terapeut", "henvisning", " er ", " ikke ", " findes ")


def fragments(lang: int) -> set[str]:
    """The literal word runs of every template of one language (0 Danish, 1 English)."""
    found = set()
    for templates in CATALOGUE.values():
        for literal, *_ in string.Formatter().parse(templates[lang]):
            for part in re.split(r"[;:,.()'\"]", literal):
                if len(part.split()) >= 3:
                    found.add(part.strip())
    return found


ENGLISH = sorted(fragments(1) - fragments(0)) + list(ENGLISH_WORDS)
DANISH = sorted(fragments(0) - fragments(1)) + list(DANISH_WORDS)


def foreign(text: str, words: list[str]) -> list[str]:
    return [w for w in words if w in text]


def main_text(page: Any) -> str:
    return str(page.locator("main").inner_text())


def first_individual_appointment(page: Any, plan: int) -> str:
    doc = page.request.get(f"/api/plans/{plan}").json()
    return next(a["id"] for a in doc["appointments"] if a["kind"] == "individual")


def refused_move(page: Any, plan: int) -> str:
    """Move an appointment to a slot whose start is changed to 20.00: the rules refuse it."""
    key = first_individual_appointment(page, plan)
    page.goto(f"/plans/{plan}/appointments/{key}")
    page.evaluate(
        """() => { const old = document.querySelector('[name=start][form=slot-1]');
                   old.outerHTML = '<input type=hidden name=start value=1200 form=slot-1>'; }"""
    )
    page.locator("#slot-1 button[type=submit]").click()
    page.locator("#change-error").wait_for()
    return main_text(page)


def refused_edit(page: Any) -> str:
    """Save a therapist with an absence that is no date, then with a negative weekly maximum
    (the form's own check, then the week's rules); the texts of both refusals."""
    texts = []
    for field, value in (("#absent", "2026-13-01"), ("#max_minutes", "-5")):
        page.goto("/weeks/1/therapists/t001/edit")
        page.locator(field).fill(value)
        page.locator("form.data-form button.primary").click()
        page.locator("#form-errors").wait_for()
        texts.append(main_text(page))
    return "\n".join(texts)


def unplaced_reasons(page: Any) -> str:
    """The week overview of the first plan: the missing sessions and their reasons."""
    page.goto("/weeks/1?plan=1")
    page.locator("ul.reasons li").first.wait_for()
    return str(page.locator("ul.reasons").first.inner_text()) + "\n" + main_text(page)


def error_page(page: Any) -> str:
    response = page.goto("/plans/1/referrals/r9999")
    assert response.status == 404
    return main_text(page)


@pytest.fixture(scope="module")
def hit(server: str) -> dict[str, Any]:
    """A published week (five weeks ahead, of its own) whose busiest Wednesday therapist is
    then ill: the change is entered and repaired through the API, so the published plan's
    appointments of that day are hit. Its plan, the therapist and the Wednesday."""
    week, plan, doc = published_demo_week(server, weeks_ahead=5)
    wednesday = wednesday_of(doc)
    plan_doc = httpx.get(f"{server}/api/plans/{plan}", auth=AUTH).json()
    busy = Counter(
        a["therapist"]
        for a in plan_doc["appointments"]
        if datetime.fromisoformat(a["start"]).date() == wednesday
    )
    ill = min(busy, key=lambda t: (-busy[t], t))
    change = {"therapist": ill, "from": f"{wednesday}T00:00", "to": f"{wednesday}T23:59"}
    repaired = httpx.post(f"{server}/api/plans/{plan}/repair", json=change, auth=AUTH, timeout=120)
    assert repaired.status_code == 201, repaired.text
    return {"week": week, "plan": plan, "ill": ill, "wednesday": wednesday}


def hit_reasons(page: Any, hit: dict[str, Any]) -> str:
    """The ill therapist's week grid ("Ramt: ..." on each hit appointment) and the changes page
    (the table of hit appointments with their reasons)."""
    page.goto(f"/plans/{hit['plan']}/therapists/{hit['ill']}")
    page.locator(".appt-hit").first.wait_for()
    marks = "\n".join(page.locator(".appt-hit").all_inner_texts())
    page.goto(f"/plans/{hit['plan']}/changes")
    page.locator("tr.hit").first.wait_for()
    return marks + "\n" + main_text(page)


def refused_change(page: Any, hit: dict[str, Any]) -> str:
    """A room closed from noon until eleven the same day: the form names the field."""
    page.goto(f"/plans/{hit['plan']}/changes")
    day = date.fromisoformat(str(hit["wednesday"]))
    page.locator("#room-start").fill(f"{day}T12:00")
    page.locator("#room-end").fill(f"{day}T11:00")
    page.locator("#room-end").press("Enter")
    page.locator("#form-errors").wait_for()
    return main_text(page)


def refused_field(page: Any, _: dict[str, Any]) -> str:
    """The course list asked for a status there is none of: the error page names the field."""
    response = page.goto("/courses?status=maybe")
    assert response.status == 422
    return main_text(page)


WALK = {
    "refused move": lambda page, _: refused_move(page, 1),
    "refused data edit": lambda page, _: refused_edit(page),
    "unplaced reasons": lambda page, _: unplaced_reasons(page),
    "error page": lambda page, _: error_page(page),
    "hit reasons": hit_reasons,
    "refused change of the week": refused_change,
    "refused form field": refused_field,
}


@pytest.mark.parametrize("step", list(WALK))
def test_danish_ui_says_no_english_sentence(page: Any, hit: dict[str, Any], step: str) -> None:
    sign_in(page)
    text = WALK[step](page, hit)

    assert text.strip() != ""
    assert foreign(text, ENGLISH) == []


@pytest.mark.parametrize("step", list(WALK))
def test_english_ui_says_no_danish_sentence(
    page: Any, server: str, hit: dict[str, Any], step: str
) -> None:
    sign_in(page)
    page.context.add_cookies([{"name": "lang", "value": "en", "url": server}])
    text = WALK[step](page, hit)

    assert text.strip() != ""
    assert foreign(text, DANISH) == []


def test_the_walk_meets_each_kind_of_message(page: Any, server: str, hit: dict[str, Any]) -> None:
    """The steps show what they are meant to: the rules' words, the form's, the solver's, the
    repair's, in each language."""
    sign_in(page)
    assert "Ændringen blev afvist" in refused_move(page, 1)
    edits = refused_edit(page)
    assert 'Fraværsdage: "2026-13-01" er ikke en dato' in edits
    assert "Højst minutter pr. uge: skal være mindst 0 (ikke -5)" in edits
    assert "Henvisning r9999 findes ikke." in error_page(page)
    assert "Ramt: Terapeuten er fraværende" in hit_reasons(page, hit)
    assert "to: sluttidspunktet skal ligge efter starttidspunktet." in refused_change(page, hit)
    assert "Feltet 'status' skal være en af waiting" in refused_field(page, hit)
    page.context.add_cookies([{"name": "lang", "value": "en", "url": server}])
    assert "Hit: The therapist is absent" in hit_reasons(page, hit)
    assert "to: the end must be after the start." in refused_change(page, hit)
    assert "The field 'status' must be one of waiting" in refused_field(page, hit)
