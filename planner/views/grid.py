"""The week as a grid: a centre's rooms, a therapist's days and a team class's meetings.

A grid places each appointment in a column (a room, or a day) and in rows of the week's slot
size, so a page can draw it with CSS grid; where sessions share a room (a hall holds several at
once) the room's column is split into lanes. Citizens are named in full for coordinators and by
first name and initial in a therapist's own week: each reader sees only what they need.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from planner.db.models import Appointment as AppointmentRow
from planner.db.models import (
    AppointmentParticipant,
    Centre,
    CentreOpening,
    Citizen,
    Plan,
    Referral,
    Room,
    Scenario,
    TeamClass,
    Therapist,
    TherapistHours,
)
from planner.db.store import get
from planner.errors import NotFound
from planner.formats.scenario import plannable_days
from planner.plan.stored import PlanWeek, placed_by_referral, plan_week
from planner.text.wording import short_name
from solver.problem import Appointment, Day, Problem, Window, requested_sessions

#: How a grid names citizens: in full (coordinators) or first name and initial (a therapist).
Naming = Literal["full", "short"]
#: Opening hours to show when a grid has nothing else to go by.
DEFAULT_HOURS = Window(8 * 60, 16 * 60)
#: The column of a centre's day for home visits and online sessions (no room).
NO_ROOM = ""


# --- what a time grid needs, read straight from the tables ------------------------------------


@dataclass(frozen=True)
class WeekNames:
    """What a grid calls things: centres, rooms, therapists, classes, and whose referral it is."""

    centres: dict[str, str]
    rooms: dict[str, tuple[str, str]]  # room key -> (name, centre key), in import order
    therapists: dict[str, str]
    classes: dict[str, str]
    citizens: dict[str, str]  # referral key -> the citizen's name


@dataclass(frozen=True)
class GridWeek:
    """A saved plan as the time grids read it: its appointments, days and names.

    The grids are read often (a centre's week must draw fast), so this is read with plain
    column queries, without building the whole planning problem as `PlanWeek` does.
    """

    plan: Plan
    scenario: Scenario
    days: tuple[Day, ...]
    appointments: tuple[Appointment, ...]
    locked: frozenset[str]
    names: WeekNames


def grid_week(plan_id: int, *, session: Session) -> GridWeek:
    """A saved plan for the grids; NotFound if there is no such plan."""
    plan = get(session, Plan, plan_id)
    scenario = get(session, Scenario, plan.scenario_id)
    appointments, locked = appointments_of(plan_id, session=session)
    days, _ = plannable_days(scenario.week)
    names = week_names(plan.scenario_id, session=session)
    return GridWeek(plan, scenario, days, appointments, locked, names)


#: The columns of a stored appointment that make a plan's appointment, in this order.
APPOINTMENT_COLUMNS = [
    "id",
    "key",
    "kind",
    "therapist",
    "centre",
    "date",
    "start",
    "end",
    "referral",
    "team_class",
    "room",
    "travel_before",
    "travel_after",
    "locked",
]


def appointments_of(
    plan_id: int, *, session: Session
) -> tuple[tuple[Appointment, ...], frozenset[str]]:
    """A saved plan's appointments in stored order, and the ids of the locked ones."""
    table = AppointmentRow.__table__  # type: ignore[attr-defined]
    query = sa_select(*(table.c[name] for name in APPOINTMENT_COLUMNS))
    rows = session.execute(query.where(table.c.plan_id == plan_id).order_by(table.c.id)).all()
    seats = session.exec(
        select(AppointmentParticipant.appointment_id, AppointmentParticipant.referral)
        .join(AppointmentRow, col(AppointmentRow.id) == AppointmentParticipant.appointment_id)
        .where(AppointmentRow.plan_id == plan_id)
        .order_by(col(AppointmentParticipant.id))
    ).all()
    people: dict[int | None, list[str]] = defaultdict(list)
    for appointment_id, referral in seats:
        people[appointment_id].append(referral)
    appointments = tuple(appointment_from(row, tuple(people[row[0]])) for row in rows)
    return appointments, frozenset(row[1] for row in rows if row[-1])


def appointment_from(row: Any, participants: tuple[str, ...]) -> Appointment:
    """A plan's appointment from a row of APPOINTMENT_COLUMNS."""
    _, key, kind, therapist, centre, day, start, end, referral, team_class, room = row[:11]
    return Appointment(
        id=key,
        kind=kind,
        therapist=therapist,
        centre=centre,
        day=day,
        start=start,
        end=end,
        referral=referral,
        team_class=team_class,
        participants=participants,
        room=room,
        travel_before=row[11],
        travel_after=row[12],
    )


def week_names(scenario_id: int, *, session: Session) -> WeekNames:
    """The names of a stored week's centres, rooms, therapists, classes and citizens."""

    def pairs(*columns, table):  # type: ignore[no-untyped-def]
        query = select(*columns).where(table.scenario_id == scenario_id).order_by(table.id)
        return session.exec(query).all()

    citizens = session.exec(
        select(Referral.key, Citizen.name)
        .join(
            Citizen,
            (col(Citizen.key) == Referral.citizen) & (col(Citizen.scenario_id) == scenario_id),
        )
        .where(Referral.scenario_id == scenario_id)
    ).all()
    return WeekNames(
        centres=dict(pairs(Centre.key, Centre.name, table=Centre)),
        rooms={k: (n, c) for k, n, c in pairs(Room.key, Room.name, Room.centre, table=Room)},
        therapists=dict(pairs(Therapist.key, Therapist.name, table=Therapist)),
        classes=dict(pairs(TeamClass.key, TeamClass.name, table=TeamClass)),
        citizens=dict(citizens),
    )


# --- one appointment in a grid ----------------------------------------------------------------


@dataclass(frozen=True)
class GridEntry:
    """One appointment as a grid shows it: when, what kind, who and where."""

    id: str
    kind: str
    day: date
    start: int
    end: int
    therapist: str  # the therapist's name
    room: str | None  # the room's name; None for home and online sessions
    room_key: str | None
    centre: str  # the centre's name
    citizen: str | None  # individual, home and online: the citizen as this reader may see them
    referral: str | None
    team_class: str | None  # team: the class's name
    class_key: str | None
    participants: int
    travel_before: int
    travel_after: int
    locked: bool


def citizen_label(name: str, naming: Naming) -> str:
    """The citizen's name in full, or (a therapist's own week) first name and initial."""
    return name if naming == "full" else short_name(name)


def entry_of(names: WeekNames, a: Appointment, locked: frozenset[str], naming: Naming) -> GridEntry:
    citizen = None
    if a.referral is not None:
        citizen = citizen_label(names.citizens[a.referral], naming)
    return GridEntry(
        id=a.id,
        kind=a.kind,
        day=a.day,
        start=a.start,
        end=a.end,
        therapist=names.therapists[a.therapist],
        room=names.rooms[a.room][0] if a.room else None,
        room_key=a.room,
        centre=names.centres[a.centre],
        citizen=citizen,
        referral=a.referral,
        team_class=names.classes[a.team_class] if a.team_class else None,
        class_key=a.team_class,
        participants=len(a.participants),
        travel_before=a.travel_before,
        travel_after=a.travel_after,
        locked=a.id in locked,
    )


def names_of(problem: Problem) -> WeekNames:
    """The names a grid uses, from a week already loaded whole."""
    return WeekNames(
        centres={c.id: c.name for c in problem.centres},
        rooms={r.id: (r.name, r.centre) for r in problem.rooms},
        therapists={t.id: t.name for t in problem.therapists},
        classes={c.id: c.name for c in problem.classes},
        citizens={r.id: problem.citizen(r.citizen).name for r in problem.referrals},
    )


# --- the grid ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """An entry's place in a grid: CSS grid lines of its lane and its rows."""

    entry: GridEntry
    column: int
    row: int
    rows: int


@dataclass
class Column:
    """A room or a day: its header, the grid lines it covers, and its entries in time order."""

    key: str
    name: str
    day: date | None = None  # a therapist's grid: the day the column is
    line: int = 0  # the first CSS grid column line
    lanes: int = 1
    entries: list[Placed] = field(default_factory=list)


@dataclass(frozen=True)
class HourMark:
    """A time label at the side of the grid."""

    minute: int
    row: int
    rows: int


@dataclass(frozen=True)
class TimeGrid:
    """Columns against the time of day, in rows of the week's slot size."""

    slot: int
    first: int  # the minute the first row starts
    rows: int
    columns: list[Column]

    @property
    def referrals(self) -> list[str]:
        """The referrals whose citizens the grid names (sessions; a team meeting names none)."""
        return [
            p.entry.referral
            for column in self.columns
            for p in column.entries
            if p.entry.citizen is not None and p.entry.referral is not None
        ]

    @property
    def tracks(self) -> int:
        """Column tracks besides the time labels: one per lane."""
        return sum(c.lanes for c in self.columns)

    @property
    def hours(self) -> list[HourMark]:
        """A label at each full hour (and at the first row), spanning to the next."""
        end = self.first + self.rows * self.slot
        marks = [self.first] + [
            m
            for m in range(self.first + 1, end)
            if m % 60 == 0 and (m - self.first) % self.slot == 0
        ]
        return [
            HourMark(m, 2 + (m - self.first) // self.slot, (nxt - m) // self.slot)
            for m, nxt in zip(marks, [*marks[1:], end], strict=True)
        ]

    @property
    def entries(self) -> int:
        return sum(len(c.entries) for c in self.columns)


def time_grid(
    columns: list[Column], grouped: dict[str, list[GridEntry]], span: Window, slot: int
) -> TimeGrid:
    """Lay entries out: each column split into as many lanes as it has overlapping entries."""
    first = span.start // slot * slot
    last = -(-span.end // slot) * slot
    line = 2  # line 1 is the left edge of the time labels' column
    for column in columns:
        ends: list[int] = []  # the end of the last entry in each lane
        for e in sorted(grouped.get(column.key, []), key=lambda e: (e.start, e.end, e.id)):
            lane = next((i for i, end in enumerate(ends) if end <= e.start), len(ends))
            if lane == len(ends):
                ends.append(e.end)
            ends[lane] = e.end
            row = 2 + (e.start - first) // slot
            rows = max(1, -(-(e.end - first) // slot) - (e.start - first) // slot)
            column.entries.append(Placed(e, line + lane, row, rows))
        column.line, column.lanes = line, max(1, len(ends))
        line += column.lanes
    return TimeGrid(slot, first, (last - first) // slot, columns)


def covering(windows: list[Window], entries: list[GridEntry]) -> Window:
    """The stretch of day a grid shows: opening or working hours and every appointment."""
    starts = [w.start for w in windows] + [e.start for e in entries]
    ends = [w.end for w in windows] + [e.end for e in entries]
    if not starts:
        return DEFAULT_HOURS
    return Window(min(starts), max(ends))


# --- a centre's week --------------------------------------------------------------------------


@dataclass(frozen=True)
class CentreDay:
    day: date
    grid: TimeGrid


@dataclass(frozen=True)
class CentreWeek:
    """A centre's week: per day its rooms against time, and a column for visits and screens."""

    week: GridWeek
    key: str
    name: str
    days: list[CentreDay]

    @property
    def referrals(self) -> list[str]:
        return [r for day in self.days for r in day.grid.referrals]


def centre_week(plan_id: int, centre_key: str, *, session: Session) -> CentreWeek:
    """A centre's rooms by day and time; NotFound if there is no such plan or centre."""
    week = grid_week(plan_id, session=session)
    if centre_key not in week.names.centres:
        raise NotFound("centre", centre_key)
    opening = windows_of(session, CentreOpening, "centre_id", Centre, week.scenario, centre_key)
    rooms = [(k, n) for k, (n, c) in week.names.rooms.items() if c == centre_key]
    by_day: dict[date, list[GridEntry]] = defaultdict(list)
    for a in week.appointments:
        if a.centre == centre_key:
            by_day[a.day].append(entry_of(week.names, a, week.locked, "full"))
    days = []
    for day in week.days:
        today = by_day.get(day.date, [])
        columns = [Column(key, name) for key, name in rooms]
        if any(e.room_key is None for e in today):
            columns.append(Column(NO_ROOM, ""))
        grouped: dict[str, list[GridEntry]] = defaultdict(list)
        for e in today:
            grouped[e.room_key or NO_ROOM].append(e)
        span = covering(opening.get(day.weekday, []), today)
        grid = time_grid(columns, grouped, span, week.scenario.slot_minutes)
        days.append(CentreDay(day.date, grid))
    return CentreWeek(week, centre_key, week.names.centres[centre_key], days)


def windows_of(
    session: Session,
    table: type[CentreOpening] | type[TherapistHours],
    owner_column: str,
    owner: type[Centre] | type[Therapist],
    scenario: Scenario,
    key: str,
) -> dict[str, list[Window]]:
    """A centre's opening hours or a therapist's working hours, by weekday."""
    query = (
        select(table.day, table.start, table.end)
        .join(owner, col(owner.id) == getattr(table, owner_column))
        .where(owner.scenario_id == scenario.id, owner.key == key)
    )
    found: dict[str, list[Window]] = defaultdict(list)
    for day, start, end in session.exec(query).all():
        found[day].append(Window(start, end))
    return found


# --- a therapist's week -----------------------------------------------------------------------


@dataclass(frozen=True)
class TherapistWeek:
    """A therapist's week: the days against time."""

    week: GridWeek
    key: str
    name: str
    grid: TimeGrid
    minutes: int  # booked minutes, travel included

    @property
    def referrals(self) -> list[str]:
        return self.grid.referrals


def therapist_week(
    plan_id: int, therapist_key: str, *, session: Session, naming: Naming = "full"
) -> TherapistWeek:
    """A therapist's days and times; NotFound if there is no such plan or therapist."""
    week = grid_week(plan_id, session=session)
    if therapist_key not in week.names.therapists:
        raise NotFound("therapist", therapist_key)
    mine = [a for a in week.appointments if a.therapist == therapist_key]
    entries = [entry_of(week.names, a, week.locked, naming) for a in mine]
    columns = [Column(d.date.isoformat(), "", d.date) for d in week.days]
    grouped: dict[str, list[GridEntry]] = defaultdict(list)
    for e in entries:
        grouped[e.day.isoformat()].append(e)
    hours = windows_of(session, TherapistHours, "therapist_id", Therapist, week.scenario,
                       therapist_key)  # fmt: skip
    span = covering([w for d in week.days for w in hours.get(d.weekday, [])], entries)
    minutes = sum(a.end - a.start + a.travel_before + a.travel_after for a in mine)
    grid = time_grid(columns, grouped, span, week.scenario.slot_minutes)
    return TherapistWeek(week, therapist_key, week.names.therapists[therapist_key], grid, minutes)


def own_week(therapist_key: str | None, *, session: Session) -> TherapistWeek | None:
    """A therapist's own week: the published plan of the newest week that has one (None if
    there is none, or the week has no such therapist); citizens by first name and initial."""
    if therapist_key is None:
        return None
    query = select(Plan).where(Plan.status == "published")
    plan = session.exec(query.order_by(col(Plan.week).desc(), col(Plan.id).desc())).first()
    if plan is None or plan.id is None:
        return None
    try:
        return therapist_week(plan.id, therapist_key, session=session, naming="short")
    except NotFound:  # the therapist is not in that week's data
        return None


# --- a team class's week ----------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    referral: str
    citizen: str


@dataclass(frozen=True)
class GridMeeting:
    """A meeting of the class that is held, with who leads it, where, and who sits in."""

    entry: GridEntry
    participants: list[Participant]
    seats: int  # the class's and the room's capacity, whichever is smaller


@dataclass(frozen=True)
class Member:
    """A referral to the class: how many of its sessions the plan placed."""

    referral: str
    citizen: str
    mode: str
    requested: int
    placed: int


@dataclass(frozen=True)
class ClassWeek:
    week: PlanWeek
    key: str
    name: str
    centre: str  # the centre's name
    minutes: int
    capacity: int
    meetings: list[GridMeeting]
    members: list[Member]

    @property
    def referrals(self) -> list[str]:
        """The referrals whose citizens the page names: seats in meetings and the members."""
        seated = [p.referral for m in self.meetings for p in m.participants]
        return seated + [m.referral for m in self.members]


def class_week(plan_id: int, class_key: str, *, session: Session) -> ClassWeek:
    """A team class's meetings with their participants; NotFound if there is none such."""
    week = plan_week(plan_id, session=session)
    problem = week.problem
    if class_key not in {c.id for c in problem.classes}:
        raise NotFound("class", class_key)
    team = problem.team_class(class_key)
    names = names_of(problem)
    meetings = [
        GridMeeting(
            entry_of(names, a, week.locked, "full"),
            [Participant(r, citizen_of(problem, r)) for r in a.participants],
            min(team.capacity, problem.room(a.room).capacity if a.room else team.capacity),
        )
        for a in sorted(week.solution.appointments, key=lambda a: (a.day, a.start))
        if a.kind == "team" and a.team_class == class_key
    ]
    placed = placed_by_referral(week.solution.appointments)
    members = [
        Member(
            r.id, citizen_of(problem, r.id), r.mode, requested_sessions(problem, r), placed[r.id]
        )
        for r in problem.referrals
        if r.team_class == class_key
    ]
    centre = problem.centre(team.centre).name
    return ClassWeek(
        week, team.id, team.name, centre, team.minutes, team.capacity, meetings, members
    )


def citizen_of(problem: Problem, referral: str) -> str:
    return problem.citizen(problem.referral(referral).citizen).name


# --- the list of grids ------------------------------------------------------------------------


@dataclass(frozen=True)
class GridLink:
    """A centre, therapist or class the plan can be shown for, with how much it holds."""

    key: str
    name: str
    appointments: int


@dataclass(frozen=True)
class GridIndex:
    week: GridWeek
    centres: list[GridLink]
    therapists: list[GridLink]
    classes: list[GridLink]


def grid_index(plan_id: int, *, session: Session) -> GridIndex:
    """Every centre, therapist and class of the plan's week; NotFound if there is no plan."""
    week = grid_week(plan_id, session=session)
    names = week.names
    centres: dict[str, int] = defaultdict(int)
    therapists: dict[str, int] = defaultdict(int)
    classes: dict[str, int] = defaultdict(int)
    for a in week.appointments:
        centres[a.centre] += 1
        therapists[a.therapist] += 1
        if a.team_class:
            classes[a.team_class] += 1
    return GridIndex(
        week,
        [GridLink(k, n, centres[k]) for k, n in names.centres.items()],
        [
            GridLink(k, n, therapists[k])
            for k, n in sorted(names.therapists.items(), key=lambda item: item[1])
        ],
        [GridLink(k, n, classes[k]) for k, n in names.classes.items()],
    )
