"""Every stored week as files, so tools outside the product can check a whole run.

For each stored week: `WEEK.scenario.json` (the scenario/1 it was planned from) and, when it has
one, `WEEK.plan.json` (its published plan/1). A week imported more than once keeps the ISO week
as the name of its newest copy; older copies add their stored id (`2027-W03-id4.scenario.json`),
so no file is written over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from planner.db.models import Plan, Scenario
from planner.db.store import export_plan, export_scenario


@dataclass(frozen=True)
class ExportedWeek:
    """The files written for one stored week (plan is None when nothing was published)."""

    week: str
    scenario: Path
    plan: Path | None


def export_weeks(folder: Path, *, session: Session) -> list[ExportedWeek]:
    """Write every stored week's scenario/1 and published plan/1 into `folder`, oldest first."""
    folder.mkdir(parents=True, exist_ok=True)
    stored = session.exec(select(Scenario).order_by(col(Scenario.id))).all()
    newest = {s.week: s.id for s in stored}
    written = []
    for scenario in stored:
        assert scenario.id is not None
        stem = (
            scenario.week
            if newest[scenario.week] == scenario.id
            else (f"{scenario.week}-id{scenario.id}")
        )
        scenario_path = write(
            folder / f"{stem}.scenario.json", export_scenario(scenario.id, session=session)
        )
        published = published_plan(scenario.id, session=session)
        plan_path = None
        if published is not None and published.id is not None:
            plan_path = write(
                folder / f"{stem}.plan.json", export_plan(published.id, session=session)
            )
        written.append(ExportedWeek(scenario.week, scenario_path, plan_path))
    return written


def published_plan(scenario_id: int, *, session: Session) -> Plan | None:
    """The week's published plan, if it has one."""
    query = select(Plan).where(Plan.scenario_id == scenario_id, Plan.status == "published")
    return session.exec(query).first()


def write(path: Path, doc: dict[str, Any]) -> Path:
    """A document written whole or not at all."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(path)
    return path
