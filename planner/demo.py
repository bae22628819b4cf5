"""The demo week: the Norddjurs fixture moved to the coming ISO week, planned and published."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from planner.models import Centre
from planner.scenario import week_monday

Doc = dict[str, Any]
FIXTURE = Path(__file__).parents[1] / "fixtures" / "norddjurs.json"


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
