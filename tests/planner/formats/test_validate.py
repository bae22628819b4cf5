"""The plan validator, rule by rule: allowed, violated, and the edge that is still allowed.

Each test builds the factories' smallest week (one centre open 08:00-16:00, a hall and a
treatment room, physiotherapist t01, citizen c001 with centre referral r001 for 2 x 45 minutes)
and changes only what its rule is about. Plans are built directly from appointments; `solution`
fills in the plan's own account (unplaced, stats) so that only the rule under test can break.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from planner.formats.plan import plan_document
from planner.formats.scenario import parse_scenario
from planner.formats.validate import RULES, check_plan, check_plan_document, rule_name
from planner.text.messages import Message, text_message
from solver.problem import (
    Appointment,
    PlanWarning,
    Problem,
    Solution,
    Stats,
    Unplaced,
    requested_sessions,
)
from tests import factories as f

MON, TUE, WED, THU, FRI = (date(2026, 12, day) for day in range(7, 12))
FAR = {"lat": 56.5, "lon": 10.5}  # 19 minutes' drive from centre auning
RULES_MD = Path(__file__).parents[3] / "docs" / "rules.md"


# --- helpers ------------------------------------------------------------------------------------


def week(**over: Any) -> Problem:
    """The factories' smallest week, with whole top-level fields replaced."""
    return parse_scenario(f.scenario(**over))


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def appt(
    id: str = "a1", day: date = TUE, start: str = "10:00", minutes: int = 45, **over: Any
) -> Appointment:
    """An individual session of r001 by t01 in the treatment room, unless told otherwise."""
    fields = {
        "kind": "individual",
        "referral": "r001",
        "therapist": "t01",
        "centre": "auning",
        "room": "auning-b1",
    }
    return Appointment(id=id, day=day, start=hm(start), end=hm(start) + minutes, **fields | over)


def meeting(
    id: str = "m1", day: date = TUE, people: tuple[str, ...] = ("r001",), **over: Any
) -> Appointment:
    """A 60-minute meeting of class balance in the hall at 10:00, unless told otherwise."""
    fields = {"kind": "team", "referral": None, "team_class": "balance", "room": "auning-sal"}
    return appt(id, day, over.pop("start", "10:00"), 60, participants=people, **fields | over)


def home(
    id: str = "h1", day: date = TUE, before: int = 1, after: int = 1, **over: Any
) -> Appointment:
    """A 45-minute home visit for r001 at 10:00 with the given drive around it."""
    fields = {"kind": "home", "room": None, "travel_before": before, "travel_after": after}
    return appt(id, day, over.pop("start", "10:00"), **fields | over)


FREE = text_message("no therapist free")


def solution(problem: Problem, *appts: Appointment, **over: Any) -> Solution:
    """A plan of these appointments whose own account (unplaced, stats) adds up."""
    placed = Counter(
        referral
        for a in appts
        for referral in (set(a.participants) if a.kind == "team" else {a.referral})
    )
    requested = {r.id: requested_sessions(problem, r) for r in problem.referrals}
    missing = {r: n - placed[r] for r, n in requested.items() if n > placed[r]}
    account = {
        "unplaced": tuple(
            Unplaced(r, n, (text_message("no therapist free"),)) for r, n in missing.items()
        ),
        "stats": Stats(sum(requested.values()), sum(placed.values())),
    }
    return Solution("feasible", appts, **account | over)


def broken(problem: Problem, *appts: Appointment, **over: Any) -> list[str]:
    """The rule of each violation of the plan, in check_plan's order."""
    return [v.rule for v in check_plan(problem, solution(problem, *appts, **over))]


def citizens(n: int) -> list[dict[str, Any]]:
    return [f.citizen(f"c{i:03d}") for i in range(1, n + 1)]


def team_referral(id: str = "r001", citizen: str = "c001", **over: Any) -> dict[str, Any]:
    return f.referral(id, citizen, **{"mode": "team", "class": "balance"} | over)


def team_week(*referrals: dict[str, Any], **over: Any) -> Problem:
    """Class balance (Tue and Thu 10:00, 10 seats) with team referral r001 or those given."""
    doc = {
        "classes": [f.team_class()],
        "packages": [f.package(high=180)],
        "citizens": citizens(max(3, len(referrals))),
        "referrals": list(referrals) or [team_referral()],
    }
    return week(**doc | over)


def chosen_class(per_week: int) -> dict[str, Any]:
    """Class balance with the planner choosing its `per_week` meetings."""
    doc = {k: v for k, v in f.team_class().items() if k != "meetings"}
    return doc | {"meetings_per_week": per_week}


