"""The waiting list as a coordinator reads it: courses waiting to start, in the order they will
start, each with its expected first date and, for SUL §140, whether the 7-day start is at risk.

The order is the register's (`planner.register.derive.waiting_order`: SUL §140 deadline first,
then the visitator's priority, "størst behov først", then the date granted). A course's expected
first date is its first session in a plan not yet superseded (a draft or the published plan) on
or after today; with none, the first weekday of the coming week (or its earliest start, if later)
as an estimate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from planner.db.models import Appointment, Course, Plan, RegisterCitizen, RegisterPackage
from planner.register.attendance import referrals_of
from planner.register.derive import start_deadline, waiting_list
from planner.register.store import by_key


@dataclass(frozen=True)
class WaitingCourse:
    position: int
    key: str
    citizen: str  # the citizen's name
    citizen_key: str  # the citizen's id (for the access log)
    package: str
    package_name: str
    centre: str | None
    granted: date
    discharged: date | None
    deadline: date | None  # SUL §140: discharge + 7 days
    priority: int
    expected: date
    planned: bool  # True: `expected` is a session in a plan; False: an estimate
    #: SUL §140 whose expected first date is after the deadline (or the deadline has passed).
    at_risk: bool


def coming_monday(today: date) -> date:
    """The Monday of the week after today's."""
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def first_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def planned_starts(session: Session, keys: Iterable[str], today: date) -> dict[str, date]:
    """Each course's first session on or after today in a draft or published plan."""
    wanted = set(keys)
    query = (
        select(Appointment)
        .join(Plan, col(Appointment.plan_id) == col(Plan.id))
        .where(col(Plan.status).in_(("draft", "published")), Appointment.date >= today)
        .options(selectinload(Appointment.participants))  # type: ignore[arg-type]
    )
    found: dict[str, date] = {}
    for a in session.exec(query).all():
        for key in referrals_of(a):
            if key in wanted and (key not in found or a.date < found[key]):
                found[key] = a.date
    return found


def expected_start(course: Course, planned: dict[str, date], today: date) -> tuple[date, bool]:
    """The day the course is expected to start, and whether a plan says so."""
    if course.key in planned:
        return planned[course.key], True
    estimate = coming_monday(today)
    if course.earliest is not None and course.earliest > estimate:
        estimate = course.earliest
    return first_weekday(estimate), False


def at_risk(deadline: date | None, expected: date, today: date) -> bool:
    """A SUL §140 start is at risk when it is expected after its deadline, or the deadline has
    passed without a start."""
    return deadline is not None and (expected > deadline or deadline < today)


def waiting_courses(*, session: Session, today: date) -> list[WaitingCourse]:
    """The waiting list in the order the courses will start."""
    rows = waiting_list(session=session)
    planned = planned_starts(session, [c.key for c in rows], today)
    citizens = by_key(session, RegisterCitizen)
    packages = by_key(session, RegisterPackage)
    found = []
    for position, c in enumerate(rows, start=1):
        expected, from_plan = expected_start(c, planned, today)
        deadline = start_deadline(c)
        citizen = citizens.get(c.citizen)
        package = packages.get(c.package)
        found.append(
            WaitingCourse(
                position=position,
                key=c.key,
                citizen=citizen.doc["name"] if citizen else c.citizen,
                citizen_key=c.citizen,
                package=c.package,
                package_name=package.doc.get("name", c.package) if package else c.package,
                centre=c.doc.get("centre"),
                granted=c.granted,
                discharged=c.discharged,
                deadline=deadline,
                priority=c.priority,
                expected=expected,
                planned=from_plan,
                at_risk=at_risk(deadline, expected, today),
            )
        )
    return found
