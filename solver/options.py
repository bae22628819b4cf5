"""The ways each requested session could be given, before any competition between referrals.

Everything the hard rules say about one session alone (qualification, hours, absences, opening
hours, the citizen's windows, `earliest`, travel to a home) is settled here, once, by filtering:
the model and the first-fit heuristic then only choose between options that already obey them.
This is what keeps the CP-SAT model small enough for 2,000 referrals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
    # A home visit on a route: the referral whose visit it drives from (None: from the centre),
    # the minutes it waits there before driving (to meet the slot grid), and whether it drives
    # on to the next home (then `travel_after` is 0).
    comes_from: str | None = None
    wait: int = 0
    drives_on: bool = False

    @property
    def busy_minutes(self) -> int:
        """Minutes of work: the session and its driving (a wait is no work)."""
        return self.minutes + self.travel_before + self.travel_after

    @property
    def before(self) -> int:
        """Minutes before the start that the therapist is taken up by the session: its drive
        and any wait for it."""
        return self.wait + self.travel_before


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
    # Home visits on routes (`route_options`): for the model and the bound only; each start is
    # also one of the round trip's, so what a referral alone can have is the same.
    routes: list[Option] = field(default_factory=list)

    @property
    def every(self) -> list[Option]:
        """Round trips and route visits: what the model chooses among."""
        return self.individual + self.routes if self.routes else self.individual

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


def option_key(option: Option) -> tuple[str, int, str, str, str | None, bool]:
    """An option's identity: whose session, which day, which therapist, from which centre, and
    for a visit on a route, from which home and whether on to another."""
    return (
        option.referral,
        option.day,
        option.therapist,
        option.centre,
        option.comes_from,
        option.drives_on,
    )


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
    staff = Staff(problem)
    for referral in problem.referrals:
        if options.requested[referral.id] > 0:
            options.individual.extend(referral_options(problem, referral, staff))
    members = members_by_class(problem)
    for team_class in problem.classes:
        options.meetings.extend(
            meeting_options(problem, team_class, staff, members.get(team_class.id, []))
        )
    options.routes = route_options(problem, options.individual, staff)
    return options


class Staff:
    """The week's therapists indexed the ways options are built: by centre and qualification,
    and each one's working windows per centre and day, worked out once."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.at_centre: dict[str, list[Therapist]] = defaultdict(list)
        for t in problem.therapists:
            for c in t.centres:
                self.at_centre[c].append(t)
        self.qualified: dict[tuple[str, str, frozenset[str]], list[Therapist]] = {}
        self.windows: dict[tuple[str, int, str], list[Window]] = {}
        self.rooms = {r.centre for r in problem.rooms if r.kind in INDIVIDUAL_ROOM_KINDS}

    def who(self, centre: str, profession: str, skills: frozenset[str]) -> list[Therapist]:
        """The therapists at a centre who may give a session of this profession and skills."""
        key = (centre, profession, skills)
        found = self.qualified.get(key)
        if found is None:
            found = [t for t in self.at_centre[centre] if t.can_give(profession, skills)]
            self.qualified[key] = found
        return found

    def working(self, therapist: Therapist, d: int, centre: str) -> list[Window]:
        key = (therapist.id, d, centre)
        found = self.windows.get(key)
        if found is None:
            found = therapist_windows(self.problem, therapist, self.problem.days[d], centre)
            self.windows[key] = found
        return found


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


def referral_options(
    problem: Problem, referral: Referral, staff: Staff | None = None
) -> list[Option]:
    """Every (day, therapist, centre) that could give one of the referral's own sessions."""
    if referral.mode == "team" and not (referral.intro or referral.final):
        return []
    staff = staff or Staff(problem)
    kind = session_kind(referral)
    centres = [
        c for c in session_centres(problem, referral) if kind != "individual" or c in staff.rooms
    ]
    travel = {c: home_travel(problem, referral, c) if kind == "home" else 0 for c in centres}
    out = []
    for d, day in enumerate(problem.days):
        if not day_allowed(referral, day):
            continue
        citizen = citizen_windows(problem, referral.citizen, day)
        for centre in centres:
            for therapist in staff.who(centre, referral.profession, referral.skills):
                working = staff.working(therapist, d, centre)
                option = make_option(
                    problem, referral, therapist, d, centre, kind, travel[centre], citizen, working
                )
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
    working: list[Window] | None = None,
) -> Option | None:
    """The option of this therapist on this day, or None when no start time fits."""
    if working is None:
        working = therapist_windows(problem, therapist, problem.days[d], centre)
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


# --- home-visit routes --------------------------------------------------------------------------

#: Longest drive between two homes that a route takes (minutes): the homes of one village.
ROUTE_LEG = 20
#: Least driving a route must save against two round trips (minutes).
ROUTE_SAVING = 15
#: Homes a visit may drive on to, at most: the nearest (the model grows with every leg).
ROUTE_NEIGHBOURS = 3


@dataclass(frozen=True)
class Leg:
    """A therapist may drive from one home visit straight on to another: the second starts
    `shift` minutes after the first, the drive of `drive` minutes and a wait for the grid
    between them."""

    first: Option
    second: Option
    drive: int
    shift: int

    @property
    def wait(self) -> int:
        return self.shift - self.first.minutes - self.drive


