"""Adjusting a draft by hand: free slots are exactly what the validator accepts, every change is
checked before it is stored, locks survive a re-solve, and published plans stay as they are."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.models import Plan
from planner.db.store import import_scenario, load_problem, load_solution, save_plan
from planner.errors import PlanStateError
from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan
from planner.plan.edit import (
    BY_HAND,
    ChangeRefused,
    Slot,
    accounted,
    copy_as_draft,
    move_appointment,
    move_slots,
    next_id,
    open_start_deadline,
    place_session,
    referral_slots,
    set_locked,
    slot_rows,
    with_move,
    with_session,
)
from planner.plan.jobs import start_solve
from planner.plan.stored import locked_ids
from planner.plan.versions import publish
from solver.options import session_kind
from solver.problem import Appointment, Message, Problem, Solution, Stats, requested_sessions
from tests.databases import BACKENDS, backend_engine
from tests.databases import stored_plan_violations as violations
from tests.factories import citizen, package, referral, room, scenario, team_class, therapist

MON, TUE, WED, THU, FRI = (date(2026, 12, d) for d in range(7, 12))


def week(**over: Any) -> dict[str, Any]:
    """Two physiotherapists (t01 leads classes), a hall and a treatment room, the balance class
    (Tue and Thu 10:00), and referrals at the centre (r001, r002), to the class with a start
    assessment (r003, r004) and at home (r005)."""
    doc = scenario(
        packages=[package("TG1", 45, 150)],
        therapists=[therapist("t01"), therapist("t02", skills=[])],
        rooms=[room("auning-sal", kind="hall", capacity=12), room("auning-b1")],
        classes=[team_class()],
        citizens=[
            citizen("c001"),
            citizen("c002", name="Ole Hansen"),
            citizen("c003", name="Bodil Lund"),
            citizen("c004", name="Erik Berg"),
            citizen("c005", name="Inge Holm", lat=56.45, lon=10.40),
        ],
        referrals=[
            referral("r001"),
            referral("r002", citizen="c002"),
            referral("r003", citizen="c003", mode="team", intro=True, **{"class": "balance"}),
            referral("r004", citizen="c004", mode="team", intro=True, **{"class": "balance"}),
            referral("r005", citizen="c005", mode="home", sessions_per_week=1),
        ],
    )
    doc.update(over)
    return doc


def appt(id: str, day: date, start: int, end: int, **over: Any) -> Appointment:
    fields: dict[str, Any] = {"kind": "individual", "therapist": "t01", "centre": "auning"}
    return Appointment(id=id, day=day, start=start, end=end, **(fields | over))


#: The plan the tests start from: t02 in the treatment room Mon 09:00; r001's Tuesday session;
#: r004's start assessment on Monday and its seat in Tuesday's class.
BASE = (
    appt("a0001", MON, 540, 585, therapist="t02", referral="r002", room="auning-b1"),
    appt("a0002", TUE, 540, 585, referral="r001", room="auning-b1"),
    appt("a0003", MON, 660, 705, referral="r004", room="auning-b1"),
    appt("a0004", TUE, 600, 660, kind="team", team_class="balance", participants=("r004",),
         room="auning-sal"),
)  # fmt: skip


def plan_of(problem: Problem, appointments: tuple[Appointment, ...]) -> Solution:
    """A plan of these appointments with its own account (unplaced, warnings, stats) true."""
    requested = sum(requested_sessions(problem, r) for r in problem.referrals)
    empty = Solution("feasible", (), stats=Stats(requested, 0))
    return accounted(problem, empty, appointments)


@pytest.fixture
def problem() -> Problem:
    return parse_scenario(week())


@pytest.fixture
def base(problem: Problem) -> Solution:
    plan = plan_of(problem, BASE)
    assert check_plan(problem, plan) == []
    return plan


def candidates(problem: Problem, solution: Solution, referral_id: str) -> Iterator[Slot]:
    """Every slot a coordinator could name: each day, start, therapist and room (or none), as
    the referral's own kind and as a new class meeting, and a seat in each held meeting."""
    r = problem.referral(referral_id)
    starts = range(7 * 60, 17 * 60, problem.slot_minutes)
    rooms = [x.id for x in problem.rooms] + [None]
    for d, start, t, rm in product(problem.days, starts, problem.therapists, rooms):
        yield Slot(session_kind(r), d.date, start, t.id, "auning", rm)
        if r.team_class:
            yield Slot("team", d.date, start, t.id, "auning", rm)
    for a in solution.appointments:
        if a.kind == "team":
            yield Slot("team", a.day, a.start, a.therapist, a.centre, a.room, a.id)


