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
from typing import Any

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
    SUL140_START_DAYS,
    Message,
    PlanWarning,
    Problem,
    Referral,
    TeamClass,
    Unplaced,
    awaits_start,
    clock,
    opens_with_assessment,
)
from solver.tentative import Tentative, session_days

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
    if not seats and referral.mode != "team":
        return min(cap, len(own))  # one session a day on its own days: no order to keep
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
    # With both flags and a single individual session, that one is the intro: no re-test needed.
    retest = referral.final and not (referral.intro and len(own) < 2)
    return not (retest and any(not any(o > s for o in own) for s in seats))


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
) -> list[Message]:
    if bound == 0:
        return [why_nothing_fits(problem, referral)]
    if bound < options.requested[referral.id] and placed >= bound:
        return [few_days_reason(problem, options, referral, bound)]
    reasons = competition_reasons(problem, referral, days, ledger)
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
    problem: Problem,
    referral: Referral,
    days: dict[str, list[int]],
    ledger: Ledger,
) -> list[Message]:
    """Reasons that come from other sessions taking what this one needed: the citizen's days,
    the qualified therapists (named when few), a room, a therapist's weekly cap or the class's
    seats, read off the plan at every time the session could have had."""
    reasons = []
    others = [
        d
        for r in ledger.referrals_of[referral.citizen]
        if r.id != referral.id
        for d in days.get(r.id, [])
    ]
    if others:
        names = [problem.days[d].weekday for d in sorted(set(others))]
        reasons.append(Message("unplaced.other-sessions", {"weekdays": names}))
    seat_reason = seat_blocker(problem, referral, ledger)
    if seat_reason:
        reasons.append(seat_reason)
    if not (referral.mode == "team" and not (referral.intro or referral.final)):
        reasons += blocker_reasons(problem, referral, option_blockers(problem, referral, ledger))
    if reasons:
        return reasons
    if referral.mode == "team" and referral.team_class:
        name = problem.team_class(referral.team_class).name
        return [Message("unplaced.class-full", {"team_class": name})]
    return [Message("unplaced.all-booked", qualified(referral))]


@dataclass
class Ledger:
    """The finished plan as a diary (who and what is taken when) and each referral's options."""

    diary: Diary
    own: dict[str, list[Option]]
    seats: dict[str, list[int]]
    referrals_of: dict[str, list[Referral]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, problem: Problem, options: Options, draft: Tentative) -> Ledger:
        diary = Diary(problem, options)
        seed_diary(diary, draft)
        ledger = cls(diary, options.by_referral(), options.seats_by_referral())
        for r in problem.referrals:
            ledger.referrals_of[r.citizen].append(r)
        return ledger


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
            begin, end = start - o.before, start + o.minutes + o.travel_after
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


def blocker_reasons(problem: Problem, referral: Referral, blocked: Blocked) -> list[Message]:
    """Reasons naming the real blocker and what would let the session be placed."""
    reasons = []
    if blocked.room:
        centres = [problem.centre(c).name for c in sorted(blocked.room)]
        times = some_times(problem, [t for c in sorted(blocked.room) for t in blocked.room[c]])
        params = {"centres": centres, "therapists": names_of(problem, blocked.room_therapists)}
        reasons.append(Message("unplaced.no-room", {**params, "times": times}))
    for t in sorted(blocked.capped):
        therapist = problem.therapist(t)
        cap = {"therapist": therapist.name, "cap": therapist.max_minutes}
        reasons.append(Message("unplaced.weekly-cap", cap))
    # A therapist free but for a room or a cap: that is the blocker, not colleagues' diaries.
    if blocked.therapist and not reasons:
        busy = sorted(blocked.therapist)
        times = some_times(problem, [x for t in busy for x in blocked.therapist[t]])
        who = qualified(referral)
        if len(busy) == 1:
            name = problem.therapist(busy[0]).name
            reasons.append(Message("unplaced.only-one-busy", {**who, "therapist": name,
                                                              "times": times}))  # fmt: skip
        elif len(busy) <= NAMED_THERAPISTS:
            names = names_of(problem, set(busy))
            reasons.append(Message("unplaced.few-busy", {**who, "therapists": names,
                                                         "times": times}))  # fmt: skip
        else:
            reasons.append(Message("unplaced.all-booked", who))
    return reasons


