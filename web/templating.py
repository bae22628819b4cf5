"""Rendering: one Jinja2 environment; a page or, for an HTMX request, just its fragment."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from planner.wording import in_danish
from web.deps import csrf_token
from web.i18n import language, translator

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


def clock(minutes: int) -> str:
    """Minutes after midnight as the Danish clock, e.g. 10.30."""
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


def weekday(day: date, lang: str = "da") -> str:
    return (WEEKDAYS_DA if lang == "da" else WEEKDAYS_EN)[day.weekday()]


def long_date(day: date) -> str:
    """E.g. 'tirsdag den 8. december'."""
    return f"{WEEKDAYS_DA[day.weekday()]} den {day.day}. {MONTHS_DA[day.month - 1]}"


templates.env.filters["clock"] = clock
templates.env.filters["long_date"] = long_date
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
