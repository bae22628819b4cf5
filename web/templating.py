"""Rendering: one Jinja2 environment; a page or, for an HTMX request, just its fragment."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from planner.text.messages import Lang, Message, stored_message
from planner.text.messages import render as render_message
from planner.text.wording import WEEKDAYS_DA, clock
from web.deps import csrf_token
from web.i18n import language, translator

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday(day: date, lang: str = "da") -> str:
    return (WEEKDAYS_DA if lang == "da" else WEEKDAYS_EN)[day.weekday()]


@pass_context
def say_filter(context: Context, message: Message) -> str:
    """`message|say`: a Message in the page's language (as `say()`), for `map("say")`."""
    return render_message(message, "en" if context.get("lang") == "en" else "da")


templates.env.filters["clock"] = clock
templates.env.filters["say"] = say_filter
templates.env.filters["stored"] = stored_message  # a message kept as JSON text
templates.env.globals["weekday"] = weekday


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page `name`, or the template `fragment` when HTMX asked for part of a page.

    htmx's history restore (a page missing from its cache) asks with HX-Request too, but needs
    the whole page; and a page that can answer either way says so in `Vary`, so no cache hands
    the fragment to a plain request.
    """
    lang = language(request)
    chosen = fragment if fragment and wants_fragment(request) else name
    values = {
        "request": request,
        "lang": lang,
        "_": translator(lang),
        "csrf": csrf_token(request),
        "say": sayer(lang),  # a message (code and parameters) in the page's language
        "account": getattr(request.state, "account", None),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, chosen, values, status_code=status_code)
    if fragment:
        response.headers["Vary"] = "HX-Request"
    return response


def wants_fragment(request: Request) -> bool:
    """An HTMX request for part of a page (not a history restore, which needs all of it)."""
    headers = request.headers
    return bool(headers.get("hx-request")) and headers.get("hx-history-restore-request") != "true"


def sayer(lang: str) -> Any:
    """`say()` for templates: a Message rendered in Danish or English."""
    chosen: Lang = "en" if lang == "en" else "da"

    def say(message: Message) -> str:
        return render_message(message, chosen)

    return say
