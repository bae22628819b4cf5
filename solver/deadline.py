"""SUL §140: a start placed after its 7 days while a place in time was free is moved there.

The optimiser weighs starts in time below placed sessions and may stop before it has found every
one; first fit books a start on the first day its therapist and room are free when its turn
comes. Either way a plan can end with a start after the deadline although, in the finished plan,
an earlier place is free: the therapist idle, a room free, the citizen with nothing else that
day. `open_in_time` finds such a place (the check that needs no solver run: none found means
capacity did not allow the start in time), `start_in_time` moves each late start there.
"""

from __future__ import annotations

from solver.firstfit import Diary, free_room, seed_diary
from solver.options import Options, start_target
from solver.order import pinned_bookings
from solver.problem import Problem, Referral, awaits_start
from solver.tentative import Booking, Tentative


def late_starts(problem: Problem, options: Options, draft: Tentative) -> list[Referral]:
    """SUL §140 starts whose first session of the week comes after their 7 days (or as soon as
    they can be at all, when that is later)."""
    first = first_days(options, draft)
    found = []
    for r in problem.referrals:
        if not awaits_start(r) or r.id not in first:
            continue
        possible = {o.day for o in options.individual if o.referral == r.id}
        target = start_target(problem, r, possible or {first[r.id]})
        if problem.days[first[r.id]].date > target:
            found.append(r)
    return found


def open_in_time(
    problem: Problem, options: Options, draft: Tentative, referral: Referral
) -> Booking | None:
    """A free place in time for the referral's first session, in the plan without that session;
    None when there is none (or the first session is a seat, which cannot come first)."""
    first = first_booking(draft, referral.id)
    if first is None or first.option.day > first_days(options, draft)[referral.id]:
        return None
    if referral.mode == "team" and not referral.intro:
        return None  # its individual session is the re-test, which comes last
    rest = Tentative([b for b in draft.bookings if b is not first], draft.meetings)
    diary = Diary(problem, options)
    seed_diary(diary, rest)
    possible = {o.day for o in options.individual if o.referral == referral.id}
    target = start_target(problem, referral, possible)
    for option in options.individual:
        if option.referral != referral.id or problem.days[option.day].date > target:
            continue
        if option.day >= first.option.day or not diary.citizen_free(referral, option.day):
            continue
        for start in option.starts:
            begin, end = start - option.travel_before, start + option.minutes + option.travel_after
            if not diary.therapist_free(option.therapist, option.day, option.centre, begin, end):
                continue
            room = free_room(diary, option, start) if option.kind == "individual" else None
            if option.kind != "individual" or room is not None:
                return Booking(option, start, room)
    return None


def start_in_time(problem: Problem, options: Options, draft: Tentative) -> Tentative:
    """The plan with every late SUL §140 start moved to a free place in time, where one is
    (a pinned session stays)."""
    pinned = {(b.option, b.start) for b in pinned_bookings(problem, options)}
    for referral in late_starts(problem, options, draft):
        first = first_booking(draft, referral.id)
        if first is None or (first.option, first.start) in pinned:
            continue
        place = open_in_time(problem, options, draft, referral)
        if place is not None:
            bookings = [place if b is first else b for b in draft.bookings]
            draft = Tentative(bookings, draft.meetings)
    return draft


def first_days(options: Options, draft: Tentative) -> dict[str, int]:
    """Each referral's first day in the plan, sessions and seats alike."""
    days: dict[str, int] = {}
    for b in draft.bookings:
        r = b.option.referral
        days[r] = min(days.get(r, 99), b.option.day)
    for m in draft.meetings:
        day = options.meetings[m.meeting].day
        for r in m.participants:
            days[r] = min(days.get(r, 99), day)
    return days


def first_booking(draft: Tentative, referral: str) -> Booking | None:
    mine = [b for b in draft.bookings if b.option.referral == referral]
    return min(mine, key=lambda b: (b.option.day, b.start)) if mine else None
