"""Reading scenario/1: every error a coordinator must fix, then the solver's typed Problem.

`check_scenario` reports all errors at once: first the JSON Schema's, then (once the shape is
right) the checks a schema cannot express, one small function each. `parse_scenario` turns a
clean document into `solver.problem.Problem`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.formats.holidays import danish_public_holidays
from planner.formats.plan import (
    SCENARIO_SCHEMA,
    DocumentError,
    appointment_in_zone,
    appointment_reference_errors,
    appointment_time_errors,
    duplicate_id_errors,
    read_json_file,
    schema_errors,
    texts,
    unknown_id,
)
from planner.text.messages import Where
from solver.problem import (
    WEEKDAYS,
    Appointment,
    Centre,
    Citizen,
    Day,
    Meeting,
    Message,
    Mode,
    Package,
    Problem,
    Profession,
    Referral,
    Room,
    TeamClass,
    Therapist,
    Travel,
    Weekday,
    Window,
    minutes_of,
)

Doc = dict[str, Any]
SLOT_MINUTES = (5, 10, 15, 20, 30, 60)
#: The kinds of entity with an id, with the field that holds it and the name of one of them.
ENTITIES = {
    "centres": ("id", "centre"),
    "rooms": ("id", "room"),
    "therapists": ("id", "therapist"),
    "packages": ("code", "package"),
    "classes": ("id", "class"),
    "citizens": ("id", "citizen"),
    "referrals": ("id", "referral"),
}


class ScenarioError(Exception):
    """A scenario/1 document that cannot be planned, with every problem found.

    `found` holds each error as data (record, field, message); `errors` the same in English.
    """

    def __init__(self, errors: list[DocumentError]) -> None:
        self.found = errors
        self.errors = texts(errors)
        super().__init__("\n".join(self.errors))


# --- small helpers -------------------------------------------------------------------------


def entries(doc: Doc, kind: str) -> Iterator[tuple[Where, Doc]]:
    """Each item of a list with its location, e.g. `referrals[12] (r013)`."""
    key = ENTITIES[kind][0] if kind in ENTITIES else "id"
    for i, item in enumerate(doc.get(kind, [])):
        yield Where(kind, i, str(item[key])), item


def at(where: Where, *field: str | int) -> Where:
    """A field inside a record: at(referral, "citizen") is `referrals[0] (r001).citizen`."""
    return Where(where.kind, where.index, where.key, (*where.field, *field))


def error(where: Where, code: str, **params: Any) -> DocumentError:
    return DocumentError(where, Message(code, params))


def by_id(doc: Doc, kind: str) -> dict[str, Doc]:
    """The items of one kind by id (the first one where an id is used twice)."""
    key = ENTITIES[kind][0]
    found: dict[str, Doc] = {}
    for item in doc.get(kind, []):
        found.setdefault(item[key], item)
    return found


def known_ids(doc: Doc) -> dict[str, set[str]]:
    """Every id of the scenario, by the singular name of its kind."""
    return {name: set(by_id(doc, kind)) for kind, (_, name) in ENTITIES.items()}


def real_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def week_monday(week: str) -> date | None:
    """The Monday of an ISO week such as 2026-W50; None when the year has no such week."""
    year, number = week.split("-W")
    try:
        return date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        return None


def zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def weekly_minutes(doc: Doc, referral: Doc) -> tuple[int, int] | None:
    """The minutes a week a referral asks for and per session; None if its class is unknown."""
    per_session = referral["session_minutes"]
    if referral["mode"] == "team":
        team = by_id(doc, "classes").get(referral.get("class") or "")
        if team is None:
            return None
        per_session = team["minutes"]
    return referral["sessions_per_week"] * per_session, per_session


# --- checks of the document as a whole ----------------------------------------------------


def check_timezone(doc: Doc) -> list[DocumentError]:
    """Times are read in the scenario's time zone, so it must be one the computer knows."""
    if zone_or_none(doc["timezone"]) is not None:
        return []
    return [error(Where("timezone"), "scenario.timezone", value=doc["timezone"])]


