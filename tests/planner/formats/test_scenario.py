import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.formats.scenario import (
    ScenarioError,
    check_scenario,
    load_scenario,
    parse_scenario,
    scenario_errors,
)
from solver.problem import (
    Appointment,
    Centre,
    Day,
    Meeting,
    Package,
    Referral,
    TeamClass,
    Therapist,
    Travel,
    Window,
)
from tests.factories import (
    ALL_DAYS,
    centre,
    citizen,
    package,
    referral,
    room,
    scenario,
    team_class,
    therapist,
)


def team_referral(id: str = "r002", **over: Any) -> dict[str, Any]:
    """A team referral to the factory's balance class: one 60-minute seat a week."""
    fields = {"mode": "team", "class": "balance", "sessions_per_week": 1, "centre": None}
    return referral(id, **{**fields, **over})


def with_class(**over: Any) -> dict[str, Any]:
    """The factory week with the balance class and one team referral to it."""
    return scenario(classes=[team_class()], referrals=[referral(), team_referral()], **over)


def meeting_appointment(**over: Any) -> dict[str, Any]:
    doc = {
        "id": "a0001",
        "kind": "team",
        "class": "balance",
        "participants": ["r002"],
        "therapist": "t01",
        "centre": "auning",
        "room": "auning-sal",
        "start": "2026-12-08T10:00:00+01:00",
        "end": "2026-12-08T11:00:00+01:00",
    }
    return {**doc, **over}


def thirteen_referrals() -> list[dict[str, Any]]:
    return [referral(f"r{i:03d}") for i in range(1, 14)]


# --- parsing -------------------------------------------------------------------------------


def test_check_scenario_factory_has_no_errors() -> None:
    assert check_scenario(scenario()) == []


def test_parse_scenario_factory_builds_the_problem() -> None:
    problem = parse_scenario(scenario())

    days = tuple(Day(date(2026, 12, 7 + i), day) for i, day in enumerate(ALL_DAYS))
    assert problem.days == days
    assert problem.holidays == ()
    assert (problem.name, problem.week, problem.timezone) == (
        "Testuge",
        "2026-W50",
        "Europe/Copenhagen",
    )
    assert problem.slot_minutes == 15
    assert problem.travel == Travel(1.3, 45)
    assert problem.centres == (
        Centre(
            "auning",
            "Træningscenter Auning",
            "Elme Allé 6, 8963 Auning",
            56.431,
            10.383,
            {day: Window(480, 960) for day in ALL_DAYS},
        ),
    )
    assert [r.id for r in problem.rooms] == ["auning-sal", "auning-b1"]
    assert problem.therapists == (
        Therapist(
            "t01",
            "Terapeut t01",
            "physio",
            frozenset({"team"}),
            ("auning",),
            {day: (Window(480, 960),) for day in ALL_DAYS},
        ),
    )
    assert problem.packages == (Package("TG1", "Pakke TG1", "SEL §86 stk. 1", (60, 90), 15),)
    assert problem.citizens[0].available is None
    assert problem.referrals == (
        Referral("r001", "c001", "TG1", "centre", "physio", frozenset(), 2, 45, centre="auning"),
    )


def test_parse_scenario_reads_classes_windows_and_dates() -> None:
    doc = with_class(
        therapists=[therapist(absent=["2026-12-09"], max_minutes=1500)],
        citizens=[citizen(available={"mon": [["12:00", "15:00"], ["09:00", "11:00"]]})],
    )
    doc["referrals"][1].update(earliest="2026-12-08", discharged="2026-12-03", intro=True)

    problem = parse_scenario(doc)

    assert problem.classes == (
        TeamClass(
            "balance",
            "Balancehold",
            "auning",
            "hall",
            10,
            60,
            "physio",
            frozenset({"team"}),
            (Meeting("tue", 600), Meeting("thu", 600)),
        ),
    )
    assert problem.therapists[0].absent == frozenset({date(2026, 12, 9)})
    assert problem.therapists[0].max_minutes == 1500
    assert problem.citizens[0].available == {"mon": (Window(540, 660), Window(720, 900))}
    assert problem.referrals[1] == Referral(
        "r002",
        "c001",
        "TG1",
        "team",
        "physio",
        frozenset(),
        1,
        45,
        team_class="balance",
        intro=True,
        earliest=date(2026, 12, 8),
        discharged=date(2026, 12, 3),
    )


