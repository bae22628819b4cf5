"""The difference a draft makes against the week's published plan: per citizen and per therapist
what is new, moved, given another therapist or cancelled, with counts.

A citizen's session is the same when its time and place are; given another therapist when only
the therapist differs; moved when the referral has a session on both sides that is not the same;
new or cancelled when it is on one side only. An appointment changed is one of either plan that
has no identical twin (same kind, time, therapist, room and people) in the other; a moved
appointment counts once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from planner.db.models import Plan
from planner.db.store import get, load_problem, load_solution
from solver.problem import Appointment, Problem, Solution


@dataclass(frozen=True)
class Seat:
    """One session of one referral as a plan has it."""

    referral: str
    citizen: str
    appointment: str
    kind: str
    day: date
    start: int
    end: int
    therapist: str
    centre: str

    @property
    def place(self) -> tuple[object, ...]:
        """What the citizen notices: when, where and what kind."""
        return (self.day, self.start, self.end, self.kind, self.centre)


@dataclass
class CitizenChanges:
    """What changes for one citizen; `moved` and `therapist_changed` hold (before, after)."""

    citizen: str
    name: str
    new: list[Seat] = field(default_factory=list)
    moved: list[tuple[Seat, Seat]] = field(default_factory=list)
    therapist_changed: list[tuple[Seat, Seat]] = field(default_factory=list)
    cancelled: list[Seat] = field(default_factory=list)

    @property
    def affected(self) -> bool:
        return bool(self.new or self.moved or self.therapist_changed or self.cancelled)

    def to_json(self) -> dict[str, Any]:
        return {
            "citizen": self.citizen,
            "new": len(self.new),
            "moved": len(self.moved),
            "therapist_changed": len(self.therapist_changed),
            "cancelled": len(self.cancelled),
        }


@dataclass
class TherapistChanges:
    """What changes in one therapist's week: sessions gained, moved and lost."""

    therapist: str
    name: str
    new: int = 0
    moved: int = 0
    cancelled: int = 0


@dataclass(frozen=True)
class PlanDiff:
    """A draft against the published plan of its week."""

    citizens: tuple[CitizenChanges, ...]  # only citizens with a change, by name
    therapists: tuple[TherapistChanges, ...]  # only therapists with a change, by name
    appointments_changed: int

    @property
    def citizens_affected(self) -> int:
        return len(self.citizens)

    def count(self, what: str) -> int:
        """Sessions new, moved, therapist_changed or cancelled, over every citizen."""
        return sum(len(getattr(c, what)) for c in self.citizens)

    def to_json(self) -> dict[str, Any]:
        """The API's form (exchange-format.md)."""
        return {
            "citizens_affected": self.citizens_affected,
            "appointments_changed": self.appointments_changed,
            "citizens": [c.to_json() for c in self.citizens],
        }


def seats(problem: Problem, solution: Solution) -> list[Seat]:
    """Every session of every referral in the plan (seats in team meetings too)."""
    out = []
    for a in solution.appointments:
        for r in a.participants if a.kind == "team" else (a.referral,):
            if r:
                citizen = problem.referral(r).citizen
                out.append(Seat(r, citizen, a.id, a.kind, a.day, a.start, a.end, a.therapist,
                                a.centre))  # fmt: skip
    return sorted(out, key=lambda s: (s.day, s.start, s.referral))


def identity(a: Appointment) -> tuple[object, ...]:
    """An appointment's content without its id."""
    return (a.kind, a.referral, a.team_class, a.participants, a.therapist, a.centre, a.room,
            a.day, a.start, a.end, a.travel_before, a.travel_after)  # fmt: skip


def appointments_changed(before: Solution, after: Solution) -> int:
    """Appointments without an identical twin on the other side; a move counts once."""
    old = Counter(identity(a) for a in before.appointments)
    new = Counter(identity(a) for a in after.appointments)
    return max(sum((old - new).values()), sum((new - old).values()))


