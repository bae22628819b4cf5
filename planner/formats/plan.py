"""Reading and writing plan/1 documents, and the JSON Schemas both exchange documents share.

A plan's timestamps carry their UTC offset; inside the product an appointment is a local date
and minutes after midnight in the scenario's time zone (see solver/problem.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from planner.text.messages import (
    Lang,
    Where,
    from_json,
    render,
    render_all,
    text_message,
    to_json,
)
from solver.problem import (
    Appointment,
    Kind,
    Message,
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


@dataclass(frozen=True)
class DocumentError:
    """One thing wrong in a scenario/1 or plan/1 document: where (record and field) and what."""

    where: Where
    message: Message

    def text(self, lang: Lang = "en") -> str:
        """`referrals[3] (r004).citizen: unknown citizen "c999"; use the id of ...`."""
        return f"{self.where.path()}: {render(self.message, lang)}"

    def to_json(self, lang: Lang = "en") -> dict[str, Any]:
        """The error as the API lists it: its code and parameters, where it is (the path as the
        format writes it, the record's list, index and id, the field inside the record) and the
        line `text` says in `lang`."""
        where = self.where
        return {
            **to_json(self.message),
            "location": where.path(),
            "record": None
            if where.index is None
            else {"list": where.kind, "index": where.index, "id": where.key},
            "field": list(where.field),
            "message": self.text(lang),
        }


def texts(errors: Iterable[DocumentError]) -> list[str]:
    """The errors in English, as the CLI and the API's `detail` show them."""
    return [e.text() for e in errors]


class PlanError(Exception):
    """A plan/1 document that cannot be read, with every problem found."""

    def __init__(self, errors: list[DocumentError]) -> None:
        self.found = errors
        self.errors = texts(errors)
        super().__init__("\n".join(self.errors))


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


#: The id field of each list of records (the rest use "id").
ID_FIELDS = {"packages": "code"}
#: What a pattern of the schemas asks for, by the pattern's title.
PATTERNS = {
    "a time as HH:MM": "time",
    "a date as YYYY-MM-DD": "date",
    "an ISO week as YYYY-Www": "week",
    "a timestamp as YYYY-MM-DDTHH:MM:SS+01:00": "timestamp",
}


def record(doc: object, kind: str, index: int, path: Iterable[str | int]) -> Where:
    """The location of a field inside the `index`-th record of the list `kind`, with its id."""
    items = doc.get(kind) if isinstance(doc, dict) else None
    item = items[index] if isinstance(items, list) and index < len(items) else None
    key = item.get(ID_FIELDS.get(kind, "id")) if isinstance(item, dict) else None
    return Where(kind, index, str(key) if key is not None else None, tuple(path))


def location(doc: object, path: Iterable[str | int], root: str) -> Where:
    """Where a jsonschema error's path points: a record (with its id) and a field, or the top."""
    parts = list(path)
    if len(parts) >= 2 and isinstance(parts[0], str) and isinstance(parts[1], int):
        return record(doc, parts[0], parts[1], parts[2:])
    if not parts:
        return Where(root)
    return Where(str(parts[0]), field=tuple(parts[1:]))


def schema_errors(name: str, doc: object, root: str) -> list[DocumentError]:
    """Every schema violation of `doc`, sorted by JSON path, each with its record and fix."""
    errors = schema_validator(name).iter_errors(doc)
    ordered = sorted(errors, key=lambda e: [(isinstance(p, str), p) for p in e.absolute_path])
    return [DocumentError(location(doc, e.absolute_path, root), schema_message(e)) for e in ordered]


def schema_message(error: ValidationError) -> Message:
    """What a JSON Schema error means and how to fix it, as a message."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance if isinstance(error.instance, int | float | str | bool) else None
    kind = str(error.validator)
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return Message(f"schema.{kind}", {"value": value, "limit": schema.get(kind)})
    if kind == "enum":
        return Message("schema.enum", {"value": value, "allowed": list(schema.get("enum", []))})
    if kind == "pattern" and schema.get("title") in PATTERNS:
        return Message("schema.pattern", {"value": value, "pattern": PATTERNS[schema["title"]]})
    if kind == "required":
        missing = [f for f in schema.get("required", []) if f not in (error.instance or {})]
        return Message("schema.required", {"fields": missing})
    if kind == "minItems":
        return Message("schema.empty-list")
    if kind == "minLength":
        return Message("schema.empty")
    if kind == "uniqueItems":
        return Message("schema.unique")
    if kind == "type":
        return Message(
            "schema.type", {"value": json.dumps(error.instance), "type": schema.get("type")}
        )
    if kind == "additionalProperties":
        known = set(schema.get("properties", {}))
        extra = sorted(k for k in (error.instance or {}) if k not in known)
        return Message("schema.unknown-field", {"fields": extra})
    return text_message(error.message)


def read_json_file(path: str | Path, error: type[Exception]) -> object:
    """The JSON in a file; a missing file or a syntax error raises `error([DocumentError])`."""
    where = Where(str(path))
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        reason = Message("file.unreadable", {"reason": str(exc.strerror or exc)})
        raise error([DocumentError(where, reason)]) from exc
    except UnicodeDecodeError as exc:
        raise error([DocumentError(where, Message("file.not-utf8", {"byte": exc.start}))]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        syntax = {"line": exc.lineno, "column": exc.colno, "reason": exc.msg}
        raise error([DocumentError(where, Message("file.not-json", syntax))]) from exc


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


def appointment_time_errors(
    zone: ZoneInfo, obj: Mapping[str, Any], where: Where
) -> list[DocumentError]:
    """Why a schema-valid appointment's start and end do not make one stretch of one day."""
    try:
        start_day, start = local_time(zone, obj["start"])
        end_day, end = local_time(zone, obj["end"])
    except ValueError as exc:
        return [DocumentError(where, Message("appointment.bad-time", {"reason": str(exc)}))]
    if end_day != start_day:
        days = {"start_day": str(start_day), "end_day": str(end_day)}
        return [DocumentError(where, Message("appointment.two-days", days))]
    if end <= start:
        return [DocumentError(where, Message("appointment.ends-first"))]
    return []


def appointment_reference_errors(
    ids: Mapping[str, set[str]], obj: Mapping[str, Any], where: Where
) -> list[DocumentError]:
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
        DocumentError(replace(where, field=(field,)), unknown_id(kind, value))
        for field, kind, value in wanted
        if value is not None and value not in ids[kind]
    ]


