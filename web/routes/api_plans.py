"""The API's changes of a plan by hand: copy it into a draft, a referral's free slots, moving an
appointment (exchange-format.md, "The API for tools outside the product").

A change that breaks a rule, or that was worked out on a plan another change got to first, is
answered 409 with the reasons as a list (`{"detail": [...]}`) and nothing is stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from planner.db.models import Plan
from planner.db.revision import PlanChanged
from planner.db.store import export_plan
from planner.errors import PlanStateError
from planner.plan.edit import ChangeRefused, copy_as_draft, move_to, slot_documents
from planner.security.access import (
    appointment_citizens,
    entries,
    record,
    referral_citizens,
    referred_citizens,
)
from planner.text.messages import render
from web.deps import Conflict, SessionDep, found
from web.routes.api import REFUSED, Coordinator, PlanOut

router = APIRouter(prefix="/api", tags=["api"])


class MoveIn(BaseModel):
    start: str = Field(
        max_length=40, description="local start with UTC offset, 2026-12-09T09:30:00+01:00"
    )
    therapist: str = Field(max_length=64)
    room: str | None = Field(default=None, max_length=64, description="none for home and online")


@router.post("/plans/{plan_id}/copy", response_model=PlanOut, status_code=201)
def copy_plan(plan_id: int, account: Coordinator, session: SessionDep) -> Plan:
    """A published or superseded plan copied into the week's next draft, locks kept."""
    scenario_id = found(session, Plan, plan_id).scenario_id
    record(account.username, "change", f"POST /api/plans/{plan_id}/copy",
           referred_citizens(scenario_id, session=session), session=session,
           scenario_id=scenario_id)  # fmt: skip
    try:
        return copy_as_draft(plan_id, session=session)
    except PlanStateError as e:
        raise HTTPException(409, [render(e.message)]) from None
    except ChangeRefused as e:
        raise Conflict([(m.code, m) for m in e.messages]) from None


@router.get("/plans/{plan_id}/referrals/{referral_id}/slots")
def referral_slots(
    plan_id: int, referral_id: str, account: Coordinator, session: SessionDep
) -> list[dict[str, Any]]:
    """Every slot where one more session of the referral keeps every rule."""
    scenario_id = found(session, Plan, plan_id).scenario_id
    record(account.username, "read", f"GET /api/plans/{plan_id}/referrals/{referral_id}/slots",
           referral_citizens([referral_id], scenario_id, session=session), session=session,
           scenario_id=scenario_id)  # fmt: skip
    try:
        return slot_documents(plan_id, referral_id, session=session)
    except LookupError as e:
        raise HTTPException(404, str(e)) from None


@router.post("/plans/{plan_id}/appointments/{appointment_id}/move", responses=REFUSED)
def move(
    plan_id: int, appointment_id: str, body: MoveIn, account: Coordinator, session: SessionDep
) -> dict[str, Any]:
    """Move an appointment; 409 with the reasons when that breaks a rule or the plan changed."""
    plan = found(session, Plan, plan_id)
    scenario_id = plan.scenario_id
    citizens = appointment_citizens(plan_id, appointment_id, scenario_id, session=session)
    record(
        account.username,
        "change",
        f"POST /api/plans/{plan_id}/appointments/{appointment_id}/move",
        citizens,
        session=session,
        scenario_id=scenario_id,
    )
    try:
        move_to(plan_id, appointment_id, body.start, body.therapist, body.room, session=session)
    except LookupError as e:
        raise HTTPException(404, str(e)) from None
    except (PlanChanged, PlanStateError) as e:
        raise HTTPException(409, [render(e.message)]) from None
    except ChangeRefused as e:
        session.rollback()
        raise Conflict([(m.code, m) for m in e.messages]) from None
    return export_plan(plan_id, session=session)


@router.get("/access-log")
def access_log(
    account: Coordinator,
    session: SessionDep,
    citizen: Annotated[str, Query(min_length=1, max_length=64)],
) -> list[dict[str, Any]]:
    """Every read or change of that citizen's data, oldest first (for an access request)."""
    out = entries(citizen, session=session)
    record(
        account.username,
        "read",
        f"GET /api/access-log?citizen={citizen}",
        [citizen],
        session=session,
    )
    return out
