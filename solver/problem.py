"""The planning problem and its solution as plain typed data.

This module is the contract between the planner package (which reads scenario/1 and writes
plan/1) and the solver. It imports nothing but the standard library, so the plan validator can
use it without OR-Tools. All times of day are minutes after local midnight in the scenario's
time zone; all dates are local dates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Profession = Literal["physio", "ot", "assistant"]
Mode = Literal["centre", "home", "online", "team"]
Kind = Literal["individual", "home", "online", "team"]

#: Room kinds an individual session at a centre may use.
INDIVIDUAL_ROOM_KINDS = frozenset({"treatment", "hall"})


@dataclass(frozen=True)
class Window:
    """A stretch of one day, [start, end) in minutes after midnight."""

    start: int
    end: int

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Day:
    """A day of the week that can be planned: a weekday that is no public holiday."""

    date: date
    weekday: Weekday


@dataclass(frozen=True)
class Centre:
    id: str
    name: str
    address: str
    lat: float
    lon: float
    open: dict[str, Window]  # weekday -> opening hours; a missing weekday is closed


@dataclass(frozen=True)
class Room:
    id: str
    centre: str
    name: str
    kind: str
    capacity: int


@dataclass(frozen=True)
class Therapist:
    id: str
    name: str
    profession: Profession
    skills: frozenset[str]
    centres: tuple[str, ...]
    hours: dict[str, tuple[Window, ...]]  # weekday -> working windows
    absent: frozenset[date] = frozenset()
    max_minutes: int | None = None

    def can_give(self, profession: str, skills: frozenset[str]) -> bool:
        """A therapist may give a session of their own profession when they hold every skill."""
        return self.profession == profession and skills <= self.skills


@dataclass(frozen=True)
class Package:
    code: str
    name: str
    basis: str
    weekly_minutes: tuple[int, int]
    max_sessions: int | None


@dataclass(frozen=True)
class Meeting:
    day: Weekday
    start: int


@dataclass(frozen=True)
class TeamClass:
    id: str
    name: str
    centre: str
    room_kind: str
    capacity: int
    minutes: int
    instructor_profession: Profession
    instructor_skills: frozenset[str]
    meetings: tuple[Meeting, ...] = ()  # fixed meetings; empty when the planner chooses
    meetings_per_week: int | None = None  # set when the planner chooses the meetings

    @property
    def fixed(self) -> bool:
        return self.meetings_per_week is None


@dataclass(frozen=True)
class Citizen:
    id: str
    name: str
    address: str
    lat: float
    lon: float
    available: dict[str, tuple[Window, ...]] | None = None  # None: whenever a centre is open


@dataclass(frozen=True)
class Referral:
    id: str
    citizen: str
    package: str
    mode: Mode
    profession: Profession
    skills: frozenset[str]
    sessions_per_week: int
    session_minutes: int
    team_class: str | None = None
    centre: str | None = None
    intro: bool = False
    final: bool = False
    delivered: int = 0
    earliest: date | None = None
    discharged: date | None = None
    contact: str | None = None
    exception: str | None = None


@dataclass(frozen=True)
class Appointment:
    """One appointment of a plan: an individual, home or online session, or a team meeting."""

    id: str
    kind: Kind
    therapist: str
    centre: str
    day: date
    start: int
    end: int
    referral: str | None = None  # individual, home, online
    team_class: str | None = None  # team
    participants: tuple[str, ...] = ()  # team: referral ids
    room: str | None = None
    travel_before: int = 0
    travel_after: int = 0


@dataclass(frozen=True)
class Travel:
    detour_factor: float = 1.3
    speed_kmh: float = 45.0


@dataclass(frozen=True)
class Problem:
    """One week to plan, as read from a scenario/1 document."""

    name: str
    week: str  # ISO week, e.g. "2026-W50"
    timezone: str
    slot_minutes: int
    travel: Travel
    days: tuple[Day, ...]  # the week's weekdays that are not public holidays
    centres: tuple[Centre, ...]
    rooms: tuple[Room, ...]
    therapists: tuple[Therapist, ...]
    packages: tuple[Package, ...]
    classes: tuple[TeamClass, ...]
    citizens: tuple[Citizen, ...]
    referrals: tuple[Referral, ...]
    pinned: tuple[Appointment, ...] = ()
    previous: tuple[Appointment, ...] = ()
    holidays: tuple[date, ...] = ()  # the week's weekdays that are closed as public holidays
    _index: dict[str, dict[str, object]] = field(default_factory=dict, compare=False, repr=False)

    def centre(self, id: str) -> Centre:
        return self._lookup("centre", self.centres, id)  # type: ignore[return-value]

    def room(self, id: str) -> Room:
        return self._lookup("room", self.rooms, id)  # type: ignore[return-value]

    def therapist(self, id: str) -> Therapist:
        return self._lookup("therapist", self.therapists, id)  # type: ignore[return-value]

    def package(self, code: str) -> Package:
        return self._lookup("package", self.packages, code)  # type: ignore[return-value]

    def team_class(self, id: str) -> TeamClass:
        return self._lookup("class", self.classes, id)  # type: ignore[return-value]

    def citizen(self, id: str) -> Citizen:
        return self._lookup("citizen", self.citizens, id)  # type: ignore[return-value]

    def referral(self, id: str) -> Referral:
        return self._lookup("referral", self.referrals, id)  # type: ignore[return-value]

    def _lookup(self, kind: str, items: tuple, key: str) -> object:
        table = self._index.get(kind)
        if table is None:
            table = {getattr(item, "code", None) or item.id: item for item in items}
            self._index[kind] = table
        return table[key]


def clock(minutes: int) -> str:
    """ "HH:MM" of minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(text: str) -> int:
    """Minutes after midnight of an "HH:MM" time."""
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


