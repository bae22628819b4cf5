"""The access log's entries are a person's: an id two imports gave to different people is logged
as two people, so one citizen's access request never shows the other's entries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.store import import_scenario
from planner.security.access import entries, record
from tests.databases import backend_engine
from tests.factories import citizen, scenario


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine("sqlite", tmp_path)


def test_an_id_two_imports_gave_to_different_people_is_logged_as_two_people(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        karen = import_scenario(scenario(), session=session)  # c001 is Karen Jensen
        bent = import_scenario(scenario(citizens=[citizen(name="Bent Holm")]), session=session)
        record("koord", "read", "GET /a", ["c001"], session=session, scenario_id=karen)
        record("koord", "read", "GET /b", ["c001"], session=session, scenario_id=bent)
        first = [e["what"] for e in entries("c001", session=session)]
        second = [(e["what"], e["citizen"]) for e in entries("c001~2", session=session)]

    assert first == ["GET /a"]
    assert second == [("GET /b", "c001~2")]