def two_referrals(**r002: Any) -> dict[str, Any]:
    """Citizen c002 (19 minutes' drive from auning) with referral r002 besides c001's r001."""
    return {
        "citizens": [f.citizen(), f.citizen("c002", **FAR)],
        "referrals": [f.referral(), f.referral("r002", citizen="c002", **r002)],
    }


def two_centres(*centres: str, **over: Any) -> Problem:
    """Centres auning and glesborg with a treatment room each; t01 works at `centres`."""
    return week(
        centres=[f.centre(), f.centre("glesborg", lat=56.48, lon=10.6)],
        rooms=[f.room("auning-b1"), f.room("glesborg-b1", centre="glesborg")],
        therapists=[f.therapist(centres=list(centres or ("auning", "glesborg")))],
        **two_referrals(centre=None) | over,
    )


def two_therapists(**over: Any) -> Problem:
    return week(therapists=[f.therapist(), f.therapist("t02")], **over)


# --- integrity ----------------------------------------------------------------------------------


def test_unique_ids_allowed() -> None:
    assert broken(week(), appt("a1", TUE), appt("a2", WED)) == []


def test_unique_ids_violated_by_an_id_used_twice() -> None:
    assert broken(week(), appt("a1", TUE), appt("a1", WED)) == ["unique-ids"]


def test_unique_ids_edge_ids_differing_in_case_are_different() -> None:
    assert broken(week(), appt("a1", TUE), appt("A1", WED)) == []


def test_unknown_reference_allowed() -> None:
    assert broken(week(), appt()) == []


def test_unknown_reference_violated_by_an_unknown_therapist() -> None:
    assert broken(week(), appt(therapist="t99")) == ["unknown-reference"]


def test_unknown_reference_edge_an_online_session_names_no_room() -> None:
    problem = week(referrals=[f.referral(mode="online")])
    assert broken(problem, appt(kind="online", room=None)) == []


def test_end_after_start_allowed() -> None:
    assert broken(week(), appt(minutes=45)) == []


def test_end_after_start_violated_by_an_empty_appointment() -> None:
    assert broken(week(), appt(minutes=0)) == ["end-after-start", "referral-duration"]


def test_end_after_start_edge_one_minute_is_after_the_start() -> None:
    assert broken(week(), appt(minutes=1)) == ["referral-duration"]


# --- the week -----------------------------------------------------------------------------------


def test_plannable_day_allowed() -> None:
    assert broken(week(), appt(day=MON)) == []


def test_plannable_day_violated_on_christmas_day() -> None:
    assert broken(week(week="2026-W52"), appt(day=date(2026, 12, 25))) == ["plannable-day"]


def test_plannable_day_violated_outside_the_week() -> None:
    assert broken(week(), appt(day=date(2026, 12, 14))) == ["plannable-day"]


def test_plannable_day_edge_christmas_eve_is_no_public_holiday() -> None:
    assert broken(week(week="2026-W52"), appt(day=date(2026, 12, 24))) == []


def test_slot_grid_allowed() -> None:
    assert broken(week(), appt(start="10:15")) == []


def test_slot_grid_violated_off_the_grid() -> None:
    assert broken(week(), appt(start="10:05")) == ["slot-grid"]


def test_slot_grid_edge_the_scenario_grid_counts_not_the_quarter_hour() -> None:
    assert broken(week(slot_minutes=20), appt(start="10:40")) == []


def test_centre_open_allowed() -> None:
    assert broken(week(), appt()) == []


def test_centre_open_violated_after_closing() -> None:
    problem = week(therapists=[f.therapist(hours=f.work_hours("07:00", "18:00"))])
    assert broken(problem, appt(start="15:30")) == ["centre-open"]


def test_centre_open_violated_on_a_closed_weekday() -> None:
    closed_wed = {day: hours for day, hours in f.open_hours().items() if day != "wed"}
    assert broken(week(centres=[f.centre(open=closed_wed)]), appt(day=WED)) == ["centre-open"]


def test_centre_open_violated_by_the_drive_before_opening() -> None:
    problem = week(
        referrals=[f.referral(mode="home")],
        therapists=[f.therapist(hours=f.work_hours("07:00", "18:00"))],
    )
    assert broken(problem, home(start="08:00")) == ["centre-open"]


def test_centre_open_edge_ending_exactly_at_closing_time() -> None:
    assert broken(week(), appt(start="15:15")) == []


# --- therapists ---------------------------------------------------------------------------------


def test_therapist_qualified_allowed() -> None:
    assert broken(week(), appt()) == []


def test_therapist_qualified_violated_by_a_missing_skill() -> None:
    problem = week(referrals=[f.referral(skills=["neuro"])])
    assert broken(problem, appt()) == ["therapist-qualified"]


