"""API tokens: a script's `Authorization: Bearer` secret, made per account, kept only hashed,
revocable one by one."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlmodel import Session, select

from planner.db.models import ApiToken, UserAccount

PREFIX = "tp_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(account: UserAccount, name: str, *, session: Session) -> tuple[int, str]:
    """A new token for the account; returns its id and the token, shown this once only."""
    assert account.id is not None
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(account_id=account.id, name=name or "script", token_hash=digest(token),
                   created_at=datetime.now(UTC))  # fmt: skip
    session.add(row)
    session.commit()
    assert row.id is not None
    return row.id, token


def token_account(token: str, *, session: Session) -> UserAccount | None:
    """The account of a live (not revoked) token, else None."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    return session.get(UserAccount, row.account_id)


def revoke_api_token(token_id: int, *, session: Session) -> bool:
    """Revoke a token by id; False when there is no live token with that id."""
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = datetime.now(UTC)
    session.add(row)
    session.commit()
    return True
