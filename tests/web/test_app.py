"""The app as a whole: every UI string has its English, error pages never show a traceback,
and pages carry the headers health data needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import Web
from web.i18n import ENGLISH, english_catalogue

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
UI_STRING = re.compile(r"""_\(\s*(["'])(.+?)\1\s*\)""")


def template_strings() -> set[str]:
    """Every literal `_("...")` of every template."""
    found: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        found |= {m.group(2) for m in UI_STRING.finditer(path.read_text(encoding="utf-8"))}
    return found


def test_every_template_string_has_its_english() -> None:
    strings = template_strings()

    assert len(strings) > 50
    assert sorted(s for s in strings if s not in ENGLISH) == []


def test_english_catalogue_has_no_empty_translations() -> None:
    assert sorted(k for k, v in english_catalogue().items() if not v.strip()) == []


def test_unknown_page_is_a_danish_404_page(coordinator: Web) -> None:
    response = coordinator.get("/ingen/side")

    assert response.status_code == 404
    assert "Siden findes ikke." in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_an_unexpected_error_shows_an_apology_not_a_traceback(app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("hemmelig intern detalje")

    app.add_api_route("/boom", boom)
    response = TestClient(app, raise_server_exceptions=False).get("/boom")

    assert response.status_code == 500
    assert "Noget gik galt" in response.text
    assert "hemmelig intern detalje" not in response.text
    assert "Traceback" not in response.text
    assert (response.headers["cache-control"], response.headers["x-frame-options"]) == (
        "no-store",
        "DENY",
    )


def test_pages_are_not_cached_framed_or_sniffed(coordinator: Web) -> None:
    headers = coordinator.get("/weeks").headers

    assert headers["cache-control"] == "no-store"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_every_page_has_a_skip_link_and_one_main(coordinator: Web) -> None:
    page = coordinator.get("/weeks").text

    assert '<a class="skip" href="#main">Gå til indhold</a>' in page
    assert page.count("<main ") == 1
