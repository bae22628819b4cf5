"""Danish wording of the solver's reasons and warnings, for the Danish UI and letters.

The solver and plan/1 speak English (the exchange format's language); a coordinator reads
Danish. Each sentence the solver writes (solver/explain.py) has one pattern here; a sentence
without a pattern is shown as it is, and a test keeps every pattern the Norddjurs week produces
covered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date as Date

from solver.problem import WEEKDAYS

# --- Danish calendar words, for pages and letters --------------------------------------------

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
#: Scenario/1 weekday keys ("mon" ...) to Danish day names.
DAY_NAMES_DA = dict(zip(WEEKDAYS, WEEKDAYS_DA, strict=True))
MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


def clock(minutes: int) -> str:
    """Minutes after midnight as the Danish clock, e.g. 10.30."""
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


def day_text(day: Date) -> str:
    """The date written out, e.g. 'tirsdag den 8. december'."""
    return f"{WEEKDAYS_DA[day.weekday()]} den {day.day}. {MONTHS_DA[day.month - 1]}"


def short_name(name: str) -> str:
    """A citizen as a therapist sees them: first name and the last name's initial."""
    parts = name.split()
    if len(parts) < 2:
        return " ".join(parts)
    return f"{parts[0]} {parts[-1][0]}."


# --- the solver's sentences -----------------------------------------------------------------

WHO = {
    "physiotherapist": "fysioterapeut",
    "occupational therapist": "ergoterapeut",
    "assistant": "træningsassistent",
}
DAYS = {"Mon": "man", "Tue": "tir", "Wed": "ons", "Thu": "tor", "Fri": "fre", "Sat": "lør",
        "Sun": "søn"}  # fmt: skip


def who(text: str) -> str:
    """'occupational therapist with skill 'kol'' → 'ergoterapeut med kompetencen 'kol''."""
    text = text.replace(" or a meeting of the class", " eller et møde på holdet")
    text = re.sub(r" with skills ", " med kompetencerne ", text)
    text = re.sub(r" with skill ", " med kompetencen ", text)
    for english, danish in WHO.items():
        text = text.replace(english, danish)
    return text


def days(text: str) -> str:
    """'Fri 14:00–16:00; Mon 09:00–12:00' with Danish day names and 'kl.'-free clock times."""
    text = text.replace("whenever the centre is open", "når centret har åbent")
    text = text.replace("no day this week", "ingen dag i denne uge")
    return re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b", lambda m: DAYS[m.group(1)], text)


def where(text: str) -> str:
    return text.replace(" or ", " eller ")


def names(text: str) -> str:
    """'Mette Holm or Anders Krogh', 'A, B, C and 2 more' in Danish."""
    text = re.sub(r" and (\d+) more$", r" og \1 andre", text)
    return text.replace(" or ", " eller ")


ROOMS_DA = {"hall": "sal", "treatment room": "behandlingsrum", "ADL kitchen": "ADL-køkken",
            "pool": "bassin"}  # fmt: skip


def not_held(text: str) -> str:
    """Why a class's meetings cannot be held, in Danish."""
    if found := re.fullmatch(r"the class already meets (\d+) times this week", text):
        return f"holdet mødes allerede {found[1]} gange i denne uge"
    if text == "the class already meets on those days":
        return "holdet mødes allerede de dage"
    if found := re.fullmatch(r"every instructor \((.+)\) is busy then", text):
        return f"alle instruktører ({names(found[1])}) er optaget da"
    if found := re.fullmatch(r"no (.+) at (.+) is free then", text):
        return f"intet {ROOMS_DA.get(found[1], found[1])} på {found[2]} er ledigt da"
    return text


