"""The plan validator: checks a plan against its week, rule by rule, without a solver.

This is the runnable specification of `docs/rules.md`. Every rule there has one function here,
named after the rule, that yields messages for a coordinator as data (a code from
planner/text/messages.py, which starts with the rule's id, and its parameters); `check_plan` runs
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
from planner.text.messages import Lang, render, text_message
from solver.problem import (
    INDIVIDUAL_ROOM_KINDS,
    SUL140_START_DAYS,
    WEEKDAYS,
    Appointment,
    Centre,
    Message,
    Problem,
    Referral,
    Solution,
    Window,
    awaits_start,
    opens_with_assessment,
    requested_sessions,
    travel_minutes,
)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

KINDS = ("individual", "home", "online", "team")
START_DEADLINE_DAYS = SUL140_START_DAYS


@dataclass(frozen=True)
class Violation:
    """One broken rule, named as in docs/rules.md, with a message a coordinator can act on."""

    rule: str
    message: Message

    def text(self, lang: Lang = "en") -> str:
        """The violation as a sentence in English (the CLI's, plan/1's) or Danish."""
        return render(self.message, lang)


@dataclass(frozen=True)
class PlacedSession:
    """One session of a referral: an individual, home or online appointment, or a team seat."""

    referral: str
    appointment: Appointment

    @property
    def seat(self) -> bool:
        return self.appointment.kind == "team"


# --- Reading times and appointments aloud -------------------------------------------------------


def when(day: date, start: int, end: int) -> dict[str, Any]:
    """A stretch of a day as message data (rendered `Tue 2026-12-08 10:00–11:00`)."""
    return {"date": day.isoformat(), "start": start, "end": end}


def describe(appt: Appointment) -> dict[str, Any]:
    """An appointment by id, whom it is for and when, as message data."""
    whom = {"class": appt.team_class} if appt.kind == "team" else {"referral": appt.referral}
    return {"id": appt.id, **whom, **when(appt.day, appt.start, appt.end)}


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


def ids(appts: Iterable[Appointment]) -> list[str]:
    return [appt.id for appt in appts]


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


def sessions_of(appt: Appointment) -> list[PlacedSession]:
    """A team meeting places one session per participant (listed twice still counts once)."""
    if appt.kind == "team":
        return [PlacedSession(referral, appt) for referral in dict.fromkeys(appt.participants)]
    return [PlacedSession(appt.referral, appt)] if appt.referral is not None else []


# --- Integrity: the plan names things that exist, once ------------------------------------------


def unique_ids(plan: PlanIndex) -> Iterator[Message]:
    """Every appointment has its own id, so a coordinator can point at it."""
    for appt_id, count in Counter(appt.id for appt in plan.appointments).items():
        if count > 1:
            yield Message("unique-ids", {"id": appt_id, "count": count})


def unknown_reference(plan: PlanIndex) -> Iterator[Message]:
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
                    yield Message(
                        "unknown-reference.none", {"appointment": describe(appt), "what": what}
                    )
                elif value not in tables[what]:
                    yield Message(
                        "unknown-reference",
                        {"appointment": describe(appt), "what": what, "key": value},
                    )


def end_after_start(plan: PlanIndex) -> Iterator[Message]:
    """An appointment ends after it starts."""
    for appt in plan.appointments:
        if appt.end <= appt.start:
            yield Message("end-after-start", {"appointment": describe(appt), "end": appt.end})


# --- The week -----------------------------------------------------------------------------------


def plannable_day(plan: PlanIndex) -> Iterator[Message]:
    """Appointments fall on the week's weekdays that are no public holiday."""
    days = {day.date for day in plan.problem.days if day.weekday not in ("sat", "sun")}
    for appt in plan.appointments:
        if appt.day in days:
            continue
        if appt.day in plan.problem.holidays:
            code = "plannable-day.holiday"
        elif appt.day.weekday() >= 5:
            code = "plannable-day.weekend"
        else:
            code = "plannable-day"
        yield Message(
            code,
            {"appointment": describe(appt), "day": appt.day.isoformat(), "week": plan.problem.week},
        )


def slot_grid(plan: PlanIndex) -> Iterator[Message]:
    """Every appointment starts on the scenario's time grid."""
    slot = plan.problem.slot_minutes
    for appt in plan.appointments:
        if appt.start % slot:
            yield Message(
                "slot-grid", {"appointment": describe(appt), "start": appt.start, "slot": slot}
            )


