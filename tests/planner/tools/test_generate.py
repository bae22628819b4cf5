"""Generated weeks: valid, reproducible, of the documented size and load; fixtures from code."""

from __future__ import annotations

import functools
import json
import random
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from planner.formats.scenario import check_scenario, parse_scenario
from planner.tools.generate import (
    LOAD,
    PACKAGES,
    SHAPES,
    capacity_minutes,
    distance_km,
    generate,
    norddjurs,
    norddjurs_christmas,
    requested_count,
    requested_minutes,
)
from solver.problem import Problem

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

#: What each scale promises (module docstring of planner.tools.generate, domain.md "Scale").
SIZES = {
    "S": {"centres": 3, "therapists": 25, "referrals": (225, 275), "sessions": (340, 460)},
    "M": {"centres": 5, "therapists": 50, "referrals": (540, 660), "sessions": (850, 1150)},
    "L": {"centres": 9, "therapists": 150, "referrals": (1800, 2200), "sessions": (2700, 3500)},
}


@functools.cache
def generated(scale: str, seed: int) -> dict[str, Any]:
    """One week per scale and seed for the whole module; no test changes it."""
    return generate(scale, seed)


@functools.cache
def parsed(scale: str, seed: int) -> Problem:
    return parse_scenario(generated(scale, seed))


@pytest.fixture
def small() -> dict[str, Any]:
    return generated("S", 1)


@pytest.fixture
def medium() -> dict[str, Any]:
    return generated("M", 1)


def share(counter: Counter[str], key: str) -> float:
    return counter[key] / sum(counter.values())


# --- generated weeks -----------------------------------------------------------------------------


def test_generate_small_passes_check_scenario(small: dict[str, Any]) -> None:
    assert check_scenario(small) == []


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_generate_small_other_seeds_pass_check_scenario(seed: int) -> None:
    assert check_scenario(generated("S", seed)) == []


def test_generate_medium_passes_check_scenario(medium: dict[str, Any]) -> None:
    assert check_scenario(medium) == []


def test_generate_same_seed_gives_the_same_document() -> None:
    assert json.dumps(generate("S", 7)) == json.dumps(generate("S", 7))


def test_generate_other_seed_gives_another_document() -> None:
    assert generate("S", 7) != generate("S", 8)


def test_generate_leaves_the_global_random_alone() -> None:
    random.seed(12)
    expected = random.random()
    random.seed(12)
    generate("S", 3)
    assert random.random() == expected


def test_generate_plans_the_week_asked_for() -> None:
    doc = generate("S", 1, week="2027-W10")
    assert (doc["week"], check_scenario(doc)) == ("2027-W10", [])
    monday = date(2027, 3, 8)
    starts = [r for r in doc["referrals"] if r["discharged"] and r["intro"]]
    assert all(monday - timedelta(days=6) <= date.fromisoformat(r["discharged"]) < monday
               for r in starts)  # fmt: skip


@pytest.mark.parametrize("scale", ["S", "M", pytest.param("L", marks=pytest.mark.slow)])
def test_generate_counts_land_in_the_documented_ranges(scale: str) -> None:
    doc = generated(scale, 1)
    size = SIZES[scale]
    low, high = size["referrals"]
    fewest, most = size["sessions"]
    sessions = requested_count(parsed(scale, 1))
    assert (len(doc["centres"]), len(doc["therapists"])) == (size["centres"], size["therapists"])
    assert low <= len(doc["referrals"]) <= high
    assert fewest <= sessions <= most


@pytest.mark.parametrize(("scale", "seed"), [("S", 1), ("S", 2), ("S", 3), ("M", 1), ("L", 1)])
def test_generate_referrals_ask_for_75_to_90_percent_of_bookable_time(
    scale: str, seed: int
) -> None:
    problem = parsed(scale, seed)
    used = requested_minutes(problem) / capacity_minutes(problem)
    assert 0.75 <= used <= 0.90
    assert abs(used - LOAD) < 0.03


def test_generate_modes_are_mixed_as_in_practice(medium: dict[str, Any]) -> None:
    modes = Counter(r["mode"] for r in medium["referrals"])
    assert 0.38 <= share(modes, "centre") <= 0.55
    assert 0.20 <= share(modes, "team") <= 0.35
    assert 0.10 <= share(modes, "home") <= 0.20
    assert 0.06 <= share(modes, "online") <= 0.14


def test_generate_professions_are_mixed_as_in_practice(medium: dict[str, Any]) -> None:
    professions = Counter(t["profession"] for t in medium["therapists"])
    assert 0.50 <= share(professions, "physio") <= 0.60
    assert 0.25 <= share(professions, "ot") <= 0.35
    assert 0.10 <= share(professions, "assistant") <= 0.20


def test_generate_has_the_whole_catalogue(small: dict[str, Any]) -> None:
    assert small["packages"] == list(PACKAGES)
    assert {r["package"] for r in small["referrals"]} == {p["code"] for p in PACKAGES}


