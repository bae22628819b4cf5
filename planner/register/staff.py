"""The register's therapists and team classes as a coordinator edits them: absences (date
ranges with a kind), first and last working day, standing weekly hours, and a team class's first
and last date.

A change is checked first (each problem named by its form field, nothing stored) and stored in
one transaction with what it changes in the weeks already made from the register: every stored
week from this week on without a published plan gets the therapist's hours and absent days as the
register now gives them, and each of its drafts that breaks a rule then is marked stale. A
published week is not changed (its changes go through "Ændringer i ugen"); it is named so the
coordinator knows. Class dates change no stored week (a class cannot leave a week its referrals
name); the weeks made before the change are named, to be made again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from planner.db.models import (
    ABSENCE_KINDS,
    Plan,
    RegisterAbsence,
    RegisterClass,
    RegisterTherapist,
    Scenario,
)
from planner.db.store import export_scenario
from planner.errors import NotFound
from planner.formats.scenario import scenario_errors, week_monday
from planner.register.store import absences, by_key, register_document
from planner.text.messages import Message
from planner.week.edit import (
    GENERAL,
    EditError,
    FormReader,
    field_errors,
    plain,
    week_form,
    week_labels,
    write_entity,
)

Doc = dict[str, Any]
Form = Mapping[str, list[str]]

#: The Danish label of every field of the register's forms (the page puts it before a message).
LABELS: dict[str, str] = {
    "start": "Første fraværsdag",
    "end": "Sidste fraværsdag",
    "kind": "Type",
    "first_day": "Første arbejdsdag",
    "last_day": "Sidste arbejdsdag",
    "max_minutes": "Højst minutter pr. uge",
    "first_date": "Første dato",
    "last_date": "Sidste dato",
    **week_labels("hours"),
}
KIND_WORDS = {"ferie": "Ferie", "sygdom": "Sygdom", "kursus": "Kursus", "andet": "Andet"}


@dataclass
class Followed:
    """What a register change did to the weeks already made: weeks changed, drafts now stale,
    published weeks left as they were, and weeks to make again."""

    changed: list[str] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    again: list[str] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------


def therapist(key: str, *, session: Session) -> RegisterTherapist:
    """A therapist of the register; NotFound if there is none with that id."""
    found = session.exec(select(RegisterTherapist).where(RegisterTherapist.key == key)).first()
    if found is None:
        raise NotFound("therapist", key)
    return found


def held_therapist(key: str, *, session: Session) -> RegisterTherapist:
    """A therapist of the register, locked for this transaction before anything is checked:
    the first write takes the row's lock (PostgreSQL) or the database's write lock (SQLite),
    so two coordinators' changes of one therapist are checked one after the other and two
    overlapping absences entered at once cannot both be stored."""
    statement = (
        update(RegisterTherapist)
        .where(col(RegisterTherapist.key) == key)
        .values(key=col(RegisterTherapist.key))
        .execution_options(synchronize_session=False)
    )
    if session.connection().execute(statement).rowcount != 1:
        session.rollback()
        raise NotFound("therapist", key)
    return therapist(key, session=session)


def team_class(key: str, *, session: Session) -> RegisterClass:
    """A team class of the register; NotFound if there is none with that id."""
    found = session.exec(select(RegisterClass).where(RegisterClass.key == key)).first()
    if found is None:
        raise NotFound("class", key)
    return found


def weekly_minutes(doc: Doc) -> int:
    """A therapist's standing hours in minutes a week (before absences)."""
    total = 0
    for windows in doc.get("hours", {}).values():
        for start, end in windows:
            total += minutes_of(end) - minutes_of(start)
    return total


def minutes_of(clock: str) -> int:
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)


def therapist_rows(*, session: Session, today: date) -> list[dict[str, Any]]:
    """Every therapist of the register with their hours a week, employment and the absences
    not yet over."""
    found = []
    coming: dict[str, list[RegisterAbsence]] = {}
    query = select(RegisterAbsence).where(col(RegisterAbsence.end) >= today)
    for absence in session.exec(query.order_by(col(RegisterAbsence.start))).all():
        coming.setdefault(absence.therapist, []).append(absence)
    for row in by_key(session, RegisterTherapist).values():
        found.append(
            {
                "id": row.key,
                "name": row.doc.get("name", row.key),
                "profession": row.doc.get("profession"),
                "minutes": weekly_minutes(row.doc),
                "first_day": row.first_day,
                "last_day": row.last_day,
                "absences": coming.get(row.key, []),
            }
        )
    return found