def route_options(problem: Problem, individual: list[Option], staff: Staff) -> list[Option]:
    """Every home visit's variants on a route: from another home, on to another, or both.

    Round trips are the options; a variant differs only in its drives. A visit that drives on
    ends where the next one's drive begins (`PlanModel.home_routes` pairs them), so nothing
    fits between, and the plan reads centre -> home -> home -> centre. Only legs that save
    `ROUTE_SAVING` minutes, between homes `ROUTE_LEG` apart at most, are tried.
    """
    by_day: dict[tuple[str, int, str], list[Option]] = defaultdict(list)
    for o in individual:
        if o.kind == "home" and o.travel_before > 0:
            by_day[(o.therapist, o.day, o.centre)].append(o)
    out: list[Option] = []
    drives: dict[tuple[str, str], int] = {}  # between two citizens' homes, worked out once
    for (t, d, centre), visits in by_day.items():
        legs = route_legs(problem, visits, drives)
        if not legs:
            continue
        working = staff.working(problem.therapist(t), d, centre)
        into: dict[str, list[Leg]] = defaultdict(list)
        onward: dict[str, list[Leg]] = defaultdict(list)
        for leg in legs:
            into[leg.second.referral].append(leg)
            onward[leg.first.referral].append(leg)
        for v in visits:
            out += visit_variants(v, into[v.referral], onward[v.referral], working)
    return out


def route_legs(
    problem: Problem, visits: list[Option], drives: dict[tuple[str, str], int]
) -> list[Leg]:
    """The legs between a therapist's day's visits that are short and save driving: from each
    visit to the `ROUTE_NEIGHBOURS` nearest homes such a leg reaches."""
    slot = problem.slot_minutes
    homes = {v.referral: problem.citizen(problem.referral(v.referral).citizen) for v in visits}
    legs = []
    for a in visits:
        home_a = homes[a.referral]
        near = []
        for b in visits:
            home_b = homes[b.referral]
            if home_a.id == home_b.id:
                continue
            drive = drives.get((home_a.id, home_b.id))
            if drive is None:
                drive = travel_minutes(
                    problem.travel, home_a.lat, home_a.lon, home_b.lat, home_b.lon
                )
                drives[(home_a.id, home_b.id)] = drive
            shift = -(-(a.minutes + drive) // slot) * slot  # starts stay on the grid
            saves = a.travel_after + b.travel_before - (shift - a.minutes)
            if drive <= ROUTE_LEG and saves >= ROUTE_SAVING:
                near.append((drive, b.referral, Leg(a, b, drive, shift)))
        legs += [leg for *_, leg in sorted(near)[:ROUTE_NEIGHBOURS]]
    return legs


def visit_variants(
    visit: Option, into: list[Leg], onward: list[Leg], working: list[Window]
) -> list[Option]:
    """A visit from the centre on to another home, from another home back to the centre, or
    from one home on to another: at the round trip's starts that fit a leg and the hours."""
    starts = set(visit.starts)
    ends: list[tuple[str | None, int, int, set[int]]] = [
        (None, visit.travel_before, 0, starts)
    ]  # where from, drive, wait, starts that arrive in time
    ends += [
        (leg.first.referral, leg.drive, leg.wait, {s + leg.shift for s in leg.first.starts})
        for leg in into
    ]
    out = []
    for comes_from, drive, wait, arrive in ends:
        # Starts that a leg on to another home (not back where it came from) leaves from.
        on: set[int] = set()
        for leg in onward:
            if leg.second.referral != comes_from:
                on.update(s - leg.shift for s in leg.second.starts)
        for drives_on in (False, True):
            if comes_from is None and not drives_on:
                continue  # the round trip itself
            after = 0 if drives_on else visit.travel_after
            fits = starts & arrive & (on if drives_on else starts)
            fits = {s for s in fits if inside(working, s - wait - drive, s + visit.minutes + after)}
            if fits:
                out.append(
                    replace(
                        visit,
                        starts=tuple(sorted(fits)),
                        travel_before=drive,
                        travel_after=after,
                        comes_from=comes_from,
                        wait=wait,
                        drives_on=drives_on,
                    )
                )
    return out


def inside(windows: Iterable[Window], begin: int, end: int) -> bool:
    return any(w.start <= begin and end <= w.end for w in windows)


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


def meeting_options(
    problem: Problem,
    team_class: TeamClass,
    staff: Staff | None = None,
    members: list[Referral] | None = None,
) -> list[MeetingOption]:
    """Every meeting of the class that has an instructor, a room and someone who can come."""
    staff = staff or Staff(problem)
    rooms = tuple(
        r.id
        for r in problem.rooms
        if r.centre == team_class.centre and r.kind == team_class.room_kind
    )
    members = class_members(problem, team_class) if members is None else members
    leaders = staff.who(
        team_class.centre, team_class.instructor_profession, team_class.instructor_skills
    )
    out = []
    for d, start in meeting_times(problem, team_class):
        end = start + team_class.minutes
        day = problem.days[d]
        instructors = tuple(
            t.id
            for t in leaders
            if any(w.contains(start, end) for w in staff.working(t, d, team_class.centre))
        )
        seats = tuple(r.id for r in members if can_attend(problem, r, day, start, end))
        if instructors and rooms and seats:
            out.append(MeetingOption(team_class.id, d, start, end, instructors, rooms, seats))
    return out


def members_by_class(problem: Problem) -> dict[str, list[Referral]]:
    """Each class's members (`class_members`), all classes in one pass over the referrals."""
    members: dict[str, list[Referral]] = defaultdict(list)
    for r in problem.referrals:
        if r.team_class and r.mode in ("team", "centre") and requested_sessions(problem, r) > 0:
            members[r.team_class].append(r)
    return members


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
