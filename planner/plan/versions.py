"""The plans of a stored week: which one a coordinator is looking at, and publishing."""

from __future__ import annotations

from sqlmodel import Session, col, select

from planner.db.models import Plan, Scenario
from planner.db.revision import claim, lock_week_plans
from planner.db.store import get, mark_published
from planner.errors import NotFound, PlanStateError
from planner.formats.validate import Violation, check_plan
from planner.outputs.feeds import record_publication
from planner.plan.stored import plan_week
from solver.problem import Message


def weeks(*, session: Session) -> list[Scenario]:
    """Every stored week, newest import first."""
    return list(session.exec(select(Scenario).order_by(col(Scenario.id).desc())).all())


def scenario_plans(scenario_id: int, *, session: Session) -> list[Plan]:
    """The plans made from this stored week, newest first."""
    query = select(Plan).where(Plan.scenario_id == scenario_id).order_by(col(Plan.version).desc())
    return list(session.exec(query).all())


def current_plan(scenario_id: int, *, session: Session) -> Plan | None:
    """What the coordinator works on: the newest plan of the week that is not superseded."""
    plans = scenario_plans(scenario_id, session=session)
    return next((p for p in plans if p.status != "superseded"), None)


def plan_of_week(scenario_id: int, plan_id: int | None, *, session: Session) -> Plan | None:
    """The plan asked for (it must belong to the week), or the current one."""
    if plan_id is None:
        return current_plan(scenario_id, session=session)
    plan = get(session, Plan, plan_id)
    if plan.scenario_id != scenario_id:
        raise NotFound("plan", plan_id)
    return plan


class PlanBreaksRules(PlanStateError):
    """Publishing refused: the draft breaks rules against the week's data as it is now."""

    def __init__(self, version: int, violations: list[Violation]) -> None:
        super().__init__(
            Message("plan.publish-breaks-rules", {"version": version, "n": len(violations)})
        )
        self.violations = violations


def publish(plan_id: int, *, session: Session) -> Plan:
    """Publish a draft; the week's earlier published plan becomes superseded.

    The whole plan is checked against the week's data as it is now (a data edit may have broken
    it since it was made): PlanBreaksRules with the violations, and nothing changed, if it fails.
    A change of the plan or of its week's data between that check and the publication makes it
    PlanChanged (see `planner.db.revision`). The calendar feeds change in the same transaction:
    publishing is what therapists' and citizens' calendars see.
    """
    plan = get(session, Plan, plan_id)
    if plan.status != "draft":
        raise PlanStateError(Message("plan.publish-not-draft", {"version": plan.version}))
    seen = plan.revision
    week = plan_week(plan_id, session=session)
    violations = check_plan(week.problem, week.solution)
    if violations:
        raise PlanBreaksRules(plan.version, violations)
    claim(session, plan_id, seen)
    lock_week_plans(session, plan.week)
    record_publication(plan_id, session=session)
    mark_published(plan_id, session=session)
    session.refresh(plan)
    return plan
