"""The waiting list: courses waiting to start, in the order they will start; and planning the
next one to four weeks from it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from planner.register.ahead import MOST_WEEKS_AHEAD, start_plan_ahead
from planner.tools.demo import coming_week
from planner.views.waiting import waiting_courses
from web.access import logged
from web.deps import CoordinatorDep, SessionDep, check_csrf, refused
from web.routes.courses import TIME_LIMITS
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/waiting")
def waiting(request: Request, account: CoordinatorDep, session: SessionDep) -> Response:
    rows = waiting_courses(session=session, today=date.today())
    logged(request, account, "read", [r.citizen_key for r in rows], session)
    context = {
        "rows": rows,
        "risks": sum(r.at_risk for r in rows),
        "coming": coming_week(date.today()),
        "week_counts": range(1, MOST_WEEKS_AHEAD + 1),
        "time_limits": TIME_LIMITS,
    }
    return render(request, "waiting.html", context)


@router.post("/waiting/ahead")
def plan_ahead_page(
    request: Request,
    _: CoordinatorDep,
    session: SessionDep,
    first: Annotated[str, Form()],
    weeks: Annotated[int, Form()],
    time_limit: Annotated[int, Form()] = 30,
) -> Response:
    """Plan the next 1 to 4 weeks in order in the background; then the first week's page,
    which follows its job (the later weeks appear as their jobs start)."""
    if time_limit not in TIME_LIMITS:
        raise refused(422, "form.time-limit", field="time_limit", allowed=list(TIME_LIMITS))
    # A bad count or week is a RegisterError naming the field (answered by web/app.py).
    job = start_plan_ahead(
        first.strip(),
        weeks,
        session=session,
        time_limit=time_limit,
        background=request.app.state.background_jobs,
    )
    return RedirectResponse(f"/weeks/{job.scenario_id}", status_code=303)