def test_generate_centres_have_halls_treatment_rooms_and_a_kitchen(medium: dict[str, Any]) -> None:
    for centre in medium["centres"]:
        kinds = Counter(r["kind"] for r in medium["rooms"] if r["centre"] == centre["id"])
        assert 1 <= kinds["hall"] <= 2 and 2 <= kinds["treatment"] <= 4 and kinds["adl"] == 1


def test_generate_centres_lie_in_one_municipality_sized_area(medium: dict[str, Any]) -> None:
    for centre in medium["centres"]:
        assert 56.15 <= centre["lat"] <= 56.6 and 10.0 <= centre["lon"] <= 11.0


def test_generate_has_two_to_four_classes_per_centre(medium: dict[str, Any]) -> None:
    per_centre = Counter(c["centre"] for c in medium["classes"])
    assert all(2 <= n <= 4 for n in per_centre.values())
    assert {"meetings" in c for c in medium["classes"]} == {True, False}


def test_generate_citizens_live_near_their_centre(medium: dict[str, Any]) -> None:
    centres = {c["id"]: c for c in medium["centres"]}
    citizens = {c["id"]: c for c in medium["citizens"]}
    for referral in medium["referrals"]:
        where = centres[referral["centre"]]
        assert distance_km(where, citizens[referral["citizen"]]) <= 17.5  # 15 km and the street


def test_generate_part_of_the_citizens_come_only_at_some_times(medium: dict[str, Any]) -> None:
    restricted = sum(1 for c in medium["citizens"] if "available" in c)
    assert 0.30 <= restricted / len(medium["citizens"]) <= 0.50


def test_generate_has_sul140_starts_and_mid_week_starts(medium: dict[str, Any]) -> None:
    referrals = medium["referrals"]
    starts = [r for r in referrals if r["discharged"] and r["intro"]]
    assert all(r["package"].startswith("SUL140") for r in starts)
    assert len(starts) >= 20
    assert sum(1 for r in referrals if r["earliest"]) >= 20


def test_generate_contacts_are_of_the_referrals_profession_and_centre(
    medium: dict[str, Any],
) -> None:
    therapists = {t["id"]: t for t in medium["therapists"]}
    named = [r for r in medium["referrals"] if r["contact"]]
    assert len(named) >= 0.7 * len(medium["referrals"])
    for referral in named:
        contact = therapists[referral["contact"]]
        assert contact["profession"] == referral["profession"]
        assert referral["centre"] in contact["centres"]


def test_generate_some_referrals_cannot_fit_by_design(small: dict[str, Any]) -> None:
    late = [c for c in small["citizens"] if c.get("available") == {"fri": [["14:00", "16:00"]]}]
    held = {(c, t["profession"], s) for t in small["therapists"]
            for c in t["centres"] for s in t["skills"]}  # fmt: skip
    unheld = [r for r in small["referrals"]
              if {(r["centre"], r["profession"], s) for s in r["skills"]} - held]  # fmt: skip
    assert (len(late), len(unheld)) == (2, 2)


def test_generate_has_no_cpr_numbers(small: dict[str, Any]) -> None:
    assert re.search(r"\b\d{6}-?\d{4}\b", json.dumps(small)) is None


# --- the committed fixtures ----------------------------------------------------------------------


def read_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_norddjurs_fixture_passes_check_scenario() -> None:
    assert check_scenario(read_fixture("norddjurs.json")) == []


def test_norddjurs_fixture_is_what_the_code_generates() -> None:
    """`python -m planner.tools.generate fixtures` rewrites it; it must not drift from the code."""
    assert read_fixture("norddjurs.json") == norddjurs()


def test_norddjurs_fixture_has_the_three_real_centres() -> None:
    doc = read_fixture("norddjurs.json")
    assert [(c["id"], c["address"], c["lat"], c["lon"]) for c in doc["centres"]] == [
        ("auning", "Elme Allé 6, 8963 Auning", 56.431, 10.383),
        ("posthaven", "Posthaven 48, 8500 Grenaa", 56.416, 10.876),
        ("glesborg", "Valmuevej 2, 8585 Glesborg", 56.488, 10.722),
    ]
    assert [r["id"] for r in doc["rooms"] if r["kind"] == "pool"] == ["posthaven-bassin"]


def test_norddjurs_fixture_is_norddjurs_sized() -> None:
    doc = read_fixture("norddjurs.json")
    problem = parse_scenario(doc)
    assert (doc["name"], doc["week"]) == ("Norddjurs Kommune, uge 50", "2026-W50")
    assert len(doc["therapists"]) == 25
    assert 10 <= len(doc["classes"]) <= 14
    assert 225 <= len(doc["referrals"]) <= 275
    assert 350 <= requested_count(problem) <= 450
    assert {r["mode"] for r in doc["referrals"]} == {"centre", "team", "home", "online"}


def test_christmas_fixture_passes_check_scenario() -> None:
    assert check_scenario(read_fixture("norddjurs-uge52.json")) == []