def test_parse_scenario_reads_pinned_and_previous_appointments() -> None:
    pinned = meeting_appointment()
    previous = meeting_appointment(start="2026-12-08T09:00:00Z", end="2026-12-08T10:00:00Z")

    problem = parse_scenario(with_class(pinned=[pinned], previous=[previous]))

    meeting = Appointment(
        "a0001",
        "team",
        "t01",
        "auning",
        date(2026, 12, 8),
        600,
        660,
        team_class="balance",
        participants=("r002",),
        room="auning-sal",
    )
    assert problem.pinned == (meeting,)
    assert problem.previous == (meeting,)


def test_parse_scenario_week_52_of_2026_drops_christmas_day() -> None:
    problem = parse_scenario(scenario(week="2026-W52"))

    assert [d.date for d in problem.days] == [date(2026, 12, 21 + i) for i in range(4)]
    assert problem.holidays == (date(2026, 12, 25),)


def test_parse_scenario_week_53_of_2026_is_valid_and_drops_new_years_day() -> None:
    problem = parse_scenario(scenario(week="2026-W53"))

    assert problem.days == (
        Day(date(2026, 12, 28), "mon"),
        Day(date(2026, 12, 29), "tue"),
        Day(date(2026, 12, 30), "wed"),
        Day(date(2026, 12, 31), "thu"),
    )
    assert problem.holidays == (date(2027, 1, 1),)


def test_parse_scenario_easter_week_drops_maundy_thursday_and_good_friday() -> None:
    problem = parse_scenario(scenario(week="2026-W14"))

    assert [d.weekday for d in problem.days] == ["mon", "tue", "wed"]
    assert problem.holidays == (date(2026, 4, 2), date(2026, 4, 3))


def test_parse_scenario_raises_with_every_error() -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(scenario(week="2027-W53", slot_minutes=7))

    assert raised.value.errors == [
        "week: 2027-W53 does not exist, 2027 has 52 ISO weeks; "
        "use a week from 2027-W01 to 2027-W52",
        "slot_minutes: 7 does not divide an hour evenly; use 5, 10, 15, 20, 30 or 60",
    ]


# --- the schema ----------------------------------------------------------------------------


def test_check_scenario_schema_error_names_the_json_path() -> None:
    referrals = thirteen_referrals()
    referrals[12]["sessions_per_week"] = -1

    assert check_scenario(scenario(referrals=referrals)) == [
        "referrals[12] (r013).sessions_per_week: -1 is less than the minimum of 1; use 1 or more"
    ]


def test_check_scenario_schema_catches_a_misspelt_field() -> None:
    assert check_scenario(scenario(referrals=[referral(exeption="lang genoptræning")])) == [
        "referrals[0] (r001): unknown field exeption; remove it or correct its spelling"
    ]


def test_check_scenario_schema_names_the_expected_time_format() -> None:
    doc = scenario(therapists=[therapist(hours={"mon": [["8:00", "16:00"]]})])

    assert check_scenario(doc) == [
        "therapists[0] (t01).hours.mon[0][0]: '8:00' is not a time as HH:MM"
    ]


def test_check_scenario_semantic_checks_wait_for_the_schema() -> None:
    doc = scenario(slot_minutes=7, referrals=[referral(mode="walk")])

    assert check_scenario(doc) == [
        "referrals[0] (r001).mode: 'walk' is not one of centre, home, online, team; use one of them"
    ]


def test_check_scenario_reports_many_errors_at_once() -> None:
    doc = scenario(
        timezone="Europe/Aarhus",
        slot_minutes=25,
        rooms=[room("auning-b1"), room("auning-b1", centre="ry")],
        referrals=[referral(sessions_per_week=3, contact="t09", earliest="2026-02-30")],
    )

    assert check_scenario(doc) == [
        'timezone: "Europe/Aarhus" is not a time zone name; use "Europe/Copenhagen"',
        "slot_minutes: 25 does not divide an hour evenly; use 5, 10, 15, 20, 30 or 60",
        'rooms[1] (auning-b1): id "auning-b1" is used again (first at rooms[0]); '
        "give each its own id",
        'rooms[1] (auning-b1).centre: unknown centre "ry"; use the id of an existing centre',
        'referrals[0] (r001).contact: unknown therapist "t09"; use the id of an existing therapist',
        'referrals[0] (r001).earliest: "2026-02-30" is not a real date; write it as YYYY-MM-DD',
        "referrals[0] (r001): 3 × 45 min = 135 min a week is outside TG1's 60–90 min; "
        'add "exception": "<reason>" if this is intended',
    ]