def check_week(doc: Doc) -> list[DocumentError]:
    """The week to plan must exist in its year's ISO calendar."""
    if week_monday(doc["week"]) is not None:
        return []
    year = int(doc["week"][:4])
    weeks = date(year, 12, 28).isocalendar().week
    return [error(Where("week"), "scenario.week", value=doc["week"], year=year, weeks=weeks)]


def check_slot_minutes(doc: Doc) -> list[DocumentError]:
    """Start times fall on a grid that must divide the hour evenly."""
    if doc["slot_minutes"] in SLOT_MINUTES:
        return []
    allowed = list(SLOT_MINUTES)
    return [
        error(Where("slot_minutes"), "scenario.slot", value=doc["slot_minutes"], one_of=allowed)
    ]


def check_unique_ids(doc: Doc) -> list[DocumentError]:
    """No two centres, rooms, therapists, ... or appointments of one list share an id."""
    errors = []
    for kind, (key, _) in ENTITIES.items():
        errors += duplicate_id_errors(doc.get(kind, []), kind, key)
    for kind in ("pinned", "previous"):
        errors += duplicate_id_errors(doc.get(kind, []), kind)
    return errors


#: What an id may hold: it becomes part of page addresses, file names and calendar UIDs.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_safe_ids(doc: Doc) -> list[DocumentError]:
    """Ids are 1 to 64 letters (a-z, A-Z), digits, ".", "_" and "-", starting with a letter or
    digit: a "/" would break the pages' addresses, a line break the letters' file names."""
    errors = []
    for kind, (key, _) in [*ENTITIES.items(), ("pinned", ("id", "")), ("previous", ("id", ""))]:
        for i, obj in enumerate(doc.get(kind, [])):
            value = obj.get(key) if isinstance(obj, dict) else None
            if isinstance(value, str) and not SAFE_ID.fullmatch(value):
                where = Where(kind, i, None, (key,))
                errors.append(error(where, "scenario.unsafe-id", value=json.dumps(value)))
    return errors


# --- references ----------------------------------------------------------------------------


def unknown(where: Where, kind: str, value: str) -> DocumentError:
    return DocumentError(where, unknown_id(kind, value))


def check_room_centres(doc: Doc) -> list[DocumentError]:
    """Every room belongs to a centre of the scenario."""
    centres = by_id(doc, "centres")
    return [
        unknown(at(where, "centre"), "centre", room["centre"])
        for where, room in entries(doc, "rooms")
        if room["centre"] not in centres
    ]


def check_therapist_centres(doc: Doc) -> list[DocumentError]:
    """A therapist can only work at centres of the scenario."""
    centres = by_id(doc, "centres")
    return [
        unknown(at(where, "centres", j), "centre", name)
        for where, therapist in entries(doc, "therapists")
        for j, name in enumerate(therapist["centres"])
        if name not in centres
    ]


def check_class_centres(doc: Doc) -> list[DocumentError]:
    """Every team class meets at a centre of the scenario."""
    centres = by_id(doc, "centres")
    return [
        unknown(at(where, "centre"), "centre", team["centre"])
        for where, team in entries(doc, "classes")
        if team["centre"] not in centres
    ]


def check_referral_references(doc: Doc) -> list[DocumentError]:
    """A referral's citizen, package and any class, centre or contact it names exist."""
    ids = known_ids(doc)
    fields = (
        ("citizen", "citizen"),
        ("package", "package"),
        ("class", "class"),
        ("centre", "centre"),
        ("contact", "therapist"),
    )
    return [
        unknown(at(where, field), kind, referral[field])
        for where, referral in entries(doc, "referrals")
        for field, kind in fields
        if referral.get(field) is not None and referral[field] not in ids[kind]
    ]


def check_appointment_references(doc: Doc) -> list[DocumentError]:
    """Pinned and previous appointments name therapists, rooms, referrals etc. that exist."""
    ids = known_ids(doc)
    return [
        found
        for kind in ("pinned", "previous")
        for where, obj in entries(doc, kind)
        for found in appointment_reference_errors(ids, obj, where)
    ]


# --- appointments carried over -------------------------------------------------------------


def check_appointment_times(doc: Doc) -> list[DocumentError]:
    """Pinned and previous appointments have real start and end times within one day."""
    zone = zone_or_none(doc["timezone"])
    if zone is None:
        return []  # reported by check_timezone; times cannot be read without it
    return [
        found
        for kind in ("pinned", "previous")
        for where, obj in entries(doc, kind)
        for found in appointment_time_errors(zone, obj, where)
    ]


