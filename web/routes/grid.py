"""The week as a grid (per centre, therapist and class), a therapist's own week, and adjusting a
draft by hand: placing a missing session, moving an appointment, locking it, copying a plan.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from planner.db.models import Plan, UserAccount
from planner.errors import PlanStateError
from planner.outputs.feeds import FeedError, feed_url, webcal
from planner.plan.edit import (
    ChangeRefused,
    Slot,
    appointment_adjust,
    copy_as_draft,
    move_appointment,
    place_session,
    referral_adjust,
    set_locked,
    slot_rows,
)
from planner.plan.repair import plan_hits
from planner.plan.stored import PlanWeek
from planner.security.access import appointment_citizens, referral_citizens
from planner.text.messages import Message
from planner.views.grid import (
    GridWeek,
    centre_week,
    class_week,
    grid_index,
    own_week,
    therapist_week,
)
from web.access import logged, logged_referrals
from web.deps import AccountDep, CoordinatorDep, SessionDep, check_csrf, refused
from web.routes.feeds import SecretDep, base_url
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

KINDS = ("individual", "home", "online", "team")
FormText = Annotated[str, Form()]


# --- the grids ----------------------------------------------------------------------------------


@router.get("/plans/{plan_id}/grid")
def grids(request: Request, plan_id: int, _: CoordinatorDep, session: SessionDep) -> Response:
    """The plan as a grid: which centre, therapist or class to show."""
    index = grid_index(plan_id, session=session)
    return render(request, "grid/index.html", {"index": index, **week_context(index.week, session)})


@router.get("/plans/{plan_id}/centres/{centre_key}")
def centre(
    request: Request, plan_id: int, centre_key: str, account: CoordinatorDep, session: SessionDep
) -> Response:
    """A centre's week: rooms against time, day by day."""
    grid = centre_week(plan_id, centre_key, session=session)
    logged_referrals(request, account, grid.referrals, grid.week.plan.scenario_id, session)
    return render(request, "grid/centre.html", {"grid": grid, **week_context(grid.week, session)})


@router.get("/plans/{plan_id}/therapists/{therapist_key}")
def therapist(
    request: Request, plan_id: int, therapist_key: str, account: CoordinatorDep, session: SessionDep
) -> Response:
    """A therapist's week: the days against time."""
    grid = therapist_week(plan_id, therapist_key, session=session)
    logged_referrals(request, account, grid.referrals, grid.week.plan.scenario_id, session)
    context = {"grid": grid, "links": True, **week_context(grid.week, session)}
    return render(request, "grid/therapist.html", context)


@router.get("/plans/{plan_id}/classes/{class_key}")
def team_class(
    request: Request, plan_id: int, class_key: str, account: CoordinatorDep, session: SessionDep
) -> Response:
    """A team class's meetings with their participants."""
    week = class_week(plan_id, class_key, session=session)
    logged_referrals(request, account, week.referrals, week.week.plan.scenario_id, session)
    return render(request, "grid/class.html", {"team": week, **week_context(week.week, session)})


@router.get("/me")
def my_week(
    request: Request, account: AccountDep, session: SessionDep, secret: SecretDep
) -> Response:
    """Min uge: a therapist's own week in the newest published plan, and its calendar link."""
    if account.role != "therapist" or account.therapist is None:
        return RedirectResponse("/", status_code=303)
    grid = own_week(account.therapist, session=session)
    if grid is not None:
        logged_referrals(request, account, grid.referrals, grid.week.plan.scenario_id, session)
    try:
        feed: str | None = feed_url(
            "therapist", account.therapist, session=session, secret=secret,
            base_url=base_url(request),
        )  # fmt: skip
    except FeedError:  # revoked: the coordinator renews it
        feed = None
    context = {"grid": grid, "links": False, "feed": feed, "webcal": webcal(feed) if feed else None,
               "hits": plan_hits(grid.week.plan.id, session=session)
               if grid and grid.week.plan.id else {}}  # fmt: skip
    return render(request, "grid/me.html", context)


