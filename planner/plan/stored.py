"""A saved plan with its week, loaded once: what every page and change of a plan reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from planner.db.models import Appointment as AppointmentRow
from planner.db.models import Plan, Scenario
from planner.db.store import get, load_problem, load_solution
from planner.errors import NotFound
from solver.problem import Appointment, Problem, Solution


@dataclass(frozen=True)
class PlanWeek:
    """A saved plan with its week: what every grid page reads."""

    plan: Plan
    scenario: Scenario
    problem: Problem
    solution: Solution
    locked: frozenset[str]  # ids of appointments a coordinator locked

    @property
    def plan_id(self) -> int:
        assert self.plan.id is not None, "a saved plan has an id"
        return self.plan.id

    @property
    def editable(self) -> bool:
        """Only a draft can be changed; a published or superseded plan is read-only."""
        return self.plan.status == "draft"

    def appointment(self, appointment_id: str) -> Appointment:
        """One appointment of the plan by id; NotFound if the plan has none such."""
        for a in self.solution.appointments:
            if a.id == appointment_id:
                return a
        raise NotFound("appointment", appointment_id)


def plan_week(plan_id: int, *, session: Session) -> PlanWeek:
    """A saved plan and its week; NotFound if there is no such plan."""
    plan = get(session, Plan, plan_id)
    scenario = get(session, Scenario, plan.scenario_id)
    return PlanWeek(
        plan=plan,
        scenario=scenario,
        problem=load_problem(plan.scenario_id, session=session),
        solution=load_solution(plan_id, session=session),
        locked=locked_ids(plan_id, session=session),
    )


def locked_ids(plan_id: int, *, session: Session) -> frozenset[str]:
    """The ids of a saved plan's locked appointments."""
    query = select(AppointmentRow.key).where(
        AppointmentRow.plan_id == plan_id, col(AppointmentRow.locked).is_(True)
    )
    return frozenset(session.exec(query).all())


def placed_by_referral(appointments: tuple[Appointment, ...]) -> Counter[str]:
    """Sessions placed per referral: an appointment of its own, or a seat in a meeting."""
    placed: Counter[str] = Counter()
    for a in appointments:
        for referral in a.participants if a.kind == "team" else (a.referral,):
            if referral:
                placed[referral] += 1
    return placed
