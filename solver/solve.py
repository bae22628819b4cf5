"""Plan a week: options, first fit, then CP-SAT in two stages, then rooms and explanations.

Stage one maximises the primary goals (placed sessions, SUL §140 starts); stage two keeps that
result and maximises the secondary goals (contact therapist, the previous plan, seats, fair load).
Two stages keep the objective's coefficients small; stage one's bound is the bound on placed
sessions that the plan reports.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from solver.bound import relaxation_bound
from solver.draft import Booking, Draft, HeldMeeting, appointment_key, to_appointments
from solver.explain import citizen_bound, referral_bounds, unplaced, warnings
from solver.firstfit import Diary, first_fit
from solver.lns import improve
from solver.model import Goal, PlanModel, option_key, tune
from solver.options import Options, build_options
from solver.problem import Appointment, Problem, Solution, Stats, Status
from solver.rooms import assign_rooms

#: Share of the time limit spent on first fits with different orders, for the best start.
START_SHARE = 0.05
#: Share of the time limit given to the primary goals.
PRIMARY_SHARE = 0.8
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

    draft: Draft
    status: int
    objective: int | None
    bound: int | None
    scale: int = 0  # what one placed session is worth in the objective (primary stage)

    def placed_bound(self) -> int | None:
        """Placed sessions at most, by the solver's proven bound."""
        return self.bound // self.scale if self.bound is not None and self.scale else None


def solve(
    problem: Problem,
    time_limit: float = 30.0,
    workers: int = 2,
    progress: ProgressFn | None = None,
    optimise: bool = True,
) -> Solution:
    """The week's best plan found within the time limit (first fit only when `optimise` is off)."""
    began = time.monotonic()
    options = build_options(problem)
    pinned = match_pinned(problem, options)
    bounds = referral_bounds(problem, options)
    proven = static_bound(problem, options, bounds)
    diary = Diary(problem, options)
    seed_diary(diary, pinned)
    draft = first_fit(problem, options, diary)
    report(progress, "first-fit", draft.placed(), draft.placed(), proven, began)
    if optimise:
        starts = best_start(problem, options, pinned, START_SHARE * time_limit)
        draft = max(draft, starts, key=Draft.placed)
    primary = Outcome(draft, cp_model.UNKNOWN, None, None)
    status: Status = "feasible"
    if optimise:
        # What is left after the bounds, less a little for rooms and explanations afterwards.
        left = time_limit - (time.monotonic() - began) - max(0.5, 0.02 * time_limit)
        primary, secondary = optimise_draft(
            problem, options, bounds, draft, pinned, max(1.0, left), workers, progress, began
        )
        draft = (secondary or primary).draft
        status = overall_status(primary, secondary)
    placed_bound = min(b for b in (proven, primary.placed_bound()) if b is not None)
    return finish(problem, options, draft, status, primary, pinned, placed_bound, began)


def optimise_draft(
    problem: Problem,
    options: Options,
    bounds: dict[str, int],
    hint: Draft,
    pinned: Draft,
    time_limit: float,
    workers: int,
    progress: ProgressFn | None,
    began: float,
) -> tuple[Outcome, Outcome | None]:
    """One model for the whole week when it is small enough, else neighbourhood by neighbourhood.

    `time_limit` counts from now; `began` is when planning began, for progress lines.
    """
    if model_size(options) > WHOLE_MODEL_LIMIT:
        deadline = time.monotonic() + time_limit

        def better(plan: Draft, placed: int) -> None:
            report(progress, "lns", placed, placed, 0, began)

        plan = improve(problem, options, hint, pinned, bounds, deadline, workers, better)
        return Outcome(plan, cp_model.FEASIBLE, plan.placed(), None), None
    return optimise_whole(
        problem, options, hint, pinned, bounds, time_limit, workers, progress, began
    )


def model_size(options: Options) -> int:
    """Literals of the whole-week model: one per option and start time."""
    return sum(len(o.starts) for o in options.individual)


def optimise_whole(
    problem: Problem,
    options: Options,
    hint: Draft,
    pinned: Draft,
    bounds: dict[str, int],
    time_limit: float,
    workers: int,
    progress: ProgressFn | None,
    began: float,
) -> tuple[Outcome, Outcome | None]:
    """Both stages on one model of the whole week; stage two only when stage one found a plan."""
    start = time.monotonic()
    plan = PlanModel(problem, options, bounds).build()
    plan.fix(pinned)
    goal = plan.primary_goal()
    plan.model.maximize(goal.expr)
    plan.hint(hint)
    primary = run_stage(
        plan, goal, "primary", time_limit * PRIMARY_SHARE, workers, progress, began, hint
    )
    left = time_limit - (time.monotonic() - start)
    if primary.objective is None or left < 1.0:
        return primary, None
    plan.model.add(goal.expr >= primary.objective)
    second = plan.secondary_goal()
    plan.model.maximize(second.expr)
    plan.model.clear_hints()
    plan.hint(primary.draft)
    secondary = run_stage(plan, second, "secondary", left, workers, progress, began, primary.draft)
    return primary, secondary if secondary.objective is not None else None


