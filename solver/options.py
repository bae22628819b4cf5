"""The ways each requested session could be given, before any competition between referrals.

Everything the hard rules say about one session alone (qualification, hours, absences, opening
hours, the citizen's windows, `earliest`, travel to a home) is settled here, once, by filtering:
the model and the first-fit heuristic then only choose between options that already obey them.
This is what keeps the CP-SAT model small enough for 2,000 referrals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from solver.problem import (
    INDIVIDUAL_ROOM_KINDS,
    SUL140_START_DAYS,
    Day,
    Kind,
    Problem,
    Referral,
    TeamClass,
    Therapist,
    Window,
    requested_sessions,
    travel_minutes,
)

#: Step between the start times the planner tries for a class whose meetings it chooses.
MEETING_STEP = 30


@dataclass(frozen=True)
class Option:
    """One therapist giving one session of a referral on one day, at one of `starts`."""

    referral: str
    day: int  # index into Problem.days
    therapist: str
    centre: str
    kind: Kind  # individual, home or online
    starts: tuple[int, ...]
    minutes: int
    travel_before: int = 0
    travel_after: int = 0

    @property
    def busy_minutes(self) -> int:
        return self.minutes + self.travel_before + self.travel_after


@dataclass(frozen=True)
class MeetingOption:
    """A possible meeting of a team class: day and start, who may lead it, where, who may sit in."""

    team_class: str
    day: int
    start: int
    end: int
    instructors: tuple[str, ...]
    rooms: tuple[str, ...]
    seats: tuple[str, ...]  # referrals whose citizen can come


@dataclass
class Options:
    """All options of a week, indexed the ways the model and the heuristic read them."""

    individual: list[Option] = field(default_factory=list)
    meetings: list[MeetingOption] = field(default_factory=list)
    requested: dict[str, int] = field(default_factory=dict)

    def by_referral(self) -> dict[str, list[Option]]:
        grouped: dict[str, list[Option]] = defaultdict(list)
        for option in self.individual:
            grouped[option.referral].append(option)
        return grouped

    def seats_by_referral(self) -> dict[str, list[int]]:
        grouped: dict[str, list[int]] = defaultdict(list)
        for index, meeting in enumerate(self.meetings):
            for referral in meeting.seats:
                grouped[referral].append(index)
        return grouped


def days_by_referral(options: Options) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """The days each referral has an option of its own on, and the days it has a seat on."""
    own: dict[str, set[int]] = defaultdict(set)
    for o in options.individual:
        own[o.referral].add(o.day)
    seats: dict[str, set[int]] = defaultdict(set)
    for m in options.meetings:
        for r in m.seats:
            seats[r].add(m.day)
    return own, seats


def start_target(problem: Problem, referral: Referral, days: Iterable[int]) -> date:
    """The last day a SUL §140 start should fall on: 7 days after discharge, or the first day
    it can be at all (of `days`) when that is later."""
    assert referral.discharged is not None
    first = problem.days[min(days)].date
    return max(referral.discharged + timedelta(days=SUL140_START_DAYS), first)


def build_options(problem: Problem) -> Options:
    """Every option of every referral and every possible class meeting of the week."""
    options = Options()
    options.requested = {r.id: requested_sessions(problem, r) for r in problem.referrals}
    for referral in problem.referrals:
        if options.requested[referral.id] > 0:
            options.individual.extend(referral_options(problem, referral))
    for team_class in problem.classes:
        options.meetings.extend(meeting_options(problem, team_class))
    return options


# --- windows -----------------------------------------------------------------------------------


def intersect(a: Iterable[Window], b: Iterable[Window]) -> list[Window]:
    """The stretches of time inside both lists of windows."""
    out = []
    for x in a:
        for y in b:
            start, end = max(x.start, y.start), min(x.end, y.end)
            if start < end:
                out.append(Window(start, end))
    return sorted(out, key=lambda w: w.start)


def grid_starts(windows: Iterable[Window], before: int, length: int, slot: int) -> list[int]:
    """Start times on the slot grid where [start - before, start + length] fits a window."""
    starts: set[int] = set()
    for w in windows:
        first = -(-(w.start + before) // slot) * slot
        starts.update(range(first, w.end - length + 1, slot))
    return sorted(starts)


def therapist_windows(
    problem: Problem, therapist: Therapist, day: Day, centre: str
) -> list[Window]:
    """When a therapist can work at a centre on a day: their hours inside its opening hours."""
    if day.date in therapist.absent or centre not in therapist.centres:
        return []
    opening = problem.centre(centre).open.get(day.weekday)
    if opening is None:
        return []
    return intersect(therapist.hours.get(day.weekday, ()), [opening])


def citizen_windows(problem: Problem, citizen_id: str, day: Day) -> list[Window] | None:
    """When the citizen can have a session that day; None means whenever a centre is open."""
    citizen = problem.citizen(citizen_id)
    if citizen.available is None:
        return None
    return list(citizen.available.get(day.weekday, ()))


def day_allowed(referral: Referral, day: Day) -> bool:
    """No session before the referral's `earliest` date."""
    return referral.earliest is None or day.date >= referral.earliest