def accepted(problem: Problem, solution: Solution, referral_id: str) -> set[Slot]:
    """The candidate slots the validator accepts once the session is placed there."""
    return {
        s
        for s in candidates(problem, solution, referral_id)
        if check_plan(problem, with_session(problem, solution, referral_id, s)) == []
    }


# --- free slots -----------------------------------------------------------------------------------


@pytest.mark.parametrize("referral_id", ["r001", "r003", "r005"])
def test_referral_slots_are_exactly_the_slots_the_validator_accepts(
    problem: Problem, base: Solution, referral_id: str
) -> None:
    slots = referral_slots(problem, base, referral_id)

    assert len(slots) == len(set(slots))
    assert set(slots) == accepted(problem, base, referral_id)


def test_referral_slots_skip_a_busy_room_day_and_therapist(
    problem: Problem, base: Solution
) -> None:
    slots = referral_slots(problem, base, "r001")

    assert {s.day for s in slots} == {MON, WED, THU, FRI}  # Tuesday has r001's other session
    # Monday 09:00 t02 is busy in the treatment room: t01 can take the hall only.
    at_nine = {(s.therapist, s.room) for s in slots if (s.day, s.start) == (MON, 540)}
    assert at_nine == {("t01", "auning-sal")}


def test_a_team_referral_gets_its_start_assessment_before_any_seat(
    problem: Problem, base: Solution
) -> None:
    before = referral_slots(problem, base, "r003")
    intro = Slot("individual", MON, 480, "t01", "auning", "auning-b1")
    after = referral_slots(problem, with_session(problem, base, "r003", intro), "r003")

    assert {s.kind for s in before} == {"individual"}
    seats = {(s.day, s.meeting) for s in after if s.kind == "team"}
    assert seats == {(TUE, "a0004"), (THU, None)}


def test_placing_in_a_held_meeting_seats_the_referral(problem: Problem, base: Solution) -> None:
    intro = Slot("individual", MON, 480, "t01", "auning", "auning-b1")
    started = with_session(problem, base, "r003", intro)
    seat = next(s for s in referral_slots(problem, started, "r003") if s.meeting == "a0004")
    seated = with_session(problem, started, "r003", seat)

    meeting = next(a for a in seated.appointments if a.id == "a0004")
    assert meeting.participants == ("r003", "r004")
    assert (seated.stats.sessions_placed, check_plan(problem, seated)) == (6, [])


def test_a_new_meeting_is_offered_only_with_a_free_instructor(problem: Problem) -> None:
    # t01, the only instructor, is busy Thursday 10:00: no new meeting that day.
    busy = (*BASE, appt("a0005", THU, 600, 645, referral="r002", room="auning-b1"))
    started = with_session(
        problem,
        plan_of(problem, busy),
        "r003",
        Slot("individual", MON, 480, "t01", "auning", "auning-b1"),
    )

    seats = {
        (s.day, s.meeting) for s in referral_slots(problem, started, "r003") if s.kind == "team"
    }
    assert seats == {(TUE, "a0004")}


def test_a_complete_referral_has_no_free_slots(problem: Problem, base: Solution) -> None:
    done = with_session(
        problem, base, "r002", Slot("individual", WED, 480, "t02", "auning", "auning-b1")
    )

    assert referral_slots(problem, done, "r002") == []


