"""Changes to a published week, and the repair that mends them with the fewest changes.

A change is a therapist absent (whole days, or from a time: "syg fra 11:00"), a room closed, a
class meeting cancelled, or a citizen cancelling a session (or, through `cancel_course`, the
rest of a course). Each hits the appointments of the plan that fall inside it. The repair is a
new plan in which everything in the past and everything not hit stays exactly where it is, and
each hit appointment is mended by the first of these that works:

1. another qualified, free therapist at the same time and in the same room (or, for a closed
   room, another free room at the same time): the citizen sees no change of time;
2. the session moved to the free slot of the week nearest to where it was, SUL §140 start
   deadlines kept where they can be; a team seat goes to another held meeting of its class;
3. cancelled, with the reason.

This keeps the order of goals a coordinator asked for: fewest citizens affected (a substitute
changes nothing the citizen notices), SUL §140 starts kept (those referrals are mended first and
prefer a slot inside their deadline), and fewest appointments changed (nothing that is not hit
is ever touched). Free slots are found as hand edits find them (`planner.plan.edit`): a diary of
the plan's kept appointments, with the change's hours blocked in it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

import planner.formats.validate as rules
from planner.db.models import WeekChange
from planner.db.store import load_problem, save_plan
from planner.formats.plan import DocumentError, texts
from planner.plan.edit import (
    BY_HAND,
    Slot,
    accounted,
    checked,
    day_indices,
    enter,
    new_meeting_slots,
    own_session,
    own_slots,
    seat_slots,
    seeded_diary,
    sessions_of,
)
from planner.plan.jobs import lock
from planner.plan.stored import PlanWeek, plan_week
from planner.text.messages import Where
from planner.text.repair import CANCELLED_CODE
from solver.firstfit import Diary
from solver.options import meeting_options
from solver.problem import (
    SUL140_START_DAYS,
    Appointment,
    Message,
    PlanWarning,
    Problem,
    Referral,
    Solution,
)

DisruptionKind = Literal["therapist", "room", "class", "referral"]
DISRUPTION_KINDS: tuple[DisruptionKind, ...] = ("therapist", "room", "class", "referral")
Action = Literal["substituted", "room", "moved", "reseated", "cancelled"]
#: Why an appointment was hit, by the kind of change (`repair.<reason>` in the catalogue).
HIT_REASON = {
    "therapist": "therapist-absent",
    "room": "room-closed",
    "class": "class-cancelled",
    "referral": "citizen-cancelled",
}


@dataclass(frozen=True)
class Disruption:
    """Something that changed in a published week: who or what is out, from when until when.

    `key` is the therapist, room, class or referral id; `start` and `end` are local wall-clock
    times of the week (naive datetimes).
    """

    kind: DisruptionKind
    key: str
    start: datetime
    end: datetime

    def covers(self, day: date, start: int, end: int) -> bool:
        """The stretch of this day (minutes after midnight) overlaps the change."""
        midnight = datetime.combine(day, time())
        return midnight + timedelta(minutes=start) < self.end and self.start < midnight + (
            timedelta(minutes=end)
        )

    def hits(self, a: Appointment) -> bool:
        """The appointment cannot take place as planned because of this change."""
        if self.kind == "therapist":
            return a.therapist == self.key and self.covers(
                a.day, a.start - a.travel_before, a.end + a.travel_after
            )
        if self.kind == "room":
            return a.room == self.key and self.covers(a.day, a.start, a.end)
        if self.kind == "class":
            return (
                a.kind == "team" and a.team_class == self.key and self.covers(a.day, a.start, a.end)
            )
        return (a.referral == self.key or self.key in a.participants) and self.covers(
            a.day, a.start, a.end
        )

    def minutes_on(self, day: date) -> tuple[int, int] | None:
        """The part of a day the change blocks, in minutes after midnight, or None."""
        midnight = datetime.combine(day, time())
        start = max(self.start, midnight)
        end = min(self.end, midnight + timedelta(days=1))
        if start >= end:
            return None
        return (int((start - midnight).total_seconds() // 60),
                int((end - midnight).total_seconds() // 60))  # fmt: skip


def whole_days(kind: DisruptionKind, key: str, first: date, last: date) -> Disruption:
    """A change for whole days, e.g. a therapist ill from Wednesday to Friday."""
    return Disruption(kind, key, datetime.combine(first, time()),
                      datetime.combine(last + timedelta(days=1), time()))  # fmt: skip


def data_disruptions(problem: Problem) -> list[Disruption]:
    """The absences already entered in the week's data, as changes for whole days."""
    days = {d.date for d in problem.days}
    return [
        whole_days("therapist", t.id, day, day)
        for t in problem.therapists
        for day in sorted(t.absent)
        if day in days
    ]


