"""The `planner` command line, used by coordinators' scripts and by tools outside the product.

Exit codes: 0 done, 1 the plan breaks a rule (`check`), 2 bad input. Errors are printed as
sentences on stderr, never as a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from planner.formats.plan import PlanError, load_plan, plan_document
from planner.formats.scenario import ScenarioError, load_scenario
from planner.formats.validate import check_plan
from planner.text.messages import render
from solver.problem import Problem, Solution

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Weekly plans for municipal training centres: scenario/1 in, plan/1 out.",
)

BAD_INPUT = 2


def fail(errors: list[str], headline: str) -> typer.Exit:
    """Print every error under a headline and return the exit for bad input."""
    typer.echo(f"{headline} ({len(errors)} error{'s' if len(errors) != 1 else ''}):", err=True)
    for error in errors:
        typer.echo(f"  - {error}", err=True)
    return typer.Exit(BAD_INPUT)


def read_scenario(path: Path) -> Problem:
    try:
        return load_scenario(path)
    except ScenarioError as e:
        raise fail(e.errors, f"{path} is not a valid scenario/1 document") from None


@app.command()
def validate(scenario: Path) -> None:
    """Check a scenario/1 document: exit 0 when it is valid, 2 with every error when not."""
    problem = read_scenario(scenario)
    typer.echo(
        f"{scenario}: valid scenario/1, week {problem.week}: {len(problem.centres)} centres, "
        f"{len(problem.therapists)} therapists, {len(problem.referrals)} referrals, "
        f"{len(problem.days)} planning days"
    )


@app.command()
def solve(
    scenario: Path,
    output: Annotated[Path, typer.Option("-o", "--output", help="where to write plan/1")],
    time_limit: Annotated[float, typer.Option(help="seconds the optimiser may use")] = 30.0,
    workers: Annotated[int, typer.Option(help="CP-SAT search workers")] = 2,
    processes: Annotated[
        int, typer.Option(help="independent parts of the week optimised side by side")
    ] = 1,
) -> None:
    """Plan the week of SCENARIO and write the plan/1 document to OUTPUT."""
    from solver.solve import PinnedError
    from solver.solve import solve as solve_week

    if time_limit <= 0 or workers < 1 or processes < 1:
        raise fail(
            ["--time-limit must be above 0, --workers and --processes at least 1"], "Bad options"
        )
    if not output.parent.is_dir():
        raise fail([f"-o {output}: the folder {output.parent} does not exist"], "Bad options")
    problem = read_scenario(scenario)
    progress = ProgressLine()
    try:
        solution = solve_week(problem, time_limit, workers, progress=progress, processes=processes)
    except PinnedError as e:
        raise fail(e.errors, "Pinned appointments cannot be kept") from None
    progress.finish(solution)
    write_json(output, plan_document(problem, solution))
    typer.echo(summary(problem, solution, output), err=True)


@app.command()
def check(scenario: Path, plan: Path) -> None:
    """Check a plan/1 document against its scenario: exit 1 on any broken rule, 2 on bad input."""
    problem = read_scenario(scenario)
    try:
        solution = load_plan(problem, plan)
    except PlanError as e:
        # An unreadable or malformed plan is bad input, not a broken rule.
        raise fail(e.errors, f"{plan} is not a valid plan/1 document") from None
    violations = check_plan(problem, solution)
    if violations:
        typer.echo(f"{plan} breaks {len(violations)} rule(s):", err=True)
        for v in violations:
            typer.echo(f"  - [{v.rule}] {v.text()}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{plan}: no violations ({len(solution.appointments)} appointments)")


@app.command()
def generate(
    scale: Annotated[str, typer.Option(help="S, M, L or XL")] = "S",
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
    shape: Annotated[
        str,
        typer.Option(
            help="kind of week: usual, scarce-skills, tight-rooms, full-classes, "
            "home-villages, narrow-windows, part-timers or sul-peak"
        ),
    ] = "usual",
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Write a generated scenario/1 document of a municipality's size and kind of week."""
    from planner.tools.generate import SCALES, SHAPES
    from planner.tools.generate import generate as make

    if scale.upper() not in SCALES:
        raise fail([f"--scale must be one of {', '.join(SCALES)}, not {scale!r}"], "Bad options")
    if shape not in SHAPES:
        raise fail([f"--shape must be one of {', '.join(SHAPES)}, not {shape!r}"], "Bad options")
    doc = make(scale.upper(), seed, shape=shape)
    if output is None:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=1))
    else:
        write_json(output, doc)