def centre_open(plan: PlanIndex) -> Iterator[Message]:
    """The day's centre is open, and each appointment with its drive lies in opening hours."""
    for appt in plan.appointments:
        centre = plan.centre_of(appt)
        if centre is None:
            continue
        hours = centre.open.get(weekday(appt.day))
        start, end = busy(appt)
        if hours is None:
            yield Message(
                "centre-open.closed",
                {"appointment": describe(appt), "centre": centre.id, "day": appt.day.isoformat()},
            )
        elif not hours.contains(start, end):
            yield Message(
                "centre-open",
                {
                    "appointment": describe(appt),
                    "start": start,
                    "end": end,
                    "centre": centre.id,
                    "opens": hours.start,
                    "closes": hours.end,
                },
            )


# --- Therapists ---------------------------------------------------------------------------------


def therapist_qualified(plan: PlanIndex) -> Iterator[Message]:
    """A session is given by a therapist of the right profession holding every needed skill."""
    for appt in plan.appointments:
        therapist = plan.therapists.get(appt.therapist)
        need = needed_qualification(plan, appt)
        if therapist is None or need is None:
            continue
        profession, skills = need
        if not therapist.can_give(profession, skills):
            yield Message(
                "therapist-qualified",
                {
                    "appointment": describe(appt),
                    "profession": profession,
                    "needed_skills": sorted(skills),
                    "therapist": therapist.id,
                    "therapist_profession": therapist.profession,
                    "therapist_skills": sorted(therapist.skills),
                },
            )


def needed_qualification(plan: PlanIndex, appt: Appointment) -> tuple[str, frozenset[str]] | None:
    if appt.kind == "team":
        team_class = plan.classes.get(appt.team_class or "")
        if team_class is None:
            return None
        return team_class.instructor_profession, team_class.instructor_skills
    referral = plan.referrals.get(appt.referral or "")
    return (referral.profession, referral.skills) if referral else None


def therapist_hours(plan: PlanIndex) -> Iterator[Message]:
    """A therapist works only inside their working hours, travel included."""
    for appt in plan.appointments:
        therapist = plan.therapists.get(appt.therapist)
        if therapist is None:
            continue
        windows = therapist.hours.get(weekday(appt.day), ())
        start, end = busy(appt)
        if not inside(windows, start, end):
            hours = [[w.start, w.end] for w in windows]
            yield Message(
                "therapist-hours",
                {
                    "appointment": describe(appt),
                    "therapist": therapist.id,
                    "start": start,
                    "end": end,
                    "hours": hours,
                },
            )


def therapist_absent(plan: PlanIndex) -> Iterator[Message]:
    """A therapist has no appointments on a day they are away."""
    for appt in plan.appointments:
        therapist = plan.therapists.get(appt.therapist)
        if therapist is not None and appt.day in therapist.absent:
            yield Message(
                "therapist-absent",
                {
                    "appointment": describe(appt),
                    "therapist": therapist.id,
                    "day": appt.day.isoformat(),
                },
            )


def therapist_one_centre(plan: PlanIndex) -> Iterator[Message]:
    """A therapist spends each day at one centre, one of those they work at."""
    for (therapist_id, day), appts in plan.by_therapist_day.items():
        centres = sorted({appt.centre for appt in appts})
        if len(centres) > 1:
            yield Message(
                "therapist-one-centre",
                {
                    "therapist": therapist_id,
                    "day": day.isoformat(),
                    "centres": centres,
                    "appointments": ids(appts),
                },
            )
        therapist = plan.therapists.get(therapist_id)
        if therapist is None:
            continue
        for centre in centres:
            if centre not in therapist.centres:
                yield Message(
                    "therapist-one-centre.elsewhere",
                    {
                        "therapist": therapist_id,
                        "centre": centre,
                        "day": day.isoformat(),
                        "own_centres": list(therapist.centres),
                    },
                )


def therapist_overlap(plan: PlanIndex) -> Iterator[Message]:
    """A therapist does one thing at a time, travel included; back-to-back is fine."""
    for (therapist_id, _day), appts in plan.by_therapist_day.items():
        for first, second in overlapping_pairs(appts, busy):
            yield Message(
                "therapist-overlap",
                {
                    "therapist": therapist_id,
                    "appointment": describe(first),
                    "appointment2": describe(second),
                },
            )


