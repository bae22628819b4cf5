"""Planning ahead: weeks in order, each from the one before, expected sessions counted."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from planner.db.store import load_problem, load_solution
from planner.formats.validate import check_plan
from planner.register.ahead import plan_ahead, start_plan_ahead, weeks_from
from planner.register.attendance import pending_counts
from planner.register.store import RegisterError
from tests.databases import backend_engine
from tests.factories import package
from tests.planner.register.test_register import W50, W51, loaded, planned


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine("sqlite", tmp_path)


def test_weeks_from_crosses_the_new_year() -> None:
    assert weeks_from("2026-W52", 3) == ["2026-W52", "2026-W53", "2027-W01"]


def test_plan_ahead_counts_earlier_weeks_and_keeps_the_pattern(engine: Engine) -> None:
    loaded(engine, packages=[package(max_sessions=5)])  # r001: twice a week, 5 in all
    with Session(engine) as session:
        made = plan_ahead(W50, 3, session=session, time_limit=2)
        solutions = [load_solution(w.plan_id, session=session) for w in made]
        problems = [load_problem(w.scenario_id, session=session) for w in made]

    assert [w.week for w in made] == [W50, W51, "2026-W52"]
    assert [len(s.appointments) for s in solutions] == [2, 2, 1]  # 5 in all, never more
    assert [check_plan(p, s) for p, s in zip(problems, solutions, strict=True)] == [[], [], []]
    referrals = [p.referral("r001") for p in problems]
    assert [(r.intro, r.final, r.delivered) for r in referrals] == [
        (True, False, 0),
        (False, False, 2),
        (False, True, 4),
    ]
    first, second = (
        sorted((a.day.weekday(), a.start, a.therapist) for a in s.appointments)
        for s in solutions[:2]
    )
    assert second == first  # the same weekday, time and therapist as the week before
    assert [a.day.isoformat()[:7] for a in solutions[2].appointments] == ["2026-12"]


def test_plan_ahead_counts_a_published_week_not_yet_registered(engine: Engine) -> None:
    loaded(engine, packages=[package(max_sessions=5)])
    planned(engine, W50)  # published, nobody has registered attendance
    with Session(engine) as session:
        assert pending_counts(session, W51) == {"r001": 2}
        [ahead] = plan_ahead(W51, 1, session=session, time_limit=0)
        problem = load_problem(ahead.scenario_id, session=session)
    assert (problem.referral("r001").delivered, problem.referral("r001").intro) == (2, False)


def test_plan_ahead_refuses_more_than_four_weeks(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session, pytest.raises(RegisterError) as e:
        plan_ahead(W50, 5, session=session)
    assert e.value.errors == ["weeks: plan 1 to 4 weeks ahead, not 5"]


def ahead_jobs(engine: Engine) -> list[tuple[str, str, int | None]]:
    """The solve jobs so far: week, state, plan."""
    from planner.db.models import Scenario, SolveJob

    with Session(engine) as session:
        jobs = session.exec(select(SolveJob).order_by(col(SolveJob.id))).all()
        return [
            (session.get(Scenario, j.scenario_id).week, j.state, j.plan_id)  # type: ignore[union-attr]
            for j in jobs
        ]


def test_start_plan_ahead_plans_each_week_as_a_job_of_its_own(engine: Engine) -> None:
    loaded(engine, packages=[package(max_sessions=5)])
    with Session(engine) as session:
        job = start_plan_ahead(W50, 3, session=session, time_limit=1, background=False)
        assert job.state == "done"
        plans = [load_solution(p, session=session) for _w, _s, p in ahead_jobs(engine) if p]

    assert [(w, s) for w, s, _p in ahead_jobs(engine)] == [
        (W50, "done"), (W51, "done"), ("2026-W52", "done"),
    ]  # fmt: skip
    assert [len(s.appointments) for s in plans] == [2, 2, 1]  # 5 in all, never more
    first, second = (sorted((a.day.weekday(), a.start, a.therapist) for a in s.appointments)
                     for s in plans[:2])  # fmt: skip
    assert second == first


def test_start_plan_ahead_refuses_a_bad_count_before_making_anything(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session, pytest.raises(RegisterError) as refused:
        start_plan_ahead(W50, 5, session=session, background=False)
    assert refused.value.errors == ["weeks: plan 1 to 4 weeks ahead, not 5"]
    assert ahead_jobs(engine) == []


@pytest.mark.slow  # a planning process
def test_start_plan_ahead_runs_in_a_process_of_its_own(engine: Engine) -> None:
    """The request returns at once with the first week's job; the process plans both weeks."""
    loaded(engine)
    with Session(engine) as session:
        job = start_plan_ahead(W50, 2, session=session, time_limit=1, background=True)
    assert job.state == "queued"
    for _ in range(240):
        states = [s for _w, s, _p in ahead_jobs(engine)]
        if states == ["done", "done"] or "failed" in states:
            break
        time.sleep(0.5)
    assert [(w, s) for w, s, _p in ahead_jobs(engine)] == [(W50, "done"), (W51, "done")]
