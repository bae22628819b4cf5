"""`planner bench-repair`: repairing a published week against a full re-plan and a baseline.

For each scale a week is generated and published as first fit plans it. The therapist with the
most appointments on the week's Wednesday then falls ill, once for that day and once for the
rest of the week (Wednesday to the week's end). Three ways answer each case:

- repair: `planner.plan.repair.repair` (substitute, else move, else cancel), median of a few runs;
- baseline: the same with moves turned off (substitute, else cancel);
- re-plan: the whole week solved again with the absence in the week's data and the published
  plan as `previous` (the optimiser keeps what it can), within a time limit.

Each row gives the seconds, the citizens affected and the appointments changed against the
published plan (`planner.plan.diff`), the sessions lost (placed in the published plan, not in
this one), and how many rules the plan breaks (validator). Each scale
runs in its own process.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import date

from planner.formats.validate import check_plan
from planner.plan.diff import diff
from planner.plan.repair import Disruption, repair, whole_days
from solver.problem import Problem, Solution

DEFAULT_REPLAN_LIMITS = {"S": 20.0, "M": 40.0, "L": 90.0}
REPAIR_RUNS = 5


@dataclass(frozen=True)
class RepairRow:
    scale: str
    case: str  # "day" or "rest of week"
    method: str  # repair, baseline, re-plan
    hit: int  # appointments the absence hits
    seconds: float
    citizens: int
    changed: int
    lost: int  # sessions the published plan had that this plan does not place
    violations: int


def ill_therapist(problem: Problem, solution: Solution) -> tuple[str, date]:
    """The therapist with most appointments on the Wednesday (the third day of the week)."""
    wednesday = problem.days[min(2, len(problem.days) - 1)].date
    counts = Counter(a.therapist for a in solution.appointments if a.day == wednesday)
    return min(counts, key=lambda t: (-counts[t], t)), wednesday


def with_absence(problem: Problem, therapist: str, days: list[date]) -> Problem:
    """The week with the therapist absent on these days, the way the week's data says it."""
    changed = tuple(
        replace(t, absent=t.absent | frozenset(days)) if t.id == therapist else t
        for t in problem.therapists
    )
    return replace(problem, therapists=changed, _index={})


def measure(
    scale: str, case: str, problem: Problem, published: Solution, absence: Disruption,
    days: list[date], replan_limit: float,
) -> list[RepairRow]:  # fmt: skip
    """The three ways on one case."""
    after = with_absence(problem, absence.key, days)
    hit = sum(1 for a in published.appointments if absence.hits(a))
    rows = []
    for method, moves in (("repair", True), ("baseline", False)):
        times, result = [], None
        for _ in range(REPAIR_RUNS):
            start = time.perf_counter()
            result = repair(problem, published, [absence], moves=moves)
            times.append(time.perf_counter() - start)
        assert result is not None
        rows.append(row(scale, case, method, hit, statistics.median(times), problem, published,
                        after, result.solution))  # fmt: skip
    from solver.solve import solve

    start = time.perf_counter()
    replanned = solve(replace(after, previous=published.appointments), time_limit=replan_limit,
                      workers=2)  # fmt: skip
    rows.append(row(scale, case, "re-plan", hit, time.perf_counter() - start, problem, published,
                    after, replanned))  # fmt: skip
    return rows


def row(
    scale: str, case: str, method: str, hit: int, seconds: float, problem: Problem,
    published: Solution, after: Problem, plan: Solution,
) -> RepairRow:  # fmt: skip
    changes = diff(problem, published, after, plan)
    lost = published.stats.sessions_placed - plan.stats.sessions_placed
    return RepairRow(scale, case, method, hit, round(seconds, 3), changes.citizens_affected,
                     changes.appointments_changed, lost, len(check_plan(after, plan)))  # fmt: skip


def bench_scale(scale: str, seed: int, replan_limit: float) -> list[dict]:
    """Generate, publish by first fit, and measure both cases; runs in its own process."""
    from planner.formats.scenario import parse_scenario
    from planner.tools.generate import generate
    from solver.solve import solve

    problem = parse_scenario(generate(scale, seed))
    published = solve(problem, optimise=False)
    therapist, wednesday = ill_therapist(problem, published)
    rest = [d.date for d in problem.days if d.date >= wednesday]
    cases = [
        ("day", whole_days("therapist", therapist, wednesday, wednesday), [wednesday]),
        ("rest of week", whole_days("therapist", therapist, wednesday, rest[-1]), rest),
    ]
    return [
        asdict(r)
        for case, absence, days in cases
        for r in measure(scale, case, problem, published, absence, days, replan_limit)
    ]


def run_bench_repair(
    scales: list[str], seed: int, replan_limit: float | None, echo: Callable[[str], None]
) -> list[RepairRow]:
    rows: list[RepairRow] = []
    context = multiprocessing.get_context("spawn")
    for scale in scales:
        limit = replan_limit or DEFAULT_REPLAN_LIMITS.get(scale, 60.0)
        echo(f"bench-repair: scale {scale}, seed {seed}, re-plan limit {limit:g} s ...")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            found = [RepairRow(**r) for r in pool.submit(bench_scale, scale, seed, limit).result()]
        for r in found:
            echo(f"bench-repair: {format_row(r)}")
        rows += found
    return rows


HEADER = "scale  case          method    hit  seconds  citizens  changed  lost  violations"


def format_row(r: RepairRow) -> str:
    return (
        f"{r.scale:<5}  {r.case:<12}  {r.method:<8}  {r.hit:>3}  {r.seconds:>7.3f}  "
        f"{r.citizens:>8}  {r.changed:>7}  {r.lost:>4}  {r.violations:>10}"
    )


def print_table(rows: list[RepairRow], echo: Callable[[str], None]) -> None:
    echo(HEADER)
    for r in rows:
        echo(format_row(r))
