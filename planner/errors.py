"""The product's own exceptions, which the web app maps to answers once (404, 409).

A route never catches these itself; a bare LookupError or KeyError stays a bug (500), never a
silent 404.
"""

from __future__ import annotations


class NotFound(LookupError):
    """The thing asked for does not exist (no such week, plan, appointment or referral)."""


class PlanStateError(ValueError):
    """The plan is not in a state that allows this (e.g. publishing a superseded plan)."""
