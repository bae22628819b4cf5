"""Letters to citizens: one citizen's letter (page, PDF, calendar file) and the batch to print."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from planner.db.models import Plan, Scenario
from planner.outputs.feeds import citizen_uids
from planner.outputs.letters import (
    Letter,
    LetterRun,
    WeeksLetter,
    citizen_letter,
    citizen_weeks_letter,
    letter_calendar,
    letter_css,
    letter_html,
    letter_title,
    letters_pdf,
    plan_letters,
    record_letters,
    weeks_letter_calendar,
    weeks_letter_html,
    weeks_letter_pdf,
)
from planner.outputs.mail import (
    EmailError,
    citizen_emails,
    email_letters,
    set_citizen_email,
    smtp_settings,
)
from web.access import logged
from web.deps import CoordinatorDep, Refused, SessionDep, check_csrf, refused
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

#: Letters hold health data: never kept by a browser or a proxy.
PRIVATE = {"Cache-Control": "no-store"}
#: A letter of the plan's week alone, or of every coming week planned.
WEEKS_CHOICES = ("one", "all")


def download(content: bytes, media_type: str, filename: str, *, inline: bool) -> Response:
    disposition = "inline" if inline else "attachment"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)  # no quote, line break or path in a header
    headers = {**PRIVATE, "Content-Disposition": f'{disposition}; filename="{safe}"'}
    return Response(content, media_type=media_type, headers=headers)


def file_stem(letter: Letter) -> str:
    """A file name without the citizen's name: week and citizen id only."""
    return f"traeningstider-uge-{letter.week_number}-{letter.citizen}"


def found_plan_scenario(plan_id: int, session: SessionDep) -> int:
    """The stored week of a plan that exists (one_letter has checked it)."""
    plan = session.get(Plan, plan_id)
    assert plan is not None
    return plan.scenario_id


def one_letter(plan_id: int, citizen_key: str, session: SessionDep) -> Letter:
    return citizen_letter(plan_id, citizen_key, session=session)


def all_letters(plan_id: int, session: SessionDep) -> LetterRun:
    return plan_letters(plan_id, session=session)


@router.get("/plans/{plan_id}/letters")
def letter_batch(
    request: Request, plan_id: int, account: CoordinatorDep, session: SessionDep
) -> Response:
    """The citizens whose times changed when the plan was published, with their letters."""
    run = all_letters(plan_id, session)
    shown = [letter.citizen for letter in run.changed]
    logged(request, account, "read", shown, session, run.plan.scenario_id)
    context = {
        "run": run,
        "plan": run.plan,
        "scenario": session.get(Scenario, run.plan.scenario_id),
        "email": smtp_settings() is not None,
        "done": request.query_params.get("done"),
    }
    return render(request, "letters/batch.html", context)


@router.post("/plans/{plan_id}/letters/sent")
def letters_sent(
    plan_id: int,
    account: CoordinatorDep,
    session: SessionDep,
    channel: Annotated[str, Form()] = "printed",
) -> Response:
    """Record that every letter of the batch was given (printed or sent as PDF): the next batch
    then lists only citizens whose times differ from these letters."""
    if channel not in ("printed", "pdf"):
        raise refused(422, "letters.channel", field="channel")
    run = all_letters(plan_id, session)
    record_letters(plan_id, [x.citizen for x in run.changed], channel,
                   by=account.username, session=session)  # fmt: skip
    return RedirectResponse(f"/plans/{plan_id}/letters?done={len(run.changed)}", status_code=303)


@router.post("/plans/{plan_id}/letters/email")
def letters_email(plan_id: int, account: CoordinatorDep, session: SessionDep) -> Response:
    """E-mail the batch's letters to the citizens who have an address (and record them)."""
    settings = smtp_settings()
    if settings is None:
        raise refused(409, "letters.no-email")
    run = all_letters(plan_id, session)
    result = email_letters(plan_id, [x.citizen for x in run.changed], by=account.username,
                           session=session, settings=settings)  # fmt: skip
    return RedirectResponse(f"/plans/{plan_id}/letters?done={len(result.sent)}", status_code=303)


@router.post("/plans/{plan_id}/citizens/{citizen_key}/email")
def citizen_email(
    plan_id: int,
    citizen_key: str,
    _: CoordinatorDep,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
) -> Response:
    """The address the citizen's letters may be e-mailed to (blank: none)."""
    run = all_letters(plan_id, session)
    try:  # NotFound: 404 (web/app.py)
        set_citizen_email(run.plan.scenario_id, citizen_key, email, session=session)
    except EmailError as e:
        raise Refused(422, e.message, field="email") from None
    return RedirectResponse(f"/plans/{plan_id}/citizens/{citizen_key}/letter", status_code=303)


