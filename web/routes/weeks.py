"""Weeks: the list and import, the overview of a week, plan versions, generating and publishing."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from planner.db.models import Plan, Scenario, SolveJob
from planner.db.store import import_scenario, load_problem, load_solution
from planner.formats.plan import DocumentError
from planner.formats.scenario import ScenarioError
from planner.plan.jobs import active_job, cancel_job, read_job, start_solve
from planner.plan.repair import plan_hits
from planner.plan.versions import plan_of_week, publish, scenario_plans, weeks
from planner.text.messages import Message, Where
from planner.views.overview import week_overview
from web.access import logged_referrals
from web.deps import AccountDep, CoordinatorDep, SessionDep, check_csrf, found, refused
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

TIME_LIMITS = (10, 30, 60, 120)
MAX_UPLOAD = 20 * 1024 * 1024


@router.get("/")
def home(account: AccountDep, session: SessionDep) -> Response:
    """Coordinators land on the newest week, therapists on their own week."""
    if account.role != "coordinator":
        return RedirectResponse("/me", status_code=303)
    stored = weeks(session=session)
    return RedirectResponse(f"/weeks/{stored[0].id}" if stored else "/weeks", status_code=303)


@router.get("/weeks")
def week_list(request: Request, _: CoordinatorDep, session: SessionDep) -> Response:
    return render(request, "weeks.html", {"weeks": weeks(session=session)})


def upload_error(file: UploadFile, message: Message) -> ScenarioError:
    return ScenarioError([DocumentError(Where(file.filename or "scenario"), message)])


@router.post("/weeks/import")
async def import_week(
    request: Request,
    _: CoordinatorDep,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Store an uploaded scenario/1 week; a bad one stores nothing and shows every error."""
    data = await file.read(MAX_UPLOAD + 1)
    try:
        # Parsing, checking and storing a big week takes seconds: never on the event loop.
        scenario_id = await run_in_threadpool(imported, data, file, session)
    except ScenarioError as e:
        context = {"weeks": weeks(session=session), "import_errors": e.found}
        return render(request, "weeks.html", context, status_code=422)
    return RedirectResponse(f"/weeks/{scenario_id}", status_code=303)


def imported(data: bytes, file: UploadFile, session: SessionDep) -> int:
    """An uploaded scenario/1 file stored; ScenarioError (nothing stored) when it is bad."""
    if len(data) > MAX_UPLOAD:
        raise upload_error(file, Message("file.too-large", {"megabytes": MAX_UPLOAD >> 20}))
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise upload_error(file, Message("file.not-json-data", {"reason": str(e)})) from None
    except RecursionError:
        raise upload_error(file, Message("file.too-deep")) from None
    if not isinstance(doc, dict):
        raise upload_error(file, Message("file.not-object"))
    return import_scenario(doc, session=session)


@router.get("/weeks/{scenario_id}")
def overview(
    request: Request,
    scenario_id: int,
    account: CoordinatorDep,
    session: SessionDep,
    plan: int | None = None,
    centre: str | None = None,
    published: bool = False,
) -> Response:
    """The week at a glance, for its current plan (or the version asked for), of every centre
    or of one."""
    scenario = found(session, Scenario, scenario_id)
    shown = plan_of_week(scenario_id, plan, session=session)
    problem = load_problem(scenario_id, session=session)
    if centre is not None and centre not in {c.id for c in problem.centres}:
        raise HTTPException(404)
    solution = load_solution(shown.id, session=session) if shown and shown.id else None
    figures = week_overview(problem, solution, centre)
    logged_referrals(request, account, figures.referrals, scenario_id, session)
    context = {
        "centres": problem.centres,
        "centre": centre,
        "scenario": scenario,
        "plan": shown,
        "plans": scenario_plans(scenario_id, session=session),
        "overview": figures,
        "job": active_job(scenario_id, session=session),
        "time_limits": TIME_LIMITS,
        "just_published": published and shown is not None and shown.status == "published",
        "hits": plan_hits(shown.id, session=session) if shown and shown.id else {},
    }
    return render(request, "overview.html", context)


@router.post("/weeks/{scenario_id}/solve")
def generate(
    request: Request,
    scenario_id: int,
    _: CoordinatorDep,
    session: SessionDep,
    time_limit: Annotated[int, Form()] = 30,
    keep_locked_of: Annotated[int | None, Form()] = None,
) -> Response:
    """Start making a plan in the background; the page then shows its progress."""
    found(session, Scenario, scenario_id)
    if time_limit not in TIME_LIMITS:
        raise refused(422, "form.time-limit", field="time_limit", allowed=list(TIME_LIMITS))
    if (
        keep_locked_of is not None
        and found(session, Plan, keep_locked_of).scenario_id != scenario_id
    ):
        raise HTTPException(404)
    job = start_solve(
        scenario_id,
        session=session,
        time_limit=time_limit,
        base_plan_id=keep_locked_of,
        background=request.app.state.background_jobs,
    )
    if request.headers.get("hx-request"):
        return render(request, "partials/job.html", {"job": job})
    return RedirectResponse(f"/weeks/{scenario_id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_progress(request: Request, job_id: int, _: CoordinatorDep, session: SessionDep) -> Response:
    """The progress box; HTMX polls it while the job runs."""
    found(session, SolveJob, job_id)
    return render(request, "partials/job.html", {"job": read_job(job_id, session=session)})


@router.post("/jobs/{job_id}/cancel")
def cancel(request: Request, job_id: int, _: CoordinatorDep, session: SessionDep) -> Response:
    found(session, SolveJob, job_id)
    job = cancel_job(job_id, session=session)
    if request.headers.get("hx-request"):
        return render(request, "partials/job.html", {"job": job})
    return RedirectResponse(f"/weeks/{job.scenario_id}", status_code=303)


@router.get("/weeks/{scenario_id}/plans")
def versions(
    request: Request, scenario_id: int, _: CoordinatorDep, session: SessionDep
) -> Response:
    """Every plan of the week, the superseded ones too: they stay readable."""
    scenario = found(session, Scenario, scenario_id)
    context = {"scenario": scenario, "plans": scenario_plans(scenario_id, session=session)}
    return render(request, "plans.html", context)


@router.post("/plans/{plan_id}/publish")
def publish_draft(plan_id: int, _: CoordinatorDep, session: SessionDep) -> Response:
    plan = found(session, Plan, plan_id)
    publish(plan_id, session=session)
    target = f"/weeks/{plan.scenario_id}?plan={plan_id}&published=1"
    return RedirectResponse(target, status_code=303)
