"""The product's own exceptions, which the web app maps to answers once (404, 409).

A route never catches these itself; a bare LookupError or KeyError stays a bug (500), never a
silent 404. Each carries a `Message` (code and parameters) that the app renders in the reader's
language (planner/text/messages.py).
"""

from __future__ import annotations

from typing import Any

from solver.problem import Message


class NotFound(LookupError):
    """The thing asked for does not exist (no such week, plan, appointment or referral).

    `what` is the kind of thing (plan, scenario, appointment, referral, therapists, ...), `key`
    its id; `within` the plan or week looked in, where that helps the reader.
    """

    def __init__(self, what: str, key: object, **within: Any) -> None:
        self.message = Message("not-found", {"what": what, "key": str(key), **within})
        super().__init__(f"no {what} {key}")


class PlanStateError(ValueError):
    """The plan is not in a state that allows this (e.g. publishing a superseded plan)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(f"{message.code} {message.params}")
