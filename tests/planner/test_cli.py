"""The `planner` command line as a coordinator's script drives it: exit codes and what it prints.

Most tests use typer's CliRunner on `planner.cli.app`; the ones that must prove what a shell sees
(the exit code of the real process, no traceback on stderr) run `python -m planner.cli`.
The solved week is the factories' smallest: physiotherapist t01 and referral r001 for 2 x 45
minutes, with t01 working only Monday and Tuesday 08:00-12:00 so the plan is known in advance.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from planner.cli import app
from planner.formats.scenario import check_scenario
from tests import factories as f

ROOT = Path(__file__).parents[2]
NORDDJURS = ROOT / "fixtures" / "norddjurs.json"
MON_TUE_MORNINGS = {"mon": [["08:00", "12:00"]], "tue": [["08:00", "12:00"]]}
#: One live progress line of `solve` (planner/cli.py ProgressLine).
PROGRESS = (
    r"\[ *\d+\.\d s\] (?P<stage>first fit|searching|done) +placed +(?P<placed>\d+)"
    r"  at most (?P<bound>\d+) placeable"
    r"|\[ *\d+\.\d s\] (?P<refining>refining) +contact therapist, previous plan, fair load,"
    r" compact days"
)


# --- helpers ------------------------------------------------------------------------------------


def run(*args: str) -> Result:
    """The command line in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(app, list(args))


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line as its own process, as a shell script runs it."""
    command = [sys.executable, "-m", "planner.cli", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


def write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def mornings_week() -> dict[str, Any]:
    """The smallest week with one treatment room and t01 on Monday and Tuesday mornings only."""
    return f.scenario(rooms=[f.room("auning-b1")], therapists=[f.therapist(hours=MON_TUE_MORNINGS)])


def broken_week() -> dict[str, Any]:
    """A week with two errors: r001's citizen does not exist, t01's Tuesday runs backwards."""
    doc = f.scenario(referrals=[f.referral(citizen="c999")])
    doc["therapists"][0]["hours"]["tue"] = [["12:00", "09:00"]]
    return doc


def broken_week_errors(path: Path) -> str:
    return (
        f"{path} is not a valid scenario/1 document (2 errors):\n"
        '  - referrals[0] (r001).citizen: unknown citizen "c999"; '
        "use the id of an existing citizen\n"
        "  - therapists[0] (t01).hours.tue: 12:00–09:00 does not end after it starts; "
        "give the start before the end\n"
    )


def solved(tmp_path: Path) -> tuple[Path, Path]:
    """The mornings week and its plan, solved through the command line."""
    scenario = write(tmp_path / "week.json", mornings_week())
    plan = tmp_path / "plan.json"
    result = run("solve", str(scenario), "-o", str(plan), "--time-limit", "2")
    assert result.exit_code == 0, result.stderr
    return scenario, plan


def monday_appointment(plan: dict[str, Any]) -> dict[str, Any]:
    (found,) = [a for a in plan["appointments"] if a["start"].startswith("2026-12-07")]
    return found


# --- validate -----------------------------------------------------------------------------------


def test_validate_norddjurs_exits_0_and_describes_the_week():
    result = run("validate", str(NORDDJURS))
    assert result.exit_code == 0
    assert result.stdout == (
        f"{NORDDJURS}: valid scenario/1, week 2026-W50: 3 centres, 25 therapists, "
        "253 referrals, 5 planning days\n"
    )


@pytest.mark.slow  # runs `planner` in a process of its own, as a shell does
def test_validate_broken_scenario_exits_2_and_lists_every_error(tmp_path):
    path = write(tmp_path / "broken.json", broken_week())
    done = run_process("validate", str(path))
    assert done.returncode == 2
    assert done.stderr == broken_week_errors(path)
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_validate_invalid_json_exits_2_with_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    text = '{\n "format": "scenario/1",\n}\n'
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    try:  # Python's own words for it (3.13 names the trailing comma, 3.11 what it expected)
        json.loads(text)
    except json.JSONDecodeError as e:
        where, why = f"line {e.lineno}, column {e.colno}", e.msg
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path} is not a valid scenario/1 document (1 error):\n"
        f"  - {path}: {where}: not valid JSON ({why}); fix the file's syntax\n"
    )


def test_validate_missing_file_exits_2(tmp_path):
    path = tmp_path / "nowhere.json"
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path} is not a valid scenario/1 document (1 error):\n"
        f"  - {path}: cannot read the file (No such file or directory)\n"
    )


def test_validate_json_array_exits_2(tmp_path):
    path = write(tmp_path / "list.json", [])
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path} is not a valid scenario/1 document (1 error):\n"
        f"  - {path}: the document must be a JSON object\n"
    )


@pytest.mark.slow  # runs `planner` in a process of its own, as a shell does
def test_validate_file_not_in_utf8_exits_2_and_says_how_to_save_it(tmp_path):
    path = tmp_path / "latin1.json"
    data = json.dumps(f.scenario(name="Træningsuge"), ensure_ascii=False).encode("cp1252")
    path.write_bytes(data)
    done = run_process("validate", str(path))
    assert done.returncode == 2
    assert done.stderr == (
        f"{path} is not a valid scenario/1 document (1 error):\n"
        f"  - {path}: not UTF-8 text (byte {data.index('æ'.encode('cp1252'))}); "
        "save the file as UTF-8\n"
    )


# --- solve --------------------------------------------------------------------------------------


@pytest.mark.slow  # runs `planner` in a process of its own, as a shell does
def test_solve_writes_a_plan_that_check_accepts(tmp_path):
    scenario = write(tmp_path / "week.json", f.scenario())
    plan = tmp_path / "plan.json"
    solving = run_process("solve", str(scenario), "-o", str(plan), "--time-limit", "2")
    assert solving.returncode == 0
    assert "Traceback" not in solving.stderr
    written = json.loads(plan.read_text(encoding="utf-8"))
    assert (written["format"], written["scenario"], written["week"]) == (
        "plan/1",
        "Testuge",
        "2026-W50",
    )
    checking = run_process("check", str(scenario), str(plan))
    assert checking.returncode == 0
    assert "Traceback" not in checking.stderr
    assert checking.stdout == f"{plan}: no violations (2 appointments)\n"


def test_solve_prints_progress_then_the_summary(tmp_path):
    scenario = write(tmp_path / "week.json", f.scenario())
    plan = tmp_path / "plan.json"
    result = run("solve", str(scenario), "-o", str(plan), "--time-limit", "2")
    assert result.exit_code == 0
    *progress, first, second = result.stderr.splitlines()
    assert re.sub(r"\d+\.\d s\)", "<seconds>)", first) == (
        "Testuge, 2026-W50: 2 of 2 sessions placed (optimal, <seconds>), at most 2 placeable"
    )
    assert second == f"2 appointments written to {plan}"
    stages = [re.fullmatch(PROGRESS, line) for line in progress]
    assert [m is not None for m in stages] == [True] * len(progress)
    assert stages[0] is not None and stages[0]["stage"] == "first fit"
    # The last progress line is the plan's own count, the same as the summary's.
    assert stages[-1] is not None and (stages[-1]["stage"], stages[-1]["placed"]) == ("done", "2")


def test_solve_bad_input_exits_2_and_writes_no_plan(tmp_path):
    scenario = write(tmp_path / "broken.json", broken_week())
    plan = tmp_path / "plan.json"
    result = run("solve", str(scenario), "-o", str(plan), "--time-limit", "1")
    assert result.exit_code == 2
    assert result.stderr == broken_week_errors(scenario)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json"]


def test_solve_time_limit_0_exits_2_and_writes_no_plan(tmp_path):
    scenario = write(tmp_path / "week.json", f.scenario())
    plan = tmp_path / "plan.json"
    result = run("solve", str(scenario), "-o", str(plan), "--time-limit", "0")
    assert result.exit_code == 2
    assert result.stderr == (
        "Bad options (1 error):\n"
        "  - --time-limit must be above 0, --workers and --processes at least 1\n"
    )
    assert plan.exists() is False


def test_solve_into_a_missing_folder_exits_2_before_solving(tmp_path):
    scenario = write(tmp_path / "week.json", f.scenario())
    plan = tmp_path / "nowhere" / "plan.json"
    result = run("solve", str(scenario), "-o", str(plan), "--time-limit", "1")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Bad options (1 error):\n  - -o {plan}: the folder {plan.parent} does not exist\n"
    )


def test_solve_onto_a_folder_exits_2_with_a_sentence(tmp_path):
    scenario = write(tmp_path / "week.json", f.scenario())
    (tmp_path / "out").mkdir()
    result = run("solve", str(scenario), "-o", str(tmp_path / "out"), "--time-limit", "1")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2:] == [
        "Not written (1 error):",
        f"  - {tmp_path / 'out'}: cannot write the file (Is a directory)",
    ]


def test_solve_onto_a_folder_leaves_no_temporary_file(tmp_path):
    scenario = write(tmp_path / "week.json", f.scenario())
    (tmp_path / "out").mkdir()
    run("solve", str(scenario), "-o", str(tmp_path / "out"), "--time-limit", "1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "week.json"]


# --- check --------------------------------------------------------------------------------------


def test_check_appointment_outside_therapist_hours_exits_1_and_names_the_rule(tmp_path):
    scenario, plan = solved(tmp_path)
    doc = json.loads(plan.read_text(encoding="utf-8"))
    moved = monday_appointment(doc)
    moved["start"], moved["end"] = "2026-12-07T14:00:00+01:00", "2026-12-07T14:45:00+01:00"
    edited = write(tmp_path / "edited.json", doc)
    result = run("check", str(scenario), str(edited))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{edited} breaks 1 rule(s):\n"
        f"  - [therapist-hours] Appointment {moved['id']} (referral r001, Mon 2026-12-07 "
        "14:00–14:45) keeps therapist t01 busy 14:00–14:45, outside their hours that day "
        "(08:00–12:00).\n"
    )


def test_check_duplicated_appointment_exits_1_and_names_each_rule(tmp_path):
    scenario, plan = solved(tmp_path)
    doc = json.loads(plan.read_text(encoding="utf-8"))
    doc["appointments"].append(monday_appointment(doc) | {"id": "copy"})
    edited = write(tmp_path / "edited.json", doc)
    result = run("check", str(scenario), str(edited))
    assert result.exit_code == 1
    rules = re.findall(r"^  - \[([a-z-]+)\]", result.stderr, flags=re.MULTILINE)
    assert rules == [
        "citizen-one-a-day",
        "referral-count",
        "referral-distinct-days",
        "room-capacity",
        "stats",
        "therapist-overlap",
    ]
    assert result.stderr.splitlines()[0] == f"{edited} breaks 6 rule(s):"


def test_check_document_that_is_not_plan1_exits_2(tmp_path):
    scenario, plan = solved(tmp_path)
    doc = json.loads(plan.read_text(encoding="utf-8")) | {"format": "plan/2"}
    other = write(tmp_path / "other.json", doc)
    result = run("check", str(scenario), str(other))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{other} is not a valid plan/1 document (1 error):\n  - format: 'plan/1' was expected\n"
    )


def test_check_unreadable_plan_file_exits_2(tmp_path):
    scenario, _ = solved(tmp_path)
    missing = tmp_path / "nosuch.json"
    result = run("check", str(scenario), str(missing))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{missing} is not a valid plan/1 document (1 error):"


def test_check_with_a_broken_scenario_exits_2(tmp_path):
    _, plan = solved(tmp_path)
    scenario = write(tmp_path / "broken.json", broken_week())
    result = run("check", str(scenario), str(plan))
    assert result.exit_code == 2
    assert result.stderr == broken_week_errors(scenario)


# --- generate -----------------------------------------------------------------------------------


def test_generate_small_week_writes_a_valid_scenario(tmp_path):
    path = tmp_path / "generated.json"
    result = run("generate", "--scale", "S", "--seed", "3", "-o", str(path))
    assert result.exit_code == 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (doc["format"], check_scenario(doc)) == ("scenario/1", [])
    assert run("validate", str(path)).exit_code == 0


@pytest.mark.slow  # runs `planner` in a process of its own, as a shell does
def test_generate_unknown_scale_exits_2(tmp_path):
    path = tmp_path / "generated.json"
    done = run_process("generate", "--scale", "X", "-o", str(path))
    assert done.returncode == 2
    assert done.stderr == (
        "Bad options (1 error):\n  - --scale must be one of S, M, L, XL, not 'X'\n"
    )
    assert "Traceback" not in done.stderr
    assert path.exists() is False


def test_generate_shape_writes_that_kind_of_week(tmp_path):
    path = tmp_path / "generated.json"
    result = run(
        "generate", "--scale", "S", "--seed", "3", "--shape", "home-villages", "-o", str(path)
    )
    assert result.exit_code == 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["name"] == "Genereret kommune S (frø 3, home-villages), uge 50"
    assert check_scenario(doc) == []


def test_generate_unknown_shape_exits_2(tmp_path):
    result = run("generate", "--shape", "crowded", "-o", str(tmp_path / "g.json"))
    assert result.exit_code == 2
    assert result.stderr == (
        "Bad options (1 error):\n  - --shape must be one of usual, scarce-skills, tight-rooms, "
        "full-classes, home-villages, narrow-windows, part-timers, sul-peak, not 'crowded'\n"
    )


def test_bench_bad_options_exit_2_naming_each():
    result = run("bench", "--scales", "S,Q", "--shapes", "usual,odd", "--seeds", "1,x")
    assert result.exit_code == 2
    assert result.stderr == (
        "Bad options (3 errors):\n"
        "  - --scales: 'Q' is not one of S, M, L, XL\n"
        "  - --shapes: 'odd' is not one of usual, scarce-skills, tight-rooms, full-classes, "
        "home-villages, narrow-windows, part-timers, sul-peak\n"
        "  - --seeds must be whole numbers separated by commas, not '1,x'\n"
    )
