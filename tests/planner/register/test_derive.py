"""Deriving a week from the register: waiting courses come in the waiting list's order, and
the plan starts them in that order as far as capacity allows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.store import load_problem
from planner.formats.validate import check_plan
from planner.register.derive import derive_week, week_document
from planner.register.store import add_course, import_register
from solver.options import build_options
from solver.order import plan_draft, queue_breaches, starting
from solver.solve import solve
from tests.databases import backend_engine
from tests.factories import citizen, referral, scenario, therapist

W50 = "2026-W50"
MONDAY_HOUR = {"mon": [["08:00", "09:00"]]}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine("sqlite", tmp_path)


def waiting_three(engine: Engine, sul: bool = True) -> None:
    """One therapist with one hour on Monday, no course yet; then three waiting: r-low (granted
    first, priority 0), r-high (priority 2) and r-sul (SUL §140, discharged 2026-12-03)."""
    with Session(engine) as session:
        import_register(
            scenario(therapists=[therapist(hours=MONDAY_HOUR)], citizens=[], referrals=[]),
            session=session,
        )
        one = {"sessions_per_week": 1, "session_minutes": 60}
        for key, granted, priority, discharged in [
            ("low", date(2026, 11, 20), 0, None),
            ("high", date(2026, 11, 30), 2, None),
            ("sul", date(2026, 12, 3), 0, "2026-12-03"),
        ][: 3 if sul else 2]:
            person = citizen(f"c-{key}")
            course = referral(f"r-{key}", f"c-{key}", discharged=discharged, **one)
            add_course(person, course, granted, priority, session=session)


def test_derived_week_lists_waiting_courses_in_the_waiting_list_s_order(engine: Engine) -> None:
    waiting_three(engine)
    with Session(engine) as session:
        doc = week_document(W50, session=session)

    assert [(r["id"], r["delivered"], r["intro"]) for r in doc["referrals"]] == [
        ("r-sul", 0, True), ("r-high", 0, True), ("r-low", 0, True),
    ]  # fmt: skip


@pytest.mark.parametrize("time_limit", [0, 3])
@pytest.mark.parametrize("sul", [True, False])
def test_the_one_free_hour_goes_to_the_first_on_the_waiting_list(
    engine: Engine, time_limit: float, sul: bool
) -> None:
    """First fit (0) and the optimiser (3 s) alike: the SUL §140 start gets the hour, and
    without it the course of higher priority, though the other was granted first."""
    waiting_three(engine, sul)
    with Session(engine) as session:
        problem = load_problem(derive_week(W50, session=session), session=session)
    solution = solve(problem, max(time_limit, 1.0), optimise=time_limit > 0)
    options = build_options(problem)

    assert check_plan(problem, solution) == []
    queue = ["r-sul", "r-high", "r-low"] if sul else ["r-high", "r-low"]
    assert [r.id for r in starting(problem)] == queue
    assert [a.referral for a in solution.appointments] == queue[:1]
    draft = plan_draft(problem, options, solution.appointments)
    assert queue_breaches(problem, options, draft) == []
