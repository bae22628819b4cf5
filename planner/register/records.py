"""A course as a coordinator and the API read it: its package, counts, history and sessions."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from planner.db.models import Course, RegisterPackage
from planner.register.attendance import course_sessions, delivered, delivered_counts
from planner.register.derive import start_deadline, waiting_list
from planner.register.store import by_key, course, courses, status_history
from solver.problem import clock

Doc = dict[str, Any]


def iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def course_summary(row: Course, done: int, packages: dict[str, RegisterPackage]) -> Doc:
    package = packages.get(row.package)
    cap = package.doc.get("max_sessions") if package else None
    return {
        "id": row.key,
        "citizen": row.citizen,
        "package": row.package,
        "mode": row.doc.get("mode"),
        "status": row.status,
        "delivered": done,
        "max_sessions": cap,
        "remaining": None if cap is None else max(0, cap - done),
        "granted": iso(row.granted),
        "discharged": iso(row.discharged),
        "start_deadline": iso(start_deadline(row)),
        "earliest": iso(row.earliest),
        "planned_end": iso(row.planned_end),
        "priority": row.priority,
        "ended_reason": row.ended_reason,
    }


def course_rows(*, session: Session, status: str | None = None) -> list[Doc]:
    """Courses (of one status) with their counts; waiting ones in the order they will start."""
    if status == "waiting":
        rows = waiting_list(session=session)
    else:
        rows = courses(session=session, status=status)
    counts = delivered_counts(session)
    packages = by_key(session, RegisterPackage)
    return [course_summary(row, delivered(row, counts), packages) for row in rows]


def course_record(key: str, *, session: Session) -> Doc:
    """One course: its summary, its first delivered session, status history and every session
    across weeks with its attendance; NotFound if there is no such course."""
    row = course(key, session=session)
    sessions = course_sessions(key, session=session)
    counts = delivered_counts(session, [key])
    summary = course_summary(row, delivered(row, counts), by_key(session, RegisterPackage))
    first = next((s for s in sessions if s.attendance == "delivered"), None)
    return {
        **summary,
        "first_session": iso(first.day) if first else None,
        "history": [
            {
                "status": h.status,
                "on": iso(h.on),
                "reason": h.reason,
                "note": h.note,
                "by": h.by,
                "at": h.at.isoformat(),
            }
            for h in status_history(key, session=session)
        ],
        "appointments": [
            {
                "plan": s.plan_id,
                "week": s.week,
                "appointment": s.appointment,
                "kind": s.kind,
                "date": iso(s.day),
                "start": clock(s.start),
                "end": clock(s.end),
                "therapist": s.therapist,
                "centre": s.centre,
                "attendance": s.attendance,
            }
            for s in sessions
        ],
    }