def employment_form(row: RegisterTherapist) -> dict[str, list[str]]:
    """The employment form's values as stored."""
    return {
        **week_form("hours", row.doc.get("hours", {})),
        **plain(row.doc, "max_minutes"),
        "first_day": [row.first_day.isoformat() if row.first_day else ""],
        "last_day": [row.last_day.isoformat() if row.last_day else ""],
    }


def class_form(row: RegisterClass) -> dict[str, list[str]]:
    return {
        "first_date": [row.first_date.isoformat() if row.first_date else ""],
        "last_date": [row.last_date.isoformat() if row.last_date else ""],
    }


# --- checking ---------------------------------------------------------------------------------


def read_range(
    reader: FormReader, first: str, last: str, required: bool
) -> tuple[date | None, date | None]:
    """Two dates of a form, the second not before the first (blank allowed unless required)."""
    texts = [reader.raw(first), reader.raw(last)]
    days: list[date | None] = []
    for name, text in zip((first, last), texts, strict=True):
        if not text:
            if required:
                reader.fail(name, "form.required")
            days.append(None)
            continue
        iso = reader.day(name, text)
        days.append(date.fromisoformat(iso) if iso else None)
    start, end = days
    if start is not None and end is not None and end < start:
        reader.fail(last, "register.range-reversed", first=start.isoformat())
    return start, end


def overlapping(found: list[RegisterAbsence], start: date, end: date) -> RegisterAbsence | None:
    """The therapist's absence that shares a day with `start`–`end`, if any."""
    return next((a for a in found if a.start <= end and start <= a.end), None)


def raise_if(reader: FormReader, session: Session) -> None:
    """Refuse the form with its messages, ending the transaction (and its lock) first."""
    if reader.errors:
        session.rollback()
        raise EditError(reader.errors)


# --- absences ---------------------------------------------------------------------------------


def add_absence_form(key: str, form: Form, *, session: Session, today: date) -> Followed:
    """Add a therapist's absence from the form (first and last day, kind); EditError naming the
    field (a last day before the first, a day another absence has) and nothing stored if bad."""
    row = held_therapist(key, session=session)
    reader = FormReader(form, LABELS)
    start, end = read_range(reader, "start", "end", required=True)
    kind = reader.choice("kind", ABSENCE_KINDS)
    raise_if(reader, session)
    assert start is not None and end is not None
    clash = overlapping(absences(session, key), start, end)
    if clash is not None:
        reader.fail(
            "start",
            "register.absence-overlaps",
            from_date=clash.start.isoformat(),
            to_date=clash.end.isoformat(),
            absence=clash.kind,
        )
    raise_if(reader, session)
    session.add(RegisterAbsence(therapist=key, start=start, end=end, kind=kind))
    return follow(session, row, today)


def delete_absence(key: str, absence_id: int, *, session: Session, today: date) -> Followed:
    """Remove one of a therapist's absences (entered by mistake, or the therapist came back)."""
    row = held_therapist(key, session=session)
    absence = session.get(RegisterAbsence, absence_id)
    if absence is None or absence.therapist != key:
        session.rollback()
        raise NotFound("absence", str(absence_id))
    session.delete(absence)
    return follow(session, row, today)


# --- employment and standing hours ------------------------------------------------------------


def save_employment(key: str, form: Form, *, session: Session, today: date) -> Followed:
    """A therapist's first and last working day and standing weekly hours from the form;
    EditError naming the field and nothing stored if they are bad or the register's week would
    break a rule with them."""
    row = held_therapist(key, session=session)
    reader = FormReader(form, LABELS)
    first, last = read_range(reader, "first_day", "last_day", required=False)
    hours = reader.week("hours")
    cap = reader.optional_integer("max_minutes")
    raise_if(reader, session)
    standing = {**row.doc, "hours": hours, "max_minutes": cap}
    check_standing(session, key, standing, today)
    row.doc, row.first_day, row.last_day = standing, first, last
    session.add(row)
    return follow(session, row, today)


def check_standing(session: Session, key: str, standing: Doc, today: date) -> None:
    """The register's week with the changed therapist must be a valid scenario/1 week."""
    doc = register_document(session, this_week(today))
    index = next(i for i, t in enumerate(doc["therapists"]) if t["id"] == key)
    doc["therapists"][index] = {**standing, "absent": []}
    errors = scenario_errors(doc)
    if errors:
        shown: dict[str, list[Message]] = {}
        for name, messages in field_errors(errors, "therapists", index, doc).items():
            shown.setdefault(name if name in LABELS else GENERAL, []).extend(messages)
        session.rollback()
        raise EditError(shown)


