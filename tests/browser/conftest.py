"""Browser tests: the real app served by `planner serve` in its own process, driven by Playwright
in Debian's headless Chromium (`/usr/bin/chromium`; `.ci/run` installs it).

Skipped, with the reason, where Chromium or Playwright's driver is missing; CI always has both.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from planner.db.engine import engine_from_url, migrate
from planner.db.store import import_scenario, load_problem, save_plan
from planner.security.accounts import create_account
from planner.tools.demo import give_centres_phone
from solver.solve import solve
from tests.services import unavailable

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
NORDDJURS = ROOT / "fixtures" / "norddjurs.json"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
#: Where the flow test leaves its screenshots: a temporary folder unless PLANNER_SCREENSHOTS names
#: one (set it to docs/screenshots to renew the README's pictures on purpose). Tests never write
#: into tracked files of the checkout by themselves.
SCREENSHOTS_ENV = "PLANNER_SCREENSHOTS"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """The folder for this test's screenshots."""
    chosen = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(chosen) if chosen else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


PASSWORD = "browser-test-kode"
#: WCAG 2.1 level A and AA, as axe-core tags them.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if process.poll() is not None:
            raise RuntimeError(f"planner serve stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"planner serve did not answer at {url} within {seconds} s")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a fresh SQLite database holding the Norddjurs week with a first-fit draft
    (version 1), a coordinator `koord` and a therapist `anders` (t001); the base URL."""
    folder = tmp_path_factory.mktemp("server")
    engine = engine_from_url(folder / "planner.db")
    migrate(engine)
    with Session(engine) as session:
        week = import_scenario(json.loads(NORDDJURS.read_text(encoding="utf-8")), session=session)
        give_centres_phone(week, session=session)
        save_plan(week, solve(load_problem(week, session=session), optimise=False), session=session)
        create_account("koord", PASSWORD, session=session, name="Karen Koordinator")
        create_account(
            "anders", PASSWORD, session=session, name="Anders Krogh", role="therapist",
            therapist="t001",
        )  # fmt: skip
    engine.dispose()
    port = free_port()
    env = {**os.environ, "PLANNER_SECRET_KEY": "browser-tests", "DATABASE_URL": ""}
    command = [sys.executable, "-m", "web.cli", "serve", "--db", str(folder / "planner.db"),
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, cwd=folder, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh browser tab (own cookies) on a laptop-sized window, Danish locale."""
    # bypass_csp: the app's Content-Security-Policy allows only its own script files, and
    # Playwright injects axe-core as an inline script (the app itself keeps the policy).
    context = browser.new_context(
        base_url=server, viewport={"width": 1366, "height": 900}, locale="da-DK", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: Any, username: str = "koord") -> None:
    """Sign in with the keyboard, as a coordinator would."""
    page.goto("/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def axe_violations(page: Any) -> list[str]:
    """WCAG 2.1 AA violations axe-core finds on the page as it is now, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
