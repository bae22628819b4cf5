"""The solver's sentences in Danish: every sentence real weeks produce has a pattern."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.formats.scenario import parse_scenario
from planner.text.wording import in_danish, known, short_name
from planner.tools.generate import generate
from solver.solve import solve

NORDDJURS = Path(__file__).resolve().parents[3] / "fixtures" / "norddjurs.json"


def sentences(doc: dict) -> set[str]:
    plan = solve(parse_scenario(doc), optimise=False)
    return {r for u in plan.unplaced for r in u.reasons} | {w.message for w in plan.warnings}


@pytest.mark.parametrize("week", ["norddjurs", "generated S"])
def test_every_sentence_of_a_real_week_has_danish(week: str) -> None:
    doc = (
        json.loads(NORDDJURS.read_text(encoding="utf-8"))
        if week == "norddjurs"
        else generate("S", 2)
    )
    found = sentences(doc)

    assert len(found) > 10
    assert sorted(s for s in found if not known(s)) == []


@pytest.mark.parametrize(
    ("english", "danish"),
    [
        (
            "no occupational therapist with skill 'kol' works at Træningscenter Auning",
            "ingen ergoterapeut med kompetencen 'kol' arbejder på Træningscenter Auning",
        ),
        (
            "no physiotherapist at Træningscenter Auning is free while the citizen is available "
            "(Fri 14:00–16:00)",
            "ingen fysioterapeut på Træningscenter Auning er ledig, mens borgeren kan "
            "(fre 14:00–16:00)",
        ),
        (
            "no room is free at Træningscenter Auning when Mette Holm or Anders Krogh could give "
            "the session and the citizen can come (Tue 10:00): a free treatment room or hall "
            "place then would let it be placed",
            "intet lokale er ledigt på Træningscenter Auning, når Mette Holm eller Anders Krogh "
            "kunne give sessionen og borgeren kan (tir 10:00): et ledigt behandlingsrum eller en "
            "plads i en sal på det tidspunkt ville gøre det muligt",
        ),
        (
            "the only assistant who could give it, Mette Holm, is booked whenever the citizen "
            "can come (Mon 09:00): more hours for Mette Holm, or another assistant, would let it "
            "be placed",
            "den eneste træningsassistent, der kan give sessionen, Mette Holm, er optaget, hver "
            "gang borgeren kan (man 09:00): flere timer til Mette Holm eller en "
            "træningsassistent mere ville gøre det muligt",
        ),
        (
            "the meetings of Balancehold the citizen can come to (Tue 10:00) cannot be held: "
            "every instructor (Mette Holm) is busy then",
            "de møder på Balancehold, borgeren kan komme til (tir 10:00), kan ikke holdes: alle "
            "instruktører (Mette Holm) er optaget da",
        ),
        (
            "no session this week; discharged 2026-12-04, training must start by 2026-12-11",
            "ingen session i denne uge; udskrevet 4.12.2026, træningen skal starte senest "
            "11.12.2026",
        ),
        (
            "TG1 has 1 session left (14 of 15 delivered): 1 of 2 weekly sessions requested",
            "TG1 har 1 session tilbage (14 af 15 givet): 1 af 2 ugentlige sessioner ønskes",
        ),
    ],
)
def test_in_danish_translates_a_sentence(english: str, danish: str) -> None:
    assert in_danish(english) == danish


def test_in_danish_leaves_an_unknown_sentence_as_it_is() -> None:
    assert in_danish("something new") == "something new"
    assert not known("something new")


def test_short_name_is_first_name_and_last_initial() -> None:
    assert short_name("Karen Jensen") == "Karen J."
    assert short_name("Anne-Marie Holm Sørensen") == "Anne-Marie S."
    assert short_name("Karen") == "Karen"
    assert short_name("  ") == ""
