"""Why sessions are missing, in words a coordinator can act on, and what could be placed at best.

The per-referral bound ignores competition between referrals: it is what each referral could get
if it had every therapist, room and class to itself. It is a proven upper bound on the placed
sessions of any plan, and the reasons below are read off the same filtering.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from itertools import product

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
    PlanWarning,
    Problem,
    Referral,
    Unplaced,
    Window,
    clock,
    opens_with_assessment,
)

DAY_NAMES = {
    "mon": "Mon",
    "tue": "Tue",
    "wed": "Wed",
    "thu": "Thu",
    "fri": "Fri",
    "sat": "Sat",
    "sun": "Sun",
}


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
        if referral.mode == "centre" and not course_start_ok(referral, own_used, seat_used):
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


def course_start_ok(referral: Referral, own: list[int], seats: list[int]) -> bool:
    """The course-start rule for one referral's days: seats only after an individual session."""
    if not opens_with_assessment(referral):
        return True
    return all(any(o < s for o in own) for s in seats)


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
) -> list[str]:
    if bound == 0:
        return [why_nothing_fits(problem, referral)]
    if bound < options.requested[referral.id] and placed >= bound:
        return [few_days_reason(problem, options, referral, bound)]
    reasons = competition_reasons(problem, referral, days)
    if bound < options.requested[referral.id]:
        reasons.insert(0, few_days_reason(problem, options, referral, bound))
    return reasons


def qualified_phrase(referral: Referral) -> str:
    """'ot with skill 'neuro'' — who a referral needs."""
    who = {"physio": "physiotherapist", "ot": "occupational therapist", "assistant": "assistant"}
    text = who[referral.profession]
    if referral.skills:
        skills = ", ".join(f"'{s}'" for s in sorted(referral.skills))
        text += f" with skill{'s' if len(referral.skills) > 1 else ''} {skills}"
    return text


def why_nothing_fits(problem: Problem, referral: Referral) -> str:
    """The first filter that left the referral with no option at all."""
    if referral.mode == "team" and referral.team_class:
        team_reason = why_no_seat(problem, referral)
        if team_reason and not (referral.intro or referral.final):
            return team_reason
    centres = session_centres(problem, referral)
    where = " or ".join(problem.centre(c).name for c in centres)
    qualified = [
        t
        for t in problem.therapists
        if t.can_give(referral.profession, referral.skills) and set(t.centres) & set(centres)
    ]
    if not qualified:
        return f"no {qualified_phrase(referral)} works at {where}"
    allowed = [d for d in problem.days if day_allowed(referral, d)]
    if not allowed:
        return f"the earliest start {referral.earliest} is after the week's last working day"
    working = [
        d
        for d in allowed
        if any(d.date not in t.absent and t.hours.get(d.weekday) for t in qualified)
    ]
    if not working:
        return f"no {qualified_phrase(referral)} at {where} works on the days this week allows"
    windows = describe_availability(problem, referral, working)
    if referral.mode == "home":
        return (
            f"no {qualified_phrase(referral)} at {where} has time for the visit and the drive "
            f"while the citizen is available ({windows})"
        )
    who = qualified_phrase(referral)
    return f"no {who} at {where} is free while the citizen is available ({windows})"


def why_no_seat(problem: Problem, referral: Referral) -> str | None:
    """Why a team referral has no meeting it could join."""
    team_class = problem.team_class(referral.team_class or "")
    if referral not in class_members(problem, team_class):
        return None
    if team_class.fixed:
        times = ", ".join(f"{DAY_NAMES[m.day]} {clock(m.start)}" for m in team_class.meetings)
        return (
            f"the citizen cannot come to any meeting of {team_class.name} ({times}), "
            "or no instructor is free then"
        )
    return f"no meeting of {team_class.name} can be held while the citizen is available"


def describe_availability(problem: Problem, referral: Referral, days: list) -> str:
    parts = []
    for day in days:
        windows = citizen_windows(problem, referral.citizen, day)
        if windows is None:
            return "whenever the centre is open"
        if windows:
            parts.append(f"{DAY_NAMES[day.weekday]} " + ", ".join(span(w) for w in windows))
    return "; ".join(parts) or "no day this week"


def few_days_reason(problem: Problem, options: Options, referral: Referral, bound: int) -> str:
    """Fewer usable days than requested sessions."""
    who = qualified_phrase(referral)
    if referral.team_class:
        who += " or a meeting of the class"
    return (
        f"only {bound} of the {options.requested[referral.id]} requested sessions can fit: "
        f"the citizen can come on too few of the days when {article(who)} {who} is free"
    )


def competition_reasons(
    problem: Problem, referral: Referral, days: dict[str, list[int]]
) -> list[str]:
    """Reasons that come from other sessions taking what this one needed."""
    reasons = []
    others = [
        d
        for r in problem.referrals
        if r.citizen == referral.citizen and r.id != referral.id
        for d in days.get(r.id, [])
    ]
    if others:
        names = ", ".join(DAY_NAMES[problem.days[d].weekday] for d in sorted(set(others)))
        reasons.append(f"the citizen's other sessions take some of the possible days ({names})")
    if referral.team_class and referral.mode == "team":
        name = problem.team_class(referral.team_class).name
        reasons.append(f"the meetings of {name} the citizen can come to are full or cannot be held")
    else:
        reasons.append(
            f"every {qualified_phrase(referral)} is booked while the citizen is available"
        )
    return reasons


def article(phrase: str) -> str:
    return "an" if phrase[0] in "aeiou" else "a"


def span(w: Window) -> str:
    return f"{clock(w.start)}–{clock(w.end)}"


# --- warnings ------------------------------------------------------------------------------------


def warnings(problem: Problem, options: Options, draft: Draft) -> list[PlanWarning]:
    """SUL §140 starts that miss their 7 days, and packages that cap this week's sessions."""
    days = session_days(draft, options)
    out = []
    for r in problem.referrals:
        if r.discharged is not None and r.intro:
            message = start_deadline_message(problem, r, days.get(r.id, []))
            if message:
                out.append(PlanWarning(r.id, "start-deadline", message))
        if options.requested[r.id] < r.sessions_per_week:
            out.append(
                PlanWarning(r.id, "package-limit", package_limit_message(problem, r, options))
            )
    return out


def start_deadline_message(problem: Problem, referral: Referral, days: list[int]) -> str | None:
    assert referral.discharged is not None
    deadline = referral.discharged + timedelta(days=7)
    if not days:
        return (
            f"no session this week; discharged {referral.discharged}, "
            f"training must start by {deadline}"
        )
    first = problem.days[min(days)].date
    late = (first - referral.discharged).days
    if late <= 7:
        return None
    return f"first session {first} is {late} days after discharge"


def package_limit_message(problem: Problem, referral: Referral, options: Options) -> str:
    package = problem.package(referral.package)
    left = options.requested[referral.id]
    return (
        f"{package.code} has {left} session{'s' if left != 1 else ''} left "
        f"({referral.delivered} of {package.max_sessions} delivered): "
        f"{left} of {referral.sessions_per_week} weekly sessions requested"
    )
