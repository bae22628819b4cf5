"""Adjusting a draft plan by hand: where a missing session could go, placing it, moving an
appointment, and locking appointments so a re-solve keeps them.

Free slots are found as the first-fit heuristic finds them: a diary (`solver.firstfit.Diary`)
holds the plan's appointments, and each way the session could be given on its own
(`solver.options`) is offered where its therapist, a room and the citizen are free. Every change
is then checked by the plan validator on the whole changed plan before anything is stored: a
change that breaks a rule is refused with the validator's messages and nothing is written. Only
drafts change; a published or superseded plan is copied into a new draft first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

import planner.formats.validate as rules
from planner.db.models import Appointment as AppointmentRow
from planner.db.models import AppointmentParticipant, Plan, PlanUnplaced, PlanWarning
from planner.db.revision import claim
from planner.db.store import (
    appointment_of,
    appointment_row,
    get,
    load_problem,
    load_solution,
    save_plan,
    stored_message,
    stored_reasons,
)
from planner.errors import NotFound, PlanStateError
from planner.formats.plan import local_time, stats_to_json, timestamp
from planner.plan.jobs import lock
from planner.plan.stored import PlanWeek, locked_ids, placed_by_referral, plan_week
from planner.text.messages import to_json
from solver import problem as solved
from solver.explain import start_deadline_message
from solver.firstfit import Diary
from solver.options import (
    Option,
    Options,
    can_attend,
    home_travel,
    meeting_options,
    referral_options,
    session_kind,
)
from solver.problem import (
    INDIVIDUAL_ROOM_KINDS,
    SUL140_START_DAYS,
    Appointment,
    Kind,
    Message,
    Problem,
    Referral,
    Solution,
    TeamClass,
    Unplaced,
    awaits_start,
    requested_sessions,
)

#: Why a referral misses sessions when only a change by hand made it so (the solver gave none).
BY_HAND = Message("unplaced.by-hand")
APPOINTMENT_ID = re.compile(r"a(\d+)")


class ChangeRefused(ValueError):
    """A change by hand that would break a rule (or cannot be made); nothing was stored."""

    def __init__(self, messages: list[Message]) -> None:
        super().__init__("; ".join(m.code for m in messages))
        self.messages = messages


@dataclass(frozen=True)
class Slot:
    """Where a session could go: day, start, therapist, centre, room, or a seat in a meeting.

    For a seat, `kind` is "team" and `meeting` names the held meeting it joins (None: a meeting
    of the class that is not held yet, led by `therapist` in `room`).
    """

    kind: Kind
    day: date
    start: int
    therapist: str
    centre: str
    room: str | None = None
    meeting: str | None = None


# --- the diary of a plan ------------------------------------------------------------------------


def day_indices(problem: Problem) -> dict[date, int]:
    return {d.date: i for i, d in enumerate(problem.days)}


def seeded_diary(problem: Problem, appointments: list[Appointment]) -> Diary:
    """A first-fit diary holding these appointments: therapists, rooms, citizens, class days."""
    diary = Diary(problem, Options())
    days = day_indices(problem)
    for a in appointments:
        enter(diary, days, a)
    return diary


def enter(diary: Diary, days: dict[date, int], a: Appointment) -> None:
    """One appointment written into a diary: its therapist, room, citizens and class day."""
    problem = diary.problem
    d = days.get(a.day)
    if d is None:  # not a plannable day: the validator refuses such a plan anyway
        return
    diary.occupy(a.therapist, d, a.centre, a.start - a.travel_before, a.end + a.travel_after)
    if a.room is not None:
        diary.rooms[(a.room, d)].append((a.start, a.end, a.kind == "team"))
    if a.kind == "team" and a.team_class:
        diary.class_days[a.team_class].add(d)
    for r in a.participants if a.kind == "team" else (a.referral,):
        if r is not None:
            diary.citizen_days[problem.referral(r).citizen].add(d)


def sessions_of(referral: str, appointments: list[Appointment]) -> list[tuple[date, bool]]:
    """The days a referral has a session on, and whether each is a seat in a meeting."""
    return [
        (a.day, a.kind == "team")
        for a in appointments
        if a.referral == referral or referral in a.participants
    ]


def in_order(referral: Referral, sessions: list[tuple[date, bool]], day: date, seat: bool) -> bool:
    """A team referral's start assessment still comes first and its re-test last (the
    validator's own rule `team-intro-final`, asked about the sessions with this one added)."""
    if referral.mode != "team":
        return True
    seen = [
        rules.PlacedSession(
            referral.id, Appointment("", "team" if s else "individual", "", "", d, 0, 0)
        )
        for d, s in [*sessions, (day, seat)]
    ]
    return next(iter(rules.intro_final_of(referral, seen)), None) is None