def test_move_slots_are_exactly_the_moves_the_validator_accepts(
    problem: Problem, base: Solution
) -> None:
    moving = base.appointments[1]  # r001 on Tuesday
    slots = move_slots(problem, base, moving)
    here = Slot("individual", TUE, 540, "t01", "auning", "auning-b1")
    tried = {
        s
        for s in candidates(problem, base, "r001")
        if s.kind == "individual"
        and s != here
        and check_plan(problem, with_move(problem, base, moving.id, s)) == []
    }

    assert set(slots) == tried


def test_a_meeting_moves_with_its_participants_to_the_other_fixed_time(
    problem: Problem, base: Solution
) -> None:
    slots = move_slots(problem, base, base.appointments[3])
    moved = with_move(problem, base, "a0004", slots[0])

    assert {(s.day, s.start, s.therapist, s.room) for s in slots} == {
        (THU, 600, "t01", "auning-sal")
    }
    meeting = next(a for a in moved.appointments if a.id == "a0004")
    assert (meeting.day, meeting.participants, check_plan(problem, moved)) == (THU, ("r004",), [])


def test_slot_rows_gather_start_times_per_day_therapist_and_room(
    problem: Problem, base: Solution
) -> None:
    rows = slot_rows(referral_slots(problem, base, "r001"), day=WED, therapist="t02")

    assert [(r.day, r.therapist, r.room) for r in rows] == [
        (WED, "t02", "auning-b1"),
        (WED, "t02", "auning-sal"),
    ]
    assert rows[0].starts == tuple(range(480, 915 + 1, 15))


# --- what a change makes of the plan --------------------------------------------------------------


def test_placing_the_last_session_drops_the_referral_from_the_unplaced_list(
    problem: Problem, base: Solution
) -> None:
    done = with_session(
        problem, base, "r002", Slot("individual", WED, 480, "t02", "auning", "auning-b1")
    )

    assert {u.referral: u.sessions for u in base.unplaced} == {"r001": 1, "r002": 1, "r003": 2,
                                                               "r005": 1}  # fmt: skip
    assert {u.referral: u.sessions for u in done.unplaced} == {"r001": 1, "r003": 2, "r005": 1}
    assert done.stats.sessions_placed == base.stats.sessions_placed + 1


BOOKED = Message("unplaced.all-booked", {"profession": "physio", "skills": []})


def test_a_placed_session_keeps_the_reasons_the_solver_gave(
    problem: Problem, base: Solution
) -> None:
    told = replace(base, unplaced=tuple(
        replace(u, reasons=(BOOKED,)) if u.referral == "r003" else u
        for u in base.unplaced
    ))  # fmt: skip
    intro = Slot("individual", MON, 480, "t01", "auning", "auning-b1")
    placed = with_session(problem, told, "r003", intro)

    r003 = next(u for u in placed.unplaced if u.referral == "r003")
    assert (r003.sessions, r003.reasons) == (1, (BOOKED,))
    r001 = next(u for u in placed.unplaced if u.referral == "r001")
    assert r001.reasons == (BY_HAND,)


def test_moving_a_sul_140_start_past_its_seven_days_warns_about_it() -> None:
    doc = week()
    doc["referrals"][0] |= {"discharged": "2026-12-01", "intro": True, "sessions_per_week": 1,
                            "session_minutes": 60}  # fmt: skip
    problem = parse_scenario(doc)
    plan = plan_of(problem, (appt("a0001", MON, 540, 600, referral="r001", room="auning-b1"),))
    late = with_move(
        problem, plan, "a0001", Slot("individual", WED, 540, "t01", "auning", "auning-b1")
    )

    assert [w.code for w in plan.warnings] == []
    assert [(w.referral, w.code) for w in late.warnings] == [("r001", "start-deadline")]
    assert check_plan(problem, late) == []


