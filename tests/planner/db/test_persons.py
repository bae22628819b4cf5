"""Which person a citizen id is: the same id and name is the same person in every import, another
name is another person, also when two imports make them at the same moment."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import Citizen
from planner.db.persons import normalised, same_person
from planner.db.store import import_scenario
from tests.databases import BACKENDS, backend_engine
from tests.factories import citizen, scenario


def test_case_and_spacing_make_no_other_person() -> None:
    assert normalised("  Karen   JENSEN ") == "karen jensen"
    assert same_person("Karen Jensen", "karen  jensen")
    assert not same_person("Karen Jensen", "Karin Jensen")


def imports_at_once(engine: Engine, docs: list[dict[str, Any]]) -> list[BaseException]:
    """Import the documents from as many threads, all starting together; what any raised."""
    barrier = threading.Barrier(len(docs))
    errors: list[BaseException] = []

    def load(doc: dict[str, Any]) -> None:
        try:
            barrier.wait(10)
            with Session(engine) as session:
                import_scenario(doc, session=session)
        except BaseException as e:  # reported by the test
            errors.append(e)

    threads = [threading.Thread(target=load, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


@pytest.mark.parametrize("backend", BACKENDS)
def test_imports_at_once_give_two_people_with_one_id_two_persons(
    backend: str, tmp_path: Path
) -> None:
    docs = [scenario(citizens=[citizen(name=n)]) for n in ("Karen Jensen", "Bent Holm")] * 2
    for engine in backend_engine(backend, tmp_path):
        errors = imports_at_once(engine, docs)
        with Session(engine) as session:
            by_name: dict[str, set[str]] = {}
            for row in session.exec(select(Citizen)).all():
                by_name.setdefault(row.name, set()).add(row.person or "")

        assert errors == []
        assert sorted(len(p) for p in by_name.values()) == [1, 1]  # one person per name
        assert sorted(p for ps in by_name.values() for p in ps) == ["c001", "c001~2"]