def week_context(week: PlanWeek | GridWeek, session: Session) -> dict[str, Any]:
    """What the week's navigation and the plan's status badge read, and which appointments of
    a published plan the week's changes hit (marked in the grids)."""
    plan = week.plan
    hits = plan_hits(plan.id, session=session) if plan.id and plan.status == "published" else {}
    return {"scenario": week.scenario, "plan": plan, "week": week, "hits": hits}


# --- adjusting a draft --------------------------------------------------------------------------


def chosen_day(text: str | None, field: str = "day") -> date | None:
    """A filter's or a form's day (ISO date); 422 naming the field when it is not one."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise refused(422, "form.date", field=field) from None


def picked_slot(
    kind: FormText = "",
    day: FormText = "",
    start: FormText = "",
    therapist: FormText = "",
    centre: FormText = "",
    room: FormText = "",
    meeting: FormText = "",
) -> Slot:
    """The slot a coordinator picked, read from the form; 422 naming the field that is wrong."""
    if kind not in KINDS:
        raise refused(422, "form.one-of", field="kind", allowed=list(KINDS))
    if not start.isdigit():
        raise refused(422, "form.start-minutes", field="start")
    chosen = chosen_day(day)
    if chosen is None:
        raise refused(422, "form.day-missing", field="day")
    return Slot(
        kind=kind,  # type: ignore[arg-type]
        day=chosen,
        start=int(start),
        therapist=therapist,
        centre=centre,
        room=room or None,
        meeting=meeting or None,
    )


PickedSlot = Annotated[Slot, Depends(picked_slot)]


@router.get("/plans/{plan_id}/referrals/{referral_key}")
def referral(
    request: Request,
    plan_id: int,
    referral_key: str,
    account: CoordinatorDep,
    session: SessionDep,
    day: str | None = None,
    therapist: str | None = None,
    placed: str | None = None,
) -> Response:
    """A referral of the plan, and the free slots for its missing sessions."""
    page = referral_page(request, plan_id, referral_key, session, day, therapist, placed=placed)
    log_referral(request, account, plan_id, referral_key, session)
    return page


def log_referral(
    request: Request, account: UserAccount, plan_id: int, referral_key: str, session: SessionDep
) -> None:
    plan = session.get(Plan, plan_id)
    if plan is not None:
        citizens = referral_citizens([referral_key], plan.scenario_id, session=session)
        action = "read" if request.method == "GET" else "change"
        logged(request, account, action, citizens, session, plan.scenario_id)


def log_appointment(
    request: Request, account: UserAccount, plan_id: int, key: str, session: SessionDep
) -> None:
    plan = session.get(Plan, plan_id)
    if plan is not None:
        citizens = appointment_citizens(plan_id, key, plan.scenario_id, session=session)
        action = "read" if request.method == "GET" else "change"
        logged(request, account, action, citizens, session, plan.scenario_id)


def referral_page(
    request: Request,
    plan_id: int,
    referral_key: str,
    session: SessionDep,
    day: str | None,
    therapist: str | None,
    *,
    placed: str | None = None,
    errors: list[Message] | None = None,
) -> Response:
    page = referral_adjust(plan_id, referral_key, session=session)
    rows = slot_rows(page.slots, chosen_day(day), therapist or None, page.deadline)
    context = {
        "page": page,
        "rows": rows,
        "filters": {"day": day or "", "therapist": therapist or ""},
        "action": f"/plans/{plan_id}/referrals/{referral_key}/place",
        "button": "Placér",
        "moving": False,
        "placed": placed,
        "errors": errors,
        **week_context(page.week, session),
    }
    status = 422 if errors else 200
    return render(request, "grid/referral.html", context, fragment="grid/partials/slots.html",
                  status_code=status)  # fmt: skip


@router.post("/plans/{plan_id}/referrals/{referral_key}/place")
def place(
    request: Request,
    plan_id: int,
    referral_key: str,
    account: CoordinatorDep,
    session: SessionDep,
    slot: PickedSlot,
) -> Response:
    """Place a missing session in the slot picked; a slot that breaks a rule is refused."""
    log_referral(request, account, plan_id, referral_key, session)
    try:
        appointment = place_session(plan_id, referral_key, slot, session=session)
    except ChangeRefused as e:
        session.rollback()
        return referral_page(request, plan_id, referral_key, session, None, None, errors=e.messages)
    target = f"/plans/{plan_id}/referrals/{referral_key}?placed={appointment}"
    return RedirectResponse(target, status_code=303)


@router.get("/plans/{plan_id}/appointments/{appointment_key}")
def appointment(
    request: Request,
    plan_id: int,
    appointment_key: str,
    account: CoordinatorDep,
    session: SessionDep,
    day: str | None = None,
    therapist: str | None = None,
    moved: str | None = None,
) -> Response:
    """An appointment: what it is, its lock, and the slots it could move to."""
    page = appointment_page(request, plan_id, appointment_key, session, day, therapist,
                            moved=moved is not None)  # fmt: skip
    log_appointment(request, account, plan_id, appointment_key, session)
    return page


def appointment_page(
    request: Request,
    plan_id: int,
    appointment_key: str,
    session: SessionDep,
    day: str | None,
    therapist: str | None,
    *,
    moved: bool = False,
    errors: list[Message] | None = None,
) -> Response:
    page = appointment_adjust(plan_id, appointment_key, session=session)
    context = {
        "page": page,
        "rows": slot_rows(page.slots, chosen_day(day), therapist or None, page.deadline),
        "filters": {"day": day or "", "therapist": therapist or ""},
        "action": f"/plans/{plan_id}/appointments/{appointment_key}/move",
        "button": "Flyt hertil",
        "moving": True,
        "moved": moved,
        "errors": errors,
        **week_context(page.week, session),
    }
    status = 422 if errors else 200
    return render(request, "grid/appointment.html", context, fragment="grid/partials/slots.html",
                  status_code=status)  # fmt: skip


@router.post("/plans/{plan_id}/appointments/{appointment_key}/move")
def move(
    request: Request,
    plan_id: int,
    appointment_key: str,
    account: CoordinatorDep,
    session: SessionDep,
    slot: PickedSlot,
) -> Response:
    """Move an appointment to the slot picked; a slot that breaks a rule is refused."""
    log_appointment(request, account, plan_id, appointment_key, session)
    try:
        move_appointment(plan_id, appointment_key, slot, session=session)
    except ChangeRefused as e:
        session.rollback()
        return appointment_page(request, plan_id, appointment_key, session, None, None,
                                errors=e.messages)  # fmt: skip
    target = f"/plans/{plan_id}/appointments/{appointment_key}?moved=1"
    return RedirectResponse(target, status_code=303)


@router.post("/plans/{plan_id}/appointments/{appointment_key}/lock")
def toggle_lock(
    request: Request,
    plan_id: int,
    appointment_key: str,
    _: CoordinatorDep,
    session: SessionDep,
    locked: FormText = "",
) -> Response:
    """Lock an appointment (a re-solve keeps it) or unlock it; HTMX gets the lock box back."""
    if locked not in ("0", "1"):
        raise refused(422, "form.locked", field="locked")
    state = set_locked(plan_id, appointment_key, locked == "1", session=session)
    if request.headers.get("hx-request"):
        context = {"plan_id": plan_id, "key": appointment_key, "locked": state, "editable": True}
        return render(request, "grid/partials/lock.html", context)
    return RedirectResponse(f"/plans/{plan_id}/appointments/{appointment_key}", status_code=303)


@router.post("/plans/{plan_id}/copy")
def new_draft(plan_id: int, _: CoordinatorDep, session: SessionDep) -> Response:
    """Lav ny kladde: a read-only plan copied into a new draft to change, locks kept."""
    try:
        draft = copy_as_draft(plan_id, session=session)
    except ChangeRefused:  # the week's data changed so that the old plan breaks rules now
        raise PlanStateError(Message("plan.copy-broken")) from None
    target = f"/weeks/{draft.scenario_id}?plan={draft.id}"
    return RedirectResponse(target, status_code=303)
