"""The demo week: the Norddjurs fixture moved to the coming ISO week, planned and published."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from planner.db.models import Centre, Scenario
from planner.db.store import import_scenario, load_problem, save_plan
from planner.formats.scenario import week_monday
from planner.plan.versions import publish
from solver.solve import ProgressFn, solve

Doc = dict[str, Any]
FIXTURE = Path(__file__).parents[2] / "fixtures" / "norddjurs.json"


def coming_week(today: date) -> str:
    """The ISO week after today's, e.g. '2026-W49' on Thursday 26 November 2026."""
    year, week, _ = (today + timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def moved_to_week(doc: Doc, week: str) -> Doc:
    """The same week of work on another ISO week: every date moves by the same whole weeks."""
    old, new = week_monday(doc["week"]), week_monday(week)
    if old is None or new is None:
        raise ValueError(f"cannot move week {doc['week']} to {week}")
    shift = new - old
    moved = json.loads(json.dumps(doc))
    moved["week"] = week

    def later(text: str | None) -> str | None:
        return None if text is None else (date.fromisoformat(text) + shift).isoformat()

    for therapist in moved["therapists"]:
        therapist["absent"] = [later(d) for d in therapist.get("absent", [])]
    for referral in moved["referrals"]:
        for name in ("earliest", "discharged"):
            if referral.get(name):
                referral[name] = later(referral[name])
    for appointment in moved.get("pinned", []) + moved.get("previous", []):
        appointment["date"] = later(appointment["date"])
    return moved


#: Norddjurs' training centres share one phone line for booking and cancelling (domain.md).
NORDDJURS_PHONE = ("89 59 30 11", "hverdage kl. 8.00–9.00")


def norddjurs() -> Doc:
    """The Norddjurs fixture document (it lives in the source tree's `fixtures/`)."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def give_centres_phone(scenario_id: int, *, session: Session) -> None:
    """Norddjurs' shared phone line and hours on every centre of the stored week."""
    phone, hours = NORDDJURS_PHONE
    for centre in session.exec(select(Centre).where(Centre.scenario_id == scenario_id)).all():
        centre.phone, centre.phone_hours = phone, hours
        session.add(centre)
    session.commit()


def demo_week(
    week: str, time_limit: float, *, session: Session, progress: ProgressFn | None = None
) -> int:
    """The Norddjurs week moved to `week`, with a published plan (made once, then kept)."""
    existing = session.exec(select(Scenario).where(Scenario.week == week)).first()
    if existing is not None and existing.id is not None:
        return existing.id
    scenario_id = import_scenario(moved_to_week(norddjurs(), week), session=session)
    give_centres_phone(scenario_id, session=session)
    problem = load_problem(scenario_id, session=session)
    solution = solve(problem, time_limit, progress=progress)
    publish(save_plan(scenario_id, solution, session=session), session=session)
    return scenario_id
