"""The JSON API under /api/: import a week, make a plan, read and publish plans.

Scripts sign in with an API token (`Authorization: Bearer`) or HTTP Basic (a coordinator's
username and password); a browser session works too, with its CSRF token in the `X-CSRF-Token`
header for anything that changes data. A change sent with an `Origin` of another site is refused
whichever way it signs in.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field

from planner.db.models import Plan, Scenario, SolveJob, UserAccount
from planner.db.store import export_scenario, import_scenario
from planner.plan.jobs import cancel_job, read_job, start_solve
from planner.plan.versions import PlanBreaksRules, publish, scenario_plans, weeks
from planner.register.attendance import plan_with_attendance
from planner.security.access import record, referred_citizens, week_citizens
from planner.security.accounts import checked_sign_in
from planner.security.signin import Throttled
from planner.security.tokens import token_account
from planner.text.messages import Message, render, stored_message
from web.deps import (
    Conflict,
    Refused,
    SessionDep,
    check_csrf_header,
    check_origin,
    current_account,
    found,
    refused,
)
from web.i18n import api_language

router = APIRouter(prefix="/api", tags=["api"])


def api_account(request: Request, session: SessionDep) -> UserAccount:
    """A coordinator, by an API token (`Authorization: Bearer`), HTTP Basic credentials
    (throttled as the login form is) or the browser session (with its CSRF header).

    A sync function on purpose: FastAPI runs it in a worker thread, so the argon2 check never
    blocks the event loop. A signed-out request gets 401 without `WWW-Authenticate`, so a
    browser never offers its password prompt (and never caches the password).
    """
    header = request.headers.get("authorization", "")
    check_origin(request)
    if header.lower().startswith("bearer "):
        account = token_account(header[7:].strip(), session=session)
        if account is None:
            raise refused(401, "api.unknown-token")
    elif header.lower().startswith("basic "):
        account = basic_account(request, header, session)
    else:
        account = current_account(request, session)
        check_csrf_header(request)
    if account.role != "coordinator":
        raise refused(403, "api.coordinators-only")
    return account


def basic_account(request: Request, header: str, session: SessionDep) -> UserAccount:
    try:
        username, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        username, password = "", ""
    address = request.client.host if request.client else "unknown"
    try:
        account = checked_sign_in(username, password, address, session=session)
    except Throttled as e:
        wait = Message("api.throttled", {"seconds": e.retry_after})
        raise Refused(429, wait, headers={"Retry-After": str(e.retry_after)}) from None
    if account is None:
        raise refused(401, "api.wrong-password")
    return account


Coordinator = Annotated[UserAccount, Depends(api_account)]


class RecordOut(BaseModel):
    list: str = Field(description="the document's list: therapists, referrals, ...")
    index: int = Field(description="the record's place in that list, from 0")
    id: str | None = Field(description="the record's id (a package's code)")


class ProblemOut(BaseModel):
    """One error of a 422 answer (exchange-format.md, "Errors")."""

    code: str = Field(description="what is wrong, as a catalogue code (text: a sentence only)")
    params: dict[str, Any] = Field(description="the code's parameters")
    location: str | None = Field(
        description="where, as the format writes it: referrals[3] (r004).citizen"
    )
    record: RecordOut | None = Field(description="the record it concerns, none for a field")
    field: list[str | int] = Field(description="the path inside the record, or the field")
    message: str = Field(description="location and sentence in the request's Accept-Language")


class ProblemsOut(BaseModel):
    detail: list[str] = Field(description="each error's message (as `errors[i].message`)")
    errors: list[ProblemOut]


#: The 422 answer of every route that can refuse its input, in the OpenAPI document.
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": ProblemsOut, "description": "every error; nothing was stored"}
}


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


def job_out(job: SolveJob, request: Request) -> JobOut:
    """The job, its `error` a sentence in the request's language."""
    out = JobOut.model_validate(job, from_attributes=True)
    error = stored_message(job.error)
    if error is None:
        return out
    return out.model_copy(update={"error": render(error, api_language(request))})


