"""Reading and writing plan/1 documents, and the JSON Schemas both exchange documents share.

A plan's timestamps carry their UTC offset; inside the product an appointment is a local date
and minutes after midnight in the scenario's time zone (see solver/problem.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from solver.problem import (
    Appointment,
    Kind,
    PlanWarning,
    Problem,
    Solution,
    Stats,
    Status,
    Unplaced,
)

SCENARIO_SCHEMA = "scenario-1.schema.json"
PLAN_SCHEMA = "plan-1.schema.json"
_SCHEMA_FILES = (SCENARIO_SCHEMA, PLAN_SCHEMA)


class PlanError(Exception):
    """A plan/1 document that cannot be read, with every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --- schemas -------------------------------------------------------------------------------


def load_schema(name: str) -> dict[str, Any]:
    """One of the exchange format's JSON Schemas, as shipped in the package data."""
    text = files("planner.formats").joinpath("schemas", name).read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


@cache
def _registry() -> Registry:
    # scenario/1 borrows plan/1's appointment definition, so both schemas resolve by $id.
    resources = [Resource.from_contents(load_schema(name)) for name in _SCHEMA_FILES]
    return Registry().with_resources((r.contents["$id"], r) for r in resources)


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """A cached validator for one of the shipped schemas (SCENARIO_SCHEMA or PLAN_SCHEMA)."""
    return Draft202012Validator(load_schema(name), registry=_registry())


