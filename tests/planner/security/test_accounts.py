"""Accounts: argon2-hashed passwords, clear refusals, and sign-in checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from planner.security.accounts import AccountError, authenticate, create_account, find_account
from tests.databases import backend_engine


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    for engine in backend_engine("sqlite", tmp_path):
        with Session(engine) as session:
            yield session


def test_create_account_stores_an_argon2_hash_not_the_password(session: Session) -> None:
    account = create_account("Karen", "lang-adgangskode", session=session)

    assert account.username == "karen"
    assert account.password_hash.startswith("$argon2id$")
    assert "lang-adgangskode" not in account.password_hash


def test_authenticate_accepts_the_right_password_only(session: Session) -> None:
    create_account("karen", "lang-adgangskode", session=session)

    assert authenticate("KAREN", "lang-adgangskode", session=session) is not None
    assert authenticate("karen", "forkert-kode-123", session=session) is None
    assert authenticate("ukendt", "lang-adgangskode", session=session) is None


@pytest.mark.parametrize(
    ("username", "password", "role", "therapist", "field"),
    [
        ("karen", "kort", "coordinator", None, "password"),
        ("ka ren", "lang-adgangskode", "coordinator", None, "username"),
        ("karen", "lang-adgangskode", "admin", None, "role"),
        ("anders", "lang-adgangskode", "therapist", None, "therapist"),
    ],
)
def test_create_account_names_the_bad_field(
    session: Session, username: str, password: str, role: str, therapist: str | None, field: str
) -> None:
    with pytest.raises(AccountError) as caught:
        create_account(username, password, session=session, role=role, therapist=therapist)

    assert caught.value.field == field
    assert find_account(username, session=session) is None


def test_create_account_refuses_a_taken_username(session: Session) -> None:
    create_account("karen", "lang-adgangskode", session=session)

    with pytest.raises(AccountError) as caught:
        create_account("Karen", "en-anden-kode-1", session=session)

    assert (caught.value.field, str(caught.value)) == (
        "username",
        "Brugernavnet karen findes allerede",
    )


def test_therapist_account_keeps_its_therapist_key(session: Session) -> None:
    account = create_account(
        "anders", "lang-adgangskode", session=session, role="therapist", therapist="t001"
    )

    assert (account.role, account.therapist) == ("therapist", "t001")
