"""The waiting list page's rows: order, expected first date, SUL §140 at risk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.register.store import add_course
from planner.views.waiting import at_risk, coming_monday, waiting_courses
from tests.databases import backend_engine
from tests.factories import citizen, package, referral
from tests.planner.register.test_register import W50, loaded, planned

SUL = {**package("SUL140-C", max_sessions=None), "basis": "SUL §140"}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine("sqlite", tmp_path)


def add(engine: Engine, key: str, granted: date, priority: int = 0, **over: object) -> None:
    with Session(engine) as session:
        add_course(
            citizen(f"c-{key}", name=f"Borger {key}"),
            referral(key, f"c-{key}", **over),
            granted,
            priority,
            session=session,
        )


def test_waiting_courses_in_start_order_with_expected_dates(engine: Engine) -> None:
    loaded(engine, packages=[package(), SUL])  # r001 waiting, granted Monday 7 December
    add(engine, "r002", date(2026, 12, 1), priority=2)
    add(engine, "r003", date(2026, 12, 2), package="SUL140-C", discharged="2026-12-02",
        sessions_per_week=1, session_minutes=60)  # fmt: skip
    add(engine, "r004", date(2026, 11, 20))

    with Session(engine) as session:
        rows = waiting_courses(session=session, today=date(2026, 12, 3))

    # SUL §140 first, then the higher priority, then the earlier grant.
    assert [(r.position, r.key) for r in rows] == [(1, "r003"), (2, "r002"), (3, "r004"),
                                                   (4, "r001")]  # fmt: skip
    sul = rows[0]
    assert (sul.deadline, sul.expected, sul.planned, sul.at_risk) == (
        date(2026, 12, 9), date(2026, 12, 7), False, False,
    )  # fmt: skip
    assert rows[1].citizen == "Borger r002"
    assert [r.at_risk for r in rows[1:]] == [False, False, False]


def test_waiting_course_expected_from_its_plan_and_at_risk_after_its_deadline(
    engine: Engine,
) -> None:
    loaded(engine, packages=[package(), SUL])
    # Discharged 28 November: due by Saturday 5 December, before week 50 begins.
    add(engine, "r002", date(2026, 11, 28), package="SUL140-C", discharged="2026-11-28",
        sessions_per_week=1, session_minutes=60)  # fmt: skip
    planned(engine, W50)  # published, attendance not yet registered: both still waiting

    with Session(engine) as session:
        rows = {r.key: r for r in waiting_courses(session=session, today=date(2026, 12, 4))}

    assert rows["r002"].planned and rows["r002"].expected >= date(2026, 12, 7)
    assert (rows["r002"].deadline, rows["r002"].at_risk) == (date(2026, 12, 5), True)
    assert rows["r001"].planned and not rows["r001"].at_risk


def test_at_risk_when_expected_after_the_deadline_or_the_deadline_passed() -> None:
    assert at_risk(date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 1)) is True
    assert at_risk(date(2026, 12, 8), date(2026, 12, 8), date(2026, 12, 1)) is False
    assert at_risk(date(2026, 12, 8), date(2026, 12, 7), date(2026, 12, 9)) is True
    assert at_risk(None, date(2026, 12, 30), date(2026, 12, 1)) is False


def test_coming_monday_is_the_next_weeks() -> None:
    assert coming_monday(date(2026, 12, 3)) == date(2026, 12, 7)
    assert coming_monday(date(2026, 12, 7)) == date(2026, 12, 14)
