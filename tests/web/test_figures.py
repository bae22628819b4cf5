"""The waiting list and figures pages, and the figures' CSV, on a simulated run (SQLite and
PostgreSQL)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.tools.simulate import simulate
from planner.views.figures import figures_csv, table_rows, week_figures
from planner.views.waiting import waiting_courses
from tests.databases import Fill
from tests.web.conftest import Web, with_accounts


def simulated(engine: Engine) -> None:
    """The accounts and two simulated weeks (made once per test process, see `database_fill`)."""
    with_accounts(engine)
    with Session(engine) as session:
        simulate(session=session, weeks=2, scale="XS", seed=3, start="2027-W02", time_limit=0,
                 echo=lambda _line: None)  # fmt: skip


@pytest.fixture
def database_fill() -> Fill:
    return simulated


def test_figures_page_csv_and_centres_show_the_weeks_figures(
    coordinator: Web, engine: Engine
) -> None:
    page = coordinator.get("/figures")

    with Session(engine) as session:
        expected = table_rows(week_figures(session=session))
    assert page.status_code == 200
    assert "<h1>Nøgletal</h1>" in page.text
    assert page.text.count('<svg role="img"') == 11
    assert page.text.count("<desc id=") == 11
    table = page.text[page.text.index('id="figures-table"') :]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>', table)
    assert [[week, *re.findall(r"<td>([^<]*)</td>", cells)] for week, cells in rows] == expected
    assert [r[0] for r in expected] == ["2027-W02", "2027-W03"]

    # The CSV download has the page's numbers.
    response = coordinator.get("/figures.csv?centre=")

    with Session(engine) as session:
        expected = figures_csv(week_figures(session=session))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="noegletal-alle.csv"' in response.headers["content-disposition"]
    assert response.text == expected
    assert len(list(csv.reader(io.StringIO(response.text), delimiter=";"))) == 3

    # One centre's figures; an unknown centre is a 404.
    with Session(engine) as session:
        from planner.db.models import RegisterCentre
        from planner.register.store import by_key

        [centre] = list(by_key(session, RegisterCentre))
        expected = table_rows(week_figures(session=session, centre=centre))
    page = coordinator.get(f"/figures?centre={centre}")

    assert page.status_code == 200
    assert f'<option value="{centre}" selected>' in page.text
    assert expected[0][0] in page.text
    assert coordinator.get("/figures?centre=ingen").status_code == 404
    assert coordinator.get("/figures.csv?centre=ingen").status_code == 404


def test_waiting_page_lists_the_waiting_courses_in_order(coordinator: Web, engine: Engine) -> None:
    page = coordinator.get("/waiting")

    from datetime import date

    with Session(engine) as session:
        rows = waiting_courses(session=session, today=date.today())
    assert page.status_code == 200
    assert "<h1>Venteliste</h1>" in page.text
    listed = re.findall(r"<tr(?: class=\"at-risk\")?>\s*<td>(\d+)</td>", page.text)
    assert [int(n) for n in listed] == [r.position for r in rows]
    assert page.text.count("I fare: efter fristen") == sum(r.at_risk for r in rows)


def test_waiting_and_figures_pages_are_for_coordinators(therapist: Web) -> None:
    for path in ("/waiting", "/figures", "/figures.csv"):
        response = therapist.get(path, follow_redirects=False)
        assert (path, response.status_code) == (path, 403)
