"""Writing the access log from a route: who (the signed-in account), what (method and path)."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from sqlmodel import Session

from planner.db.models import UserAccount
from planner.security.access import record, referral_citizens, week_citizens


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


def logged_referrals(
    request: Request,
    who: UserAccount | str,
    referrals: Iterable[str],
    scenario_id: int,
    session: Session,
) -> None:
    """A read of the citizens of these referrals of a stored week (a page naming them)."""
    citizens = referral_citizens(referrals, scenario_id, session=session)
    logged(request, who, "read", citizens, session, scenario_id)


def logged_week(
    request: Request, who: UserAccount | str, scenario_id: int, session: Session
) -> None:
    """A read of every citizen of a stored week (a page or list naming them all)."""
    logged(request, who, "read", week_citizens(scenario_id, session=session), session, scenario_id)