# --- free slots ---------------------------------------------------------------------------------


def referral_slots(
    problem: Problem, solution: Solution, referral_id: str, moving: Appointment | None = None
) -> list[Slot]:
    """Every slot where a missing session of the referral fits the plan as it stands; or, when
    `moving` one of its own appointments, every other slot that appointment could move to."""
    referral = problem.referral(referral_id)
    appointments = [a for a in solution.appointments if moving is None or a.id != moving.id]
    placed = placed_by_referral(tuple(appointments))[referral.id]
    if placed >= requested_sessions(problem, referral):
        return []
    diary = seeded_diary(problem, appointments)
    sessions = sessions_of(referral.id, appointments)
    slots = own_slots(problem, diary, referral, sessions)
    if moving is None and referral.team_class and referral.mode in ("team", "centre"):
        slots += seat_slots(problem, diary, referral, sessions, appointments)
    if moving is not None:
        here = Slot(moving.kind, moving.day, moving.start, moving.therapist, moving.centre,
                    moving.room)  # fmt: skip
        slots = [s for s in slots if s != here]
    return slots


def own_slots(
    problem: Problem, diary: Diary, referral: Referral, sessions: list[tuple[date, bool]]
) -> list[Slot]:
    """Individual, home or online sessions: each option at each start its therapist is free."""
    out = []
    for o in referral_options(problem, referral):
        day = problem.days[o.day].date
        if not diary.citizen_free(referral, o.day) or not in_order(referral, sessions, day, False):
            continue
        for start in o.starts:
            begin, end = start - o.travel_before, start + o.minutes + o.travel_after
            if not diary.therapist_free(o.therapist, o.day, o.centre, begin, end):
                continue
            if o.kind != "individual":
                out.append(Slot(o.kind, day, start, o.therapist, o.centre))
                continue
            out += [
                Slot(o.kind, day, start, o.therapist, o.centre, room)
                for room in free_rooms(problem, diary, o, start)
            ]
    return out


def free_rooms(problem: Problem, diary: Diary, option: Option, start: int) -> list[str]:
    """The centre's session rooms with a place for the whole session, treatment rooms first."""
    rooms = sorted(
        (r for r in problem.rooms if r.centre == option.centre and r.kind in INDIVIDUAL_ROOM_KINDS),
        key=lambda r: (r.capacity, r.id),
    )
    end = start + option.minutes
    return [r.id for r in rooms if diary.room_free(r.id, option.day, start, end, alone=False)]


def seat_slots(
    problem: Problem,
    diary: Diary,
    referral: Referral,
    sessions: list[tuple[date, bool]],
    appointments: list[Appointment],
) -> list[Slot]:
    """Seats: a held meeting of the referral's class with a free seat, or a meeting not yet
    held that the class may still have, with a free instructor and an empty room."""
    team = problem.team_class(referral.team_class or "")
    days = day_indices(problem)
    held = [a for a in appointments if a.kind == "team" and a.team_class == team.id]
    out = []
    for a in held:
        d = days[a.day]
        if (
            referral.id not in a.participants
            and len(a.participants) < seats(problem, team, a.room)
            and diary.citizen_free(referral, d)
            and can_attend(problem, referral, problem.days[d], a.start, a.end)
            and in_order(referral, sessions, a.day, True)
        ):
            out.append(Slot("team", a.day, a.start, a.therapist, a.centre, a.room, a.id))
    if team.meetings_per_week is not None and len(held) >= team.meetings_per_week:
        return out
    held_days = {a.day for a in held}
    for m in meeting_options(problem, team):
        day = problem.days[m.day].date
        if (
            day in held_days
            or referral.id not in m.seats
            or not diary.citizen_free(referral, m.day)
            or not in_order(referral, sessions, day, True)
        ):
            continue
        out += new_meeting_slots(problem, diary, team, m.day, m.start, m.instructors, m.rooms)
    return out


