"""Planning ahead: the next one to four weeks, in order, each from the register.

Each week uses the plan of the week before as its pattern (`previous`: same weekday, time and
therapist, the same class meetings with the same participants where the plan can), and the
sessions planned in earlier weeks that are not yet held count as expected: as delivered, until
attendance is registered (so a course is not planned past its package, nor given a second start
assessment). The weeks are stored as drafts, to be looked at and published as any week.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from planner.db.models import Plan
from planner.db.store import import_scenario, load_problem, save_plan
from planner.formats.scenario import week_monday
from planner.formats.validate import check_plan
from planner.register.derive import give_phones, week_document
from planner.register.store import RegisterError

#: How many weeks may be planned ahead at once.
MOST_WEEKS_AHEAD = 4


@dataclass(frozen=True)
class AheadWeek:
    week: str
    scenario_id: int
    plan_id: int
    placed: int
    requested: int


def weeks_from(first: str, count: int) -> list[str]:
    monday = week_monday(first)
    if monday is None:
        raise RegisterError.of("week", "register.not-a-week", week=first)
    found = []
    for i in range(count):
        year, week, _ = (monday + timedelta(weeks=i)).isocalendar()
        found.append(f"{year}-W{week:02d}")
    return found


def plan_ahead(
    first: str, weeks: int, *, session: Session, time_limit: float = 10.0
) -> list[AheadWeek]:
    """Derive and plan `weeks` weeks from `first`, in order; each week's plan is a draft.

    RegisterError if the count is not 1 to 4 or a week cannot be derived; a plan the validator
    rejects is never stored (RuntimeError, the weeks before it kept).
    """
    from solver.solve import solve  # the solver is loaded only when planning

    if not 1 <= weeks <= MOST_WEEKS_AHEAD:
        raise RegisterError.of("weeks", "register.weeks-ahead", most=MOST_WEEKS_AHEAD, weeks=weeks)
    names = weeks_from(first, weeks)
    # Published weeks' sessions nobody registered yet are counted by the derive itself
    # (pending_counts); the drafts planned here before a week count as expected on top.
    expected: Counter[str] = Counter()
    pattern: Plan | None = None
    made = []
    for week in names:
        doc = week_document(week, session=session, expected=expected, pattern=pattern)
        scenario_id = import_scenario(doc, session=session)
        give_phones(session, scenario_id)
        problem = load_problem(scenario_id, session=session)
        solution = solve(problem, max(time_limit, 1.0), optimise=time_limit > 0)
        broken = check_plan(problem, solution)
        if broken:
            raise RuntimeError(f"the plan of {week} breaks {len(broken)} rules: {broken[:3]}")
        plan_id = save_plan(scenario_id, solution, session=session)
        pattern = session.get(Plan, plan_id)
        for a in solution.appointments:
            for key in a.participants if a.kind == "team" else (a.referral,):
                if key is not None:
                    expected[key] += 1
        made.append(
            AheadWeek(
                week,
                scenario_id,
                plan_id,
                solution.stats.sessions_placed,
                solution.stats.sessions_requested,
            )
        )
    return made
