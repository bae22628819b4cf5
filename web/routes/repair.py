"""Changes to a published week and their repair, the difference a draft makes, and publishing
after seeing it: pages for coordinators, and the API's repair and diff."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from planner.db.models import Plan, Scenario
from planner.plan.diff import plan_diff, published_of_week
from planner.plan.edit import ChangeRefused
from planner.plan.repair import ChangeError, enter_and_repair, record_change, week_page
from planner.text.messages import render as render_message
from web.access import logged_week
from web.deps import Conflict, CoordinatorDep, SessionDep, check_csrf, found
from web.i18n import message_language
from web.routes.api import REFUSED, Coordinator
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
api_router = APIRouter(prefix="/api", tags=["api"])


# --- the API --------------------------------------------------------------------------------------


@api_router.post("/plans/{plan_id}/repair", status_code=201, responses=REFUSED)
def repair_api(
    request: Request,
    plan_id: int,
    account: Coordinator,
    session: SessionDep,
    doc: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    """Enter a change of the plan's week and repair the plan: a new draft and its diff."""
    found(session, Plan, plan_id)
    try:  # ChangeError: 422 with every field that is wrong (web/app.py)
        draft = enter_and_repair(plan_id, doc, by=account.username, session=session)
    except ChangeRefused as e:  # as a move's 409
        raise Conflict([(m.code, m) for m in e.messages]) from None
    return {"plan": draft, "diff": plan_diff(draft, session=session).to_json()}


@api_router.get("/plans/{plan_id}/diff")
def diff_api(plan_id: int, _: Coordinator, session: SessionDep) -> dict[str, Any]:
    """The plan against its week's published plan."""
    found(session, Plan, plan_id)
    return plan_diff(plan_id, session=session).to_json()


# --- the pages ------------------------------------------------------------------------------------


@router.get("/plans/{plan_id}/changes")
def changes_page(
    request: Request, plan_id: int, account: CoordinatorDep, session: SessionDep
) -> Response:
    """Ændringer i ugen: what changed, what it hits in the plan, and the Repair button."""
    plan = found(session, Plan, plan_id)
    logged_week(request, account, plan.scenario_id, session)  # the form lists every citizen
    context = {
        "plan": plan,
        "scenario": found(session, Scenario, plan.scenario_id),
        "page": week_page(plan_id, session=session),
    }
    return render(request, "repair/changes.html", context)


@router.post("/plans/{plan_id}/changes")
def enter_change(
    request: Request,
    plan_id: int,
    account: CoordinatorDep,
    session: SessionDep,
    kind: Annotated[str, Form()],
    key: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
) -> Response:
    """Register a change (a therapist ill, a room closed, ...); the page then shows its hits."""
    plan = found(session, Plan, plan_id)
    page = week_page(plan_id, session=session)
    doc = {kind: key, "from": start, "to": end}
    try:
        change = page.change(doc)
    except ChangeError as e:
        context = {"plan": plan, "scenario": found(session, Scenario, plan.scenario_id),
                   "page": page,
                   "errors": [f.text(message_language(request)) for f in e.found]}  # fmt: skip
        return render(request, "repair/changes.html", context, status_code=422)
    record_change(plan.scenario_id, change, by=account.username, session=session)
    return RedirectResponse(f"/plans/{plan_id}/changes", status_code=303)


@router.post("/plans/{plan_id}/repair")
def repair_page(request: Request, plan_id: int, _: CoordinatorDep, session: SessionDep) -> Response:
    """Reparér: a new draft with the week's changes mended; shown as its difference."""
    found(session, Plan, plan_id)
    try:
        draft = enter_and_repair(plan_id, None, by="", session=session)
    except ChangeRefused as e:
        lang = message_language(request)
        raise HTTPException(409, "; ".join(render_message(m, lang) for m in e.messages)) from None
    return RedirectResponse(f"/plans/{draft}/diff", status_code=303)


@router.get("/plans/{plan_id}/diff")
def diff_page(request: Request, plan_id: int, _: CoordinatorDep, session: SessionDep) -> Response:
    """What the plan changes for whom against the week's published plan."""
    plan = found(session, Plan, plan_id)
    context = {
        "plan": plan,
        "scenario": found(session, Scenario, plan.scenario_id),
        "diff": plan_diff(plan_id, session=session),
        "published": published_of_week(plan.week, session=session),
    }
    return render(request, "repair/diff.html", context)


@router.get("/plans/{plan_id}/publish")
def confirm_publish(
    request: Request, plan_id: int, _: CoordinatorDep, session: SessionDep
) -> Response:
    """Before publishing: the counts of what changes, and a button to confirm."""
    plan = found(session, Plan, plan_id)
    context = {
        "plan": plan,
        "scenario": found(session, Scenario, plan.scenario_id),
        "diff": plan_diff(plan_id, session=session),
        "published": published_of_week(plan.week, session=session),
        "confirm": True,
    }
    return render(request, "repair/diff.html", context)