def test_therapist_qualified_violated_by_an_instructor_without_the_class_skill() -> None:
    problem = team_week(therapists=[f.therapist(), f.therapist("t02", skills=[])])
    assert broken(problem, meeting(therapist="t02")) == ["therapist-qualified"]


def test_therapist_qualified_edge_holding_exactly_the_needed_skill() -> None:
    problem = week(referrals=[f.referral(skills=["team"])])
    assert broken(problem, appt()) == []


def test_therapist_hours_allowed() -> None:
    assert broken(week(), appt()) == []


def test_therapist_hours_violated_across_two_windows() -> None:
    split = {"tue": [["08:00", "12:00"], ["12:00", "16:00"]]}
    problem = week(therapists=[f.therapist(hours=split)])
    assert broken(problem, appt(start="11:30")) == ["therapist-hours"]


def test_therapist_hours_violated_on_a_day_off() -> None:
    problem = week(therapists=[f.therapist(hours={"tue": [["08:00", "16:00"]]})])
    assert broken(problem, appt(day=WED)) == ["therapist-hours"]


def test_therapist_hours_edge_ending_as_the_window_ends() -> None:
    split = {"tue": [["08:00", "12:00"], ["12:00", "16:00"]]}
    problem = week(therapists=[f.therapist(hours=split)])
    assert broken(problem, appt(start="11:15")) == []


def test_therapist_absent_allowed() -> None:
    assert broken(week(), appt()) == []


def test_therapist_absent_violated_on_the_absent_date() -> None:
    problem = week(therapists=[f.therapist(absent=["2026-12-08"])])
    assert broken(problem, appt(day=TUE)) == ["therapist-absent"]


def test_therapist_absent_edge_the_day_after_the_absence() -> None:
    problem = week(therapists=[f.therapist(absent=["2026-12-08"])])
    assert broken(problem, appt(day=WED)) == []


def test_therapist_one_centre_allowed() -> None:
    assert broken(two_centres(), appt()) == []


def test_therapist_one_centre_violated_by_two_centres_in_a_day() -> None:
    second = appt("a2", start="13:00", referral="r002", centre="glesborg", room="glesborg-b1")
    assert broken(two_centres(), appt(), second) == ["therapist-one-centre"]


def test_therapist_one_centre_violated_at_a_centre_they_do_not_work_at() -> None:
    second = appt("a2", WED, referral="r002", centre="glesborg", room="glesborg-b1")
    assert broken(two_centres("auning"), appt(), second) == ["therapist-one-centre"]


def test_therapist_one_centre_edge_another_centre_the_next_day() -> None:
    second = appt("a2", WED, referral="r002", centre="glesborg", room="glesborg-b1")
    assert broken(two_centres(), appt(), second) == []


def test_therapist_overlap_allowed() -> None:
    second = appt("a2", start="11:00", referral="r002", room="auning-sal")
    assert broken(week(**two_referrals()), appt(), second) == []


def test_therapist_overlap_violated_by_a_double_booking() -> None:
    second = appt("a2", start="10:30", referral="r002", room="auning-sal")
    assert broken(week(**two_referrals()), appt(), second) == ["therapist-overlap"]


def test_therapist_overlap_violated_by_the_drive_to_a_home_visit() -> None:
    problem = week(**two_referrals(mode="home"))
    visit = home("h2", start="11:00", before=19, after=19, referral="r002")
    assert broken(problem, appt(), visit) == ["therapist-overlap"]


def test_therapist_overlap_edge_back_to_back() -> None:
    second = appt("a2", start="10:45", referral="r002", room="auning-sal")
    assert broken(week(**two_referrals()), appt(), second) == []


def test_therapist_max_minutes_allowed() -> None:
    assert broken(week(), appt()) == []


def test_therapist_max_minutes_violated_by_one_minute() -> None:
    assert broken(week(therapists=[f.therapist(max_minutes=44)]), appt()) == [
        "therapist-max-minutes"
    ]


def test_therapist_max_minutes_violated_by_the_travel() -> None:
    problem = week(referrals=[f.referral(mode="home")], therapists=[f.therapist(max_minutes=46)])
    assert broken(problem, home(before=1, after=1)) == ["therapist-max-minutes"]


def test_therapist_max_minutes_edge_exactly_reached() -> None:
    assert broken(week(therapists=[f.therapist(max_minutes=45)]), appt()) == []


# --- home visits and travel ---------------------------------------------------------------------


def far_home_week() -> Problem:
    """Referral r001 is a home visit 19 minutes' drive from centre auning."""
    return week(citizens=[f.citizen(**FAR)], referrals=[f.referral(mode="home")])


