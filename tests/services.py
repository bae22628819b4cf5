"""Services some tests need (PostgreSQL, Chromium): skipped with the reason on a machine
without them, but a failure in CI (`PLANNER_CI=1`, set by `.ci/run`), where they must run."""

from __future__ import annotations

import os

import pytest


def unavailable(reason: str) -> None:
    """Skip the test here; fail it in CI."""
    if os.environ.get("PLANNER_CI"):
        pytest.fail(f"{reason} (CI must run this test)", pytrace=False)
    pytest.skip(reason)