def new_meeting_slots(
    problem: Problem,
    diary: Diary,
    team: TeamClass,
    d: int,
    start: int,
    instructors: tuple[str, ...],
    rooms: tuple[str, ...],
    people: int = 1,
) -> list[Slot]:
    """A meeting at this day and time: each free instructor in each empty room that seats all."""
    end = start + team.minutes
    empty = [
        r
        for r in rooms
        if diary.room_free(r, d, start, end, alone=True) and people <= seats(problem, team, r)
    ]
    day = problem.days[d].date
    return [
        Slot("team", day, start, t, team.centre, r)
        for t in instructors
        if diary.therapist_free(t, d, team.centre, start, end)
        for r in empty
    ]


def seats(problem: Problem, team: TeamClass, room: str | None) -> int:
    """A meeting seats the class's capacity or its room's, whichever is smaller."""
    return min(team.capacity, problem.room(room).capacity) if room else team.capacity


def meeting_slots(problem: Problem, solution: Solution, meeting: Appointment) -> list[Slot]:
    """Every other day, time, instructor and room a held team meeting could move to, with all
    its participants."""
    team = problem.team_class(meeting.team_class or "")
    others = [a for a in solution.appointments if a.id != meeting.id]
    diary = seeded_diary(problem, others)
    held_days = {a.day for a in others if a.kind == "team" and a.team_class == team.id}
    members = [problem.referral(r) for r in meeting.participants]
    here = Slot("team", meeting.day, meeting.start, meeting.therapist, meeting.centre, meeting.room)
    out = []
    for m in meeting_options(problem, team):
        day = problem.days[m.day].date
        if day in held_days or not set(meeting.participants) <= set(m.seats):
            continue
        if not all(
            diary.citizen_free(r, m.day) and in_order(r, sessions_of(r.id, others), day, True)
            for r in members
        ):
            continue
        found = new_meeting_slots(
            problem, diary, team, m.day, m.start, m.instructors, m.rooms, len(members)
        )
        out += [s for s in found if s != here]
    return out


def move_slots(problem: Problem, solution: Solution, appointment: Appointment) -> list[Slot]:
    """Where an appointment could move: a session to another slot, a meeting with its people."""
    if appointment.kind == "team":
        return meeting_slots(problem, solution, appointment)
    return referral_slots(problem, solution, appointment.referral or "", moving=appointment)


# --- what a change makes of the plan --------------------------------------------------------------


def with_session(problem: Problem, solution: Solution, referral_id: str, slot: Slot) -> Solution:
    """The plan with one more session of the referral, in the slot chosen."""
    referral = problem.referral(referral_id)
    known_references(problem, slot)
    appointments = list(solution.appointments)
    if slot.kind == "team":
        appointments = seated(problem, solution, referral, slot)
    else:
        appointments.append(own_session(problem, referral, slot, next_id(problem, solution)))
    return accounted(problem, solution, tuple(appointments))


def own_session(problem: Problem, referral: Referral, slot: Slot, id: str) -> Appointment:
    """An individual, home or online session (its kind is the referral's, whatever was sent)."""
    kind = session_kind(referral)
    travel = home_travel(problem, referral, slot.centre) if kind == "home" else 0
    return Appointment(
        id=id,
        kind=kind,
        therapist=slot.therapist,
        centre=slot.centre,
        day=slot.day,
        start=slot.start,
        end=slot.start + referral.session_minutes,
        referral=referral.id,
        room=slot.room,
        travel_before=travel,
        travel_after=travel,
    )


def seated(
    problem: Problem, solution: Solution, referral: Referral, slot: Slot
) -> list[Appointment]:
    """The appointments with the referral seated in a held meeting, or in a new one."""
    if slot.meeting is not None:
        meeting = find(solution, slot.meeting)
        if meeting.kind != "team":
            raise ChangeRefused([Message("change.not-a-meeting", {"id": slot.meeting})])
        joined = replace(meeting, participants=tuple(sorted([*meeting.participants, referral.id])))
        return [joined if a.id == meeting.id else a for a in solution.appointments]
    if referral.team_class is None:
        raise ChangeRefused([Message("change.not-team", {"referral": referral.id})])
    team = problem.team_class(referral.team_class)
    meeting = Appointment(
        id=next_id(problem, solution),
        kind="team",
        therapist=slot.therapist,
        centre=team.centre,
        day=slot.day,
        start=slot.start,
        end=slot.start + team.minutes,
        team_class=team.id,
        participants=(referral.id,),
        room=slot.room,
    )
    return [*solution.appointments, meeting]


