"""SUL §140 starts placed after their 7 days while a place in time was free are moved there."""

from __future__ import annotations

from typing import Any

from planner.formats.scenario import parse_scenario
from solver.deadline import late_starts, open_in_time, start_in_time
from solver.options import build_options
from solver.tentative import Booking, Tentative
from tests import factories as f

MON_THU = {"mon": [["08:00", "09:00"]], "thu": [["08:00", "09:00"]]}


def sul_week(**over: Any) -> dict[str, Any]:
    """A SUL §140 start discharged 2026-12-01 (its 7 days end Tuesday 2026-12-08); the one
    therapist works an hour on Monday and on Thursday."""
    start = f.referral(
        "r001", sessions_per_week=1, session_minutes=60, intro=True, discharged="2026-12-01"
    )
    doc: dict[str, Any] = {"therapists": [f.therapist(hours=MON_THU)], "referrals": [start]}
    doc.update(over)
    return f.scenario(**doc)


def booked_on(doc: dict[str, Any], days: dict[str, int]) -> tuple[Any, Any, Tentative]:
    """The week and a plan booking each referral on the day given (0 Monday .. 4 Friday)."""
    problem = parse_scenario(doc)
    options = build_options(problem)
    bookings = [
        Booking(o, o.starts[0], "auning-b1")
        for o in options.individual
        if days.get(o.referral) == o.day
    ]
    return problem, options, Tentative(bookings, [])


def test_a_start_placed_late_while_monday_is_free_moves_to_monday() -> None:
    problem, options, draft = booked_on(sul_week(), {"r001": 3})

    assert [r.id for r in late_starts(problem, options, draft)] == ["r001"]
    place = open_in_time(problem, options, draft, problem.referral("r001"))
    assert place is not None and (place.option.day, place.start) == (0, 8 * 60)

    moved = start_in_time(problem, options, draft)

    assert [(b.option.referral, b.option.day) for b in moved.bookings] == [("r001", 0)]
    assert late_starts(problem, options, moved) == []


def test_a_start_placed_late_because_monday_is_taken_is_capacity_bound() -> None:
    """Monday's hour goes to another course's session: no place in time is free."""
    other = f.referral("r002", "c002", sessions_per_week=1, session_minutes=60, delivered=4)
    doc = sul_week(
        referrals=[*sul_week()["referrals"], other],
        citizens=[f.citizen(), f.citizen("c002", name="Jens Hansen")],
    )
    problem, options, draft = booked_on(doc, {"r001": 3, "r002": 0})

    assert [r.id for r in late_starts(problem, options, draft)] == ["r001"]
    assert open_in_time(problem, options, draft, problem.referral("r001")) is None
    assert start_in_time(problem, options, draft).bookings == draft.bookings


def test_a_start_whose_citizen_comes_only_after_the_deadline_is_not_late() -> None:
    """The first day the citizen can come is Thursday: as soon as it can be is in time."""
    doc = sul_week(citizens=[f.citizen(available={"thu": [["08:00", "12:00"]]})])
    problem, options, draft = booked_on(doc, {"r001": 3})

    assert late_starts(problem, options, draft) == []
