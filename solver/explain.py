"""Why sessions are missing, in words a coordinator can act on, and what could be placed at best.

The per-referral bound ignores competition between referrals: it is what each referral could get
if it had every therapist, room and class to itself. It is a proven upper bound on the placed
sessions of any plan, and the reasons below are read off the same filtering.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from itertools import product
from typing import Any

from solver.draft import Draft, session_days
from solver.options import (
    Options,
    citizen_windows,
    class_members,
    day_allowed,
    days_by_referral,
    session_centres,
)
from solver.problem import (
    Message,
    PlanWarning,
    Problem,
    Referral,
    Unplaced,
    awaits_start,
    clock,
)

# --- the bound -----------------------------------------------------------------------------------


def referral_bounds(problem: Problem, options: Options) -> dict[str, int]:
    """The most sessions each referral could get alone, by days that have an option or a seat."""
    own_days, seat_days = days_by_referral(options)
    return {
        r.id: best_week(problem, r, own_days[r.id], seat_days[r.id], options.requested[r.id])
        for r in problem.referrals
    }


def best_week(
    problem: Problem, referral: Referral, own: set[int], seats: set[int], cap: int
) -> int:
    """Try every way of using each day (nothing, own session, seat) and keep the best legal one."""
    per_week = None
    if referral.team_class and not problem.team_class(referral.team_class).fixed:
        per_week = problem.team_class(referral.team_class).meetings_per_week
    days = sorted(own | seats)
    best = 0
    for choice in product((0, 1, 2), repeat=len(days)):
        own_used = [d for d, c in zip(days, choice, strict=True) if c == 1]
        seat_used = [d for d, c in zip(days, choice, strict=True) if c == 2]
        if not (set(own_used) <= own and set(seat_used) <= seats):
            continue
        if per_week is not None and len(seat_used) > per_week:
            continue
        if referral.mode == "team" and not intro_final_ok(referral, own_used, seat_used):
            continue
        best = max(best, min(cap, len(own_used) + len(seat_used)))
    return best


def intro_final_ok(referral: Referral, own: list[int], seats: list[int]) -> bool:
    """The team-intro-final rule for one referral's days."""
    if len(own) > int(referral.intro) + int(referral.final):
        return False
    if referral.intro and any(not any(o < s for o in own) for s in seats):
        return False
    return not (referral.final and any(not any(o > s for o in own) for s in seats))


def citizen_bound(problem: Problem, options: Options, bounds: dict[str, int]) -> int:
    """Placed sessions at best: per citizen, no more than their referrals' bounds or their days."""
    own, seats = days_by_referral(options)
    days: dict[str, set[int]] = defaultdict(set)
    total: dict[str, int] = defaultdict(int)
    for r in problem.referrals:
        days[r.citizen] |= own.get(r.id, set()) | seats.get(r.id, set())
        total[r.citizen] += bounds[r.id]
    return sum(min(n, len(days[c])) for c, n in total.items())


# --- reasons -------------------------------------------------------------------------------------


def unplaced(
    problem: Problem, options: Options, draft: Draft, bounds: dict[str, int]
) -> list[Unplaced]:
    """One entry per referral with missing sessions, with the reasons."""
    placed = draft.placed_by_referral()
    days = session_days(draft, options)
    out = []
    for referral in problem.referrals:
        missing = options.requested[referral.id] - placed.get(referral.id, 0)
        if missing > 0:
            got = placed.get(referral.id, 0)
            reasons = reasons_for(problem, options, referral, bounds[referral.id], days, got)
            out.append(Unplaced(referral.id, missing, tuple(reasons)))
    return out


def reasons_for(
    problem: Problem,
    options: Options,
    referral: Referral,
    bound: int,
    days: dict[str, list[int]],
    placed: int,
) -> list[Message]:
    if bound == 0:
        return [why_nothing_fits(problem, referral)]
    if bound < options.requested[referral.id] and placed >= bound:
        return [few_days_reason(problem, options, referral, bound)]
    reasons = competition_reasons(problem, referral, days)
    if bound < options.requested[referral.id]:
        reasons.insert(0, few_days_reason(problem, options, referral, bound))
    return reasons


def qualified(referral: Referral) -> dict[str, Any]:
    """Who a referral needs, as message parameters: a profession and its skills."""
    return {"profession": referral.profession, "skills": sorted(referral.skills)}


