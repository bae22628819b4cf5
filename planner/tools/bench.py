"""`planner bench`: first fit against the optimiser on generated weeks of each size.

Each scale runs in a fresh process, so its peak memory is its own. Every plan is checked by the
validator; a plan that breaks a rule is reported in the table, not hidden.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass

DEFAULT_LIMITS = {"S": 30.0, "M": 60.0, "L": 180.0}


@dataclass(frozen=True)
class BenchRow:
    scale: str
    requested: int
    first_fit: int
    placed: int
    objective: int | None
    bound: int | None
    placed_bound: int
    gap: float  # share of the placed-sessions bound not placed
    seconds: float
    peak_mb: float
    violations: int


def run_bench(
    scales: list[str],
    time_limit: float | None,
    seed: int,
    workers: int,
    echo: Callable[[str], None],
) -> list[BenchRow]:
    rows = []
    context = multiprocessing.get_context("spawn")
    for scale in scales:
        limit = time_limit or DEFAULT_LIMITS.get(scale, 60.0)
        echo(f"bench: scale {scale}, seed {seed}, time limit {limit:g} s ...")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            row = pool.submit(bench_one, scale, seed, limit, workers).result()
        echo(f"bench: {format_row(BenchRow(**row))}")
        rows.append(BenchRow(**row))
    return rows


def bench_one(scale: str, seed: int, time_limit: float, workers: int) -> dict:
    """Generate, plan by first fit and by the optimiser, validate; runs in its own process."""
    from planner.formats.scenario import parse_scenario
    from planner.formats.validate import check_plan
    from planner.tools.generate import generate
    from solver.solve import solve

    problem = parse_scenario(generate(scale, seed))
    baseline = solve(problem, optimise=False)
    best = solve(problem, time_limit=time_limit, workers=workers)
    stats = best.stats
    bound = stats.placed_bound if stats.placed_bound is not None else stats.sessions_requested
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    violations = check_plan(problem, best) + check_plan(problem, baseline)
    return asdict(
        BenchRow(
            scale=scale,
            requested=stats.sessions_requested,
            first_fit=baseline.stats.sessions_placed,
            placed=stats.sessions_placed,
            objective=stats.objective,
            bound=stats.bound,
            placed_bound=bound,
            gap=(bound - stats.sessions_placed) / bound if bound else 0.0,
            seconds=stats.seconds,
            peak_mb=round(peak, 1),
            violations=len(violations),
        )
    )


HEADER = (
    "scale  requested  first-fit  placed  placeable≤  gap     objective   bound       "
    "seconds  peak MB  violations"
)


def format_row(r: BenchRow) -> str:
    return (
        f"{r.scale:<5}  {r.requested:>9}  {r.first_fit:>9}  {r.placed:>6}  {r.placed_bound:>10}  "
        f"{r.gap:>6.2%}  {r.objective!s:>10}  {r.bound!s:>10}  {r.seconds:>7.1f}  "
        f"{r.peak_mb:>7.0f}  {r.violations:>10}"
    )


def print_table(rows: list[BenchRow], echo: Callable[[str], None]) -> None:
    echo(HEADER)
    for r in rows:
        echo(format_row(r))
