"""Plan a week: options, parts, bounds, first fit, then CP-SAT in two stages, rooms, reasons.

The week is split into independent parts (`solver.parts`: no therapist, room place, class,
referral or citizen shared between them), each planned on its own in a share of the time by its
size. Per part, stage one maximises the primary goals (placed sessions, SUL §140 starts) by
neighbourhood search (`solver.lns`); stage two keeps that result and maximises the secondary
goals (contact therapist, the previous plan, seats, fair load, compact days) on one model of the
part when it is small enough for one, else by neighbourhoods too. The plan's objective is its
placed sessions and its bound the sum of the parts' proven upper bounds on them
(`solver.bound`, `solver.explain`).
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from solver.bound import integer_bound, referral_caps, relaxation_bound
from solver.deadline import start_in_time
from solver.explain import citizen_bound, referral_bounds, unplaced, warnings
from solver.firstfit import Diary, first_fit, seed_diary
from solver.lns import improve, refine
from solver.model import Goal, PlanModel, tune
from solver.options import Options, build_options, days_by_referral, option_key, start_target
from solver.order import honour_queue
from solver.parts import Part, merge, part_draft, split
from solver.problem import Appointment, Problem, Solution, Stats, Status, awaits_start
from solver.rooms import assign_rooms
from solver.routes import chain_home_visits
from solver.tentative import (
    Booking,
    HeldMeeting,
    Tentative,
    appointment_key,
    session_days,
    to_appointments,
)

#: Share of the time limit spent on first fits with different orders, for the best start.
START_SHARE = 0.05
#: Share of a part's time spent tightening its bound (the relaxation as an integer program)
#: where the first fit is short of it; it stops early once it proves its optimum.
BOUND_SHARE = 0.15
#: Share of the time limit given to the primary goals.
PRIMARY_SHARE = 0.8
#: The same where the secondary goals go by neighbourhoods too: the primary search there rarely
#: ends before its time does, and every second taken from it costs placed sessions (L, 60 s: 15 %
#: for the secondary goals placed 21 fewer of 3,004 than none). What it leaves over goes on top.
PRIMARY_SHARE_LNS = 0.95
#: Time kept for rooms and reasons, as a share of the time options, bounds and first fit took.
FINISH_SHARE = 0.15
#: Largest whole-week model (literals) solved at once; larger weeks go by neighbourhoods.
WHOLE_MODEL_LIMIT = 60_000


class PinnedError(ValueError):
    """A pinned appointment cannot be kept: it breaks a rule on its own."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Progress:
    """What the solver has found so far, for a progress line."""

    stage: str  # "first-fit", "primary", "secondary"
    placed: int
    objective: int
    bound: int
    seconds: float


ProgressFn = Callable[[Progress], None]


@dataclass
class Outcome:
    """A stage's result: the best draft and what the solver proved about it."""

    draft: Tentative
    status: Any  # CP-SAT's status
    objective: int | None
    bound: int | None


def solve(
    problem: Problem,
    time_limit: float = 30.0,
    workers: int = 2,
    progress: ProgressFn | None = None,
    optimise: bool = True,
    processes: int = 1,
    relax: bool = True,
) -> Solution:
    """The week's best plan found within the time limit (first fit only when `optimise` is off).

    `relax=False` states only the per-citizen bound on placed sessions, without the linear
    relaxation (quicker, looser; for weeks made in bulk, such as the demo's history).

    The week is planned part by part (`solver.parts`): parts share no therapist, room, class,
    referral or citizen, so each is planned on its own and the plans and bounds add up. With
    `processes` above 1 the parts are optimised side by side in that many processes.
    """
    began = time.monotonic()
    options = build_options(problem)
    pinned = match_pinned(problem, options)
    parts = split(problem, options)
    starts = [start_part(part, part_draft(part, pinned), relax) for part in parts]
    tally = Tally([s.draft.placed() for s in starts], [s.proven for s in starts], progress, began)
    tally.report("first-fit", -1, 0)
    drafts = [s.draft for s in starts]
    status: Status = "feasible"
    if optimise:
        # Less a little for rooms and explanations afterwards: they take about a tenth of what
        # options, bounds and first fit took (measured at L and XL).
        started = time.monotonic() - began
        deadline = began + time_limit - max(0.5, 0.02 * time_limit, FINISH_SHARE * started)
        plans = optimise_parts(parts, starts, pinned, deadline, workers, processes, tally)
        drafts = [p.draft for p in plans]
        status = "optimal" if all(p.optimal for p in plans) else "feasible"
    bounds = dict.fromkeys((r.id for r in problem.referrals), 0)
    for s in starts:
        bounds.update(s.bounds)
    draft = merge(parts, drafts)
    return finish(problem, options, bounds, draft, status, pinned, sum(tally.bounds), began)