def therapist_max_minutes(plan: PlanIndex) -> Iterator[Message]:
    """A therapist's planned minutes in the week, travel included, stay within their cap."""
    minutes: Counter[str] = Counter()
    for appt in plan.appointments:
        start, end = busy(appt)
        minutes[appt.therapist] += end - start
    for therapist_id, planned in minutes.items():
        therapist = plan.therapists.get(therapist_id)
        if therapist and therapist.max_minutes is not None and planned > therapist.max_minutes:
            yield Message(
                "therapist-max-minutes",
                {"therapist": therapist_id, "minutes": planned, "maximum": therapist.max_minutes},
            )


# --- Home visits and travel ---------------------------------------------------------------------


def travel(plan: PlanIndex) -> Iterator[Message]:
    """A home visit leaves time for the drive there and back; other appointments have no travel."""
    for appts in plan.by_therapist_day.values():
        ordered = sorted(appts, key=lambda appt: (appt.start, appt.end, appt.id))
        for i, appt in enumerate(ordered):
            if appt.kind != "home":
                if appt.travel_before or appt.travel_after:
                    yield Message("travel.not-home", {"appointment": describe(appt)})
                continue
            previous = ordered[i - 1] if i > 0 else None
            following = ordered[i + 1] if i + 1 < len(ordered) else None
            yield from home_travel(plan, appt, previous, following)


def home_travel(
    plan: PlanIndex, appt: Appointment, previous: Appointment | None, following: Appointment | None
) -> Iterator[Message]:
    """One home visit's drive: from the centre or a chained visit, and on or back to the centre."""
    point, centre = plan.home_point(appt), plan.centre_of(appt)
    if point is None or centre is None:
        return
    origin, code, origin_id = (centre.lat, centre.lon), "travel.there", centre.id
    chained = previous is not None and previous.kind == "home" and previous.travel_after == 0
    if chained and previous is not None and (previous_point := plan.home_point(previous)):
        origin, code, origin_id = previous_point, "travel.there-chained", previous.id
    there = travel_minutes(plan.problem.travel, *origin, *point)
    if appt.travel_before < there:
        yield Message(
            code,
            {
                "appointment": describe(appt),
                "allowed": appt.travel_before,
                "origin": origin_id,
                "needed": there,
            },
        )
    back = travel_minutes(plan.problem.travel, *point, centre.lat, centre.lon)
    params = {"appointment": describe(appt), "centre": centre.id, "needed": back}
    # No drive back is a chain to the next visit, unless the home is where the centre is.
    if appt.travel_after == 0 and back > 0:
        if following is None:
            yield Message("travel.no-way-back", params)
        elif following.kind != "home":
            yield Message("travel.no-way-back-next", {**params, "next": following.id})
    elif appt.travel_after < back:
        yield Message("travel.back", {**params, "allowed": appt.travel_after})


# --- Rooms --------------------------------------------------------------------------------------


def room_kind(plan: PlanIndex) -> Iterator[Message]:
    """Each session uses the right kind of room at the right centre, or none away from one."""
    for appt in plan.appointments:
        if appt.kind in ("home", "online"):
            if appt.room is not None:
                yield Message(
                    "room-kind.away",
                    {"appointment": describe(appt), "kind": appt.kind, "room": appt.room},
                )
            continue
        if appt.room is None:
            yield Message("room-kind.none", {"appointment": describe(appt)})
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
            yield Message(
                "room-kind",
                {
                    "appointment": describe(appt),
                    "room": room.id,
                    "room_kind": room.kind,
                    "room_kinds": sorted(kinds),
                },
            )
        if room.centre != centre:
            yield Message(
                "room-kind.centre",
                {
                    "appointment": describe(appt),
                    "room": room.id,
                    "room_centre": room.centre,
                    "centre": centre,
                },
            )


def room_capacity(plan: PlanIndex) -> Iterator[Message]:
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
                yield Message(
                    "room-capacity",
                    {
                        "room": room.id,
                        "capacity": room.capacity,
                        "sessions": len(active),
                        "day": day.isoformat(),
                        "start": appt.start,
                        "appointments": ids(active),
                    },
                )


def room_team_alone(plan: PlanIndex) -> Iterator[Message]:
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
                    yield Message(
                        "room-team-alone",
                        {
                            "room": room_id,
                            "appointment": describe(team),
                            "appointment2": describe(other),
                        },
                    )


# --- Citizens -----------------------------------------------------------------------------------


