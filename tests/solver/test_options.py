"""Options: the home-visit variants on routes (`solver.options.route_options`)."""

from __future__ import annotations

from planner.formats.scenario import parse_scenario
from solver.options import build_options
from tests.solver.test_solve_rules import two_neighbours_at_home, two_neighbours_in_a_short_morning


def test_each_visit_may_drive_on_to_its_neighbour_or_come_from_it():
    options = build_options(parse_scenario(two_neighbours_at_home()))
    round_trips = {o.referral: o for o in options.individual}
    variants = {(o.referral, o.comes_from, o.drives_on) for o in options.routes}
    assert variants == {
        ("r001", None, True),  # centre -> r001 -> on
        ("r001", "r002", False),  # r002 -> r001 -> centre
        ("r002", None, True),
        ("r002", "r001", False),
    }  # a visit both from and on to a home needs a third one
    for o in options.routes:
        trip = round_trips[o.referral]
        assert set(o.starts) <= set(trip.starts)  # a referral alone can have no more
        if o.drives_on:
            assert o.travel_after == 0 and o.travel_before == trip.travel_before
        else:
            # One minute next door, then a wait of 14 to the next slot (the 60-minute session
            # before it ends on the grid).
            assert (o.travel_before, o.wait, o.travel_after) == (1, 14, trip.travel_after)


def test_a_route_keeps_inside_the_therapists_hours():
    options = build_options(parse_scenario(two_neighbours_in_a_short_morning()))
    came = [o for o in options.routes if o.comes_from is not None]
    # Back at the centre by 11:15: the second visit starts by 09:45 (60 minutes, 17 back).
    assert came and all(max(o.starts) + o.minutes + o.travel_after <= 675 for o in came)
    assert all(min(o.starts) - o.before >= 480 for o in options.routes)


def test_no_routes_where_homes_are_far_apart_or_the_drive_would_not_save():
    doc = two_neighbours_at_home()
    doc["citizens"][1] |= {"lat": 56.60, "lon": 10.90}  # 30 km from the first
    assert build_options(parse_scenario(doc)).routes == []