# --- the week ------------------------------------------------------------------------------


def test_check_scenario_week_53_of_2027_does_not_exist() -> None:
    assert check_scenario(scenario(week="2027-W53")) == [
        "week: 2027-W53 does not exist, 2027 has 52 ISO weeks; use a week from 2027-W01 to 2027-W52"
    ]


def test_check_scenario_week_53_of_2026_exists() -> None:
    assert check_scenario(scenario(week="2026-W53")) == []


@pytest.mark.parametrize("slot", [5, 10, 15, 20, 30, 60])
def test_check_scenario_slot_minutes_dividing_the_hour_are_allowed(slot: int) -> None:
    assert check_scenario(scenario(slot_minutes=slot)) == []


def test_check_scenario_slot_minutes_must_divide_the_hour() -> None:
    assert check_scenario(scenario(slot_minutes=45)) == [
        "slot_minutes: 45 does not divide an hour evenly; use 5, 10, 15, 20, 30 or 60"
    ]


def test_check_scenario_timezone_must_be_a_zoneinfo_name() -> None:
    assert check_scenario(scenario(timezone="CEST+1")) == [
        'timezone: "CEST+1" is not a time zone name; use "Europe/Copenhagen"'
    ]


# --- ids and references --------------------------------------------------------------------


def test_check_scenario_duplicate_ids_per_kind() -> None:
    doc = scenario(
        packages=[package(), package()],
        citizens=[citizen(), citizen("c002"), citizen("c002")],
    )

    assert check_scenario(doc) == [
        'packages[1] (TG1): code "TG1" is used again (first at packages[0]); '
        "give each its own code",
        'citizens[2] (c002): id "c002" is used again (first at citizens[1]); give each its own id',
    ]


def test_check_scenario_same_id_in_different_kinds_is_allowed() -> None:
    doc = scenario(citizens=[citizen("x1")], referrals=[referral("x1", citizen="x1")])

    assert check_scenario(doc) == []


def test_check_scenario_unknown_references() -> None:
    doc = scenario(
        therapists=[therapist(centres=["auning", "glesborg"])],
        referrals=[referral(citizen="c404", package="TG9", centre="ry", **{"class": "yoga"})],
    )

    assert check_scenario(doc) == [
        'therapists[0] (t01).centres[1]: unknown centre "glesborg"; '
        "use the id of an existing centre",
        'referrals[0] (r001).citizen: unknown citizen "c404"; use the id of an existing citizen',
        'referrals[0] (r001).package: unknown package "TG9"; use the id of an existing package',
        'referrals[0] (r001).class: unknown class "yoga"; use the id of an existing class',
        'referrals[0] (r001).centre: unknown centre "ry"; use the id of an existing centre',
    ]


def test_check_scenario_pinned_references_must_exist() -> None:
    pinned = meeting_appointment(participants=["r002", "r404"], therapist="t404")

    assert check_scenario(with_class(pinned=[pinned])) == [
        'pinned[0] (a0001).therapist: unknown therapist "t404"; '
        "use the id of an existing therapist",
        'pinned[0] (a0001).participants: unknown referral "r404"; '
        "use the id of an existing referral",
    ]


def test_check_scenario_pinned_appointment_must_lie_in_the_week() -> None:
    pinned = meeting_appointment(start="2026-12-15T10:00:00+01:00", end="2026-12-15T11:00:00+01:00")

    assert check_scenario(with_class(pinned=[pinned])) == [
        "pinned[0] (a0001): 2026-12-15 is not in week 2026-W50; pin only appointments of the week"
    ]