def unknown_id(what: str, value: object) -> Message:
    """A reference to an id the document does not have."""
    return Message("unknown-id", {"what": what, "key": str(value)})


def appointment_from_json(problem: Problem, obj: dict[str, Any], where: Where) -> Appointment:
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
            {
                "referral": u.referral,
                "sessions": u.sessions,
                "reasons": render_all(u.reasons),
                "details": [to_json(m) for m in u.reasons],
            }
            for u in solution.unplaced
        ],
        "warnings": [
            {
                "referral": w.referral,
                "code": w.code,
                "message": render(w.message),
                "detail": to_json(w.message),
            }
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


def duplicate_id_errors(
    items: list[dict[str, Any]], kind: str, key: str = "id"
) -> list[DocumentError]:
    """Ids used by more than one item of the list `kind`."""
    first: dict[str, int] = {}
    errors = []
    for i, item in enumerate(items):
        value = item[key]
        if value in first:
            used = {"field": key, "key": str(value), "first_at": f"{kind}[{first[value]}]"}
            errors.append(DocumentError(Where(kind, i, str(value)), Message("id-used-again", used)))
        first.setdefault(value, i)
    return errors


def plan_content_errors(problem: Problem, doc: dict[str, Any]) -> list[DocumentError]:
    """What a schema-valid plan says that does not fit its scenario."""
    errors = []
    if doc["week"] != problem.week:
        weeks = {"plan_week": doc["week"], "week": problem.week}
        errors.append(DocumentError(Where("week"), Message("plan.other-week", weeks)))
    zone = ZoneInfo(problem.timezone)
    ids = problem_ids(problem)
    errors += duplicate_id_errors(doc["appointments"], "appointments")
    for i, obj in enumerate(doc["appointments"]):
        where = Where("appointments", i, str(obj["id"]))
        errors += appointment_time_errors(zone, obj, where)
        errors += appointment_reference_errors(ids, obj, where)
    for field in ("unplaced", "warnings"):
        for i, obj in enumerate(doc[field]):
            if obj["referral"] not in ids["referral"]:
                where = Where(field, i, None, ("referral",))
                errors.append(DocumentError(where, unknown_id("referral", obj["referral"])))
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
            Unplaced(u["referral"], u["sessions"], reasons_of(u)) for u in doc["unplaced"]
        ),
        warnings=tuple(
            PlanWarning(w["referral"], w["code"], from_json(w.get("detail", w["message"])))
            for w in doc["warnings"]
        ),
        stats=stats_from_json(doc["stats"]),
    )


def reasons_of(unplaced: Mapping[str, Any]) -> tuple[Message, ...]:
    """An unplaced entry's reasons: as data where the plan carries them, else as its text."""
    details = unplaced.get("details") or []
    if len(details) == len(unplaced["reasons"]):
        return tuple(from_json(d) for d in details)
    return tuple(text_message(text) for text in unplaced["reasons"])


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
        raise PlanError([DocumentError(Where(str(path)), Message("file.not-object"))])
    return read_plan(problem, doc)
