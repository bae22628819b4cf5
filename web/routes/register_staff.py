"""Pages of the register's therapists and team classes: absences, employment and standing hours
(`/register/therapists/{key}`), a class's first and last date (`/register/classes/{key}`).

The pages show no citizen data, so they are not access-logged.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from planner.db.models import ABSENCE_KINDS, RegisterClass
from planner.register.staff import (
    KIND_WORDS,
    LABELS,
    Followed,
    add_absence_form,
    class_form,
    delete_absence,
    employment_form,
    followed_messages,
    save_class_dates,
    save_employment,
    team_class,
    therapist,
    therapist_rows,
    weekly_minutes,
)
from planner.register.store import absences, by_key
from planner.text.messages import Message
from planner.week.edit import DAY_NAMES, GENERAL, WEEKDAYS, WORKDAYS, EditError, labelled
from web.deps import CoordinatorDep, SessionDep, check_csrf
from web.i18n import message_language, translator
from web.routes.data import posted
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

WEEK = re.compile(r"\d{4}-W\d{2}")


def error_texts(request: Request, errors: dict[str, list[Message]]) -> dict[str, list[str]]:
    """Each field's messages in the reader's language, after the field's label."""
    lang = message_language(request)
    labels = {name: translator(lang)(label) for name, label in LABELS.items()}
    return {n: [labelled(n, m, lang, labels) for m in ms] for n, ms in errors.items()}


def followed_query(result: Followed) -> str:
    """What a change did to the weeks already made, for the page it redirects to."""
    parts = [f"changed={','.join(result.changed)}", f"published={','.join(result.published)}"]
    parts += [f"again={','.join(result.again)}", f"stale={len(result.stale)}"]
    return "saved=1&" + "&".join(parts)


def followed_from(request: Request) -> Followed | None:
    """The redirect's note read back; only ISO weeks and a count are taken from it."""
    query = request.query_params
    if query.get("saved") != "1":
        return None

    def weeks(name: str) -> list[str]:
        return [w for w in query.get(name, "").split(",") if WEEK.fullmatch(w)]

    stale = query.get("stale", "0")
    count = int(stale) if stale.isdigit() and len(stale) < 6 else 0
    return Followed(weeks("changed"), list(range(count)), weeks("published"), weeks("again"))


def notes(request: Request) -> list[Message] | None:
    result = followed_from(request)
    return None if result is None else followed_messages(result)


# --- therapists -------------------------------------------------------------------------------


@router.get("/register/therapists")
def therapists_page(request: Request, _: CoordinatorDep, session: SessionDep) -> Response:
    """The register's therapists: hours a week, first and last working day, coming absences."""
    context = {
        "therapists": therapist_rows(session=session, today=date.today()),
        "kind_words": KIND_WORDS,
    }
    return render(request, "register/therapists.html", context)


def therapist_page(
    request: Request,
    key: str,
    session: Session,
    *,
    employment: dict[str, list[str]] | None = None,
    absence: dict[str, list[str]] | None = None,
    errors: dict[str, list[Message]] | None = None,
    form: str = "",
    status_code: int = 200,
) -> Response:
    """One therapist's employment form, absences and the form to add one; `form` names the
    form whose `errors` are shown."""
    row = therapist(key, session=session)
    shown = error_texts(request, errors or {})
    context: dict[str, Any] = {
        "therapist": row,
        "minutes": weekly_minutes(row.doc),
        "absences": absences(session, key),
        "kinds": ABSENCE_KINDS,
        "kind_words": KIND_WORDS,
        "labels": LABELS,
        "weekdays": WEEKDAYS,
        "day_names": {d: n.capitalize() for d, n in DAY_NAMES.items()},
        "workdays": WORKDAYS,
        # The two forms' fields have different names, so the field macros read one `values`.
        "values": {**(employment or employment_form(row)), **(absence or {"kind": ["ferie"]})},
        "errors": shown,
        "general": shown.get(GENERAL, []),
        "form": form,
        "notes": notes(request),
    }
    return render(request, "register/therapist.html", context, status_code=status_code)


