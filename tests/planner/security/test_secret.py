"""The server secret: from the environment, else kept in a private file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from planner.security.secret import server_secret


def test_server_secret_prefers_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLANNER_SECRET_KEY", "fra-miljøet")

    assert server_secret(tmp_path / "secret") == "fra-miljøet"
    assert not (tmp_path / "secret").exists()


def test_server_secret_is_made_once_and_kept_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PLANNER_SECRET_KEY", raising=False)
    path = tmp_path / "secret"

    first = server_secret(path)

    assert len(first) >= 40
    assert server_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
