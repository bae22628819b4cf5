"""Danish calendar words for pages and letters: weekdays, months, clock times, short names.

Messages (reasons, warnings, violations, errors) are rendered from their codes in
planner/text/messages.py, never from a sentence.
"""

from __future__ import annotations

from datetime import date as Date

from solver.problem import WEEKDAYS

# --- Danish calendar words, for pages and letters --------------------------------------------

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
#: Scenario/1 weekday keys ("mon" ...) to Danish day names.
DAY_NAMES_DA = dict(zip(WEEKDAYS, WEEKDAYS_DA, strict=True))
MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


def clock(minutes: int) -> str:
    """Minutes after midnight as the Danish clock, e.g. 10.30."""
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


def day_text(day: Date) -> str:
    """The date written out, e.g. 'tirsdag den 8. december'."""
    return f"{WEEKDAYS_DA[day.weekday()]} den {day.day}. {MONTHS_DA[day.month - 1]}"


def short_name(name: str) -> str:
    """A citizen as a therapist sees them: first name and the last name's initial."""
    parts = name.split()
    if len(parts) < 2:
        return " ".join(parts)
    return f"{parts[0]} {parts[-1][0]}."