def starts_at(a: Appointment) -> datetime:
    return datetime.combine(a.day, time()) + timedelta(minutes=a.start)


def hit_appointments(
    solution: Solution, disruptions: list[Disruption], now: datetime | None = None
) -> list[Appointment]:
    """The appointments not yet begun that a change hits, in time order."""
    return sorted(
        (
            a
            for a in solution.appointments
            if (now is None or starts_at(a) >= now) and any(d.hits(a) for d in disruptions)
        ),
        key=lambda a: (a.day, a.start, a.id),
    )


# --- the repair ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mend:
    """What the repair did with one hit appointment, for one or more referrals."""

    appointment: str  # the id in the plan repaired
    referrals: tuple[str, ...]
    action: Action
    reason: str  # a value of HIT_REASON: why it was hit (or, cancelled, why nothing else worked)
    into: str | None = None  # the appointment it now is (moved, reseated)


@dataclass(frozen=True)
class Repaired:
    """The repaired plan and what happened to each hit appointment."""

    solution: Solution
    mends: tuple[Mend, ...]

    @property
    def cancelled(self) -> list[Mend]:
        return [m for m in self.mends if m.action == "cancelled"]


@dataclass
class Work:
    """The plan being repaired: its appointments by id (in order), and the diary of them."""

    problem: Problem
    appointments: dict[str, Appointment]
    diary: Diary
    days: dict[date, int]
    now: datetime | None
    mends: list[Mend]

    def put(self, a: Appointment) -> None:
        self.appointments[a.id] = a
        enter(self.diary, self.days, a)

    def others(self, exclude: str) -> list[Appointment]:
        return [a for i, a in self.appointments.items() if i != exclude]

    def future(self, slot: Slot) -> bool:
        return (
            self.now is None
            or datetime.combine(slot.day, time()) + timedelta(minutes=slot.start) >= self.now
        )


def repair(
    problem: Problem,
    solution: Solution,
    disruptions: list[Disruption],
    now: datetime | None = None,
    *,
    moves: bool = True,
) -> Repaired:
    """The plan mended for these changes with as few changes as it can (see the module).

    Substitutes are found for every hit appointment first, and only then are the rest moved:
    a move never takes the time a substitute needed, so no more citizens are affected than by
    substituting alone. `moves=False` is that baseline: substitute, else cancel.
    """
    hit = hit_appointments(solution, disruptions, now)
    hit_ids = {a.id for a in hit}
    kept = [a for a in solution.appointments if a.id not in hit_ids]
    work = Work(problem, {a.id: a for a in kept}, seeded_diary(problem, kept),
                day_indices(problem), now, [])  # fmt: skip
    block(work, disruptions)
    pending: list[tuple[Appointment, str]] = []
    for a in sorted(hit, key=lambda a: (not starts_first(problem, a), a.day, a.start, a.id)):
        reasons = [HIT_REASON[d.kind] for d in disruptions if d.hits(a)]
        left = (
            stand_in_meeting(work, a, reasons, disruptions)
            if a.kind == "team"
            else stand_in_session(work, a, reasons)
        )
        if left is not None:
            pending.append((left, next(r for r in reasons if r != "citizen-cancelled")))
    for a, reason in pending:
        if a.kind == "team":
            for r in a.participants:
                reseat(work, a, problem.referral(r), reason, moves)
        else:
            move_session(work, a, reason, moves)
    keep_course_order(work)
    order = {a.id: i for i, a in enumerate(solution.appointments)}
    final = sorted(work.appointments.values(), key=lambda a: order.get(a.id, len(order)))
    return Repaired(explained(problem, solution, tuple(final), work.mends), tuple(work.mends))


def starts_first(problem: Problem, a: Appointment) -> bool:
    """A SUL §140 referral's session: mended before the others."""
    keys = a.participants if a.kind == "team" else (a.referral,)
    return any(k and problem.referral(k).discharged and problem.referral(k).intro for k in keys)


