"""Figures over time: a week's counts from its published plan, attendance and course history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.store import load_solution
from planner.register.attendance import plan_with_attendance, record_attendance
from planner.register.store import add_course
from planner.views.figures import (
    WeekFigures,
    chart,
    figures_csv,
    median,
    percentile,
    table_rows,
    week_figures,
)
from tests.databases import BACKENDS, backend_engine
from tests.factories import citizen, package, referral
from tests.planner.register.test_register import W50, W51, loaded, planned

SUL = {**package("SUL140-C", max_sessions=None), "basis": "SUL §140"}


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine(request.param, tmp_path)


def register(engine: Engine, plan_id: int, statuses: list[str]) -> list[tuple[date, int, int]]:
    """Register the plan's sessions in time order with these statuses; their days and minutes."""
    with Session(engine) as session:
        doc = plan_with_attendance(plan_id, session=session)
        solution = load_solution(plan_id, session=session)
        by_id = {a.id: a for a in solution.appointments}
        found = []
        ordered = sorted(doc["appointments"], key=lambda a: a["start"])
        for a, status in zip(ordered, statuses, strict=True):
            record_attendance(plan_id, a["id"], a["referral"], status, session=session, by="k")
            one = by_id[a["id"]]
            found.append((one.day, one.end - one.start, one.travel_before + one.travel_after))
    return found


def test_week_figures_count_a_week_of_plan_and_attendance(engine: Engine) -> None:
    loaded(engine)  # r001, TG1 twice a week, granted Monday 7 December (the import's week)
    plan_id = planned(engine, W50)
    sessions = register(engine, plan_id, ["delivered", "no-show"])

    with Session(engine) as session:
        [week] = week_figures(session=session, weeks=[W50])

    first_day = sessions[0][0]
    booked = sum(minutes + travel for _, minutes, travel in sessions)
    assert week == WeekFigures(
        week=W50, planned=2, delivered=1, cancelled_by_citizen=0, cancelled_by_centre=0,
        no_show=1, unregistered=0, utilisation=round(100 * booked / (5 * 480)), waiting=0,
        active=1, started=1, ended=0, wait_median=float((first_day - date(2026, 12, 7)).days),
        wait_p90=float((first_day - date(2026, 12, 7)).days), sul_starts=0, sul_within=0,
    )  # fmt: skip


def test_week_figures_count_sul_140_starts_within_7_days_and_the_waiting_list(
    engine: Engine,
) -> None:
    loaded(engine, packages=[package(), SUL])
    with Session(engine) as session:
        # Discharged Monday 14 December (W51): due by Monday 21st.
        add_course(
            citizen("c002", name="Ole Hansen"),
            referral("r002", "c002", package="SUL140-C", discharged="2026-12-14",
                     sessions_per_week=1, session_minutes=60),
            date(2026, 12, 14),
            session=session,
        )  # fmt: skip
    w50 = planned(engine, W50)
    register(engine, w50, ["delivered", "delivered"])
    w51 = planned(engine, W51)
    with Session(engine) as session:
        [unregistered] = week_figures(session=session, weeks=[W51])
        doc = plan_with_attendance(w51, session=session)
    assert (unregistered.waiting, unregistered.started, unregistered.unregistered) == (1, 0, 3)
    for a in doc["appointments"]:
        with Session(engine) as session:
            record_attendance(w51, a["id"], a["referral"], "delivered", session=session, by="k")

    with Session(engine) as session:
        first, second = week_figures(session=session, weeks=[W50, W51])

    assert (first.waiting, first.active, first.started, first.sul_starts) == (0, 1, 1, 0)
    assert (second.waiting, second.active, second.started) == (0, 2, 1)
    assert (second.sul_starts, second.sul_within, second.sul_within_share) == (1, 1, 100)
    assert second.planned == second.delivered == 3


def test_week_figures_of_another_centre_count_nothing(engine: Engine) -> None:
    loaded(engine)
    plan_id = planned(engine, W50)
    register(engine, plan_id, ["delivered", "delivered"])

    with Session(engine) as session:
        [week] = week_figures(session=session, weeks=[W50], centre="posthaven")

    assert (week.planned, week.delivered, week.started, week.active, week.utilisation) == (
        0, 0, 0, 0, None,
    )  # fmt: skip


def test_percentile_and_median_of_waits() -> None:
    assert percentile([5, 1, 3, 2, 4, 10, 6, 7, 8, 9], 0.9) == 9.0
    assert percentile([4], 0.9) == 4.0
    assert percentile([], 0.9) is None
    assert median([1, 2, 3, 10]) == 2.5
    assert median([]) is None


def figures(week: str, **over: object) -> WeekFigures:
    values = dict(
        week=week, planned=10, delivered=8, cancelled_by_citizen=1, cancelled_by_centre=0,
        no_show=1, unregistered=0, utilisation=75, waiting=3, active=20, started=4, ended=2,
        wait_median=2.5, wait_p90=6.0, sul_starts=2, sul_within=1,
    )  # fmt: skip
    return WeekFigures(**(values | over))  # type: ignore[arg-type]


def test_figures_csv_has_a_row_a_week_with_the_tables_numbers() -> None:
    rows = [figures("2027-W02"), figures("2027-W03", wait_median=None, sul_starts=0)]
    text = figures_csv(rows)

    assert text.splitlines() == [
        "week;wait_median;wait_p90;sul_within_share;planned;delivered;cancelled;no_show;"
        "utilisation;waiting;started;ended",
        "2027-W02;2.5;6.0;50;10;8;1;1;75;3;4;2",
        "2027-W03;;6.0;;10;8;1;1;75;3;4;2",
    ]
    assert table_rows(rows)[1] == ["2027-W03", "–", "6", "–", "10", "8", "1", "1", "75", "3",
                                   "4", "2"]  # fmt: skip


def test_chart_bars_scale_to_the_largest_value_and_say_each_week() -> None:
    drawn = chart([figures("2027-W02", planned=5), figures("2027-W03")], "planned", "Planlagte")

    assert [b.height for b in drawn.bars] == [55.0, 110.0]
    assert [b.y for b in drawn.bars] == [73.0, 18.0]
    assert [(b.label, b.text) for b in drawn.bars] == [("U02", "5"), ("U03", "10")]
    assert drawn.description == "Planlagte: uge 02: 5; uge 03: 10"


def test_chart_of_a_week_without_a_value_draws_no_bar() -> None:
    drawn = chart([figures("2027-W02", wait_median=None)], "wait_median", "Median")
    assert [(b.height, b.text) for b in drawn.bars] == [(0.0, "–")]