def date(text: str) -> str:
    """'2026-12-04' → '4.12.2026'."""
    year, month, day = text.split("-")
    return f"{int(day)}.{int(month)}.{year}"


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
RULES: list[Rule] = [
    (re.compile(r"no (?P<who>.+?) at (?P<where>.+) has time for the visit and the drive "
                r"while the citizen is available \((?P<days>.*)\)"),
     lambda m: f"ingen {who(m['who'])} fra {where(m['where'])} har tid til besøget og kørslen, "
               f"mens borgeren kan ({days(m['days'])})"),
    (re.compile(r"no (?P<who>.+?) at (?P<where>.+) is free while the citizen is available "
                r"\((?P<days>.*)\)"),
     lambda m: f"ingen {who(m['who'])} på {where(m['where'])} er ledig, mens borgeren kan "
               f"({days(m['days'])})"),
    (re.compile(r"no (?P<who>.+?) at (?P<where>.+) works on the days this week allows"),
     lambda m: f"ingen {who(m['who'])} på {where(m['where'])} arbejder på de dage, ugen tillader"),
    (re.compile(r"no (?P<who>.+?) works at (?P<where>.+)"),
     lambda m: f"ingen {who(m['who'])} arbejder på {where(m['where'])}"),
    (re.compile(r"the earliest start (?P<d>[\d-]+) is after the week's last working day"),
     lambda m: f"tidligste start {date(m['d'])} ligger efter ugens sidste arbejdsdag"),
    (re.compile(r"the citizen cannot come to any meeting of (?P<c>.+) \((?P<t>.*)\), "
                r"or no instructor is free then"),
     lambda m: f"borgeren kan ikke komme til nogen af mødetiderne på {m['c']} "
               f"({days(m['t'])}), eller ingen instruktør er ledig da"),
    (re.compile(r"no meeting of (?P<c>.+) can be held while the citizen is available"),
     lambda m: f"{m['c']} kan ikke mødes, mens borgeren kan"),
    (re.compile(r"only (?P<b>\d+) of the (?P<n>\d+) requested sessions can fit: the citizen can "
                r"come on too few of the days when an? (?P<who>.+) is free"),
     lambda m: f"kun {m['b']} af de {m['n']} ønskede sessioner kan passes ind: borgeren kan "
               f"komme på for få af de dage, hvor en {who(m['who'])} er ledig"),
    (re.compile(r"the citizen's other sessions take some of the possible days \((?P<d>.*)\)"),
     lambda m: f"borgerens andre sessioner optager nogle af de mulige dage ({days(m['d'])})"),
    (re.compile(r"the meetings of (?P<c>.+) the citizen can come to are full or cannot be held"),
     lambda m: f"de møder på {m['c']}, borgeren kan komme til, er fulde eller kan ikke holdes"),
    (re.compile(r"no room is free at (?P<where>.+) when (?P<names>.+) could give the session "
                r"and the citizen can come \((?P<t>.*)\): a free treatment room or hall place "
                r"then would let it be placed"),
     lambda m: f"intet lokale er ledigt på {where(m['where'])}, når {names(m['names'])} kunne "
               f"give sessionen og borgeren kan ({days(m['t'])}): et ledigt behandlingsrum eller "
               f"en plads i en sal på det tidspunkt ville gøre det muligt"),
    (re.compile(r"(?P<name>.+) has reached the week's cap of (?P<n>\d+) minutes: a higher cap "
                r"would let the session be placed"),
     lambda m: f"{m['name']} har nået ugens loft på {m['n']} minutter: et højere loft ville "
               f"gøre det muligt"),
    (re.compile(r"the only (?P<who>.+?) who could give it, (?P<name>.+), is booked whenever the "
                r"citizen can come \((?P<t>.*)\): more hours for (?P=name), or another "
                r"(?P<who2>.+), would let it be placed"),
     lambda m: f"den eneste {who(m['who'])}, der kan give sessionen, {m['name']}, er optaget, "
               f"hver gang borgeren kan ({days(m['t'])}): flere timer til {m['name']} eller en "
               f"{who(m['who2'])} mere ville gøre det muligt"),
    (re.compile(r"every (?P<who>.+?) who could give it \((?P<names>.+)\) is booked whenever "
                r"the citizen can come \((?P<t>.*)\): more hours for one of them, or another "
                r"(?P<who2>.+), would let it be placed"),
     lambda m: f"alle {who(m['who'])}er, der kan give sessionen ({names(m['names'])}), er "
               f"optaget, hver gang borgeren kan ({days(m['t'])}): flere timer til en af dem "
               f"eller en {who(m['who2'])} mere ville gøre det muligt"),
    (re.compile(r"the meetings of (?P<c>.+) the citizen can come to are full \((?P<t>.*)\): "
                r"a larger room or another meeting would let it be placed"),
     lambda m: f"de møder på {m['c']}, borgeren kan komme til, er fulde ({days(m['t'])}): et "
               f"større lokale eller et møde mere ville gøre det muligt"),
    (re.compile(r"the meetings of (?P<c>.+) the citizen can come to have seats \((?P<t>.*)\), "
                r"but no individual start assessment could be placed on an earlier day: the "
                r"course starts with one"),
     lambda m: f"der er pladser på {m['c']}, når borgeren kan ({days(m['t'])}), men ingen "
               f"individuel startvurdering kunne placeres på en dag før: forløbet starter med en"),
    (re.compile(r"the meetings of (?P<c>.+) the citizen can come to \((?P<t>.*)\) cannot be "
                r"held: (?P<why>.+)"),
     lambda m: f"de møder på {m['c']}, borgeren kan komme til ({days(m['t'])}), kan ikke "
               f"holdes: {not_held(m['why'])}"),
    (re.compile(r"every (?P<who>.+) is booked while the citizen is available"),
     lambda m: f"alle med rette fag ({who(m['who'])}) er optaget, mens borgeren kan"),
    (re.compile(r"no session this week; discharged (?P<d>[\d-]+), "
                r"training must start by (?P<e>[\d-]+)"),
     lambda m: f"ingen session i denne uge; udskrevet {date(m['d'])}, træningen skal starte "
               f"senest {date(m['e'])}"),
    (re.compile(r"first session (?P<d>[\d-]+) is (?P<n>\d+) days after discharge"),
     lambda m: f"første session {date(m['d'])} er {m['n']} dage efter udskrivelsen"),
    (re.compile(r"(?P<code>\S+) has (?P<n>\d+) sessions? left \((?P<x>\d+) of (?P<m>\d+) "
                r"delivered\): (?P<n2>\d+) of (?P<k>\d+) weekly sessions requested"),
     lambda m: f"{m['code']} har {m['n']} {'session' if m['n'] == '1' else 'sessioner'} tilbage "
               f"({m['x']} af {m['m']} givet): {m['n2']} af {m['k']} ugentlige sessioner ønskes"),
]  # fmt: skip


def in_danish(sentence: str) -> str:
    """The solver's sentence in Danish, or unchanged when no pattern knows it."""
    for pattern, danish in RULES:
        found = pattern.fullmatch(sentence)
        if found:
            return danish(found)
    return sentence


def known(sentence: str) -> bool:
    return any(pattern.fullmatch(sentence) for pattern, _ in RULES)