@app.command()
def bench(
    scales: Annotated[str, typer.Option(help="comma-separated scales")] = "S,M,L",
    shapes: Annotated[
        str, typer.Option(help="comma-separated kinds of week (planner generate --shape)")
    ] = "usual",
    seeds: Annotated[str, typer.Option(help="comma-separated generator seeds")] = "1",
    time_limit: Annotated[
        float | None, typer.Option(help="seconds per solve (default: S 30, M 60, L 180, XL 900)")
    ] = None,
    workers: Annotated[int, typer.Option(help="CP-SAT search workers")] = 2,
    processes: Annotated[
        int, typer.Option(help="independent parts of a week optimised side by side")
    ] = 1,
) -> None:
    """First fit against the optimiser on generated weeks, as a table per week and a summary
    per scale and shape (median and worst gap)."""
    from planner.tools.bench import print_table, run_bench
    from planner.tools.generate import SCALES, SHAPES

    names = [s.strip().upper() for s in scales.split(",") if s.strip()]
    kinds = [s.strip() for s in shapes.split(",") if s.strip()]
    errors = [
        f"--scales: {n!r} is not one of {', '.join(SCALES)}" for n in names if n not in SCALES
    ]
    errors += [
        f"--shapes: {k!r} is not one of {', '.join(SHAPES)}" for k in kinds if k not in SHAPES
    ]
    try:
        numbers = [int(s) for s in seeds.split(",") if s.strip()]
    except ValueError:
        errors.append(f"--seeds must be whole numbers separated by commas, not {seeds!r}")
        numbers = []
    if processes < 1:
        errors.append("--processes must be at least 1")
    if errors:
        raise fail(errors, "Bad options")
    rows = run_bench(
        names,
        kinds,
        numbers,
        time_limit,
        workers,
        echo=lambda line: typer.echo(line, err=True),
        processes=processes,
    )
    print_table(rows, typer.echo)


@app.command()
def simulate(
    weeks: Annotated[int, typer.Option(help="how many weeks to run")] = 12,
    scale: Annotated[str, typer.Option(help="XS, S, M, L or XL")] = "S",
    seed: Annotated[int, typer.Option(help="random seed (the same seed, the same run)")] = 1,
    db: Annotated[
        Path | None, typer.Option("--db", help="SQLite file to keep the run in (default: none)")
    ] = None,
    start: Annotated[str, typer.Option(help="the first ISO week")] = "2027-W02",
    time_limit: Annotated[
        float, typer.Option(help="seconds the optimiser may use a week (0: first fit only)")
    ] = 0.0,
) -> None:
    """The whole loop week after week: new courses, derive, plan, publish, attendance."""
    import re
    import tempfile

    from sqlalchemy import event
    from sqlmodel import Session

    from planner.db.engine import engine_from_url, migrate
    from planner.tools.simulate import SIM_SCALES
    from planner.tools.simulate import simulate as run

    errors = []
    if scale.upper() not in SIM_SCALES:
        errors.append(f"--scale must be one of {', '.join(SIM_SCALES)}, not {scale!r}")
    if weeks < 1:
        errors.append("--weeks must be at least 1")
    if time_limit < 0:
        errors.append("--time-limit must be 0 (first fit) or more")
    if not re.fullmatch(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])", start):
        errors.append(f"--start {start!r} is not an ISO week; write it as 2027-W02")
    if db is not None and (db.exists() or not db.parent.is_dir()):
        errors.append(f"--db {db}: give a new file in a folder that exists")
    if errors:
        raise fail(errors, "Bad options")
    with tempfile.TemporaryDirectory() as folder:
        engine = engine_from_url(db if db is not None else Path(folder) / "simulate.db")
        if engine.dialect.name == "sqlite":  # a run to read afterwards, not a ledger: no fsync
            event.listen(engine, "connect", fast_sqlite)
        migrate(engine)
        with Session(engine) as session:
            result = run(
                session=session,
                weeks=weeks,
                scale=scale.upper(),
                seed=seed,
                start=start,
                time_limit=time_limit,
                echo=typer.echo,
            )
        engine.dispose()
    typer.echo("")
    for line in result.figures:
        typer.echo(line)
    typer.echo("")
    for rule, broken in result.invariants.items():
        typer.echo(
            f"{'kept' if not broken else 'BROKEN'}: {rule}"
            + (f" ({len(broken)})" if broken else "")
        )
        for line in broken[:5]:
            typer.echo(f"  - {line}")
    violations = sum(r.violations for r in result.rows)
    typer.echo(
        f"{'kept' if not violations else 'BROKEN'}: every week's plan passes the validator"
        + (f" ({violations} violations)" if violations else "")
    )
    if not result.ok:
        raise typer.Exit(1)


