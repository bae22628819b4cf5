"""Making a plan in the background: a solve runs in its own process, never inside a request.

The web app starts a job and polls its row; the job's process writes its progress (placed
sessions, bound, seconds) into the row, saves the result as the week's next draft, and stops
when a coordinator cancels it. A job whose process died without saying so (the server was
restarted) shows as failed once its row has not been touched for `STALE_AFTER` seconds.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from planner.db.engine import engine_from_url
from planner.db.models import Appointment, Plan, SolveJob
from planner.db.revision import mark_if_stale
from planner.db.store import appointment_of, get, load_problem, save_plan
from planner.formats.validate import check_plan
from planner.text.messages import Message, keep, text_message, to_json
from solver import problem as solved
from solver.problem import Problem, requested_sessions

#: How often the job's process looks for a cancel request and writes its clock, in seconds.
POLL_SECONDS = 0.5
#: A running job whose row is older than this has lost its process (one of another server, or
#: of this one before a restart; this server's own job processes are watched as they end).
STALE_AFTER = 30.0
ACTIVE = ("queued", "running")
#: A job's `error` is a catalogue message kept as JSON text (`stored_message` reads it back).
FAILED = Message("job.failed")
log = logging.getLogger("planner.plan.jobs")
JOB_DATABASE = "PLANNER_JOB_DATABASE_URL"
#: Job processes started by this process and not yet ended; a reaper thread waits for each.
CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def now() -> datetime:
    return datetime.now(UTC)


def start_solve(
    scenario_id: int,
    *,
    session: Session,
    time_limit: float = 30.0,
    base_plan_id: int | None = None,
    background: bool = True,
) -> SolveJob:
    """Start making a plan of a stored week; a week already being planned returns that job."""
    running = active_job(scenario_id, session=session)
    if running is not None:
        return running
    if base_plan_id is not None:
        get(session, Plan, base_plan_id)  # a plan that does not exist fails here, not later
    job = SolveJob(
        scenario_id=scenario_id,
        base_plan_id=base_plan_id,
        time_limit=time_limit,
        created_at=now(),
        updated_at=now(),
    )
    session.add(job)
    session.commit()
    session.refresh(job)
    url = session.get_bind().url.render_as_string(hide_password=False)  # type: ignore[union-attr]
    if background:
        launch(url, job.id or 0)
    else:
        run_job(url, job.id)  # type: ignore[arg-type]
        session.refresh(job)
    return job


def launch(
    url: str, job_id: int, module: str = "planner.plan.jobs", extra: list[str] | None = None
) -> None:
    """Run the job in a new Python process (the URL goes in the environment, not in `ps`);
    a thread waits for it to end, so it never lingers as a defunct process. `module` and
    `extra` arguments run another job of the same kind (planning ahead runs several weeks)."""
    env = {**os.environ, JOB_DATABASE: url}
    command = [sys.executable, "-m", module, str(job_id), *(extra or [])]
    child = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)
    CHILDREN[job_id] = child
    threading.Thread(target=reap, args=(url, job_id, child), daemon=True).start()


def reap(url: str, job_id: int, child: subprocess.Popen[bytes]) -> None:
    """Wait for a job's process; if it ended without finishing its job, the job failed."""
    code = child.wait()
    CHILDREN.pop(job_id, None)
    engine = engine_from_url(url)
    try:
        with Session(engine) as session:
            job = session.get(SolveJob, job_id)
            if job is not None and job.state in ACTIVE:
                job.state = "failed"
                job.error = keep(Message("job.process-ended", {"code": code}))
                job.updated_at = now()
                session.add(job)
                session.commit()
                log.error("solve job %s: its process ended with %s", job_id, code)
    finally:
        engine.dispose()


def active_job(scenario_id: int, *, session: Session) -> SolveJob | None:
    """The week's queued or running job, if any (after noticing a lost one)."""
    query = select(SolveJob).where(
        SolveJob.scenario_id == scenario_id, col(SolveJob.state).in_(ACTIVE)
    )
    for job in session.exec(query).all():
        if not notice_stale(job, session=session):
            return job
    return None


def read_job(job_id: int, *, session: Session) -> SolveJob:
    """A job as it stands now."""
    job = get(session, SolveJob, job_id)
    session.refresh(job)
    notice_stale(job, session=session)
    return job


def notice_stale(job: SolveJob, *, session: Session) -> bool:
    """Mark a job failed when its process stopped writing; True if it was."""
    updated = job.updated_at if job.updated_at.tzinfo else job.updated_at.replace(tzinfo=UTC)
    if job.state not in ACTIVE or now() - updated < timedelta(seconds=STALE_AFTER):
        return False
    child = CHILDREN.get(job.id or 0)
    if child is not None and child.poll() is None:  # still starting or working; reap() watches
        return False
    job.state = "failed"
    job.error = keep(Message("job.stale", {"seconds": round(STALE_AFTER)}))
    session.add(job)
    session.commit()
    session.refresh(job)
    return True


def cancel_job(job_id: int, *, session: Session) -> SolveJob:
    """Ask a job to stop; a job that has not begun stops at once."""
    job = read_job(job_id, session=session)
    if job.state == "queued":
        job.state = "cancelled"
    if job.state in ACTIVE:
        job.cancel_requested = True
    job.updated_at = now()
    session.add(job)
    session.commit()
    return job