def run_stage(
    plan: PlanModel,
    goal: Goal,
    stage: str,
    seconds: float,
    workers: int,
    progress: ProgressFn | None,
    began: float,
    fallback: Draft,
) -> Outcome:
    """Solve the model for one goal; keep the fallback draft if nothing better is found."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, seconds)
    solver.parameters.num_workers = workers
    # Probing and symmetry detection cost more presolve time than they repay on these models.
    tune(solver)
    callback = ProgressCallback(goal, stage, progress, began)
    result = solver.solve(plan.model, callback)
    if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(fallback, result, None, None)
    objective = round(solver.objective_value)
    bound = round(solver.best_objective_bound)
    if goal.scale:
        report(progress, stage, objective // goal.scale, objective, bound, began)
    return Outcome(plan.read(solver), result, objective, bound, goal.scale)


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


def overall_status(primary: Outcome, secondary: Outcome | None) -> Status:
    if primary.objective is None:
        return "infeasible" if primary.status == cp_model.INFEASIBLE else "unknown"
    both_optimal = primary.status == cp_model.OPTIMAL and (
        secondary is not None and secondary.status == cp_model.OPTIMAL
    )
    return "optimal" if both_optimal else "feasible"


def finish(
    problem: Problem,
    options: Options,
    draft: Draft,
    status: Status,
    primary: Outcome,
    pinned: Draft,
    placed_bound: int,
    began: float,
) -> Solution:
    """Rooms, appointment ids, unplaced sessions, warnings and figures."""
    keep_pinned_rooms(draft, pinned)
    assign_rooms(problem, options, draft)
    bounds = referral_bounds(problem, options)
    appointments = to_appointments(problem, options, draft, known_ids(problem))
    stats = Stats(
        sessions_requested=sum(options.requested.values()),
        sessions_placed=draft.placed(),
        objective=primary.objective,
        bound=primary.bound,
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


def static_bound(problem: Problem, options: Options, bounds: dict[str, int]) -> int:
    """The tighter of two proven upper bounds on placed sessions: per citizen, relaxation."""
    caps = {r: min(options.requested[r], n) for r, n in bounds.items()}
    relaxed = relaxation_bound(problem, options, caps)
    per_citizen = citizen_bound(problem, options, bounds)
    return per_citizen if relaxed is None else min(per_citizen, relaxed)


def keep_pinned_rooms(draft: Draft, pinned: Draft) -> None:
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


def match_pinned(problem: Problem, options: Options) -> Draft:
    """Each pinned appointment as an option of the week; PinnedError names those that fit none."""
    draft, errors = Draft(), []
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
        else:
            draft.meetings.append(found)
    if errors:
        raise PinnedError(errors)
    return draft


def pinned_booking(problem: Problem, options: Options, a: Appointment) -> Booking | None:
    for o in options.individual:
        same = (o.referral, problem.days[o.day].date, o.therapist, o.centre, o.kind)
        if same == (a.referral, a.day, a.therapist, a.centre, a.kind) and a.start in o.starts:
            return Booking(o, a.start, a.room)
    return None


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


def best_start(problem: Problem, options: Options, pinned: Draft, seconds: float) -> Draft:
    """The best of several first fits, most constrained referrals first, for the optimiser."""
    until = time.monotonic() + seconds
    noise = random.Random(0)  # the same scenario gives the same plan
    best: Draft | None = None
    while best is None or time.monotonic() < until:
        diary = Diary(problem, options)
        seed_diary(diary, pinned)
        draft = first_fit(problem, options, diary, scarce_first=True, noise=noise if best else None)
        if best is None or draft.placed() > best.placed():
            best = draft
    return best


def seed_diary(diary: Diary, pinned: Draft) -> None:
    """Book the pinned appointments before anything else."""
    for b in pinned.bookings:
        diary.book(b.option, b.start, b.room)
    for held in pinned.meetings:
        opened = diary.open_meeting(held.meeting, held.instructor, held.room)
        for r in held.participants:
            diary.seat(opened, diary.problem.referral(r))
