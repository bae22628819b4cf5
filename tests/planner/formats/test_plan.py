import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from planner.formats.plan import (
    PLAN_SCHEMA,
    SCENARIO_SCHEMA,
    PlanError,
    appointment_from_json,
    appointment_to_json,
    load_plan,
    load_schema,
    plan_document,
    read_plan,
    schema_errors,
)
from planner.formats.scenario import check_scenario, parse_scenario
from planner.text.messages import Where
from solver.problem import Appointment, Message, PlanWarning, Problem, Solution, Stats, Unplaced
from tests.factories import referral, scenario, team_class

EXCHANGE_FORMAT = Path(__file__).resolve().parents[3] / "docs" / "exchange-format.md"


def problem(week: str = "2026-W50") -> Problem:
    """The factory week with the balance class and a team referral r002."""
    team = referral("r002", mode="team", sessions_per_week=1, **{"class": "balance"})
    return parse_scenario(scenario(week=week, classes=[team_class()], referrals=[referral(), team]))


def meeting(day: date = date(2026, 12, 8)) -> Appointment:
    return Appointment(
        "a0001",
        "team",
        "t01",
        "auning",
        day,
        600,
        660,
        team_class="balance",
        participants=("r002",),
        room="auning-sal",
    )


def home_visit() -> Appointment:
    return Appointment(
        "a0002",
        "home",
        "t01",
        "auning",
        date(2026, 12, 7),
        600,
        645,
        referral="r001",
        travel_before=20,
        travel_after=15,
    )


BOOKED = Message("unplaced.all-booked", {"profession": "physio", "skills": []})
LATE = Message("warning.late-start", {"first": "2026-12-14", "days": 9})


def solution() -> Solution:
    return Solution(
        status="feasible",
        appointments=(meeting(), home_visit()),
        unplaced=(Unplaced("r001", 1, (BOOKED,)),),
        warnings=(PlanWarning("r002", "start-deadline", LATE),),
        stats=Stats(3, 2, objective=40812, bound=40900, seconds=7.4, placed_bound=3),
    )


def plan(**over: Any) -> dict[str, Any]:
    return {**plan_document(problem(), solution()), **over}


# --- appointments --------------------------------------------------------------------------


