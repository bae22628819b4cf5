"""Hostile input at the door: a size limit on every request body (FastAPI's `max_body_size`:
413), and numbers or nesting the database or the JSON reader cannot take answered as the
client's mistake (4xx), never 500."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy.exc import DataError

#: The largest request body taken, in bytes (`PLANNER_MAX_BODY_MB`, 20 by default, as the
#: web import always allowed).
MAX_BODY = int(float(os.environ.get("PLANNER_MAX_BODY_MB") or 20) * 1024 * 1024)


def out_of_range(error: Exception) -> bool:
    """A number too big for the database's integers (an id in a hostile address)."""
    if isinstance(error, OverflowError):
        return True
    return isinstance(error, DataError) and "out of range" in str(error.orig)


def nesting_error(error: Exception) -> bool:
    return isinstance(error, RecursionError)


def problem_of(error: Exception) -> tuple[int, Any] | None:
    """(status, detail) for hostile input the app refuses, or None for a real server error."""
    if out_of_range(error):
        return 404, "Findes ikke."
    if nesting_error(error):
        return 422, "Dokumentet er for dybt indlejret."
    return None
