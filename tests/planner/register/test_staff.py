"""The register's therapists and classes as a coordinator edits them, and the weeks it changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import RegisterAbsence, RegisterClass
from planner.db.store import export_scenario
from planner.register.derive import derive_week
from planner.register.staff import (
    add_absence_form,
    away_days,
    class_meets,
    delete_absence,
    save_employment,
    therapist,
)
from planner.text.messages import Message
from planner.week.edit import EditError
from tests.databases import backend_engine
from tests.factories import team_class
from tests.planner.register.test_register import W50, W51, loaded, planned

TODAY = date(2026, 12, 2)  # a Wednesday of week 49


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine("sqlite", tmp_path)


def absence(start: str, end: str, kind: str = "ferie") -> dict[str, list[str]]:
    return {"start": [start], "end": [end], "kind": [kind]}


def test_away_days_are_absences_and_days_outside_employment(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session:
        add_absence_form("t01", absence("2026-12-08", "2026-12-08"), session=session, today=TODAY)
        save_employment("t01", {"last_day": ["2026-12-10"]}, session=session, today=TODAY)
        row = therapist("t01", session=session)

        assert away_days(session, row, W50) == ["2026-12-08", "2026-12-11"]
        assert away_days(session, row, W51) == [f"2026-12-{d}" for d in range(14, 19)]


def test_absence_may_start_the_day_after_another_ends_but_not_share_one(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session:
        add_absence_form("t01", absence("2026-12-07", "2026-12-08"), session=session, today=TODAY)
        add_absence_form("t01", absence("2026-12-09", "2026-12-09"), session=session, today=TODAY)
        with pytest.raises(EditError) as refused:
            add_absence_form(
                "t01", absence("2026-12-01", "2026-12-07", "sygdom"), session=session, today=TODAY
            )
        rows = session.exec(select(RegisterAbsence)).all()

    assert refused.value.errors == {
        "start": [
            Message(
                "register.absence-overlaps",
                {"from_date": "2026-12-07", "to_date": "2026-12-08", "absence": "ferie"},
            )
        ]
    }
    assert len(rows) == 2


def test_a_published_week_is_left_and_named_a_draft_week_takes_the_change(engine: Engine) -> None:
    loaded(engine)
    planned(engine, W50)  # published
    with Session(engine) as session:
        draft_week = derive_week(W51, session=session)  # no plan yet
        done = add_absence_form(
            "t01", absence("2026-12-11", "2026-12-14"), session=session, today=TODAY
        )
        doc = export_scenario(draft_week, session=session)
        [absence_id] = [a.id for a in session.exec(select(RegisterAbsence)).all()]
        undone = delete_absence("t01", absence_id or 0, session=session, today=TODAY)
        again = export_scenario(draft_week, session=session)

    assert (done.changed, done.published, done.stale) == ([W51], [W50], [])
    assert doc["therapists"][0]["absent"] == ["2026-12-14"]
    assert (undone.changed, again["therapists"][0]["absent"]) == ([W51], [])


def test_a_class_is_held_from_its_first_to_its_last_date() -> None:
    starting = RegisterClass(key="h", doc=team_class(), first_date=date(2026, 12, 13))
    ended = RegisterClass(key="h", doc=team_class(), last_date=date(2026, 12, 6))

    assert class_meets(starting, W50) is True  # Sunday 13 December is in week 50
    assert class_meets(starting, "2026-W49") is False
    assert class_meets(ended, W50) is False  # Sunday 6 December ends week 49
    assert class_meets(ended, "2026-W49") is True