def with_move(problem: Problem, solution: Solution, appointment_id: str, slot: Slot) -> Solution:
    """The plan with one appointment moved to the slot chosen (a meeting keeps its people)."""
    known_references(problem, slot)
    a = find(solution, appointment_id)
    length = a.end - a.start
    moved = replace(
        a, day=slot.day, start=slot.start, end=slot.start + length, therapist=slot.therapist
    )
    if a.kind == "team":
        moved = replace(moved, room=slot.room)
    else:
        referral = problem.referral(a.referral or "")
        travel = home_travel(problem, referral, slot.centre) if a.kind == "home" else 0
        moved = replace(
            moved, centre=slot.centre, room=slot.room, travel_before=travel, travel_after=travel
        )
    appointments = tuple(moved if x.id == a.id else x for x in solution.appointments)
    return accounted(problem, solution, appointments)


def find(solution: Solution, appointment_id: str) -> Appointment:
    for a in solution.appointments:
        if a.id == appointment_id:
            return a
    raise ChangeRefused([Message("change.no-appointment", {"id": appointment_id})])


def known_references(problem: Problem, slot: Slot) -> None:
    """The therapist, centre and room chosen exist in the week (the form could name others)."""
    errors: list[Message] = []
    if slot.therapist not in {t.id for t in problem.therapists}:
        errors.append(Message("change.unknown-therapist", {"therapist": slot.therapist}))
    if slot.centre not in {c.id for c in problem.centres}:
        errors.append(Message("change.unknown-centre", {"centre": slot.centre}))
    if slot.room is not None and slot.room not in {r.id for r in problem.rooms}:
        errors.append(Message("change.unknown-room", {"room": slot.room}))
    if errors:
        raise ChangeRefused(errors)


def next_id(problem: Problem, solution: Solution) -> str:
    """A fresh appointment id in the solver's style, after every id the week and plan use."""
    used = [a.id for a in (*solution.appointments, *problem.pinned, *problem.previous)]
    numbers = [int(m.group(1)) for i in used if (m := APPOINTMENT_ID.fullmatch(i))]
    return f"a{max(numbers, default=0) + 1:04d}"


def accounted(
    problem: Problem, solution: Solution, appointments: tuple[Appointment, ...]
) -> Solution:
    """The plan with these appointments and its own account kept true: what is unplaced and
    why, SUL §140 starts that are late, and the count of placed sessions."""
    placed = placed_by_referral(appointments)
    reasons = {u.referral: u.reasons for u in solution.unplaced}
    unplaced = []
    for r in problem.referrals:
        missing = requested_sessions(problem, r) - placed[r.id]
        if missing > 0:
            unplaced.append(Unplaced(r.id, missing, reasons.get(r.id) or (BY_HAND,)))
    # The week may have changed since the plan was made (a referral added in the forms).
    requested = sum(requested_sessions(problem, r) for r in problem.referrals)
    stats = replace(
        solution.stats, sessions_requested=requested, sessions_placed=sum(placed.values())
    )
    warnings = start_warnings(problem, solution, appointments)
    return replace(
        solution,
        appointments=appointments,
        unplaced=tuple(unplaced),
        warnings=warnings,
        stats=stats,
    )


def start_warnings(
    problem: Problem, solution: Solution, appointments: tuple[Appointment, ...]
) -> tuple[solved.PlanWarning, ...]:
    """The plan's warnings with each SUL §140 start's warning said again for the new days."""
    days = day_indices(problem)
    session_days: dict[str, list[int]] = defaultdict(list)
    for a in appointments:
        for key in a.participants if a.kind == "team" else (a.referral,):
            if key is not None and a.day in days:
                session_days[key].append(days[a.day])
    others = defaultdict(list)
    for w in solution.warnings:
        if w.code != "start-deadline":
            others[w.referral].append(w)
    out: list[solved.PlanWarning] = []
    for r in problem.referrals:
        if awaits_start(r):
            message = start_deadline_message(problem, r, session_days.get(r.id, []))
            if message:
                out.append(solved.PlanWarning(r.id, "start-deadline", message))
        out += others.pop(r.id, [])
    return tuple(out) + tuple(w for ws in others.values() for w in ws)