def chain_week() -> Problem:
    """Home visits r001 (19 min from auning) and r002 (5 min further, 23 min from auning)."""
    return week(
        citizens=[f.citizen(**FAR), f.citizen("c002", lat=56.52, lon=10.52)],
        referrals=[f.referral(mode="home"), f.referral("r002", citizen="c002", mode="home")],
    )


def test_travel_allowed_with_time_to_spare() -> None:
    assert broken(far_home_week(), home(before=25, after=25)) == []


def test_travel_violated_by_too_short_a_drive_there() -> None:
    assert broken(far_home_week(), home(before=18, after=19)) == ["travel"]


def test_travel_violated_by_no_drive_back_after_the_last_visit() -> None:
    assert broken(far_home_week(), home(before=19, after=0)) == ["travel"]


def test_travel_edge_a_home_where_the_centre_is_needs_no_drive() -> None:
    """A citizen living at the centre's own address: no minutes there or back is the formula."""
    at_centre = week(
        citizens=[f.citizen(lat=56.431, lon=10.383)], referrals=[f.referral(mode="home")]
    )
    assert broken(at_centre, home(before=0, after=0)) == []


def test_travel_violated_by_travel_on_a_centre_session() -> None:
    assert broken(week(), appt(travel_before=5)) == ["travel"]


def test_travel_edge_exactly_the_formula() -> None:
    assert broken(far_home_week(), home(before=19, after=19)) == []


def test_travel_edge_a_chain_of_two_visits() -> None:
    second = home("h2", start="11:00", before=5, after=23, referral="r002")
    assert broken(chain_week(), home(before=19, after=0), second) == []


def test_travel_violated_by_a_chain_with_too_short_a_drive() -> None:
    second = home("h2", start="11:00", before=4, after=23, referral="r002")
    assert broken(chain_week(), home(before=19, after=0), second) == ["travel"]


# --- rooms --------------------------------------------------------------------------------------


def test_room_kind_allowed() -> None:
    assert broken(week(), appt(room="auning-b1")) == []


def test_room_kind_violated_by_an_adl_kitchen() -> None:
    rooms = [f.room("auning-b1"), f.room("auning-adl", kind="adl", capacity=4)]
    assert broken(week(rooms=rooms), appt(room="auning-adl")) == ["room-kind"]


def test_room_kind_violated_by_a_home_visit_with_a_room() -> None:
    problem = week(referrals=[f.referral(mode="home")])
    assert broken(problem, home(room="auning-b1")) == ["room-kind"]


def test_room_kind_violated_by_a_team_meeting_in_a_treatment_room() -> None:
    assert broken(team_week(), meeting(room="auning-b1")) == ["room-kind"]


def test_room_kind_edge_an_individual_session_in_the_hall() -> None:
    assert broken(week(), appt(room="auning-sal")) == []


def test_room_capacity_allowed() -> None:
    second = appt("a2", start="11:00", referral="r002", therapist="t02")
    assert broken(two_therapists(**two_referrals()), appt(), second) == []


def test_room_capacity_violated_by_two_in_a_treatment_room() -> None:
    second = appt("a2", start="10:30", referral="r002", therapist="t02")
    assert broken(two_therapists(**two_referrals()), appt(), second) == ["room-capacity"]


def test_room_capacity_edge_exactly_full() -> None:
    problem = two_therapists(
        rooms=[f.room("auning-sal", kind="hall", capacity=2)], **two_referrals()
    )
    second = appt("a2", referral="r002", therapist="t02", room="auning-sal")
    assert broken(problem, appt(room="auning-sal"), second) == []


def team_and_individual() -> Problem:
    """Team referral r001 in class balance, centre referral r002, therapists t01 and t02."""
    return team_week(
        team_referral(),
        f.referral("r002", citizen="c002"),
        therapists=[f.therapist(), f.therapist("t02")],
    )


def test_room_team_alone_allowed() -> None:
    other = appt("a2", referral="r002", therapist="t02", room="auning-b1")
    assert broken(team_and_individual(), meeting(), other) == []


def test_room_team_alone_violated_by_a_session_during_the_meeting() -> None:
    other = appt("a2", start="10:30", referral="r002", therapist="t02", room="auning-sal")
    assert broken(team_and_individual(), meeting(), other) == ["room-team-alone"]


def test_room_team_alone_edge_a_session_right_after_the_meeting() -> None:
    other = appt("a2", start="11:00", referral="r002", therapist="t02", room="auning-sal")
    assert broken(team_and_individual(), meeting(), other) == []


# --- citizens -----------------------------------------------------------------------------------


def test_citizen_one_a_day_allowed() -> None:
    problem = week(referrals=[f.referral(), f.referral("r002")])
    assert broken(problem, appt(), appt("a2", WED, referral="r002")) == []


