"""The week as a grid: rooms, days and lanes placed right; a therapist's own week shows citizens by
first name and initial; a class lists its meetings with their participants."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.store import import_scenario, load_problem, save_plan
from planner.plan.edit import set_locked
from planner.plan.versions import publish
from planner.views.grid import (
    Column,
    GridEntry,
    centre_week,
    citizen_label,
    class_week,
    covering,
    grid_index,
    own_week,
    therapist_week,
    time_grid,
)
from solver.problem import Travel, Window, travel_minutes
from tests.databases import BACKENDS, backend_engine
from tests.planner.plan.test_edit import BASE, MON, THU, TUE, WED, appt, plan_of, week

#: The drive from Auning to the home of r005's citizen (c005), each way.
DRIVE = travel_minutes(Travel(1.3, 45), 56.431, 10.383, 56.45, 10.40)
#: The plan of test_manual, and on Wednesday two sessions side by side in the hall, and on
#: Thursday a home visit.
PLAN = (
    *BASE,
    appt("a0005", WED, 540, 585, referral="r001", room="auning-sal"),
    appt("a0006", WED, 540, 585, therapist="t02", referral="r002", room="auning-sal"),
    appt("a0007", THU, 600, 645, kind="home", therapist="t02", referral="r005",
         travel_before=DRIVE, travel_after=DRIVE),
)  # fmt: skip


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine(request.param, tmp_path)


def stored(engine: Engine, doc: dict[str, Any] | None = None, weeks_later: int = 0) -> int:
    """The test week stored with PLAN as a draft (so many weeks later); returns the plan's id."""
    later = tuple(replace(a, day=a.day + timedelta(weeks=weeks_later)) for a in PLAN)
    with Session(engine) as session:
        scenario_id = import_scenario(doc or week(), session=session)
        problem = load_problem(scenario_id, session=session)
        return save_plan(scenario_id, plan_of(problem, later), session=session)


def entry(id: str, start: int, end: int) -> GridEntry:
    return GridEntry(id, "individual", MON, start, end, "T", "Sal", "sal", "Auning", "Karen Jensen",
                 "r001", None, None, 0, 0, 0, False)  # fmt: skip


def placed(column: Column) -> list[tuple[str, int, int, int]]:
    return [(p.entry.id, p.column, p.row, p.rows) for p in column.entries]


# --- names and layout -----------------------------------------------------------------------------


def test_citizen_label_is_first_name_and_initial_in_a_therapists_own_week() -> None:
    assert citizen_label("Karen Jensen", "short") == "Karen J."
    assert citizen_label("Gudrun Bodil Mortensen", "short") == "Gudrun M."
    assert citizen_label("Karen", "short") == "Karen"
    assert citizen_label("Gudrun Bodil Mortensen", "full") == "Gudrun Bodil Mortensen"


def test_time_grid_gives_overlapping_sessions_lanes_of_their_own() -> None:
    columns = [Column("sal", "Sal"), Column("b1", "B1")]
    grouped = {
        "sal": [entry("x", 540, 585), entry("y", 555, 600), entry("z", 585, 630)],
        "b1": [entry("w", 480, 490)],
    }
    grid = time_grid(columns, grouped, Window(480, 960), 15)

    assert (grid.first, grid.rows, grid.tracks) == (480, 32, 3)
    assert [(c.line, c.lanes) for c in grid.columns] == [(2, 2), (4, 1)]
    # 09:00 is row 2 + 4; a 45-minute session spans 3 rows; 10 minutes still take one row.
    assert placed(grid.columns[0]) == [("x", 2, 6, 3), ("y", 3, 7, 3), ("z", 2, 9, 3)]
    assert placed(grid.columns[1]) == [("w", 4, 2, 1)]
    assert [(h.minute, h.row, h.rows) for h in grid.hours][:2] == [(480, 2, 4), (540, 6, 4)]


def test_time_grid_covers_an_appointment_outside_the_opening_hours() -> None:
    early = entry("x", 470, 500)
    span = covering([Window(480, 600)], [early])
    grid = time_grid([Column("sal", "Sal")], {"sal": [early]}, span, 15)

    assert (grid.first, grid.rows, placed(grid.columns[0])) == (465, 9, [("x", 2, 2, 3)])
    assert [h.minute for h in grid.hours] == [465, 480, 540]


# --- a centre, a therapist, a class ---------------------------------------------------------------