def citizen_changes(
    citizen: str, name: str, before: list[Seat], after: list[Seat]
) -> CitizenChanges:
    """One citizen's sessions compared: same, another therapist, moved, new, cancelled."""
    out = CitizenChanges(citizen, name)
    gone, fresh = list(before), []
    for s in after:
        same = next((b for b in gone if b.referral == s.referral and b.place == s.place), None)
        if same is None:
            fresh.append(s)
            continue
        gone.remove(same)
        if same.therapist != s.therapist:
            out.therapist_changed.append((same, s))
    for s in fresh:
        old = next((b for b in gone if b.referral == s.referral), None)
        if old is None:
            out.new.append(s)
        else:
            gone.remove(old)
            out.moved.append((old, s))
    out.cancelled = gone
    return out


def therapist_changes(before: list[Seat], after: list[Seat]) -> dict[str, TherapistChanges]:
    """Per therapist: sessions gained, moved (same referral, other time) and lost."""
    mine_before, mine_after = defaultdict(list), defaultdict(list)
    for s in before:
        mine_before[s.therapist].append(s)
    for s in after:
        mine_after[s.therapist].append(s)
    out: dict[str, TherapistChanges] = {}
    for t in sorted(set(mine_before) | set(mine_after)):
        gone = list(mine_before[t])
        fresh = [s for s in mine_after[t] if not take(gone, lambda b, s=s: b.referral == s.referral
                                                      and b.place == s.place)]  # fmt: skip
        change = TherapistChanges(t, t)
        for s in fresh:
            if take(gone, lambda b, s=s: b.referral == s.referral):
                change.moved += 1
            else:
                change.new += 1
        change.cancelled = len(gone)
        if change.new or change.moved or change.cancelled:
            out[t] = change
    return out


def take(items: list[Seat], match: Any) -> bool:
    """Remove the first item that matches; whether there was one."""
    for i, item in enumerate(items):
        if match(item):
            del items[i]
            return True
    return False


def diff(
    before_problem: Problem, before: Solution, after_problem: Problem, after: Solution
) -> PlanDiff:
    """What the plan `after` changes against `before` (each read with its own week)."""
    old, new = seats(before_problem, before), seats(after_problem, after)
    names = {c.id: c.name for c in (*before_problem.citizens, *after_problem.citizens)}
    by_old, by_new = defaultdict(list), defaultdict(list)
    for s in old:
        by_old[s.citizen].append(s)
    for s in new:
        by_new[s.citizen].append(s)
    citizens = [
        citizen_changes(c, names.get(c, c), by_old[c], by_new[c])
        for c in sorted(set(by_old) | set(by_new))
    ]
    therapists = therapist_changes(old, new)
    therapist_names = {
        t.id: t.name for t in (*before_problem.therapists, *after_problem.therapists)
    }
    for t in therapists.values():
        t.name = therapist_names.get(t.therapist, t.therapist)
    return PlanDiff(
        citizens=tuple(
            sorted((c for c in citizens if c.affected), key=lambda c: (c.name, c.citizen))
        ),
        therapists=tuple(sorted(therapists.values(), key=lambda t: (t.name, t.therapist))),
        appointments_changed=appointments_changed(before, after),
    )


# --- stored plans -------------------------------------------------------------------------------


def published_of_week(week: str, *, session: Session) -> Plan | None:
    """The week's published plan, if any."""
    return session.exec(select(Plan).where(Plan.week == week, Plan.status == "published")).first()


def plan_diff(plan_id: int, *, session: Session) -> PlanDiff:
    """A stored plan against its week's published plan (against nothing when there is none);
    LookupError if there is no such plan."""
    plan = get(session, Plan, plan_id)
    assert plan.id is not None
    problem = load_problem(plan.scenario_id, session=session)
    solution = load_solution(plan.id, session=session)
    published = published_of_week(plan.week, session=session)
    if published is None or published.id is None:
        return diff(problem, Solution("unknown", ()), problem, solution)
    before_problem = (
        problem
        if published.scenario_id == plan.scenario_id
        else load_problem(published.scenario_id, session=session)
    )
    return diff(before_problem, load_solution(published.id, session=session), problem, solution)