def block(work: Work, disruptions: list[Disruption]) -> None:
    """The changes' hours made busy in the diary: nothing is booked into them."""
    for d in disruptions:
        for day, i in work.days.items():
            stretch = d.minutes_on(day)
            if stretch is None:
                continue
            if d.kind == "therapist":
                work.diary.busy[(d.key, i)].append(stretch)
            elif d.kind == "room":
                work.diary.rooms[(d.key, i)].append((*stretch, True))


def deadline_kept(problem: Problem, referral: Referral, day: date) -> bool:
    """A session on this day keeps the referral's SUL §140 start deadline (or it has none)."""
    if not (referral.intro and referral.discharged):
        return True
    return day <= referral.discharged + timedelta(days=SUL140_START_DAYS)


def free_slots(work: Work, a: Appointment, referral: Referral) -> list[Slot]:
    """Every slot not in the past where the referral's session could go instead of `a`."""
    sessions = sessions_of(referral.id, work.others(a.id))
    found = own_slots(work.problem, work.diary, referral, sessions)
    return [s for s in found if work.future(s)]


def stand_in_session(work: Work, a: Appointment, reasons: list[str]) -> Appointment | None:
    """An individual, home or online session given by another qualified, free therapist at the
    same time and place (or, a room closed, in another room); the session if none can."""
    referral = work.problem.referral(a.referral or "")
    if "citizen-cancelled" in reasons:
        work.mends.append(Mend(a.id, (referral.id,), "cancelled", "citizen-cancelled"))
        return None
    reason = reasons[0]
    same_time = [
        s
        for s in free_slots(work, a, referral)
        if s.day == a.day and s.start == a.start and s.centre == a.centre
    ]
    if not same_time:
        return a
    slot = min(same_time, key=lambda s: (s.room != a.room, s.therapist != referral.contact,
                                         s.therapist, s.room or ""))  # fmt: skip
    action: Action = "substituted" if slot.therapist != a.therapist else "room"
    work.put(own_session(work.problem, referral, slot, a.id))
    work.mends.append(Mend(a.id, (referral.id,), action, reason, a.id))
    return None


def move_session(work: Work, a: Appointment, reason: str, moves: bool) -> None:
    """A session no one could take at its time: to the nearest free slot, else cancelled."""
    referral = work.problem.referral(a.referral or "")
    slots = free_slots(work, a, referral) if moves else []
    if not slots:
        work.mends.append(Mend(a.id, (referral.id,), "cancelled", reason))
        return
    slot = min(slots, key=lambda s: move_cost(work.problem, referral, a, s))
    work.put(own_session(work.problem, referral, slot, a.id))
    work.mends.append(Mend(a.id, (referral.id,), "moved", reason, a.id))


def move_cost(problem: Problem, referral: Referral, a: Appointment, s: Slot) -> tuple:
    """How far a slot is from where the session was: the deadline first, then the day, the
    time, the therapist the citizen knows."""
    return (
        not deadline_kept(problem, referral, s.day),
        abs((s.day - a.day).days),
        abs(s.start - a.start),
        s.therapist not in (a.therapist, referral.contact),
        s.therapist,
        s.room or "",
    )


def stand_in_meeting(
    work: Work, a: Appointment, reasons: list[str], disruptions: list[Disruption]
) -> Appointment | None:
    """A team meeting: seats cancelled by citizens go; the meeting gets a substitute instructor
    or room at the same time; the meeting (with the seats left) if it cannot be held."""
    gone = {d.key for d in disruptions if d.kind == "referral" and d.hits(a)}
    for r in sorted(gone & set(a.participants)):
        work.mends.append(Mend(a.id, (r,), "cancelled", "citizen-cancelled"))
    people = tuple(p for p in a.participants if p not in gone)
    if not people:
        return None
    meeting = replace(a, participants=people)
    other = [r for r in reasons if r != "citizen-cancelled"]
    if not other:
        work.put(meeting)
        return None
    slot = substitute_meeting(work, meeting) if "class-cancelled" not in other else None
    if slot is None:
        return meeting
    action: Action = "substituted" if slot.therapist != a.therapist else "room"
    work.put(replace(meeting, therapist=slot.therapist, room=slot.room))
    work.mends.append(Mend(a.id, people, action, other[0], a.id))
    return None


