"""Figures over time ("Nøgletal"): charts, the same numbers as a table, and a CSV download."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from planner.db.models import RegisterCentre
from planner.errors import NotFound
from planner.register.store import by_key
from planner.views.figures import (
    ALL,
    COLUMNS,
    charts,
    figures_csv,
    table_rows,
    week_figures,
)
from web.deps import CoordinatorDep, SessionDep, check_csrf
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def chosen_centre(session: SessionDep, centre: str | None) -> tuple[str, dict[str, str]]:
    centres = {k: row.doc.get("name", k) for k, row in by_key(session, RegisterCentre).items()}
    if centre and centre not in centres:
        raise NotFound("centre", centre)
    return centre or ALL, centres


@router.get("/figures")
def figures(
    request: Request, _: CoordinatorDep, session: SessionDep, centre: str | None = None
) -> Response:
    key, centres = chosen_centre(session, centre)
    rows = week_figures(session=session, centre=key)
    context = {"rows": rows, "charts": charts(rows), "table": table_rows(rows),
               "columns": COLUMNS, "centre": key, "centres": centres}  # fmt: skip
    return render(request, "figures.html", context)


@router.get("/figures.csv")
def figures_download(_: CoordinatorDep, session: SessionDep, centre: str | None = None) -> Response:
    key, _centres = chosen_centre(session, centre)
    name = f"noegletal-{key or 'alle'}.csv"
    return Response(
        figures_csv(week_figures(session=session, centre=key)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