def fast_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@app.command("bench-repair")
def bench_repair(
    scales: Annotated[str, typer.Option(help="comma-separated scales")] = "S,M,L",
    seed: Annotated[int, typer.Option(help="generator seed")] = 1,
    replan_limit: Annotated[
        float | None, typer.Option(help="seconds for the full re-plan (default: S 20, M 40, L 90)")
    ] = None,
) -> None:
    """Repair of a published week (a therapist ill) against a full re-plan and a baseline."""
    from planner.tools.bench_repair import print_table, run_bench_repair

    names = [s.strip().upper() for s in scales.split(",") if s.strip()]
    rows = run_bench_repair(names, seed, replan_limit, echo=lambda line: typer.echo(line, err=True))
    print_table(rows, typer.echo)


# --- output ----------------------------------------------------------------------------------


def write_json(path: Path, doc: dict) -> None:
    """Write a document whole or not at all (a half-written plan is worse than none)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise fail([f"{path}: cannot write the file ({e.strerror or e})"], "Not written") from None


class ProgressLine:
    """Live progress on stderr: sessions placed, the proven bound on them, elapsed seconds.

    Stage two (contact therapist, previous plan, fair load, compact days) keeps what stage one
    placed, so its lines say what it works on instead of an objective number; `finish` prints the
    plan's own count last, so the final line and the summary always agree (rooms and the refill
    after stage two can still change it).
    """

    def __init__(self) -> None:
        self.last = 0.0
        self.began = time.monotonic()
        self.bound = 0  # the neighbourhood search reports none: keep the proven one
        self.placed = -1

    def __call__(self, p) -> None:  # solver.solve.Progress
        self.bound = p.bound or self.bound
        if p.stage != "secondary" and p.placed >= 0:
            self.placed = p.placed
        now = time.monotonic()
        if now - self.last < 0.5 and p.stage != "first-fit":
            return
        self.last = now
        if p.stage == "secondary":
            self.line(
                p.seconds, "refining", "contact therapist, previous plan, fair load, compact days"
            )
        else:
            self.line(p.seconds, STAGE_WORDS.get(p.stage, p.stage), self.counts(self.placed))

    def finish(self, solution: Solution) -> None:
        s = solution.stats
        self.bound = s.placed_bound or self.bound
        self.line(time.monotonic() - self.began, "done", self.counts(s.sessions_placed))

    def counts(self, placed: int) -> str:
        return f"placed {placed:5d}  at most {self.bound} placeable"

    def line(self, seconds: float, stage: str, text: str) -> None:
        typer.echo(f"[{seconds:7.1f} s] {stage:<9} {text}", err=True)


#: What a coordinator reads for each stage of the solver.
STAGE_WORDS = {"first-fit": "first fit", "primary": "searching"}


def summary(problem: Problem, solution: Solution, output: Path) -> str:
    s = solution.stats
    lines = [
        f"{problem.name}, {problem.week}: {s.sessions_placed} of {s.sessions_requested} "
        f"sessions placed ({solution.status}, {s.seconds:.1f} s), "
        f"at most {s.placed_bound} placeable",
        f"{len(solution.appointments)} appointments written to {output}",
    ]
    if solution.unplaced:
        missing = sum(u.sessions for u in solution.unplaced)
        lines.append(f"{missing} sessions of {len(solution.unplaced)} referrals unplaced, e.g.:")
        lines += [
            f"  {u.referral}: {u.sessions} — {render(u.reasons[0])}" for u in solution.unplaced[:5]
        ]
    deadlines = [w for w in solution.warnings if w.code == "start-deadline"]
    if deadlines:
        lines.append(f"{len(deadlines)} SUL §140 start(s) miss their 7 days:")
        lines += [f"  {w.referral}: {render(w.message)}" for w in deadlines[:5]]
    return "\n".join(lines)


def main() -> None:
    """Entry point that turns any unexpected failure into one sentence, not a traceback."""
    try:
        app()
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except Exception as e:  # the last line of defence: a user never sees a traceback
        typer.echo(f"planner: internal error: {type(e).__name__}: {e}", err=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