def test_citizen_one_a_day_violated_by_two_referrals_on_one_day() -> None:
    problem = week(referrals=[f.referral(), f.referral("r002")])
    second = appt("a2", start="13:00", referral="r002")
    assert broken(problem, appt(), second) == ["citizen-one-a-day"]


def test_citizen_one_a_day_violated_by_a_seat_and_a_session() -> None:
    problem = team_week(team_referral(), f.referral("r002"))
    second = appt("a2", start="13:00", referral="r002")
    assert broken(problem, meeting(), second) == ["citizen-one-a-day"]


def test_citizen_one_a_day_edge_two_citizens_at_the_same_time() -> None:
    second = appt("a2", referral="r002", room="auning-sal", therapist="t02")
    assert broken(two_therapists(**two_referrals()), appt(), second) == []


def available_week() -> Problem:
    return week(citizens=[f.citizen(available={"tue": [["09:00", "12:00"]]})])


def test_citizen_available_allowed() -> None:
    assert broken(available_week(), appt()) == []


def test_citizen_available_violated_past_the_window() -> None:
    assert broken(available_week(), appt(start="11:30")) == ["citizen-available"]


def test_citizen_available_violated_on_a_weekday_not_listed() -> None:
    assert broken(available_week(), appt(day=WED)) == ["citizen-available"]


def test_citizen_available_edge_ending_as_the_window_ends() -> None:
    assert broken(available_week(), appt(start="11:15")) == []


def test_citizen_earliest_allowed() -> None:
    assert broken(week(referrals=[f.referral(earliest="2026-12-09")]), appt(day=THU)) == []


def test_citizen_earliest_violated_the_day_before() -> None:
    problem = week(referrals=[f.referral(earliest="2026-12-09")])
    assert broken(problem, appt(day=TUE)) == ["citizen-earliest"]


def test_citizen_earliest_edge_on_the_earliest_date() -> None:
    assert broken(week(referrals=[f.referral(earliest="2026-12-09")]), appt(day=WED)) == []


# --- referrals ----------------------------------------------------------------------------------


def test_referral_count_allowed() -> None:
    assert broken(week(referrals=[f.referral(delivered=14)]), appt()) == []


def test_referral_count_violated_beyond_the_package() -> None:
    problem = week(referrals=[f.referral(delivered=14)])
    assert broken(problem, appt(), appt("a2", WED)) == ["referral-count"]


def test_referral_count_edge_the_package_exactly_used_up() -> None:
    problem = week(referrals=[f.referral(delivered=13)])
    assert broken(problem, appt(), appt("a2", WED)) == []


def test_referral_distinct_days_allowed() -> None:
    assert broken(week(), appt(day=TUE), appt("a2", THU)) == []


def test_referral_distinct_days_violated_by_two_sessions_on_one_day() -> None:
    second = appt("a2", start="13:00")
    assert broken(week(), appt(), second) == ["citizen-one-a-day", "referral-distinct-days"]


def test_referral_distinct_days_edge_consecutive_days() -> None:
    assert broken(week(), appt(day=MON), appt("a2", TUE)) == []


def test_referral_kind_allowed() -> None:
    assert broken(week(referrals=[f.referral(mode="home")]), home()) == []


def test_referral_kind_violated_by_a_home_referral_seen_at_the_centre() -> None:
    assert broken(week(referrals=[f.referral(mode="home")]), appt()) == ["referral-kind"]


def test_referral_kind_violated_by_a_centre_referral_seen_at_home() -> None:
    assert broken(week(), home()) == ["referral-kind"]


def test_referral_kind_edge_a_centre_referral_naming_a_class_gets_either() -> None:
    problem = team_week(f.referral(**{"class": "balance"}))
    assert broken(problem, appt("a2", MON), meeting()) == []


def test_referral_duration_allowed() -> None:
    assert broken(week(), appt(minutes=45)) == []


def test_referral_duration_violated_by_a_longer_session() -> None:
    assert broken(week(), appt(minutes=60)) == ["referral-duration"]


def test_referral_duration_edge_a_seat_lasts_the_class_minutes() -> None:
    assert broken(team_week(), meeting()) == []


def test_referral_centre_allowed() -> None:
    assert broken(two_centres(), appt()) == []


def test_referral_centre_violated_at_another_centre() -> None:
    away = appt(centre="glesborg", room="glesborg-b1")
    assert broken(two_centres(), away) == ["referral-centre"]


def test_referral_centre_edge_a_referral_without_centre_goes_anywhere() -> None:
    away = appt("a2", referral="r002", centre="glesborg", room="glesborg-b1")
    assert broken(two_centres(), away) == []


