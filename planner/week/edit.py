"""Editing a stored week: the coordinator's forms for therapists, rooms, team classes, citizens,
referrals and centres, judged by the same rules as an imported scenario/1 week.

A change is made on the week as a scenario/1 document (`export_scenario`): the form's strings are
first read into the document's types (a Danish message per field where they cannot be), then the
entity is added or replaced by id and `check_scenario` judges the whole changed week. Its messages
start with a location (`therapists[3] (t004).hours.mon[0]: ...`) that names the field they concern;
messages about other entities (a class that loses its only instructor) concern the form as a
whole. Only a week without errors is written, in one transaction, and only the changed entity's
rows. Saved plans are left as they are: they keep their appointments until a new plan is made.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from planner.db.models import (
    Appointment,
    AppointmentParticipant,
    Centre,
    Citizen,
    Plan,
    PlanUnplaced,
    PlanWarning,
    Referral,
    Room,
    TeamClass,
    Therapist,
)
from planner.db.persons import person_of
from planner.db.revision import recheck_drafts
from planner.db.store import (
    centre_row,
    citizen_row,
    class_row,
    export_scenario,
    owned_rows,
    referral_row,
    therapist_row,
)
from planner.errors import NotFound
from planner.formats.plan import DocumentError
from planner.formats.scenario import (
    ENTITIES,
    build_centre,
    build_citizen,
    build_class,
    build_referral,
    build_therapist,
    scenario_errors,
)
from planner.text.messages import Lang, Message, Where, render, to_json
from planner.text.wording import DAY_NAMES_DA
from solver.problem import WEEKDAYS

Doc = dict[str, Any]
#: A posted form: every field's values (checkboxes and multi-selects give several).
Form = Mapping[str, list[str]]

KINDS = ("therapists", "rooms", "classes", "citizens", "referrals", "centres")
#: Kinds a coordinator may delete; the others carry too much of the week to remove by a form.
DELETABLE = ("rooms", "citizens", "referrals")
GENERAL = ""  # the field of errors that concern the form as a whole
PAGE_SIZE = 50

WORKDAYS = WEEKDAYS[:5]
DAY_NAMES = DAY_NAMES_DA
PROFESSIONS = {"physio": "Fysioterapeut", "ot": "Ergoterapeut", "assistant": "Træningsassistent"}
MODES = {
    "centre": "På centret", "home": "Hjemmetræning",
    "online": "Skærmtræning", "team": "Holdtræning",
}  # fmt: skip
ROOM_KINDS = {"hall": "Sal", "treatment": "Behandlingsrum", "adl": "ADL-køkken", "pool": "Bassin"}
KIND_NAMES = {
    "therapists": "Terapeut", "rooms": "Lokale", "classes": "Hold", "citizens": "Borger",
    "referrals": "Henvisning", "centres": "Center", "packages": "Pakke",
    "pinned": "Fastlåst aftale", "previous": "Tidligere aftale",
}  # fmt: skip
#: Where one day's hours go: the group's name, said before the weekday in a message.
WEEK_GROUPS = {
    "hours": "Arbejdstid",
    "available": "Kan komme",
    "meetings": "Mødetid",
    "open": "Åbent",
}

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?")
DANISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
#: Messages about a whole entity that belong beside one of its fields, by code.
WHOLE_ENTITY_FIELDS = {
    "id-used-again": "id",
    "referral.weekly-minutes": "sessions_per_week",
    "referral.team-needs-class": "class",
    "class.both-meetings": "meetings_per_week",
    "class.no-meetings": "meetings_per_week",
}


class EditError(Exception):
    """A change that was not stored, with the messages per form field (GENERAL: the form).

    A field's messages say what is wrong with it; the page puts the field's label before them.
    """

    def __init__(self, errors: dict[str, list[Message]]) -> None:
        super().__init__("; ".join(m.code for ms in errors.values() for m in ms))
        self.errors = errors

    def texts(self, lang: Lang = "da") -> dict[str, list[str]]:
        """The messages as the Danish page shows them: `Navn: skal udfyldes`."""
        return {name: [labelled(name, m, lang) for m in ms] for name, ms in self.errors.items()}


def labelled(name: str, message: Message, lang: Lang, labels: Mapping[str, str] = {}) -> str:
    """A field's message with the field's label before it (a form message as it is)."""
    label = labels.get(name) or next((ls[name] for ls in LABELS.values() if name in ls), "")
    text = render(message, lang)
    return f"{label}: {text}" if name != GENERAL and label else text


# --- labels ---------------------------------------------------------------------------------


def week_labels(group: str) -> dict[str, str]:
    return {f"{group}_{day}": f"{WEEK_GROUPS[group]} {DAY_NAMES[day]}" for day in WEEKDAYS}


LABELS: dict[str, dict[str, str]] = {
    "therapists": {
        "id": "Id", "name": "Navn", "profession": "Faggruppe", "skills": "Kompetencer",
        "centres": "Centre", "absent": "Fraværsdage", "max_minutes": "Højst minutter pr. uge",
        **week_labels("hours"),
    },
    "rooms": {
        "id": "Id", "name": "Navn", "centre": "Center", "kind": "Type",
        "capacity": "Kapacitet (personer ad gangen)",
    },
    "classes": {
        "id": "Id", "name": "Navn", "centre": "Center", "room_kind": "Lokaletype",
        "capacity": "Pladser", "minutes": "Varighed (minutter)",
        "instructor_profession": "Instruktørens faggruppe",
        "instructor_skills": "Instruktørens kompetencer",
        "meetings_per_week": "Møder pr. uge (planlæggeren vælger tiderne)",
        **week_labels("meetings"),
    },
    "citizens": {
        "id": "Id", "name": "Navn", "address": "Adresse", "lat": "Breddegrad",
        "lon": "Længdegrad", "always_available": "Kan komme, når centret har åbent",
        **week_labels("available"),
    },
    "referrals": {
        "id": "Id", "citizen": "Borger", "package": "Pakke", "mode": "Form", "class": "Hold",
        "profession": "Faggruppe", "skills": "Kompetencer", "centre": "Center",
        "sessions_per_week": "Sessioner pr. uge", "session_minutes": "Minutter pr. session",
        "intro": "Opstart: første session er individuel",
        "final": "Afslutning: sidste session er individuel (re-test)",
        "delivered": "Sessioner givet før denne uge", "earliest": "Tidligst",
        "discharged": "Udskrevet (SUL §140)", "contact": "Kontaktterapeut",
        "exception": "Begrundelse for afvigelse fra pakkens tid",
    },
    "centres": {
        "id": "Id", "name": "Navn", "address": "Adresse", "lat": "Breddegrad",
        "lon": "Længdegrad", "phone": "Telefon", "phone_hours": "Telefontid",
        **week_labels("open"),
    },
}  # fmt: skip


# --- reading a form -------------------------------------------------------------------------


class FormReader:
    """The form's strings read into scenario/1 values, with a message per field that cannot be."""

    def __init__(self, form: Form, labels: Mapping[str, str]) -> None:
        self.form = form
        self.labels = labels
        self.errors: dict[str, list[Message]] = {}

    def raw(self, name: str) -> str:
        values = self.form.get(name) or [""]
        return values[0].strip()

    def fail(self, name: str, code: str, **params: Any) -> None:
        self.errors.setdefault(name, []).append(Message(code, params))

    def text(self, name: str) -> str:
        """A text that must be filled in."""
        value = self.raw(name)
        if not value:
            self.fail(name, "form.required")
        return value

    def optional(self, name: str) -> str | None:
        return self.raw(name) or None

    def integer(self, name: str) -> int:
        value = self.optional_integer(name)
        if value is None and name not in self.errors:
            self.fail(name, "form.required")
        return value or 0

    def optional_integer(self, name: str) -> int | None:
        value = self.raw(name)
        if not value:
            return None
        if not re.fullmatch(r"-?\d+", value):
            self.fail(name, "form.not-integer", value=value)
            return None
        return int(value)

    def decimal(self, name: str) -> float:
        value = self.raw(name).replace(",", ".")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.fail(name, "form.not-decimal" if value else "form.required")
            return 0.0
        return number

    def choice(self, name: str, options: Iterable[str]) -> str:
        """One of a fixed list of values (a profession, a mode)."""
        value = self.raw(name)
        if value not in options:
            self.fail(name, "form.choose")
        return value

    def flag(self, name: str) -> bool:
        return self.raw(name) in ("1", "on", "true", "ja")

    def words(self, name: str) -> list[str]:
        """Ticked words (skills, centres) plus any new ones typed into `<name>_new`, sorted."""
        ticked = [v.strip() for v in self.form.get(name, []) if v.strip()]
        typed = re.split(r"[,;]", self.raw(f"{name}_new"))
        return sorted({w.strip() for w in [*ticked, *typed] if w.strip()})

    def clock(self, name: str, text: str, example: str) -> str | None:
        """A time of day as HH:MM; 8, 8.30 and 08:30 are all read."""
        found = TIME.fullmatch(text.strip())
        hour, minute = (int(found.group(1)), int(found.group(2) or 0)) if found else (99, 0)
        if hour > 23 or minute > 59:
            self.fail(name, "form.not-clock", value=text.strip(), example=example)
            return None
        return f"{hour:02d}:{minute:02d}"

    def windows(self, name: str) -> list[list[str]]:
        """Time windows such as "08:00-12:00, 12:30-15:30" (blank: none)."""
        example = "08:00-15:30" if name.startswith(("hours", "open")) else "09:00-12:00"
        found: list[list[str]] = []
        for part in filter(None, (p.strip() for p in re.split(r"[,;]", self.raw(name)))):
            ends = re.split(r"\s*[-–—]\s*", part)
            if len(ends) != 2:
                self.fail(name, "form.not-window", value=part, example=example)
                continue
            start, end = (self.clock(name, t, example) for t in ends)
            if start and end:
                found.append([start, end])
        return found

    def week(self, group: str, days: Iterable[str] = WEEKDAYS) -> dict[str, list[list[str]]]:
        """One weekday's windows per field `<group>_<day>`; days left blank are left out."""
        week = {day: self.windows(f"{group}_{day}") for day in days}
        return {day: windows for day, windows in week.items() if windows}

    def day(self, name: str, text: str) -> str | None:
        """A date as YYYY-MM-DD (8.12.2026 is read too)."""
        danish = DANISH_DATE.fullmatch(text)
        iso = f"{danish[3]}-{int(danish[2]):02d}-{int(danish[1]):02d}" if danish else text
        try:
            return date.fromisoformat(iso).isoformat() if len(iso) == 10 else None
        except ValueError:
            pass
        self.fail(name, "form.not-date", value=text)
        return None

    def dates(self, name: str) -> list[str]:
        """Dates separated by commas, spaces or lines, sorted and each once."""
        texts = [t for t in re.split(r"[\s,;]+", self.raw(name)) if t]
        return sorted({d for d in (self.day(name, t) for t in texts) if d})

    def optional_date(self, name: str) -> str | None:
        text = self.raw(name)
        return self.day(name, text) if text else None


