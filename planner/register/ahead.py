"""Planning ahead: the next one to four weeks, in order, each from the register.

Each week uses the plan of the week before as its pattern (`previous`: same weekday, time and
therapist, the same class meetings with the same participants where the plan can), and the
sessions planned in earlier weeks that are not yet held count as expected: as delivered, until
attendance is registered (so a course is not planned past its package, nor given a second start
assessment). The weeks are stored as drafts, to be looked at and published as any week.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.engine import engine_from_url
from planner.db.models import Plan, SolveJob
from planner.db.store import get, load_problem, load_solution, save_plan
from planner.formats.scenario import week_monday
from planner.formats.validate import check_plan
from planner.plan.jobs import JOB_DATABASE, launch, now, run_job
from planner.register.derive import store_week, week_document
from planner.register.store import RegisterError
from solver.problem import Appointment

#: How many weeks may be planned ahead at once.
MOST_WEEKS_AHEAD = 4
log = logging.getLogger("planner.register.ahead")


@dataclass(frozen=True)
class AheadWeek:
    week: str
    scenario_id: int
    plan_id: int
    placed: int
    requested: int


def weeks_from(first: str, count: int) -> list[str]:
    """`count` ISO weeks from `first`; RegisterError naming the field for a week that is none."""
    monday = week_monday(first) if re.fullmatch(r"\d{4}-W\d{2}", first) else None
    if monday is None:
        raise RegisterError.of("week", "register.not-a-week", week=first)
    found = []
    for i in range(count):
        year, week, _ = (monday + timedelta(weeks=i)).isocalendar()
        found.append(f"{year}-W{week:02d}")
    return found


def plan_ahead(
    first: str, weeks: int, *, session: Session, time_limit: float = 10.0
) -> list[AheadWeek]:
    """Derive and plan `weeks` weeks from `first`, in order; each week's plan is a draft.

    RegisterError if the count is not 1 to 4 or a week cannot be derived; a plan the validator
    rejects is never stored (RuntimeError, the weeks before it kept).
    """
    from solver.solve import solve  # the solver is loaded only when planning

    names = ahead_weeks(first, weeks)
    # Published weeks' sessions nobody registered yet are counted by the derive itself
    # (pending_counts); the drafts planned here before a week count as expected on top.
    expected: Counter[str] = Counter()
    pattern: Plan | None = None
    made = []
    for week in names:
        scenario_id = derive_ahead(week, expected, pattern, session=session)
        problem = load_problem(scenario_id, session=session)
        solution = solve(problem, max(time_limit, 1.0), optimise=time_limit > 0)
        broken = check_plan(problem, solution)
        if broken:
            raise RuntimeError(f"the plan of {week} breaks {len(broken)} rules: {broken[:3]}")
        plan_id = save_plan(scenario_id, solution, session=session)
        pattern = session.get(Plan, plan_id)
        count_expected(expected, solution.appointments)
        made.append(
            AheadWeek(
                week,
                scenario_id,
                plan_id,
                solution.stats.sessions_placed,
                solution.stats.sessions_requested,
            )
        )
    return made


def ahead_weeks(first: str, weeks: int) -> list[str]:
    """The weeks to plan; RegisterError unless 1 to 4 of them from an ISO week."""
    if not 1 <= weeks <= MOST_WEEKS_AHEAD:
        raise RegisterError.of("weeks", "register.weeks-ahead", most=MOST_WEEKS_AHEAD, weeks=weeks)
    return weeks_from(first, weeks)


def derive_ahead(
    week: str, expected: Counter[str], pattern: Plan | None, *, session: Session
) -> int:
    """One week of the run derived with what the weeks before it expect, and stored; its id."""
    doc = week_document(week, session=session, expected=expected, pattern=pattern, check=False)
    return store_week(doc, session=session)


def count_expected(expected: Counter[str], appointments: Iterable[Appointment]) -> None:
    """A planned week's sessions, per course, added to what later weeks expect."""
    for a in appointments:
        for key in a.participants if a.kind == "team" else (a.referral,):
            if key is not None:
                expected[key] += 1


# --- as a background job ------------------------------------------------------------------------


def start_plan_ahead(
    first: str,
    weeks: int,
    *,
    session: Session,
    time_limit: float = 30.0,
    background: bool = True,
) -> SolveJob:
    """Start planning `weeks` weeks from `first` in the background; the first week's job.

    The first week is derived here (RegisterError at once when it cannot be); its solve and
    every later week run in one process of their own, week after week, each week a solve job
    of its own with its progress (`planner.plan.jobs`). Cancelling a week's job stops the
    weeks after it too.
    """
    names = ahead_weeks(first, weeks)
    scenario_id = derive_ahead(names[0], Counter(), None, session=session)
    job = queued_job(scenario_id, time_limit, session=session)
    url = session.get_bind().url.render_as_string(hide_password=False)  # type: ignore[union-attr]
    rest = names[1:]
    if background:
        launch(url, job.id or 0, module="planner.register.ahead", extra=rest)
    else:
        run_ahead(url, job.id or 0, rest)
        session.refresh(job)
    return job


def queued_job(scenario_id: int, time_limit: float, *, session: Session) -> SolveJob:
    job = SolveJob(
        scenario_id=scenario_id, time_limit=time_limit, created_at=now(), updated_at=now()
    )
    session.add(job)
    session.commit()
    session.refresh(job)
    return job


def run_ahead(url: str, job_id: int, rest: list[str]) -> None:
    """In the job's process: solve the week of the job, then derive and solve each later week
    with the plan before it as pattern and the plans so far as expected sessions; stop at the
    first week that does not end with a plan (failed or cancelled) or cannot be derived."""
    engine = engine_from_url(url)
    expected: Counter[str] = Counter()
    try:
        plan_id = solved_plan(engine, url, job_id, expected)
        for week in rest:
            if plan_id is None:
                return
            with Session(engine) as session:
                pattern = session.get(Plan, plan_id)
                time_limit = get(session, SolveJob, job_id).time_limit
                try:
                    scenario_id = derive_ahead(week, expected, pattern, session=session)
                except RegisterError as e:
                    log.error("planning ahead stopped before %s: %s", week, e.errors)
                    return
                job_id = queued_job(scenario_id, time_limit, session=session).id or 0
            plan_id = solved_plan(engine, url, job_id, expected)
    finally:
        engine.dispose()


def solved_plan(engine: Engine, url: str, job_id: int, expected: Counter[str]) -> int | None:
    """Run one week's job; its plan's id, its sessions added to `expected` (None: no plan)."""
    run_job(url, job_id)
    with Session(engine) as session:
        job = session.get(SolveJob, job_id)
        if job is None or job.state != "done" or job.plan_id is None:
            return None
        count_expected(expected, load_solution(job.plan_id, session=session).appointments)
        return job.plan_id


if __name__ == "__main__":
    run_ahead(os.environ[JOB_DATABASE], int(sys.argv[1]), sys.argv[2:])
