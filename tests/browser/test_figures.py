"""Figures over time and the waiting list in a real browser: the figures page's table reads the
same as its charts' text, and axe-core finds nothing on either page (WCAG 2.1 AA)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session

from planner.db.engine import engine_from_url, migrate
from planner.security.accounts import create_account
from planner.tools.simulate import simulate
from planner.views.figures import table_rows, week_figures
from tests.browser.conftest import PASSWORD, axe_violations, free_port, sign_in, wait_until_up


@pytest.fixture(scope="module")
def simulated_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list]]:
    """The app on a database holding two simulated weeks (planned, published, attendance); the
    base URL and the figures table as planner computes it."""
    folder = tmp_path_factory.mktemp("simulated")
    engine = engine_from_url(folder / "planner.db")
    migrate(engine)
    with Session(engine) as session:
        simulate(session=session, weeks=2, scale="XS", seed=3, start="2027-W02", time_limit=0,
                 echo=lambda _line: None)  # fmt: skip
        expected = table_rows(week_figures(session=session))
        create_account("koord", PASSWORD, session=session, name="Karen Koordinator")
    engine.dispose()
    port = free_port()
    env = {**os.environ, "PLANNER_SECRET_KEY": "browser-tests", "DATABASE_URL": ""}
    command = [sys.executable, "-m", "web.cli", "serve", "--db", str(folder / "planner.db"),
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, cwd=folder, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, seconds=120)  # the shared machine may be busy
        yield url, expected
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def tab(browser: Any, simulated_server: tuple[str, list]) -> Iterator[Any]:
    # bypass_csp: axe-core is injected into pages whose CSP allows only their own scripts.
    context = browser.new_context(
        base_url=simulated_server[0], viewport={"width": 1366, "height": 900}, locale="da-DK",
        bypass_csp=True,
    )  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_figures_page_table_reads_the_weeks_figures(
    tab: Any, simulated_server: tuple[str, list]
) -> None:
    sign_in(tab)
    tab.get_by_role("link", name="Nøgletal").click()
    tab.wait_for_url("**/figures")

    table = tab.get_by_role("table", name="Nøgletal pr. uge")
    rows = table.locator("tbody tr")
    read = [
        [rows.nth(i).locator("th, td").nth(j).inner_text() for j in range(12)]
        for i in range(rows.count())
    ]
    assert read == simulated_server[1]
    charts = tab.get_by_role("img")
    assert charts.count() == 11
    assert tab.get_by_role("img", name="Planlagte sessioner").count() == 1


def test_figures_page_meets_wcag_21_aa(tab: Any) -> None:
    sign_in(tab)
    tab.goto("/figures")
    assert axe_violations(tab) == []


def test_waiting_page_meets_wcag_21_aa(tab: Any) -> None:
    sign_in(tab)
    tab.goto("/waiting")
    assert tab.get_by_role("heading", name="Venteliste").count() == 1
    assert axe_violations(tab) == []