def why_nothing_fits(problem: Problem, referral: Referral) -> Message:
    """The first filter that left the referral with no option at all."""
    if referral.mode == "team" and referral.team_class:
        team_reason = why_no_seat(problem, referral)
        if team_reason and not (referral.intro or referral.final):
            return team_reason
    centres = session_centres(problem, referral)
    where = {**qualified(referral), "centres": [problem.centre(c).name for c in centres]}
    capable = [
        t
        for t in problem.therapists
        if t.can_give(referral.profession, referral.skills) and set(t.centres) & set(centres)
    ]
    if not capable:
        return Message("unplaced.nobody-qualified", where)
    allowed = [d for d in problem.days if day_allowed(referral, d)]
    if not allowed:
        return Message("unplaced.starts-after-week", {"earliest": str(referral.earliest)})
    working = [
        d
        for d in allowed
        if any(d.date not in t.absent and t.hours.get(d.weekday) for t in capable)
    ]
    if not working:
        return Message("unplaced.nobody-working", where)
    windows = describe_availability(problem, referral, working)
    code = "unplaced.no-time-for-visit" if referral.mode == "home" else "unplaced.nobody-free"
    return Message(code, {**where, "availability": windows})


def why_no_seat(problem: Problem, referral: Referral) -> Message | None:
    """Why a team referral has no meeting it could join."""
    team_class = problem.team_class(referral.team_class or "")
    if referral not in class_members(problem, team_class):
        return None
    if team_class.fixed:
        times = [[m.day, clock(m.start)] for m in team_class.meetings]
        return Message("unplaced.cannot-join-meetings", {"team_class": team_class.name,
                                                          "meetings": times})  # fmt: skip
    return Message("unplaced.class-cannot-meet", {"team_class": team_class.name})


def describe_availability(
    problem: Problem, referral: Referral, days: list
) -> list[list[Any]] | None:
    """When the citizen can come on those days: [[weekday, [[start, end], ...]], ...]; None for
    whenever the centre is open."""
    parts: list[list[Any]] = []
    for day in days:
        windows = citizen_windows(problem, referral.citizen, day)
        if windows is None:
            return None
        if windows:
            parts.append([day.weekday, [[clock(w.start), clock(w.end)] for w in windows]])
    return parts


def few_days_reason(problem: Problem, options: Options, referral: Referral, bound: int) -> Message:
    """Fewer usable days than requested sessions."""
    params = {"fit": bound, "requested": options.requested[referral.id], **qualified(referral)}
    return Message("unplaced.too-few-days", {**params, "or_class": bool(referral.team_class)})


def competition_reasons(
    problem: Problem, referral: Referral, days: dict[str, list[int]]
) -> list[Message]:
    """Reasons that come from other sessions taking what this one needed."""
    reasons = []
    others = [
        d
        for r in problem.referrals
        if r.citizen == referral.citizen and r.id != referral.id
        for d in days.get(r.id, [])
    ]
    if others:
        names = [problem.days[d].weekday for d in sorted(set(others))]
        reasons.append(Message("unplaced.other-sessions", {"weekdays": names}))
    if referral.team_class and referral.mode == "team":
        name = problem.team_class(referral.team_class).name
        reasons.append(Message("unplaced.class-full", {"team_class": name}))
    else:
        reasons.append(Message("unplaced.all-booked", qualified(referral)))
    return reasons


# --- warnings ------------------------------------------------------------------------------------


def warnings(problem: Problem, options: Options, draft: Draft) -> list[PlanWarning]:
    """SUL §140 starts that miss their 7 days, and packages that cap this week's sessions."""
    days = session_days(draft, options)
    out = []
    for r in problem.referrals:
        if awaits_start(r):
            message = start_deadline_message(problem, r, days.get(r.id, []))
            if message:
                out.append(PlanWarning(r.id, "start-deadline", message))
        if options.requested[r.id] < r.sessions_per_week:
            out.append(
                PlanWarning(r.id, "package-limit", package_limit_message(problem, r, options))
            )
    return out


def start_deadline_message(problem: Problem, referral: Referral, days: list[int]) -> Message | None:
    assert referral.discharged is not None
    deadline = referral.discharged + timedelta(days=7)
    if not days:
        dates = {"discharged": str(referral.discharged), "deadline": str(deadline)}
        return Message("warning.no-start", dates)
    first = problem.days[min(days)].date
    late = (first - referral.discharged).days
    if late <= 7:
        return None
    return Message("warning.late-start", {"first": str(first), "days": late})


def package_limit_message(problem: Problem, referral: Referral, options: Options) -> Message:
    package = problem.package(referral.package)
    params = {
        "package": package.code,
        "left": options.requested[referral.id],
        "delivered": referral.delivered,
        "max_sessions": package.max_sessions,
        "weekly": referral.sessions_per_week,
    }
    return Message("warning.package-limit", params)
