"""Accounts: who may sign in, with which role, and checking their passwords (argon2)."""

from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from planner.db.models import ROLES, UserAccount

hasher = PasswordHasher()
#: Checked against when the username is unknown, so a wrong name takes as long as a wrong password.
DUMMY_HASH = hasher.hash("no such user")
MIN_PASSWORD = 10


class AccountError(ValueError):
    """An account cannot be made as asked; `field` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def create_account(
    username: str,
    password: str,
    *,
    session: Session,
    name: str = "",
    role: str = "coordinator",
    therapist: str | None = None,
) -> UserAccount:
    """A new account with its password hashed; AccountError says which field is wrong."""
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("-", "").isalnum():
        raise AccountError("username", "Brugernavnet må kun indeholde bogstaver, tal, punktum og -")
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", f"Adgangskoden skal være mindst {MIN_PASSWORD} tegn")
    if role not in ROLES:
        raise AccountError("role", f"Rollen skal være en af {', '.join(ROLES)}")
    if role == "therapist" and not therapist:
        raise AccountError("therapist", "En terapeutkonto skal høre til en terapeut")
    if find_account(username, session=session) is not None:
        raise AccountError("username", f"Brugernavnet {username} findes allerede")
    account = UserAccount(
        username=username,
        name=name or username,
        role=role,
        therapist=therapist if role == "therapist" else None,
        password_hash=hasher.hash(password),
        created_at=datetime.now(UTC),
    )
    session.add(account)
    session.commit()
    session.refresh(account)
    return account


def find_account(username: str, *, session: Session) -> UserAccount | None:
    query = select(UserAccount).where(UserAccount.username == username.strip().lower())
    return session.exec(query).first()


def authenticate(username: str, password: str, *, session: Session) -> UserAccount | None:
    """The account when the password is right, else None (in about the same time either way)."""
    account = find_account(username, session=session)
    try:
        hasher.verify(account.password_hash if account else DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is not None and hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
        session.add(account)
        session.commit()
    return account