@router.get("/plans/{plan_id}/letters.pdf")
def letter_batch_pdf(
    request: Request, plan_id: int, account: CoordinatorDep, session: SessionDep
) -> Response:
    """Every changed citizen's letter in one PDF to print, each on a new page."""
    run = all_letters(plan_id, session)
    shown = [letter.citizen for letter in run.changed]
    logged(request, account, "read", shown, session, run.plan.scenario_id)
    if not run.changed:
        raise refused(404, "letters.none-changed")
    week = run.changed[0].week_number
    pdf = letters_pdf(run.changed, f"Breve til borgere, uge {week}")
    return download(pdf, "application/pdf", f"breve-uge-{week}-plan-{plan_id}.pdf", inline=True)


def chosen_weeks(weeks: str) -> bool:
    """True for `?weeks=all` (every planned coming week), False for the plan's week alone."""
    if weeks not in WEEKS_CHOICES:
        raise refused(422, "form.one-of", field="weeks", allowed=list(WEEKS_CHOICES))
    return weeks == "all"


def weeks_letter(plan_id: int, citizen_key: str, session: SessionDep) -> WeeksLetter:
    return citizen_weeks_letter(plan_id, citizen_key, session=session)


@router.get("/plans/{plan_id}/citizens/{citizen_key}/letter")
def letter_page(
    request: Request,
    plan_id: int,
    citizen_key: str,
    account: CoordinatorDep,
    session: SessionDep,
    weeks: str = "one",
) -> Response:
    """A citizen's letter on screen, ready to print from the browser: of the plan's week, or
    (`weeks=all`) of every coming week planned."""
    every = chosen_weeks(weeks)
    letter = one_letter(plan_id, citizen_key, session)
    logged(request, account, "read", [citizen_key], session, found_plan_scenario(plan_id, session))
    body = weeks_letter_html(weeks_letter(plan_id, citizen_key, session)) if every else None
    context = {
        "letter": letter,
        "plan_id": plan_id,
        "weeks": "all" if every else "one",
        # escaped when planner rendered it
        "body": Markup(body if body is not None else letter_html(letter)),
        "css": Markup(letter_css()),  # our own stylesheet, not user data
        "email": citizen_emails(found_plan_scenario(plan_id, session), session=session).get(
            citizen_key
        ),
    }
    return render(request, "letters/letter.html", context)


@router.get("/plans/{plan_id}/citizens/{citizen_key}/letter.pdf")
def letter_pdf(
    request: Request,
    plan_id: int,
    citizen_key: str,
    account: CoordinatorDep,
    session: SessionDep,
    weeks: str = "one",
) -> Response:
    every = chosen_weeks(weeks)
    letter = one_letter(plan_id, citizen_key, session)
    logged(request, account, "read", [citizen_key], session, found_plan_scenario(plan_id, session))
    if every:
        pdf = weeks_letter_pdf(weeks_letter(plan_id, citizen_key, session))
        name = f"traeningstider-alle-uger-fra-{letter.week_number}-{letter.citizen}.pdf"
        return download(pdf, "application/pdf", name, inline=True)
    pdf = letters_pdf([letter], letter_title(letter))
    return download(pdf, "application/pdf", f"{file_stem(letter)}.pdf", inline=True)


@router.get("/plans/{plan_id}/citizens/{citizen_key}/letter.ics")
def letter_ics(
    request: Request,
    plan_id: int,
    citizen_key: str,
    account: CoordinatorDep,
    session: SessionDep,
    weeks: str = "one",
) -> Response:
    """The letter's times as a calendar file the citizen can add to a calendar (`weeks=all`:
    every coming week planned)."""
    every = chosen_weeks(weeks)
    letter = one_letter(plan_id, citizen_key, session)
    logged(request, account, "read", [citizen_key], session, found_plan_scenario(plan_id, session))
    if every:
        several = weeks_letter(plan_id, citizen_key, session)
        uids: dict[tuple[date, int], str] = {}
        for w in several.weeks:
            uids |= citizen_uids(citizen_key, w.week, w.scenario_id, session=session)
        name = f"traeningstider-alle-uger-fra-{letter.week_number}-{letter.citizen}.ics"
        return download(
            weeks_letter_calendar(several, uids), "text/calendar; charset=utf-8", name,
            inline=False,
        )  # fmt: skip
    uids = citizen_uids(
        citizen_key, letter.week, found_plan_scenario(plan_id, session), session=session
    )
    calendar = letter_calendar(letter, uids)
    return download(
        calendar, "text/calendar; charset=utf-8", f"{file_stem(letter)}.ics", inline=False
    )
