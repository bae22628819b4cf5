"""Weeks and plans in the database, on SQLite and PostgreSQL (the `database` fixture)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.store import (
    export_plan,
    export_scenario,
    import_scenario,
    load_problem,
    load_solution,
    mark_published,
    plan_versions,
    save_plan,
)
from planner.formats.scenario import ScenarioError, parse_scenario
from planner.formats.validate import check_plan_document
from planner.text.messages import text_message
from solver.problem import Appointment, PlanWarning, Solution, Stats, Unplaced
from solver.solve import solve
from tests.databases import BACKENDS, backend_engine
from tests.factories import citizen, referral, scenario, team_class, therapist
from tests.planner.db.test_engine import row_counts

NORDDJURS = Path(__file__).resolve().parents[3] / "fixtures" / "norddjurs.json"


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine(request.param, tmp_path)


@pytest.fixture
def session(database: Engine) -> Iterator[Session]:
    with Session(database) as session:
        yield session


def rich_week() -> dict[str, Any]:
    """The factory week with something of every kind: a class, a home visit, windows, a pin."""
    pinned = {
        "id": "p0001",
        "kind": "individual",
        "referral": "r001",
        "therapist": "t01",
        "centre": "auning",
        "room": "auning-b1",
        "start": "2026-12-07T09:00:00+01:00",
        "end": "2026-12-07T09:45:00+01:00",
    }
    chosen = {k: v for k, v in team_class("ryg", meetings_per_week=2).items() if k != "meetings"}
    return scenario(
        therapists=[therapist(absent=["2026-12-10"], max_minutes=1500, skills=["team", "neuro"])],
        classes=[team_class(), chosen],
        citizens=[
            citizen(),
            citizen("c002", available={"mon": [["13:00", "15:00"], ["09:00", "11:00"]]}),
        ],
        referrals=[
            referral(earliest="2026-12-07", contact="t01"),
            referral("r002", "c002", mode="team", sessions_per_week=1, **{"class": "balance"}),
            referral(
                "r003",
                "c002",
                mode="home",
                centre=None,
                sessions_per_week=1,
                exception="kort forløb",
            ),
        ],
        pinned=[pinned],
    )


def norddjurs() -> dict[str, Any]:
    return json.loads(NORDDJURS.read_text())


@pytest.fixture(scope="module")
def solved_week() -> tuple[dict[str, Any], Solution]:
    """A factory week with a team class and its plan, solved once for every backend."""
    team = referral("r002", mode="team", sessions_per_week=1, **{"class": "balance"})
    doc = scenario(classes=[team_class()], referrals=[referral(), team])
    return doc, solve(parse_scenario(doc), time_limit=2)


def small_solution(status: str = "feasible") -> Solution:
    meeting = Appointment(
        "a0001",
        "team",
        "t01",
        "auning",
        parse_scenario(scenario()).days[1].date,
        600,
        660,
        team_class="balance",
        participants=("r001", "r002"),
        room="auning-sal",
    )
    return Solution(
        status=status,  # type: ignore[arg-type]
        appointments=(meeting,),
        unplaced=(Unplaced("r001", 1, (text_message("no room"), text_message("no therapist"))),),
        warnings=(PlanWarning("r001", "start-deadline", text_message("late")),),
        stats=Stats(2, 1, objective=10, bound=12, seconds=0.5, placed_bound=2),
    )


# --- import and export ------------------------------------------------------------------------


def test_import_scenario_norddjurs_round_trips(session: Session) -> None:
    doc = norddjurs()

    scenario_id = import_scenario(doc, session=session)

    assert parse_scenario(export_scenario(scenario_id, session=session)) == parse_scenario(doc)


def test_import_scenario_factory_round_trips(session: Session) -> None:
    doc = scenario()

    scenario_id = import_scenario(doc, session=session)

    assert parse_scenario(export_scenario(scenario_id, session=session)) == parse_scenario(doc)


def test_import_scenario_every_kind_of_thing_round_trips(session: Session) -> None:
    doc = rich_week()

    scenario_id = import_scenario(doc, session=session)

    assert load_problem(scenario_id, session=session) == parse_scenario(doc)


def test_import_scenario_bad_document_writes_nothing(database: Engine) -> None:
    doc = scenario(referrals=[referral(citizen="c999")])

    with Session(database) as session, pytest.raises(ScenarioError) as raised:
        import_scenario(doc, session=session)

    assert raised.value.errors == [
        'referrals[0] (r001).citizen: unknown citizen "c999"; use the id of an existing citizen'
    ]
    assert set(row_counts(database).values()) == {0}


def test_import_scenario_same_week_twice_keeps_both(session: Session) -> None:
    first = import_scenario(scenario(), session=session)
    second = import_scenario(scenario(name="Testuge, rettet"), session=session)

    assert second != first
    assert export_scenario(first, session=session)["name"] == "Testuge"
    assert export_scenario(second, session=session)["name"] == "Testuge, rettet"


def test_export_scenario_unknown_id_raises_lookup_error(session: Session) -> None:
    with pytest.raises(LookupError):
        export_scenario(4711, session=session)


# --- plans ------------------------------------------------------------------------------------


def test_save_plan_numbers_versions_per_week(session: Session) -> None:
    scenario_id = import_scenario(scenario(), session=session)

    first = save_plan(scenario_id, small_solution(), session=session)
    second = save_plan(scenario_id, small_solution(), session=session)

    versions = plan_versions(scenario_id, session=session)
    assert [(p.id, p.version, p.status) for p in versions] == [
        (first, 1, "draft"),
        (second, 2, "draft"),
    ]


def test_save_plan_keeps_the_whole_solution(session: Session) -> None:
    scenario_id = import_scenario(scenario(), session=session)

    plan_id = save_plan(scenario_id, small_solution(), session=session)

    assert load_solution(plan_id, session=session) == small_solution()


def test_save_plan_versions_continue_over_a_second_import(session: Session) -> None:
    first = import_scenario(scenario(), session=session)
    save_plan(first, small_solution(), session=session)
    second = import_scenario(scenario(), session=session)

    plan_id = save_plan(second, small_solution(), session=session, status="published")

    versions = plan_versions(first, session=session)
    assert [(p.scenario_id, p.version, p.status) for p in versions] == [
        (first, 1, "draft"),
        (second, 2, "published"),
    ]
    assert versions[1].id == plan_id


def test_save_plan_rejects_unknown_status(session: Session) -> None:
    scenario_id = import_scenario(scenario(), session=session)

    with pytest.raises(ValueError):
        save_plan(scenario_id, small_solution(), session=session, status="superseded")


def test_publish_plan_supersedes_the_published_one(session: Session) -> None:
    scenario_id = import_scenario(scenario(), session=session)
    first = save_plan(scenario_id, small_solution(), session=session)
    second = save_plan(scenario_id, small_solution("optimal"), session=session)

    mark_published(first, session=session)
    mark_published(second, session=session)

    versions = plan_versions(scenario_id, session=session)
    assert [(p.id, p.status) for p in versions] == [(first, "superseded"), (second, "published")]
    assert export_plan(first, session=session)["status"] == "feasible"
    assert load_solution(first, session=session) == small_solution()


def test_export_plan_of_a_solved_week_has_no_violations(
    session: Session, solved_week: tuple[dict[str, Any], Solution]
) -> None:
    doc, solution = solved_week
    scenario_id = import_scenario(doc, session=session)

    plan_id = save_plan(scenario_id, solution, session=session)
    exported = export_plan(plan_id, session=session)

    assert check_plan_document(parse_scenario(doc), exported) == []
    assert exported["appointments"] != []
    assert load_solution(plan_id, session=session) == solution
