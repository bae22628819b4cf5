"""The waiting list's order: a later course never holds a place an earlier one could take."""

from __future__ import annotations

from typing import Any

import pytest

from planner.formats.scenario import parse_scenario
from solver.firstfit import first_fit
from solver.options import build_options
from solver.order import Exchange, honour_queue, queue_breaches
from solver.tentative import Booking, Tentative
from tests import factories as f
from tests.planning import of, plan

MONDAY_HOUR = {"mon": [["08:00", "09:00"]]}


def queue_week(**over: Any) -> dict[str, Any]:
    """One therapist with one hour on Monday; r001 is first on the waiting list, r002 second,
    and r002's contact therapist is the only one (a secondary goal that would favour it)."""
    first = f.referral("r001", "c001", sessions_per_week=1, session_minutes=60)
    second = f.referral("r002", "c002", sessions_per_week=1, session_minutes=60, contact="t01")
    doc = {
        "therapists": [f.therapist(hours=MONDAY_HOUR)],
        "citizens": [f.citizen("c001"), f.citizen("c002", name="Jens Hansen")],
        "referrals": [first, second],
    }
    doc.update(over)
    return f.scenario(**doc)


def later_booked(doc: dict[str, Any]) -> tuple[Any, Any, Tentative]:
    """The week's problem, its options and a plan that gives the one hour to r002."""
    problem = parse_scenario(doc)
    options = build_options(problem)
    option = next(o for o in options.individual if o.referral == "r002")
    return problem, options, Tentative([Booking(option, option.starts[0], "auning-b1")], [])


def test_honour_queue_gives_the_later_course_s_place_to_the_earlier() -> None:
    problem, options, draft = later_booked(queue_week())

    kept = honour_queue(problem, options, draft)

    assert [(b.option.referral, b.start, b.room) for b in kept.bookings] == [
        ("r001", 8 * 60, "auning-b1")
    ]
    assert queue_breaches(problem, options, kept) == []


def test_queue_breaches_names_the_exchange_still_open() -> None:
    problem, options, draft = later_booked(queue_week())

    found = queue_breaches(problem, options, draft)

    assert [(e.earlier, e.later, len(e.bookings)) for e in found] == [("r001", "r002", 1)]
    assert isinstance(found[0], Exchange)


def test_the_later_course_keeps_a_place_the_earlier_citizen_cannot_come_to() -> None:
    away = f.citizen("c001", available={"tue": [["08:00", "12:00"]]})
    doc = queue_week(citizens=[away, f.citizen("c002", name="Jens Hansen")])
    problem, options, draft = later_booked(doc)

    assert queue_breaches(problem, options, draft) == []
    assert honour_queue(problem, options, draft) is draft


def test_the_later_course_keeps_its_places_when_the_earlier_would_fill_fewer() -> None:
    """r002 asks for two sessions (Monday and Tuesday); r001 only one: giving r001 r002's
    places would place one session fewer, so capacity, not the order, decides."""
    hours = {"mon": [["08:00", "09:00"]], "tue": [["08:00", "09:00"]]}
    second = f.referral("r002", "c002", sessions_per_week=2, session_minutes=45)
    first = f.referral("r001", "c001", sessions_per_week=1, session_minutes=60)
    doc = queue_week(therapists=[f.therapist(hours=hours)], referrals=[first, second])
    problem = parse_scenario(doc)
    options = build_options(problem)
    r002 = [o for o in options.individual if o.referral == "r002"]
    draft = Tentative([Booking(o, o.starts[0], "auning-b1") for o in r002], [])

    assert len(draft.bookings) == 2
    assert queue_breaches(problem, options, draft) == []


def test_an_active_course_is_not_on_the_waiting_list() -> None:
    """A course with sessions delivered already is not waiting: it is never exchanged."""
    second = f.referral(
        "r002", "c002", sessions_per_week=1, session_minutes=60, delivered=3, contact="t01"
    )
    first = f.referral("r001", "c001", sessions_per_week=1, session_minutes=60)
    problem, options, draft = later_booked(queue_week(referrals=[first, second]))

    assert queue_breaches(problem, options, draft) == []


@pytest.mark.parametrize("optimise", [False, True])
def test_planning_starts_the_first_course_on_the_waiting_list(optimise: bool) -> None:
    """First fit and the optimiser both start r001, though keeping r002's contact therapist
    would score higher on a secondary goal."""
    solution = plan(queue_week(), time_limit=3.0, optimise=optimise)

    assert [a.day.isoformat() for a in of(solution, "r001")] == ["2026-12-07"]
    assert of(solution, "r002") == []


def test_first_fit_alone_never_leaves_an_exchange_open() -> None:
    problem = parse_scenario(queue_week())
    options = build_options(problem)

    assert queue_breaches(problem, options, first_fit(problem, options)) == []