# --- each kind: form -> scenario/1 object, and back ---------------------------------------


def read_therapist(r: FormReader, key: str) -> Doc:
    return {
        "id": key,
        "name": r.text("name"),
        "profession": r.choice("profession", PROFESSIONS),
        "skills": r.words("skills"),
        "centres": r.words("centres"),
        "hours": r.week("hours"),
        "absent": r.dates("absent"),
        "max_minutes": r.optional_integer("max_minutes"),
    }


def read_room(r: FormReader, key: str) -> Doc:
    return {
        "id": key,
        "centre": r.raw("centre"),
        "name": r.text("name"),
        "kind": r.raw("kind"),
        "capacity": r.integer("capacity"),
    }


def read_class(r: FormReader, key: str) -> Doc:
    team = {
        "id": key,
        "name": r.text("name"),
        "centre": r.raw("centre"),
        "room_kind": r.raw("room_kind"),
        "capacity": r.integer("capacity"),
        "minutes": r.integer("minutes"),
        "instructor": {
            "profession": r.choice("instructor_profession", PROFESSIONS),
            "skills": r.words("instructor_skills"),
        },
    }
    meetings = [
        {"day": day, "start": start}
        for day in WEEKDAYS
        for text in re.split(r"[,;]", r.raw(f"meetings_{day}"))
        if text.strip()
        if (start := r.clock(f"meetings_{day}", text, "10:00"))
    ]
    per_week = r.optional_integer("meetings_per_week")
    if per_week is None:
        return {**team, "meetings": meetings}
    if meetings:
        r.fail("meetings_per_week", "form.meetings-both")
    return {**team, "meetings_per_week": per_week}


