"""The app: middleware (signed session cookies, security headers), routers, error pages."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from planner.db.engine import default_engine
from planner.errors import NotFound, PlanStateError
from planner.formats.scenario import ScenarioError
from planner.plan.repair import ChangeError
from planner.register.store import RegisterError
from planner.security.secret import server_secret
from planner.text.messages import Message, to_json
from planner.text.messages import render as render_message
from web.deps import Conflict, LoginRequired, Refused
from web.i18n import api_language, message_language
from web.limits import MAX_BODY, problem_of
from web.routes import (
    api,
    api_plans,
    auth,
    courses,
    data,
    feeds,
    grid,
    letters,
    register_api,
    register_staff,
    repair,
    weeks,
)
from web.routes import figures as figures_routes
from web.routes import waiting as waiting_routes
from web.templating import render

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("web")

ROUTERS = [
    auth.router,
    weeks.router,
    api.router,
    api_plans.router,
    feeds.router,
    letters.router,
    data.router,
    grid.router,
    register_api.router,
    courses.router,
    register_staff.router,
    waiting_routes.router,
    figures_routes.router,
    repair.router,
    repair.api_router,
]


def create_app(
    engine: Engine | None = None, secret_key: str | None = None, background_jobs: bool = True
) -> FastAPI:
    """The web app on a migrated database (`DATABASE_URL`'s by default).

    `background_jobs=False` makes a solve finish inside the request (for tests only).
    """
    app = FastAPI(
        title="Træningsplan",
        description="Ugeplaner for kommunale træningscentre. JSON-API'et ligger under /api/.",
        docs_url=None,  # the OpenAPI document is served behind sign-in (web/routes/api.py)
        redoc_url=None,
        openapi_url=None,
        max_body_size=MAX_BODY,  # a streamed body over the limit: 413 as it comes in
    )
    app.state.engine = engine or default_engine()
    app.state.background_jobs = background_jobs
    key = secret_key or server_secret()
    app.state.secret = key  # signs session cookies and derives calendar-feed tokens
    app.add_middleware(
        SessionMiddleware, secret_key=key, session_cookie="planner_session", same_site="lax",
        https_only=os.environ.get("PLANNER_HTTPS") == "1", max_age=12 * 3600,
    )  # fmt: skip
    app.middleware("http")(security_headers)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(LoginRequired, login_required)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(NotFound, not_found)  # type: ignore[arg-type]
    app.add_exception_handler(Refused, refused)  # type: ignore[arg-type]
    app.add_exception_handler(Conflict, conflict)  # type: ignore[arg-type]
    app.add_exception_handler(PlanStateError, plan_state)  # type: ignore[arg-type]
    app.add_exception_handler(ScenarioError, document_refused)  # type: ignore[arg-type]
    app.add_exception_handler(RegisterError, document_refused)  # type: ignore[arg-type]
    app.add_exception_handler(ChangeError, document_refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, bad_request)  # type: ignore[arg-type]
    for hostile in (OverflowError, RecursionError, DataError):
        app.add_exception_handler(hostile, hostile_input)
    app.add_exception_handler(Exception, server_error)
    return app


async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
    return protected(await call_next(request), request.url.path)


#: Scripts only from this site (htmx and print.js; no inline script or handler anywhere); styles
#: from this site and in `style` attributes (the grids place entries with them); nothing framed.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def protected(response: Response, path: str = "") -> Response:
    """Health data: no caching of pages or API answers, no framing, no sniffing, no referrer to
    elsewhere, no scripts but the site's own; HSTS when served over HTTPS (`PLANNER_HTTPS=1`)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("Permissions-Policy", PERMISSIONS)
    if os.environ.get("PLANNER_HTTPS") == "1":
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    if response.headers.get("content-type", "").startswith("text/html") or path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def login_required(request: Request, _exc: LoginRequired) -> Response:
    """Send a reader without a session to the login page (HTMX: a full-page redirect)."""
    if wants_json(request):
        # No WWW-Authenticate: a browser would prompt for, and cache, the password.
        return message_answer(request, Message("web.sign-in-first"), 401)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = f"/login?next={quote(here, safe='/')}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def http_error(request: Request, exc: HTTPException) -> Response:
    if wants_json(request):
        detail = exc.detail
        if exc.status_code == 422 and isinstance(detail, list):
            return problems_answer([text_problem(str(item)) for item in detail])
        return JSONResponse({"detail": detail}, status_code=exc.status_code,
                            headers=exc.headers)  # fmt: skip
    message = {404: "Siden findes ikke.", 403: "Du har ikke adgang til denne side."}
    text = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
    return render(
        request, "error.html",
        {"message": text or message.get(exc.status_code, "Fejl"), "code": exc.status_code},
        status_code=exc.status_code,
    )  # fmt: skip


def problems_answer(items: list[dict[str, Any]], status: int = 422) -> JSONResponse:
    """The API's list of errors: `detail` the sentences, as the exchange format has always
    listed them, and `errors` the same as data (docs/api-errors.md)."""
    return JSONResponse({"detail": [i["message"] for i in items], "errors": items}, status)


async def conflict(request: Request, exc: Conflict) -> Response:
    """A change the plan's rules refuse: 409, each reason as `"<rule id>: <sentence>"` in
    `detail` and as data in `errors`."""
    lang = api_language(request) if wants_json(request) else message_language(request)
    items = [
        {**to_json(m), "code": code, "message": f"{code}: {render_message(m, lang)}"}
        for code, m in exc.reasons
    ]
    if wants_json(request):
        return problems_answer(items, 409)
    lines = [i["message"] for i in items]
    return render(request, "error.html", {"message": "; ".join(lines), "code": 409},
                  status_code=409)  # fmt: skip


async def not_found(request: Request, exc: NotFound) -> Response:
    """Something the URL names does not exist: 404, said in the reader's language."""
    return message_answer(request, exc.message, 404)


async def refused(request: Request, exc: Refused) -> Response:
    """A request refused by the web app itself, said in the reader's language; under /api/ a
    422 lists it as one problem, as every 422 does (`{"detail": [...]}`)."""
    if exc.status == 422 and wants_json(request):
        text = render_message(exc.message, api_language(request))
        item = {**text_problem(text, [exc.field] if exc.field else None), **to_json(exc.message)}
        return problems_answer([item])
    return message_answer(request, exc.message, exc.status, headers=exc.headers)


async def plan_state(request: Request, exc: PlanStateError) -> Response:
    """The plan's state does not allow this (read-only, not a draft, not published, or it breaks
    rules against the week's data as it is now, listed one by one): 409."""
    details = [v.message for v in getattr(exc, "violations", ())]
    return message_answer(request, exc.message, 409, details)


def message_answer(
    request: Request,
    message: Message,
    status: int,
    details: list[Message] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error page, or for the API `{"detail": text, "code", "params"}` (in the request's
    `Accept-Language`, English by default); `details` are the messages listed under it (the
    rules a plan breaks)."""
    lang = api_language(request) if wants_json(request) else message_language(request)
    text = render_message(message, lang)
    items = [render_message(d, lang) for d in details or ()]
    if wants_json(request):
        extra = {"violations": items} if items else {}
        body = {"detail": text, **to_json(message), **extra}
        return JSONResponse(body, status_code=status, headers=headers)
    context = {"message": text, "code": status, "details": items}
    response = render(request, "error.html", context, status_code=status)
    response.headers.update(headers or {})
    return response


async def document_refused(
    request: Request, exc: ScenarioError | RegisterError | ChangeError
) -> Response:
    """A scenario/1 document (or register input) that cannot be stored: 422 with every error,
    nothing stored. The API lists each as an object (`DocumentError.to_json`) with the line in
    the request's language; a page lists the lines in the reader's."""
    if wants_json(request):
        lang = api_language(request)
        items = [e.to_json(lang) for e in exc.found] or [text_problem(t) for t in exc.errors]
        return problems_answer(items)
    lang = message_language(request)
    lines = [e.text(lang) for e in exc.found] or exc.errors
    heading = render_message(Message("document.refused", {"n": len(lines)}), lang)
    context = {"message": heading, "code": 422, "details": lines}
    return render(request, "error.html", context, status_code=422)


def text_problem(text: str, field: list[str | int] | None = None) -> dict[str, object]:
    """An error that exists only as a sentence, in the shape of `DocumentError.to_json` (no
    record; the field where the request names it)."""
    where = ".".join(str(p) for p in field or ())
    return {
        "code": "text",
        "params": {"text": text},
        "location": where or None,
        "record": None,
        "field": list(field or ()),
        "message": f"{where}: {text}" if where else text,
    }


async def bad_request(request: Request, exc: RequestValidationError) -> Response:
    """A malformed request (a missing field, a word where a number belongs), said plainly."""
    fields = [[p for p in e["loc"] if p not in ("body", "query", "path")] for e in exc.errors()]
    if wants_json(request):
        items = [text_problem(e["msg"], f) for e, f in zip(exc.errors(), fields, strict=True)]
        return problems_answer(items)
    problems = [
        f"{'.'.join(str(p) for p in f)}: {e['msg']}"
        for e, f in zip(exc.errors(), fields, strict=True)
    ]
    return render(request, "error.html", {"message": "; ".join(problems), "code": 422},
                  status_code=422)  # fmt: skip


async def hostile_input(request: Request, exc: Exception) -> Response:
    """Hostile input that got this far (an id beyond the database's integers, JSON nested too
    deep) is the client's mistake: 404 or 422; anything else of these kinds a server error."""
    refused = problem_of(exc)
    if refused is None:
        return await server_error(request, exc)
    return await http_error(request, HTTPException(*refused))


async def server_error(request: Request, exc: Exception) -> Response:
    """Never a traceback to a user: log it, say sorry."""
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    # This handler runs outside the middleware, so it sets the protective headers itself.
    if wants_json(request):
        text = render_message(Message("web.server-error"), api_language(request))
        return protected(JSONResponse({"detail": text}, status_code=500), "/api/")
    message = {"message": "Noget gik galt. Prøv igen, eller kontakt support.", "code": 500}
    return protected(render(request, "error.html", message, status_code=500))