@router.get("/register/therapists/{key}")
def show_therapist(request: Request, key: str, _: CoordinatorDep, session: SessionDep) -> Response:
    return therapist_page(request, key, session)


@router.post("/register/therapists/{key}/absences")
async def add_absence(
    request: Request, key: str, _: CoordinatorDep, session: SessionDep
) -> Response:
    """Add an absence; on an error the page again with the messages by their fields (422)."""
    return await run_in_threadpool(absence_added, request, key, await posted(request), session)


def absence_added(
    request: Request, key: str, values: dict[str, list[str]], session: Session
) -> Response:
    """In a worker thread, as every save of the register: it re-checks the coming drafts."""
    try:
        result = add_absence_form(key, values, session=session, today=date.today())
    except EditError as e:
        return therapist_page(request, key, session, absence=values, errors=e.errors,
                              form="absence", status_code=422)  # fmt: skip
    target = f"/register/therapists/{key}?{followed_query(result)}#absences-h"
    return RedirectResponse(target, status_code=303)


@router.post("/register/therapists/{key}/absences/{absence_id}/delete")
def remove_absence(
    request: Request, key: str, absence_id: int, _: CoordinatorDep, session: SessionDep
) -> Response:
    result = delete_absence(key, absence_id, session=session, today=date.today())
    target = f"/register/therapists/{key}?{followed_query(result)}#absences-h"
    return RedirectResponse(target, status_code=303)


@router.post("/register/therapists/{key}/employment")
async def change_employment(
    request: Request, key: str, _: CoordinatorDep, session: SessionDep
) -> Response:
    """First and last working day and standing hours; on an error the form again (422)."""
    return await run_in_threadpool(employment_saved, request, key, await posted(request), session)


def employment_saved(
    request: Request, key: str, values: dict[str, list[str]], session: Session
) -> Response:
    try:
        result = save_employment(key, values, session=session, today=date.today())
    except EditError as e:
        return therapist_page(request, key, session, employment=values, errors=e.errors,
                              form="employment", status_code=422)  # fmt: skip
    target = f"/register/therapists/{key}?{followed_query(result)}"
    return RedirectResponse(target, status_code=303)


# --- team classes -----------------------------------------------------------------------------


@router.get("/register/classes")
def classes_page(request: Request, _: CoordinatorDep, session: SessionDep) -> Response:
    """The register's team classes with their first and last date."""
    context = {"classes": list(by_key(session, RegisterClass).values())}
    return render(request, "register/classes.html", context)


def class_page(
    request: Request,
    key: str,
    session: Session,
    *,
    values: dict[str, list[str]] | None = None,
    errors: dict[str, list[Message]] | None = None,
    status_code: int = 200,
) -> Response:
    row = team_class(key, session=session)
    shown = error_texts(request, errors or {})
    context = {
        "team": row,
        "labels": LABELS,
        "values": values or class_form(row),
        "errors": shown,
        "general": shown.get(GENERAL, []),
        "notes": notes(request),
    }
    return render(request, "register/class.html", context, status_code=status_code)


@router.get("/register/classes/{key}")
def show_class(request: Request, key: str, _: CoordinatorDep, session: SessionDep) -> Response:
    return class_page(request, key, session)


@router.post("/register/classes/{key}")
async def change_class(
    request: Request, key: str, _: CoordinatorDep, session: SessionDep
) -> Response:
    """A class's first and last date; on an error the form again with the messages (422)."""
    return await run_in_threadpool(class_saved, request, key, await posted(request), session)


def class_saved(
    request: Request, key: str, values: dict[str, list[str]], session: Session
) -> Response:
    try:
        result = save_class_dates(key, values, session=session, today=date.today())
    except EditError as e:
        return class_page(request, key, session, values=values, errors=e.errors, status_code=422)
    return RedirectResponse(f"/register/classes/{key}?{followed_query(result)}", status_code=303)
