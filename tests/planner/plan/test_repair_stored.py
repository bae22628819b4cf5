"""Repair of a stored plan: changes entered for a week mark the appointments they hit, and the
repaired draft is stored checked, with the locks it kept; a citizen cancelling the course."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from planner.db.models import Plan
from planner.db.store import import_scenario, load_solution, save_plan
from planner.formats.plan import DocumentError
from planner.formats.scenario import parse_scenario
from planner.plan.jobs import lock
from planner.plan.repair import (
    ChangeError,
    change_from_json,
    plan_hits,
    record_change,
    record_course_cancelled,
    repair_plan,
    whole_days,
)
from planner.plan.stored import locked_ids
from planner.text.messages import Where
from solver.problem import Message
from tests.databases import BACKENDS, backend_engine, stored_plan_violations
from tests.factories import package, scenario, team_class, therapist
from tests.planner.plan.test_repair import MON, TUE, WED, plan_of
from tests.planner.plan.test_repair import session as appt
from tests.planning import publish_unchecked as publish


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    yield from backend_engine(request.param, tmp_path)


def stored(session: Session) -> tuple[int, int]:
    """Two physiotherapists; r001 on Monday and Wednesday with t01; published."""
    doc = scenario(therapists=[therapist("t01"), therapist("t02")])
    problem = parse_scenario(doc)
    week = import_scenario(doc, session=session)
    plan = save_plan(week, plan_of(problem, appt("a0001", MON, 540), appt("a0002", WED, 540)),
                     session=session)  # fmt: skip
    publish(plan, session=session)
    return week, plan


def test_repair_plan_stores_a_checked_draft_with_the_locks_kept(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        week, plan = stored(session)
        lock(plan, {"a0001", "a0002"}, session=session)
        record_change(week, whole_days("therapist", "t01", WED, WED), by="koord", session=session)

        hits = plan_hits(plan, session=session, now=datetime(2026, 12, 7, 8))
        draft, repaired = repair_plan(plan, session=session, now=datetime(2026, 12, 7, 8))

        assert hits == {"a0002": (Message("repair.therapist-absent"),)}
        assert [(m.appointment, m.action) for m in repaired.mends] == [("a0002", "substituted")]
        assert session.get(Plan, draft).status == "draft"  # type: ignore[union-attr]
        assert locked_ids(draft, session=session) == {"a0001", "a0002"}
        assert [a.therapist for a in load_solution(draft, session=session).appointments] == [
            "t01", "t02",
        ]  # fmt: skip
    assert stored_plan_violations(engine, draft) == []


def test_course_cancelled_drops_the_sessions_still_to_come(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        week, plan = stored(session)
        record_course_cancelled(week, "r001", by="koord", session=session,
                                now=datetime(2026, 12, 8, 8))  # fmt: skip

        draft, _ = repair_plan(plan, session=session, now=datetime(2026, 12, 8, 8))
        solution = load_solution(draft, session=session)

        assert [a.id for a in solution.appointments] == ["a0001"]
        assert [u.reasons for u in solution.unplaced] == [(Message("repair.citizen-cancelled"),)]
    assert stored_plan_violations(engine, draft) == []


def test_change_from_json_reads_offsets_and_whole_days() -> None:
    problem = parse_scenario(scenario(packages=[package("TG1", 45, 150)], classes=[team_class()]))

    ill = change_from_json(
        {"therapist": "t01", "from": "2026-12-09T11:00:00+01:00", "to": "2026-12-09T23:59"},
        problem,
    )
    meeting = change_from_json({"class": "balance", "date": TUE.isoformat()}, problem)

    assert (ill.start, ill.end) == (datetime(2026, 12, 9, 11), datetime(2026, 12, 10, 0))
    assert (meeting.kind, meeting.start, meeting.end) == (
        "class", datetime(2026, 12, 8, 0), datetime(2026, 12, 9, 0),
    )  # fmt: skip
    with pytest.raises(ChangeError) as refused:
        change_from_json({"room": "auning-b1", "from": "2026-12-09T12:00",
                          "to": "2026-12-09T11:00"}, problem)  # fmt: skip
    assert refused.value.found == [DocumentError(Where("to"), Message("change.end-before-start"))]
    assert refused.value.errors == ["to: the end must be after the start."]
