"""Signing in and out, and the reader's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from planner.security.accounts import checked_sign_in
from planner.security.signin import Throttled, end_session, start_session
from web.deps import SessionDep, check_csrf
from web.i18n import LANGUAGES
from web.templating import render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path on this site (never //elsewhere or https://elsewhere)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": safe_next(next)})


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    address = client_address(request)
    context = {"next": safe_next(next), "username": username, "failed": True}
    try:
        account = checked_sign_in(username, password, address, session=session)
    except Throttled as e:
        context |= {"failed": False, "retry_after": e.retry_after}
        page = render(request, "login.html", context, status_code=429)
        page.headers["Retry-After"] = str(e.retry_after)
        return page
    if account is None:
        return render(request, "login.html", context, status_code=401)
    request.session.clear()  # a new session on sign-in: no fixation
    assert account.id is not None
    request.session["sid"] = start_session(account.id, session=session)
    return RedirectResponse(safe_next(next), status_code=303)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, session: SessionDep) -> Response:
    token = request.session.get("sid")
    if token:
        end_session(str(token), session=session)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/sprog/{lang}")
def choose_language(lang: str, next: str = "/") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response