def test_check_scenario_previous_appointment_must_end_after_it_starts() -> None:
    previous = meeting_appointment(end="2026-12-08T10:00:00+01:00")

    assert check_scenario(with_class(previous=[previous])) == [
        "previous[0] (a0001): ends at or before it starts; make `end` later than `start`"
    ]


# --- packages and referrals ----------------------------------------------------------------


def test_check_scenario_weekly_minutes_outside_the_package_range() -> None:
    referrals = thirteen_referrals()
    referrals[12].update(sessions_per_week=3, session_minutes=60)

    assert check_scenario(scenario(referrals=referrals)) == [
        "referrals[12] (r013): 3 × 60 min = 180 min a week is outside TG1's 60–90 min; "
        'add "exception": "<reason>" if this is intended'
    ]


def test_check_scenario_weekly_minutes_at_the_range_edges_are_allowed() -> None:
    low = referral("r001", sessions_per_week=1, session_minutes=60)
    high = referral("r002", sessions_per_week=2, session_minutes=45)

    assert check_scenario(scenario(referrals=[low, high])) == []


def test_check_scenario_weekly_minutes_with_an_exception_are_allowed() -> None:
    doc = scenario(referrals=[referral(sessions_per_week=3, exception="faldtruet, aftalt")])

    assert check_scenario(doc) == []


def test_check_scenario_team_weekly_minutes_count_the_class_minutes() -> None:
    doc = scenario(classes=[team_class()], referrals=[team_referral(sessions_per_week=2)])

    assert check_scenario(doc) == [
        "referrals[0] (r002): 2 × 60 min = 120 min a week is outside TG1's 60–90 min; "
        'add "exception": "<reason>" if this is intended'
    ]


def test_check_scenario_package_range_must_run_upwards() -> None:
    doc = scenario(packages=[package(low=90, high=60)])

    assert check_scenario(doc) == [
        "packages[0] (TG1).weekly_minutes: 90 is more than 60; write it as [60, 90]"
    ]


def test_check_scenario_team_referral_needs_a_class() -> None:
    doc = scenario(referrals=[referral(mode="team")])

    assert check_scenario(doc) == [
        'referrals[0] (r001): a team referral needs a "class"; '
        "name the team class the citizen joins"
    ]


def test_check_scenario_team_referral_centre_must_be_the_class_centre() -> None:
    doc = scenario(
        centres=[centre(), centre("glesborg")],
        classes=[team_class()],
        referrals=[team_referral(centre="glesborg")],
    )

    assert check_scenario(doc) == [
        'referrals[0] (r002).centre: "glesborg" is not the centre of class balance '
        '("auning"); set it to "auning" or leave it out'
    ]


def test_check_scenario_team_referral_naming_the_class_centre_is_allowed() -> None:
    doc = scenario(classes=[team_class()], referrals=[team_referral(centre="auning")])

    assert check_scenario(doc) == []


def test_check_scenario_contact_of_the_wrong_profession() -> None:
    doc = scenario(
        therapists=[therapist(), therapist("t02", profession="ot")],
        referrals=[referral(contact="t02")],
    )

    assert check_scenario(doc) == [
        "referrals[0] (r001).contact: t02 is an occupational therapist but the referral is for a "
        "physiotherapist; name a physiotherapist as contact"
    ]


def test_check_scenario_delivered_beyond_max_sessions() -> None:
    doc = scenario(referrals=[referral(delivered=16)])

    assert check_scenario(doc) == [
        "referrals[0] (r001).delivered: 16 sessions is more than TG1's max_sessions of 15; "
        "correct the count or close the referral"
    ]


def test_check_scenario_delivered_up_to_max_sessions_is_allowed() -> None:
    assert check_scenario(scenario(referrals=[referral(delivered=15)])) == []


def test_check_scenario_dates_must_be_real() -> None:
    doc = scenario(
        therapists=[therapist(absent=["2026-12-09", "2026-13-01"])],
        referrals=[referral(discharged="2026-02-29")],
    )

    assert check_scenario(doc) == [
        'therapists[0] (t01).absent[1]: "2026-13-01" is not a real date; write it as YYYY-MM-DD',
        'referrals[0] (r001).discharged: "2026-02-29" is not a real date; write it as YYYY-MM-DD',
    ]


