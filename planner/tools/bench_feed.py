"""The calendar-feed benchmark's week: a generated week planned by first fit and published."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from planner.db.models import FeedEntry
from planner.db.store import import_scenario, load_problem, save_plan
from planner.outputs.feeds import feed_url
from planner.plan.versions import publish
from planner.tools.generate import generate
from solver.solve import solve


@dataclass(frozen=True)
class BenchWeek:
    """The published week a feed benchmark times: the busiest therapist's feed, how it was made."""

    path: str
    therapist: str
    events: int
    appointments: int
    plan_seconds: float
    publish_seconds: float


def published_generated_week(engine: Engine, scale: str, seed: int, secret: str) -> BenchWeek:
    """Generate, plan (first fit) and publish a week; the busiest therapist's feed path."""
    with Session(engine) as session:
        began = time.perf_counter()
        scenario_id = import_scenario(generate(scale, seed), session=session)
        solution = solve(load_problem(scenario_id, session=session), optimise=False)
        plan_id = save_plan(scenario_id, solution, session=session)
        planned = time.perf_counter()
        publish(plan_id, session=session)
        published = time.perf_counter()
        count = func.count(col(FeedEntry.id))
        key, events = session.exec(
            select(FeedEntry.feed_key, count)
            .where(FeedEntry.feed_kind == "therapist")
            .group_by(FeedEntry.feed_key)
            .order_by(count.desc(), FeedEntry.feed_key)
        ).first() or ("", 0)
        path = feed_url("therapist", key, session=session, secret=secret, base_url="")
    return BenchWeek(
        path, key, events, len(solution.appointments), planned - began, published - planned
    )
