"""The app: middleware (signed session cookies, security headers), routers, error pages."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from planner.db.engine import default_engine
from planner.security.secret import server_secret
from web.deps import LoginRequired
from web.routes import api, auth, data, feeds, grid, letters, repair, weeks
from web.templating import render

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("web")

ROUTERS = [
    auth.router,
    weeks.router,
    api.router,
    feeds.router,
    letters.router,
    data.router,
    grid.router,
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
    app.add_exception_handler(RequestValidationError, bad_request)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, server_error)
    return app


async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
    return protected(await call_next(request))


def protected(response: Response) -> Response:
    """Health data: no caching of pages, no framing, no sniffing, no referrer to elsewhere."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.headers.get("content-type", "").startswith("text/html"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def login_required(request: Request, _exc: LoginRequired) -> Response:
    """Send a reader without a session to the login page (HTMX: a full-page redirect)."""
    if wants_json(request):
        return JSONResponse({"detail": "Log ind først."}, status_code=401,
                            headers={"WWW-Authenticate": 'Basic realm="planner"'})  # fmt: skip
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = f"/login?next={quote(here, safe='/')}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def http_error(request: Request, exc: HTTPException) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                            headers=exc.headers)  # fmt: skip
    message = {404: "Siden findes ikke.", 403: "Du har ikke adgang til denne side."}
    text = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
    return render(
        request, "error.html",
        {"message": text or message.get(exc.status_code, "Fejl"), "code": exc.status_code},
        status_code=exc.status_code,
    )  # fmt: skip


async def bad_request(request: Request, exc: RequestValidationError) -> Response:
    """A malformed request (a missing field, a word where a number belongs), said plainly."""
    problems = [
        f"{'.'.join(str(p) for p in e['loc'] if p not in ('body', 'query', 'path'))}: {e['msg']}"
        for e in exc.errors()
    ]
    if wants_json(request):
        return JSONResponse({"detail": problems}, status_code=422)
    return render(request, "error.html", {"message": "; ".join(problems), "code": 422},
                  status_code=422)  # fmt: skip


async def server_error(request: Request, exc: Exception) -> Response:
    """Never a traceback to a user: log it, say sorry."""
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    # This handler runs outside the middleware, so it sets the protective headers itself.
    if wants_json(request):
        return protected(JSONResponse({"detail": "Intern fejl"}, status_code=500))
    message = {"message": "Noget gik galt. Prøv igen, eller kontakt support.", "code": 500}
    return protected(render(request, "error.html", message, status_code=500))