# --- time windows --------------------------------------------------------------------------


def test_check_scenario_reversed_and_overlapping_windows() -> None:
    hours = {"mon": [["08:00", "12:00"], ["11:30", "15:30"]], "tue": [["15:30", "08:00"]]}
    doc = scenario(
        centres=[centre(open={"mon": ["16:00", "16:00"]})],
        therapists=[therapist(hours=hours)],
        citizens=[citizen(available={"thu": [["09:00", "13:00"], ["10:00", "11:00"]]})],
    )

    assert check_scenario(doc) == [
        "centres[0] (auning).open.mon: 16:00–16:00 does not end after it starts; "
        "give the start before the end",
        "therapists[0] (t01).hours.mon: 08:00–12:00 overlaps 11:30–15:30; "
        "merge the two windows into one",
        "therapists[0] (t01).hours.tue: 15:30–08:00 does not end after it starts; "
        "give the start before the end",
        "citizens[0] (c001).available.thu: 09:00–13:00 overlaps 10:00–11:00; "
        "merge the two windows into one",
    ]


def test_check_scenario_window_inside_a_long_window_overlaps_it() -> None:
    hours = {"wed": [["08:00", "15:00"], ["09:00", "10:00"], ["11:00", "12:00"]]}

    assert check_scenario(scenario(therapists=[therapist(hours=hours)])) == [
        "therapists[0] (t01).hours.wed: 08:00–15:00 overlaps 09:00–10:00; "
        "merge the two windows into one",
        "therapists[0] (t01).hours.wed: 08:00–15:00 overlaps 11:00–12:00; "
        "merge the two windows into one",
    ]


def test_check_scenario_touching_windows_are_allowed() -> None:
    hours = {"mon": [["12:00", "16:00"], ["08:00", "12:00"]]}

    assert check_scenario(scenario(therapists=[therapist(hours=hours)])) == []


# --- team classes --------------------------------------------------------------------------


def test_check_scenario_class_needs_meetings_or_meetings_per_week() -> None:
    neither = team_class("a")
    del neither["meetings"]
    both = team_class("b", meetings_per_week=2)

    assert check_scenario(scenario(classes=[neither, both])) == [
        'classes[0] (a): has neither "meetings" nor "meetings_per_week"; give exactly one',
        'classes[1] (b): has both "meetings" and "meetings_per_week"; give exactly one',
    ]


def test_check_scenario_class_meetings_per_week_alone_is_allowed() -> None:
    chosen = team_class(meetings_per_week=2)
    del chosen["meetings"]

    assert check_scenario(scenario(classes=[chosen])) == []


def test_check_scenario_instructor_nobody_can_be() -> None:
    doc = scenario(classes=[team_class(instructor={"profession": "ot", "skills": ["team"]})])

    assert check_scenario(doc) == [
        "classes[0] (balance).instructor: no occupational therapist with skill 'team' works "
        "at auning; "
        "give a therapist there what it takes or change the instructor"
    ]


def test_check_scenario_instructor_must_work_at_the_class_centre() -> None:
    doc = scenario(
        centres=[centre(), centre("glesborg")],
        rooms=[room("auning-b1"), room("glesborg-sal", centre="glesborg", kind="hall")],
        classes=[team_class(centre="glesborg")],
    )

    assert check_scenario(doc) == [
        "classes[0] (balance).instructor: no physiotherapist with skill 'team' works at "
        "glesborg; "
        "give a therapist there what it takes or change the instructor"
    ]


def test_check_scenario_class_centre_needs_a_room_of_its_kind() -> None:
    doc = scenario(classes=[team_class(room_kind="pool")])

    assert check_scenario(doc) == [
        'classes[0] (balance).room_kind: auning has no room of kind "pool"; '
        "add one or change the room kind"
    ]


def test_check_scenario_meeting_outside_opening_hours_or_on_a_closed_day() -> None:
    meetings = [
        {"day": "mon", "start": "07:45"},
        {"day": "thu", "start": "15:30"},
        {"day": "sat", "start": "10:00"},
    ]
    doc = scenario(classes=[team_class(meetings=meetings)])

    assert check_scenario(doc) == [
        "classes[0] (balance).meetings[0]: Mon 07:45–08:45 is outside auning's opening hours "
        "08:00–16:00; move the meeting or change the opening hours",
        "classes[0] (balance).meetings[1]: Thu 15:30–16:30 is outside auning's opening hours "
        "08:00–16:00; move the meeting or change the opening hours",
        "classes[0] (balance).meetings[2]: auning is closed on Sat; "
        "move the meeting to an open day",
    ]


