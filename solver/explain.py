"""Why sessions are missing, in words a coordinator can act on, and what could be placed at best.

The per-referral bound ignores competition between referrals: it is what each referral could get
if it had every therapist, room and class to itself. It is a proven upper bound on the placed
sessions of any plan, and the reasons below are read off the same filtering.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import product

from solver.firstfit import Diary, free_room, seat_capacity, seed_diary
from solver.options import (
    Option,
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
    TeamClass,
    Unplaced,
    Window,
    clock,
    opens_with_assessment,
)
from solver.tentative import Tentative, session_days

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
    problem: Problem, options: Options, draft: Tentative, bounds: dict[str, int]
) -> list[Unplaced]:
    """One entry per referral with missing sessions, with the reasons."""
    placed = draft.placed_by_referral()
    days = session_days(draft, options)
    ledger: Ledger | None = None
    out = []
    for referral in problem.referrals:
        missing = options.requested[referral.id] - placed.get(referral.id, 0)
        if missing > 0:
            got = placed.get(referral.id, 0)
            ledger = ledger or Ledger.of(problem, options, draft)
            reasons = reasons_for(
                problem, options, referral, bounds[referral.id], days, got, ledger
            )
            out.append(Unplaced(referral.id, missing, tuple(reasons)))
    return out


def reasons_for(
    problem: Problem,
    options: Options,
    referral: Referral,
    bound: int,
    days: dict[str, list[int]],
    placed: int,
    ledger: Ledger,
) -> list[str]:
    if bound == 0:
        return [why_nothing_fits(problem, referral)]
    if bound < options.requested[referral.id] and placed >= bound:
        return [few_days_reason(problem, options, referral, bound)]
    reasons = competition_reasons(problem, referral, days, ledger)
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
    problem: Problem,
    referral: Referral,
    days: dict[str, list[int]],
    ledger: Ledger,
) -> list[str]:
    """Reasons that come from other sessions taking what this one needed: the citizen's days,
    the qualified therapists (named when few), a room, a therapist's weekly cap or the class's
    seats, read off the plan at every time the session could have had."""
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
    seat_reason = seat_blocker(problem, referral, ledger)
    if seat_reason:
        reasons.append(seat_reason)
    if not (referral.mode == "team" and not (referral.intro or referral.final)):
        reasons += blocker_reasons(problem, referral, option_blockers(problem, referral, ledger))
    if reasons:
        return reasons
    if referral.mode == "team" and referral.team_class:
        name = problem.team_class(referral.team_class).name
        return [f"the meetings of {name} the citizen can come to are full or cannot be held"]
    return [f"every {qualified_phrase(referral)} is booked while the citizen is available"]


@dataclass
class Ledger:
    """The finished plan as a diary (who and what is taken when) and each referral's options."""

    diary: Diary
    own: dict[str, list[Option]]
    seats: dict[str, list[int]]

    @classmethod
    def of(cls, problem: Problem, options: Options, draft: Tentative) -> Ledger:
        diary = Diary(problem, options)
        seed_diary(diary, draft)
        return cls(diary, options.by_referral(), options.seats_by_referral())


@dataclass
class Blocked:
    """What stood in the way at each time a referral's session could have had."""

    therapist: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    capped: set[str] = field(default_factory=set)
    room: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    room_therapists: set[str] = field(default_factory=set)
    candidates: int = 0


def option_blockers(problem: Problem, referral: Referral, ledger: Ledger) -> Blocked:
    """Per possible (option, start) on a day the citizen still has free: who or what was taken."""
    out = Blocked()
    diary = ledger.diary
    for o in ledger.own.get(referral.id, []):
        if o.day in diary.citizen_days[referral.citizen]:
            continue
        for start in o.starts:
            out.candidates += 1
            begin, end = start - o.travel_before, start + o.minutes + o.travel_after
            t = o.therapist
            busy = diary.centre_of_day.get((t, o.day), o.centre) != o.centre or any(
                b < end and begin < e for b, e in diary.busy[(t, o.day)]
            )
            cap = problem.therapist(t).max_minutes
            capped = cap is not None and diary.minutes[t] + end - begin > cap
            no_room = o.kind == "individual" and free_room(diary, o, start) is None
            if busy:
                out.therapist[t].append((o.day, start))
            elif capped and not no_room:
                out.capped.add(t)
            elif no_room and not capped:
                out.room[o.centre].append((o.day, start))
                out.room_therapists.add(t)
    return out


#: Therapists named one by one in a reason, at most; more are "every ...".
NAMED_THERAPISTS = 3