#: SUL §140: training starts within this many calendar days of the discharge (the one place).
SUL140_START_DAYS = 7


def start_deadline(referral: Referral) -> date | None:
    """The last day a SUL §140 course's first session may fall on: discharge + 7 days."""
    if referral.discharged is None:
        return None
    return referral.discharged + timedelta(days=SUL140_START_DAYS)


def awaits_start(referral: Referral) -> bool:
    """A SUL §140 course that has not begun: discharged and no session delivered yet, whether or
    not the coordinator ticked "Opstart" (`intro`); its first session is due within 7 days of the
    discharge. The deadline comes from `discharged` alone."""
    return referral.discharged is not None and (referral.intro or referral.delivered == 0)


def requested_sessions(problem: Problem, referral: Referral) -> int:
    """A referral asks for its weekly sessions, but never more than its package has left."""
    left = problem.package(referral.package).max_sessions
    wanted = referral.sessions_per_week
    if left is None:
        return wanted
    return max(0, min(wanted, left - referral.delivered))


def opens_with_assessment(referral: Referral) -> bool:
    """The referral's seats must come after an individual session earlier in the week.

    A team referral with `intro` starts its week with an individual start assessment; a centre
    referral that names a class (it may take seats) and starts its course this week (`intro`, or
    nothing delivered yet) starts with an individual assessment too: every course does.
    """
    if referral.mode == "team":
        return referral.intro
    if referral.mode == "centre" and referral.team_class:
        return referral.intro or referral.delivered == 0
    return False


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def travel_minutes(travel: Travel, lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Driving minutes between two points, by the format's formula."""
    km = great_circle_km(lat1, lon1, lat2, lon2)
    return math.ceil(km * travel.detour_factor / travel.speed_kmh * 60)


Status = Literal["optimal", "feasible", "infeasible", "unknown"]


@dataclass(frozen=True)
class Message:
    """Something to tell a coordinator, as data: a code and its parameters, no sentence.

    The planner renders it in Danish or English from its catalogue (planner/text/messages.py);
    parameters are plain values (numbers, ids, ISO dates, weekday keys, lists of them).
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Unplaced:
    """Sessions of one referral the plan could not place, with reasons a coordinator can act on."""

    referral: str
    sessions: int
    reasons: tuple[Message, ...]


@dataclass(frozen=True)
class PlanWarning:
    referral: str
    code: str  # plan/1's warning code, e.g. "start-deadline"
    message: Message


@dataclass(frozen=True)
class Stats:
    sessions_requested: int
    sessions_placed: int
    objective: int | None = None
    bound: int | None = None
    seconds: float = 0.0
    placed_bound: int | None = None  # placed sessions at best, ignoring competition


@dataclass(frozen=True)
class Solution:
    """A weekly plan: the content of a plan/1 document."""

    status: Status
    appointments: tuple[Appointment, ...]
    unplaced: tuple[Unplaced, ...] = ()
    warnings: tuple[PlanWarning, ...] = ()
    stats: Stats = Stats(0, 0)
