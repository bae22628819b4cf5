"""The difference a draft makes: per citizen what is new, moved, given another therapist or
cancelled; per therapist what is gained, moved and lost; and how many appointments changed."""

from __future__ import annotations

from planner.formats.scenario import parse_scenario
from planner.plan.diff import diff
from tests.factories import citizen, referral, scenario, therapist
from tests.planner.plan.test_repair import MON, THU, TUE, WED, plan_of, session


def test_diff_counts_each_kind_of_change_exactly() -> None:
    problem = parse_scenario(
        scenario(
            therapists=[therapist("t01"), therapist("t02")],
            citizens=[
                citizen("c001"),
                citizen("c002", name="Ole Berg"),
                citizen("c003", name="Inge Lund"),
            ],
            referrals=[
                referral("r001"),
                referral("r002", citizen="c002"),
                referral("r003", citizen="c003"),
            ],
        )
    )
    before = plan_of(
        problem,
        session("a1", MON, 540),  # Karen: unchanged
        session("a2", WED, 540),  # Karen: another therapist
        session("a3", MON, 600, "r002"),  # Ole: moved to Tuesday
        session("a4", THU, 540, "r003"),  # Inge: cancelled
    )
    after = plan_of(
        problem,
        session("a1", MON, 540),
        session("a2", WED, 540, therapist="t02"),
        session("a3", TUE, 600, "r002"),
        session("a5", THU, 600, "r002", therapist="t02"),  # Ole: a new session
    )

    changes = diff(problem, before, problem, after)

    assert changes.to_json() == {
        "citizens_affected": 3,
        "appointments_changed": 3,  # a2, a3 and a4 -> a5 (a move counts once)
        "citizens": [
            {"citizen": "c003", "new": 0, "moved": 0, "therapist_changed": 0, "cancelled": 1},
            {"citizen": "c001", "new": 0, "moved": 0, "therapist_changed": 1, "cancelled": 0},
            {"citizen": "c002", "new": 1, "moved": 1, "therapist_changed": 0, "cancelled": 0},
        ],
    }
    assert [(t.therapist, t.new, t.moved, t.cancelled) for t in changes.therapists] == [
        ("t01", 0, 1, 2),
        ("t02", 2, 0, 0),
    ]


def test_diff_of_a_plan_with_itself_is_empty() -> None:
    problem = parse_scenario(scenario())
    plan = plan_of(problem, session("a1", MON, 540), session("a2", WED, 540))

    assert diff(problem, plan, problem, plan).to_json() == {
        "citizens_affected": 0, "appointments_changed": 0, "citizens": [],
    }  # fmt: skip
