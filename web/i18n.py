"""The UI's languages: Danish first (the strings in the templates), English on request.

Templates write Danish and wrap it in `_()`; `translations/*.json` give the English of each such
string (one file per part of the app). A test checks that every `_()` string has its English.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from fastapi import Request

from planner.text.messages import Lang

LANGUAGES = ("da", "en")

TRANSLATIONS = Path(__file__).parent / "translations"


def english_catalogue() -> dict[str, str]:
    """Danish → English, from every `translations/*.json` (one file per part of the app)."""
    catalogue: dict[str, str] = {}
    for path in sorted(TRANSLATIONS.glob("*.json")):
        catalogue |= json.loads(path.read_text(encoding="utf-8"))
    return catalogue


ENGLISH = english_catalogue()


def language(request: Request) -> str:
    """The reader's language: the `lang` cookie, else Danish."""
    chosen = request.cookies.get("lang", "da")
    return chosen if chosen in LANGUAGES else "da"


def message_language(request: Request) -> Lang:
    """The reader's language as the message catalogue names it ("da" or "en")."""
    return "en" if language(request) == "en" else "da"


def api_language(request: Request) -> Lang:
    """The language of the API's messages: the first of Danish and English that the request's
    `Accept-Language` names (by its weights), else English, the exchange format's language."""
    return accepted_language(request.headers.get("accept-language", "")) or "en"


def accepted_language(header: str) -> Lang | None:
    """ "da", "en" or None from an Accept-Language header such as `en-GB,en;q=0.9,da;q=0.8`."""
    ranked: list[tuple[float, int, str]] = []
    for place, part in enumerate(header.split(",")):
        tag, *options = (p.strip() for p in part.split(";"))
        weight = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        ranked.append((-weight, place, tag.split("-")[0].lower()))
    for weight, _, tag in sorted(ranked):
        if weight < 0 and tag in LANGUAGES:
            return "da" if tag == "da" else "en"
    return None


def translator(lang: str) -> Callable[[str], str]:
    """`_()` for templates: the Danish string itself, or its English."""

    def translate(text: str) -> str:
        return ENGLISH.get(text, text) if lang == "en" else text

    return translate
