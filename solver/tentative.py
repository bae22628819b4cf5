"""A tentative plan in the solver's own terms: chosen options, before it becomes plan/1
appointments.

Named `Tentative` (not "draft": that is a stored plan version's status, and the generator's week
in the making). The first-fit heuristic writes one, the CP-SAT model reads one as its hint and
writes one as its answer, and `to_appointments` turns either into the appointments of a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from solver.options import MeetingOption, Option, Options
from solver.problem import Appointment, Problem


@dataclass(frozen=True)
class Booking:
    """An individual, home or online session: an option at one of its start times, in a room."""

    option: Option
    start: int
    room: str | None

    @property
    def end(self) -> int:
        return self.start + self.option.minutes


@dataclass
class HeldMeeting:
    """A class meeting that takes place: who leads it, where, and who sits in."""

    meeting: int  # index into Options.meetings
    instructor: str
    room: str
    participants: list[str] = field(default_factory=list)


@dataclass
class Tentative:
    """Bookings and held class meetings: what a plan under way has chosen so far."""

    bookings: list[Booking] = field(default_factory=list)
    meetings: list[HeldMeeting] = field(default_factory=list)

    def placed(self) -> int:
        """Sessions placed: one per booking and one per seat."""
        return len(self.bookings) + sum(len(m.participants) for m in self.meetings)

    def placed_by_referral(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for b in self.bookings:
            counts[b.option.referral] = counts.get(b.option.referral, 0) + 1
        for m in self.meetings:
            for r in m.participants:
                counts[r] = counts.get(r, 0) + 1
        return counts


def session_days(draft: Tentative, options: Options) -> dict[str, list[int]]:
    """The days (indices) on which each referral has a session."""
    days: dict[str, list[int]] = {}
    for b in draft.bookings:
        days.setdefault(b.option.referral, []).append(b.option.day)
    for m in draft.meetings:
        for r in m.participants:
            days.setdefault(r, []).append(options.meetings[m.meeting].day)
    return days


def to_appointments(
    problem: Problem, options: Options, draft: Tentative, ids: dict[tuple, str]
) -> list[Appointment]:
    """The draft as plan appointments in time order, reusing ids of pinned and kept appointments."""
    appointments = [booking_appointment(problem, b) for b in draft.bookings]
    appointments += [
        meeting_appointment(problem, options.meetings[m.meeting], m) for m in draft.meetings
    ]
    appointments.sort(key=lambda a: (a.day, a.start, a.therapist, a.referral or a.team_class or ""))
    taken = set(ids.values())
    counter = 0
    named = []
    for a in appointments:
        known = ids.get(appointment_key(a))
        if known is None:
            counter += 1
            while f"a{counter:04d}" in taken:
                counter += 1
            known = f"a{counter:04d}"
        named.append(replace(a, id=known))
    return named


def appointment_key(a: Appointment) -> tuple:
    """What makes two appointments the same one: who, what, when (not the room)."""
    return (a.kind, a.referral or a.team_class, a.therapist, a.day, a.start, a.end)


def booking_appointment(problem: Problem, b: Booking) -> Appointment:
    o = b.option
    return Appointment(
        id="",
        kind=o.kind,
        therapist=o.therapist,
        centre=o.centre,
        day=problem.days[o.day].date,
        start=b.start,
        end=b.end,
        referral=o.referral,
        room=b.room,
        travel_before=o.travel_before,
        travel_after=o.travel_after,
    )


def meeting_appointment(problem: Problem, meeting: MeetingOption, held: HeldMeeting) -> Appointment:
    return Appointment(
        id="",
        kind="team",
        therapist=held.instructor,
        centre=problem.team_class(meeting.team_class).centre,
        day=problem.days[meeting.day].date,
        start=meeting.start,
        end=meeting.end,
        team_class=meeting.team_class,
        participants=tuple(sorted(held.participants)),
        room=held.room,
    )