def check_pinned_in_week(doc: Doc) -> list[DocumentError]:
    """A pinned appointment must lie in the planned week, or the plan cannot keep it."""
    zone, monday = zone_or_none(doc["timezone"]), week_monday(doc["week"])
    if zone is None or monday is None:
        return []
    errors = []
    for where, obj in entries(doc, "pinned"):
        if appointment_time_errors(zone, obj, where):
            continue
        day = appointment_in_zone(zone, obj).day
        if not monday <= day < monday + timedelta(days=7):
            errors.append(
                error(where, "scenario.pin-outside-week", pinned_on=str(day), week=doc["week"])
            )
    return errors


# --- packages and referrals ----------------------------------------------------------------


def check_package_range(doc: Doc) -> list[DocumentError]:
    """A package's weekly minutes run from the lower to the higher number."""
    errors = []
    for where, package in entries(doc, "packages"):
        low, high = package["weekly_minutes"]
        if low > high:
            errors.append(error(at(where, "weekly_minutes"), "package.range", low=low, high=high))
    return errors


def check_weekly_minutes(doc: Doc) -> list[DocumentError]:
    """A referral's weekly time lies inside its package's guideline range, or says why not."""
    packages = by_id(doc, "packages")
    errors = []
    for where, referral in entries(doc, "referrals"):
        package, asked = packages.get(referral["package"]), weekly_minutes(doc, referral)
        if package is None or asked is None or referral.get("exception"):
            continue
        (low, high), (total, each) = package["weekly_minutes"], asked
        if low <= high and not low <= total <= high:  # a reversed range is reported apart
            errors.append(
                error(
                    where, "referral.weekly-minutes", sessions=referral["sessions_per_week"],
                    each=each, total=total, package=package["code"], low=low, high=high,
                )
            )  # fmt: skip
    return errors


def check_team_has_class(doc: Doc) -> list[DocumentError]:
    """A team referral says which team class the citizen joins."""
    return [
        error(where, "referral.team-needs-class")
        for where, referral in entries(doc, "referrals")
        if referral["mode"] == "team" and not referral.get("class")
    ]


def check_team_centre(doc: Doc) -> list[DocumentError]:
    """A team referral's sessions are at its class's centre, so a centre it names is that one."""
    classes = by_id(doc, "classes")
    errors = []
    for where, referral in entries(doc, "referrals"):
        team = classes.get(referral.get("class") or "")
        wanted = referral.get("centre")
        if referral["mode"] == "team" and team and wanted and wanted != team["centre"]:
            errors.append(
                error(
                    at(where, "centre"), "referral.team-centre", value=wanted,
                    team_class=team["id"], centre=team["centre"],
                )
            )  # fmt: skip
    return errors


def check_contact_profession(doc: Doc) -> list[DocumentError]:
    """The contact therapist is of the profession the referral asks for."""
    therapists = by_id(doc, "therapists")
    errors = []
    for where, referral in entries(doc, "referrals"):
        contact = therapists.get(referral.get("contact") or "")
        if contact and contact["profession"] != referral["profession"]:
            errors.append(
                error(
                    at(where, "contact"), "referral.contact-profession", contact=contact["id"],
                    therapist_profession=contact["profession"], profession=referral["profession"],
                )
            )  # fmt: skip
    return errors


def check_delivered(doc: Doc) -> list[DocumentError]:
    """A referral cannot have had more sessions than its package allows."""
    packages = by_id(doc, "packages")
    errors = []
    for where, referral in entries(doc, "referrals"):
        package = packages.get(referral["package"], {})
        cap, delivered = package.get("max_sessions"), referral.get("delivered", 0)
        if cap is not None and delivered > cap:
            errors.append(
                error(
                    at(where, "delivered"), "referral.delivered", delivered=delivered,
                    package=package["code"], cap=cap,
                )
            )  # fmt: skip
    return errors


