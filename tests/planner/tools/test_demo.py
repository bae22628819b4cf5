"""The demo week: Norddjurs moved to the coming ISO week, still a valid scenario/1 week."""

from __future__ import annotations

from datetime import date

import pytest

from planner.formats.scenario import check_scenario
from planner.tools.demo import coming_week, moved_to_week, norddjurs


@pytest.mark.parametrize(
    ("today", "week"),
    [
        (date(2026, 11, 26), "2026-W49"),
        (date(2026, 12, 27), "2026-W53"),  # 2026 has 53 ISO weeks
        (date(2026, 12, 31), "2027-W01"),
    ],
)
def test_coming_week_is_the_iso_week_after_today(today: date, week: str) -> None:
    assert coming_week(today) == week


@pytest.mark.parametrize("week", ["2026-W49", "2026-W52", "2027-W13"])
def test_moved_to_week_keeps_the_week_valid(week: str) -> None:
    moved = moved_to_week(norddjurs(), week)

    assert moved["week"] == week
    assert check_scenario(moved) == []


def test_moved_to_week_shifts_every_date_by_whole_weeks() -> None:
    doc = norddjurs()
    moved = moved_to_week(doc, "2026-W52")  # two weeks after the fixture's 2026-W50

    pairs = [
        (r[name], m[name])
        for r, m in zip(doc["referrals"], moved["referrals"], strict=True)
        for name in ("earliest", "discharged")
        if r.get(name)
    ]
    assert pairs
    assert {(date.fromisoformat(b) - date.fromisoformat(a)).days for a, b in pairs} == {14}
