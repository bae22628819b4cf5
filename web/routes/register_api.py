"""The register's JSON API under /api/: load the register, add courses, read the waiting list and
a course, derive a coming week, register attendance (exchange-format.md, "The API for tools
outside the product").
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from planner.db.models import Plan, Scenario
from planner.register.attendance import record_attendance
from planner.register.derive import derive_week
from planner.register.records import course_record, course_rows
from planner.register.store import add_course, import_register
from web.deps import SessionDep, found
from web.routes.api import REFUSED, Coordinator, WeekOut

router = APIRouter(prefix="/api", tags=["register"])

Status = Literal["waiting", "active", "paused", "ended"]
AttendanceStatus = Literal["delivered", "cancelled-by-citizen", "no-show", "cancelled-by-centre"]


class CourseIn(BaseModel):
    citizen: dict[str, Any] = Field(description="a scenario/1 citizen (upserted by id)")
    referral: dict[str, Any] = Field(description="a scenario/1 referral")
    granted: date = Field(description="the visitation decision or the discharge, YYYY-MM-DD")
    priority: int = Field(default=0, description="higher starts first (after SUL §140 deadlines)")


class AttendanceIn(BaseModel):
    appointment: str = Field(min_length=1, description="the plan/1 appointment id")
    referral: str = Field(min_length=1, description="the referral (a participant for a team)")
    status: AttendanceStatus


class AttendanceOut(BaseModel):
    plan: int
    appointment: str
    referral: str
    status: str
    changed: bool = Field(description="false when it was already registered so")


@router.post("/register", responses=REFUSED)
def load_register(
    account: Coordinator, session: SessionDep, doc: Annotated[dict[str, Any], Body()]
) -> dict[str, int]:
    """Load a scenario/1 document into the register by id; how many of each kind it held."""
    return import_register(doc, session=session, by=account.username)  # ScenarioError: 422


@router.post("/courses", status_code=201, responses=REFUSED)
def new_course(account: Coordinator, session: SessionDep, body: CourseIn) -> dict[str, Any]:
    """A new course for a citizen (the citizen is upserted by id); 422 with every error."""
    row = add_course(
        body.citizen, body.referral, body.granted, body.priority,
        session=session, by=account.username,
    )  # fmt: skip  # RegisterError: 422 (web/app.py)
    return course_record(row.key, session=session)


@router.get("/courses")
def list_courses(
    _: Coordinator, session: SessionDep, status: Status | None = None
) -> list[dict[str, Any]]:
    """The courses in that status; the waiting list in the order they will start."""
    return course_rows(session=session, status=status)


@router.get("/courses/{referral_id}")
def read_course(referral_id: str, _: Coordinator, session: SessionDep) -> dict[str, Any]:
    """A course: status, delivered and remaining sessions, and every appointment across weeks."""
    return course_record(referral_id, session=session)  # NotFound: 404 (web/app.py)


@router.post(
    "/register/weeks/{iso_week}", response_model=WeekOut, status_code=201, responses=REFUSED
)
def derive(
    iso_week: str, _: Coordinator, session: SessionDep, body: Annotated[Any, Body()] = None
) -> Scenario:
    """The coming week derived from the register and stored (as `POST /api/weeks` answers)."""
    scenario_id = derive_week(iso_week, session=session)  # RegisterError: 422 (web/app.py)
    return found(session, Scenario, scenario_id)


@router.post("/plans/{plan_id}/attendance", response_model=AttendanceOut, responses=REFUSED)
def attendance(
    plan_id: int, account: Coordinator, session: SessionDep, body: AttendanceIn
) -> AttendanceOut:
    """Register whether a session took place; the same call again changes nothing, a later
    one corrects it (kept with who and when)."""
    found(session, Plan, plan_id)
    # NotFound: 404, PlanStateError: 409, RegisterError: 422 (web/app.py)
    changed = record_attendance(
        plan_id, body.appointment, body.referral, body.status,
        session=session, by=account.username,
    )  # fmt: skip
    return AttendanceOut(
        plan=plan_id,
        appointment=body.appointment,
        referral=body.referral,
        status=body.status,
        changed=changed,
    )