def check_dates(doc: Doc) -> list[DocumentError]:
    """Absence, earliest and discharge dates are real calendar dates."""
    found = [
        (at(where, "absent", j), text)
        for where, therapist in entries(doc, "therapists")
        for j, text in enumerate(therapist.get("absent", []))
    ]
    found += [
        (at(where, field), referral[field])
        for where, referral in entries(doc, "referrals")
        for field in ("earliest", "discharged")
        if referral.get(field) is not None
    ]
    return [
        error(where, "scenario.not-a-date", value=text)
        for where, text in found
        if real_date(text) is None
    ]


# --- classes -------------------------------------------------------------------------------


def check_meeting_choice(doc: Doc) -> list[DocumentError]:
    """A class either has fixed `meetings` or lets the planner choose `meetings_per_week`."""
    errors = []
    for where, team in entries(doc, "classes"):
        fixed, chosen = "meetings" in team, "meetings_per_week" in team
        if fixed == chosen:
            code = "class.both-meetings" if fixed else "class.no-meetings"
            errors.append(error(where, code))
    return errors


def check_instructor(doc: Doc) -> list[DocumentError]:
    """Some therapist working at the class's centre can lead it."""
    centres, errors = by_id(doc, "centres"), []
    for where, team in entries(doc, "classes"):
        if team["centre"] not in centres:
            continue  # reported by check_class_centres
        need = team["instructor"]
        skills = need.get("skills", [])
        if not any(
            t["profession"] == need["profession"]
            and set(skills) <= set(t.get("skills", []))
            and team["centre"] in t["centres"]
            for t in doc["therapists"]
        ):
            errors.append(
                error(
                    at(where, "instructor"), "class.no-instructor", profession=need["profession"],
                    skills=list(skills), centre=team["centre"],
                )
            )  # fmt: skip
    return errors


def check_class_room(doc: Doc) -> list[DocumentError]:
    """The class's centre has a room of the kind the class needs."""
    kinds = {(room["centre"], room["kind"]) for room in doc["rooms"]}
    centres = by_id(doc, "centres")
    return [
        error(
            at(where, "room_kind"),
            "class.no-room",
            centre=team["centre"],
            room_kind=team["room_kind"],
        )
        for where, team in entries(doc, "classes")
        if team["centre"] in centres and (team["centre"], team["room_kind"]) not in kinds
    ]


def meeting_error(centre: Doc, length: int, meeting: Doc, where: Where) -> DocumentError | None:
    """Why one fixed meeting does not fit its centre's opening hours, if it does not."""
    day, start = meeting["day"], minutes_of(meeting["start"])
    hours = centre["open"].get(day)
    if hours is None:
        return error(where, "class.meeting-closed", centre=centre["id"], day=day)
    opens, closes = minutes_of(hours[0]), minutes_of(hours[1])
    if opens <= start and start + length <= closes:
        return None
    return error(
        where, "class.meeting-outside-hours", day=day, start=start, end=start + length,
        centre=centre["id"], opens=opens, closes=closes,
    )  # fmt: skip


def check_meetings_open(doc: Doc) -> list[DocumentError]:
    """A fixed class meeting lies inside its centre's opening hours on an open weekday."""
    centres = by_id(doc, "centres")
    errors = []
    for where, team in entries(doc, "classes"):
        centre = centres.get(team["centre"])
        if centre is None:
            continue  # reported by check_class_centres
        for j, meeting in enumerate(team.get("meetings", [])):
            found = meeting_error(centre, team["minutes"], meeting, at(where, "meetings", j))
            errors += [found] if found else []
    return errors


def check_meetings_on_grid(doc: Doc) -> list[DocumentError]:
    """A fixed class meeting starts on the scenario's slot grid."""
    slot = doc["slot_minutes"]
    return [
        error(at(where, "meetings", j), "class.meeting-off-grid", value=meeting["start"], slot=slot)
        for where, team in entries(doc, "classes")
        for j, meeting in enumerate(team.get("meetings", []))
        if minutes_of(meeting["start"]) % slot
    ]


# --- time windows --------------------------------------------------------------------------