def citizen_one_a_day(plan: PlanIndex) -> Iterator[Message]:
    """A citizen has at most one appointment a day, team seats included."""
    by_citizen_day = group(
        plan.sessions, lambda session: (plan.citizen_of(session.referral), session.appointment.day)
    )
    for (citizen_id, day), sessions in by_citizen_day.items():
        if citizen_id is not None and len(sessions) > 1:
            listed = [f"{s.appointment.id} ({s.referral})" for s in sessions]
            yield Message(
                "citizen-one-a-day",
                {
                    "citizen": citizen_id,
                    "count": len(sessions),
                    "day": day.isoformat(),
                    "appointments": listed,
                },
            )


def citizen_available(plan: PlanIndex) -> Iterator[Message]:
    """A citizen is seen only when they said they are available."""
    for session in plan.sessions:
        citizen = plan.citizens.get(plan.citizen_of(session.referral) or "")
        if citizen is None or citizen.available is None:
            continue  # no windows given: available whenever the centre is open
        appt = session.appointment
        windows = citizen.available.get(weekday(appt.day), ())
        if not inside(windows, appt.start, appt.end):
            yield Message(
                "citizen-available",
                {
                    "appointment": describe(appt),
                    "citizen": citizen.id,
                    "referral": session.referral,
                },
            )


def citizen_earliest(plan: PlanIndex) -> Iterator[Message]:
    """No session of a referral comes before the referral's earliest date."""
    for session in plan.sessions:
        referral = plan.referrals.get(session.referral)
        if referral and referral.earliest and session.appointment.day < referral.earliest:
            yield Message(
                "citizen-earliest",
                {
                    "appointment": describe(session.appointment),
                    "referral": referral.id,
                    "earliest": referral.earliest.isoformat(),
                },
            )


# --- Referrals ----------------------------------------------------------------------------------


def referral_count(plan: PlanIndex) -> Iterator[Message]:
    """A referral gets no more sessions than it asks for and its package has left."""
    for referral_id, sessions in plan.sessions_by_referral.items():
        requested = plan.requested.get(referral_id)
        if requested is not None and len(sessions) > requested:
            yield Message(
                "referral-count",
                {
                    "referral": referral_id,
                    "count": len(sessions),
                    "requested": requested,
                    "appointments": ids(s.appointment for s in sessions),
                },
            )


def referral_distinct_days(plan: PlanIndex) -> Iterator[Message]:
    """A referral's sessions fall on different days."""
    for referral_id, sessions in plan.sessions_by_referral.items():
        for day, same_day in group(sessions, lambda s: s.appointment.day).items():
            if len(same_day) > 1:
                yield Message(
                    "referral-distinct-days",
                    {
                        "referral": referral_id,
                        "count": len(same_day),
                        "day": day.isoformat(),
                        "appointments": ids(s.appointment for s in same_day),
                    },
                )


#: The appointment kind each referral mode is given as; seats are checked by class-participants.
KIND_FOR_MODE = {"centre": "individual", "home": "home", "online": "online", "team": "individual"}


def referral_kind(plan: PlanIndex) -> Iterator[Message]:
    """A referral is given the kind of session its mode asks for."""
    for appt in plan.appointments:
        if appt.kind not in KINDS:
            yield Message(
                "referral-kind.unknown",
                {"appointment": describe(appt), "kind": appt.kind, "kinds": list(KINDS)},
            )
            continue
        referral = plan.referrals.get(appt.referral or "")
        if appt.kind == "team" or referral is None:
            continue
        if KIND_FOR_MODE.get(referral.mode) != appt.kind:
            yield Message(
                "referral-kind",
                {
                    "appointment": describe(appt),
                    "kind": appt.kind,
                    "referral": referral.id,
                    "mode": referral.mode,
                },
            )


def referral_duration(plan: PlanIndex) -> Iterator[Message]:
    """A session lasts the referral's session minutes; a team seat the class's minutes."""
    for appt in plan.appointments:
        minutes = expected_minutes(plan, appt)
        if minutes is not None and appt.end - appt.start != minutes:
            yield Message(
                "referral-duration",
                {"appointment": describe(appt), "lasts": appt.end - appt.start, "minutes": minutes},
            )


def expected_minutes(plan: PlanIndex, appt: Appointment) -> int | None:
    if appt.kind == "team":
        team_class = plan.classes.get(appt.team_class or "")
        return team_class.minutes if team_class else None
    referral = plan.referrals.get(appt.referral or "")
    return referral.session_minutes if referral else None


def referral_centre(plan: PlanIndex) -> Iterator[Message]:
    """A referral's sessions are at its centre; team seats and their intro/final at the class's."""
    for appt in plan.appointments:
        centre = expected_centre(plan, appt)
        if centre is not None and appt.centre != centre:
            yield Message(
                "referral-centre",
                {"appointment": describe(appt), "at": appt.centre, "centre": centre},
            )


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