def json_path(path: Iterable[str | int], root: str) -> str:
    """`referrals[12].sessions_per_week` for the path deque jsonschema reports."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or root


def schema_errors(name: str, doc: object, root: str) -> list[str]:
    """Every schema violation of `doc`, sorted by JSON path, each starting with that path."""
    errors = schema_validator(name).iter_errors(doc)
    ordered = sorted(errors, key=lambda e: [(isinstance(p, str), p) for p in e.absolute_path])
    return [f"{json_path(e.absolute_path, root)}: {error_message(e)}" for e in ordered]


def error_message(error: ValidationError) -> str:
    """jsonschema's message, but a pattern is named by its schema's title instead of a regex."""
    title = error.schema.get("title") if isinstance(error.schema, dict) else None
    if error.validator == "pattern" and title:
        return f"{error.instance!r} is not {title}"
    return error.message


def read_json_file(path: str | Path, error: type[Exception]) -> object:
    """The JSON in a file; a missing file or a syntax error raises `error([message])`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error([f"{path}: cannot read the file ({exc.strerror or exc})"]) from exc
    except UnicodeDecodeError as exc:
        message = f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        raise error([message]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{path}: line {exc.lineno}, column {exc.colno}"
        raise error([f"{where}: not valid JSON ({exc.msg}); fix the file's syntax"]) from exc


# --- appointments --------------------------------------------------------------------------


def timestamp(zone: ZoneInfo, day: date, minutes: int) -> str:
    """`2026-12-08T10:00:00+01:00`: a local time with the zone's UTC offset on that date."""
    moment = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return moment.isoformat()


def local_time(zone: ZoneInfo, text: str) -> tuple[date, int]:
    """The local date and minutes after midnight of a timestamp; ValueError when it is none."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("it has no UTC offset")
    local = moment.astimezone(zone)
    return local.date(), local.hour * 60 + local.minute


def appointment_to_json(problem: Problem, a: Appointment) -> dict[str, Any]:
    """One appointment in plan/1 form, keys in the order exchange-format.md shows them."""
    zone = ZoneInfo(problem.timezone)
    obj: dict[str, Any] = {"id": a.id, "kind": a.kind}
    if a.kind == "team":
        obj["class"] = a.team_class
        obj["participants"] = list(a.participants)
    else:
        obj["referral"] = a.referral
    obj["therapist"] = a.therapist
    obj["centre"] = a.centre
    # The format fixes `room` as null for home and online sessions, whatever the solver kept.
    obj["room"] = a.room if a.kind in ("individual", "team") else None
    if a.kind == "home":
        obj["travel_before"] = a.travel_before
        obj["travel_after"] = a.travel_after
    obj["start"] = timestamp(zone, a.day, a.start)
    obj["end"] = timestamp(zone, a.day, a.end)
    return obj


def appointment_time_errors(zone: ZoneInfo, obj: Mapping[str, Any], where: str) -> list[str]:
    """Why a schema-valid appointment's start and end do not make one stretch of one day."""
    try:
        start_day, start = local_time(zone, obj["start"])
        end_day, end = local_time(zone, obj["end"])
    except ValueError as exc:
        return [f"{where}: start/end is not a real time ({exc}); use YYYY-MM-DDTHH:MM:SS+01:00"]
    if end_day != start_day:
        return [f"{where}: starts on {start_day} but ends on {end_day}; keep it within one day"]
    if end <= start:
        return [f"{where}: ends at or before it starts; make `end` later than `start`"]
    return []


def appointment_reference_errors(
    ids: Mapping[str, set[str]], obj: Mapping[str, Any], where: str
) -> list[str]:
    """References of an appointment to ids that `ids` (kind -> known ids) does not hold."""
    wanted: list[tuple[str, str, object]] = [
        ("therapist", "therapist", obj.get("therapist")),
        ("centre", "centre", obj.get("centre")),
        ("room", "room", obj.get("room")),
        ("referral", "referral", obj.get("referral")),
        ("class", "class", obj.get("class")),
    ]
    wanted += [("participants", "referral", p) for p in obj.get("participants", [])]
    return [
        f'{where}.{field}: unknown {kind} "{value}"; use the id of an existing {kind}'
        for field, kind, value in wanted
        if value is not None and value not in ids[kind]
    ]


def appointment_from_json(problem: Problem, obj: dict[str, Any], where: str) -> Appointment:
    """The appointment a schema-valid plan/1 object describes; PlanError if its times are wrong."""
    zone = ZoneInfo(problem.timezone)
    errors = appointment_time_errors(zone, obj, where)
    if errors:
        raise PlanError(errors)
    return appointment_in_zone(zone, obj)


def appointment_in_zone(zone: ZoneInfo, obj: Mapping[str, Any]) -> Appointment:
    """Build an appointment whose times are already known to be good."""
    day, start = local_time(zone, obj["start"])
    _, end = local_time(zone, obj["end"])
    return Appointment(
        id=obj["id"],
        kind=cast(Kind, obj["kind"]),
        therapist=obj["therapist"],
        centre=obj["centre"],
        day=day,
        start=start,
        end=end,
        referral=obj.get("referral") if obj["kind"] != "team" else None,
        team_class=obj.get("class") if obj["kind"] == "team" else None,
        participants=tuple(obj.get("participants", ())) if obj["kind"] == "team" else (),
        room=obj.get("room"),
        travel_before=obj.get("travel_before", 0),
        travel_after=obj.get("travel_after", 0),
    )


# --- the plan document ---------------------------------------------------------------------


def plan_document(problem: Problem, solution: Solution) -> dict[str, Any]:
    """The plan/1 document of a solution, ready for json.dump."""
    return {
        "format": "plan/1",
        "scenario": problem.name,
        "week": problem.week,
        "status": solution.status,
        "appointments": [appointment_to_json(problem, a) for a in solution.appointments],
        "unplaced": [
            {"referral": u.referral, "sessions": u.sessions, "reasons": list(u.reasons)}
            for u in solution.unplaced
        ],
        "warnings": [
            {"referral": w.referral, "code": w.code, "message": w.message}
            for w in solution.warnings
        ],
        "stats": stats_to_json(solution.stats),
    }


def stats_to_json(stats: Stats) -> dict[str, Any]:
    return {
        "sessions_requested": stats.sessions_requested,
        "sessions_placed": stats.sessions_placed,
        "objective": stats.objective,
        "bound": stats.bound,
        "seconds": stats.seconds,
        # An extension: the proven upper bound on placed sessions (see solver/bound.py).
        "placed_bound": stats.placed_bound,
    }


def problem_ids(problem: Problem) -> dict[str, set[str]]:
    """Every id a plan may refer to, by kind."""
    return {
        "therapist": {t.id for t in problem.therapists},
        "centre": {c.id for c in problem.centres},
        "room": {r.id for r in problem.rooms},
        "referral": {r.id for r in problem.referrals},
        "class": {c.id for c in problem.classes},
    }


def duplicate_id_errors(items: list[dict[str, Any]], where: str, key: str = "id") -> list[str]:
    """Ids used by more than one item of a list."""
    first: dict[str, int] = {}
    errors = []
    for i, item in enumerate(items):
        value = item[key]
        if value in first:
            errors.append(
                f'{where}[{i}] ({value}): {key} "{value}" is used again (first at '
                f"{where}[{first[value]}]); give each its own {key}"
            )
        first.setdefault(value, i)
    return errors


def plan_content_errors(problem: Problem, doc: dict[str, Any]) -> list[str]:
    """What a schema-valid plan says that does not fit its scenario."""
    errors = []
    if doc["week"] != problem.week:
        errors.append(f"week: the plan is for {doc['week']} but the scenario for {problem.week}")
    zone = ZoneInfo(problem.timezone)
    ids = problem_ids(problem)
    errors += duplicate_id_errors(doc["appointments"], "appointments")
    for i, obj in enumerate(doc["appointments"]):
        where = f"appointments[{i}] ({obj['id']})"
        errors += appointment_time_errors(zone, obj, where)
        errors += appointment_reference_errors(ids, obj, where)
    for field in ("unplaced", "warnings"):
        for i, obj in enumerate(doc[field]):
            if obj["referral"] not in ids["referral"]:
                errors.append(
                    f'{field}[{i}].referral: unknown referral "{obj["referral"]}"; '
                    "use the id of a referral of the scenario"
                )
    return errors


def read_plan(problem: Problem, doc: dict[str, Any]) -> Solution:
    """The solution a plan/1 document holds; PlanError with every problem found otherwise."""
    errors = schema_errors(PLAN_SCHEMA, doc, "plan")
    if not errors:
        errors = plan_content_errors(problem, doc)
    if errors:
        raise PlanError(errors)
    zone = ZoneInfo(problem.timezone)
    return Solution(
        status=cast(Status, doc["status"]),
        appointments=tuple(appointment_in_zone(zone, a) for a in doc["appointments"]),
        unplaced=tuple(
            Unplaced(u["referral"], u["sessions"], tuple(u["reasons"])) for u in doc["unplaced"]
        ),
        warnings=tuple(
            PlanWarning(w["referral"], w["code"], w["message"]) for w in doc["warnings"]
        ),
        stats=stats_from_json(doc["stats"]),
    )


def stats_from_json(obj: dict[str, Any]) -> Stats:
    return Stats(
        sessions_requested=obj["sessions_requested"],
        sessions_placed=obj["sessions_placed"],
        objective=obj.get("objective"),
        bound=obj.get("bound"),
        seconds=obj.get("seconds", 0.0),
        placed_bound=obj.get("placed_bound"),
    )


def load_plan(problem: Problem, path: str | Path) -> Solution:
    """Read a plan/1 file for the given scenario; PlanError with every problem found."""
    doc = read_json_file(path, PlanError)
    if not isinstance(doc, dict):
        raise PlanError([f"{path}: a plan/1 document is a JSON object"])
    return read_plan(problem, doc)