def substitute_meeting(work: Work, a: Appointment) -> Slot | None:
    """Another qualified, free instructor (or another empty room) for the meeting at its time."""
    problem = work.problem
    team = problem.team_class(a.team_class or "")
    d = work.days[a.day]
    found: list[Slot] = []
    for m in meeting_options(problem, team):
        if m.day == d and m.start == a.start:
            found += new_meeting_slots(problem, work.diary, team, d, a.start, m.instructors,
                                       m.rooms, len(a.participants))  # fmt: skip
    found.sort(key=lambda s: (s.room != a.room, s.therapist != a.therapist, s.therapist))
    return found[0] if found else None


def reseat(work: Work, a: Appointment, referral: Referral, reason: str, moves: bool) -> None:
    """A seat of a meeting that is not held: a free seat in another held meeting of the class
    (nearest day first), else cancelled."""
    sessions = sessions_of(referral.id, work.others(a.id))
    found = seat_slots(work.problem, work.diary, referral, sessions, work.others(a.id))
    held = [s for s in found if s.meeting is not None and s.meeting != a.id and work.future(s)]
    held.sort(key=lambda s: (abs((s.day - a.day).days), s.start, s.meeting or ""))
    if not held or not moves:
        work.mends.append(Mend(a.id, (referral.id,), "cancelled", reason))
        return
    target = work.appointments[held[0].meeting or ""]
    joined = replace(target, participants=tuple(sorted([*target.participants, referral.id])))
    work.appointments[target.id] = joined
    work.diary.citizen_days[referral.citizen].add(work.days[target.day])
    work.mends.append(Mend(a.id, (referral.id,), "reseated", reason, target.id))


def keep_course_order(work: Work) -> None:
    """A team referral whose start assessment or re-test was cancelled cannot keep its seats
    (they would come before the assessment or after the re-test): its seats still to come are
    cancelled too, for the same reason."""
    problem = work.problem
    for m in list(work.mends):
        if m.action != "cancelled" or len(m.referrals) != 1:
            continue
        referral = problem.referral(m.referrals[0])
        if referral.mode != "team" or not (referral.intro or referral.final):
            continue
        mine = [a for a in work.appointments.values() if referral.id in a.participants]
        sessions = [rules.PlacedSession(referral.id, a) for a in work.appointments.values()
                    if a.referral == referral.id or referral.id in a.participants]  # fmt: skip
        if next(iter(rules.intro_final_of(referral, sessions)), None) is None:
            continue
        for a in mine:
            if work.now is None or starts_at(a) >= work.now:
                drop_seat(work, a, referral.id)
                work.mends.append(Mend(a.id, (referral.id,), "cancelled", m.reason))


def drop_seat(work: Work, a: Appointment, referral: str) -> None:
    """A referral's seat taken out of a meeting; a meeting left with no one is not held."""
    people = tuple(p for p in a.participants if p != referral)
    if people:
        work.appointments[a.id] = replace(a, participants=people)
    else:
        del work.appointments[a.id]


def explained(
    problem: Problem, solution: Solution, appointments: tuple[Appointment, ...], mends: list[Mend]
) -> Solution:
    """The repaired plan with its account kept true, each cancellation's reason said in the
    unplaced list and as a warning (the letters name it)."""
    counted = accounted(problem, solution, appointments)
    why: dict[str, Message] = {}
    for m in mends:
        if m.action == "cancelled":
            for r in m.referrals:
                why.setdefault(r, Message(f"repair.{m.reason}"))
    unplaced = tuple(
        replace(u, reasons=(why[u.referral], *(r for r in u.reasons if r != BY_HAND)))
        if u.referral in why
        else u
        for u in counted.unplaced
    )
    warnings = counted.warnings + tuple(
        PlanWarning(r, CANCELLED_CODE, message) for r, message in why.items()
    )
    return replace(counted, unplaced=unplaced, warnings=warnings)


def cancel_course(referral: str, solution: Solution, now: datetime) -> Disruption:
    """A citizen cancelling the course: every remaining session of the referral this week.

    The register (courses) ends the course; this is the change the week's plan gets from it.
    """
    last = max((a.day for a in solution.appointments), default=now.date())
    return Disruption("referral", referral, now, datetime.combine(last + timedelta(days=1), time()))


# --- stored weeks -------------------------------------------------------------------------------


class ChangeError(ValueError):
    """A change entered that the week cannot take; `found` names each field and the fix (as
    data, rendered where it is shown), `errors` the same in English."""

    def __init__(self, found: list[DocumentError]) -> None:
        self.found = found
        self.errors = texts(found)
        super().__init__("; ".join(self.errors))


