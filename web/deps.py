"""What routes get injected: the database session, the signed-in account, CSRF checks."""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlmodel import Session, SQLModel

from planner.db.models import UserAccount
from planner.errors import NotFound
from planner.security.signin import session_account
from planner.text.messages import Message

Row = TypeVar("Row", bound=SQLModel)

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class LoginRequired(Exception):
    """Raised for a request without a signed-in account; answered with the login page."""


def get_session(request: Request) -> Iterator[Session]:
    """One database session per request, on the app's engine."""
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def csrf_token(request: Request) -> str:
    """The signed-in session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def check_csrf(request: Request) -> None:
    """Every form post and HTMX request carries the session's token (field or header)."""
    if request.method not in UNSAFE:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = str((await request.form()).get(CSRF_FIELD) or "")
    expected = request.session.get("csrf")
    if not expected or not sent or not hmac.compare_digest(str(expected).encode(), sent.encode()):
        raise refused(403, "web.form-expired")


def check_csrf_header(request: Request) -> None:
    """The API's CSRF check for a browser session: the token in the X-CSRF-Token header."""
    if request.method not in UNSAFE:
        return
    sent = request.headers.get(CSRF_HEADER) or ""
    expected = request.session.get("csrf")
    if not expected or not sent or not hmac.compare_digest(str(expected).encode(), sent.encode()):
        raise refused(403, "web.form-expired")


def check_origin(request: Request) -> None:
    """A change sent by a page of another site is refused, however it signs in: a browser
    names the page's site in `Origin` (scripts send none). `PLANNER_ORIGIN` names this site's
    address when a proxy in front changes it."""
    origin = request.headers.get("origin")
    if request.method not in UNSAFE or origin is None:
        return
    host = request.headers.get("host", "")
    allowed = {f"http://{host}", f"https://{host}", os.environ.get("PLANNER_ORIGIN", "")}
    if origin not in allowed - {""}:
        raise refused(403, "web.other-site")


def current_account(request: Request, session: SessionDep) -> UserAccount:
    """The signed-in account of a live session (see planner.security.signin); LoginRequired
    when there is none, or it ended, idled out or lived too long."""
    token = request.session.get("sid")
    account = session_account(str(token), session=session) if token else None
    if account is None:
        raise LoginRequired()
    # Kept out of the session: a commit or rollback later in the request (the access log, a
    # refused change) must not expire what the error page and the menu read after it closes.
    session.expunge(account)
    request.state.account = account
    return account


AccountDep = Annotated[UserAccount, Depends(current_account)]


def coordinator(account: AccountDep) -> UserAccount:
    """Only a coordinator may do this (a therapist sees only their own week)."""
    if account.role != "coordinator":
        raise refused(403, "web.coordinators-only")
    return account


CoordinatorDep = Annotated[UserAccount, Depends(coordinator)]


#: What a table's row is called in a not-found message (planner/text/messages.py `THINGS`).
ROW_NAMES = {"Plan": "plan", "Scenario": "scenario", "SolveJob": "solve_job"}


def found(session: Session, table: type[Row], id: int) -> Row:
    """The row with this id, or NotFound: 404 (the page, or the API's JSON, says it does not
    exist, in the reader's language)."""
    row = session.get(table, id)
    if row is None:
        raise NotFound(ROW_NAMES.get(table.__name__, table.__name__.lower()), id)
    return row


class Refused(Exception):
    """A request the web app refuses before any planner work (a form field out of range, a
    form that expired, a page for coordinators only): the status and a catalogue message,
    answered in the reader's language (web/app.py). `field` names the form or JSON field."""

    def __init__(
        self,
        status: int,
        message: Message,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message.code}")
        self.status, self.message, self.field, self.headers = status, message, field, headers


class Conflict(Exception):
    """A change of a plan that its rules refuse (a publish, copy, move or repair of the API):
    409 listing each reason by its rule id or code (web/app.py)."""

    def __init__(self, reasons: list[tuple[str, Message]]) -> None:
        super().__init__(", ".join(code for code, _ in reasons))
        self.reasons = reasons


def refused(status: int, code: str, field: str | None = None, **params: Any) -> Refused:
    """`raise refused(422, "form.date", field="day")`; the field is a parameter of the message
    too (templates name it as `{field}`)."""
    said = {"field": field, **params} if field else params
    return Refused(status, Message(code, said), field)