def checked(problem: Problem, changed: Solution) -> Solution:
    """The changed plan if it keeps every rule; ChangeRefused with the validator's words if not."""
    violations = rules.check_plan(problem, changed)
    if violations:
        raise ChangeRefused([v.message for v in violations])
    return changed


# --- stored plans ---------------------------------------------------------------------------------


def editable_week(plan_id: int, *, session: Session) -> PlanWeek:
    """A draft plan with its week; PlanStateError for a plan that is read-only."""
    week = plan_week(plan_id, session=session)
    refuse_read_only(week.plan)
    return week


def refuse_read_only(plan: Plan) -> None:
    """PlanStateError for a published or superseded plan: only drafts change."""
    if plan.status != "draft":
        raise PlanStateError(
            Message("plan.read-only", {"version": plan.version, "status": plan.status})
        )


def place_session(plan_id: int, referral_id: str, slot: Slot, *, session: Session) -> str:
    """Place a missing session by hand; returns the id of the appointment it is in."""
    week = editable_week(plan_id, session=session)
    if referral_id not in {r.id for r in week.problem.referrals}:
        raise NotFound("referral", referral_id)
    changed = checked(week.problem, with_session(week.problem, week.solution, referral_id, slot))
    store(session, week, changed)
    before = {a.id: a for a in week.solution.appointments}
    return next(
        a.id
        for a in changed.appointments
        if a.id not in before or a.participants != before[a.id].participants
    )


def move_appointment(plan_id: int, appointment_id: str, slot: Slot, *, session: Session) -> None:
    """Move an appointment to another slot (a team meeting with its participants)."""
    move_in(editable_week(plan_id, session=session), appointment_id, slot, session=session)


def move_in(week: PlanWeek, appointment_id: str, slot: Slot, *, session: Session) -> None:
    week.appointment(appointment_id)  # NotFound for an appointment the plan does not have
    refuse_fixed(week, appointment_id)
    changed = checked(week.problem, with_move(week.problem, week.solution, appointment_id, slot))
    store(session, week, changed)


def move_to(
    plan_id: int, appointment_id: str, when: str, therapist: str, room: str | None, *,
    session: Session,
) -> None:  # fmt: skip
    """Move an appointment to a local time given as a timestamp with its UTC offset (the API's
    move): the centre is the one of the free slot there, else the room's, else the old one."""
    week = editable_week(plan_id, session=session)
    a = week.appointment(appointment_id)
    try:
        day, start = local_time(ZoneInfo(week.problem.timezone), when)
    except ValueError as e:
        raise ChangeRefused(
            [Message("change.bad-start", {"value": when, "reason": str(e)})]
        ) from None
    rooms = {r.id: r.centre for r in week.problem.rooms}
    if room is not None:
        centre = rooms.get(room, a.centre)
    else:  # a home or online session: the centre its therapist would set out from there
        centre = next(
            (s.centre for s in move_slots(week.problem, week.solution, a)
             if (s.day, s.start, s.therapist) == (day, start, therapist)),
            a.centre,
        )  # fmt: skip
    move_in(
        week, appointment_id, Slot(a.kind, day, start, therapist, centre, room), session=session
    )


def refuse_fixed(week: PlanWeek, appointment_id: str) -> None:
    """A locked appointment stays where it is until unlocked; a pinned one always does."""
    if appointment_id in week.locked:
        raise ChangeRefused([Message("change.locked", {"id": appointment_id})])
    if appointment_id in {a.id for a in week.problem.pinned}:
        raise ChangeRefused([Message("change.pinned", {"id": appointment_id})])


def set_locked(plan_id: int, appointment_id: str, locked: bool, *, session: Session) -> bool:
    """Lock an appointment of a draft (a re-solve keeps it), or unlock it; returns the state."""
    plan = get(session, Plan, plan_id)
    refuse_read_only(plan)
    seen = plan.revision
    query = select(AppointmentRow).where(
        AppointmentRow.plan_id == plan_id, AppointmentRow.key == appointment_id
    )
    row = session.exec(query).first()
    if row is None:
        raise NotFound("appointment", appointment_id)
    claim(session, plan_id, seen)
    row.locked = locked
    session.add(row)
    session.commit()
    return locked


