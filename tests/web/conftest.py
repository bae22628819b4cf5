"""The web app under test: a real database (SQLite, and PostgreSQL when it answers), signed-in
clients that send the CSRF token as a browser would, and the Norddjurs week with a plan.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.store import import_scenario, save_plan
from planner.formats.scenario import parse_scenario
from planner.security.accounts import create_account
from solver.problem import Solution
from solver.solve import solve
from tests.databases import BACKENDS, Fill, filled_engine
from web.app import create_app

if TYPE_CHECKING:  # Starlette's TestClient answers with httpx2's responses
    import httpx2 as httpx

NORDDJURS = Path(__file__).resolve().parents[2] / "fixtures" / "norddjurs.json"
PASSWORD = "rigtig-hemmelig-1"
CSRF = re.compile(r'"X-CSRF-Token": "([^"]+)"')  # every page's <body hx-headers=...>


def with_accounts(engine: Engine) -> None:
    """A coordinator `koord` and a therapist `anders` (t001)."""
    with Session(engine) as session:
        create_account("koord", PASSWORD, session=session, name="Karen Koordinator")
        create_account(
            "anders", PASSWORD, session=session, name="Anders Krogh",
            role="therapist", therapist="t001",
        )  # fmt: skip


@dataclass(frozen=True)
class StoredWeek:
    scenario_id: int
    plan_id: int


def with_norddjurs(engine: Engine) -> StoredWeek:
    """The accounts, and the Norddjurs week stored with its plan as a draft."""
    with_accounts(engine)
    with Session(engine) as session:
        scenario_id = import_scenario(norddjurs_document(), session=session)
        plan_id = save_plan(scenario_id, norddjurs_plan(), session=session)
    return StoredWeek(scenario_id, plan_id)


@pytest.fixture
def database_fill(request: pytest.FixtureRequest) -> Fill:
    """What the test database holds: the accounts, and the stored Norddjurs week when the test
    asks for `norddjurs` (a test module may override this fixture with its own)."""
    return with_norddjurs if "norddjurs" in request.fixturenames else with_accounts


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path: Path, database_fill: Fill
) -> Iterator[tuple[Engine, Any]]:
    """A database of each backend, a copy of a template made once per test process."""
    yield from filled_engine(request.param, tmp_path, database_fill)


@pytest.fixture
def engine(database: tuple[Engine, Any]) -> Engine:
    """A migrated database with a coordinator `koord` and a therapist `anders` (t001)."""
    return database[0]


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    """The app on the test database; a solve finishes inside its request here."""
    return create_app(engine, secret_key="test-secret", background_jobs=False)


@dataclass
class Web:
    """A browser stand-in: keeps cookies and sends the page's CSRF token with every post."""

    client: TestClient
    csrf: str = ""

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        response = self.client.get(url, **kwargs)
        self.remember(response)
        return response

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        response = self.client.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kwargs)
        self.remember(response)
        return response

    def htmx(self, method: str, url: str, data: dict[str, Any] | None = None) -> httpx.Response:
        """As HTMX sends it: the HX-Request header and the token in X-CSRF-Token."""
        headers = {"HX-Request": "true", "X-CSRF-Token": self.csrf}
        return self.client.request(method, url, data=data, headers=headers)

    def remember(self, response: httpx.Response) -> None:
        found = (
            CSRF.search(response.text)
            if "html" in response.headers.get("content-type", "")
            else None
        )
        if found:
            self.csrf = found.group(1)


def signed_in(app: FastAPI, username: str) -> Web:
    web = Web(TestClient(app))
    web.get("/login")
    response = web.post(
        "/login", {"username": username, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    web.get("/login")  # signing in starts a new session with a new CSRF token: fetch it
    return web


@pytest.fixture
def anonymous(app: FastAPI) -> Web:
    return Web(TestClient(app))


@pytest.fixture
def coordinator(app: FastAPI) -> Web:
    """Signed in as the coordinator `koord`."""
    return signed_in(app, "koord")


@pytest.fixture
def therapist(app: FastAPI) -> Web:
    """Signed in as the therapist account of t001 (Anders Krogh)."""
    return signed_in(app, "anders")


@cache
def norddjurs_document() -> dict[str, Any]:
    return json.loads(NORDDJURS.read_text(encoding="utf-8"))


@cache
def norddjurs_plan() -> Solution:
    """The Norddjurs week planned once (a short solve) for every test that needs a plan."""
    return solve(parse_scenario(norddjurs_document()), time_limit=5)


@pytest.fixture(scope="session")
def norddjurs_doc() -> dict[str, Any]:
    return norddjurs_document()


@pytest.fixture(scope="session")
def norddjurs_solution() -> Solution:
    return norddjurs_plan()


@pytest.fixture
def norddjurs(database: tuple[Engine, Any]) -> StoredWeek:
    """The Norddjurs week stored with its plan as a draft (in the database's template)."""
    stored = database[1]
    assert isinstance(stored, StoredWeek)
    return stored
