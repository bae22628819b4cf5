"""Accounts: who may sign in, with which role, and checking their passwords (argon2)."""

from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from planner.db.models import ROLES, UserAccount
from planner.security.passwords import password_problem
from planner.security.signin import (
    check_throttle,
    end_all_sessions,
    record_failure,
    record_success,
)

hasher = PasswordHasher()
#: Checked against when the username is unknown, so a wrong name takes as long as a wrong password.
DUMMY_HASH = hasher.hash("no such user")


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
    problem = password_problem(password, username)
    if problem:
        raise AccountError("password", problem)
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


def change_password(account: UserAccount, password: str, *, session: Session) -> None:
    """A new password; every session of the account ends (a stolen cookie stops working)."""
    problem = password_problem(password, account.username)
    if problem:
        raise AccountError("password", problem)
    account.password_hash = hasher.hash(password)
    session.add(account)
    assert account.id is not None
    end_all_sessions(account.id, session=session)
    session.commit()


def checked_sign_in(
    username: str, password: str, address: str, *, session: Session
) -> UserAccount | None:
    """Sign-in with throttling: Throttled (no password check) while the account or address
    must wait; the account when the password is right; None, counted as a failure, if not."""
    check_throttle(username, address, session=session)
    account = authenticate(username, password, session=session)
    if account is None:
        record_failure(username, address, session=session)
    else:
        record_success(username, session=session)
    return account