def test_christmas_fixture_is_what_the_code_generates() -> None:
    assert read_fixture("norddjurs-uge52.json") == norddjurs_christmas()


def test_christmas_fixture_has_four_plannable_days() -> None:
    problem = parse_scenario(read_fixture("norddjurs-uge52.json"))
    assert [day.weekday for day in problem.days] == ["mon", "tue", "wed", "thu"]
    assert problem.holidays == (date(2026, 12, 25),)


def test_christmas_fixture_has_a_class_meeting_on_juledag() -> None:
    doc = read_fixture("norddjurs-uge52.json")
    fixed = [m["day"] for c in doc["classes"] for m in c.get("meetings", [])]
    assert (len(doc["therapists"]), len(doc["referrals"]), fixed) == (4, 15, ["tue", "fri"])


# --- shapes: kinds of week ------------------------------------------------------------------------


@functools.cache
def shaped(shape: str, seed: int = 1) -> dict[str, Any]:
    return generate("S", seed, shape=shape)


def special_skills(doc: dict[str, Any]) -> int:
    return sum(1 for t in doc["therapists"] for s in t["skills"] if s != "team")


def starts(doc: dict[str, Any]) -> int:
    return sum(1 for r in doc["referrals"] if r["discharged"] and r["intro"])


def of_mode(doc: dict[str, Any], mode: str) -> int:
    return sum(1 for r in doc["referrals"] if r["mode"] == mode)


def short_weeks(doc: dict[str, Any]) -> int:
    return sum(1 for t in doc["therapists"] if len(t["hours"]) < 5)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_generate_every_shape_is_a_valid_week(shape: str) -> None:
    doc = shaped(shape)
    assert check_scenario(doc) == []
    assert 200 <= len(doc["referrals"]) <= 300


def test_generate_usual_shape_is_the_default_week() -> None:
    assert generate("S", 3, shape="usual") == generate("S", 3)


@pytest.mark.parametrize(
    ("shape", "measure"),
    [
        ("scarce-skills", lambda d: -special_skills(d)),
        ("tight-rooms", lambda d: -sum(1 for r in d["rooms"] if r["kind"] == "treatment")),
        ("full-classes", lambda d: of_mode(d, "team")),
        ("home-villages", lambda d: of_mode(d, "home")),
        ("narrow-windows", lambda d: sum(1 for c in d["citizens"] if "available" in c)),
        ("part-timers", short_weeks),
        ("sul-peak", starts),
    ],
)
def test_generate_shape_turns_its_knob(shape: str, measure: Any) -> None:
    """On every one of three seeds the shape has more of what it is about than the usual week."""
    for seed in (1, 2, 3):
        assert measure(shaped(shape, seed)) > measure(shaped("usual", seed))


def test_generate_narrow_windows_are_two_hours_at_most() -> None:
    doc = shaped("narrow-windows")
    spans = [
        int(b[:2]) * 60 + int(b[3:]) - int(a[:2]) * 60 - int(a[3:])
        for c in doc["citizens"]
        for windows in c.get("available", {}).values()
        for a, b in windows
    ]
    assert max(spans) == 120


def test_generate_full_classes_ask_for_more_seats_than_there_are() -> None:
    doc = shaped("full-classes")
    asked: Counter[str] = Counter()
    for r in doc["referrals"]:
        if r["class"]:
            asked[r["class"]] += r["sessions_per_week"]
    seats = {
        c["id"]: c["capacity"] * len(c.get("meetings", []))
        or c["capacity"] * c.get("meetings_per_week", 0)
        for c in doc["classes"]
    }
    assert any(asked[c] > n for c, n in seats.items())


# --- XL: a shared service for many municipalities -------------------------------------------------


def test_xl_centres_lie_in_thirty_different_towns_for_any_seed():
    from planner.tools.generate import MIDTJYLLAND_TOWNS, SCALES, pick_sites, towns_for

    assert towns_for(SCALES["XL"]) == MIDTJYLLAND_TOWNS
    for seed in range(1, 6):
        sites = pick_sites(random.Random(seed), 30, MIDTJYLLAND_TOWNS)
        assert len({s.id for s in sites}) == 30
        assert min(distance_km(a, b) for a in sites for b in sites if a is not b) >= 3.0


def test_xl_week_has_the_shared_service_size():
    doc = generate("XL", 1)
    assert (len(doc["centres"]), len(doc["therapists"])) == (30, 500)
    assert 6300 <= len(doc["referrals"]) <= 7700
    centres = {c["id"] for c in doc["centres"]}
    assert {r["centre"] for r in doc["referrals"]} <= centres
    assert doc["name"] == "Fælles træningsservice XL (frø 1), uge 50"


def test_smaller_scales_keep_their_towns():
    from planner.tools.generate import DJURSLAND_TOWNS, SCALES, towns_for

    assert {towns_for(SCALES[s]) for s in ("S", "M", "L")} == {DJURSLAND_TOWNS}