@dataclass
class PartStart:
    """A part before optimising: its per-referral bounds, its proven bound, its first fit."""

    bounds: dict[str, int]
    proven: int
    draft: Tentative


@dataclass
class PartPlan:
    """A part's best plan, its proven bound on placed sessions (tightened while optimising),
    and whether it is proven the best on every goal."""

    draft: Tentative
    proven: int
    optimal: bool


def start_part(part: Part, pinned: Tentative, relax: bool = True) -> PartStart:
    """Bounds and first fit of one part (pinned appointments in the part's terms)."""
    problem, options = part.problem, part.options
    bounds = referral_bounds(problem, options)
    proven = static_bound(problem, options, bounds, relax)
    diary = Diary(problem, options)
    seed_diary(diary, pinned)
    return PartStart(bounds, proven, first_fit(problem, options, diary))


def optimise_part(
    part: Part,
    start: PartStart,
    pinned: Tentative,
    seconds: float,
    workers: int,
    progress: ProgressFn | None = None,
    began: float | None = None,
) -> PartPlan:
    """The best plan of one part found in `seconds`: plain data in and out, for any process."""
    problem, options = part.problem, part.options
    now = time.monotonic()
    began = now if began is None else began
    if seconds < 1.0:
        return PartPlan(start.draft, start.proven, False)
    bound = start.proven
    # Where the relaxation is no lower than the per-citizen bound, no capacity binds in it and
    # whole numbers rarely prove less (S home-villages: not even its root solved in the time).
    capacity_binds = bound < citizen_bound(problem, options, start.bounds)
    if start.draft.placed() < bound and capacity_binds:
        bound = tighter_bound(problem, options, start.bounds, bound, BOUND_SHARE * seconds)
        placed = start.draft.placed()
        report(progress, "bound", placed, placed, bound, began)
    starts = best_start(problem, options, pinned, START_SHARE * seconds)
    draft = max(start.draft, starts, key=Tentative.placed)
    left = seconds - (time.monotonic() - now)
    primary, secondary = optimise_draft(
        problem, options, start.bounds, draft, pinned, max(1.0, left), workers, progress, began
    )
    draft = (secondary or primary).draft
    proven = primary_proven(problem, options, draft, bound)
    return PartPlan(draft, bound, overall_status(proven, secondary) == "optimal")


def optimise_parts(
    parts: list[Part],
    starts: list[PartStart],
    pinned: Tentative,
    deadline: float,
    workers: int,
    processes: int,
    tally: Tally,
) -> list[PartPlan]:
    """Each part optimised in a share of the time (`part_weights`); one after another, time a
    part leaves over going to the next, or in `processes` processes at once."""
    weights = part_weights(parts, starts)
    if processes > 1 and len(parts) > 1:
        return optimise_in_processes(
            parts, starts, weights, pinned, deadline, workers, processes, tally
        )
    plans = []
    left_weight = sum(weights)
    for k, (part, start) in enumerate(zip(parts, starts, strict=True)):
        share = weights[k] / left_weight if left_weight > 0 else 1.0
        left_weight -= weights[k]
        seconds = share * (deadline - time.monotonic())
        plan = optimise_part(
            part, start, part_draft(part, pinned), seconds, workers, tally.of(k), tally.began
        )
        tally.record(k, plan)
        plans.append(plan)
    return plans


def part_weights(parts: list[Part], starts: list[PartStart]) -> list[float]:
    """A part's share of the time: half by its size, half by the sessions its first fit is
    short of its bound (where the search can gain)."""
    sizes = [max(1, p.size) for p in parts]
    gaps = [max(0, s.proven - s.draft.placed()) for s in starts]
    return [
        size / sum(sizes) + (gap / sum(gaps) if sum(gaps) else size / sum(sizes))
        for size, gap in zip(sizes, gaps, strict=True)
    ]


