"""Every test: a fixed server secret, so no test writes `.planner-secret` into the checkout."""

from __future__ import annotations

import os


def pytest_configure() -> None:
    os.environ.setdefault("PLANNER_SECRET_KEY", "tests-only-secret")