def window_errors(windows: list[list[str]], where: Where) -> list[DocumentError]:
    """Reversed windows, and windows that overlap an earlier one, of one weekday."""
    errors, spans = [], []
    for first, last in windows:
        start, end = minutes_of(first), minutes_of(last)
        if end <= start:
            errors.append(error(where, "window.backwards", start=start, end=end))
        else:
            spans.append((start, end))
    spans.sort()
    # Compare with the longest-reaching earlier window, so a window inside another is caught too.
    for (start1, end1), (start2, end2) in zip(running_widest(spans), spans[1:], strict=False):
        if start2 < end1:
            spans_ = {"start": start1, "end": end1, "start2": start2, "end2": end2}
            errors.append(error(where, "window.overlap", **spans_))
    return errors


def running_widest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each sorted window, the window so far that reaches latest."""
    widest: tuple[int, int] | None = None
    result: list[tuple[int, int]] = []
    for current in spans:
        if widest is None or current[1] > widest[1]:
            widest = current
        result.append(widest)
    return result


def week_window_errors(days: dict[str, list[list[str]]], where: Where) -> list[DocumentError]:
    return [
        found
        for day in WEEKDAYS
        if day in days
        for found in window_errors(days[day], at(where, day))
    ]


def check_windows(doc: Doc) -> list[DocumentError]:
    """Opening hours, working hours and availability run forwards and do not overlap."""
    errors = []
    for where, centre in entries(doc, "centres"):
        days = {day: [pair] for day, pair in centre["open"].items()}
        errors += week_window_errors(days, at(where, "open"))
    for where, therapist in entries(doc, "therapists"):
        errors += week_window_errors(therapist["hours"], at(where, "hours"))
    for where, citizen in entries(doc, "citizens"):
        errors += week_window_errors(citizen.get("available", {}), at(where, "available"))
    return errors


SEMANTIC_CHECKS: tuple[Callable[[Doc], list[DocumentError]], ...] = (
    check_timezone,
    check_week,
    check_slot_minutes,
    check_unique_ids,
    check_safe_ids,
    check_room_centres,
    check_therapist_centres,
    check_class_centres,
    check_referral_references,
    check_appointment_references,
    check_appointment_times,
    check_pinned_in_week,
    check_dates,
    check_windows,
    check_package_range,
    check_weekly_minutes,
    check_team_has_class,
    check_team_centre,
    check_contact_profession,
    check_delivered,
    check_meeting_choice,
    check_instructor,
    check_class_room,
    check_meetings_open,
    check_meetings_on_grid,
)


def scenario_errors(doc: Doc) -> list[DocumentError]:
    """Every error in a scenario/1 document, each with its record and field; [] when it is good."""
    errors = schema_errors(SCENARIO_SCHEMA, doc, "scenario")
    if errors:
        return errors  # the semantic checks rely on the document's shape
    return [found for check in SEMANTIC_CHECKS for found in check(doc)]


def check_scenario(doc: Doc) -> list[str]:
    """Every error in a scenario/1 document in English, each starting with where it is."""
    return texts(scenario_errors(doc))


# --- building the Problem ------------------------------------------------------------------


def window(pair: list[str]) -> Window:
    return Window(minutes_of(pair[0]), minutes_of(pair[1]))


def week_windows(days: dict[str, list[list[str]]]) -> dict[str, tuple[Window, ...]]:
    return {
        day: tuple(sorted((window(p) for p in pairs), key=lambda w: w.start))
        for day, pairs in days.items()
    }


def plannable_days(week: str) -> tuple[tuple[Day, ...], tuple[date, ...]]:
    """The week's Monday to Friday without public holidays, and the holidays left out."""
    monday = cast(date, week_monday(week))
    weekdays = [monday + timedelta(days=i) for i in range(5)]
    closed = {**danish_public_holidays(monday.year), **danish_public_holidays(weekdays[-1].year)}
    days = tuple(Day(d, WEEKDAYS[d.weekday()]) for d in weekdays if d not in closed)
    return days, tuple(d for d in weekdays if d in closed)


def build_centre(obj: Doc) -> Centre:
    opening = {day: window(pair) for day, pair in obj["open"].items()}
    return Centre(obj["id"], obj["name"], obj["address"], obj["lat"], obj["lon"], opening)


def build_room(obj: Doc) -> Room:
    return Room(obj["id"], obj["centre"], obj["name"], obj["kind"], obj["capacity"])