# --- team classes -----------------------------------------------------------------------------


def save_class_dates(key: str, form: Form, *, session: Session, today: date) -> Followed:
    """A team class's first and last date; EditError if the last is before the first. Weeks
    already made from this week on whose class list would change are named, to be made again."""
    row = team_class(key, session=session)
    reader = FormReader(form, LABELS)
    first, last = read_range(reader, "first_date", "last_date", required=False)
    raise_if(reader, session)
    was = {week for week in coming_weeks(session, today) if class_meets(row, week)}
    row.first_date, row.last_date = first, last
    session.add(row)
    session.commit()
    now_held = {week for week in coming_weeks(session, today) if class_meets(row, week)}
    return Followed(again=sorted(was ^ now_held))


def class_meets(row: RegisterClass, week: str) -> bool:
    """A class meets in a week when its first date is before the week ends and its last date
    after the week starts (as a derived week reads them)."""
    monday = week_monday(week)
    assert monday is not None
    return (row.first_date is None or row.first_date <= monday + timedelta(days=6)) and (
        row.last_date is None or monday <= row.last_date
    )


# --- the weeks already made -------------------------------------------------------------------


def this_week(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def coming_weeks(session: Session, today: date) -> list[str]:
    """The ISO weeks stored from this week on."""
    query = select(Scenario.week).where(col(Scenario.week) >= this_week(today)).distinct()
    return sorted(session.exec(query).all())


def stored_weeks(session: Session, today: date) -> list[tuple[Scenario, bool]]:
    """Every stored week from this week on, and whether it has a published plan."""
    query = select(Scenario).where(col(Scenario.week) >= this_week(today))
    scenarios = list(session.exec(query.order_by(col(Scenario.week), col(Scenario.id))).all())
    published = set(session.exec(select(Plan.scenario_id).where(Plan.status == "published")).all())
    return [(s, s.id in published) for s in scenarios]


def week_days(week: str) -> list[date]:
    monday = week_monday(week)
    assert monday is not None
    return [monday + timedelta(days=i) for i in range(5)]


def away_days(session: Session, row: RegisterTherapist, week: str) -> list[str]:
    """The week's weekdays the therapist does not work: outside employment or absent (as a
    derived week has them)."""
    away = set()
    found = absences(session, row.key)
    for day in week_days(week):
        outside = (row.first_day is not None and day < row.first_day) or (
            row.last_day is not None and row.last_day < day
        )
        if outside or any(a.start <= day <= a.end for a in found):
            away.add(day.isoformat())
    return sorted(away)


def follow(session: Session, row: RegisterTherapist, today: date) -> Followed:
    """Store the change with the therapist's hours and absent days in every coming week not yet
    published (their drafts rechecked); name the published weeks it would change. One
    transaction: on any error nothing is stored."""
    result = Followed()
    try:
        session.flush()
        for scenario, published in stored_weeks(session, today):
            assert scenario.id is not None
            doc = export_scenario(scenario.id, session=session)
            index = next((i for i, t in enumerate(doc["therapists"]) if t["id"] == row.key), None)
            if index is None:
                continue
            old = doc["therapists"][index]
            new = {
                **old,
                "hours": row.doc.get("hours", {}),
                "max_minutes": row.doc.get("max_minutes"),
                "absent": away_days(session, row, scenario.week),
            }
            if new == old:
                continue
            if published:
                result.published.append(scenario.week)
                continue
            doc["therapists"][index] = new
            if scenario_errors(doc):
                result.again.append(scenario.week)  # the week must be made again to take it
                continue
            result.stale += write_entity(session, scenario.id, "therapists", new, {}, commit=False)
            result.changed.append(scenario.week)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result


def followed_messages(result: Followed) -> list[Message]:
    """What the page says after a change about the weeks already made."""
    found = []
    if result.changed:
        found.append(Message("register.weeks-changed", {"weeks": weeks_text(result.changed)}))
    if result.stale:
        found.append(Message("register.drafts-stale", {"n": len(result.stale)}))
    if result.published:
        found.append(Message("register.weeks-published", {"weeks": weeks_text(result.published)}))
    if result.again:
        found.append(Message("register.weeks-again", {"weeks": weeks_text(result.again)}))
    return found


def weeks_text(weeks: list[str]) -> str:
    return ", ".join(str(int(w[-2:])) for w in sorted(set(weeks)))