def test_appointment_to_json_team_meeting_in_winter() -> None:
    obj = appointment_to_json(problem(), meeting())

    assert obj == {
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
    assert list(obj) == [
        "id",
        "kind",
        "class",
        "participants",
        "therapist",
        "centre",
        "room",
        "start",
        "end",
    ]


def test_appointment_to_json_home_visit_has_travel_and_no_room() -> None:
    obj = appointment_to_json(problem(), home_visit())

    assert list(obj.items()) == [
        ("id", "a0002"),
        ("kind", "home"),
        ("referral", "r001"),
        ("therapist", "t01"),
        ("centre", "auning"),
        ("room", None),
        ("travel_before", 20),
        ("travel_after", 15),
        ("start", "2026-12-07T10:00:00+01:00"),
        ("end", "2026-12-07T10:45:00+01:00"),
    ]


def test_appointment_to_json_individual_session_names_its_room() -> None:
    session = Appointment(
        "a0003",
        "individual",
        "t01",
        "auning",
        date(2026, 12, 9),
        480,
        525,
        "r001",
        room="auning-b1",
    )

    assert appointment_to_json(problem(), session) == {
        "id": "a0003",
        "kind": "individual",
        "referral": "r001",
        "therapist": "t01",
        "centre": "auning",
        "room": "auning-b1",
        "start": "2026-12-09T08:00:00+01:00",
        "end": "2026-12-09T08:45:00+01:00",
    }


@pytest.mark.parametrize(
    ("week", "day", "start"),
    [
        ("2026-W50", date(2026, 12, 8), "2026-12-08T10:00:00+01:00"),
        ("2026-W27", date(2026, 7, 1), "2026-07-01T10:00:00+02:00"),
    ],
)
def test_appointment_json_round_trip_carries_the_utc_offset(
    week: str, day: date, start: str
) -> None:
    week_problem = problem(week)

    obj = appointment_to_json(week_problem, meeting(day))

    assert obj["start"] == start
    assert appointment_from_json(week_problem, obj, Where("appointments", 0)) == meeting(day)


def test_appointment_from_json_reads_utc_as_local_time() -> None:
    obj = appointment_to_json(problem(), meeting())
    obj.update(start="2026-12-08T09:00:00Z", end="2026-12-08T10:00:00+00:00")

    assert appointment_from_json(problem(), obj, Where("appointments", 0)) == meeting()


def test_appointment_from_json_rejects_an_end_before_the_start() -> None:
    obj = appointment_to_json(problem(), meeting())
    obj["end"] = "2026-12-08T09:45:00+01:00"

    with pytest.raises(PlanError) as raised:
        appointment_from_json(problem(), obj, Where("appointments", 3, "a0001"))

    assert raised.value.errors == [
        "appointments[3] (a0001): ends at or before it starts; make `end` later than `start`"
    ]


def test_appointment_from_json_rejects_an_appointment_past_midnight() -> None:
    obj = appointment_to_json(problem(), meeting())
    obj["end"] = "2026-12-09T00:30:00+01:00"

    with pytest.raises(PlanError) as raised:
        appointment_from_json(problem(), obj, Where("pinned", 0))

    assert raised.value.errors == [
        "pinned[0]: starts on 2026-12-08 but ends on 2026-12-09; keep it within one day"
    ]


# --- the plan document ---------------------------------------------------------------------


def test_plan_document_holds_every_field() -> None:
    doc = plan_document(problem(), solution())

    assert doc == {
        "format": "plan/1",
        "scenario": "Testuge",
        "week": "2026-W50",
        "status": "feasible",
        "appointments": [
            appointment_to_json(problem(), meeting()),
            appointment_to_json(problem(), home_visit()),
        ],
        "unplaced": [
            {
                "referral": "r001",
                "sessions": 1,
                "reasons": ["every physiotherapist is booked while the citizen is available"],
                "details": [
                    {
                        "code": "unplaced.all-booked",
                        "params": {"profession": "physio", "skills": []},
                    }
                ],
            }
        ],
        "warnings": [
            {
                "referral": "r002",
                "code": "start-deadline",
                "message": "first session 2026-12-14 is 9 days after discharge",
                "detail": {
                    "code": "warning.late-start",
                    "params": {"first": "2026-12-14", "days": 9},
                },
            }
        ],
        "stats": {
            "sessions_requested": 3,
            "sessions_placed": 2,
            "objective": 40812,
            "bound": 40900,
            "seconds": 7.4,
            "placed_bound": 3,
        },
    }
    assert schema_errors(PLAN_SCHEMA, doc, "plan") == []


def test_read_plan_round_trips_plan_document() -> None:
    doc = json.loads(json.dumps(plan_document(problem(), solution())))

    assert read_plan(problem(), doc) == solution()


def test_read_plan_rejects_a_bad_plan_with_all_errors() -> None:
    doc = plan(status="done", extra=1)
    doc["appointments"][0].pop("participants")
    doc["appointments"][1].update(kind="visit", start="2026-12-07 10:00")
    doc["unplaced"][0]["sessions"] = 0
    del doc["stats"]["sessions_placed"]

    with pytest.raises(PlanError) as raised:
        read_plan(problem(), doc)

    assert raised.value.errors == [
        "plan: unknown field extra; remove it or correct its spelling",
        "appointments[0] (a0001): participants is missing; add it",
        "appointments[1] (a0002).kind: 'visit' is not one of individual, home, online, team; "
        "use one of them",
        "appointments[1] (a0002).start: '2026-12-07 10:00' is not a timestamp as "
        "YYYY-MM-DDTHH:MM:SS+01:00",
        "stats: sessions_placed is missing; add it",
        "status: 'done' is not one of optimal, feasible, infeasible, unknown; use one of them",
        "unplaced[0].sessions: 0 is less than the minimum of 1; use 1 or more",
    ]


def test_read_plan_rejects_unknown_ids_duplicates_and_another_week() -> None:
    doc = plan(week="2026-W49")
    doc["appointments"][1].update(id="a0001", referral="r404", room="nowhere")
    doc["warnings"][0]["referral"] = "r405"

    with pytest.raises(PlanError) as raised:
        read_plan(problem(), doc)

    assert raised.value.errors == [
        "week: the plan is for 2026-W49 but the scenario for 2026-W50",
        'appointments[1] (a0001): id "a0001" is used again (first at appointments[0]); '
        "give each its own id",
        'appointments[1] (a0001).room: unknown room "nowhere"; use the id of an existing room',
        'appointments[1] (a0001).referral: unknown referral "r404"; '
        "use the id of an existing referral",
        'warnings[0].referral: unknown referral "r405"; use the id of an existing referral',
    ]


def test_load_plan_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan()), encoding="utf-8")

    assert load_plan(problem(), path) == solution()


def test_load_plan_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"format": "plan/1",\n "week": }', encoding="utf-8")

    with pytest.raises(PlanError) as raised:
        load_plan(problem(), path)

    assert raised.value.errors == [
        f"{path}: line 2, column 10: not valid JSON (Expecting value); fix the file's syntax"
    ]


# --- the schemas ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SCENARIO_SCHEMA, PLAN_SCHEMA])
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(load_schema(name))


def test_scenario_schema_checks_pinned_with_the_plan_appointment_definition() -> None:
    pinned = appointment_to_json(problem(), home_visit())
    del pinned["referral"]

    assert check_scenario(scenario(pinned=[pinned])) == [
        "pinned[0] (a0002): referral is missing; add it"
    ]


def exchange_format_examples() -> list[dict[str, Any]]:
    text = EXCHANGE_FORMAT.read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


def test_schemas_accept_the_exchange_format_examples() -> None:
    scenario_example, plan_example = exchange_format_examples()

    assert schema_errors(SCENARIO_SCHEMA, scenario_example, "scenario") == []
    assert schema_errors(PLAN_SCHEMA, plan_example, "plan") == []


def test_exchange_format_copy_matches_shared_when_present() -> None:
    """docs/exchange-format.md is the repository's copy of the contract; it must not fall behind."""
    shared = EXCHANGE_FORMAT.parents[2] / "shared" / "exchange-format.md"
    if not shared.exists():
        pytest.skip("../shared/exchange-format.md is not beside this checkout (CI has it)")
    assert EXCHANGE_FORMAT.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")
