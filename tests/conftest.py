"""Every test: a fixed server secret, so no test writes `.planner-secret` into the checkout, and
cheap password hashing.

Test tiers: `pytest -m "not slow"` is the quick tier for the edit loop (SQLite only, no browser,
no whole-week solves or app starts); CI runs everything. A test is slow when it is marked so, when
it drives the browser, or when it is the PostgreSQL variant of a test that also runs on SQLite.
"""

from __future__ import annotations

import os

import pytest
from argon2 import PasswordHasher


def pytest_configure() -> None:
    os.environ.setdefault("PLANNER_SECRET_KEY", "tests-only-secret")
    cheap_password_hashing()


def cheap_password_hashing() -> None:
    """argon2 at its production cost takes a tenth of a second or more per check, and the tests
    sign in thousands of times: in the test process (not in the servers tests start) it costs
    little. A hash still says its own cost, so either side checks the other's."""
    from planner.security import accounts

    accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    accounts.DUMMY_HASH = accounts.hasher.hash("no such user")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)


def is_slow(item: pytest.Item) -> bool:
    """Browser tests and the PostgreSQL half of the backend-parametrised tests."""
    if "tests/browser/" in item.nodeid:
        return True
    params = getattr(getattr(item, "callspec", None), "params", {})
    return "postgresql" in params.values()