def test_team_intro_final_allowed_intro_before_the_seats() -> None:
    problem = team_week(team_referral(intro=True))
    assert broken(problem, appt(day=TUE), meeting(day=THU)) == []


def test_team_intro_final_violated_by_a_seat_before_the_intro() -> None:
    problem = team_week(team_referral(intro=True))
    assert broken(problem, meeting(day=TUE), appt(day=THU)) == ["team-intro-final"]


def test_team_intro_final_violated_by_an_individual_session_without_intro() -> None:
    assert broken(team_week(), appt(day=TUE), meeting(day=THU)) == ["team-intro-final"]


def test_team_intro_final_allowed_re_test_after_the_seats() -> None:
    problem = team_week(team_referral(final=True))
    assert broken(problem, meeting(day=TUE), appt(day=THU)) == []


def test_team_intro_final_edge_with_both_a_single_individual_session_is_the_intro() -> None:
    problem = team_week(team_referral(intro=True, final=True))
    assert broken(problem, appt(day=TUE), meeting(day=THU)) == []


def test_course_start_allowed_assessment_before_the_seats() -> None:
    problem = team_week(f.referral(**{"class": "balance"}))
    assert broken(problem, appt(day=MON), meeting(day=TUE)) == []


def test_course_start_violated_by_a_seat_as_the_courses_first_session() -> None:
    problem = team_week(f.referral(**{"class": "balance"}))
    assert broken(problem, meeting(day=TUE), appt(day=WED)) == ["course-start"]


def test_course_start_violated_by_a_sul_start_seated_on_the_assessments_day() -> None:
    problem = team_week(f.referral(**{"class": "balance", "intro": True, "delivered": 2}))
    assert broken(problem, meeting(day=TUE)) == ["course-start"]


def test_course_start_edge_a_running_course_may_start_the_week_with_a_seat() -> None:
    problem = team_week(f.referral(**{"class": "balance", "delivered": 3}))
    assert broken(problem, meeting(day=TUE), appt(day=WED)) == []


PIN = {
    "id": "a1",
    "kind": "individual",
    "referral": "r001",
    "therapist": "t01",
    "centre": "auning",
    "room": "auning-b1",
    "start": "2026-12-08T10:00:00+01:00",
    "end": "2026-12-08T10:45:00+01:00",
}


def test_pinned_allowed() -> None:
    assert broken(week(pinned=[PIN]), appt()) == []


def test_pinned_violated_by_another_therapist() -> None:
    problem = two_therapists(pinned=[PIN])
    assert broken(problem, appt(therapist="t02")) == ["pinned"]


def test_pinned_violated_by_leaving_it_out() -> None:
    assert broken(week(pinned=[PIN]), appt("a2")) == ["pinned"]


def test_pinned_edge_a_pinned_team_meeting_gains_a_participant() -> None:
    pin = PIN | {"id": "m1", "kind": "team", "class": "balance", "participants": ["r001"]}
    pin |= {"room": "auning-sal", "end": "2026-12-08T11:00:00+01:00"}
    del pin["referral"]
    problem = team_week(team_referral(), team_referral("r002", "c002"), pinned=[pin])
    assert broken(problem, meeting(people=("r001", "r002"))) == []


# --- team classes -------------------------------------------------------------------------------


def test_class_meetings_allowed() -> None:
    assert broken(team_week(), meeting(day=TUE)) == []


def test_class_meetings_violated_off_the_fixed_meetings() -> None:
    assert broken(team_week(), meeting(day=WED)) == ["class-meetings"]


def test_class_meetings_violated_by_an_empty_meeting() -> None:
    assert broken(team_week(), meeting(people=())) == ["class-meetings"]


def test_class_meetings_violated_by_more_meetings_than_chosen() -> None:
    problem = team_week(classes=[chosen_class(1)])
    assert broken(problem, meeting(day=TUE), meeting("m2", WED)) == ["class-meetings"]


def test_class_meetings_violated_by_two_meetings_on_one_day() -> None:
    problem = team_week(team_referral(), team_referral("r002", "c002"), classes=[chosen_class(2)])
    second = meeting("m2", TUE, ("r002",), start="13:00")
    assert broken(problem, meeting(), second) == ["class-meetings"]


def test_class_meetings_edge_chosen_meetings_exactly_as_often_as_allowed() -> None:
    problem = team_week(classes=[chosen_class(2)])
    second = meeting("m2", WED, start="08:15")
    assert broken(problem, meeting(day=TUE, start="13:00"), second) == []


def full_class(capacity: int = 2, hall: int = 12) -> Problem:
    """Class balance with `capacity` seats in a hall for `hall`, and team referrals r001-r003."""
    return team_week(
        *(team_referral(f"r00{i}", f"c00{i}") for i in (1, 2, 3)),
        classes=[f.team_class(capacity=capacity)],
        rooms=[f.room("auning-sal", kind="hall", capacity=hall), f.room("auning-b1")],
    )


