"""Weeks of courses run through the API of a real `planner serve` (issue 9's closing check).

    python scripts/api_run.py --scale S --weeks 12 [--seed 1] [--time-limit 10]
    python scripts/api_run.py --scale M --weeks 8 --time-limit 20

`--time-limit` is each week's solve (seconds of CP-SAT after first fit; the job also loads and
stores the week). Registering attendance is one API call per person and session, so it takes
about as long as the solve at S and longer at M.

Starts `planner serve` on 127.0.0.1 with a fresh SQLite database in a temporary folder, loads
the register from `planner generate`, then week after week: adds new courses (as many as ended
the week before, at least a few), derives the week (`POST /api/register/weeks/{week}`), plans
it (`POST /api/weeks/{id}/solve`), checks the plan with the validator, publishes it and registers
every session's attendance at realistic rates (88 % delivered, 5 % cancelled by the citizen, 4 %
no-show, 3 % cancelled by the centre; seeded). After each week it checks that no course has
more delivered sessions than its package allows. Prints one line a week and a summary table;
exits 1 if any plan broke a rule or any course was over its package.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.db.engine import engine_from_url, migrate  # noqa: E402
from planner.formats.scenario import build_problem, week_monday  # noqa: E402
from planner.formats.validate import check_plan_document  # noqa: E402
from planner.security.accounts import create_account  # noqa: E402
from planner.tools.demo import ATTENDANCE_RATES  # noqa: E402

PASSWORD = "api-run-kode-1"
PLANNER = [sys.executable, "-m", "web.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def next_week(week: str) -> str:
    monday = week_monday(week)
    assert monday is not None
    year, number, _ = (monday + timedelta(weeks=1)).isocalendar()
    return f"{year}-W{number:02d}"


def outcome(rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for status, share in ATTENDANCE_RATES:
        total += share
        if draw < total:
            return status
    return "delivered"


def new_courses(
    doc: dict[str, Any], week: str, count: int, rng: random.Random, serial: int
) -> list[dict[str, Any]]:
    """`count` new courses shaped like the generated ones: a copied citizen and referral with
    new ids, granted a few days before the week."""
    monday = week_monday(week)
    assert monday is not None
    citizens = {c["id"]: c for c in doc["citizens"]}
    bodies = []
    for i in range(count):
        template = rng.choice(doc["referrals"])
        key = f"n{serial + i:05d}"
        citizen = {
            **copy.deepcopy(citizens[template["citizen"]]),
            "id": f"c{key}",
            "name": f"Ny Borger {serial + i}",
        }
        granted = monday - timedelta(days=rng.randint(1, 10))
        referral = {
            **copy.deepcopy(template),
            "id": f"r{key}",
            "citizen": citizen["id"],
            "intro": False,
            "final": False,
            "delivered": 0,
            "earliest": None,
        }
        if template.get("discharged"):
            referral["discharged"] = (granted - timedelta(days=1)).isoformat()
        bodies.append(
            {
                "citizen": citizen,
                "referral": referral,
                "granted": granted.isoformat(),
                "priority": rng.choice((0, 0, 0, 1)),
            }
        )
    return bodies


def wait_job(client: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    while job["state"] in ("queued", "running"):
        time.sleep(0.5)
        job = client.get(f"/api/jobs/{job['id']}").json()
    return job


def run(scale: str, weeks: int, seed: int, time_limit: float) -> int:
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix=f"api-run-{scale}-"))
    print(f"database and server log in {folder}", flush=True)
    db = folder / "planner.db"
    engine = engine_from_url(db)
    migrate(engine)
    with Session(engine) as session:
        create_account("koord", PASSWORD, session=session, name="Koordinator")
    engine.dispose()
    generated = folder / "generated.json"
    subprocess.run(
        [*PLANNER, "generate", "--scale", scale, "--seed", str(seed), "-o", str(generated)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    doc = json.loads(generated.read_text(encoding="utf-8"))
    port = free_port()
    env = {
        **os.environ,
        "PLANNER_SECRET_KEY": "api-run",
        "DATABASE_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [*PLANNER, "serve", "--db", str(db), "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=(folder / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300)
    try:
        for _ in range(900):
            try:
                client.get("/login")
                break
            except httpx.TransportError:
                time.sleep(0.2)
        signed_in(client)
        return weeks_through(client, doc, scale, weeks, rng, time_limit)
    finally:
        server.terminate()
        server.wait(10)


CSRF = re.compile(r'"X-CSRF-Token": "([^"]+)"')


def signed_in(client: httpx.Client) -> None:
    """Sign in once, as a browser does, and send the session's CSRF token with every call.

    (HTTP Basic works too, but checks the password, argon2 on purpose slow, on every request:
    with thousands of attendance calls that would be most of what is measured.)
    """
    token = CSRF.search(client.get("/login").text)
    assert token is not None
    form = {"username": "koord", "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=form).status_code in (200, 303)
    token = CSRF.search(client.get("/login").text)
    assert token is not None
    client.headers["X-CSRF-Token"] = token.group(1)


def statuses(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in client.get("/api/courses").json()}


def weeks_through(
    client: httpx.Client,
    doc: dict[str, Any],
    scale: str,
    weeks: int,
    rng: random.Random,
    time_limit: float,
) -> int:
    began = time.monotonic()
    loaded = client.post("/api/register", json=doc)
    assert loaded.status_code == 200, loaded.text
    week, serial, ended_last, failures = doc["week"], 1, 0, 0
    rows = []
    before = statuses(client)
    print(f"scale {scale}: register {loaded.json()}", flush=True)
    for n in range(1, weeks + 1):
        added = new_courses(doc, week, max(5, ended_last), rng, serial) if n > 1 else []
        serial += len(added)
        for body in added:
            answer = client.post("/api/courses", json=body)
            assert answer.status_code == 201, answer.text
        t0 = time.monotonic()
        derived = client.post(f"/api/register/weeks/{week}", json={})
        derive_s = time.monotonic() - t0
        assert derived.status_code == 201, derived.text
        week_id = derived.json()["id"]
        t0 = time.monotonic()
        for _attempt in range(5):  # a job whose process did not start in 30 s counts as lost
            job = client.post(f"/api/weeks/{week_id}/solve", json={"time_limit": time_limit})
            job = wait_job(client, job.json())
            if job["state"] == "done":
                break
            print(f"  solve of {week} {job['state']}: {job['error']}; again", flush=True)
        plan_s = time.monotonic() - t0
        assert job["state"] == "done", job
        plan_id = job["plan_id"]
        scenario = client.get(f"/api/weeks/{week_id}/scenario").json()
        plan = client.get(f"/api/plans/{plan_id}").json()
        violations = check_plan_document(build_problem(scenario), plan)
        published = client.post(f"/api/plans/{plan_id}/publish")
        assert published.status_code == 200, published.text
        t0 = time.monotonic()
        marks = 0
        for a in plan["appointments"]:
            for referral in a.get("participants") or [a["referral"]]:
                body = {"appointment": a["id"], "referral": referral, "status": outcome(rng)}
                answer = client.post(f"/api/plans/{plan_id}/attendance", json=body)
                assert answer.status_code == 200, answer.text
                marks += 1
        attend_s = time.monotonic() - t0
        after = statuses(client)
        over = [
            c["id"]
            for c in after.values()
            if c["max_sessions"] is not None and c["delivered"] > c["max_sessions"]
        ]
        started = sum(
            1
            for k, c in after.items()
            if c["status"] == "active" and before.get(k, {}).get("status") in (None, "waiting")
        )
        ended = sum(
            1
            for k, c in after.items()
            if c["status"] == "ended" and before.get(k, {}).get("status") != "ended"
        )
        active = sum(1 for c in after.values() if c["status"] == "active")
        waiting = sum(1 for c in after.values() if c["status"] == "waiting")
        stats = plan["stats"]
        row = {
            "week": week,
            "new": len(added),
            "referrals": len(scenario["referrals"]),
            "requested": stats["sessions_requested"],
            "placed": stats["sessions_placed"],
            "derive_s": derive_s,
            "plan_s": plan_s,
            "attendance": marks,
            "attend_s": attend_s,
            "violations": len(violations),
            "over_package": len(over),
            "active": active,
            "waiting": waiting,
            "started": started,
            "ended": ended,
        }
        rows.append(row)
        print(json.dumps(row, default=lambda x: round(x, 2)), flush=True)
        failures += len(violations) + len(over)
        for v in violations[:5]:
            print(f"  violation: {v.rule}: {v.text()}", flush=True)
        before, ended_last, week = after, ended, next_week(week)
    print(
        "\n| week | new | referrals | requested | placed | derive s | plan s | attendance s "
        "| violations | over package | active | started | ended | waiting |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['week']} | {r['new']} | {r['referrals']} | {r['requested']} | {r['placed']} "
            f"| {r['derive_s']:.1f} | {r['plan_s']:.1f} | {r['attend_s']:.1f} "
            f"| {r['violations']} | {r['over_package']} | {r['active']} | {r['started']} "
            f"| {r['ended']} | {r['waiting']} |"
        )
    print(
        f"\n{len(rows)} weeks at {scale}, solve time limit {time_limit:g} s: "
        f"{sum(r['violations'] for r in rows)} violations, "
        f"{sum(r['over_package'] for r in rows)} courses over their package; "
        f"{time.monotonic() - began:.0f} s in all"
    )
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="S", choices=("S", "M", "L"))
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help="seconds for each week's solve (10)"
    )
    args = parser.parse_args()
    sys.exit(run(args.scale, args.weeks, args.seed, args.time_limit))


if __name__ == "__main__":
    main()
