"""Signing in safely: server-side sessions that signing out ends, and slowing down guessing.

A browser's cookie holds only a random session token; the database keeps its SHA-256 with when it
began and was last used. A session ends at sign-out, when the account's password changes, after
`PLANNER_SESSION_IDLE_MINUTES` without use (30) and `PLANNER_SESSION_HOURS` after sign-in (12).

Failed sign-ins are counted per username and per address over `WINDOW`. From the `FREE`-th on,
each further attempt must wait a doubling delay (2 s, 4 s, 8 s, … at most `MAX_DELAY`) after the
last failure, and is answered 429 with Retry-After without checking the password (no argon2 work
for a guesser). The right password after the wait works and clears the account's count.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from planner.db.models import LoginAttempt, UserAccount, WebSession

log = logging.getLogger("planner.security")
WINDOW = timedelta(minutes=15)
FREE = {"account": 5, "address": 20}
MAX_DELAY = 900
#: How often a session's last use is written (not on every request).
SEEN_EVERY = timedelta(seconds=60)


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; the planner writes only UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(minutes=float(os.environ.get("PLANNER_SESSION_IDLE_MINUTES") or 30))


def life_limit() -> timedelta:
    return timedelta(hours=float(os.environ.get("PLANNER_SESSION_HOURS") or 12))


# --- sessions -------------------------------------------------------------------------------------


def start_session(account_id: int, *, session: Session) -> str:
    """A new signed-in session; returns the token for the cookie (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    moment = now()
    row = WebSession(token_hash=digest(token), account_id=account_id, created_at=moment,
                     seen_at=moment)  # fmt: skip
    session.add(row)
    session.commit()
    return token


def session_account(token: str, *, session: Session) -> UserAccount | None:
    """The account of a live session; None when it ended, idled out or lived too long."""
    row = session.exec(select(WebSession).where(WebSession.token_hash == digest(token))).first()
    if row is None or row.ended_at is not None:
        return None
    moment = now()
    if moment - aware(row.seen_at) > idle_limit() or moment - aware(row.created_at) > life_limit():
        row.ended_at = moment
        session.add(row)
        session.commit()
        return None
    if moment - aware(row.seen_at) > SEEN_EVERY:
        row.seen_at = moment
        session.add(row)
        session.commit()
    return session.get(UserAccount, row.account_id)


def end_session(token: str, *, session: Session) -> None:
    """Sign out: the session's cookie opens nothing any more."""
    statement = (
        update(WebSession)
        .where(col(WebSession.token_hash) == digest(token), col(WebSession.ended_at).is_(None))
        .values(ended_at=now())
    )
    session.connection().execute(statement)
    session.commit()


def end_all_sessions(account_id: int, *, session: Session) -> None:
    """End every session of an account (its password changed); the caller commits."""
    statement = (
        update(WebSession)
        .where(col(WebSession.account_id) == account_id, col(WebSession.ended_at).is_(None))
        .values(ended_at=now())
    )
    session.connection().execute(statement)


# --- throttling -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Throttled(Exception):
    """Too many failed sign-ins: try again in `retry_after` seconds."""

    retry_after: int


def failures(session: Session, column: str, value: str) -> tuple[int, datetime | None]:
    since = now() - WINDOW
    field = col(getattr(LoginAttempt, column))
    query = select(func.count(), func.max(LoginAttempt.at)).where(
        field == value, col(LoginAttempt.at) >= since
    )
    count, last = session.exec(query).one()
    return int(count), (aware(last) if last else None)


def wait_seconds(count: int, last: datetime | None, free: int) -> int:
    """How long until the next attempt may be checked: 0, or a doubling delay past `free`."""
    if last is None or count < free:
        return 0
    delay = min(2 ** (count - free + 1), MAX_DELAY)
    left = delay - (now() - last).total_seconds()
    return max(0, int(left + 0.999))


def check_throttle(username: str, address: str, *, session: Session) -> None:
    """Throttled when the account or the address has failed too often too recently."""
    name = username.strip().lower()
    waits = [
        wait_seconds(*failures(session, "username", name), FREE["account"]),
        wait_seconds(*failures(session, "address", address), FREE["address"]),
    ]
    if max(waits) > 0:
        log.warning("sign-in throttled: account %r from %s, %s s", name, address, max(waits))
        raise Throttled(max(waits))


def record_failure(username: str, address: str, *, session: Session) -> None:
    name = username.strip().lower()
    session.add(LoginAttempt(username=name, address=address, at=now()))
    session.commit()
    log.warning("failed sign-in: account %r from %s", name, address)


def record_success(username: str, *, session: Session) -> None:
    """A right password clears the account's failures (the address's stay counted)."""
    name = username.strip().lower()
    session.connection().execute(delete(LoginAttempt).where(col(LoginAttempt.username) == name))
    session.commit()


def prune_attempts(*, session: Session) -> None:
    """Forget failures older than the window."""
    session.connection().execute(delete(LoginAttempt).where(col(LoginAttempt.at) < now() - WINDOW))
    session.commit()