# --- individual, home and online sessions ------------------------------------------------------


def session_centres(problem: Problem, referral: Referral) -> list[str]:
    """Where an individual session of the referral may take place (or leave from, for a visit)."""
    if referral.mode == "team" and referral.team_class:
        return [problem.team_class(referral.team_class).centre]
    if referral.centre:
        return [referral.centre]
    return [c.id for c in problem.centres]


def session_kind(referral: Referral) -> Kind:
    return {"home": "home", "online": "online"}.get(referral.mode, "individual")  # type: ignore[return-value]


def has_session_room(problem: Problem, centre: str) -> bool:
    return any(r.centre == centre and r.kind in INDIVIDUAL_ROOM_KINDS for r in problem.rooms)


def referral_options(problem: Problem, referral: Referral) -> list[Option]:
    """Every (day, therapist, centre) that could give one of the referral's own sessions."""
    if referral.mode == "team" and not (referral.intro or referral.final):
        return []
    kind = session_kind(referral)
    qualified = [t for t in problem.therapists if t.can_give(referral.profession, referral.skills)]
    out = []
    for d, day in enumerate(problem.days):
        if not day_allowed(referral, day):
            continue
        citizen = citizen_windows(problem, referral.citizen, day)
        for centre in session_centres(problem, referral):
            if kind == "individual" and not has_session_room(problem, centre):
                continue
            travel = home_travel(problem, referral, centre) if kind == "home" else 0
            for therapist in qualified:
                option = make_option(problem, referral, therapist, d, centre, kind, travel, citizen)
                if option is not None:
                    out.append(option)
    return out


def home_travel(problem: Problem, referral: Referral, centre: str) -> int:
    """Minutes to drive from the centre to the citizen's home (the same back)."""
    c, home = problem.centre(centre), problem.citizen(referral.citizen)
    return travel_minutes(problem.travel, c.lat, c.lon, home.lat, home.lon)


def make_option(
    problem: Problem,
    referral: Referral,
    therapist: Therapist,
    d: int,
    centre: str,
    kind: Kind,
    travel: int,
    citizen: list[Window] | None,
) -> Option | None:
    """The option of this therapist on this day, or None when no start time fits."""
    day = problem.days[d]
    working = therapist_windows(problem, therapist, day, centre)
    if not working:
        return None
    minutes = referral.session_minutes
    slot = problem.slot_minutes
    starts = set(grid_starts(working, travel, minutes + travel, slot))
    if citizen is not None:
        starts &= set(grid_starts(citizen, 0, minutes, slot))
    if not starts:
        return None
    return Option(
        referral.id, d, therapist.id, centre, kind, tuple(sorted(starts)), minutes, travel, travel
    )


# --- team classes ------------------------------------------------------------------------------


def meeting_times(problem: Problem, team_class: TeamClass) -> list[tuple[int, int]]:
    """(day index, start) of each meeting the class could have this week."""
    opening_by_day = {
        d: problem.centre(team_class.centre).open.get(day.weekday)
        for d, day in enumerate(problem.days)
    }
    if team_class.fixed:
        return [
            (d, m.start)
            for d, day in enumerate(problem.days)
            for m in team_class.meetings
            if m.day == day.weekday and opening_by_day[d] is not None
        ]
    step = max(MEETING_STEP, problem.slot_minutes)
    return [
        (d, start)
        for d, opening in opening_by_day.items()
        if opening is not None
        for start in grid_starts([opening], 0, team_class.minutes, step)
    ]


def meeting_options(problem: Problem, team_class: TeamClass) -> list[MeetingOption]:
    """Every meeting of the class that has an instructor, a room and someone who can come."""
    rooms = tuple(
        r.id
        for r in problem.rooms
        if r.centre == team_class.centre and r.kind == team_class.room_kind
    )
    members = class_members(problem, team_class)
    out = []
    for d, start in meeting_times(problem, team_class):
        end = start + team_class.minutes
        day = problem.days[d]
        instructors = tuple(
            t.id
            for t in problem.therapists
            if t.can_give(team_class.instructor_profession, team_class.instructor_skills)
            and any(
                w.contains(start, end)
                for w in therapist_windows(problem, t, day, team_class.centre)
            )
        )
        seats = tuple(r.id for r in members if can_attend(problem, r, day, start, end))
        if instructors and rooms and seats:
            out.append(MeetingOption(team_class.id, d, start, end, instructors, rooms, seats))
    return out


def class_members(problem: Problem, team_class: TeamClass) -> list[Referral]:
    """Referrals that may sit in the class: its team referrals and centre referrals naming it."""
    return [
        r
        for r in problem.referrals
        if r.team_class == team_class.id
        and r.mode in ("team", "centre")
        and requested_sessions(problem, r) > 0
    ]


def can_attend(problem: Problem, referral: Referral, day: Day, start: int, end: int) -> bool:
    """The citizen may come to a meeting: not before `earliest`, and inside an available window."""
    if not day_allowed(referral, day):
        return False
    windows = citizen_windows(problem, referral.citizen, day)
    return windows is None or any(w.contains(start, end) for w in windows)
