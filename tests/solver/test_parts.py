"""Independent parts of a week: they share nothing, add up to the week, and their bounds too."""

from __future__ import annotations

from hypothesis import given

from planner.formats.scenario import parse_scenario
from planner.tools.generate import generate
from solver.options import build_options
from solver.parts import merge, part_draft, split
from solver.solve import start_part
from tests import factories as f
from tests.planning import plan
from tests.solver.test_bound import exact_optimum
from tests.solver.test_properties import PROPERTY, weeks


def two_centres(second: str = "c002") -> dict:
    """Auning and Glesborg, each with its own therapist, room and citizen (the second referral's
    citizen is `second`)."""
    doc = f.scenario(
        centres=[f.centre("auning"), f.centre("glesborg", lat=56.488, lon=10.722)],
        rooms=[f.room("auning-b1"), f.room("glesborg-b1", centre="glesborg")],
        therapists=[f.therapist("t01"), f.therapist("t02", centres=["glesborg"])],
        citizens=[f.citizen("c001"), f.citizen("c002")],
        referrals=[
            f.referral("r001", "c001"),
            f.referral("r002", second, centre="glesborg"),
        ],
    )
    return doc


def resources(part) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """What a part's options use: therapists, centres' room places, referrals, classes."""
    used: dict[str, set[str]] = {"therapist": set(), "centre": set(), "referral": set()}
    used["class"] = set()
    for o in part.options.individual:
        used["therapist"].add(o.therapist)
        used["referral"].add(o.referral)
        if o.kind == "individual":
            used["centre"].add(o.centre)
    for m in part.options.meetings:
        used["class"].add(m.team_class)
        used["therapist"].update(m.instructors)
        used["referral"].update(m.seats)
        used["centre"].add(part.problem.team_class(m.team_class).centre)
    used["citizen"] = {part.problem.referral(r).citizen for r in used["referral"]}
    return used


def test_two_centres_with_nothing_in_common_are_two_parts():
    problem = parse_scenario(two_centres())
    parts = split(problem, build_options(problem))
    assert sorted([r.id for r in p.problem.referrals] for p in parts) == [["r001"], ["r002"]]
    assert sorted([t.id for t in p.problem.therapists] for p in parts) == [["t01"], ["t02"]]
    assert sorted([room.id for room in p.problem.rooms] for p in parts) == [
        ["auning-b1"],
        ["glesborg-b1"],
    ]


def test_a_citizen_at_both_centres_joins_them():
    problem = parse_scenario(two_centres(second="c001"))
    assert len(split(problem, build_options(problem))) == 1


def test_a_therapist_at_both_centres_joins_them():
    doc = two_centres()
    doc["therapists"][0]["centres"] = ["auning", "glesborg"]
    problem = parse_scenario(doc)
    assert len(split(problem, build_options(problem))) == 1


def test_parts_of_a_generated_week_share_nothing_and_hold_every_option():
    problem = parse_scenario(generate("S", 1))
    options = build_options(problem)
    parts = split(problem, options)
    assert len(parts) == 2
    used = [resources(p) for p in parts]
    for kind in ("therapist", "centre", "referral", "citizen", "class"):
        assert used[0][kind] & used[1][kind] == set()
    assert sum(len(p.options.individual) for p in parts) == len(options.individual)
    assert sorted(j for p in parts for j in p.meetings) == list(range(len(options.meetings)))


def test_parts_merge_back_into_the_week():
    problem = parse_scenario(generate("S", 1))
    options = build_options(problem)
    parts = split(problem, options)
    starts = [start_part(p, part_draft(p, merge([], []))) for p in parts]
    week = merge(parts, [s.draft for s in starts])
    assert week.placed() == sum(s.draft.placed() for s in starts)
    for held in week.meetings:
        meeting = options.meetings[held.meeting]
        assert set(held.participants) <= set(meeting.seats)
        assert held.instructor in meeting.instructors


def test_a_week_in_two_parts_is_planned_whole_with_the_parts_bounds_added():
    solution = plan(two_centres(), time_limit=4.0)
    assert (solution.stats.sessions_placed, solution.stats.placed_bound) == (4, 4)
    assert {a.centre for a in solution.appointments} == {"auning", "glesborg"}


def test_parts_in_two_processes_give_a_valid_plan():
    from planner.formats.validate import check_plan
    from solver.solve import solve

    problem = parse_scenario(two_centres())
    solution = solve(problem, time_limit=6.0, processes=2)
    assert check_plan(problem, solution) == []
    assert solution.stats.sessions_placed == 4


@given(weeks())
@PROPERTY
def test_parts_bounds_add_up_to_at_least_the_exact_optimum(doc):
    """The sum of the parts' bounds is a proof: never below what an exact solve of the whole
    week places (the parts are truly independent, citizens with referrals in two places too)."""
    best = exact_optimum(doc)
    problem = parse_scenario(doc)
    options = build_options(problem)
    parts = split(problem, options)
    bound = sum(start_part(p, part_draft(p, merge([], []))).proven for p in parts)
    if best is not None:
        assert bound >= best