def field_error(field: str, code: str, **params: Any) -> DocumentError:
    """An error of one field of the change (`from`, `to`, `therapist`, ...)."""
    return DocumentError(Where(field), Message(code, params))


def local_now(timezone: str) -> datetime:
    """The wall-clock time where the centres are, without an offset (as changes are kept)."""
    return datetime.now(ZoneInfo(timezone)).replace(tzinfo=None)


def local_time(
    text: object, timezone: str, field: str, errors: list[DocumentError]
) -> datetime | None:
    """An ISO time from a form or the API as local wall-clock time; an offset is converted."""
    try:
        found = datetime.fromisoformat(str(text))
    except ValueError:
        errors.append(field_error(field, "change.bad-time"))
        return None
    if found.tzinfo is not None:
        found = found.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    return found


def change_from_json(doc: dict[str, Any], problem: Problem) -> Disruption:
    """A change as the API and the form send it: `{"therapist"|"room"|"referral", "from", "to"}`
    or `{"class", "date"}`; ChangeError naming every field that is wrong."""
    kinds = [k for k in DISRUPTION_KINDS if doc.get(k) not in (None, "")]
    if len(kinds) != 1:
        raise ChangeError([field_error("kind", "change.one-kind", fields=list(DISRUPTION_KINDS))])
    kind = kinds[0]
    key = str(doc[kind])
    known = {
        "therapist": {t.id for t in problem.therapists},
        "room": {r.id for r in problem.rooms},
        "class": {c.id for c in problem.classes},
        "referral": {r.id for r in problem.referrals},
    }[kind]
    errors = [] if key in known else [field_error(kind, "change.unknown-key", what=kind, key=key)]
    if kind == "class" and "date" in doc:
        try:
            day = date.fromisoformat(str(doc["date"]))
        except ValueError:
            errors.append(field_error("date", "change.bad-date"))
            raise ChangeError(errors) from None
        start: datetime | None = datetime.combine(day, time())
        end: datetime | None = datetime.combine(day + timedelta(1), time())
    else:
        start = local_time(doc.get("from"), problem.timezone, "from", errors)
        end = local_time(doc.get("to"), problem.timezone, "to", errors)
    if start is not None and end is not None and end <= start:
        errors.append(field_error("to", "change.end-before-start"))
    if errors or start is None or end is None:
        raise ChangeError(errors)
    # "to 23:59" means the whole of that minute.
    if end.minute == 59:
        end += timedelta(minutes=1)
    return Disruption(kind, key, start, end)


def record_change(scenario_id: int, change: Disruption, *, by: str, session: Session) -> WeekChange:
    """Keep a change of a week: the overview marks what it hits, and a repair mends it."""
    row = WeekChange(scenario_id=scenario_id, kind=change.kind, key=change.key,
                     starts=change.start, ends=change.end, created_by=by,
                     created_at=datetime.now(UTC))  # fmt: skip
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def week_changes(scenario_id: int, *, session: Session) -> list[WeekChange]:
    """The changes entered for a stored week, oldest first."""
    query = select(WeekChange).where(WeekChange.scenario_id == scenario_id)
    return list(session.exec(query.order_by(col(WeekChange.id))).all())


def disruption_of(row: WeekChange) -> Disruption:
    kind = cast(DisruptionKind, row.kind)
    return Disruption(kind, row.key, row.starts, row.ends)


def week_disruptions(scenario_id: int, problem: Problem, *, session: Session) -> list[Disruption]:
    """Everything that changed in a week: absences in its data and the changes entered."""
    rows = week_changes(scenario_id, session=session)
    return data_disruptions(problem) + [disruption_of(r) for r in rows]


def plan_hits(
    plan_id: int, *, session: Session, now: datetime | None = None
) -> dict[str, tuple[Message, ...]]:
    """The appointments of a plan that the week's changes hit, with why (messages)."""
    week = plan_week(plan_id, session=session)
    changes = week_disruptions(week.plan.scenario_id, week.problem, session=session)
    now = now or local_now(week.problem.timezone)
    return {a.id: hit_reasons(a, changes) for a in hit_appointments(week.solution, changes, now)}


def hit_reasons(appointment: Appointment, changes: list[Disruption]) -> tuple[Message, ...]:
    """Why the changes hit an appointment (the therapist is absent, ...), each reason once."""
    kinds = dict.fromkeys(HIT_REASON[d.kind] for d in changes if d.hits(appointment))
    return tuple(Message(f"repair.{reason}") for reason in kinds)


