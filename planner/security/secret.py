"""The server's secret: signs session cookies and derives calendar-feed tokens.

`PLANNER_SECRET_KEY` in production; without it, a random key kept in a file (mode 0600) beside
the working directory's database, `.planner-secret`, so sign-ins and feed links survive a
restart and the CLI and the server agree.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = Path(".planner-secret")


def server_secret(path: Path = SECRET_FILE) -> str:
    """The secret from the environment, else from (or newly into) the secret file."""
    chosen = os.environ.get("PLANNER_SECRET_KEY")
    if chosen:
        return chosen
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        made = secrets.token_urlsafe(48)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(made)
        return made