def team_intro_final(plan: PlanIndex) -> Iterator[Message]:
    """A team referral is seen alone only for its start assessment before and re-test after."""
    for referral in plan.problem.referrals:
        if referral.mode == "team":
            yield from intro_final_of(referral, plan.sessions_by_referral.get(referral.id, []))


def intro_final_of(referral: Referral, sessions: list[PlacedSession]) -> Iterator[Message]:
    alone = sorted(s.appointment.day for s in sessions if not s.seat)
    seats = [s.appointment for s in sessions if s.seat]
    allowed = int(referral.intro) + int(referral.final)
    if len(alone) > allowed:
        yield Message(
            "team-intro-final", {"referral": referral.id, "alone": len(alone), "allowed": allowed}
        )
    if referral.intro:
        early = [seat for seat in seats if not alone or seat.day <= alone[0]]
        if early:
            yield Message(
                "team-intro-final.early", {"referral": referral.id, "appointments": ids(early)}
            )
    # With both flags and one individual session, that one is the intro: the re-test is unplaced.
    if referral.final and not (referral.intro and len(alone) < 2):
        late = [seat for seat in seats if not alone or seat.day >= alone[-1]]
        if late:
            yield Message(
                "team-intro-final.late", {"referral": referral.id, "appointments": ids(late)}
            )


def course_start(plan: PlanIndex) -> Iterator[Message]:
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
            yield Message("course-start", {"referral": referral.id, "appointments": ids(early)})


#: What a pinned appointment keeps, and how a coordinator calls it.
PINNED_FIELDS = {
    "kind": "kind",
    "referral": "referral",
    "team_class": "class",
    "therapist": "therapist",
    "centre": "centre",
    "room": "room",
}


def pinned(plan: PlanIndex) -> Iterator[Message]:
    """A pinned appointment stays in the plan as it was fixed; a pinned team may gain people."""
    by_id: dict[str, Appointment] = {}
    for appt in plan.appointments:
        by_id.setdefault(appt.id, appt)
    for pin in plan.problem.pinned:
        kept = by_id.get(pin.id)
        if kept is None:
            yield Message(
                "pinned.missing", {"id": pin.id, "when": when(pin.day, pin.start, pin.end)}
            )
            continue
        changes = pin_changes(pin, kept)
        if changes:
            yield Message("pinned", {"id": pin.id, "changes": changes})


def pin_changes(pin: Appointment, appt: Appointment) -> list[dict[str, Any]]:
    """What differs from the pin, each as {field, now, was} (time: {date, start, end})."""
    changes: list[dict[str, Any]] = [
        {"field": label, "now": getattr(appt, name), "was": getattr(pin, name)}
        for name, label in PINNED_FIELDS.items()
        if getattr(appt, name) != getattr(pin, name)
    ]
    if (appt.day, appt.start, appt.end) != (pin.day, pin.start, pin.end):
        changes.append(
            {
                "field": "time",
                "now": when(appt.day, appt.start, appt.end),
                "was": when(pin.day, pin.start, pin.end),
            }
        )
    lost = [referral for referral in pin.participants if referral not in appt.participants]
    if lost:
        changes.append({"field": "participants", "now": lost, "was": None})
    return changes


# --- Team classes -------------------------------------------------------------------------------


def class_meetings(plan: PlanIndex) -> Iterator[Message]:
    """A class meets only when it may, at most once a day, and never without participants."""
    for class_id, meetings in plan.meetings_by_class.items():
        team_class = plan.classes.get(class_id or "")
        for day, same_day in group(meetings, lambda appt: appt.day).items():
            if len(same_day) > 1:
                yield Message(
                    "class-meetings.same-day",
                    {
                        "team_class": class_id,
                        "count": len(same_day),
                        "day": day.isoformat(),
                        "appointments": ids(same_day),
                    },
                )
        for appt in meetings:
            if not appt.participants:
                yield Message("class-meetings.empty", {"appointment": describe(appt)})
        if team_class is None:
            continue
        if team_class.fixed:
            allowed = {(m.day, m.start) for m in team_class.meetings}
            for appt in meetings:
                if (weekday(appt.day), appt.start) not in allowed:
                    yield Message(
                        "class-meetings.not-fixed",
                        {"appointment": describe(appt), "team_class": class_id},
                    )
        elif len(meetings) > (team_class.meetings_per_week or 0):
            yield Message(
                "class-meetings",
                {
                    "team_class": class_id,
                    "count": len(meetings),
                    "per_week": team_class.meetings_per_week or 0,
                    "appointments": ids(meetings),
                },
            )


