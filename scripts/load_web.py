"""Load script: how fast the coordinators' pages render on the Norddjurs week.

Serves the app with `planner serve` (its own process, real HTTP, SQLite) on a fresh database
holding the Norddjurs week and a plan, signs in, and times each page many times in a row, then
with several clients at once. Prints median, p95 and max in milliseconds.

    .venv/bin/python scripts/load_web.py [--requests 100] [--clients 4]
    .venv/bin/python scripts/load_web.py --mixed 60 --clients 8

Target (issue "web app"): overview and centre grid under 200 ms median each. The target is
measured here, never by a timed unit test.

`--mixed S` (issue 13): the clients at once for S seconds, reading pages and the API and, one
request in five, changing the draft (moving an appointment through the API by a quarter of an
hour, locking or unlocking one through the page). Any 5xx, transport error or answer other than
the expected ones is an error; a refused change (409, the plan changed or a rule breaks) is not.
At the end the stored plan is checked by the validator. Prints median and p95 per kind.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
from planner.db.store import export_plan, import_scenario, load_problem, save_plan
from planner.formats.validate import check_plan_document
from planner.security.accounts import create_account
from planner.security.tokens import create_api_token
from solver.solve import solve

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "load-test-kode"


def prepared_database(path: Path, seconds: float) -> tuple[int, int, str]:
    """The Norddjurs week with a plan (solved for `seconds`) and a coordinator with an API
    token; (week, plan, token)."""
    engine = engine_from_url(path)
    migrate(engine)
    doc = json.loads((ROOT / "fixtures" / "norddjurs.json").read_text(encoding="utf-8"))
    with Session(engine) as session:
        week = import_scenario(doc, session=session)
        plan = save_plan(week, solve(load_problem(week, session=session), seconds), session=session)
        account = create_account("koord", PASSWORD, session=session)
        _, token = create_api_token(account, "load", session=session)
    engine.dispose()
    return week, plan, token


def stored_violations(path: Path, plan: int) -> list[str]:
    engine = engine_from_url(path)
    with Session(engine) as session:
        problem = load_problem(week_of(session, plan), session=session)
        doc = export_plan(plan, session=session)
    engine.dispose()
    return [f"{v.rule}: {v.text()}" for v in check_plan_document(problem, doc)]


def week_of(session: Session, plan: int) -> int:
    from planner.db.models import Plan

    row = session.get(Plan, plan)
    assert row is not None
    return row.scenario_id


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
    parser.add_argument("--mixed", type=float, default=0, help="seconds of reads and changes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "load.db"
        week, plan, token = prepared_database(path, args.solve_seconds)
        process = serve(path, args.port)
        base = f"http://127.0.0.1:{args.port}"
        try:
            if args.mixed:
                errors = mixed(base, week, plan, token, args.clients, args.mixed)
            else:
                run(base, week, plan, args.requests, args.clients)
        finally:
            process.terminate()
            process.wait(10)
        if args.mixed:
            broken = stored_violations(path, plan)
            print(f"stored plan: {len(broken)} violations {broken[:3]}")
            if errors or broken:
                raise SystemExit(1)


def mixed(base: str, week: int, plan: int, token: str, clients: int, seconds: float) -> int:
    """The clients at once for `seconds`, reads and changes mixed; returns the error count."""
    api = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=api, timeout=30) as c:
        movable = [a for a in c.get(f"/api/plans/{plan}").json()["appointments"]
                   if a["kind"] == "individual"]  # fmt: skip
    reads = [f"/weeks/{week}?plan={plan}", f"/plans/{plan}/centres/auning",
             f"/plans/{plan}/centres/posthaven", f"/plans/{plan}/therapists/t004"]  # fmt: skip
    # Every client signs in (an argon2 check each) before the clock starts: the S seconds are
    # the mixed load only, however slowly a loaded machine signs in.
    pages = [signed_in(base) for _ in range(clients)]
    tokens = [csrf_of(p.get(f"/weeks/{week}").text) for p in pages]
    until = time.monotonic() + seconds
    times: dict[str, list[float]] = {"page": [], "api read": [], "move": [], "lock": []}
    outcomes: dict[str, int] = {}
    errors: list[str] = []

    def client_loop(n: int) -> None:
        rng = random.Random(n)
        page, page_token = pages[n], tokens[n]
        api_client = httpx.Client(base_url=base, headers=api, timeout=60)
        while time.monotonic() < until:
            roll = rng.random()
            a = rng.choice(movable)
            began = time.perf_counter()
            try:
                if roll < 0.55:
                    kind, r = "page", page.get(rng.choice(reads))
                    expected = {200}
                elif roll < 0.8:
                    kind, r = "api read", api_client.get(f"/api/weeks/{week}/plans")
                    expected = {200}
                elif roll < 0.92:
                    later = shifted(a["start"], rng.choice((-15, 15, 30)))
                    body = {"start": later, "therapist": a["therapist"], "room": a["room"]}
                    kind = "move"
                    r = api_client.post(f"/api/plans/{plan}/appointments/{a['id']}/move", json=body)
                    expected = {200, 409}
                else:
                    kind = "lock"
                    form = {"csrf_token": page_token, "locked": rng.choice("01")}
                    r = page.post(f"/plans/{plan}/appointments/{a['id']}/lock", data=form)
                    expected = {303, 409}
            except httpx.HTTPError as e:
                errors.append(f"{type(e).__name__}: {e}")
                continue
            times[kind].append((time.perf_counter() - began) * 1000)
            key = f"{kind} {r.status_code}"
            outcomes[key] = outcomes.get(key, 0) + 1
            if r.status_code not in expected:
                errors.append(
                    f"{kind} {r.request.url.path} answered {r.status_code}: {r.text[:200]}"
                )

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client_loop, range(clients)))
    print(f"{clients} clients for {seconds:.0f} s, reads and changes mixed (ms):")
    everything = [t for ts in times.values() for t in ts]
    for kind, ts in [*times.items(), ("all", everything)]:
        if ts:
            print(f"  {kind:9s} {len(ts):6d} requests  {figures(ts)}")
    if not everything:
        errors.append("no request was answered within the run")
    print("  answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    print(f"  errors: {len(errors)} {errors[:5]}")
    return len(errors)


def csrf_of(page: str) -> str:
    return re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)  # type: ignore[union-attr]


def shifted(start: str, minutes: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(start) + timedelta(minutes=minutes)).isoformat()


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