def read_citizen(r: FormReader, key: str) -> Doc:
    citizen = {
        "id": key,
        "name": r.text("name"),
        "address": r.raw("address"),
        "lat": r.decimal("lat"),
        "lon": r.decimal("lon"),
    }
    available = r.week("available")
    if not r.flag("always_available"):
        return {**citizen, "available": available}
    if available:
        r.fail("always_available", "form.available-both")
    return citizen


def read_referral(r: FormReader, key: str) -> Doc:
    referral = {
        "id": key,
        "citizen": r.raw("citizen"),
        "package": r.raw("package"),
        "mode": r.choice("mode", MODES),
        "class": r.optional("class"),
        "profession": r.choice("profession", PROFESSIONS),
        "skills": r.words("skills"),
        "centre": r.optional("centre"),
        "sessions_per_week": r.integer("sessions_per_week"),
        "session_minutes": r.integer("session_minutes"),
        "intro": r.flag("intro"),
        "final": r.flag("final"),
        "delivered": r.optional_integer("delivered") or 0,
        "earliest": r.optional_date("earliest"),
        "discharged": r.optional_date("discharged"),
        "contact": r.optional("contact"),
    }
    exception = r.optional("exception")
    return referral if exception is None else {**referral, "exception": exception}


def read_centre(r: FormReader, key: str) -> Doc:
    opening = r.week("open")
    for day, windows in opening.items():
        if len(windows) > 1:
            r.fail(f"open_{day}", "form.one-opening")
    return {
        "id": key,
        "name": r.text("name"),
        "address": r.raw("address"),
        "lat": r.decimal("lat"),
        "lon": r.decimal("lon"),
        "open": {day: windows[0] for day, windows in opening.items()},
    }