# --- in the job's own process ----------------------------------------------------------------


def run_job(url: str, job_id: int) -> None:
    """Solve the job's week, writing progress, and save the plan as a draft."""
    from solver.solve import PinnedError, Progress, solve

    engine = engine_from_url(url)
    with Session(engine) as session:
        job = get(session, SolveJob, job_id)
        if job.state != "queued":
            return
        problem = problem_to_plan(job.scenario_id, job.base_plan_id, session=session)
        update(engine, job_id, state="running", requested=requested(problem))
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(engine, job_id, stop), daemon=True)
    watcher.start()

    def progress(p: Progress) -> None:
        # The neighbourhood search reports no bound (0); keep the proven one from the start.
        bound = {"bound": p.bound} if p.bound else {}
        update(engine, job_id, stage=p.stage, placed=p.placed, seconds=p.seconds, **bound)

    try:
        solution = solve(problem, job.time_limit, workers=2, progress=progress)
        broken = check_plan(problem, solution)
        if broken:  # never store a plan that breaks a rule
            rules = "; ".join(f"{v.rule}: {v.text()}" for v in broken)
            raise RuntimeError(f"the plan breaks {len(broken)} rules: {rules}")
        with Session(engine) as session:
            plan_id = save_plan(job.scenario_id, solution, session=session)
            lock(plan_id, {a.id for a in problem.pinned}, session=session)
            # The week's data may have been edited while the solver ran.
            mark_if_stale(session, plan_id)
        stop.set()
        update(
            engine,
            job_id,
            state="done",
            plan_id=plan_id,
            placed=solution.stats.sessions_placed,
            bound=solution.stats.bound,
            seconds=solution.stats.seconds,
        )
    except PinnedError as e:
        stop.set()
        texts = [to_json(text_message(t)) for t in e.errors]  # the solver's, in English
        update(
            engine, job_id, state="failed", error=keep(Message("job.pinned", {"problems": texts}))
        )
    except Exception:  # the coordinator sees a plain sentence; the details go to the log
        stop.set()
        log.exception("solve job %s failed", job_id)
        update(engine, job_id, state="failed", error=keep(FAILED))


def watch(engine: Engine, job_id: int, stop: threading.Event) -> None:
    """Keep the job's clock going, and end the process when the coordinator cancels."""
    began = time.monotonic()
    while not stop.wait(POLL_SECONDS):
        with Session(engine) as session:
            job = session.get(SolveJob, job_id)
            cancel = job is None or job.cancel_requested
        if cancel:
            update(engine, job_id, state="cancelled")
            os._exit(0)  # CP-SAT is in C++; ending the process is the sure way to stop it
        update(engine, job_id, seconds=round(time.monotonic() - began, 1))


def update(engine: Engine, job_id: int, **values: object) -> None:
    with Session(engine) as session:
        job = session.get(SolveJob, job_id)
        if job is None or (job.state in ("cancelled", "failed") and "state" not in values):
            return
        for name, value in values.items():
            setattr(job, name, value)
        job.updated_at = now()
        session.add(job)
        session.commit()


def requested(problem: Problem) -> int:
    return sum(requested_sessions(problem, r) for r in problem.referrals)


# --- what a solve keeps ----------------------------------------------------------------------


def problem_to_plan(scenario_id: int, base_plan_id: int | None, *, session: Session) -> Problem:
    """The stored week, keeping the base plan's locked appointments and minding the published
    plan of the week (its appointments are the `previous` plan to change as little as possible).
    """
    problem = load_problem(scenario_id, session=session)
    pinned = {a.id: a for a in problem.pinned}
    if base_plan_id is not None:
        pinned |= {a.id: a for a in plan_appointments(base_plan_id, session=session, locked=True)}
    previous = problem.previous
    published = published_plan(problem.week, session=session)
    if published is not None and published.id is not None:
        previous = tuple(plan_appointments(published.id, session=session))
    return replace(problem, pinned=tuple(pinned.values()), previous=previous)


def plan_appointments(
    plan_id: int, *, session: Session, locked: bool | None = None
) -> list[solved.Appointment]:
    """A saved plan's appointments (only the locked ones, or only the others, if asked)."""
    query = (
        select(Appointment)
        .where(Appointment.plan_id == plan_id)
        .options(selectinload(Appointment.participants))  # type: ignore[arg-type]
    )
    if locked is not None:
        query = query.where(Appointment.locked == locked)
    return [appointment_of(row) for row in session.exec(query.order_by(col(Appointment.id)))]


def published_plan(week: str, *, session: Session) -> Plan | None:
    query = select(Plan).where(Plan.week == week, Plan.status == "published")
    return session.exec(query).first()


def lock(plan_id: int, keys: set[str], *, session: Session) -> None:
    """Mark a saved plan's appointments with these ids as locked."""
    if not keys:
        return
    query = select(Appointment).where(
        Appointment.plan_id == plan_id, col(Appointment.key).in_(keys)
    )
    for row in session.exec(query).all():
        row.locked = True
        session.add(row)
    session.commit()


if __name__ == "__main__":
    run_job(os.environ[JOB_DATABASE], int(sys.argv[1]))