def copy_as_draft(plan_id: int, *, session: Session) -> Plan:
    """Lav ny kladde: the plan copied into the week's next draft version, locks kept.

    PlanStateError for a draft, and for a plan the week's changed data makes break a rule."""
    plan = get(session, Plan, plan_id)
    if plan.status == "draft":
        raise PlanStateError(Message("plan.already-draft", {"version": plan.version}))
    kept = set(locked_ids(plan_id, session=session))
    problem = load_problem(plan.scenario_id, session=session)
    old = load_solution(plan_id, session=session)
    # The week's data may have changed since: recount, and copy only what keeps the rules.
    try:
        copy = checked(problem, accounted(problem, old, old.appointments))
    except ChangeRefused as refused:
        problems = [to_json(m) for m in refused.messages[:3]]
        raise PlanStateError(Message("change.copy-breaks-rules", {"problems": problems})) from None
    draft_id = save_plan(plan.scenario_id, copy, session=session)
    lock(draft_id, kept, session=session)
    return get(session, Plan, draft_id)


def store(session: Session, week: PlanWeek, changed: Solution) -> None:
    """Write a checked change: the appointments that changed, the unplaced list, warnings, stats.

    PlanChanged, and nothing written, when the plan changed since `week` was read."""
    plan = week.plan
    claim(session, week.plan_id, plan.revision)
    query = (
        select(AppointmentRow)
        .where(AppointmentRow.plan_id == plan.id)
        .options(selectinload(AppointmentRow.participants))  # type: ignore[arg-type]
    )
    rows = {row.key: row for row in session.exec(query).all()}
    for a in changed.appointments:
        row = rows.pop(a.id, None)
        if row is None:
            session.add(appointment_row(a, plan.scenario_id, role="plan", plan_id=plan.id))
        elif appointment_of(row) != a:
            rewrite(row, a)
            session.add(row)
    for row in rows.values():
        session.delete(row)
    plan.unplaced = [
        PlanUnplaced(
            plan_id=week.plan_id, referral=u.referral, sessions=u.sessions,
            reasons=stored_reasons(u),
        )
        for u in changed.unplaced
    ]  # fmt: skip
    plan.warnings = [
        PlanWarning(
            plan_id=week.plan_id, referral=w.referral, code=w.code, message=stored_message(w)
        )
        for w in changed.warnings
    ]
    plan.stats = stats_to_json(changed.stats)
    plan.stale = False  # the whole plan was just checked against the week's data
    session.add(plan)
    session.commit()


def rewrite(row: AppointmentRow, a: Appointment) -> None:
    """A stored appointment made the same as `a` (its lock stays as it was)."""
    row.kind, row.therapist, row.centre, row.date = a.kind, a.therapist, a.centre, a.day
    row.start, row.end, row.referral, row.team_class = a.start, a.end, a.referral, a.team_class
    row.room, row.travel_before, row.travel_after = a.room, a.travel_before, a.travel_after
    if tuple(p.referral for p in row.participants) != a.participants:
        row.participants = [AppointmentParticipant(referral=p) for p in a.participants]


# --- what the pages show --------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotRow:
    """Slots that differ only in start time, as one line of the list a coordinator picks from."""

    kind: Kind
    day: date
    therapist: str
    centre: str
    room: str | None
    meeting: str | None
    starts: tuple[int, ...]
    late: bool = False  # after the SUL §140 start deadline of the session being placed or moved


def slot_rows(
    slots: list[Slot],
    day: date | None = None,
    therapist: str | None = None,
    deadline: date | None = None,
) -> list[SlotRow]:
    """The slots as lines per day, held meetings first, then new meetings, then sessions;
    only of one day or one therapist when asked; lines after `deadline` marked late."""
    grouped: dict[tuple, list[int]] = defaultdict(list)
    for s in slots:
        if (day is None or s.day == day) and (therapist is None or s.therapist == therapist):
            key = (s.day, s.meeting is None, s.kind != "team", s.therapist, s.room or "",
                   s.kind, s.centre, s.meeting)  # fmt: skip
            grouped[key].append(s.start)
    return [
        SlotRow(
            k[5],
            k[0],
            k[3],
            k[6],
            k[4] or None,
            k[7],
            tuple(sorted(set(starts))),
            late=deadline is not None and k[0] > deadline,
        )
        for k, starts in sorted(grouped.items(), key=lambda item: item[0][:5])
    ]