def test_class_capacity_allowed() -> None:
    assert broken(full_class(), meeting(people=("r001",))) == []


def test_class_capacity_violated_by_one_too_many() -> None:
    assert broken(full_class(), meeting(people=("r001", "r002", "r003"))) == ["class-capacity"]


def test_class_capacity_violated_by_a_smaller_room() -> None:
    problem = full_class(capacity=10, hall=2)
    assert broken(problem, meeting(people=("r001", "r002", "r003"))) == ["class-capacity"]


def test_class_capacity_edge_exactly_full() -> None:
    assert broken(full_class(), meeting(people=("r001", "r002"))) == []


def test_class_participants_allowed() -> None:
    assert broken(team_week(), meeting()) == []


def test_class_participants_violated_by_a_referral_of_no_class() -> None:
    problem = team_week(team_referral(), f.referral("r002", "c002"))
    assert broken(problem, meeting(people=("r001", "r002"))) == ["class-participants"]


def test_class_participants_violated_by_a_participant_listed_twice() -> None:
    assert broken(team_week(), meeting(people=("r001", "r001"))) == ["class-participants"]


def test_class_participants_edge_a_centre_referral_naming_the_class() -> None:
    running = f.referral("r002", "c002", delivered=2, **{"class": "balance"})
    problem = team_week(team_referral(), running)
    assert broken(problem, meeting(people=("r001", "r002"))) == []


# --- the plan's own account ---------------------------------------------------------------------


def test_unplaced_allowed() -> None:
    unplaced = (Unplaced("r001", 1, (text_message("no therapist free on Wednesday"),)),)
    assert broken(week(), appt(), unplaced=unplaced) == []


def test_unplaced_violated_by_a_missing_entry() -> None:
    assert broken(week(), appt(), unplaced=()) == ["unplaced"]


def test_unplaced_violated_by_a_wrong_count() -> None:
    assert broken(week(), appt(), unplaced=(Unplaced("r001", 2, (text_message("busy"),)),)) == [
        "unplaced"
    ]


def test_unplaced_violated_by_an_entry_without_a_reason() -> None:
    assert broken(week(), appt(), unplaced=(Unplaced("r001", 1, ()),)) == ["unplaced"]


def test_unplaced_edge_everything_placed_needs_no_entry() -> None:
    assert broken(week(), appt(), appt("a2", WED), unplaced=()) == []


def deadline_week() -> Problem:
    """A SUL §140 start: team referral r001 with intro, discharged Tuesday 2026-12-01."""
    return team_week(team_referral(intro=True, discharged="2026-12-01"))


LATE = PlanWarning(
    "r001", "start-deadline", Message("warning.late-start", {"first": "2026-12-09", "days": 8})
)


def test_start_deadline_allowed_late_with_a_warning() -> None:
    assert broken(deadline_week(), appt(day=WED), warnings=(LATE,)) == []


def test_start_deadline_violated_late_without_a_warning() -> None:
    assert broken(deadline_week(), appt(day=WED)) == ["start-deadline"]


def test_start_deadline_violated_not_placed_without_a_warning() -> None:
    assert broken(deadline_week()) == ["start-deadline"]


def test_start_deadline_violated_late_without_opstart_ticked() -> None:
    # The deadline comes from `discharged` alone: a SUL §140 referral nobody marked as a start
    # (intro not ticked, nothing delivered) is still a start within 7 days.
    late = team_week(team_referral(intro=False, discharged="2026-12-01"))
    assert broken(late, meeting(day=THU)) == ["start-deadline"]
    assert broken(late, meeting(day=THU), warnings=(LATE,)) == []


def test_start_deadline_allowed_for_a_course_under_way() -> None:
    under_way = team_week(team_referral(intro=False, delivered=4, discharged="2026-11-01"))
    assert broken(under_way, meeting(day=THU)) == []


def test_start_deadline_edge_exactly_seven_days_after_discharge() -> None:
    assert broken(deadline_week(), appt(day=TUE)) == []


def test_stats_allowed() -> None:
    assert broken(week(), appt(), stats=Stats(2, 1)) == []


def test_stats_violated_by_a_wrong_placed_count() -> None:
    assert broken(week(), appt(), stats=Stats(2, 2)) == ["stats"]


def test_stats_edge_a_meeting_places_one_session_per_participant() -> None:
    problem = team_week(team_referral(), team_referral("r002", "c002"))
    assert broken(problem, meeting(people=("r001", "r002")), stats=Stats(4, 2)) == []


