"""Two coordinators at once: every change of a plan claims the revision it read.

A change reads the plan (and its `revision`), works out the changed plan, and then, as the first
write of its transaction, runs `UPDATE plan SET revision = revision + 1 WHERE id = :id AND
revision = :seen`. Of two changes made from the same revision, the database lets only one such
UPDATE match a row (PostgreSQL makes the second wait for the first's commit and then re-reads the
row; SQLite lets one writer at a time in), so the other is refused with `PlanChanged` and nothing
of it is stored. On SQLite the UPDATE also takes the database's write lock, so what the
transaction reads after it is what it writes over.

A data edit of a week changes what its drafts are checked against: it bumps every draft's
revision (a change worked out on the old data is refused) and marks each draft that breaks a rule
now as `stale`.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from planner.db.models import Plan
from planner.db.store import load_problem, load_solution
from planner.errors import PlanStateError
from planner.formats.validate import check_plan
from solver.problem import Message


class PlanChanged(PlanStateError):
    """The plan changed after it was read (another coordinator, or the week's data)."""

    def __init__(self) -> None:
        super().__init__(Message("plan.changed"))


def claim(session: Session, plan_id: int, seen: int) -> None:
    """Take the plan from revision `seen` to the next one; PlanChanged if it is not at `seen`."""
    statement = (
        update(Plan)
        .where(col(Plan.id) == plan_id, col(Plan.revision) == seen)
        .values(revision=col(Plan.revision) + 1)
        .execution_options(synchronize_session=False)
    )
    if session.connection().execute(statement).rowcount != 1:
        raise PlanChanged()  # nothing was written; the caller's session ends its transaction
    plan = session.get(Plan, plan_id)
    if plan is not None:
        session.expire(plan, ["revision"])


def lock_week_plans(session: Session, week: str) -> None:
    """Hold every plan row of an ISO week until commit (PostgreSQL; SQLite already has one
    writer), so two publications of the same week run one after the other."""
    session.exec(select(Plan.id).where(Plan.week == week).with_for_update()).all()


def recheck_drafts(session: Session, scenario_id: int) -> list[int]:
    """After a data edit (flushed, not committed): bump every draft of the week and mark those
    that break a rule now as stale (and the others not); returns the stale drafts' ids."""
    bump = (
        update(Plan)
        .where(col(Plan.scenario_id) == scenario_id, col(Plan.status) == "draft")
        .values(revision=col(Plan.revision) + 1)
        .execution_options(synchronize_session=False)
    )
    session.connection().execute(bump)
    query = select(Plan).where(Plan.scenario_id == scenario_id, Plan.status == "draft")
    drafts = list(session.exec(query).all())
    if not drafts:
        return []
    problem = load_problem(scenario_id, session=session)
    stale = []
    for plan in drafts:
        session.refresh(plan)
        assert plan.id is not None
        plan.stale = bool(check_plan(problem, load_solution(plan.id, session=session)))
        session.add(plan)
        if plan.stale:
            stale.append(plan.id)
    return stale


def mark_if_stale(session: Session, plan_id: int) -> bool:
    """Check one saved draft against the week's data as it is now; mark it; commit."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        return False
    problem = load_problem(plan.scenario_id, session=session)
    plan.stale = bool(check_plan(problem, load_solution(plan_id, session=session)))
    session.add(plan)
    session.commit()
    return plan.stale
