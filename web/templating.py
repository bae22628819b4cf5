"""Rendering: one Jinja2 environment; a page or, for an HTMX request, just its fragment."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from planner.text.wording import WEEKDAYS_DA, clock, in_danish
from web.deps import csrf_token
from web.i18n import language, translator

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday(day: date, lang: str = "da") -> str:
    return (WEEKDAYS_DA if lang == "da" else WEEKDAYS_EN)[day.weekday()]


templates.env.filters["clock"] = clock
templates.env.globals["weekday"] = weekday


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page `name`, or the template `fragment` when HTMX asked for part of a page."""
    lang = language(request)
    chosen = fragment if fragment and request.headers.get("hx-request") else name
    values = {
        "request": request,
        "lang": lang,
        "_": translator(lang),
        "csrf": csrf_token(request),
        "say": in_danish if lang == "da" else str,  # the solver's sentences, in Danish
        "account": getattr(request.state, "account", None),
        **(context or {}),
    }
    return templates.TemplateResponse(request, chosen, values, status_code=status_code)
