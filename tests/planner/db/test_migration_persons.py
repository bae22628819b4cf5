"""Migration 0008 (citizen persons): a database at 0007 whose two weeks give c001 to two different
people comes through with every citizen bound to a person, and the feed that showed both stopped."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, select

from planner.db.engine import engine_from_url, migrate
from planner.db.models import Citizen, CitizenPerson, FeedEntry, FeedToken
from planner.db.store import import_scenario, save_plan
from planner.outputs.feeds import feed_tokens
from planner.plan.versions import publish
from tests.factories import citizen, referral, scenario
from tests.planner.db.old_database import database_at
from tests.planning import plan


def two_people() -> tuple[dict, dict]:
    """Two weeks: c001 is Karen Jensen in the first and Bent Holm in the second; c002 is
    Ole Berg in both."""
    people = [citizen("c001"), citizen("c002", name="Ole Berg")]
    referrals = [referral("r001", citizen="c001"), referral("r002", citizen="c002")]
    first = scenario(citizens=people, referrals=referrals)
    second = scenario(citizens=[citizen("c001", name="Bent Holm"), people[1]], referrals=referrals)
    return first, second


def test_a_database_at_0007_binds_citizens_to_persons_and_stops_a_feed_of_two_people(
    tmp_path: Path,
) -> None:
    engine = engine_from_url(tmp_path / "old.db")
    first, second = two_people()
    solution = plan(first, time_limit=2)

    def fill(session: Session) -> list[int]:
        weeks = [import_scenario(doc, session=session) for doc in (first, second)]
        for week in weeks:
            publish(save_plan(week, solution, session=session), session=session)
        feed_tokens([("citizen", "c001"), ("citizen", "c002")], session=session, secret="s")
        return weeks

    weeks = database_at(engine, "0007", tmp_path, fill)
    with engine.begin() as connection:  # 0007 kept one feed c001 for both (same week, same UIDs)
        connection.execute(text("DELETE FROM feed_entry WHERE feed_key = 'c001~2'"))
    migrate(engine)

    with Session(engine) as session:
        persons = {(c.scenario_id, c.key): c.person for c in session.exec(select(Citizen))}
        tokens = {t.key: t.revoked_at is not None for t in session.exec(select(FeedToken))}
        entries = {e.feed_key for e in session.exec(select(FeedEntry)) if e.feed_kind == "citizen"}
        known = sorted(p.person for p in session.exec(select(CitizenPerson)))
    assert persons == {
        (weeks[0], "c001"): "c001", (weeks[0], "c002"): "c002",
        (weeks[1], "c001"): "c001~2", (weeks[1], "c002"): "c002",
    }  # fmt: skip
    assert known == ["c001", "c001~2", "c002"]
    assert tokens == {"c001": True, "c002": False}
    assert entries == {"c002"}
    engine.dispose()