def test_moving_a_sul_140_start_without_opstart_past_its_seven_days_warns_about_it() -> None:
    doc = week()
    doc["referrals"][0] |= {"discharged": "2026-12-01", "intro": False, "sessions_per_week": 1,
                            "session_minutes": 60}  # fmt: skip
    problem = parse_scenario(doc)
    plan = plan_of(problem, (appt("a0001", MON, 540, 600, referral="r001", room="auning-b1"),))
    late = with_move(
        problem, plan, "a0001", Slot("individual", WED, 540, "t01", "auning", "auning-b1")
    )

    assert [w.code for w in plan.warnings] == []
    assert [(w.referral, w.code) for w in late.warnings] == [("r001", "start-deadline")]
    assert check_plan(problem, late) == []


def test_open_start_deadline_while_no_session_before_it_is_kept() -> None:
    doc = week()
    doc["referrals"][0] |= {"discharged": "2026-12-01", "intro": False}
    r001 = parse_scenario(doc).referral("r001")
    start = appt("a0001", TUE, 540, 600, referral="r001", room="auning-b1")
    later = appt("a0002", WED, 540, 600, referral="r001", room="auning-b1")

    assert open_start_deadline(r001, ()) == date(2026, 12, 8)
    assert open_start_deadline(r001, (start, later)) is None
    assert open_start_deadline(r001, (start, later), leaving="a0001") == date(2026, 12, 8)
    assert open_start_deadline(parse_scenario(week()).referral("r001"), ()) is None


def test_slot_rows_mark_the_days_after_the_deadline() -> None:
    slots = [Slot("individual", d, 540, "t01", "auning", "auning-b1") for d in (MON, TUE, WED)]
    rows = slot_rows(slots, deadline=TUE)
    assert [(r.day, r.late) for r in rows] == [(MON, False), (TUE, False), (WED, True)]


def test_next_id_is_fresh_past_the_plan_and_the_pinned_ids(
    problem: Problem, base: Solution
) -> None:
    pinned = replace(problem, pinned=(appt("a0042", FRI, 480, 525, referral="r005"),))

    assert next_id(problem, base) == "a0005"
    assert next_id(pinned, base) == "a0043"


# --- stored plans ---------------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine(request.param, tmp_path)


def stored(engine: Engine, doc: dict[str, Any] | None = None, appointments: tuple = BASE) -> int:
    """The week stored with a draft of these appointments; returns the plan's id."""
    with Session(engine) as session:
        scenario_id = import_scenario(doc or week(), session=session)
        problem = load_problem(scenario_id, session=session)
        return save_plan(scenario_id, plan_of(problem, appointments), session=session)


def solution(engine: Engine, plan_id: int) -> Solution:
    with Session(engine) as session:
        return load_solution(plan_id, session=session)