def optimise_in_processes(
    parts: list[Part],
    starts: list[PartStart],
    weights: list[float],
    pinned: Tentative,
    deadline: float,
    workers: int,
    processes: int,
    tally: Tally,
) -> list[PartPlan]:
    """The parts side by side in a pool of processes, each given time by its share of the work
    a process has (a part never more than the time left)."""
    context = multiprocessing.get_context("spawn")
    total = sum(weights)
    per_process = max(1, workers // processes)
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        left = deadline - time.monotonic()
        futures = [
            pool.submit(
                optimise_part,
                part,
                start,
                part_draft(part, pinned),
                min(left, left * processes * weight / total),
                per_process,
            )
            for part, start, weight in zip(parts, starts, weights, strict=True)
        ]
        plans = []
        for k, future in enumerate(futures):
            plans.append(future.result())
            tally.record(k, plans[-1])
            tally.report("primary", -1, 0)
    return plans


class Tally:
    """The week's figures while parts are planned: every part's best placed so far and its
    proven bound (tightened when the part's optimising begins)."""

    def __init__(
        self, placed: list[int], bounds: list[int], progress: ProgressFn | None, began: float
    ) -> None:
        self.placed, self.bounds, self.progress, self.began = placed, bounds, progress, began

    def record(self, part: int, plan: PartPlan) -> None:
        self.placed[part] = plan.draft.placed()
        self.bounds[part] = plan.proven

    def report(self, stage: str, part: int, placed: int) -> None:
        """A progress line: the part's new figure beside the others' best."""
        total = sum(n for k, n in enumerate(self.placed) if k != part) + (
            placed if part >= 0 else 0
        )
        report(self.progress, stage, total, total, sum(self.bounds), self.began)

    def of(self, part: int) -> ProgressFn | None:
        """The progress function a part reports through (its placed sessions become the week's)."""
        if self.progress is None:
            return None
        progress = self.progress

        def relay(p: Progress) -> None:
            if p.stage == "secondary":  # its bound is the secondary goal's: give the week's
                progress(replace(p, bound=sum(self.bounds)))
                return
            if p.stage == "bound":
                self.bounds[part] = p.bound
            self.report("primary", part, p.placed)

        return relay


def optimise_draft(
    problem: Problem,
    options: Options,
    bounds: dict[str, int],
    hint: Tentative,
    pinned: Tentative,
    time_limit: float,
    workers: int,
    progress: ProgressFn | None,
    began: float,
) -> tuple[Outcome, Outcome | None]:
    """Neighbourhood search for the primary goals; then, for a week small enough to be one
    model, the secondary goals on the whole week, keeping what the first part reached.

    `time_limit` counts from now; `began` is when planning began, for progress lines.
    """
    now = time.monotonic()
    whole = model_size(options) <= WHOLE_MODEL_LIMIT
    share = PRIMARY_SHARE if whole else PRIMARY_SHARE_LNS

    def better(plan: Tentative, placed: int) -> None:
        report(progress, "primary", placed, placed, 0, began)

    plan = improve(
        problem, options, hint, pinned, bounds, now + share * time_limit, workers, better
    )
    primary = Outcome(plan, cp_model.FEASIBLE, plan.placed(), None)
    left = time_limit - (time.monotonic() - now)
    if left < 1.0:
        return primary, None
    if not whole:
        refined = refine(problem, options, plan, pinned, bounds, time.monotonic() + left, workers)
        return primary, Outcome(refined, cp_model.FEASIBLE, None, None)
    return primary, secondary_whole(
        problem, options, bounds, plan, pinned, left, workers, progress, began
    )


def secondary_whole(
    problem: Problem,
    options: Options,
    bounds: dict[str, int],
    plan: Tentative,
    pinned: Tentative,
    time_limit: float,
    workers: int,
    progress: ProgressFn | None,
    began: float,
) -> Outcome | None:
    """Contact therapist, previous plan, seats and fair load on one model, placed sessions kept."""
    until = time.monotonic() + time_limit
    model = PlanModel(problem, options, bounds).build()
    model.fix(pinned)
    model.keep_primary(plan)
    goal = model.secondary_goal()
    model.model.maximize(goal.expr)
    model.hint(plan)
    left = until - time.monotonic()
    if left < 0.5:
        return None
    outcome = run_stage(model, goal, "secondary", left, workers, progress, began, plan)
    return outcome if outcome.objective is not None else None


def model_size(options: Options) -> int:
    """Literals of the whole-week model: one per option and start time."""
    return sum(len(o.starts) for o in options.every)


def run_stage(
    plan: PlanModel,
    goal: Goal,
    stage: str,
    seconds: float,
    workers: int,
    progress: ProgressFn | None,
    began: float,
    fallback: Tentative,
) -> Outcome:
    """Solve the model for one goal; keep the fallback draft if nothing better is found."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, seconds)
    solver.parameters.num_workers = workers
    # Probing and symmetry detection cost more presolve time than they repay on these models;
    # the LP worker proves the secondary goals (compact days most) where search alone does not.
    tune(solver, lp=True)
    callback = ProgressCallback(goal, stage, progress, began)
    result = solver.solve(plan.model, callback)
    if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(fallback, result, None, None)
    objective = round(solver.objective_value)
    bound = round(solver.best_objective_bound)
    if goal.scale:
        report(progress, stage, objective // goal.scale, objective, bound, began)
    return Outcome(plan.read(solver), result, objective, bound)


class ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each better plan the solver finds."""

    def __init__(self, goal: Goal, stage: str, progress: ProgressFn | None, began: float) -> None:
        super().__init__()
        self.goal, self.stage, self.progress, self.began = goal, stage, progress, began

    def on_solution_callback(self) -> None:
        if self.progress is None:
            return
        objective = round(self.objective_value)
        placed = objective // self.goal.scale if self.goal.scale else -1
        report(
            self.progress,
            self.stage,
            placed,
            objective,
            round(self.best_objective_bound),
            self.began,
        )


def report(
    progress: ProgressFn | None, stage: str, placed: int, objective: int, bound: int, began: float
) -> None:
    if progress is not None:
        progress(Progress(stage, placed, objective, bound, time.monotonic() - began))


def overall_status(primary_proven: bool, secondary: Outcome | None) -> Status:
    """Optimal when the primary goals are met in full and the secondary stage proved optimal."""
    both = primary_proven and secondary is not None and secondary.status == cp_model.OPTIMAL
    return "optimal" if both else "feasible"


def primary_proven(problem: Problem, options: Options, draft: Tentative, proven: int) -> bool:
    """The plan places the proven most sessions, and every SUL §140 start as early as it can."""
    if draft.placed() < proven:
        return False
    days = session_days(draft, options)
    own, seats = days_by_referral(options)
    for r in problem.referrals:
        possible = own.get(r.id, set()) | seats.get(r.id, set())
        if not awaits_start(r) or not possible:
            continue
        target = start_target(problem, r, possible)
        if not any(problem.days[d].date <= target for d in days.get(r.id, [])):
            return False
    return True


def finish(
    problem: Problem,
    options: Options,
    bounds: dict[str, int],
    draft: Tentative,
    status: Status,
    pinned: Tentative,
    placed_bound: int,
    began: float,
) -> Solution:
    """Rooms, appointment ids, unplaced sessions, warnings and figures."""
    keep_pinned_rooms(draft, pinned)
    if assign_rooms(problem, options, draft):
        draft = fill(problem, options, draft)
    draft = honour_queue(problem, options, start_in_time(problem, options, draft))
    appointments = to_appointments(problem, options, draft, known_ids(problem))
    pinned_ids = frozenset(a.id for a in problem.pinned)
    appointments = chain_home_visits(problem, appointments, pinned_ids)
    stats = Stats(
        sessions_requested=sum(options.requested.values()),
        sessions_placed=draft.placed(),
        # The primary goal is placed sessions; its proven bound is the placed-sessions bound.
        objective=draft.placed(),
        bound=placed_bound,
        seconds=round(time.monotonic() - began, 2),
        placed_bound=placed_bound,
    )
    return Solution(
        status,
        tuple(appointments),
        tuple(unplaced(problem, options, draft, bounds)),
        tuple(warnings(problem, options, draft)),
        stats,
    )


def static_bound(
    problem: Problem, options: Options, bounds: dict[str, int], relax: bool = True
) -> int:
    """The tighter of two proven upper bounds on placed sessions: per citizen, relaxation
    (the relaxation left out when not `relax`)."""
    per_citizen = citizen_bound(problem, options, bounds)
    if not relax:
        return per_citizen
    relaxed = relaxation_bound(problem, options, referral_caps(options, bounds))
    return per_citizen if relaxed is None else min(per_citizen, relaxed)


def tighter_bound(
    problem: Problem, options: Options, bounds: dict[str, int], proven: int, seconds: float
) -> int:
    """The proven bound, or the relaxation's integer program's where that proves less."""
    whole = integer_bound(problem, options, referral_caps(options, bounds), seconds)
    return proven if whole is None else min(proven, whole)


def fill(problem: Problem, options: Options, draft: Tentative) -> Tentative:
    """Book what is still missing into the free slots left around a plan, rooms included.

    The model counts a centre's room places; when that count could not be turned into rooms
    for every session (a session crossing the start of a class in the hall), the sessions left
    without a room get another slot here if there is one.
    """
    diary = Diary(problem, options)
    seed_diary(diary, draft)
    return first_fit(problem, options, diary, scarce_first=True)


def keep_pinned_rooms(draft: Tentative, pinned: Tentative) -> None:
    """A pinned session keeps its room (the model chooses times; rooms come afterwards)."""
    rooms = {(option_key(b.option), b.start): b.room for b in pinned.bookings}
    for i, b in enumerate(draft.bookings):
        room = rooms.get((option_key(b.option), b.start))
        if room is not None:
            draft.bookings[i] = replace(b, room=room)


def known_ids(problem: Problem) -> dict[tuple, str]:
    """Ids to reuse: a kept previous appointment keeps its id, a pinned one always does."""
    ids = {appointment_key(a): a.id for a in problem.previous}
    ids.update({appointment_key(a): a.id for a in problem.pinned})
    return ids


# --- pinned appointments -------------------------------------------------------------------------


def match_pinned(problem: Problem, options: Options) -> Tentative:
    """Each pinned appointment as an option of the week; PinnedError names those that fit none."""
    draft, errors, booked = Tentative(), [], []
    for i, a in enumerate(problem.pinned):
        found = (
            pinned_meeting(problem, options, a)
            if a.kind == "team"
            else pinned_booking(problem, options, a)
        )
        if found is None:
            errors.append(
                f"pinned[{i}] ({a.id}): this appointment breaks a rule on its own "
                "(hours, qualification, opening hours, the citizen's windows or the slot grid); "
                "move or unpin it"
            )
        elif isinstance(found, Booking):
            draft.bookings.append(found)
            booked.append(a)
        else:
            draft.meetings.append(found)
    if errors:
        raise PinnedError(errors)
    # A visit pinned on a route without its partner is kept as a round trip.
    for k in unlinked(draft):
        draft.bookings[k] = (
            pinned_booking(problem, options, booked[k], routes=False) or draft.bookings[k]
        )
    return draft


def pinned_booking(
    problem: Problem, options: Options, a: Appointment, routes: bool = True
) -> Booking | None:
    """The option of a pinned session: the route visit its drives are (when `routes`), else its
    round trip."""
    same = [
        o
        for o in (options.every if routes else options.individual)
        if (o.referral, problem.days[o.day].date, o.therapist, o.centre, o.kind)
        == (a.referral, a.day, a.therapist, a.centre, a.kind)
        and a.start in o.starts
    ]
    drives = [
        o for o in same if (o.travel_before, o.travel_after) == (a.travel_before, a.travel_after)
    ]
    plain = [o for o in same if o.comes_from is None and not o.drives_on]
    found = (drives or plain)[:1]
    return Booking(found[0], a.start, a.room) if found else None


def unlinked(draft: Tentative) -> list[int]:
    """The bookings on a route whose partner the draft lacks (a visit that drives on with no
    visit coming from it, or the other way round)."""
    ends = {
        (b.option.therapist, b.option.day, b.option.referral, b.start + b.option.minutes)
        for b in draft.bookings
        if b.option.drives_on
    }
    begins = {
        (b.option.therapist, b.option.day, b.option.comes_from, b.start - b.option.before)
        for b in draft.bookings
        if b.option.comes_from is not None
    }
    lost = []
    for i, b in enumerate(draft.bookings):
        o = b.option
        on = o.drives_on and (o.therapist, o.day, o.referral, b.start + o.minutes) not in begins
        back = o.comes_from is not None and (
            (o.therapist, o.day, o.comes_from, b.start - o.before) not in ends
        )
        if on or back:
            lost.append(i)
    return lost


def pinned_meeting(problem: Problem, options: Options, a: Appointment) -> HeldMeeting | None:
    for j, m in enumerate(options.meetings):
        same = (m.team_class, problem.days[m.day].date, m.start)
        if (
            same == (a.team_class, a.day, a.start)
            and a.therapist in m.instructors
            and a.room in m.rooms
            and set(a.participants) <= set(m.seats)
        ):
            return HeldMeeting(j, a.therapist, a.room or "", list(a.participants))
    return None


def best_start(problem: Problem, options: Options, pinned: Tentative, seconds: float) -> Tentative:
    """The best of several first fits, most constrained referrals first, for the optimiser."""
    until = time.monotonic() + seconds
    noise = random.Random(0)  # the same scenario gives the same plan
    best: Tentative | None = None
    while best is None or time.monotonic() < until:
        diary = Diary(problem, options)
        seed_diary(diary, pinned)
        draft = first_fit(problem, options, diary, scarce_first=True, noise=noise if best else None)
        if best is None or draft.placed() > best.placed():
            best = draft
    return best
