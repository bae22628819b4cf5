"""The plan validator: checks a plan against its week, rule by rule, without a solver.

This is the runnable specification of `docs/rules.md`. Every rule there has one function here,
named after the rule, that yields plain-English messages for a coordinator; `check_plan` runs
them all. It needs no solver (of `solver` only the plain data in `solver.problem`), so it can
check plans from any source, and every test that solves something can check the result with it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from planner.formats.plan import PlanError, read_plan
from solver.problem import (
    INDIVIDUAL_ROOM_KINDS,
    WEEKDAYS,
    Appointment,
    Centre,
    Problem,
    Referral,
    Solution,
    Window,
    clock,
    opens_with_assessment,
    requested_sessions,
    travel_minutes,
)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

KINDS = ("individual", "home", "online", "team")
START_DEADLINE_DAYS = 7


@dataclass(frozen=True)
class Violation:
    """One broken rule, named as in docs/rules.md, with a message a coordinator can act on."""

    rule: str
    message: str


@dataclass(frozen=True)
class Session:
    """One session of a referral: an individual, home or online appointment, or a team seat."""

    referral: str
    appointment: Appointment

    @property
    def seat(self) -> bool:
        return self.appointment.kind == "team"


# --- Reading times and appointments aloud -------------------------------------------------------


def day_name(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()].title()} {day.isoformat()}"


def when(day: date, start: int, end: int) -> str:
    """A stretch of a day as a coordinator reads it: `Tue 2026-12-08 10:00–11:00`."""
    return f"{day_name(day)} {clock(start)}–{clock(end)}"


def describe(appt: Appointment) -> str:
    """An appointment by id, whom it is for and when."""
    whom = f"class {appt.team_class}" if appt.kind == "team" else f"referral {appt.referral}"
    return f"Appointment {appt.id} ({whom}, {when(appt.day, appt.start, appt.end)})"


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def busy(appt: Appointment) -> tuple[int, int]:
    """The therapist's time taken by an appointment, with the drive around a home visit."""
    return appt.start - appt.travel_before, appt.end + appt.travel_after


def inside(windows: Iterable[Window], start: int, end: int) -> bool:
    return any(window.contains(start, end) for window in windows)