def class_capacity(plan: PlanIndex) -> Iterator[Message]:
    """A team meeting has no more participants than the class and its room hold."""
    for class_id, meetings in plan.meetings_by_class.items():
        team_class = plan.classes.get(class_id or "")
        if team_class is None:
            continue
        for appt in meetings:
            room = plan.rooms.get(appt.room or "")
            seats = min(team_class.capacity, room.capacity if room else team_class.capacity)
            if len(appt.participants) > seats:
                yield Message(
                    "class-capacity",
                    {
                        "appointment": describe(appt),
                        "count": len(appt.participants),
                        "seats": seats,
                    },
                )


def class_participants(plan: PlanIndex) -> Iterator[Message]:
    """Every participant of a team meeting is a referral to that class, listed once."""
    for appt in plan.appointments:
        if appt.kind != "team":
            continue
        for referral_id, count in Counter(appt.participants).items():
            referral = plan.referrals.get(referral_id)
            if count > 1:
                yield Message(
                    "class-participants.twice",
                    {"appointment": describe(appt), "referral": referral_id, "count": count},
                )
            if referral is not None and not belongs_to_class(referral, appt.team_class):
                yield Message(
                    "class-participants", {"appointment": describe(appt), "referral": referral_id}
                )


def belongs_to_class(referral: Referral, class_id: str | None) -> bool:
    return referral.team_class == class_id and referral.mode in ("team", "centre")


# --- The plan's own account ---------------------------------------------------------------------


def unplaced(plan: PlanIndex) -> Iterator[Message]:
    """The plan lists each referral with missing sessions, how many are missing and why."""
    entries = group(plan.plan.unplaced, lambda entry: entry.referral)
    for referral in plan.problem.referrals:
        missing = plan.requested[referral.id] - plan.placed(referral.id)
        listed = entries.pop(referral.id, [])
        params: dict[str, Any] = {"referral": referral.id}
        if len(listed) > 1:
            yield Message("unplaced.listed-twice", {**params, "count": len(listed)})
        entry = listed[0] if listed else None
        if entry is None:
            if missing > 0:
                requested = plan.requested[referral.id]
                yield Message(
                    "unplaced.not-listed", {**params, "missing": missing, "requested": requested}
                )
        elif missing <= 0:
            yield Message("unplaced.all-placed", params)
        else:
            if entry.sessions != missing:
                yield Message(
                    "unplaced.wrong-count", {**params, "missing": missing, "listed": entry.sessions}
                )
            if not entry.reasons:
                yield Message("unplaced.no-reason", params)
    for referral_id in entries:
        yield Message("unplaced.unknown", {"referral": referral_id})


def start_deadline(plan: PlanIndex) -> Iterator[Message]:
    """A SUL §140 start that comes later than 7 days after discharge, or not at all, is warned."""
    warned = {w.referral for w in plan.plan.warnings if w.code == "start-deadline"}
    for referral in plan.problem.referrals:
        if not awaits_start(referral) or referral.id in warned or referral.discharged is None:
            continue
        deadline = referral.discharged + timedelta(days=START_DEADLINE_DAYS)
        days = [
            session.appointment.day for session in plan.sessions_by_referral.get(referral.id, [])
        ]
        params = {"referral": referral.id, "discharged": referral.discharged.isoformat()}
        if not days:
            yield Message("start-deadline.no-start", params)
        elif min(days) > deadline:
            yield Message(
                "start-deadline",
                {**params, "day": min(days).isoformat(), "days": START_DEADLINE_DAYS},
            )


def stats(plan: PlanIndex) -> Iterator[Message]:
    """The plan's totals of requested and placed sessions add up."""
    requested = sum(plan.requested.values())
    placed = len(plan.sessions)
    told = plan.plan.stats
    if told.sessions_requested != requested:
        yield Message("stats.requested", {"told": told.sessions_requested, "count": requested})
    if told.sessions_placed != placed:
        yield Message("stats.placed", {"told": told.sessions_placed, "count": placed})


# --- Running them all ---------------------------------------------------------------------------

Rule = Callable[[PlanIndex], Iterable[Message]]

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
        return [Violation("schema", text_message(message)) for message in error.errors]
    return check_plan(problem, plan)