def build_therapist(obj: Doc) -> Therapist:
    return Therapist(
        id=obj["id"],
        name=obj["name"],
        profession=cast(Profession, obj["profession"]),
        skills=frozenset(obj.get("skills", [])),
        centres=tuple(obj["centres"]),
        hours=week_windows(obj["hours"]),
        absent=frozenset(date.fromisoformat(d) for d in obj.get("absent", [])),
        max_minutes=obj.get("max_minutes"),
    )


def build_package(obj: Doc) -> Package:
    low, high = obj["weekly_minutes"]
    return Package(obj["code"], obj["name"], obj["basis"], (low, high), obj.get("max_sessions"))


def build_class(obj: Doc) -> TeamClass:
    meetings = tuple(
        Meeting(cast(Weekday, m["day"]), minutes_of(m["start"])) for m in obj.get("meetings", [])
    )
    return TeamClass(
        id=obj["id"],
        name=obj["name"],
        centre=obj["centre"],
        room_kind=obj["room_kind"],
        capacity=obj["capacity"],
        minutes=obj["minutes"],
        instructor_profession=cast(Profession, obj["instructor"]["profession"]),
        instructor_skills=frozenset(obj["instructor"].get("skills", [])),
        meetings=meetings,
        meetings_per_week=obj.get("meetings_per_week"),
    )


def build_citizen(obj: Doc) -> Citizen:
    available = obj.get("available")
    return Citizen(
        obj["id"],
        obj["name"],
        obj["address"],
        obj["lat"],
        obj["lon"],
        week_windows(available) if available is not None else None,
    )


def optional_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def build_referral(obj: Doc) -> Referral:
    return Referral(
        id=obj["id"],
        citizen=obj["citizen"],
        package=obj["package"],
        mode=cast(Mode, obj["mode"]),
        profession=cast(Profession, obj["profession"]),
        skills=frozenset(obj.get("skills", [])),
        sessions_per_week=obj["sessions_per_week"],
        session_minutes=obj["session_minutes"],
        team_class=obj.get("class"),
        centre=obj.get("centre"),
        intro=obj.get("intro", False),
        final=obj.get("final", False),
        delivered=obj.get("delivered", 0),
        earliest=optional_date(obj.get("earliest")),
        discharged=optional_date(obj.get("discharged")),
        contact=obj.get("contact"),
        exception=obj.get("exception"),
    )


def build_appointments(doc: Doc, kind: str) -> tuple[Appointment, ...]:
    zone = ZoneInfo(doc["timezone"])
    return tuple(appointment_in_zone(zone, obj) for obj in doc.get(kind, []))


def parse_scenario(doc: Doc) -> Problem:
    """The solver's Problem for a scenario/1 document; ScenarioError with every error otherwise."""
    errors = scenario_errors(doc)
    if errors:
        raise ScenarioError(errors)
    return build_problem(doc)


def build_problem(doc: Doc) -> Problem:
    """The Problem of a document already known to be valid (checked when it was stored)."""
    days, holidays = plannable_days(doc["week"])
    travel = doc.get("travel", {})
    return Problem(
        name=doc["name"],
        week=doc["week"],
        timezone=doc["timezone"],
        slot_minutes=doc["slot_minutes"],
        travel=Travel(travel.get("detour_factor", 1.3), travel.get("speed_kmh", 45.0)),
        days=days,
        centres=tuple(build_centre(c) for c in doc["centres"]),
        rooms=tuple(build_room(r) for r in doc["rooms"]),
        therapists=tuple(build_therapist(t) for t in doc["therapists"]),
        packages=tuple(build_package(p) for p in doc["packages"]),
        classes=tuple(build_class(c) for c in doc.get("classes", [])),
        citizens=tuple(build_citizen(c) for c in doc["citizens"]),
        referrals=tuple(build_referral(r) for r in doc["referrals"]),
        pinned=build_appointments(doc, "pinned"),
        previous=build_appointments(doc, "previous"),
        holidays=holidays,
    )


def load_scenario(path: str | Path) -> Problem:
    """Read and check a scenario/1 file; ScenarioError with every problem found."""
    doc = read_json_file(path, ScenarioError)
    if not isinstance(doc, dict):
        raise ScenarioError([DocumentError(Where(str(path)), Message("file.not-object"))])
    return parse_scenario(doc)
