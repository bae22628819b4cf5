"""Sign-in as an attacker tries it: guessing is slowed (429 with Retry-After, no password check
while throttled), a saved cookie opens nothing after sign-out, idling or a password change, API
tokens are revocable, a signed-out API call gets no browser prompt, and another site's page cannot
make changes through HTTP Basic."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session

from planner.db.models import LoginAttempt, WebSession
from planner.security import accounts
from planner.security.accounts import change_password, find_account
from planner.security.tokens import create_api_token, revoke_api_token
from tests.web.conftest import PASSWORD, Web, signed_in

if TYPE_CHECKING:  # Starlette's TestClient answers with httpx2's responses
    import httpx2 as httpx


def wrong_login(web: Web, password: str = "forkert-kode-1") -> httpx.Response:
    web.get("/login")
    return web.post("/login", {"username": "koord", "password": password}, follow_redirects=False)


def test_guessing_a_password_is_throttled_with_growing_delays(
    anonymous: Web, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = []
    real = accounts.authenticate
    monkeypatch.setattr(accounts, "authenticate",
                        lambda *a, **k: checks.append(1) or real(*a, **k))  # fmt: skip
    answers = [wrong_login(anonymous).status_code for _ in range(5)]
    throttled = wrong_login(anonymous, PASSWORD)  # even the right one waits

    assert answers == [401] * 5
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "2"
    assert "For mange forkerte forsøg" in throttled.text
    assert len(checks) == 5  # no argon2 check while throttled

    # Pretend the wait is over: the next wrong one doubles the delay, the right one then works.
    with Session(engine) as session:
        earlier = datetime.now(UTC) - timedelta(seconds=3)
        session.connection().execute(update(LoginAttempt).values(at=earlier))
        session.commit()
    assert wrong_login(anonymous).status_code == 401
    assert wrong_login(anonymous).headers["retry-after"] == "4"
    with Session(engine) as session:
        earlier = datetime.now(UTC) - timedelta(seconds=5)
        session.connection().execute(update(LoginAttempt).values(at=earlier))
        session.commit()
    assert wrong_login(anonymous, PASSWORD).status_code == 303


def test_http_basic_guessing_is_throttled_too(app: FastAPI) -> None:
    client = TestClient(app)
    client.auth = ("koord", "forkert-kode-1")

    answers = [client.get("/api/weeks") for _ in range(6)]

    assert [a.status_code for a in answers] == [401] * 5 + [429]
    assert answers[-1].headers["retry-after"] == "2"


def test_a_saved_cookie_opens_nothing_after_sign_out(coordinator: Web) -> None:
    saved = coordinator.client.cookies["planner_session"]
    coordinator.post("/logout")

    thief = TestClient(coordinator.client.app)  # type: ignore[arg-type]
    thief.cookies.set("planner_session", saved)

    assert thief.get("/weeks", follow_redirects=False).status_code == 303
    assert thief.get("/api/weeks").status_code == 401


def test_an_idle_session_and_an_old_one_end(coordinator: Web, engine: Engine) -> None:
    assert coordinator.client.get("/weeks", follow_redirects=False).status_code == 200
    with Session(engine) as session:
        idle = datetime.now(UTC) - timedelta(minutes=31)
        session.connection().execute(update(WebSession).values(seen_at=idle))
        session.commit()

    assert coordinator.client.get("/weeks", follow_redirects=False).status_code == 303

    again = signed_in(coordinator.client.app, "koord")  # type: ignore[arg-type]
    with Session(engine) as session:
        old = datetime.now(UTC) - timedelta(hours=13)
        session.connection().execute(
            update(WebSession).where(WebSession.ended_at.is_(None)).values(created_at=old)  # type: ignore[union-attr]
        )
        session.commit()
    assert again.client.get("/weeks", follow_redirects=False).status_code == 303


def test_a_password_change_ends_every_session_of_the_account(
    coordinator: Web, engine: Engine
) -> None:
    with Session(engine) as session:
        account = find_account("koord", session=session)
        assert account is not None
        change_password(account, "en-helt-ny-kode-7", session=session)

    assert coordinator.client.get("/weeks", follow_redirects=False).status_code == 303


def test_api_tokens_open_the_api_until_revoked(app: FastAPI, engine: Engine) -> None:
    with Session(engine) as session:
        account = find_account("koord", session=session)
        assert account is not None
        token_id, token = create_api_token(account, "test", session=session)
    client = TestClient(app)
    bearer = {"Authorization": f"Bearer {token}"}

    opened = client.get("/api/weeks", headers=bearer)
    with Session(engine) as session:
        revoke_api_token(token_id, session=session)
    closed = client.get("/api/weeks", headers=bearer)

    assert (opened.status_code, closed.status_code) == (200, 401)
    assert "www-authenticate" not in closed.headers


def test_another_sites_page_cannot_change_anything_with_http_basic(app: FastAPI) -> None:
    credentials = base64.b64encode(f"koord:{PASSWORD}".encode()).decode()
    headers = {"Authorization": f"Basic {credentials}", "Origin": "https://ondsindet.example"}

    refused = TestClient(app).post("/api/weeks", json={}, headers=headers)
    same_site = TestClient(app).post(
        "/api/weeks", json={}, headers=headers | {"Origin": "http://testserver"}
    )

    assert refused.status_code == 403
    assert same_site.status_code == 422  # through to the import, which lists the errors
