"""The message catalogue: every code in both languages with the same parameters, every message a
real week produces rendered from its code, and no sentence read back with a regular expression."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from planner.formats.scenario import parse_scenario
from planner.text.messages import CATALOGUE, Message, render, template_params
from planner.text.wording import short_name
from planner.tools.generate import generate
from solver.solve import solve

ROOT = Path(__file__).resolve().parents[3]
NORDDJURS = ROOT / "fixtures" / "norddjurs.json"


def solver_messages(doc: dict) -> list[Message]:
    plan = solve(parse_scenario(doc), optimise=False)
    return [r for u in plan.unplaced for r in u.reasons] + [w.message for w in plan.warnings]


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_catalogue_every_code_has_danish_and_english_with_the_same_parameters(code: str) -> None:
    danish, english = CATALOGUE[code]
    assert danish.strip() != ""
    assert english.strip() != ""
    assert template_params(danish) == template_params(english)


@pytest.mark.parametrize("week", ["norddjurs", "generated S"])
def test_render_every_message_of_a_real_week_in_both_languages(week: str) -> None:
    doc = (
        json.loads(NORDDJURS.read_text(encoding="utf-8"))
        if week == "norddjurs"
        else generate("S", 2)
    )
    found = solver_messages(doc)

    assert len({m.code for m in found}) > 3
    for message in found:
        assert set(message.params) == template_params(CATALOGUE[message.code][0])
        assert render(message, "da") != render(message, "en")


@pytest.mark.parametrize(
    ("message", "english", "danish"),
    [
        (
            Message(
                "unplaced.nobody-qualified",
                {"profession": "ot", "skills": ["kol"], "centres": ["Træningscenter Auning"]},
            ),
            "no occupational therapist with skill 'kol' works at Træningscenter Auning",
            "ingen ergoterapeut med kompetencen 'kol' arbejder på Træningscenter Auning",
        ),
        (
            Message(
                "unplaced.nobody-free",
                {
                    "profession": "physio",
                    "skills": [],
                    "centres": ["Træningscenter Auning"],
                    "availability": [["fri", [["14:00", "16:00"]]]],
                },
            ),
            "no physiotherapist at Træningscenter Auning is free while the citizen is available "
            "(Fri 14:00–16:00)",
            "ingen fysioterapeut på Træningscenter Auning er ledig, mens borgeren kan "
            "(fre 14:00–16:00)",
        ),
        (
            Message("warning.no-start", {"discharged": "2026-12-04", "deadline": "2026-12-11"}),
            "no session this week; discharged 2026-12-04, training must start by 2026-12-11",
            "ingen session i denne uge; udskrevet 4.12.2026, træningen skal starte senest "
            "11.12.2026",
        ),
        (
            Message(
                "warning.package-limit",
                {"package": "TG1", "left": 1, "delivered": 14, "max_sessions": 15, "weekly": 2},
            ),
            "TG1 has 1 session left (14 of 15 delivered): 1 of 2 weekly sessions requested",
            "TG1 har 1 session tilbage (14 af 15 givet): 1 af 2 ugentlige sessioner ønskes",
        ),
        (
            Message(
                "unplaced.too-few-days",
                {"fit": 1, "requested": 2, "profession": "ot", "skills": [], "or_class": True},
            ),
            "only 1 of the 2 requested sessions can fit: the citizen can come on too few of the "
            "days when an occupational therapist or a meeting of the class is free",
            "kun 1 af de 2 ønskede sessioner kan passes ind: borgeren kan komme på for få af de "
            "dage, hvor en ergoterapeut eller et møde på holdet er ledig",
        ),
        (
            Message("not-found", {"what": "referral", "key": "r099"}),
            "Referral r099 does not exist.",
            "Henvisning r099 findes ikke.",
        ),
    ],
)
def test_render_says_a_message_in_each_language(
    message: Message, english: str, danish: str
) -> None:
    assert render(message, "en") == english
    assert render(message, "da") == danish


def test_render_a_missing_parameter_is_a_bug() -> None:
    with pytest.raises(KeyError):
        render(Message("not-found", {"what": "plan"}))


def test_short_name_is_first_name_and_last_initial() -> None:
    assert short_name("Karen Jensen") == "Karen J."
    assert short_name("Anne-Marie Holm Sørensen") == "Anne-Marie S."
    assert short_name("Karen") == "Karen"
    assert short_name("  ") == ""


# --- nothing reads a sentence back ---------------------------------------------------------

RE_CALLS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall"}
#: Two words with a space between: a pattern over prose, not over an id, a time or a number.
PROSE = re.compile(r"[A-Za-zæøå]{2,} [A-Za-zæøå]{2,}")


def regex_patterns(path: Path) -> list[str]:
    """The literal patterns a module hands to `re`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in RE_CALLS
            and node.args
        ):
            pattern = node.args[0]
            texts = [pattern] if isinstance(pattern, ast.Constant) else []
            found += [str(t.value) for t in texts if isinstance(t.value, str)]
    return found


def product_modules() -> list[Path]:
    return sorted([*(ROOT / "planner").rglob("*.py"), *(ROOT / "web").rglob("*.py")])


def test_no_module_matches_message_text_with_a_regular_expression() -> None:
    prose = {
        f"{path.relative_to(ROOT)}: {pattern}"
        for path in product_modules()
        for pattern in regex_patterns(path)
        if PROSE.search(pattern)
    }
    assert sorted(prose) == []


def test_no_module_keeps_a_table_of_sentence_patterns() -> None:
    names = ("LOCATION", "SCHEMA_DANISH", "in_danish", "field_of", "RULES: list[Rule]")
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in product_modules()
        for name in names
        if name in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_regex_patterns_sees_a_pattern_over_prose(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('import re\nX = re.compile(r".* is less than the minimum of (\\S+)$")\n')
    assert [p for p in regex_patterns(module) if PROSE.search(p)] == [
        ".* is less than the minimum of (\\S+)$"
    ]
