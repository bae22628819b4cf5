"""One day of a published plan as the attendance form reads it: each session and its people.

A therapist sees only their own sessions, citizens by first name and initial; the coordinator
sees everyone's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from planner.db.models import Appointment, Plan
from planner.db.store import export_scenario
from planner.register.attendance import latest, referrals_of
from planner.text.wording import short_name


@dataclass(frozen=True)
class Seat:
    referral: str
    citizen: str  # first name and initial
    status: str | None  # the registered attendance, None when not registered


@dataclass(frozen=True)
class DaySession:
    appointment: str
    kind: str
    start: int
    end: int
    therapist: str  # name
    place: str  # centre and room, or the citizen's home
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class AttendanceDay:
    day: date
    plan_id: int | None  # the published plan of the day's week (None: none published)
    week: str | None
    sessions: tuple[DaySession, ...]

    @property
    def referrals(self) -> list[str]:
        """The referrals whose citizens the sheet names (for the access log)."""
        return [seat.referral for s in self.sessions for seat in s.seats]


def published_plan_on(day: date, *, session: Session) -> Plan | None:
    """The published plan of the ISO week `day` lies in."""
    year, number, _ = day.isocalendar()
    query = select(Plan).where(Plan.week == f"{year}-W{number:02d}", Plan.status == "published")
    return session.exec(query).first()


def attendance_day(day: date, *, session: Session, therapist: str | None = None) -> AttendanceDay:
    """The day's sessions of the published plan (one therapist's when given), with attendance."""
    plan = published_plan_on(day, session=session)
    if plan is None or plan.id is None:
        return AttendanceDay(day, None, None, ())
    doc = export_scenario(plan.scenario_id, session=session)
    names = {c["id"]: c["name"] for c in doc["citizens"]}
    citizen_of = {r["id"]: names.get(r["citizen"], "") for r in doc["referrals"]}
    therapists = {t["id"]: t["name"] for t in doc["therapists"]}
    centres = {c["id"]: c["name"] for c in doc["centres"]}
    rooms = {r["id"]: r["name"] for r in doc["rooms"]}
    query = select(Appointment).where(Appointment.plan_id == plan.id, Appointment.date == day)
    if therapist is not None:
        query = query.where(Appointment.therapist == therapist)
    rows = session.exec(query.order_by(col(Appointment.start), col(Appointment.id))).all()
    marks = latest(session, [plan.id])
    sessions = []
    for row in rows:
        if row.kind == "home":
            place = "Hjemmebesøg"
        elif row.kind == "online":
            place = "Skærm"
        else:
            place = ", ".join(
                p for p in (centres.get(row.centre, ""), rooms.get(row.room or "", "")) if p
            )
        seats = tuple(
            Seat(r, short_name(citizen_of.get(r, r)), marks.get((plan.id, row.key, r)))
            for r in referrals_of(row)
        )
        sessions.append(
            DaySession(
                row.key,
                row.kind,
                row.start,
                row.end,
                therapists.get(row.therapist, ""),
                place,
                seats,
            )
        )
    return AttendanceDay(day, plan.id, plan.week, tuple(sessions))
