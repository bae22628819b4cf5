"""Background solves: progress in the job's row, the result as a draft, locks kept, cancel."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import Appointment, Plan, SolveJob
from planner.db.store import export_plan, import_scenario
from planner.plan.jobs import CHILDREN, FAILED, active_job, cancel_job, read_job, start_solve
from planner.plan.versions import publish
from planner.text.messages import Message, stored_message
from tests.databases import BACKENDS, backend_engine
from tests.databases import stored_plan_violations as violations
from tests.factories import scenario


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine(request.param, tmp_path)


def small_week(engine: Engine) -> int:
    """The factory week: one referral of two sessions."""
    with Session(engine) as session:
        return import_scenario(scenario(), session=session)


def wait_for(engine: Engine, job_id: int, states: tuple[str, ...], seconds: float) -> SolveJob:
    until = time.monotonic() + seconds
    while True:
        with Session(engine) as session:
            job = read_job(job_id, session=session)
        if job.state in states or time.monotonic() > until:
            return job
        time.sleep(0.2)


def test_start_solve_saves_a_valid_draft_with_its_figures(engine: Engine) -> None:
    scenario_id = small_week(engine)
    with Session(engine) as session:
        job = start_solve(scenario_id, session=session, time_limit=2, background=False)

        plan = session.get(Plan, job.plan_id)
        assert (job.state, job.requested, job.placed) == ("done", 2, 2)
        assert plan is not None and (plan.status, plan.version) == ("draft", 1)
    assert violations(engine, job.plan_id or 0) == []


def test_start_solve_keeps_the_locked_appointments_of_the_base_plan(engine: Engine) -> None:
    scenario_id = small_week(engine)
    with Session(engine) as session:
        first = start_solve(scenario_id, session=session, time_limit=2, background=False)
        row = session.exec(select(Appointment).where(Appointment.plan_id == first.plan_id)).first()
        assert row is not None
        row.locked = True
        session.add(row)
        session.commit()
        kept = (row.key, row.date, row.start, row.therapist)

        again = start_solve(
            scenario_id, session=session, time_limit=2, base_plan_id=first.plan_id,
            background=False,
        )  # fmt: skip
        rows = session.exec(select(Appointment).where(Appointment.plan_id == again.plan_id)).all()

    locked = [(r.key, r.date, r.start, r.therapist) for r in rows if r.locked]
    assert locked == [kept]
    assert violations(engine, again.plan_id or 0) == []


def test_start_solve_minds_the_published_plan_as_previous(engine: Engine) -> None:
    scenario_id = small_week(engine)
    with Session(engine) as session:
        first = start_solve(scenario_id, session=session, time_limit=2, background=False)
        publish(first.plan_id or 0, session=session)
        again = start_solve(scenario_id, session=session, time_limit=2, background=False)
        before = export_plan(first.plan_id or 0, session=session)["appointments"]
        after = export_plan(again.plan_id or 0, session=session)["appointments"]

    assert after == before  # nothing changed, so every appointment is kept, ids included


def test_a_week_being_planned_is_not_planned_twice(engine: Engine) -> None:
    scenario_id = small_week(engine)
    with Session(engine) as session:
        queued = SolveJob(
            scenario_id=scenario_id, time_limit=5, created_at=datetime.now(UTC),
            updated_at=datetime.now(UTC),
        )  # fmt: skip
        session.add(queued)
        session.commit()

        again = start_solve(scenario_id, session=session, background=False)

        assert again.id == queued.id
        assert active_job(scenario_id, session=session) is not None


def test_cancel_stops_a_queued_job_at_once(engine: Engine) -> None:
    scenario_id = small_week(engine)
    with Session(engine) as session:
        job = SolveJob(
            scenario_id=scenario_id, time_limit=5, created_at=datetime.now(UTC),
            updated_at=datetime.now(UTC),
        )  # fmt: skip
        session.add(job)
        session.commit()

        cancelled = cancel_job(job.id or 0, session=session)

        assert cancelled.state == "cancelled"
        assert active_job(scenario_id, session=session) is None


def test_a_job_whose_process_went_silent_shows_as_failed(engine: Engine) -> None:
    scenario_id = small_week(engine)
    with Session(engine) as session:
        old = datetime.now(UTC) - timedelta(minutes=5)
        job = SolveJob(
            scenario_id=scenario_id, state="running", time_limit=5, created_at=old, updated_at=old
        )
        session.add(job)
        session.commit()

        seen = read_job(job.id or 0, session=session)

        assert seen.state == "failed"
        assert stored_message(seen.error) == Message("job.stale", {"seconds": 30})


def defunct_children() -> list[str]:
    """This process's children that ended but were never waited for (zombies)."""
    out = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] == "Z":
            out.append(status.parent.name)
    return out


@pytest.mark.slow  # solver processes
@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_killed_solve_shows_as_failed_within_seconds_and_leaves_no_defunct_process(
    backend: str, tmp_path: Path
) -> None:
    for engine in backend_engine(backend, tmp_path):
        scenario_id = small_week(engine)
        with Session(engine) as session:
            done = start_solve(scenario_id, session=session, time_limit=1)
        wait_for(engine, done.id or 0, ("done", "failed"), 60)
        with Session(engine) as session:
            job = start_solve(scenario_id, session=session, time_limit=60)
        wait_for(engine, job.id or 0, ("running",), 30)
        CHILDREN[job.id or 0].send_signal(signal.SIGKILL)
        began = time.monotonic()
        failed = wait_for(engine, job.id or 0, ("failed",), 5)

        assert time.monotonic() - began < 5
        assert stored_message(failed.error) == Message("job.process-ended", {"code": -9})
        time.sleep(0.5)
        assert defunct_children() == []


@pytest.mark.slow  # solver processes
@pytest.mark.parametrize("backend", ["sqlite"])
def test_background_job_runs_in_its_own_process_and_can_be_cancelled(
    backend: str, tmp_path: Path
) -> None:
    for engine in backend_engine(backend, tmp_path):
        scenario_id = small_week(engine)
        with Session(engine) as session:
            done = start_solve(scenario_id, session=session, time_limit=1)
        finished = wait_for(engine, done.id or 0, ("done", "failed"), 60)
        assert (finished.state, finished.placed, finished.error) == ("done", 2, None)

        with Session(engine) as session:
            job = start_solve(scenario_id, session=session, time_limit=60)
        wait_for(engine, job.id or 0, ("running",), 30)
        with Session(engine) as session:
            cancel_job(job.id or 0, session=session)
        stopped = wait_for(engine, job.id or 0, ("cancelled",), 10)
        assert (stopped.state, stopped.plan_id) == ("cancelled", None)


def test_a_job_that_fails_says_so_plainly_and_stores_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr("solver.solve.solve", broken)
    scenario_id = small_week(engine)
    with Session(engine) as session:
        job = start_solve(scenario_id, session=session, time_limit=2, background=False)

        assert (job.state, job.plan_id, stored_message(job.error)) == ("failed", None, FAILED)
        assert session.exec(select(Plan)).all() == []
