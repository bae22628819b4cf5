"""The week's data: lists and forms for therapists, rooms, team classes, citizens, referrals and
centres (`/weeks/{id}/therapists`, `.../therapists/new`, `.../therapists/{key}/edit`, ...).

Every kind gets its own routes (not one `/weeks/{id}/{kind}` route), so the paths of other parts
of the week (`/weeks/{id}/plans`, ...) are never caught here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from planner.db.models import Scenario, UserAccount
from planner.text.messages import Message
from planner.week.edit import (
    DAY_NAMES,
    DELETABLE,
    GENERAL,
    KIND_NAMES,
    KINDS,
    LABELS,
    MODES,
    PROFESSIONS,
    ROOM_KINDS,
    WEEKDAYS,
    WORKDAYS,
    Choices,
    EditError,
    changed_citizens,
    delete_entity,
    entity_form,
    form_citizens,
    labelled,
    list_entities,
    listed_citizens,
    save_entity,
    week_choices,
)
from web.access import logged
from web.deps import CSRF_FIELD, CoordinatorDep, SessionDep, check_csrf, found
from web.i18n import message_language, translator
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

#: What the pages call each kind, in the order of the data menu.
TITLES = {
    "therapists": "Terapeuter",
    "rooms": "Lokaler",
    "classes": "Træningshold",
    "citizens": "Borgere",
    "referrals": "Henvisninger",
    "centres": "Centre",
}

NEW_TITLES = {
    "therapists": "Ny terapeut",
    "rooms": "Nyt lokale",
    "classes": "Nyt hold",
    "citizens": "Ny borger",
    "referrals": "Ny henvisning",
    "centres": "Nyt center",
}


async def posted(request: Request) -> dict[str, list[str]]:
    """The posted form, every field with all its values (ticked checkboxes give several)."""
    form = await request.form()
    return {k: [str(v) for v in form.getlist(k)] for k in form if k != CSRF_FIELD}


def page_context(scenario: Scenario, kind: str) -> dict[str, Any]:
    """What every data page shows: the week, the kind and the words for its fields."""
    return {
        "scenario": scenario,
        "kind": kind,
        "kinds": TITLES,
        "title": TITLES[kind],
        "labels": LABELS[kind],
        "deletable": kind in DELETABLE,
        "professions": PROFESSIONS,
        "modes": MODES,
        "room_kinds": ROOM_KINDS,
        "weekdays": WEEKDAYS,
        "workdays": WORKDAYS,
        "day_names": {d: n.capitalize() for d, n in DAY_NAMES.items()},
    }


def form_page(
    request: Request,
    scenario: Scenario,
    kind: str,
    key: str | None,
    values: dict[str, list[str]],
    *,
    session: Session,
    choices: Choices | None = None,
    errors: dict[str, list[Message]] | None = None,
    status_code: int = 200,
) -> Response:
    """The form for a new entity (no key) or for changing one, with any errors beside fields."""
    choices = choices or week_choices(scenario.id or 0, session=session)
    shown = error_texts(request, kind, errors or {})
    context = {
        **page_context(scenario, kind),
        "key": key,
        "values": values,
        "errors": shown,
        "general": shown.get(GENERAL, []),
        "choices": choices,
        "room_kind_options": [(k, ROOM_KINDS.get(k, k)) for k in choices.room_kinds],
        "new_title": NEW_TITLES[kind],
        "singular": KIND_NAMES[kind],
    }
    return render(request, "data/form.html", context, status_code=status_code)


def error_texts(
    request: Request, kind: str, errors: dict[str, list[Message]]
) -> dict[str, list[str]]:
    """Each field's messages in the reader's language, after the field's label."""
    lang = message_language(request)
    labels = {name: translator(lang)(label) for name, label in LABELS[kind].items()}
    return {n: [labelled(n, m, lang, labels) for m in ms] for n, ms in errors.items()}


