"""Pages of the register: the courses list, a course (pause, resume, end), attendance of a
day, and deriving the coming week from the register."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from planner.db.models import END_REASONS, Plan
from planner.register.attendance import no_show_courses, record_attendance, unregistered
from planner.register.day import attendance_day
from planner.register.derive import derive_and_plan
from planner.register.records import course_record, course_rows
from planner.register.store import move_course
from planner.tools.demo import coming_week
from web.access import logged_referrals
from web.deps import AccountDep, CoordinatorDep, SessionDep, check_csrf, refused
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

STATUS_WORDS = {"waiting": "Venter", "active": "Aktivt", "paused": "På pause", "ended": "Afsluttet"}
REASON_WORDS = {
    "completed": "Gennemført",
    "package-used-up": "Pakken er brugt op",
    "stopped-by-citizen": "Stoppet af borgeren",
    "moved-away": "Fraflyttet",
    "died": "Død",
    "other": "Andet",
}
ATTENDANCE_WORDS = {
    "delivered": "Gennemført",
    "cancelled-by-citizen": "Aflyst af borger",
    "no-show": "Udeblevet",
    "cancelled-by-centre": "Aflyst af centret",
}
FormText = Annotated[str, Form()]
TIME_LIMITS = (10, 30, 60, 120)


def words() -> dict[str, dict[str, str]]:
    return {
        "status_words": STATUS_WORDS,
        "reason_words": REASON_WORDS,
        "attendance_words": ATTENDANCE_WORDS,
    }


@router.get("/courses")
def courses_page(
    request: Request, _: CoordinatorDep, session: SessionDep, status: str | None = None
) -> Response:
    """Every course (of one status), the waiting list in start order, and what needs a look."""
    if status is not None and status not in STATUS_WORDS:
        raise refused(422, "form.one-of", field="status", allowed=list(STATUS_WORDS))
    context = {
        "courses": course_rows(session=session, status=status),
        "status": status,
        "no_shows": no_show_courses(session=session),
        "unregistered": unregistered(session=session),
        "coming": coming_week(date.today()),
        "time_limits": TIME_LIMITS,
        **words(),
    }
    return render(request, "courses/list.html", context)


@router.get("/courses/{key}")
def course_page(request: Request, key: str, _: CoordinatorDep, session: SessionDep) -> Response:
    record = course_record(key, session=session)  # NotFound: 404 (web/app.py)
    context = {"course": record, "end_reasons": END_REASONS, "today": date.today(), **words()}
    return render(request, "courses/course.html", context)


@router.post("/courses/{key}/status")
def change_status(
    key: str,
    account: CoordinatorDep,
    session: SessionDep,
    status: FormText,
    reason: Annotated[str | None, Form()] = None,
    note: Annotated[str, Form()] = "",
) -> Response:
    """Pause, resume or end a course (with a reason)."""
    # NotFound: 404, RegisterError: 422, in the reader's language (web/app.py)
    move_course(
        key,
        status,
        session=session,
        on=date.today(),
        reason=reason or None,
        by=account.username,
        note=note.strip(),
    )
    return RedirectResponse(f"/courses/{key}", status_code=303)


@router.post("/register/weeks")
def derive_page(
    request: Request,
    _: CoordinatorDep,
    session: SessionDep,
    week: FormText,
    time_limit: Annotated[int, Form()] = 30,
) -> Response:
    """Make the coming week from the register and start planning it; then the week's page."""
    if time_limit not in TIME_LIMITS:
        raise refused(422, "form.time-limit", field="time_limit", allowed=list(TIME_LIMITS))
    job = derive_and_plan(  # RegisterError: 422 (web/app.py)
        week.strip(),
        session=session,
        time_limit=time_limit,
        background=request.app.state.background_jobs,
    )
    return RedirectResponse(f"/weeks/{job.scenario_id}", status_code=303)


def chosen_day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise refused(422, "form.date", field="day") from None


@router.get("/attendance")
def attendance_page(
    request: Request, account: AccountDep, session: SessionDep, day: str | None = None
) -> Response:
    """The day's sessions with a button per outcome: a therapist's own, or everyone's."""
    chosen = chosen_day(day)
    own = account.therapist if account.role == "therapist" else None
    if account.role == "therapist" and own is None:
        raise HTTPException(403)
    sheet = attendance_day(chosen, session=session, therapist=own)
    if sheet.plan_id is not None:
        plan = session.get(Plan, sheet.plan_id)
        if plan is not None:
            logged_referrals(request, account, sheet.referrals, plan.scenario_id, session)
    context = {
        "sheet": sheet,
        "previous_day": chosen - timedelta(days=1),
        "next_day": chosen + timedelta(days=1),
        "saved": request.query_params.get("saved"),
        **words(),
    }
    return render(request, "courses/attendance.html", context)


@router.post("/attendance")
def register_attendance(
    account: AccountDep,
    session: SessionDep,
    plan: Annotated[int, Form()],
    appointment: FormText,
    referral: FormText,
    status: FormText,
    day: FormText,
) -> Response:
    """Register one outcome; a therapist only for their own sessions."""
    chosen = chosen_day(day)
    if account.role == "therapist":
        sheet = attendance_day(chosen, session=session, therapist=account.therapist)
        if sheet.plan_id != plan or appointment not in {s.appointment for s in sheet.sessions}:
            raise refused(403, "attendance.own-only")
    # NotFound: 404, PlanStateError: 409, RegisterError: 422 (web/app.py)
    record_attendance(plan, appointment, referral, status, session=session, by=account.username)
    target = f"/attendance?day={chosen.isoformat()}&saved={appointment}#a-{appointment}"
    return RedirectResponse(target, status_code=303)