def test_check_scenario_meeting_ending_at_closing_time_is_allowed() -> None:
    doc = scenario(classes=[team_class(meetings=[{"day": "fri", "start": "15:00"}])])

    assert check_scenario(doc) == []


def test_check_scenario_meeting_must_start_on_the_slot_grid() -> None:
    doc = scenario(classes=[team_class(meetings=[{"day": "tue", "start": "10:10"}])])

    assert check_scenario(doc) == [
        "classes[0] (balance).meetings[0]: 10:10 is not on the 15-minute grid; "
        "start at a multiple of 15 minutes"
    ]


# --- files ---------------------------------------------------------------------------------


def test_load_scenario_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "week.json"
    path.write_text(json.dumps(scenario()), encoding="utf-8")

    assert load_scenario(path) == parse_scenario(scenario())


def test_load_scenario_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "none.json"

    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)

    assert raised.value.errors == [f"{path}: cannot read the file (No such file or directory)"]


def test_load_scenario_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "week.json"
    path.write_text('{\n  "format" "scenario/1"\n}\n', encoding="utf-8")

    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)

    assert raised.value.errors == [
        f"{path}: line 2, column 12: not valid JSON (Expecting ':' delimiter); "
        "fix the file's syntax"
    ]


def test_load_scenario_needs_an_object(tmp_path: Path) -> None:
    path = tmp_path / "week.json"
    path.write_text("[]", encoding="utf-8")

    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)

    assert raised.value.errors == [f"{path}: the document must be a JSON object"]


# --- schema errors name the record and the fix ---------------------------------------------


def broken(**change: Any) -> dict[str, Any]:
    """A good week with one record broken as `change` says (kind -> (field, value))."""
    doc = scenario(
        rooms=[room("auning-b1"), room("auning-sal", kind="hall", capacity=10)],
        classes=[team_class()],
    )
    for kind, (field, value) in change.items():
        doc[kind][0][field] = value
    return doc


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"therapists": ("hours", {"mon": [["08:00", "25:00"]]})},
            "therapists[0] (t01).hours.mon[0][1]: '25:00' is not a time as HH:MM",
        ),
        (
            {"rooms": ("capacity", -1)},
            "rooms[0] (auning-b1).capacity: -1 is less than the minimum of 1; use 1 or more",
        ),
        (
            {"classes": ("meetings", [{"day": "mandag", "start": "10:00"}])},
            "classes[0] (balance).meetings[0].day: 'mandag' is not one of mon, tue, wed, thu, "
            "fri, sat, sun; use one of them",
        ),
        (
            {"citizens": ("lat", 200)},
            "citizens[0] (c001).lat: 200 is greater than the maximum of 90; use 90 or less",
        ),
        (
            {"therapists": ("profession", "surgeon")},
            "therapists[0] (t01).profession: 'surgeon' is not one of physio, ot, assistant; "
            "use one of them",
        ),
        (
            {"referrals": ("session_minutes", 0)},
            "referrals[0] (r001).session_minutes: 0 is less than the minimum of 1; use 1 or more",
        ),
    ],
)
def test_check_scenario_schema_error_names_the_record_and_the_fix(
    change: dict[str, Any], error: str
) -> None:
    assert check_scenario(broken(**change)) == [error]


def test_check_scenario_schema_error_in_danish_names_the_record_too() -> None:
    found = scenario_errors(broken(therapists=("profession", "surgeon")))

    assert [e.text("da") for e in found] == [
        "therapists[0] (t01).profession: 'surgeon' kan ikke bruges; vælg en af physio, ot, "
        "assistant"
    ]
    assert [(e.where.kind, e.where.index, e.where.key, e.where.field) for e in found] == [
        ("therapists", 0, "t01", ("profession",))
    ]
    assert [e.message.code for e in found] == ["schema.enum"]
