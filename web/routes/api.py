"""The JSON API under /api/: import a week, make a plan, read and publish plans.

Scripts sign in with HTTP Basic (a coordinator's username and password); a browser session
works too, with its CSRF token in the `X-CSRF-Token` header for anything that changes data.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from planner.db.models import Plan, Scenario, SolveJob, UserAccount
from planner.db.store import export_plan, export_scenario, import_scenario
from planner.formats.scenario import ScenarioError
from planner.plan.jobs import cancel_job, read_job, start_solve
from planner.plan.versions import publish, scenario_plans, weeks
from planner.security.accounts import authenticate
from web.deps import SessionDep, check_csrf, current_account, found

router = APIRouter(prefix="/api", tags=["api"])


async def api_account(request: Request, session: SessionDep) -> UserAccount:
    """A coordinator, by HTTP Basic credentials or by the browser session (with CSRF)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            username, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            username, password = "", ""
        account = authenticate(username, password, session=session)
        if account is None:
            raise HTTPException(401, "Forkert brugernavn eller adgangskode",
                                headers={"WWW-Authenticate": 'Basic realm="planner"'})  # fmt: skip
    else:
        account = current_account(request, session)
        await check_csrf(request)
    if account.role != "coordinator":
        raise HTTPException(403, "Kun koordinatorer kan bruge API'et")
    return account


Coordinator = Annotated[UserAccount, Depends(api_account)]


class WeekOut(BaseModel):
    id: int
    week: str
    name: str


class PlanOut(BaseModel):
    id: int
    version: int
    status: str
    solver_status: str
    stats: dict[str, Any]


class JobOut(BaseModel):
    id: int
    scenario_id: int
    state: str = Field(description="queued, running, done, cancelled or failed")
    stage: str
    placed: int
    requested: int
    bound: int
    seconds: float
    plan_id: int | None
    error: str | None


class SolveIn(BaseModel):
    time_limit: float = Field(default=30.0, gt=0, le=600, description="seconds the solver may use")
    keep_locked_of: int | None = Field(default=None, description="plan whose locks stay")


def job_out(job: SolveJob) -> JobOut:
    return JobOut.model_validate(job, from_attributes=True)


@router.get("/openapi.json", include_in_schema=False)
def openapi_document(request: Request, _: Coordinator) -> dict[str, Any]:
    """The API's OpenAPI document (for coordinators' scripts; like everything, behind sign-in)."""
    return request.app.openapi()  # type: ignore[no-any-return]


@router.get("/weeks", response_model=list[WeekOut])
def list_weeks(_: Coordinator, session: SessionDep) -> list[Scenario]:
    """Every stored week, newest import first."""
    return weeks(session=session)


@router.post("/weeks", response_model=WeekOut, status_code=201)
def import_week(
    _: Coordinator, session: SessionDep, doc: Annotated[dict[str, Any], Body()]
) -> Scenario:
    """Store a scenario/1 document; 422 with every error (and nothing stored) when it is bad."""
    try:
        scenario_id = import_scenario(doc, session=session)
    except ScenarioError as e:
        raise HTTPException(422, e.errors) from None
    return found(session, Scenario, scenario_id)


@router.get("/weeks/{scenario_id}/scenario")
def read_week(scenario_id: int, _: Coordinator, session: SessionDep) -> dict[str, Any]:
    """The stored week as a scenario/1 document."""
    found(session, Scenario, scenario_id)
    return export_scenario(scenario_id, session=session)


@router.get("/weeks/{scenario_id}/plans", response_model=list[PlanOut])
def list_plans(scenario_id: int, _: Coordinator, session: SessionDep) -> list[Plan]:
    found(session, Scenario, scenario_id)
    return scenario_plans(scenario_id, session=session)


@router.post("/weeks/{scenario_id}/solve", response_model=JobOut, status_code=202)
def solve_week(
    request: Request,
    scenario_id: int,
    _: Coordinator,
    session: SessionDep,
    options: SolveIn | None = None,
) -> JobOut:
    """Start making a plan in the background; poll the job until `state` is done."""
    found(session, Scenario, scenario_id)
    options = options or SolveIn()
    base = options.keep_locked_of
    if base is not None and found(session, Plan, base).scenario_id != scenario_id:
        raise HTTPException(422, "keep_locked_of: planen hører ikke til denne uge")
    job = start_solve(
        scenario_id,
        session=session,
        time_limit=options.time_limit,
        base_plan_id=options.keep_locked_of,
        background=request.app.state.background_jobs,
    )
    return job_out(job)


@router.get("/jobs/{job_id}", response_model=JobOut)
def job(job_id: int, _: Coordinator, session: SessionDep) -> JobOut:
    found(session, SolveJob, job_id)
    return job_out(read_job(job_id, session=session))


@router.post("/jobs/{job_id}/cancel", response_model=JobOut)
def cancel(job_id: int, _: Coordinator, session: SessionDep) -> JobOut:
    found(session, SolveJob, job_id)
    return job_out(cancel_job(job_id, session=session))


@router.get("/plans/{plan_id}")
def read_plan(plan_id: int, _: Coordinator, session: SessionDep) -> dict[str, Any]:
    """A plan as a plan/1 document."""
    found(session, Plan, plan_id)
    return export_plan(plan_id, session=session)


@router.post("/plans/{plan_id}/publish", response_model=PlanOut)
def publish_plan(plan_id: int, _: Coordinator, session: SessionDep) -> Plan:
    found(session, Plan, plan_id)
    return publish(plan_id, session=session)