@router.get("/openapi.json", include_in_schema=False)
def openapi_document(request: Request, _: Coordinator) -> dict[str, Any]:
    """The API's OpenAPI document (for coordinators' scripts; like everything, behind sign-in)."""
    return request.app.openapi()  # type: ignore[no-any-return]


@router.get("/weeks", response_model=list[WeekOut])
def list_weeks(_: Coordinator, session: SessionDep) -> list[Scenario]:
    """Every stored week, newest import first."""
    return weeks(session=session)


@router.post("/weeks", response_model=WeekOut, status_code=201, responses=REFUSED)
def import_week(
    account: Coordinator, session: SessionDep, doc: Annotated[dict[str, Any], Body()]
) -> Scenario:
    """Store a scenario/1 document; 422 with every error (and nothing stored) when it is bad."""
    scenario_id = import_scenario(doc, session=session)  # ScenarioError: 422 (web/app.py)
    citizens = week_citizens(scenario_id, session=session)
    record(
        account.username,
        "change",
        "POST /api/weeks",
        citizens,
        session=session,
        scenario_id=scenario_id,
    )
    return found(session, Scenario, scenario_id)


@router.get("/weeks/{scenario_id}/scenario")
def read_week(scenario_id: int, account: Coordinator, session: SessionDep) -> dict[str, Any]:
    """The stored week as a scenario/1 document."""
    found(session, Scenario, scenario_id)
    doc = export_scenario(scenario_id, session=session)
    record(
        account.username,
        "read",
        f"GET /api/weeks/{scenario_id}/scenario",
        [c["id"] for c in doc["citizens"]],
        session=session,
        scenario_id=scenario_id,
    )
    return doc


@router.get("/weeks/{scenario_id}/plans", response_model=list[PlanOut])
def list_plans(scenario_id: int, _: Coordinator, session: SessionDep) -> list[Plan]:
    found(session, Scenario, scenario_id)
    return scenario_plans(scenario_id, session=session)


@router.post(
    "/weeks/{scenario_id}/solve", response_model=JobOut, status_code=202, responses=REFUSED
)
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
        raise refused(422, "api.plan-of-other-week", field="keep_locked_of")
    job = start_solve(
        scenario_id,
        session=session,
        time_limit=options.time_limit,
        base_plan_id=options.keep_locked_of,
        background=request.app.state.background_jobs,
    )
    return job_out(job, request)


@router.get("/jobs/{job_id}", response_model=JobOut)
def job(request: Request, job_id: int, _: Coordinator, session: SessionDep) -> JobOut:
    found(session, SolveJob, job_id)
    return job_out(read_job(job_id, session=session), request)


@router.post("/jobs/{job_id}/cancel", response_model=JobOut)
def cancel(request: Request, job_id: int, _: Coordinator, session: SessionDep) -> JobOut:
    found(session, SolveJob, job_id)
    return job_out(cancel_job(job_id, session=session), request)


@router.get("/plans/{plan_id}")
def read_plan(plan_id: int, account: Coordinator, session: SessionDep) -> dict[str, Any]:
    """A plan as a plan/1 document, with each appointment's attendance where registered."""
    plan = found(session, Plan, plan_id)
    doc = plan_with_attendance(plan_id, session=session)
    citizens = referred_citizens(plan.scenario_id, session=session)
    record(account.username, "read", f"GET /api/plans/{plan_id}", citizens, session=session,
           scenario_id=plan.scenario_id)  # fmt: skip
    return doc


@router.post("/plans/{plan_id}/publish", response_model=PlanOut)
def publish_week_plan(plan_id: int, _: Coordinator, session: SessionDep) -> Plan:
    found(session, Plan, plan_id)
    try:
        return publish(plan_id, session=session)
    except PlanBreaksRules as e:
        raise Conflict([(v.rule, v.message) for v in e.violations]) from None