def test_placing_a_few_of_the_free_slots_keeps_the_stored_plan_clean(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session:
        problem = load_problem(session.get(Plan, plan_id).scenario_id, session=session)  # type: ignore[union-attr]
    # r001 in the middle of its slots, r003's start assessment and then a seat, r005 the last.
    for referral_id, pick in (("r001", 0.5), ("r003", 0), ("r003", 0), ("r005", 1)):
        slots = referral_slots(problem, solution(engine, plan_id), referral_id)
        with Session(engine) as session:
            place_session(
                plan_id, referral_id, slots[round(pick * (len(slots) - 1))], session=session
            )
        assert violations(engine, plan_id) == []

    with Session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        assert (plan.stats["sessions_placed"], [u.referral for u in plan.unplaced]) == (8, ["r002"])


def test_a_clashing_slot_is_refused_with_the_rule_and_nothing_is_stored(engine: Engine) -> None:
    plan_id = stored(engine)
    before = solution(engine, plan_id)
    clash = Slot("individual", MON, 540, "t02", "auning", "auning-sal")  # t02 is in b1 then

    with Session(engine) as session, pytest.raises(ChangeRefused) as refused:
        place_session(plan_id, "r001", clash, session=session)

    assert [m.code for m in refused.value.messages] == ["therapist-overlap"]
    assert solution(engine, plan_id) == before


def test_a_new_appointment_gets_a_fresh_id_and_a_seat_names_its_meeting(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session:
        first = place_session(plan_id, "r003", Slot("individual", MON, 480, "t01", "auning",
                                                    "auning-b1"), session=session)  # fmt: skip
        seat = place_session(plan_id, "r003", Slot("team", TUE, 600, "t01", "auning", "auning-sal",
                                                   "a0004"), session=session)  # fmt: skip

    assert (first, seat) == ("a0005", "a0004")
    assert violations(engine, plan_id) == []


def test_moving_keeps_the_id_and_a_locked_appointment_stays(engine: Engine) -> None:
    plan_id = stored(engine)
    to_wed = Slot("individual", WED, 600, "t02", "auning", "auning-sal")
    with Session(engine) as session:
        move_appointment(plan_id, "a0002", to_wed, session=session)
        set_locked(plan_id, "a0002", True, session=session)
        with pytest.raises(ChangeRefused):
            move_appointment(plan_id, "a0002", replace(to_wed, start=660), session=session)

    moved = next(a for a in solution(engine, plan_id).appointments if a.id == "a0002")
    assert (moved.day, moved.start, moved.therapist, moved.room) == (WED, 600, "t02", "auning-sal")
    assert violations(engine, plan_id) == []


def test_a_locked_appointment_survives_a_re_solve(engine: Engine) -> None:
    with Session(engine) as session:
        scenario_id = import_scenario(scenario(), session=session)
        job = start_solve(scenario_id, session=session, time_limit=3, background=False)
        assert job.plan_id is not None
        first, other = load_solution(job.plan_id, session=session).appointments
        day = THU if other.day == FRI else FRI
        odd = Slot("individual", day, 900, "t01", "auning", "auning-sal")
        move_appointment(job.plan_id, first.id, odd, session=session)
        set_locked(job.plan_id, first.id, True, session=session)

        again = start_solve(
            scenario_id, session=session, time_limit=3, background=False, base_plan_id=job.plan_id
        )
        assert again.plan_id is not None
        kept = [a for a in load_solution(again.plan_id, session=session).appointments
                if a.id == first.id]  # fmt: skip
        locks = locked_ids(again.plan_id, session=session)

    assert [(a.day, a.start, a.therapist, a.room) for a in kept] == [
        (day, 900, "t01", "auning-sal")
    ]
    assert locks == {first.id}
    assert violations(engine, again.plan_id) == []


def test_a_published_plan_refuses_changes_until_copied_into_a_new_draft(engine: Engine) -> None:
    plan_id = stored(engine)
    slot = Slot("individual", WED, 480, "t01", "auning", "auning-b1")
    with Session(engine) as session:
        set_locked(plan_id, "a0001", True, session=session)
        publish(plan_id, session=session)
        with pytest.raises(PlanStateError):
            place_session(plan_id, "r001", slot, session=session)
        with pytest.raises(PlanStateError):
            move_appointment(plan_id, "a0002", slot, session=session)
        with pytest.raises(PlanStateError):
            set_locked(plan_id, "a0002", True, session=session)
        draft = copy_as_draft(plan_id, session=session)
        assert draft.id is not None
        with pytest.raises(PlanStateError):  # a draft is changed itself, not copied
            copy_as_draft(draft.id, session=session)
        place_session(draft.id, "r001", slot, session=session)
        locks = locked_ids(draft.id, session=session)

    assert (draft.status, draft.version, locks) == ("draft", 2, {"a0001"})
    assert len(solution(engine, plan_id).appointments) == 4
    assert violations(engine, draft.id) == []


def test_unlocking_clears_the_lock(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session:
        set_locked(plan_id, "a0003", True, session=session)
        set_locked(plan_id, "a0003", False, session=session)
        with pytest.raises(LookupError):
            set_locked(plan_id, "a9999", True, session=session)

        assert locked_ids(plan_id, session=session) == frozenset()
