"""The week overview: figures per centre, missing sessions with reasons, §140 risks, load."""

from __future__ import annotations

from datetime import date

from planner.formats.scenario import parse_scenario
from planner.views.overview import week_overview, working_minutes
from solver.problem import Appointment, PlanWarning, Solution, Stats, Unplaced
from tests.factories import centre, referral, scenario, therapist


def stats(requested: int, placed: int) -> Stats:
    return Stats(requested, placed, placed, requested, 1.0)


def session(id: str, referral: str, day: date, start: int = 600) -> Appointment:
    return Appointment(
        id=id, kind="individual", therapist="t01", centre="auning", day=day, start=start,
        end=start + 45, referral=referral, room="treatment",
    )  # fmt: skip


def two_centre_week():
    doc = scenario(
        centres=[centre("auning"), centre("glesborg")],
        referrals=[
            referral("r001", centre="auning"),
            referral("r002", centre="glesborg", citizen="c001"),
            referral("r003", centre=None, citizen="c001", sessions_per_week=1, session_minutes=60),
        ],
    )
    return parse_scenario(doc)


def test_week_overview_without_a_plan_places_nothing() -> None:
    problem = two_centre_week()

    overview = week_overview(problem, None)

    assert [(c.key, c.requested, c.placed) for c in overview.centres] == [
        ("auning", 2, 0),
        ("glesborg", 2, 0),
        ("", 1, 0),
    ]
    assert (overview.missing, overview.starts_at_risk) == ([], [])


def test_week_overview_counts_placed_and_lists_missing_with_reasons() -> None:
    problem = two_centre_week()
    plan = Solution(
        "feasible",
        (session("a1", "r001", date(2026, 12, 7)), session("a2", "r001", date(2026, 12, 8))),
        (Unplaced("r002", 2, ("ingen terapeut",)), Unplaced("r003", 1, ("lukket",))),
        (PlanWarning("r002", "start-deadline", "første session efter 7 dage"),),
        stats(5, 2),
    )

    overview = week_overview(problem, plan)

    assert [(c.key, c.requested, c.placed, c.missing) for c in overview.centres] == [
        ("auning", 2, 2, 0),
        ("glesborg", 2, 0, 2),
        ("", 1, 0, 1),
    ]
    assert [(m.referral, m.sessions, m.reasons) for m in overview.missing] == [
        ("r003", 1, ("lukket",)),
        ("r002", 2, ("ingen terapeut",)),
    ]
    assert [(s.referral, s.message) for s in overview.starts_at_risk] == [
        ("r002", "første session efter 7 dage")
    ]
    assert [(t.key, t.booked, t.share) for t in overview.load] == [("t01", 90, 4)]


def test_working_minutes_leave_out_absences_and_respect_the_cap() -> None:
    doc = scenario(therapists=[therapist(absent=["2026-12-08"], max_minutes=1200)])
    problem = parse_scenario(doc)

    assert working_minutes(problem, "t01") == 1200  # 4 days × 8 h = 1,920, capped

    doc["therapists"][0]["max_minutes"] = None
    assert working_minutes(parse_scenario(doc), "t01") == 4 * 480


def test_week_overview_of_one_centre_keeps_only_what_concerns_it() -> None:
    problem = two_centre_week()
    plan = Solution(
        "feasible",
        (session("a1", "r001", date(2026, 12, 7)),),
        (Unplaced("r001", 1, ("optaget",)), Unplaced("r002", 2, ("ingen terapeut",))),
        (PlanWarning("r002", "start-deadline", "for sent"),),
        stats(5, 1),
    )

    overview = week_overview(problem, plan, centre="glesborg")

    assert [(c.key, c.requested, c.placed) for c in overview.centres] == [("glesborg", 2, 0)]
    assert [m.referral for m in overview.missing] == ["r002"]
    assert [s.referral for s in overview.starts_at_risk] == ["r002"]
    assert overview.load == []  # t01 works at Auning only
