"""The week at a glance for a coordinator: sessions per centre, what is missing and why,
SUL §140 starts at risk, and how loaded each therapist is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from planner.plan.stored import placed_by_referral
from solver.problem import Appointment, Message, Problem, Solution, requested_sessions

NO_CENTRE = ""  # referrals that may go to any centre


@dataclass(frozen=True)
class CentreFigures:
    key: str  # NO_CENTRE for referrals without a fixed centre
    name: str
    requested: int
    placed: int

    @property
    def missing(self) -> int:
        return max(0, self.requested - self.placed)


@dataclass(frozen=True)
class MissingSessions:
    """A referral's sessions the plan could not place, and why."""

    referral: str
    citizen: str
    package: str
    centre: str
    sessions: int
    reasons: tuple[Message, ...]


@dataclass(frozen=True)
class StartAtRisk:
    """A SUL §140 start that misses, or may miss, its 7 days."""

    referral: str
    citizen: str
    message: Message


@dataclass(frozen=True)
class TherapistLoad:
    key: str
    name: str
    booked: int  # minutes, travel included
    available: int  # minutes of working time this week

    @property
    def share(self) -> int:
        """Booked time as a whole percentage of working time."""
        return round(100 * self.booked / self.available) if self.available else 0


@dataclass(frozen=True)
class Overview:
    centres: list[CentreFigures]
    missing: list[MissingSessions]
    starts_at_risk: list[StartAtRisk]
    load: list[TherapistLoad]

    @property
    def referrals(self) -> list[str]:
        """The referrals whose citizens the overview names (missing sessions, risky starts)."""
        return [m.referral for m in self.missing] + [s.referral for s in self.starts_at_risk]

    @property
    def requested(self) -> int:
        return sum(c.requested for c in self.centres)

    @property
    def placed(self) -> int:
        return sum(c.placed for c in self.centres)


def week_overview(
    problem: Problem, solution: Solution | None, centre: str | None = None
) -> Overview:
    """The overview of a plan of the week (nothing placed when there is no plan yet), of every
    centre or of one: its referrals, its missing sessions and SUL §140 risks, its therapists."""
    appointments = solution.appointments if solution else ()
    overview = Overview(
        centres=centre_figures(problem, appointments),
        missing=missing_sessions(problem, solution),
        starts_at_risk=starts_at_risk(problem, solution),
        load=therapist_load(problem, appointments),
    )
    return overview if centre is None else of_centre(problem, overview, centre)


def of_centre(problem: Problem, overview: Overview, centre: str) -> Overview:
    """The part of the overview that concerns one centre."""
    tied = {r.id for r in problem.referrals if r.centre == centre}
    works_there = {t.id for t in problem.therapists if centre in t.centres}
    return Overview(
        centres=[c for c in overview.centres if c.key == centre],
        missing=[m for m in overview.missing if m.referral in tied],
        starts_at_risk=[s for s in overview.starts_at_risk if s.referral in tied],
        load=[t for t in overview.load if t.key in works_there],
    )


def centre_figures(problem: Problem, appointments: tuple[Appointment, ...]) -> list[CentreFigures]:
    """Requested and placed sessions per centre a referral is tied to (or none)."""
    placed = placed_by_referral(appointments)
    requested: Counter[str] = Counter()
    got: Counter[str] = Counter()
    for r in problem.referrals:
        key = r.centre or NO_CENTRE
        requested[key] += requested_sessions(problem, r)
        got[key] += placed[r.id]
    rows = [CentreFigures(c.id, c.name, requested[c.id], got[c.id]) for c in problem.centres]
    if requested[NO_CENTRE]:
        rows.append(CentreFigures(NO_CENTRE, "", requested[NO_CENTRE], got[NO_CENTRE]))
    return rows


def missing_sessions(problem: Problem, solution: Solution | None) -> list[MissingSessions]:
    """What the plan left unplaced, with its reasons (everything, before any plan)."""
    if solution is None:
        return []
    centres = {c.id: c.name for c in problem.centres}
    rows = []
    for u in solution.unplaced:
        r = problem.referral(u.referral)
        citizen = problem.citizen(r.citizen).name
        centre = centres.get(r.centre or "", "")
        rows.append(MissingSessions(r.id, citizen, r.package, centre, u.sessions, u.reasons))
    return sorted(rows, key=lambda m: (m.centre, -m.sessions, m.referral))


def starts_at_risk(problem: Problem, solution: Solution | None) -> list[StartAtRisk]:
    """SUL §140 starts the plan books after their 7 days or not at all."""
    if solution is None:
        return []
    return [
        StartAtRisk(
            w.referral, problem.citizen(problem.referral(w.referral).citizen).name, w.message
        )
        for w in solution.warnings
        if w.code == "start-deadline"
    ]


def therapist_load(problem: Problem, appointments: tuple[Appointment, ...]) -> list[TherapistLoad]:
    """Each therapist's booked minutes (travel included) against the week's working time."""
    booked: Counter[str] = Counter()
    for a in appointments:
        booked[a.therapist] += a.end - a.start + a.travel_before + a.travel_after
    return [
        TherapistLoad(t.id, t.name, booked[t.id], working_minutes(problem, t.id))
        for t in sorted(problem.therapists, key=lambda t: t.name)
    ]


def working_minutes(problem: Problem, therapist: str) -> int:
    """Minutes the therapist works on the week's plannable days, within `max_minutes`."""
    t = problem.therapist(therapist)
    total = sum(
        w.end - w.start
        for day in problem.days
        if day.date not in t.absent
        for w in t.hours.get(day.weekday, ())
    )
    return total if t.max_minutes is None else min(total, t.max_minutes)