# --- the validator as a whole -------------------------------------------------------------------


def test_check_plan_every_rule_of_rules_md_has_a_check() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    named = re.findall(r"^- `([a-z-]+)`:", text, re.M) + re.findall(r"\(`([a-z]+-[a-z-]+)`\)", text)
    assert set(named) - {rule_name(rule) for rule in RULES} == set()


def test_check_plan_every_check_says_what_it_means() -> None:
    assert [rule_name(rule) for rule in RULES if not (rule.__doc__ or "").strip()] == []


def test_check_plan_names_appointments_and_times() -> None:
    second = appt("a2", start="10:30", referral="r002", room="auning-sal")
    problem = week(**two_referrals())
    violations = check_plan(problem, solution(problem, appt(), second))
    assert [v.rule for v in violations] == ["therapist-overlap"]
    assert [v.text() for v in violations] == [
        "Therapist t01 is double-booked: Appointment a1 (referral r001, Tue 2026-12-08 "
        "10:00–10:45) and Appointment a2 (referral r002, Tue 2026-12-08 10:30–11:15) "
        "overlap (travel included)."
    ]
    assert [v.text("da") for v in violations] == [
        "Terapeut t01 er dobbeltbooket: Aftale a1 (henvisning r001, tir 8.12.2026 "
        "10.00–10.45) og Aftale a2 (henvisning r002, tir 8.12.2026 10.30–11.15) "
        "overlapper (kørsel medregnet)."
    ]


def test_check_plan_sorts_violations_by_rule() -> None:
    problem = week(therapists=[f.therapist(absent=["2026-12-08"])])
    assert broken(problem, appt(start="10:05"), stats=Stats(2, 0)) == [
        "slot-grid",
        "stats",
        "therapist-absent",
    ]


def big_week() -> tuple[Problem, list[Appointment]]:
    """60 therapists with 10 sessions a day each: 3,000 appointments of 1,800 referrals."""
    keys = [(t, k, d // 2) for t in range(60) for k in range(10) for d in (0, 2, 4)]
    problem = week(
        therapists=[f.therapist(f"t{t:02d}") for t in range(60)],
        citizens=[f.citizen(f"c-{t}-{k}-{n}") for t, k, n in keys],
        referrals=[f.referral(f"r-{t}-{k}-{n}", f"c-{t}-{k}-{n}") for t, k, n in keys],
        rooms=[f.room("auning-sal", kind="hall", capacity=60)],
    )
    appts = [
        appt(
            f"a-{t}-{d}-{k}",
            (MON, TUE, WED, THU, FRI)[d],
            f"{8 + 45 * k // 60:02d}:{45 * k % 60:02d}",
            therapist=f"t{t:02d}",
            referral=f"r-{t}-{k}-{d // 2}",
            room="auning-sal",
        )
        for t in range(60)
        for d in range(5)
        for k in range(10)
    ]
    return problem, appts


def test_check_plan_accepts_a_busy_week_of_3000_appointments() -> None:
    # Speed is measured by `planner bench` (which validates every plan), not timed here.
    problem, appts = big_week()
    plan = solution(problem, *appts)
    violations = check_plan(problem, plan)
    assert (violations, len(appts)) == ([], 3000)


# --- plan/1 documents ---------------------------------------------------------------------------


def test_check_plan_document_allowed() -> None:
    problem = week()
    assert check_plan_document(problem, plan_document(problem, solution(problem, appt()))) == []


def test_check_plan_document_violated_by_an_overlap_written_in_json() -> None:
    problem = week(**two_referrals())
    doc = plan_document(problem, solution(problem, appt()))
    doc["appointments"].append(
        {
            "id": "a2",
            "kind": "individual",
            "referral": "r002",
            "therapist": "t01",
            "centre": "auning",
            "room": "auning-sal",
            "start": "2026-12-08T10:30:00+01:00",
            "end": "2026-12-08T11:15:00+01:00",
        }
    )
    doc["unplaced"] = [
        {"referral": r, "sessions": 1, "reasons": ["no therapist free"]} for r in ("r001", "r002")
    ]
    doc["stats"]["sessions_placed"] = 2
    assert [v.rule for v in check_plan_document(problem, doc)] == ["therapist-overlap"]


def test_check_plan_document_schema_errors_are_violations() -> None:
    problem = week()
    doc = plan_document(problem, solution(problem, appt()))
    del doc["status"]
    assert [v.rule for v in check_plan_document(problem, doc)] == ["schema"]


def test_check_plan_document_unknown_referral_is_a_schema_violation() -> None:
    problem = week()
    doc = plan_document(problem, solution(problem, appt(referral="r404")))
    assert [v.rule for v in check_plan_document(problem, doc)] == ["schema"]