def group(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    groups: dict[K, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return dict(groups)


def article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in tuple("aeiou") else f"a {noun}"


def count(n: int, noun: str) -> str:
    """`1 session`, `2 sessions`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def ids(appts: Iterable[Appointment]) -> str:
    return ", ".join(appt.id for appt in appts)


def overlapping_pairs(
    appts: list[Appointment], span: Callable[[Appointment], tuple[int, int]]
) -> Iterator[tuple[Appointment, Appointment]]:
    """Every pair whose spans overlap; touching end-to-start is no overlap."""
    ordered = sorted(appts, key=lambda appt: (span(appt), appt.id))
    for i, first in enumerate(ordered):
        first_end = span(first)[1]
        for second in ordered[i + 1 :]:
            if span(second)[0] >= first_end:
                break  # sorted by start: nothing later overlaps `first` either
            yield first, second


# --- The plan, grouped once ---------------------------------------------------------------------


class PlanIndex:
    """A plan with its week's lookups and the groupings the rules share, computed once."""

    def __init__(self, problem: Problem, plan: Solution) -> None:
        self.problem = problem
        self.plan = plan
        self.appointments = plan.appointments
        self.centres = {centre.id: centre for centre in problem.centres}
        self.rooms = {room.id: room for room in problem.rooms}
        self.therapists = {therapist.id: therapist for therapist in problem.therapists}
        self.classes = {team_class.id: team_class for team_class in problem.classes}
        self.citizens = {citizen.id: citizen for citizen in problem.citizens}
        self.referrals = {referral.id: referral for referral in problem.referrals}
        self.requested = {r.id: requested_sessions(problem, r) for r in problem.referrals}
        ordered = sorted(self.appointments, key=lambda appt: (appt.day, appt.start, appt.id))
        self.by_therapist_day = group(ordered, lambda appt: (appt.therapist, appt.day))
        self.by_room_day = group(
            (appt for appt in ordered if appt.room is not None), lambda appt: (appt.room, appt.day)
        )
        self.meetings_by_class = group(
            (appt for appt in ordered if appt.kind == "team"), lambda appt: appt.team_class
        )
        self.sessions = [session for appt in ordered for session in sessions_of(appt)]
        self.sessions_by_referral = group(self.sessions, lambda session: session.referral)

    def placed(self, referral: str) -> int:
        return len(self.sessions_by_referral.get(referral, ()))

    def citizen_of(self, referral_id: str) -> str | None:
        referral = self.referrals.get(referral_id)
        return referral.citizen if referral else None

    def home_point(self, appt: Appointment) -> tuple[float, float] | None:
        """Where a home visit takes place: the referral's citizen's address."""
        citizen = self.citizens.get(self.citizen_of(appt.referral or "") or "")
        return (citizen.lat, citizen.lon) if citizen else None

    def centre_of(self, appt: Appointment) -> Centre | None:
        return self.centres.get(appt.centre)


def sessions_of(appt: Appointment) -> list[Session]:
    """A team meeting places one session per participant (listed twice still counts once)."""
    if appt.kind == "team":
        return [Session(referral, appt) for referral in dict.fromkeys(appt.participants)]
    return [Session(appt.referral, appt)] if appt.referral is not None else []


# --- Integrity: the plan names things that exist, once ------------------------------------------


def unique_ids(plan: PlanIndex) -> Iterator[str]:
    """Every appointment has its own id, so a coordinator can point at it."""
    for appt_id, count in Counter(appt.id for appt in plan.appointments).items():
        if count > 1:
            yield f"Appointment id {appt_id} is used by {count} appointments."


def unknown_reference(plan: PlanIndex) -> Iterator[str]:
    """An appointment names only therapists, centres, rooms, referrals and classes of the week."""
    tables: dict[str, dict[str, Any]] = {
        "therapist": plan.therapists,
        "centre": plan.centres,
        "room": plan.rooms,
        "referral": plan.referrals,
        "class": plan.classes,
    }
    for appt in plan.appointments:
        team = appt.kind == "team"
        named = {
            "therapist": [appt.therapist],
            "centre": [appt.centre],
            "room": [appt.room] if appt.room is not None else [],
            "referral": list(appt.participants) if team else [appt.referral],
            "class": [appt.team_class] if team else [],
        }
        for what, values in named.items():
            for value in values:
                if value is None:
                    yield f"{describe(appt)} names no {what}."
                elif value not in tables[what]:
                    yield f"{describe(appt)} names {what} {value}, which is not in the scenario."


def end_after_start(plan: PlanIndex) -> Iterator[str]:
    """An appointment ends after it starts."""
    for appt in plan.appointments:
        if appt.end <= appt.start:
            yield f"{describe(appt)} ends at {clock(appt.end)}, not after its start."


# --- The week -----------------------------------------------------------------------------------


def plannable_day(plan: PlanIndex) -> Iterator[str]:
    """Appointments fall on the week's weekdays that are no public holiday."""
    days = {day.date for day in plan.problem.days if day.weekday not in ("sat", "sun")}
    for appt in plan.appointments:
        if appt.day in days:
            continue
        if appt.day in plan.problem.holidays:
            reason = "a public holiday"
        elif appt.day.weekday() >= 5:
            reason = "a weekend day"
        else:
            reason = f"outside week {plan.problem.week}"
        yield f"{describe(appt)} is on {day_name(appt.day)}, {reason}."


def slot_grid(plan: PlanIndex) -> Iterator[str]:
    """Every appointment starts on the scenario's time grid."""
    slot = plan.problem.slot_minutes
    for appt in plan.appointments:
        if appt.start % slot:
            yield f"{describe(appt)} starts at {clock(appt.start)}, off the {slot}-minute grid."


def centre_open(plan: PlanIndex) -> Iterator[str]:
    """The day's centre is open, and each appointment with its drive lies in opening hours."""
    for appt in plan.appointments:
        centre = plan.centre_of(appt)
        if centre is None:
            continue
        hours = centre.open.get(weekday(appt.day))
        start, end = busy(appt)
        if hours is None:
            yield f"{describe(appt)}: centre {centre.id} is closed on {day_name(appt.day)}."
        elif not hours.contains(start, end):
            yield (
                f"{describe(appt)} takes {clock(start)}–{clock(end)} with travel, outside "
                f"centre {centre.id}'s opening hours {clock(hours.start)}–{clock(hours.end)}."
            )


# --- Therapists ---------------------------------------------------------------------------------


def therapist_qualified(plan: PlanIndex) -> Iterator[str]:
    """A session is given by a therapist of the right profession holding every needed skill."""
    for appt in plan.appointments:
        therapist = plan.therapists.get(appt.therapist)
        need = needed_qualification(plan, appt)
        if therapist is None or need is None:
            continue
        profession, skills = need
        if not therapist.can_give(profession, skills):
            wanted = " with skills " + ", ".join(sorted(skills)) if skills else ""
            yield (
                f"{describe(appt)} needs {article(profession)}{wanted}; therapist "
                f"{therapist.id} is {article(therapist.profession)} with skills "
                f"{', '.join(sorted(therapist.skills)) or 'none'}."
            )


def needed_qualification(plan: PlanIndex, appt: Appointment) -> tuple[str, frozenset[str]] | None:
    if appt.kind == "team":
        team_class = plan.classes.get(appt.team_class or "")
        if team_class is None:
            return None
        return team_class.instructor_profession, team_class.instructor_skills
    referral = plan.referrals.get(appt.referral or "")
    return (referral.profession, referral.skills) if referral else None


def therapist_hours(plan: PlanIndex) -> Iterator[str]:
    """A therapist works only inside their working hours, travel included."""
    for appt in plan.appointments:
        therapist = plan.therapists.get(appt.therapist)
        if therapist is None:
            continue
        windows = therapist.hours.get(weekday(appt.day), ())
        start, end = busy(appt)
        if not inside(windows, start, end):
            hours = ", ".join(f"{clock(w.start)}–{clock(w.end)}" for w in windows) or "none"
            yield (
                f"{describe(appt)} keeps therapist {therapist.id} busy {clock(start)}–"
                f"{clock(end)}, outside their hours that day ({hours})."
            )


def therapist_absent(plan: PlanIndex) -> Iterator[str]:
    """A therapist has no appointments on a day they are away."""
    for appt in plan.appointments:
        therapist = plan.therapists.get(appt.therapist)
        if therapist is not None and appt.day in therapist.absent:
            yield f"{describe(appt)}: therapist {therapist.id} is absent on {day_name(appt.day)}."


def therapist_one_centre(plan: PlanIndex) -> Iterator[str]:
    """A therapist spends each day at one centre, one of those they work at."""
    for (therapist_id, day), appts in plan.by_therapist_day.items():
        centres = sorted({appt.centre for appt in appts})
        if len(centres) > 1:
            yield (
                f"Therapist {therapist_id} is at several centres on {day_name(day)} "
                f"({', '.join(centres)}): appointments {ids(appts)}."
            )
        therapist = plan.therapists.get(therapist_id)
        if therapist is None:
            continue
        for centre in centres:
            if centre not in therapist.centres:
                yield (
                    f"Therapist {therapist_id} works at centre {centre} on {day_name(day)}, "
                    f"but only at {', '.join(therapist.centres)}."
                )


def therapist_overlap(plan: PlanIndex) -> Iterator[str]:
    """A therapist does one thing at a time, travel included; back-to-back is fine."""
    for (therapist_id, _day), appts in plan.by_therapist_day.items():
        for first, second in overlapping_pairs(appts, busy):
            yield (
                f"Therapist {therapist_id} is double-booked: {describe(first)} and "
                f"{describe(second)} overlap (travel included)."
            )


def therapist_max_minutes(plan: PlanIndex) -> Iterator[str]:
    """A therapist's planned minutes in the week, travel included, stay within their cap."""
    minutes: Counter[str] = Counter()
    for appt in plan.appointments:
        start, end = busy(appt)
        minutes[appt.therapist] += end - start
    for therapist_id, planned in minutes.items():
        therapist = plan.therapists.get(therapist_id)
        if therapist and therapist.max_minutes is not None and planned > therapist.max_minutes:
            yield (
                f"Therapist {therapist_id} is planned {planned} minutes this week, travel "
                f"included, over their maximum of {therapist.max_minutes}."
            )


# --- Home visits and travel ---------------------------------------------------------------------


def travel(plan: PlanIndex) -> Iterator[str]:
    """A home visit leaves time for the drive there and back; other appointments have no travel."""
    for appts in plan.by_therapist_day.values():
        ordered = sorted(appts, key=lambda appt: (appt.start, appt.end, appt.id))
        for i, appt in enumerate(ordered):
            if appt.kind != "home":
                if appt.travel_before or appt.travel_after:
                    yield f"{describe(appt)} is no home visit but has travel minutes."
                continue
            previous = ordered[i - 1] if i > 0 else None
            following = ordered[i + 1] if i + 1 < len(ordered) else None
            yield from home_travel(plan, appt, previous, following)


def home_travel(
    plan: PlanIndex, appt: Appointment, previous: Appointment | None, following: Appointment | None
) -> Iterator[str]:
    """One home visit's drive: from the centre or a chained visit, and on or back to the centre."""
    point, centre = plan.home_point(appt), plan.centre_of(appt)
    if point is None or centre is None:
        return
    origin, origin_name = (centre.lat, centre.lon), f"centre {centre.id}"
    chained = previous is not None and previous.kind == "home" and previous.travel_after == 0
    if chained and previous is not None and (previous_point := plan.home_point(previous)):
        origin, origin_name = previous_point, f"the previous home visit {previous.id}"
    there = travel_minutes(plan.problem.travel, *origin, *point)
    if appt.travel_before < there:
        yield (
            f"{describe(appt)} allows {appt.travel_before} minutes to drive there, "
            f"but the drive from {origin_name} takes {there}."
        )
    back = travel_minutes(plan.problem.travel, *point, centre.lat, centre.lon)
    if appt.travel_after == 0:
        if following is None or following.kind != "home":
            after = f"{following.id} is no home visit" if following else "nothing follows it"
            yield (
                f"{describe(appt)} has no drive back, but {after}; driving back to "
                f"centre {centre.id} takes {back} minutes."
            )
    elif appt.travel_after < back:
        yield (
            f"{describe(appt)} allows {appt.travel_after} minutes to drive back, "
            f"but the drive to centre {centre.id} takes {back}."
        )


# --- Rooms --------------------------------------------------------------------------------------


def room_kind(plan: PlanIndex) -> Iterator[str]:
    """Each session uses the right kind of room at the right centre, or none away from one."""
    for appt in plan.appointments:
        if appt.kind in ("home", "online"):
            if appt.room is not None:
                yield f"{describe(appt)} is a {appt.kind} session but books room {appt.room}."
            continue
        if appt.room is None:
            yield f"{describe(appt)} has no room."
            continue
        room = plan.rooms.get(appt.room)
        if room is None:
            continue
        if appt.kind == "team":
            team_class = plan.classes.get(appt.team_class or "")
            if team_class is None:
                continue
            kinds, centre = frozenset({team_class.room_kind}), team_class.centre
        else:
            kinds, centre = INDIVIDUAL_ROOM_KINDS, appt.centre
        if room.kind not in kinds:
            wanted = " or ".join(sorted(kinds))
            yield (
                f"{describe(appt)} is in room {room.id} of kind {room.kind}; "
                f"it needs a room of kind {wanted}."
            )
        if room.centre != centre:
            yield f"{describe(appt)} is in room {room.id} at {room.centre}; it belongs at {centre}."


def room_capacity(plan: PlanIndex) -> Iterator[str]:
    """A room holds no more individual sessions at once than its capacity."""
    for (room_id, day), appts in plan.by_room_day.items():
        room = plan.rooms.get(room_id or "")
        if room is None:
            continue
        active: list[Appointment] = []
        for appt in appts:  # by start time
            if appt.kind != "individual":
                continue
            active = [other for other in active if other.end > appt.start] + [appt]
            if len(active) > room.capacity:
                yield (
                    f"Room {room.id} holds {room.capacity}, but {len(active)} sessions are in it "
                    f"at {day_name(day)} {clock(appt.start)}: {ids(active)}."
                )


def room_team_alone(plan: PlanIndex) -> Iterator[str]:
    """A team meeting has its room to itself."""
    for (room_id, _day), appts in plan.by_room_day.items():
        for i, team in enumerate(appts):
            if team.kind != "team":
                continue
            # A busy hall has many overlapping individual sessions; look only around meetings.
            for j, other in enumerate(appts):
                if j == i or (other.kind == "team" and j < i):
                    continue  # a pair of meetings is reported once
                if other.start < team.end and team.start < other.end:
                    yield (
                        f"Room {room_id} is shared by a team meeting: {describe(team)} and "
                        f"{describe(other)} overlap."
                    )


# --- Citizens -----------------------------------------------------------------------------------


def citizen_one_a_day(plan: PlanIndex) -> Iterator[str]:
    """A citizen has at most one appointment a day, team seats included."""
    by_citizen_day = group(
        plan.sessions, lambda session: (plan.citizen_of(session.referral), session.appointment.day)
    )
    for (citizen_id, day), sessions in by_citizen_day.items():
        if citizen_id is not None and len(sessions) > 1:
            listed = ", ".join(f"{s.appointment.id} ({s.referral})" for s in sessions)
            yield (
                f"Citizen {citizen_id} has {len(sessions)} appointments on {day_name(day)}: "
                f"{listed}."
            )


def citizen_available(plan: PlanIndex) -> Iterator[str]:
    """A citizen is seen only when they said they are available."""
    for session in plan.sessions:
        citizen = plan.citizens.get(plan.citizen_of(session.referral) or "")
        if citizen is None or citizen.available is None:
            continue  # no windows given: available whenever the centre is open
        appt = session.appointment
        windows = citizen.available.get(weekday(appt.day), ())
        if not inside(windows, appt.start, appt.end):
            yield (
                f"{describe(appt)}: citizen {citizen.id} (referral {session.referral}) is not "
                f"available then."
            )


def citizen_earliest(plan: PlanIndex) -> Iterator[str]:
    """No session of a referral comes before the referral's earliest date."""
    for session in plan.sessions:
        referral = plan.referrals.get(session.referral)
        if referral and referral.earliest and session.appointment.day < referral.earliest:
            yield (
                f"{describe(session.appointment)}: referral {referral.id} may start "
                f"{referral.earliest.isoformat()} at the earliest."
            )


# --- Referrals ----------------------------------------------------------------------------------


def referral_count(plan: PlanIndex) -> Iterator[str]:
    """A referral gets no more sessions than it asks for and its package has left."""
    for referral_id, sessions in plan.sessions_by_referral.items():
        requested = plan.requested.get(referral_id)
        if requested is not None and len(sessions) > requested:
            yield (
                f"Referral {referral_id} has {len(sessions)} sessions, but asks for "
                f"{requested}: {ids(s.appointment for s in sessions)}."
            )


def referral_distinct_days(plan: PlanIndex) -> Iterator[str]:
    """A referral's sessions fall on different days."""
    for referral_id, sessions in plan.sessions_by_referral.items():
        for day, same_day in group(sessions, lambda s: s.appointment.day).items():
            if len(same_day) > 1:
                yield (
                    f"Referral {referral_id} has {len(same_day)} sessions on {day_name(day)}: "
                    f"{ids(s.appointment for s in same_day)}."
                )


#: The appointment kind each referral mode is given as; seats are checked by class-participants.
KIND_FOR_MODE = {"centre": "individual", "home": "home", "online": "online", "team": "individual"}


def referral_kind(plan: PlanIndex) -> Iterator[str]:
    """A referral is given the kind of session its mode asks for."""
    for appt in plan.appointments:
        if appt.kind not in KINDS:
            yield f"{describe(appt)} is of kind {appt.kind!r}, not one of {', '.join(KINDS)}."
            continue
        referral = plan.referrals.get(appt.referral or "")
        if appt.kind == "team" or referral is None:
            continue
        if KIND_FOR_MODE.get(referral.mode) != appt.kind:
            yield (
                f"{describe(appt)} is {article(appt.kind)} session, but referral {referral.id} "
                f"is for {referral.mode} sessions."
            )


def referral_duration(plan: PlanIndex) -> Iterator[str]:
    """A session lasts the referral's session minutes; a team seat the class's minutes."""
    for appt in plan.appointments:
        minutes = expected_minutes(plan, appt)
        if minutes is not None and appt.end - appt.start != minutes:
            lasts = count(appt.end - appt.start, "minute")
            yield f"{describe(appt)} lasts {lasts} instead of {minutes}."


def expected_minutes(plan: PlanIndex, appt: Appointment) -> int | None:
    if appt.kind == "team":
        team_class = plan.classes.get(appt.team_class or "")
        return team_class.minutes if team_class else None
    referral = plan.referrals.get(appt.referral or "")
    return referral.session_minutes if referral else None


def referral_centre(plan: PlanIndex) -> Iterator[str]:
    """A referral's sessions are at its centre; team seats and their intro/final at the class's."""
    for appt in plan.appointments:
        centre = expected_centre(plan, appt)
        if centre is not None and appt.centre != centre:
            yield f"{describe(appt)} is at centre {appt.centre}; it belongs at {centre}."


def expected_centre(plan: PlanIndex, appt: Appointment) -> str | None:
    if appt.kind == "team":
        team_class = plan.classes.get(appt.team_class or "")
        return team_class.centre if team_class else None
    referral = plan.referrals.get(appt.referral or "")
    if referral is None:
        return None
    if referral.mode == "team":
        team_class = plan.classes.get(referral.team_class or "")
        return team_class.centre if team_class else None
    return referral.centre


def team_intro_final(plan: PlanIndex) -> Iterator[str]:
    """A team referral is seen alone only for its start assessment before and re-test after."""
    for referral in plan.problem.referrals:
        if referral.mode == "team":
            yield from intro_final_of(referral, plan.sessions_by_referral.get(referral.id, []))


def intro_final_of(referral: Referral, sessions: list[Session]) -> Iterator[str]:
    alone = sorted(s.appointment.day for s in sessions if not s.seat)
    seats = [s.appointment for s in sessions if s.seat]
    allowed = int(referral.intro) + int(referral.final)
    if len(alone) > allowed:
        yield (
            f"Referral {referral.id} has {count(len(alone), 'individual session')}, but a team "
            f"referral is seen alone only for its start assessment and re-test ({allowed} here)."
        )
    if referral.intro:
        early = [seat for seat in seats if not alone or seat.day <= alone[0]]
        if early:
            yield (
                f"Referral {referral.id} has team seats before its start assessment: {ids(early)}."
            )
    # With both flags and one individual session, that one is the intro: the re-test is unplaced.
    if referral.final and not (referral.intro and len(alone) < 2):
        late = [seat for seat in seats if not alone or seat.day >= alone[-1]]
        if late:
            yield f"Referral {referral.id} has team seats after its re-test: {ids(late)}."


def course_start(plan: PlanIndex) -> Iterator[str]:
    """A centre referral that may take seats starts its course with an individual assessment."""
    for referral in plan.problem.referrals:
        if referral.mode != "centre" or not opens_with_assessment(referral):
            continue
        sessions = plan.sessions_by_referral.get(referral.id, [])
        alone = [s.appointment.day for s in sessions if not s.seat]
        early = [
            s.appointment
            for s in sessions
            if s.seat and not any(d < s.appointment.day for d in alone)
        ]
        if early:
            yield (
                f"Referral {referral.id} starts its course this week, so its first session must "
                f"be an individual assessment, but it has team seats before one: {ids(early)}."
            )


#: What a pinned appointment keeps, and how a coordinator calls it.
PINNED_FIELDS = {
    "kind": "kind",
    "referral": "referral",
    "team_class": "class",
    "therapist": "therapist",
    "centre": "centre",
    "room": "room",
}


def pinned(plan: PlanIndex) -> Iterator[str]:
    """A pinned appointment stays in the plan as it was fixed; a pinned team may gain people."""
    by_id: dict[str, Appointment] = {}
    for appt in plan.appointments:
        by_id.setdefault(appt.id, appt)
    for pin in plan.problem.pinned:
        kept = by_id.get(pin.id)
        if kept is None:
            yield f"Pinned appointment {pin.id} ({when(pin.day, pin.start, pin.end)}) is missing."
            continue
        changes = pin_changes(pin, kept)
        if changes:
            yield f"Pinned appointment {pin.id} was changed: {'; '.join(changes)}."


def pin_changes(pin: Appointment, appt: Appointment) -> list[str]:
    changes = [
        f"{label} {getattr(appt, name) or 'none'} instead of {getattr(pin, name) or 'none'}"
        for name, label in PINNED_FIELDS.items()
        if getattr(appt, name) != getattr(pin, name)
    ]
    if (appt.day, appt.start, appt.end) != (pin.day, pin.start, pin.end):
        changes.append(
            f"time {when(appt.day, appt.start, appt.end)} instead of "
            f"{when(pin.day, pin.start, pin.end)}"
        )
    lost = [referral for referral in pin.participants if referral not in appt.participants]
    if lost:
        changes.append(f"participants {', '.join(lost)} left out")
    return changes


# --- Team classes -------------------------------------------------------------------------------


def class_meetings(plan: PlanIndex) -> Iterator[str]:
    """A class meets only when it may, at most once a day, and never without participants."""
    for class_id, meetings in plan.meetings_by_class.items():
        team_class = plan.classes.get(class_id or "")
        for day, same_day in group(meetings, lambda appt: appt.day).items():
            if len(same_day) > 1:
                yield (
                    f"Class {class_id} meets {count(len(same_day), 'time')} on {day_name(day)}: "
                    f"{ids(same_day)}."
                )
        for appt in meetings:
            if not appt.participants:
                yield f"{describe(appt)} has no participants; an empty meeting is not held."
        if team_class is None:
            continue
        if team_class.fixed:
            allowed = {(m.day, m.start) for m in team_class.meetings}
            for appt in meetings:
                if (weekday(appt.day), appt.start) not in allowed:
                    yield f"{describe(appt)} is not one of class {class_id}'s fixed meetings."
        elif len(meetings) > (team_class.meetings_per_week or 0):
            yield (
                f"Class {class_id} meets {count(len(meetings), 'time')}, more than its "
                f"{count(team_class.meetings_per_week or 0, 'meeting')} a week: {ids(meetings)}."
            )


def class_capacity(plan: PlanIndex) -> Iterator[str]:
    """A team meeting has no more participants than the class and its room hold."""
    for class_id, meetings in plan.meetings_by_class.items():
        team_class = plan.classes.get(class_id or "")
        if team_class is None:
            continue
        for appt in meetings:
            room = plan.rooms.get(appt.room or "")
            seats = min(team_class.capacity, room.capacity if room else team_class.capacity)
            if len(appt.participants) > seats:
                yield f"{describe(appt)} has {len(appt.participants)} participants, {seats} seats."


def class_participants(plan: PlanIndex) -> Iterator[str]:
    """Every participant of a team meeting is a referral to that class, listed once."""
    for appt in plan.appointments:
        if appt.kind != "team":
            continue
        for referral_id, count in Counter(appt.participants).items():
            referral = plan.referrals.get(referral_id)
            if count > 1:
                yield f"{describe(appt)} lists participant {referral_id} {count} times."
            if referral is not None and not belongs_to_class(referral, appt.team_class):
                yield f"{describe(appt)}: referral {referral_id} is not a referral to this class."


def belongs_to_class(referral: Referral, class_id: str | None) -> bool:
    return referral.team_class == class_id and referral.mode in ("team", "centre")


# --- The plan's own account ---------------------------------------------------------------------


def unplaced(plan: PlanIndex) -> Iterator[str]:
    """The plan lists each referral with missing sessions, how many are missing and why."""
    entries = group(plan.plan.unplaced, lambda entry: entry.referral)
    for referral in plan.problem.referrals:
        missing = plan.requested[referral.id] - plan.placed(referral.id)
        listed = entries.pop(referral.id, [])
        if len(listed) > 1:
            yield f"Referral {referral.id} is listed {len(listed)} times as unplaced."
        entry = listed[0] if listed else None
        if entry is None:
            if missing > 0:
                yield (
                    f"Referral {referral.id} misses {missing} of its {plan.requested[referral.id]} "
                    "sessions, but the plan does not list it as unplaced."
                )
        elif missing <= 0:
            yield f"Referral {referral.id} is listed as unplaced, but all its sessions are placed."
        else:
            if entry.sessions != missing:
                yield (
                    f"Referral {referral.id} is listed with {entry.sessions} unplaced sessions, "
                    f"but misses {missing}."
                )
            if not entry.reasons:
                yield f"Referral {referral.id} is listed as unplaced without a reason."
    for referral_id in entries:
        yield f"The unplaced list names referral {referral_id}, which is not in the scenario."


def start_deadline(plan: PlanIndex) -> Iterator[str]:
    """A SUL §140 start that comes later than 7 days after discharge, or not at all, is warned."""
    warned = {w.referral for w in plan.plan.warnings if w.code == "start-deadline"}
    for referral in plan.problem.referrals:
        if not (referral.intro and referral.discharged) or referral.id in warned:
            continue
        deadline = referral.discharged + timedelta(days=START_DEADLINE_DAYS)
        days = [
            session.appointment.day for session in plan.sessions_by_referral.get(referral.id, [])
        ]
        if not days:
            yield (
                f"Referral {referral.id} (discharged {referral.discharged.isoformat()}) has no "
                "first session, but the plan has no start-deadline warning."
            )
        elif min(days) > deadline:
            yield (
                f"Referral {referral.id} starts {day_name(min(days))}, more than "
                f"{START_DEADLINE_DAYS} days after discharge on {referral.discharged.isoformat()}, "
                "but the plan has no start-deadline warning."
            )


def stats(plan: PlanIndex) -> Iterator[str]:
    """The plan's totals of requested and placed sessions add up."""
    requested = sum(plan.requested.values())
    placed = len(plan.sessions)
    told = plan.plan.stats
    if told.sessions_requested != requested:
        yield f"The plan says {told.sessions_requested} sessions were requested; it is {requested}."
    if told.sessions_placed != placed:
        yield f"The plan says {told.sessions_placed} sessions were placed; it is {placed}."


# --- Running them all ---------------------------------------------------------------------------

Rule = Callable[[PlanIndex], Iterable[str]]

#: Every rule of docs/rules.md (plus the plan's integrity), in the page's order.
RULES: tuple[Rule, ...] = (
    # integrity
    unique_ids,
    unknown_reference,
    end_after_start,
    # the week
    plannable_day,
    slot_grid,
    centre_open,
    # therapists
    therapist_qualified,
    therapist_hours,
    therapist_absent,
    therapist_one_centre,
    therapist_overlap,
    therapist_max_minutes,
    travel,
    # rooms
    room_kind,
    room_capacity,
    room_team_alone,
    # citizens
    citizen_one_a_day,
    citizen_available,
    citizen_earliest,
    # referrals
    referral_count,
    referral_distinct_days,
    referral_kind,
    referral_duration,
    referral_centre,
    team_intro_final,
    course_start,
    pinned,
    # team classes
    class_meetings,
    class_capacity,
    class_participants,
    # the plan's own account
    unplaced,
    start_deadline,
    stats,
)


def rule_name(rule: Rule) -> str:
    """A rule's name in docs/rules.md: its function's name, with hyphens."""
    return rule.__name__.replace("_", "-")


def check_plan(problem: Problem, plan: Solution) -> list[Violation]:
    """Every way the plan breaks the rules, sorted by rule name, in plan order within a rule."""
    index = PlanIndex(problem, plan)
    violations = [Violation(rule_name(rule), message) for rule in RULES for message in rule(index)]
    return sorted(violations, key=lambda violation: violation.rule)


def check_plan_document(problem: Problem, doc: dict[str, Any]) -> list[Violation]:
    """Every way a plan/1 document breaks the rules; one it cannot read breaks rule `schema`."""
    try:
        plan = read_plan(problem, doc)
    except PlanError as error:
        return [Violation("schema", message) for message in error.errors]
    return check_plan(problem, plan)
