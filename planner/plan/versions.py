"""The plans of a stored week: which one a coordinator is looking at, and publishing."""

from __future__ import annotations

from sqlmodel import Session, col, select

from planner.db.models import Plan, Scenario
from planner.db.store import get, publish_plan
from planner.errors import NotFound, PlanStateError
from planner.outputs.feeds import record_publication
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


def publish(plan_id: int, *, session: Session) -> Plan:
    """Publish a draft; the week's earlier published plan becomes superseded.

    The calendar feeds change in the same transaction: publishing is what therapists'
    and citizens' calendars see.
    """
    plan = get(session, Plan, plan_id)
    if plan.status != "draft":
        raise PlanStateError(Message("plan.publish-not-draft", {"version": plan.version}))
    record_publication(plan_id, session=session)
    publish_plan(plan_id, session=session)
    session.refresh(plan)
    return plan
