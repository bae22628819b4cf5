"""`planner bench`: first fit against the optimiser on generated weeks of each size and kind.

Each week (scale, shape, seed) runs in a fresh process, so its peak memory is its own. Every plan
is checked by the validator; a plan that breaks a rule is reported in the table, not hidden.
Several seeds per scale and shape give the median and the worst gap: the kind of week, not one
instance. Home visits' driving is reported against driving every visit as a round trip.
"""

from __future__ import annotations

import multiprocessing
import resource
import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass

DEFAULT_LIMITS = {"S": 30.0, "M": 60.0, "L": 180.0, "XL": 900.0}


@dataclass(frozen=True)
class BenchRow:
    scale: str
    shape: str
    seed: int
    requested: int
    first_fit: int
    placed: int
    placed_bound: int
    gap: float  # share of the placed-sessions bound not placed
    seconds: float
    first_fit_seconds: float
    peak_mb: float
    violations: int
    home_visits: int
    drive_minutes: int  # the plan's driving to and between home visits
    round_trip_minutes: int  # the same visits, each driven as a round trip from the centre


def run_bench(
    scales: list[str],
    shapes: list[str],
    seeds: list[int],
    time_limit: float | None,
    workers: int,
    echo: Callable[[str], None],
    processes: int = 1,
) -> list[BenchRow]:
    rows = []
    context = multiprocessing.get_context("spawn")
    for scale in scales:
        limit = time_limit or DEFAULT_LIMITS.get(scale, 60.0)
        for shape in shapes:
            for seed in seeds:
                echo(f"bench: {scale} {shape} seed {seed}, time limit {limit:g} s ...")
                with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                    row = BenchRow(
                        **pool.submit(
                            bench_one, scale, shape, seed, limit, workers, processes
                        ).result()
                    )
                echo(f"bench: {format_row(row)}")
                rows.append(row)
    return rows


def bench_one(
    scale: str, shape: str, seed: int, time_limit: float, workers: int, processes: int = 1
) -> dict:
    """Generate, plan by first fit and by the optimiser, validate; runs in its own process
    (parts of the week optimised side by side in `processes` more)."""
    import time

    from planner.formats.scenario import parse_scenario
    from planner.formats.validate import check_plan
    from planner.tools.generate import generate
    from solver.solve import solve

    problem = parse_scenario(generate(scale, seed, shape=shape))
    began = time.monotonic()
    baseline = solve(problem, optimise=False)
    first_fit_seconds = time.monotonic() - began
    best = solve(problem, time_limit=time_limit, workers=workers, processes=processes)
    stats = best.stats
    bound = stats.placed_bound if stats.placed_bound is not None else stats.sessions_requested
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    if processes > 1:
        # Parts optimised in processes beside this one: at most that many of the largest at once.
        peak += processes * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    violations = check_plan(problem, best) + check_plan(problem, baseline)
    drive, round_trips, visits = driving(problem, best)
    return asdict(
        BenchRow(
            scale=scale,
            shape=shape,
            seed=seed,
            requested=stats.sessions_requested,
            first_fit=baseline.stats.sessions_placed,
            placed=stats.sessions_placed,
            placed_bound=bound,
            gap=(bound - stats.sessions_placed) / bound if bound else 0.0,
            seconds=stats.seconds,
            first_fit_seconds=round(first_fit_seconds, 1),
            peak_mb=round(peak, 1),
            violations=len(violations),
            home_visits=visits,
            drive_minutes=drive,
            round_trip_minutes=round_trips,
        )
    )


def driving(problem, plan) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """The plan's driving minutes for home visits, the same visits as round trips, visits."""
    from solver.problem import travel_minutes

    drive = round_trips = visits = 0
    for a in plan.appointments:
        if a.kind != "home" or a.referral is None:
            continue
        visits += 1
        drive += a.travel_before + a.travel_after
        centre = problem.centre(a.centre)
        home = problem.citizen(problem.referral(a.referral).citizen)
        leg = travel_minutes(problem.travel, centre.lat, centre.lon, home.lat, home.lon)
        round_trips += 2 * leg
    return drive, round_trips, visits


HEADER = (
    "scale  shape           seed  requested  first-fit  placed  placeable≤  gap     "
    "seconds  ff-sec  peak MB  violations  drive/round-trip min"
)


def format_row(r: BenchRow) -> str:
    return (
        f"{r.scale:<5}  {r.shape:<14}  {r.seed:>4}  {r.requested:>9}  {r.first_fit:>9}  "
        f"{r.placed:>6}  {r.placed_bound:>10}  {r.gap:>6.2%}  {r.seconds:>7.1f}  "
        f"{r.first_fit_seconds:>6.1f}  {r.peak_mb:>7.0f}  {r.violations:>10}  "
        f"{r.drive_minutes}/{r.round_trip_minutes}"
    )


SUMMARY_HEADER = (
    "scale  shape           seeds  median gap  worst gap  median s  worst s  peak MB  "
    "violations  first fit → placed (median)"
)


def summary(rows: list[BenchRow]) -> list[str]:
    """Per scale and shape: median and worst gap, seconds, the largest peak memory."""
    lines = [SUMMARY_HEADER]
    groups: dict[tuple[str, str], list[BenchRow]] = {}
    for r in rows:
        groups.setdefault((r.scale, r.shape), []).append(r)
    for (scale, shape), group in groups.items():
        gaps = [r.gap for r in group]
        secs = [r.seconds for r in group]
        lines.append(
            f"{scale:<5}  {shape:<14}  {len(group):>5}  {statistics.median(gaps):>10.2%}  "
            f"{max(gaps):>9.2%}  {statistics.median(secs):>8.1f}  {max(secs):>7.1f}  "
            f"{max(r.peak_mb for r in group):>7.0f}  {sum(r.violations for r in group):>10}  "
            f"{statistics.median(r.first_fit for r in group):g} → "
            f"{statistics.median(r.placed for r in group):g}"
        )
    return lines


def print_table(rows: list[BenchRow], echo: Callable[[str], None]) -> None:
    echo(HEADER)
    for r in rows:
        echo(format_row(r))
    echo("")
    for line in summary(rows):
        echo(line)
