"""The Danish UI says everything in Danish and the English UI in English, also where the
product has something to tell: a refused move, a refused data edit, why sessions are unplaced,
and an error page.

What counts as a sentence of the other language: every stretch of two or more words between the
parameters of that language's message templates (planner/text/messages.py), and a few words that
only that language uses.
"""

from __future__ import annotations

import re
import string
from typing import Any

import pytest

from planner.text.messages import CATALOGUE
from tests.browser.conftest import sign_in

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


WALK = {
    "refused move": lambda page: refused_move(page, 1),
    "refused data edit": refused_edit,
    "unplaced reasons": unplaced_reasons,
    "error page": error_page,
}


@pytest.mark.parametrize("step", list(WALK))
def test_danish_ui_says_no_english_sentence(page: Any, step: str) -> None:
    sign_in(page)
    text = WALK[step](page)

    assert text.strip() != ""
    assert foreign(text, ENGLISH) == []


@pytest.mark.parametrize("step", list(WALK))
def test_english_ui_says_no_danish_sentence(page: Any, server: str, step: str) -> None:
    sign_in(page)
    page.context.add_cookies([{"name": "lang", "value": "en", "url": server}])
    text = WALK[step](page)

    assert text.strip() != ""
    assert foreign(text, DANISH) == []


def test_the_walk_meets_each_kind_of_message(page: Any) -> None:
    """The steps show what they are meant to: the rules' words, the form's, the solver's."""
    sign_in(page)
    assert "Ændringen blev afvist" in refused_move(page, 1)
    edits = refused_edit(page)
    assert 'Fraværsdage: "2026-13-01" er ikke en dato' in edits
    assert "Højst minutter pr. uge: skal være mindst 0 (ikke -5)" in edits
    assert "Henvisning r9999 findes ikke." in error_page(page)