def repair_plan(
    plan_id: int,
    *,
    session: Session,
    now: datetime | None = None,
    extra: list[Disruption] | None = None,
) -> tuple[int, Repaired]:
    """Reparér: a new draft of the plan with every change of its week (and `extra`) mended
    (see the module); the draft's id. It is checked by the validator before it is stored."""
    week = plan_week(plan_id, session=session)
    changes = week_disruptions(week.plan.scenario_id, week.problem, session=session)
    changes += extra or []
    when = now or local_now(week.problem.timezone)
    repaired = repair(week.problem, week.solution, changes, when)
    checked(week.problem, repaired.solution)
    draft_id = save_plan(week.plan.scenario_id, repaired.solution, session=session)
    lock(draft_id, set(week.locked) & {a.id for a in repaired.solution.appointments},
         session=session)  # fmt: skip
    return draft_id, repaired


def enter_and_repair(plan_id: int, doc: dict[str, Any] | None, *, by: str, session: Session) -> int:
    """Enter a change (the API's body; None: none new) and repair the plan against every change
    of its week; the new draft's id. A change is kept only when its repair could be stored."""
    week = plan_week(plan_id, session=session)
    change = change_from_json(doc, week.problem) if doc is not None else None
    draft_id, _ = repair_plan(plan_id, session=session, extra=[change] if change else [])
    if change is not None:
        record_change(week.plan.scenario_id, change, by=by, session=session)
    return draft_id


@dataclass(frozen=True)
class Hit:
    """An appointment a change hits, as the changes page lists it."""

    appointment: Appointment
    therapist: str  # name
    citizens: tuple[str, ...]  # names
    reasons: tuple[Message, ...]  # why it was hit, each once


@dataclass(frozen=True)
class WeekPage:
    """Ændringer i ugen: the changes entered, what they hit, and the choices of the form."""

    week: PlanWeek
    changes: tuple[WeekChange, ...]
    absences: tuple[Disruption, ...]  # absences in the week's data
    hits: tuple[Hit, ...]

    def change(self, doc: dict[str, Any]) -> Disruption:
        return change_from_json(doc, self.week.problem)

    def name(self, change: WeekChange | Disruption) -> str:
        """What a change is about, by name (a referral by its citizen)."""
        p = self.week.problem
        names = {
            "therapist": {t.id: t.name for t in p.therapists},
            "room": {r.id: f"{p.centre(r.centre).name}, {r.name}" for r in p.rooms},
            "class": {c.id: c.name for c in p.classes},
            "referral": {r.id: f"{p.citizen(r.citizen).name} ({r.id})" for r in p.referrals},
        }[change.kind]
        return names.get(change.key, change.key)

    @property
    def referral_choices(self) -> list[tuple[str, str]]:
        p = self.week.problem
        found = [(r.id, f"{p.citizen(r.citizen).name} ({r.id})") for r in p.referrals]
        return sorted(found, key=lambda x: x[1])


def week_page(plan_id: int, *, session: Session) -> WeekPage:
    """The changes page of a plan's week."""
    week = plan_week(plan_id, session=session)
    rows = week_changes(week.plan.scenario_id, session=session)
    problem = week.problem
    changes = data_disruptions(problem) + [disruption_of(r) for r in rows]
    hits = []
    for a in hit_appointments(week.solution, changes, local_now(problem.timezone)):
        keys = a.participants if a.kind == "team" else (a.referral or "",)
        hits.append(Hit(
            a,
            problem.therapist(a.therapist).name,
            tuple(problem.citizen(problem.referral(k).citizen).name for k in keys if k),
            hit_reasons(a, changes),
        ))  # fmt: skip
    return WeekPage(week, tuple(rows), tuple(data_disruptions(problem)), tuple(hits))


def record_course_cancelled(
    scenario_id: int, referral: str, *, by: str, session: Session, now: datetime | None = None
) -> WeekChange:
    """The hook for a citizen cancelling the course: every session of the referral still to
    come in the stored week becomes a change that the overview marks and a repair cancels."""
    problem = load_problem(scenario_id, session=session)
    when = now or local_now(problem.timezone)
    last = max(d.date for d in problem.days) if problem.days else when.date()
    change = Disruption("referral", referral, when, datetime.combine(last + timedelta(1), time()))
    return record_change(scenario_id, change, by=by, session=session)
