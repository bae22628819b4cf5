"""Writing the access log from a route: who (the signed-in account), what (method and path)."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from sqlmodel import Session

from planner.db.models import UserAccount
from planner.security.access import record


def logged(
    request: Request,
    who: UserAccount | str,
    action: str,
    citizens: Iterable[str],
    session: Session,
    scenario_id: int | None = None,
) -> None:
    """One access-log entry per citizen for this request."""
    account = who if isinstance(who, str) else who.username
    what = f"{request.method} {request.url.path}"
    record(account, action, what, citizens, session=session, scenario_id=scenario_id)