@dataclass(frozen=True)
class ReferralAdjust:
    """A referral in a plan: what it asks for, what is placed, and where the rest could go."""

    week: PlanWeek
    referral: Referral
    citizen: str
    requested: int
    placed: int
    reasons: tuple[Message, ...]
    appointments: list[Appointment]
    slots: list[Slot]
    deadline: date | None = None  # SUL §140: the start still to come by this day


def open_start_deadline(
    referral: Referral, appointments: Iterable[Appointment], leaving: str | None = None
) -> date | None:
    """The day a SUL §140 start must come by while no session of the referral on or before it
    is kept (`leaving`: an appointment about to move, which does not count); None otherwise."""
    if not awaits_start(referral):
        return None
    assert referral.discharged is not None
    deadline = referral.discharged + timedelta(days=SUL140_START_DAYS)
    kept = [
        a
        for a in appointments
        if a.id != leaving and (a.referral == referral.id or referral.id in a.participants)
    ]
    return None if any(a.day <= deadline for a in kept) else deadline


def referral_adjust(plan_id: int, referral_id: str, *, session: Session) -> ReferralAdjust:
    """A referral of a plan with the free slots for its missing sessions (none if read-only);
    NotFound if there is no such plan or referral."""
    week = plan_week(plan_id, session=session)
    problem, solution = week.problem, week.solution
    if referral_id not in {r.id for r in problem.referrals}:
        raise NotFound("referral", referral_id)
    referral = problem.referral(referral_id)
    mine = [
        a
        for a in solution.appointments
        if a.referral == referral_id or referral_id in a.participants
    ]
    unplaced = {u.referral: u.reasons for u in solution.unplaced}
    return ReferralAdjust(
        week=week,
        referral=referral,
        citizen=problem.citizen(referral.citizen).name,
        requested=requested_sessions(problem, referral),
        placed=len(mine),
        reasons=unplaced.get(referral_id, ()),
        appointments=sorted(mine, key=lambda a: (a.day, a.start)),
        slots=referral_slots(problem, solution, referral_id) if week.editable else [],
        deadline=open_start_deadline(referral, solution.appointments),
    )


@dataclass(frozen=True)
class AppointmentAdjust:
    """An appointment of a plan, whether it is locked or pinned, and where it could move."""

    week: PlanWeek
    appointment: Appointment
    locked: bool
    pinned: bool
    slots: list[Slot]
    deadline: date | None = None  # SUL §140: a start this appointment holds must come by then


def appointment_adjust(plan_id: int, appointment_id: str, *, session: Session) -> AppointmentAdjust:
    """An appointment with the slots it could move to (none when it is locked, pinned or the
    plan read-only); NotFound if there is no such plan or appointment."""
    week = plan_week(plan_id, session=session)
    a = week.appointment(appointment_id)
    locked = a.id in week.locked
    pinned = a.id in {p.id for p in week.problem.pinned}
    movable = week.editable and not locked and not pinned
    slots = move_slots(week.problem, week.solution, a) if movable else []
    mine = (a.referral,) if a.kind != "team" else a.participants
    deadlines = [
        d
        for key in mine
        if key is not None
        and (d := open_start_deadline(week.problem.referral(key), week.solution.appointments, a.id))
    ]
    return AppointmentAdjust(week, a, locked, pinned, slots, min(deadlines, default=None))


def slot_documents(plan_id: int, referral_id: str, *, session: Session) -> list[dict[str, Any]]:
    """The API's free slots of a referral: every slot where one more of its sessions keeps every
    rule, with local start and end timestamps (none when the plan is read-only)."""
    page = referral_adjust(plan_id, referral_id, session=session)
    problem = page.week.problem
    zone = ZoneInfo(problem.timezone)
    minutes = {c.id: c.minutes for c in problem.classes}
    out = []
    for s in page.slots:
        length = minutes[page.referral.team_class or ""] if s.kind == "team" else None
        end = s.start + (length or page.referral.session_minutes)
        out.append({
            "start": timestamp(zone, s.day, s.start), "end": timestamp(zone, s.day, end),
            "therapist": s.therapist, "centre": s.centre, "room": s.room, "kind": s.kind,
        })  # fmt: skip
    return out
