"""Repairing a published week: a substitute keeps time and room, a move changes as little as it
can, a cancellation says why, the past and everything not hit stay, a class gets a substitute
instructor; every repaired plan keeps every rule."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan
from planner.plan.diff import diff
from planner.plan.edit import accounted
from planner.plan.repair import (
    CANCELLED_CODE,
    Disruption,
    Repaired,
    cancel_course,
    data_disruptions,
    repair,
    whole_days,
)
from solver.problem import Appointment, Message, Problem, Solution
from tests.factories import citizen, package, referral, room, scenario, team_class, therapist

MON, TUE, WED, THU, FRI = (date(2026, 12, d) for d in range(7, 12))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def session(id: str, day: date, start: int, referral: str = "r001", **over: Any) -> Appointment:
    fields: dict[str, Any] = {"kind": "individual", "therapist": "t01", "centre": "auning",
                              "room": "auning-b1"}  # fmt: skip
    return Appointment(id=id, day=day, start=start, end=start + 45, referral=referral,
                       **(fields | over))  # fmt: skip


def meeting(id: str, day: date, participants: tuple[str, ...], **over: Any) -> Appointment:
    fields: dict[str, Any] = {"therapist": "t01", "room": "auning-sal"}
    return Appointment(
        id=id, kind="team", centre="auning", day=day, start=600, end=660, team_class="balance",
        participants=participants, **(fields | over),
    )  # fmt: skip


def plan_of(problem: Problem, *appointments: Appointment) -> Solution:
    """A published plan made by hand; it must keep every rule."""
    solution = accounted(problem, Solution("feasible", ()), appointments)
    assert check_plan(problem, solution) == []
    return solution


def valid(problem: Problem, repaired: Repaired) -> Repaired:
    violations = check_plan(problem, repaired.solution)
    assert violations == [], [v.message for v in violations]
    return repaired


def two_physios(**over: Any) -> Problem:
    doc = scenario(therapists=[therapist("t01"), therapist("t02")], **over)
    return parse_scenario(doc)


def by_id(solution: Solution) -> dict[str, Appointment]:
    return {a.id: a for a in solution.appointments}


def test_repair_substitute_keeps_time_and_room() -> None:
    problem = two_physios()
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 540))
    ill = whole_days("therapist", "t01", WED, WED)
    repaired = valid(problem, repair(problem, published, [ill]))
    assert by_id(repaired.solution)["a0002"] == session("a0002", WED, 540, therapist="t02")
    assert by_id(repaired.solution)["a0001"] == session("a0001", MON, 540)
    assert [(m.appointment, m.action) for m in repaired.mends] == [("a0002", "substituted")]
    changes = diff(problem, published, problem, repaired.solution)
    assert (changes.citizens_affected, changes.appointments_changed) == (1, 1)
    assert changes.count("therapist_changed") == 1
    assert changes.count("moved") == 0


def test_repair_absence_in_week_data_is_a_disruption() -> None:
    doc = scenario(therapists=[therapist("t01", absent=[WED.isoformat()]), therapist("t02")])
    problem = parse_scenario(doc)
    published = accounted(
        problem, Solution("feasible", ()), (session("a0001", MON, 540), session("a0002", WED, 540))
    )
    assert [v.rule for v in check_plan(problem, published)] == ["therapist-absent"]
    repaired = valid(problem, repair(problem, published, data_disruptions(problem)))
    assert by_id(repaired.solution)["a0002"].therapist == "t02"


def test_repair_moves_to_the_nearest_free_slot_when_no_one_can_stand_in() -> None:
    problem = parse_scenario(scenario())
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 660))
    ill_from_11 = Disruption("therapist", "t01", at(WED, 11), at(THU, 0))
    repaired = valid(problem, repair(problem, published, [ill_from_11], now=at(WED, 10, 30)))
    # Wednesday before 11:00 is past or too short; Tuesday is past too: Thursday, same time.
    assert by_id(repaired.solution)["a0002"] == session("a0002", THU, 660)
    assert by_id(repaired.solution)["a0001"] == session("a0001", MON, 540)
    changes = diff(problem, published, problem, repaired.solution)
    assert (changes.citizens_affected, changes.appointments_changed) == (1, 1)
    assert changes.count("moved") == 1


def test_repair_moves_within_the_day_before_the_absence() -> None:
    problem = parse_scenario(scenario())
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 660))
    ill_from_11 = Disruption("therapist", "t01", at(WED, 11), at(THU, 0))
    repaired = valid(problem, repair(problem, published, [ill_from_11], now=at(WED, 8)))
    assert by_id(repaired.solution)["a0002"] == session("a0002", WED, 615)


def test_repair_cancels_with_the_reason_when_nothing_fits() -> None:
    problem = parse_scenario(scenario())
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 540))
    ill = whole_days("therapist", "t01", WED, FRI)
    repaired = valid(problem, repair(problem, published, [ill], now=at(WED, 7)))
    assert [a.id for a in repaired.solution.appointments] == ["a0001"]
    assert [(m.appointment, m.action, m.reason) for m in repaired.mends] == [
        ("a0002", "cancelled", "therapist-absent")
    ]
    assert [(u.referral, u.sessions, u.reasons) for u in repaired.solution.unplaced] == [
        ("r001", 1, (Message("repair.therapist-absent"),))
    ]
    assert [(w.referral, w.code) for w in repaired.solution.warnings] == [("r001", CANCELLED_CODE)]


def test_repair_leaves_the_past_alone() -> None:
    problem = parse_scenario(scenario())
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 540))
    ill_all_week = whole_days("therapist", "t01", MON, FRI)
    repaired = valid(problem, repair(problem, published, [ill_all_week], now=at(TUE, 12)))
    assert by_id(repaired.solution)["a0001"] == session("a0001", MON, 540)
    assert [(m.appointment, m.action) for m in repaired.mends] == [("a0002", "cancelled")]


def test_repair_finds_another_room_when_the_room_closes() -> None:
    problem = parse_scenario(scenario(rooms=[room("auning-b1"), room("auning-b2")]))
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 540))
    closed = whole_days("room", "auning-b1", WED, WED)
    repaired = valid(problem, repair(problem, published, [closed]))
    assert by_id(repaired.solution)["a0002"] == session("a0002", WED, 540, room="auning-b2")
    assert [(m.appointment, m.action) for m in repaired.mends] == [("a0002", "room")]


def test_repair_citizen_cancelling_removes_only_that_session() -> None:
    problem = two_physios()
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 540))
    repaired = valid(
        problem, repair(problem, published, [whole_days("referral", "r001", WED, WED)])
    )
    assert [a.id for a in repaired.solution.appointments] == ["a0001"]
    assert repaired.solution.unplaced[0].reasons == (Message("repair.citizen-cancelled"),)


def test_repair_cancel_course_drops_every_remaining_session() -> None:
    problem = two_physios()
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 540))
    repaired = valid(
        problem,
        repair(problem, published, [cancel_course("r001", published, at(TUE, 8))], now=at(TUE, 8)),
    )
    assert [a.id for a in repaired.solution.appointments] == ["a0001"]


def class_week(instructor_skills: list[str]) -> Problem:
    """Balance class (Tue and Thu 10:00) led by t01; t02 has the given skills."""
    doc = scenario(
        packages=[package("TG1", 45, 150)],
        therapists=[therapist("t01"), therapist("t02", skills=instructor_skills)],
        classes=[team_class()],
        citizens=[citizen("c001"), citizen("c002", name="Ole Hansen")],
        referrals=[
            referral("r001", mode="team", sessions_per_week=1, **{"class": "balance"}),
            referral(
                "r002", citizen="c002", mode="team", sessions_per_week=1, **{"class": "balance"}
            ),
        ],
    )
    return parse_scenario(doc)


def test_repair_class_meeting_gets_a_substitute_instructor() -> None:
    problem = class_week(["team"])
    published = plan_of(problem, meeting("a0001", TUE, ("r001", "r002")))
    repaired = valid(
        problem, repair(problem, published, [whole_days("therapist", "t01", TUE, TUE)])
    )
    assert by_id(repaired.solution)["a0001"] == meeting("a0001", TUE, ("r001", "r002"),
                                                        therapist="t02")  # fmt: skip
    assert diff(problem, published, problem, repaired.solution).count("therapist_changed") == 2


def test_repair_class_seats_go_to_another_held_meeting() -> None:
    problem = class_week([])  # t02 may not lead the class
    published = plan_of(problem, meeting("a0001", TUE, ("r001",)), meeting("a0002", THU, ("r002",)))
    cancelled = whole_days("class", "balance", TUE, TUE)
    repaired = valid(problem, repair(problem, published, [cancelled]))
    assert list(by_id(repaired.solution)) == ["a0002"]
    assert by_id(repaired.solution)["a0002"].participants == ("r001", "r002")
    assert [(m.referrals, m.action, m.into) for m in repaired.mends] == [
        (("r001",), "reseated", "a0002")
    ]


def test_repair_cancelled_retest_takes_the_seats_with_it() -> None:
    doc = scenario(
        packages=[package("TG1", 45, 150)],
        therapists=[therapist("t01", skills=["neuro"]), therapist("t02", skills=["team"])],
        classes=[team_class()],
        referrals=[
            referral("r001", mode="team", final=True, skills=["neuro"], **{"class": "balance"})
        ],
    )
    problem = parse_scenario(doc)
    published = plan_of(
        problem, meeting("a0001", TUE, ("r001",), therapist="t02"), session("a0002", THU, 540)
    )
    ill = whole_days("therapist", "t01", WED, FRI)
    repaired = valid(problem, repair(problem, published, [ill]))
    assert repaired.solution.appointments == ()
    assert [(m.appointment, m.action) for m in repaired.mends] == [
        ("a0002", "cancelled"),
        ("a0001", "cancelled"),
    ]


def test_repair_baseline_cancels_what_repair_moves() -> None:
    problem = parse_scenario(scenario())
    published = plan_of(problem, session("a0001", MON, 540), session("a0002", WED, 660))
    ill_from_11 = Disruption("therapist", "t01", at(WED, 11), at(THU, 0))
    baseline = valid(problem, repair(problem, published, [ill_from_11], moves=False))
    assert [(m.appointment, m.action) for m in baseline.mends] == [("a0002", "cancelled")]
