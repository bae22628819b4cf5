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


def translator(lang: str) -> Callable[[str], str]:
    """`_()` for templates: the Danish string itself, or its English."""

    def translate(text: str) -> str:
        return ENGLISH.get(text, text) if lang == "en" else text

    return translate
