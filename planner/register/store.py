"""The register's entities and courses: loading them from scenario/1, adding, pausing, ending.

A scenario/1 document loads into the register by id: an entity already there takes the new
data, one not there is added; nothing is removed. A referral becomes a course; a course that
exists keeps its status and history. Every change is checked first and written in one
transaction, so a bad document stores nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

from planner.db.models import (
    ABSENCE_KINDS,
    END_REASONS,
    Course,
    CourseStatusChange,
    RegisterAbsence,
    RegisterCentre,
    RegisterCitizen,
    RegisterClass,
    RegisterInfo,
    RegisterPackage,
    RegisterRoom,
    RegisterTherapist,
)
from planner.db.persons import same_person
from planner.errors import NotFound
from planner.formats.plan import DocumentError, texts
from planner.formats.scenario import ScenarioError, scenario_errors, week_monday
from planner.text.messages import Message, Where

Doc = dict[str, Any]
Row = TypeVar("Row", bound=SQLModel)

#: A course's planned length when its package says nothing else: SUL §140 up to three months,
#: a SEL §86 package about ten weeks (TG1: 4–10 weeks).
COURSE_WEEKS_SUL_140 = 13
COURSE_WEEKS_DEFAULT = 10
#: Which status a course may move to from which (waiting → active ⇄ paused → ended).
MOVES = {
    "waiting": ("active", "ended"),
    "active": ("paused", "ended"),
    "paused": ("active", "ended"),
    "ended": ("active",),
}
REASON_WORDS = {
    "completed": "forløbet er gennemført",
    "package-used-up": "pakken er brugt op",
    "stopped-by-citizen": "stoppet af borgeren",
    "moved-away": "borgeren er flyttet",
    "died": "borgeren er død",
    "other": "andet",
}


class RegisterError(ValueError):
    """Input the register cannot take; `errors` says each problem and how to fix it.

    `found` holds the same errors as data (record, field, message) where they are errors of a
    scenario/1 document (a course's citizen and referral, a derived week).
    """

    def __init__(self, errors: list[str], found: list[DocumentError] | None = None) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors
        self.found = found or []

    @classmethod
    def of_document(cls, found: list[DocumentError]) -> RegisterError:
        return cls(texts(found), found)

    @classmethod
    def of(cls, field: str, code: str, **params: Any) -> RegisterError:
        """One wrong field of the input: `RegisterError.of("week", "register.not-a-week", ...)`."""
        return cls.of_document([field_error(field, code, **params)])


def field_error(field: str, code: str, **params: Any) -> DocumentError:
    """What is wrong with one field of the register's input, as data."""
    return DocumentError(Where(field), Message(code, params))


def now() -> datetime:
    return datetime.now(UTC)


# --- reading ----------------------------------------------------------------------------------


def by_key(session: Session, table: type[Row]) -> dict[str, Row]:
    """Every row of a register table by its key, in the order they were added."""
    rows = session.exec(select(table).order_by(col(table.id))).all()  # type: ignore[attr-defined]
    return {row.key: row for row in rows}  # type: ignore[attr-defined]


def course(key: str, *, session: Session) -> Course:
    """The course of a referral id; NotFound if the register has none."""
    found = session.exec(select(Course).where(Course.key == key)).first()
    if found is None:
        raise NotFound("course", key)
    return found


def courses(*, session: Session, status: str | None = None) -> list[Course]:
    """The register's courses (of one status), in the order they were granted."""
    query = select(Course).order_by(col(Course.granted), col(Course.id))
    if status is not None:
        query = query.where(Course.status == status)
    return list(session.exec(query).all())


def status_history(key: str, *, session: Session) -> list[CourseStatusChange]:
    query = select(CourseStatusChange).where(CourseStatusChange.course == key)
    return list(session.exec(query.order_by(col(CourseStatusChange.id))).all())


def info(*, session: Session) -> RegisterInfo | None:
    return session.exec(select(RegisterInfo)).first()


# --- loading scenario/1 -------------------------------------------------------------------------


def base_name(name: str) -> str:
    """The municipality's name without the week ('Norddjurs Kommune, uge 50')."""
    return re.sub(r",?\s*uge\s+\d+\s*$", "", name, flags=re.IGNORECASE).strip() or name


def course_weeks(package: Doc) -> int:
    """How many weeks a course of this package is planned to run."""
    basis = package.get("basis", "").replace(" ", "").lower()
    return COURSE_WEEKS_SUL_140 if "sul§140" in basis else COURSE_WEEKS_DEFAULT


def import_register(doc: Doc, *, session: Session, by: str = "") -> dict[str, int]:
    """Load a scenario/1 document into the register by id; how many of each kind it holds.

    ScenarioError (nothing written) if the document is not valid scenario/1.
    """
    errors = scenario_errors(doc) or other_people(session, doc["citizens"])
    if errors:
        raise ScenarioError(errors)
    monday = week_monday(doc["week"])
    assert monday is not None, "checked by check_scenario"
    try:
        upsert_info(session, doc)
        upsert_docs(session, RegisterCentre, doc["centres"], "id")
        upsert_docs(session, RegisterRoom, doc["rooms"], "id")
        upsert_therapists(session, doc["therapists"])
        packages = upsert_docs(session, RegisterPackage, doc["packages"], "code")
        upsert_docs(session, RegisterClass, doc.get("classes", []), "id")
        upsert_docs(session, RegisterCitizen, doc["citizens"], "id")
        for referral in doc["referrals"]:
            upsert_course(
                session, referral, packages, granted=None, priority=None, by=by, today=monday
            )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return {
        "centres": len(doc["centres"]),
        "rooms": len(doc["rooms"]),
        "therapists": len(doc["therapists"]),
        "packages": len(doc["packages"]),
        "classes": len(doc.get("classes", [])),
        "citizens": len(doc["citizens"]),
        "referrals": len(doc["referrals"]),
    }


def other_people(session: Session, citizens: list[Doc]) -> list[DocumentError]:
    """Citizens whose id the register already gives to someone else (another name, case and
    spacing aside): loading them would hand that person's courses to a stranger."""
    known = by_key(session, RegisterCitizen)
    errors = []
    for i, citizen in enumerate(citizens):
        row = known.get(citizen["id"])
        if row is not None and not same_person(row.doc.get("name", ""), citizen["name"]):
            where = Where("citizens", i, citizen["id"], ("name",))
            params = {
                "key": citizen["id"],
                "known": row.doc.get("name", ""),
                "given": citizen["name"],
            }
            errors.append(DocumentError(where, Message("register.other-person", params)))
    return errors


def upsert_info(session: Session, doc: Doc) -> None:
    row = info(session=session) or RegisterInfo(
        name="", timezone="", slot_minutes=15, detour_factor=1.3, speed_kmh=45.0
    )
    travel = doc.get("travel", {})
    row.name = base_name(doc["name"])
    row.timezone = doc["timezone"]
    row.slot_minutes = doc["slot_minutes"]
    row.detour_factor = travel.get("detour_factor", 1.3)
    row.speed_kmh = travel.get("speed_kmh", 45.0)
    session.add(row)


def upsert_docs(session: Session, table: type[Row], items: Iterable[Doc], id_field: str) -> dict:
    """Rows of one kind by key, each new or updated with its scenario/1 form."""
    rows = by_key(session, table)
    for item in items:
        key = item[id_field]
        row = rows.get(key)
        if row is None:
            extra = {"course_weeks": course_weeks(item)} if table is RegisterPackage else {}
            row = table(key=key, doc=item, **extra)
            rows[key] = row
        else:
            row.doc = item  # type: ignore[attr-defined]
        session.add(row)
    session.flush()
    return rows


def upsert_therapists(session: Session, items: Iterable[Doc]) -> None:
    """Therapists' standing weeks; a week's `absent` dates become absences (kind `andet`)."""
    rows = by_key(session, RegisterTherapist)
    for item in items:
        standing = {k: v for k, v in item.items() if k != "absent"}
        row = rows.get(item["id"])
        if row is None:
            row = RegisterTherapist(key=item["id"], doc=standing)
        else:
            row.doc = standing
        session.add(row)
        known = absences(session, item["id"])
        for text in item.get("absent", []):
            day = date.fromisoformat(text)
            if not any(a.start <= day <= a.end for a in known):
                absence = RegisterAbsence(therapist=item["id"], start=day, end=day)
                session.add(absence)
                known.append(absence)
    session.flush()


def absences(session: Session, therapist: str) -> list[RegisterAbsence]:
    query = select(RegisterAbsence).where(RegisterAbsence.therapist == therapist)
    return list(session.exec(query.order_by(col(RegisterAbsence.start))).all())


def add_absence(
    therapist: str, start: date, end: date, kind: str = "andet", *, session: Session
) -> RegisterAbsence:
    """A therapist's absence from `start` to `end` (both included)."""
    errors = []
    if therapist not in by_key(session, RegisterTherapist):
        errors.append(field_error("therapist", "register.unknown-therapist", therapist=therapist))
    if end < start:
        errors.append(
            field_error("end", "register.end-before-start", last=str(end), first_day=str(start))
        )
    if kind not in ABSENCE_KINDS:
        errors.append(field_error("kind", "register.one-of", value=kind, allowed=ABSENCE_KINDS))
    if errors:
        raise RegisterError.of_document(errors)
    absence = RegisterAbsence(therapist=therapist, start=start, end=end, kind=kind)
    session.add(absence)
    session.commit()
    session.refresh(absence)
    return absence


STORED_REFERRAL_FIELDS = ("intro", "final", "delivered")


def upsert_course(
    session: Session,
    referral: Doc,
    packages: dict[str, RegisterPackage],
    *,
    granted: date | None,
    priority: int | None,
    by: str,
    today: date,
) -> Course:
    """A referral as a course: new (waiting, or active when sessions were delivered) or updated."""
    from planner.register.attendance import delivered_counts  # the module reads courses too

    key = referral["id"]
    stored = {k: v for k, v in referral.items() if k not in STORED_REFERRAL_FIELDS}
    discharged = optional(referral.get("discharged"))
    earliest = optional(referral.get("earliest"))
    found = session.exec(select(Course).where(Course.key == key)).first()
    counted = delivered_counts(session, [key]).get(key, 0) if found is not None else 0
    delivered = referral.get("delivered", 0)
    if found is None:
        start = granted or discharged or earliest or today
        found = Course(
            key=key,
            citizen=referral["citizen"],
            package=referral["package"],
            doc=stored,
            granted=start,
            discharged=discharged,
            earliest=earliest,
            priority=priority or 0,
            status="active" if delivered > 0 else "waiting",
            delivered_before=delivered,
            created_at=now(),
        )
        found.planned_end = planned_end(packages[referral["package"]], earliest or start)
        session.add(found)
        session.add(change(key, found.status, start, None, by, "bevilget"))
    else:
        found.citizen, found.package, found.doc = referral["citizen"], referral["package"], stored
        found.discharged, found.earliest = discharged, earliest
        found.delivered_before = max(0, delivered - counted)
        if granted is not None:
            found.granted = granted
        if priority is not None:
            found.priority = priority
        session.add(found)
    session.flush()
    return found


def planned_end(package: RegisterPackage, start: date) -> date:
    """The last day of a course that starts on `start`: its package's course length later."""
    return start + timedelta(weeks=package.course_weeks, days=-1)


def optional(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def change(
    key: str, status: str, on: date, reason: str | None, by: str, note: str = ""
) -> CourseStatusChange:
    return CourseStatusChange(
        course=key, status=status, on=on, reason=reason, note=note, by=by, at=now()
    )


# --- adding one course ------------------------------------------------------------------------


def register_document(session: Session, week: str) -> Doc:
    """The register's standing entities as a scenario/1 skeleton (no citizens, no referrals)."""
    meta = info(session=session)
    if meta is None:
        raise RegisterError.of("register", "register.empty")
    return {
        "format": "scenario/1",
        "name": meta.name,
        "timezone": meta.timezone,
        "week": week,
        "slot_minutes": meta.slot_minutes,
        "travel": {"detour_factor": meta.detour_factor, "speed_kmh": meta.speed_kmh},
        "centres": [r.doc for r in by_key(session, RegisterCentre).values()],
        "rooms": [r.doc for r in by_key(session, RegisterRoom).values()],
        "therapists": [
            {**r.doc, "absent": []} for r in by_key(session, RegisterTherapist).values()
        ],
        "packages": [r.doc for r in by_key(session, RegisterPackage).values()],
        "classes": [r.doc for r in by_key(session, RegisterClass).values()],
        "citizens": [],
        "referrals": [],
        "pinned": [],
        "previous": [],
    }


def add_course(
    citizen: Doc,
    referral: Doc,
    granted: date,
    priority: int = 0,
    *,
    session: Session,
    by: str = "",
) -> Course:
    """A new course (or an updated one) for a citizen; RegisterError, nothing stored, if bad.

    The citizen and referral are scenario/1 objects, checked against the register as a week.
    """
    return add_courses([(citizen, referral, granted, priority)], session=session, by=by)[0]


def add_courses(
    items: list[tuple[Doc, Doc, date, int]], *, session: Session, by: str = ""
) -> list[Course]:
    """Several courses (citizen, referral, date granted, priority) checked as one week against
    the register and stored in one transaction; RegisterError, nothing stored, if one is bad."""
    if not items:
        return []
    year, week, _ = max(granted for _, _, granted, _ in items).isocalendar()
    doc = register_document(session, f"{year}-W{week:02d}")
    citizens = {c.get("id"): c for c, _, _, _ in items}
    doc["citizens"] = list(citizens.values())
    doc["referrals"] = [
        {"intro": False, "final": False, "delivered": 0, **referral} for _, referral, _, _ in items
    ]
    found = scenario_errors(doc)
    if found:
        raise RegisterError.of_document(found)
    errors = [
        field_error("referral.citizen", "register.other-citizen", given=str(r.get("citizen")))
        for (c, r, _, _) in items
        if r.get("citizen") != c.get("id")
    ] or other_people(session, doc["citizens"])
    if errors:
        raise RegisterError.of_document(errors)
    try:
        upsert_docs(session, RegisterCitizen, doc["citizens"], "id")
        packages = by_key(session, RegisterPackage)
        rows = [
            upsert_course(
                session,
                referral,
                packages,
                granted=granted,
                priority=priority,
                by=by,
                today=granted,
            )
            for referral, (_, _, granted, priority) in zip(doc["referrals"], items, strict=True)
        ]
        session.commit()
    except Exception:
        session.rollback()
        raise
    for row in rows:
        session.refresh(row)
    return rows


# --- status -----------------------------------------------------------------------------------


def move_course(
    key: str,
    status: str,
    *,
    session: Session,
    on: date,
    reason: str | None = None,
    by: str = "",
    note: str = "",
    commit: bool = True,
) -> Course:
    """Move a course to another status (pause, resume, end with a reason); RegisterError if it
    may not move there."""
    row = course(key, session=session)
    if status not in MOVES.get(row.status, ()):
        raise RegisterError.of(
            "status", "register.course-cannot-become", was_course=row.status, to_course=status
        )
    if status == "ended" and reason not in END_REASONS:
        raise RegisterError.of("reason", "register.end-reason", allowed=END_REASONS)
    row.status = status
    row.ended_reason = reason if status == "ended" else None
    session.add(row)
    session.add(change(key, status, on, reason if status == "ended" else None, by, note))
    if commit:
        session.commit()
        session.refresh(row)
    return row


def pause_course(key: str, *, session: Session, on: date, by: str = "", note: str = "") -> Course:
    return move_course(key, "paused", session=session, on=on, by=by, note=note)


def resume_course(key: str, *, session: Session, on: date, by: str = "", note: str = "") -> Course:
    return move_course(key, "active", session=session, on=on, by=by, note=note)


def end_course(
    key: str, reason: str, *, session: Session, on: date, by: str = "", note: str = ""
) -> Course:
    return move_course(key, "ended", session=session, on=on, reason=reason, by=by, note=note)