def read_centre_contact(r: FormReader) -> dict[str, Any]:
    """A centre's phone line for citizens' letters (not part of scenario/1)."""
    phone = r.optional("phone")
    if phone and not re.fullmatch(r"\+?[0-9][0-9 -]{5,19}", phone):
        r.fail("phone", "form.not-phone", value=phone)
    hours = r.optional("phone_hours")
    if hours and len(hours) > 100:
        r.fail("phone_hours", "form.phone-hours-long")
    return {"phone": phone, "phone_hours": hours}


def window_text(windows: Iterable[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in windows)


def week_form(group: str, week: Mapping[str, list[list[str]]]) -> dict[str, list[str]]:
    return {f"{group}_{day}": [window_text(week.get(day, []))] for day in WEEKDAYS}


def plain(obj: Doc, names: str) -> dict[str, list[str]]:
    """Form values of plain fields (None is blank)."""
    return {n: ["" if obj.get(n) is None else str(obj[n])] for n in names.split()}


def therapist_form(t: Doc) -> dict[str, list[str]]:
    return {
        **plain(t, "id name profession max_minutes"),
        "skills": list(t.get("skills", [])),
        "centres": list(t["centres"]),
        **week_form("hours", t["hours"]),
        "absent": [", ".join(t.get("absent", []))],
    }


def room_form(room: Doc) -> dict[str, list[str]]:
    return plain(room, "id centre name kind capacity")


def class_form(team: Doc) -> dict[str, list[str]]:
    times: dict[str, list[str]] = {day: [] for day in WEEKDAYS}
    for meeting in team.get("meetings", []):
        times[meeting["day"]].append(meeting["start"])
    return {
        **plain(team, "id name centre room_kind capacity minutes meetings_per_week"),
        "instructor_profession": [team["instructor"]["profession"]],
        "instructor_skills": list(team["instructor"].get("skills", [])),
        **{f"meetings_{day}": [", ".join(starts)] for day, starts in times.items()},
    }


def citizen_form(citizen: Doc) -> dict[str, list[str]]:
    available = citizen.get("available")
    return {
        **plain(citizen, "id name address lat lon"),
        "always_available": ["1"] if available is None else [],
        **week_form("available", available or {}),
    }


def referral_form(referral: Doc) -> dict[str, list[str]]:
    names = (
        "id citizen package mode class profession centre sessions_per_week session_minutes "
        "delivered earliest discharged contact exception"
    )
    return {
        **plain(referral, names),
        "skills": list(referral.get("skills", [])),
        **{flag: ["1"] if referral.get(flag) else [] for flag in ("intro", "final")},
    }


def centre_form(centre: Doc) -> dict[str, list[str]]:
    opening = {day: [pair] for day, pair in centre["open"].items()}
    return {
        **plain(centre, "id name address lat lon phone phone_hours"),
        **week_form("open", opening),
    }


@dataclass(frozen=True)
class Kind:
    """How one kind of entity is edited: reading its form, filling it, storing its rows."""

    read: Callable[[FormReader, str], Doc]
    form: Callable[[Doc], dict[str, list[str]]]
    table: type[SQLModel]
    row: Callable[[Doc, int], SQLModel]  # the entity's new row, children attached
    children: tuple[str, ...] = ()
    blank: dict[str, list[str]] = field(default_factory=dict)  # a new entity's defaults


def room_row(room: Doc, owner: int) -> Room:
    return Room(scenario_id=owner, key=room["id"], centre=room["centre"], name=room["name"],
                kind=room["kind"], capacity=room["capacity"])  # fmt: skip


SPECS: dict[str, Kind] = {
    "therapists": Kind(
        read_therapist, therapist_form, Therapist,
        lambda obj, owner: therapist_row(build_therapist(obj), owner), ("hours", "absences"),
        {"profession": ["physio"]},
    ),
    "rooms": Kind(
        read_room, room_form, Room, room_row, (), {"kind": ["treatment"], "capacity": ["1"]}
    ),
    "classes": Kind(
        read_class, class_form, TeamClass,
        lambda obj, owner: class_row(build_class(obj), owner), ("meetings",),
        {"room_kind": ["hall"], "capacity": ["10"], "minutes": ["60"],
         "instructor_profession": ["physio"]},
    ),
    "citizens": Kind(
        read_citizen, citizen_form, Citizen,
        lambda obj, owner: citizen_row(build_citizen(obj), owner), ("windows",),
        {"always_available": ["1"]},
    ),
    "referrals": Kind(
        read_referral, referral_form, Referral,
        lambda obj, owner: referral_row(build_referral(obj), owner), (),
        {"mode": ["centre"], "profession": ["physio"], "sessions_per_week": ["2"],
         "session_minutes": ["45"], "delivered": ["0"]},
    ),
    "centres": Kind(
        read_centre, centre_form, Centre,
        lambda obj, owner: centre_row(build_centre(obj), owner), ("opening",),
        {"open_mon": ["08:00-16:00"], "open_tue": ["08:00-16:00"], "open_wed": ["08:00-16:00"],
         "open_thu": ["08:00-16:00"], "open_fri": ["08:00-14:00"]},
    ),
}  # fmt: skip


# --- ids ------------------------------------------------------------------------------------


def id_key(kind: str) -> str:
    return ENTITIES[kind][0]


def ids_of(doc: Doc, kind: str) -> list[str]:
    return [str(item[id_key(kind)]) for item in doc.get(kind, [])]


def proposed_id(doc: Doc, kind: str) -> str:
    """The next free id after the last one of its kind (t025 -> t026); blank if it has no number."""
    used = ids_of(doc, kind)
    found = re.fullmatch(r"(.*?)(\d+)", used[-1]) if used else None
    if found is None:
        return ""
    prefix, digits = found.groups()
    number = int(digits) + 1
    while f"{prefix}{number:0{len(digits)}d}" in used:
        number += 1
    return f"{prefix}{number:0{len(digits)}d}"


def new_id(reader: FormReader, doc: Doc, kind: str) -> str:
    """The id typed for a new entity: a short word of letters, digits, - _ . and not yet used."""
    key = reader.raw("id")
    if not ID_PATTERN.fullmatch(key):
        reader.fail("id", "form.bad-id")
    elif key in ids_of(doc, kind):
        suggestion = proposed_id(doc, kind)
        if suggestion:
            reader.fail("id", "form.id-used", key=key, suggestion=suggestion)
        else:
            reader.fail("id", "form.id-used-no-suggestion", key=key)
    return key


# --- placing check_scenario's errors beside the form's fields ----------------------------


def form_field(kind: str, found: DocumentError, obj: Doc) -> str:
    """The form field an error about the edited entity concerns (GENERAL if none)."""
    fields, parts = LABELS[kind], found.where.field
    if not parts:
        return WHOLE_ENTITY_FIELDS.get(found.message.code, GENERAL)
    head = parts[0]
    if head == "instructor":
        return "instructor_skills" if parts[1:2] == ("skills",) else "instructor_profession"
    if head == "meetings" and len(parts) > 1 and isinstance(parts[1], int):
        return f"meetings_{obj['meetings'][parts[1]]['day']}"
    if head in WEEK_GROUPS and len(parts) > 1:
        return f"{head}_{parts[1]}"
    if head == "available":
        return "always_available"
    return str(head) if head in fields else GENERAL


def elsewhere(found: DocumentError) -> Message:
    """An error about another entity of the week: `Hold balance (room_kind): ...`."""
    where = found.where
    params = {
        "what": where.kind,
        "key": where.key or where.index,
        "problem": to_json(found.message),
    }
    if not where.field:
        return Message("edit.elsewhere", params)
    return Message("edit.elsewhere-field", {**params, "field": field_path(where)})


def field_path(where: Where) -> str:
    """`hours.mon[0]`: the path inside a record."""
    return Where("", field=where.field).path().lstrip(".")


def field_errors(
    errors: list[DocumentError], kind: str, index: int, doc: Doc
) -> dict[str, list[Message]]:
    """check_scenario's errors by the field of the edited entity they concern."""
    found: dict[str, list[Message]] = {}
    obj = doc[kind][index]
    for error in errors:
        if error.where.kind == kind and error.where.index == index:
            found.setdefault(form_field(kind, error, obj), []).append(error.message)
        elif error.where.index is not None:
            found.setdefault(GENERAL, []).append(elsewhere(error))
        else:
            found.setdefault(GENERAL, []).append(Message("edit.week", {
                "field": error.where.path(), "problem": to_json(error.message)
            }))  # fmt: skip
    return found


# --- saving and deleting --------------------------------------------------------------------


def entity_index(doc: Doc, kind: str, key: str) -> int:
    """Where an entity sits in its list; NotFound when the week has none with that id."""
    try:
        return ids_of(doc, kind).index(key)
    except ValueError:
        raise NotFound(kind, key) from None


def save_entity(
    scenario_id: int, kind: str, form: Form, *, key: str | None = None, session: Session
) -> str:
    """Add (no key) or change one entity of a stored week and return its id.

    EditError, and nothing stored, when the form or the changed week breaks any rule.
    """
    spec = SPECS[kind]
    doc = export_scenario(scenario_id, session=session)
    reader = FormReader(form, LABELS[kind])
    index = entity_index(doc, kind, key) if key is not None else len(doc[kind])
    obj = spec.read(reader, key if key is not None else new_id(reader, doc, kind))
    extra = read_centre_contact(reader) if kind == "centres" else {}
    if reader.errors:
        raise EditError(reader.errors)
    doc[kind][index : index + 1] = [obj]
    errors = scenario_errors(doc)
    if errors:
        raise EditError(field_errors(errors, kind, index, doc))
    write_entity(session, scenario_id, kind, obj, extra)
    return str(obj[id_key(kind)])


def stored_row(session: Session, table: type[SQLModel], scenario_id: int, key: str) -> Any:
    query = select(table).where(
        table.scenario_id == scenario_id,  # type: ignore[attr-defined]
        table.key == key,  # type: ignore[attr-defined]
    )
    return session.exec(query).first()


def write_entity(
    session: Session,
    scenario_id: int,
    kind: str,
    obj: Doc,
    extra: Mapping[str, Any],
    *,
    commit: bool = True,
) -> list[int]:
    """Store an entity's row and child rows in place of its old ones, in one transaction; the
    ids of the week's drafts it makes stale. `commit=False` leaves the transaction open for a
    caller that changes more in it (the register changing several weeks at once)."""
    spec = SPECS[kind]
    fresh = spec.row(obj, scenario_id)
    row = stored_row(session, spec.table, scenario_id, obj[id_key(kind)])
    if row is None:
        row = fresh
    else:
        for name in type(fresh).model_fields:
            if name not in ("id", "scenario_id", *extra):
                setattr(row, name, getattr(fresh, name))
        for child in spec.children:
            setattr(row, child, list(getattr(fresh, child)))
    for name, value in extra.items():
        setattr(row, name, value)
    try:
        session.add(row)
        session.flush()
        if kind == "citizens":  # a citizen with another name may be another person
            row.person = person_of(row.key, row.name, session=session)
        stale = recheck_drafts(session, scenario_id)
        if commit:
            session.commit()
    except Exception:
        session.rollback()
        raise
    return stale


def delete_entity(scenario_id: int, kind: str, key: str, *, session: Session) -> None:
    """Delete a room, a citizen or a referral; EditError saying what still uses it otherwise."""
    name = {"what": kind, "key": key}
    if kind not in DELETABLE:
        raise EditError({GENERAL: [Message("edit.not-deletable", name)]})
    doc = export_scenario(scenario_id, session=session)
    del doc[kind][entity_index(doc, kind, key)]
    reasons = [still_used(error) for error in scenario_errors(doc)]
    versions = saved_plan_versions(session, scenario_id, kind, key)
    if versions:
        reasons.append(Message("edit.saved-plans", {"versions": versions}))
    if reasons:
        refused = [Message("edit.cannot-delete", {**name, "problem": to_json(r)}) for r in reasons]
        raise EditError({GENERAL: refused})
    row = stored_row(session, SPECS[kind].table, scenario_id, key)
    try:
        session.delete(row)
        session.flush()
        recheck_drafts(session, scenario_id)
        session.commit()
    except Exception:
        session.rollback()
        raise


def still_used(error: DocumentError) -> Message:
    """What a check of the week without the entity found, e.g. `henvisning r0001 bruger den`."""
    where = error.where
    if error.message.code == "unknown-id" and where.index is not None:
        params = {"what": where.kind, "key": where.key, "field": field_path(where)}
        return Message("edit.still-referenced", params)
    return elsewhere(error)


def saved_plan_versions(session: Session, scenario_id: int, kind: str, key: str) -> list[int]:
    """The versions of the week's saved plans that name a room or referral."""
    naming: list[Any] = []
    if kind == "rooms":
        naming = [select(Appointment.plan_id).where(Appointment.room == key)]
    elif kind == "referrals":
        naming = [
            select(Appointment.plan_id).where(Appointment.referral == key),
            select(Appointment.plan_id)
            .join(AppointmentParticipant)
            .where(AppointmentParticipant.referral == key),
            select(PlanUnplaced.plan_id).where(PlanUnplaced.referral == key),
            select(PlanWarning.plan_id).where(PlanWarning.referral == key),
        ]
    found: set[int] = set()
    for query in naming:
        found |= {i for i in session.exec(query).all() if i is not None}
    versions = (
        select(Plan.version)
        .where(col(Plan.id).in_(found), Plan.scenario_id == scenario_id)
        .order_by(col(Plan.version))
    )
    return list(session.exec(versions).all())


# --- what the pages show --------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What a form offers to pick from: the week's centres, skills, packages and so on."""

    centres: list[tuple[str, str]]  # (id, name)
    skills: list[str]
    room_kinds: list[str]
    packages: list[tuple[str, str]]
    classes: list[tuple[str, str]]
    citizens: list[tuple[str, str]]
    therapists: list[tuple[str, str]]


def choices_of(doc: Doc) -> Choices:
    skills = {s for t in doc["therapists"] for s in t.get("skills", [])}
    skills |= {s for r in doc["referrals"] for s in r.get("skills", [])}
    skills |= {s for c in doc.get("classes", []) for s in c["instructor"].get("skills", [])}
    kinds = {*ROOM_KINDS, *(r["kind"] for r in doc["rooms"])}
    return Choices(
        centres=[(c["id"], c["name"]) for c in doc["centres"]],
        skills=sorted(skills),
        room_kinds=sorted(kinds),
        packages=[(p["code"], p["name"]) for p in doc["packages"]],
        classes=[(c["id"], c["name"]) for c in doc.get("classes", [])],
        citizens=sorted(((c["id"], c["name"]) for c in doc["citizens"]), key=lambda c: c[1]),
        therapists=sorted(((t["id"], t["name"]) for t in doc["therapists"]), key=lambda t: t[1]),
    )


def week_choices(scenario_id: int, *, session: Session) -> Choices:
    """The choices the week's forms offer."""
    return choices_of(export_scenario(scenario_id, session=session))


@dataclass(frozen=True)
class EditForm:
    """A form ready to show: its values (blank with a proposed id for a new one) and choices."""

    values: dict[str, list[str]]
    choices: Choices


def entity_form(
    scenario_id: int, kind: str, key: str | None = None, *, session: Session
) -> EditForm:
    """The form for a new entity, or the one to change entity `key` (NotFound if none)."""
    doc = export_scenario(scenario_id, session=session)
    spec = SPECS[kind]
    if key is None:
        values = {**spec.blank, "id": [proposed_id(doc, kind)]}
    else:
        obj = doc[kind][entity_index(doc, kind, key)]
        if kind == "centres":
            obj = {**obj, **centre_contacts(session, scenario_id).get(key, {})}
        values = spec.form(obj)
    return EditForm(values, choices_of(doc))


def centre_contacts(session: Session, scenario_id: int) -> dict[str, dict[str, str | None]]:
    return {
        c.key: {"phone": c.phone, "phone_hours": c.phone_hours}
        for c in owned_rows(session, Centre, scenario_id)
    }


@dataclass(frozen=True)
class Listing:
    """One page of a kind's entities (scenario/1 objects, with names to show beside ids)."""

    rows: list[Doc]
    total: int  # entities matching the search
    page: int
    pages: int
    names: dict[str, str]  # centre, citizen and therapist names by id
    referrals: dict[str, int]  # referrals per citizen


def matches(obj: Doc, words: list[str], names: Mapping[str, str]) -> bool:
    """Every searched word is in one of the entity's texts or in a name it refers to."""
    texts = [str(v) for v in obj.values() if isinstance(v, str | int | float)]
    texts += [names[v] for v in obj.values() if isinstance(v, str) and v in names]
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in words)


