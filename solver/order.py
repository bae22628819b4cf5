"""The waiting list's order: a course starts this week only if no earlier one could have its place.

Courses that start this week (nothing delivered yet) come in the referrals' order, which is the
waiting list's (SUL §140 deadline first, then the visitator's priority, then the date granted).
Planning starts as many as capacity allows, in that order: a later course never holds a place an
earlier waiting course could have taken instead.

"Could have taken" is checked as an exchange a coordinator would make by hand: every session of
the later course, given to the earlier one at the same day, time, therapist and centre (the
earlier course's session no longer than the later one's, its citizen free that day), leaves no
fewer sessions placed and no fewer SUL §140 starts (in time) than before. Such an exchange breaks
no rule: the therapist, the room and the centre keep the same stretch or less, and the earlier
course's own limits (availability, earliest day, skills) are in its options. Exchanges are made
for centre and online sessions; a home visit changes the therapist's driving, a seat the class,
so a course with either is left as it is.

`honour_queue` makes every such exchange, earliest course first, until none is left; a plan from
any search then keeps the order. `queue_breaches` lists the exchanges still open in a finished
plan (the simulation's check that needs no solver run).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from solver.options import Option, Options, start_target
from solver.problem import Appointment, Problem, Referral, awaits_start
from solver.tentative import Booking, HeldMeeting, Tentative

#: Session kinds an exchange may move between courses (no driving, no class).
EXCHANGEABLE = frozenset({"individual", "online"})


@dataclass(frozen=True)
class Exchange:
    """The earlier course takes every session of the later one."""

    earlier: str
    later: str
    bookings: tuple[tuple[Booking, Booking], ...]  # (the later course's, the earlier's instead)


def starting(problem: Problem) -> list[Referral]:
    """The courses that start this week (nothing delivered), in the waiting list's order."""
    return [r for r in problem.referrals if r.delivered == 0]


def honour_queue(problem: Problem, options: Options, draft: Tentative) -> Tentative:
    """The plan with every open exchange made, earliest waiting course first."""
    pinned = {(b.option, b.start) for b in pinned_bookings(problem, options)}
    while True:
        found = queue_breaches(problem, options, draft, pinned, first_only=True)
        if not found:
            return draft
        draft = exchanged(draft, found[0])


def queue_breaches(
    problem: Problem,
    options: Options,
    draft: Tentative,
    pinned: set[tuple[Option, int]] | None = None,
    first_only: bool = False,
) -> list[Exchange]:
    """Exchanges that would start an earlier waiting course in place of a later one."""
    queue = starting(problem)
    own: dict[str, list[Booking]] = defaultdict(list)
    for b in draft.bookings:
        own[b.option.referral].append(b)
    seated = {r for m in draft.meetings for r in m.participants}
    citizen_days = days_of_citizens(problem, options, draft)
    by_slot = options_by_slot(options)
    found = []
    for i, earlier in enumerate(queue):
        if earlier.id in own or earlier.id in seated or earlier.mode not in ("centre", "online"):
            continue
        for later in reversed(queue[i + 1 :]):
            if later.id in seated:
                continue
            exchange = exchange_for(
                problem, options, earlier, later, own.get(later.id, []), citizen_days, by_slot
            )
            if exchange is None:
                continue
            if pinned and any((b.option, b.start) in pinned for b, _ in exchange.bookings):
                continue
            found.append(exchange)
            if first_only:
                return found
            break
    return found


def exchange_for(
    problem: Problem,
    options: Options,
    earlier: Referral,
    later: Referral,
    sessions: list[Booking],
    citizen_days: dict[str, set[int]],
    by_slot: dict[tuple[str, int, str, str, str], Option],
) -> Exchange | None:
    """The exchange of all the later course's sessions, or None when one cannot be made or it
    would place fewer sessions or SUL §140 starts."""
    if not sessions or len(sessions) > options.requested.get(earlier.id, 0):
        return None
    if any(b.option.kind not in EXCHANGEABLE for b in sessions):
        return None
    busy = citizen_days.get(earlier.citizen, set())
    if earlier.citizen == later.citizen:
        busy = busy - {b.option.day for b in sessions}
    pairs = []
    for b in sessions:
        slot = (earlier.id, b.option.day, b.option.therapist, b.option.centre, b.option.kind)
        o = by_slot.get(slot)
        if o is None or b.start not in o.starts or o.minutes > b.option.minutes:
            return None
        if b.option.day in busy or o.travel_before or o.travel_after:
            return None
        pairs.append((b, Booking(o, b.start, b.room)))
    days = [b.option.day for b in sessions]
    if sul_score(problem, options, later, days) > sul_score(problem, options, earlier, days):
        return None
    return Exchange(earlier.id, later.id, tuple(pairs))


def sul_score(problem: Problem, options: Options, referral: Referral, days: list[int]) -> int:
    """What a start on these days adds to the SUL §140 goals: started, and started in time."""
    if not awaits_start(referral):
        return 0
    possible = {o.day for o in options.individual if o.referral == referral.id}
    target = start_target(problem, referral, possible or days)
    return 1 + int(any(problem.days[d].date <= target for d in days))


def exchanged(draft: Tentative, exchange: Exchange) -> Tentative:
    """The plan with the exchange made."""
    swap = {id(old): new for old, new in exchange.bookings}
    bookings = [swap.get(id(b), b) for b in draft.bookings]
    meetings = [
        HeldMeeting(m.meeting, m.instructor, m.room, list(m.participants)) for m in draft.meetings
    ]
    return Tentative(bookings, meetings)


def days_of_citizens(problem: Problem, options: Options, draft: Tentative) -> dict[str, set[int]]:
    """The days each citizen has a session or a seat in the plan."""
    found: dict[str, set[int]] = defaultdict(set)
    for b in draft.bookings:
        found[problem.referral(b.option.referral).citizen].add(b.option.day)
    for m in draft.meetings:
        day = options.meetings[m.meeting].day
        for r in m.participants:
            found[problem.referral(r).citizen].add(day)
    return found


def options_by_slot(options: Options) -> dict[tuple[str, int, str, str, str], Option]:
    return {(o.referral, o.day, o.therapist, o.centre, o.kind): o for o in options.individual}


def pinned_bookings(problem: Problem, options: Options) -> list[Booking]:
    """The pinned appointments' bookings (they never move)."""
    return plan_draft(problem, options, problem.pinned).bookings


def plan_draft(
    problem: Problem, options: Options, appointments: tuple[Appointment, ...] | list[Appointment]
) -> Tentative:
    """A finished plan's appointments in the solver's own terms (those that fit an option)."""
    dates = {d.date: i for i, d in enumerate(problem.days)}
    by_slot = options_by_slot(options)
    meetings = {(m.team_class, m.day, m.start): j for j, m in enumerate(options.meetings)}
    draft = Tentative()
    for a in appointments:
        day = dates.get(a.day)
        if day is None:
            continue
        if a.kind == "team":
            j = meetings.get((a.team_class or "", day, a.start))
            if j is not None:
                held = HeldMeeting(j, a.therapist, a.room or "", list(a.participants))
                draft.meetings.append(held)
            continue
        o = by_slot.get((a.referral or "", day, a.therapist, a.centre, a.kind))
        if o is not None and a.start in o.starts:
            draft.bookings.append(Booking(o, a.start, a.room))
    return draft
