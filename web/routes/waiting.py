"""The waiting list: courses waiting to start, in the order they will start."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from planner.views.waiting import waiting_courses
from web.access import logged
from web.deps import CoordinatorDep, SessionDep, check_csrf
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/waiting")
def waiting(request: Request, account: CoordinatorDep, session: SessionDep) -> Response:
    rows = waiting_courses(session=session, today=date.today())
    logged(request, account, "read", [r.citizen_key for r in rows], session)
    return render(request, "waiting.html", {"rows": rows, "risks": sum(r.at_risk for r in rows)})