def blocker_reasons(problem: Problem, referral: Referral, blocked: Blocked) -> list[str]:
    """Sentences naming the real blocker and what would let the session be placed."""
    who = qualified_phrase(referral)
    reasons = []
    if blocked.room:
        centres = " or ".join(problem.centre(c).name for c in sorted(blocked.room))
        times = some_times(problem, [t for c in sorted(blocked.room) for t in blocked.room[c]])
        names = names_of(problem, blocked.room_therapists)
        reasons.append(
            f"no room is free at {centres} when {names} could give the session and the citizen "
            f"can come ({times}): a free treatment room or hall place then would let it be placed"
        )
    for t in sorted(blocked.capped):
        therapist = problem.therapist(t)
        reasons.append(
            f"{therapist.name} has reached the week's cap of {therapist.max_minutes} minutes: "
            "a higher cap would let the session be placed"
        )
    # A therapist free but for a room or a cap: that is the blocker, not colleagues' diaries.
    if blocked.therapist and not reasons:
        busy = sorted(blocked.therapist)
        times = some_times(problem, [x for t in busy for x in blocked.therapist[t]])
        if len(busy) == 1:
            name = problem.therapist(busy[0]).name
            reasons.append(
                f"the only {who} who could give it, {name}, is booked whenever the citizen can "
                f"come ({times}): more hours for {name}, or another {who}, would let it be placed"
            )
        elif len(busy) <= NAMED_THERAPISTS:
            reasons.append(
                f"every {who} who could give it ({names_of(problem, set(busy))}) is booked "
                f"whenever the citizen can come ({times}): more hours for one of them, or "
                f"another {who}, would let it be placed"
            )
        else:
            reasons.append(f"every {who} is booked while the citizen is available")
    return reasons


def names_of(problem: Problem, therapists: set[str]) -> str:
    names = [problem.therapist(t).name for t in sorted(therapists)]
    if len(names) > NAMED_THERAPISTS:
        return f"{', '.join(names[:NAMED_THERAPISTS])} and {len(names) - NAMED_THERAPISTS} more"
    return " or ".join(names)


def some_times(problem: Problem, times: list[tuple[int, int]], most: int = 3) -> str:
    """'Tue 10:00, Thu 13:00': the first few (day, start) pairs, one per day."""
    per_day: dict[int, int] = {}
    for day, start in sorted(times):
        per_day.setdefault(day, start)
    shown = [f"{DAY_NAMES[problem.days[d].weekday]} {clock(s)}" for d, s in per_day.items()]
    return ", ".join(shown[:most])


def seat_blocker(problem: Problem, referral: Referral, ledger: Ledger) -> str | None:
    """For a referral that may sit in a class: full meetings, or meetings that cannot be held."""
    if not referral.team_class:
        return None
    diary, options = ledger.diary, ledger.diary.options
    meetings = ledger.seats.get(referral.id, [])
    free_days = [
        j for j in meetings if options.meetings[j].day not in diary.citizen_days[referral.citizen]
    ]
    if not free_days:
        return None
    team_class = problem.team_class(referral.team_class)
    full = [
        j
        for j in free_days
        if j in diary.held
        and len(diary.held[j].participants) >= seat_capacity(diary, diary.held[j])
    ]
    if full:
        times = some_times(
            problem, [(options.meetings[j].day, options.meetings[j].start) for j in full]
        )
        return (
            f"the meetings of {team_class.name} the citizen can come to are full ({times}): "
            "a larger room or another meeting would let it be placed"
        )
    waiting = [j for j in free_days if j in diary.held]
    if waiting and opens_with_assessment(referral):
        times = some_times(problem, [meeting_time(options, j) for j in waiting])
        return (
            f"the meetings of {team_class.name} the citizen can come to have seats ({times}), "
            "but no individual start assessment could be placed on an earlier day: the course "
            "starts with one"
        )
    unheld = [j for j in free_days if j not in diary.held]
    why = why_not_held(problem, diary, team_class, unheld) if unheld else None
    if why:
        times = some_times(problem, [meeting_time(options, j) for j in unheld])
        return (
            f"the meetings of {team_class.name} the citizen can come to ({times}) cannot be "
            f"held: {why}"
        )
    return f"the meetings of {team_class.name} the citizen can come to are full or cannot be held"


def meeting_time(options: Options, j: int) -> tuple[int, int]:
    return (options.meetings[j].day, options.meetings[j].start)


#: Room kinds as a coordinator says them.
ROOM_WORDS = {"hall": "hall", "treatment": "treatment room", "adl": "ADL kitchen", "pool": "pool"}


def why_not_held(
    problem: Problem, diary: Diary, team_class: TeamClass, unheld: list[int]
) -> str | None:
    """The first thing that keeps the class's possible meetings from being held."""
    held_days = diary.class_days[team_class.id]
    per_week = team_class.meetings_per_week
    if per_week is not None and len(held_days) >= per_week:
        return f"the class already meets {per_week} times this week"
    meetings = [
        diary.options.meetings[j] for j in unheld if diary.options.meetings[j].day not in held_days
    ]
    if not meetings:
        return "the class already meets on those days"
    leaders = sorted({t for m in meetings for t in m.instructors})
    free = [
        m
        for m in meetings
        if any(
            diary.therapist_free(t, m.day, team_class.centre, m.start, m.end) for t in m.instructors
        )
    ]
    if not free:
        return f"every instructor ({names_of(problem, set(leaders))}) is busy then"
    if not any(
        diary.room_free(r, m.day, m.start, m.end, alone=True) for m in free for r in m.rooms
    ):
        room = ROOM_WORDS.get(team_class.room_kind, team_class.room_kind)
        return f"no {room} at {problem.centre(team_class.centre).name} is free then"
    return None


def article(phrase: str) -> str:
    return "an" if phrase[0] in "aeiou" else "a"


def span(w: Window) -> str:
    return f"{clock(w.start)}–{clock(w.end)}"


# --- warnings ------------------------------------------------------------------------------------


def warnings(problem: Problem, options: Options, draft: Tentative) -> list[PlanWarning]:
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