def names_of(problem: Problem, therapists: set[str]) -> list[str]:
    """The therapists' names, the first NAMED_THERAPISTS and then how many more ("+2")."""
    names = [problem.therapist(t).name for t in sorted(therapists)]
    if len(names) > NAMED_THERAPISTS:
        return [*names[:NAMED_THERAPISTS], f"+{len(names) - NAMED_THERAPISTS}"]
    return names


def some_times(problem: Problem, times: list[tuple[int, int]], most: int = 3) -> list[list[str]]:
    """[["tue", "10:00"], ["thu", "13:00"]]: the first few (day, start) pairs, one per day."""
    per_day: dict[int, int] = {}
    for day, start in sorted(times):
        per_day.setdefault(day, start)
    return [[problem.days[d].weekday, clock(s)] for d, s in per_day.items()][:most]


def seat_blocker(problem: Problem, referral: Referral, ledger: Ledger) -> Message | None:
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
        return Message("unplaced.meetings-full", {"team_class": team_class.name, "times": times})
    waiting = [j for j in free_days if j in diary.held]
    if waiting and opens_with_assessment(referral):
        times = some_times(problem, [meeting_time(options, j) for j in waiting])
        return Message("unplaced.no-assessment-before", {"team_class": team_class.name,
                                                         "times": times})  # fmt: skip
    unheld = [j for j in free_days if j not in diary.held]
    why = why_not_held(problem, diary, team_class, unheld) if unheld else None
    if why:
        times = some_times(problem, [meeting_time(options, j) for j in unheld])
        params = {"team_class": team_class.name, "times": times}
        return Message(why.code, {**params, **why.params})
    return Message("unplaced.class-full", {"team_class": team_class.name})


def meeting_time(options: Options, j: int) -> tuple[int, int]:
    return (options.meetings[j].day, options.meetings[j].start)


def why_not_held(
    problem: Problem, diary: Diary, team_class: TeamClass, unheld: list[int]
) -> Message | None:
    """The first thing that keeps the class's possible meetings from being held."""
    held_days = diary.class_days[team_class.id]
    per_week = team_class.meetings_per_week
    if per_week is not None and len(held_days) >= per_week:
        return Message("unplaced.class-meets-enough", {"per_week": per_week})
    meetings = [
        diary.options.meetings[j] for j in unheld if diary.options.meetings[j].day not in held_days
    ]
    if not meetings:
        return Message("unplaced.class-meets-those-days")
    leaders = sorted({t for m in meetings for t in m.instructors})
    free = [
        m
        for m in meetings
        if any(
            diary.therapist_free(t, m.day, team_class.centre, m.start, m.end) for t in m.instructors
        )
    ]
    if not free:
        return Message("unplaced.instructors-busy", {"therapists": names_of(problem, set(leaders))})
    if not any(
        diary.room_free(r, m.day, m.start, m.end, alone=True) for m in free for r in m.rooms
    ):
        centre = problem.centre(team_class.centre).name
        return Message("unplaced.class-room-busy", {"room_kind": team_class.room_kind,
                                                    "centre": centre})  # fmt: skip
    return None


# --- warnings ------------------------------------------------------------------------------------


def warnings(problem: Problem, options: Options, draft: Tentative) -> list[PlanWarning]:
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
    deadline = referral.discharged + timedelta(days=SUL140_START_DAYS)
    if not days:
        dates = {"discharged": str(referral.discharged), "deadline": str(deadline)}
        return Message("warning.no-start", dates)
    first = problem.days[min(days)].date
    late = (first - referral.discharged).days
    if late <= SUL140_START_DAYS:
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