def add_routes(kind: str) -> None:
    """The list, new, edit (and for some kinds delete) routes of one kind of data."""
    base = f"/weeks/{{scenario_id}}/{kind}"

    @router.get(base, name=f"{kind}_list")
    def listing(
        request: Request,
        scenario_id: int,
        account: CoordinatorDep,
        session: SessionDep,
        q: str = "",
        page: int = 1,
        saved: str | None = None,
        deleted: str | None = None,
    ) -> Response:
        """The week's entities of this kind, searchable, a page at a time."""
        scenario = found(session, Scenario, scenario_id)
        listing = list_entities(scenario_id, kind, q=q, page=page, session=session)
        shown = listed_citizens(kind, listing.rows)
        logged(request, account, "read", shown, session, scenario_id)
        context = {
            **page_context(scenario, kind),
            "listing": listing,
            "q": q,
            "saved": saved,
            "deleted": deleted,
        }
        return render(request, "data/list.html", context, fragment="data/results.html")

    @router.get(f"{base}/new", name=f"{kind}_new")
    def new_form(
        request: Request, scenario_id: int, account: CoordinatorDep, session: SessionDep
    ) -> Response:
        scenario = found(session, Scenario, scenario_id)
        form = entity_form(scenario_id, kind, session=session)
        shown = form_citizens(kind, None, form.choices)
        logged(request, account, "read", shown, session, scenario_id)
        return form_page(
            request, scenario, kind, None, form.values, session=session, choices=form.choices
        )

    @router.post(f"{base}/new", name=f"{kind}_add")
    async def add(
        request: Request, scenario_id: int, account: CoordinatorDep, session: SessionDep
    ) -> Response:
        values = await posted(request)
        return await run_in_threadpool(save, request, scenario_id, kind, None, values, account,
                                       session)  # fmt: skip

    @router.get(f"{base}/{{key}}/edit", name=f"{kind}_edit")
    def edit_form(
        request: Request, scenario_id: int, key: str, account: CoordinatorDep, session: SessionDep
    ) -> Response:
        scenario = found(session, Scenario, scenario_id)
        form = entity_form(scenario_id, kind, key, session=session)
        shown = form_citizens(kind, key, form.choices)
        logged(request, account, "read", shown, session, scenario_id)
        return form_page(
            request, scenario, kind, key, form.values, session=session, choices=form.choices
        )

    @router.post(f"{base}/{{key}}/edit", name=f"{kind}_change")
    async def change(
        request: Request, scenario_id: int, key: str, account: CoordinatorDep, session: SessionDep
    ) -> Response:
        values = await posted(request)
        return await run_in_threadpool(save, request, scenario_id, kind, key, values, account,
                                       session)  # fmt: skip

    if kind in DELETABLE:

        @router.post(f"{base}/{{key}}/delete", name=f"{kind}_delete")
        def delete(
            request: Request, scenario_id: int, key: str, _: CoordinatorDep, session: SessionDep
        ) -> Response:
            """Delete it, or show its form with what still uses it (status 409)."""
            scenario = found(session, Scenario, scenario_id)
            try:
                delete_entity(scenario_id, kind, key, session=session)
            except EditError as e:
                form = entity_form(scenario_id, kind, key, session=session)
                return form_page(
                    request, scenario, kind, key, form.values, session=session,
                    choices=form.choices, errors=e.errors, status_code=409,
                )  # fmt: skip
            return RedirectResponse(f"/weeks/{scenario_id}/{kind}?deleted={key}", status_code=303)


def save(
    request: Request,
    scenario_id: int,
    kind: str,
    key: str | None,
    values: dict[str, list[str]],
    account: UserAccount,
    session: Session,
) -> Response:
    """Store the posted form; on any error show it again with the messages (status 422).

    Run in a worker thread (`run_in_threadpool`): checking the whole week and storing it takes
    long for a big week, and the event loop must go on serving every other page meanwhile."""
    scenario = found(session, Scenario, scenario_id)
    logged(request, account, "change", changed_citizens(kind, key, values), session, scenario_id)
    try:
        saved = save_entity(scenario_id, kind, values, key=key, session=session)
    except EditError as e:
        return form_page(request, scenario, kind, key, values, session=session,
                         errors=e.errors, status_code=422)  # fmt: skip
    return RedirectResponse(f"/weeks/{scenario_id}/{kind}?saved={saved}", status_code=303)


for _kind in KINDS:
    add_routes(_kind)