def test_centre_week_puts_each_appointment_in_its_room_row_and_lane(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session:
        grid = centre_week(plan_id, "auning", session=session)

    assert (grid.name, [d.day for d in grid.days]) == (
        "Træningscenter Auning",
        [MON, TUE, WED, date(2026, 12, 10), date(2026, 12, 11)],
    )
    monday, tuesday, wednesday, thursday = (d.grid for d in grid.days[:4])
    assert [c.key for c in monday.columns] == ["auning-sal", "auning-b1"]
    assert placed(monday.columns[1]) == [("a0001", 3, 6, 3), ("a0003", 3, 14, 3)]
    assert placed(tuesday.columns[0]) == [("a0004", 2, 10, 4)]
    assert [(c.key, c.lanes) for c in wednesday.columns] == [("auning-sal", 2), ("auning-b1", 1)]
    assert placed(wednesday.columns[0]) == [("a0005", 2, 6, 3), ("a0006", 3, 6, 3)]
    # The home visit has no room: a column of its own.
    assert [(c.key, placed(c)) for c in thursday.columns][2] == ("", [("a0007", 4, 10, 3)])


def test_centre_week_says_who_gives_each_session_and_to_whom(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session:
        set_locked(plan_id, "a0004", True, session=session)
        grid = centre_week(plan_id, "auning", session=session)

    tuesday = grid.days[1].grid
    e = tuesday.columns[0].entries[0].entry
    assert (e.kind, e.therapist, e.team_class, e.participants, e.locked) == (
        "team", "Terapeut t01", "Balancehold", 1, True
    )  # fmt: skip
    b1 = tuesday.columns[1].entries[0].entry
    assert (b1.citizen, b1.room, b1.therapist, b1.locked) == (
        "Karen Jensen", "auning-b1", "Terapeut t01", False
    )  # fmt: skip


def test_a_centre_the_week_does_not_have_is_not_found(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session, pytest.raises(LookupError):
        centre_week(plan_id, "grenaa", session=session)


def test_therapist_week_shows_their_days_only(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session:
        grid = therapist_week(plan_id, "t02", session=session)

    assert [c.day for c in grid.grid.columns] == [MON, TUE, WED, THU, date(2026, 12, 11)]
    assert [[p.entry.id for p in c.entries] for c in grid.grid.columns] == [
        ["a0001"], [], ["a0006"], ["a0007"], []
    ]  # fmt: skip
    visit = grid.grid.columns[3].entries[0].entry
    assert (visit.kind, visit.room, visit.travel_before, visit.citizen) == (
        "home", None, DRIVE, "Inge Holm"
    )  # fmt: skip
    assert grid.minutes == 3 * 45 + 2 * DRIVE


def test_class_week_lists_its_meetings_and_referrals(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session:
        team = class_week(plan_id, "balance", session=session)

    assert [(m.entry.id, m.entry.day, m.seats) for m in team.meetings] == [("a0004", TUE, 10)]
    assert [(p.referral, p.citizen) for p in team.meetings[0].participants] == [
        ("r004", "Erik Berg")
    ]
    assert [(m.referral, m.citizen, m.placed, m.requested) for m in team.members] == [
        ("r003", "Bodil Lund", 0, 2),
        ("r004", "Erik Berg", 2, 2),
    ]


def test_grid_index_counts_what_each_grid_holds(engine: Engine) -> None:
    plan_id = stored(engine)
    with Session(engine) as session:
        index = grid_index(plan_id, session=session)

    assert [(c.key, c.appointments) for c in index.centres] == [("auning", 7)]
    assert [(t.key, t.appointments) for t in index.therapists] == [("t01", 4), ("t02", 3)]
    assert [(c.key, c.appointments) for c in index.classes] == [("balance", 1)]


# --- a therapist's own week -----------------------------------------------------------------------


def test_own_week_is_the_newest_published_plan_with_short_names(engine: Engine) -> None:
    older = stored(engine)
    newer = stored(engine, week(week="2026-W51", name="Uge 51"), weeks_later=1)
    stored(engine, week(week="2026-W52", name="Uge 52"), weeks_later=2)  # a draft: not shown
    with Session(engine) as session:
        assert own_week("t02", session=session) is None
        publish(newer, session=session)
        publish(older, session=session)
        mine = own_week("t02", session=session)
        missing = own_week("t99", session=session)

    assert mine is not None and missing is None
    assert (mine.week.plan.id, mine.week.scenario.week) == (newer, "2026-W51")
    citizens = [p.entry.citizen for c in mine.grid.columns for p in c.entries]
    assert citizens == ["Ole H.", "Ole H.", "Inge H."]
