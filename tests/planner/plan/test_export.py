"""Every stored week as files: its scenario/1 and its published plan/1, checked by the validator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from planner.db.store import import_scenario, load_problem, save_plan
from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan_document
from planner.plan.export import export_weeks
from planner.plan.versions import publish
from solver.solve import solve
from tests.databases import backend_engine
from tests.factories import scenario


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    for engine in backend_engine("sqlite", tmp_path):
        with Session(engine) as session:
            yield session


def test_export_weeks_writes_scenario_and_published_plan_that_pass_the_validator(
    session: Session, tmp_path: Path
) -> None:
    week = import_scenario(scenario(), session=session)
    plan = save_plan(week, solve(load_problem(week, session=session), 2), session=session)
    publish(plan, session=session)
    import_scenario(scenario(week="2026-W51"), session=session)  # stored, never planned

    written = export_weeks(tmp_path / "out", session=session)

    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["2026-W50.plan.json", "2026-W50.scenario.json", "2026-W51.scenario.json"]
    assert [(w.week, w.plan is not None) for w in written] == [
        ("2026-W50", True),
        ("2026-W51", False),
    ]
    doc = json.loads((tmp_path / "out" / "2026-W50.scenario.json").read_text(encoding="utf-8"))
    plan_doc = json.loads((tmp_path / "out" / "2026-W50.plan.json").read_text(encoding="utf-8"))
    assert check_plan_document(parse_scenario(doc), plan_doc) == []
    assert len(plan_doc["appointments"]) == 2


def test_export_weeks_names_an_older_copy_of_the_same_week_by_its_id(
    session: Session, tmp_path: Path
) -> None:
    first = import_scenario(scenario(), session=session)
    import_scenario(scenario(), session=session)

    export_weeks(tmp_path, session=session)

    names = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".json")
    assert names == [f"2026-W50-id{first}.scenario.json", "2026-W50.scenario.json"]