def list_entities(
    scenario_id: int, kind: str, *, q: str = "", page: int = 1, session: Session
) -> Listing:
    """The week's entities of one kind matching a search, a page at a time."""
    doc = export_scenario(scenario_id, session=session)
    names = {
        item["id"]: item["name"]
        for kind_ in ("centres", "citizens", "therapists", "classes")
        for item in doc.get(kind_, [])
    }
    rows = doc[kind]
    if kind == "centres":
        contacts = centre_contacts(session, scenario_id)
        rows = [{**c, **contacts.get(c["id"], {})} for c in rows]
    words = q.lower().split()
    found = [obj for obj in rows if matches(obj, words, names)]
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    counts: dict[str, int] = {}
    for referral in doc["referrals"]:
        counts[referral["citizen"]] = counts.get(referral["citizen"], 0) + 1
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return Listing(shown, len(found), page, pages, names, counts)


# --- whose data a page shows (for the access log) ------------------------------------------------


def listed_citizens(kind: str, rows: list[Doc]) -> list[str]:
    """The citizens a list of this kind names: the citizens themselves, a referral's citizen."""
    if kind == "citizens":
        return [str(r["id"]) for r in rows]
    if kind == "referrals":
        return [str(r["citizen"]) for r in rows]
    return []


def form_citizens(kind: str, key: str | None, choices: Choices) -> list[str]:
    """The citizens a form names: the citizen being changed, or every citizen a referral's form
    offers to pick from."""
    if kind == "citizens":
        return [key] if key is not None else []
    if kind == "referrals":
        return [c for c, _ in choices.citizens]
    return []


def changed_citizens(kind: str, key: str | None, form: Form) -> list[str]:
    """The citizens whose data a posted form changes: the citizen itself (a new one by the id
    posted), or a referral's citizen."""
    if kind == "citizens":
        return [key] if key is not None else [v for v in form.get("id", []) if v]
    if kind == "referrals":
        return [v for v in form.get("citizen", []) if v]
    return []
