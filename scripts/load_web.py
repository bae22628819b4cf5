"""Load script: how fast the coordinators' pages render on the Norddjurs week.

Serves the app with `planner serve` (its own process, real HTTP, SQLite) on a fresh database
holding the Norddjurs week and a plan, signs in, and times each page many times in a row, then
with several clients at once. Prints median, p95 and max in milliseconds.

    .venv/bin/python scripts/load_web.py [--requests 100] [--clients 4]

Target (issue "web app"): overview and centre grid under 200 ms median each. The target is
measured here, never by a timed unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlmodel import Session

from planner.db.engine import engine_from_url, migrate
from planner.db.store import import_scenario, load_problem, save_plan
from planner.security.accounts import create_account
from solver.solve import solve

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "load-test-kode"


def prepared_database(path: Path, seconds: float) -> tuple[int, int]:
    """The Norddjurs week with a plan (solved for `seconds`) and a coordinator; (week, plan)."""
    engine = engine_from_url(path)
    migrate(engine)
    doc = json.loads((ROOT / "fixtures" / "norddjurs.json").read_text(encoding="utf-8"))
    with Session(engine) as session:
        week = import_scenario(doc, session=session)
        plan = save_plan(week, solve(load_problem(week, session=session), seconds), session=session)
        create_account("koord", PASSWORD, session=session)
    engine.dispose()
    return week, plan


def serve(path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PLANNER_SECRET_KEY": "load-test"}
    command = [sys.executable, "-m", "web.cli", "serve", "--db", str(path), "--port", str(port)]
    process = subprocess.Popen(command, cwd=path.parent, env=env)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("planner serve did not start")


def signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"username": "koord", "password": PASSWORD, "csrf_token": token}
    client.post("/login", data=data)
    return client


def timed(client: httpx.Client, url: str) -> float:
    began = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed


def figures(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered):7.1f}  p95 {p95:7.1f}  max {ordered[-1]:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
    parser.add_argument("--clients", type=int, default=4, help="clients at once, second round")
    parser.add_argument("--solve-seconds", type=float, default=10.0, help="time to plan the week")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "load.db"
        week, plan = prepared_database(path, args.solve_seconds)
        process = serve(path, args.port)
        try:
            run(f"http://127.0.0.1:{args.port}", week, plan, args.requests, args.clients)
        finally:
            process.terminate()
            process.wait(10)


def run(base: str, week: int, plan: int, requests: int, clients: int) -> None:
    pages = {
        "overview": f"/weeks/{week}?plan={plan}",
        "centre grid (Posthaven)": f"/plans/{plan}/centres/posthaven",
        "centre grid (Auning)": f"/plans/{plan}/centres/auning",
    }
    client = signed_in(base)
    print(f"{requests} requests per page, one client, then {clients} clients at once (ms):")
    for name, url in pages.items():
        for _ in range(5):  # warm up: templates compiled, connections open
            timed(client, url)
        alone = [timed(client, url) for _ in range(requests)]
        many = [signed_in(base) for _ in range(clients)]
        jobs = [(many[i % clients], url) for i in range(requests)]
        with ThreadPoolExecutor(clients) as pool:
            together = list(pool.map(lambda job: timed(*job), jobs))
        print(f"  {name:26s} alone  {figures(alone)}")
        print(f"  {'':26s} {clients} at once {figures(together)}")


if __name__ == "__main__":
    main()
