"""Generated weeks: realistic scenario/1 documents of any size, and the Norddjurs fixtures.

`generate(scale, seed)` builds a municipality's week the way a coordinator's data looks: centres
with halls, treatment rooms and an ADL kitchen, therapists with part-time patterns and skills, the
whole Norddjurs service catalogue, team classes, and citizens with referrals of every mode. The
same seed always gives the same document (one `random.Random(seed)`, drawn in a fixed order).

A therapist's `hours` here are the windows open for booking citizens; documentation, conferences
and other duties fill the rest of the working day. Those hours are sized, and the number of
referrals flexes by up to 10 %, so that the referrals ask for LOAD (82 %) of the bookable minutes:
busy, but not impossible. A few referrals cannot fit by design (a skill nobody at the centre
holds, a citizen free only when no therapist works).

`norddjurs()` and `norddjurs_christmas()` build the committed fixtures from the real centres;
`python -m planner.tools.generate fixtures` rewrites them.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from planner.formats.holidays import danish_public_holidays
from solver.problem import (
    Problem,
    Referral,
    clock,
    great_circle_km,
    minutes_of,
    requested_sessions,
    travel_minutes,
)

Doc = dict[str, Any]
Windows = dict[str, list[list[str]]]

DAYS = ("mon", "tue", "wed", "thu", "fri")
TRAVEL = {"detour_factor": 1.3, "speed_kmh": 45}
LUNCH = (11 * 60 + 30, 12 * 60)  # no bookings 11:30-12:00
CLOSE = {"mon": 16 * 60, "tue": 16 * 60, "wed": 16 * 60, "thu": 16 * 60, "fri": 14 * 60}
OPEN_AT = 8 * 60
CITIZEN_RADIUS_KM = 15.0
NORDDJURS_SEED = 50  # a seed whose week has the usual mix of modes and about 400 sessions
NORDDJURS_WEEK = "2026-W50"


# --- The service catalogue (seed 003) -------------------------------------------------------------

SEL1 = "SEL §86 stk. 1"
SEL2 = "SEL §86 stk. 2"
SUL = "SUL §140"


def _package(code: str, name: str, basis: str, low: int, high: int, most: int | None) -> Doc:
    return {
        "code": code,
        "name": name,
        "basis": basis,
        "weekly_minutes": [low, high],
        "max_sessions": most,
    }


#: Norddjurs' catalogue. TUS is "½ hour a week, 3 hours in all": the format counts sessions, not
#: hours, so it is six sessions of 30 minutes. TVA's half days are the brief's 30/60/90 minutes.
PACKAGES: tuple[Doc, ...] = (
    _package("TUS", "Terapeutisk undersøgelse og vurdering", SEL1, 30, 30, 6),
    _package("TG1", "Genoptræning ved terapeut 1", SEL1, 60, 90, 15),
    _package("TG2", "Genoptræning ved terapeut 2", SEL1, 90, 120, 24),
    _package("TV1", "Vedligeholdende træning 1", SEL2, 60, 60, 6),
    _package("TV2", "Vedligeholdende træning 2", SEL2, 120, 120, 24),
    _package("TV3", "Vedligeholdende træning 3", SEL2, 60, 60, 12),
    _package("TVA1", "Vedligehold afklaring 1", SEL2, 30, 30, None),
    _package("TVA2", "Vedligehold afklaring 2", SEL2, 60, 60, None),
    _package("TVA3", "Vedligehold afklaring 3", SEL2, 90, 90, None),
    _package("SUL140-C", "Individuel træning på center (genoptræningsplan)", SUL, 30, 180, None),
    _package("SUL140-H", "Individuel træning i hjemmet (genoptræningsplan)", SUL, 30, 180, 8),
    _package("SUL140-T", "Holdtræning på center (genoptræningsplan)", SUL, 30, 180, None),
)
PACKAGE = {p["code"]: p for p in PACKAGES}

#: (sessions_per_week, session_minutes) a coordinator would book; the first is the usual one.
INDIVIDUAL_PLANS: dict[str, tuple[tuple[int, int], ...]] = {
    "TUS": ((1, 30),),
    "TG1": ((2, 45), (1, 60), (2, 30), (1, 90)),
    "TG2": ((2, 60), (2, 45), (3, 30)),
    "TV1": ((1, 60), (2, 30)),
    "TV2": ((2, 60),),
    "TV3": ((1, 60), (2, 30)),
    "TVA1": ((1, 30),),
    "TVA2": ((2, 30), (1, 60)),
    "TVA3": ((3, 30), (2, 45)),
    "SUL140-C": ((2, 60), (2, 45), (1, 60), (1, 45)),
    "SUL140-H": ((1, 60), (2, 45), (1, 45), (2, 60)),
}

MODES = {"centre": 45, "team": 30, "home": 15, "online": 10}
MODE_PACKAGES: dict[str, dict[str, int]] = {
    "centre": {"TUS": 8, "TG1": 22, "TG2": 14, "TV1": 6, "TV2": 6, "TV3": 7, "SUL140-C": 28}
    | {"TVA1": 3, "TVA2": 3, "TVA3": 3},
    "team": {"TG1": 20, "TG2": 20, "TV1": 8, "TV2": 10, "TV3": 8, "SUL140-T": 34},
    "home": {"SUL140-H": 55, "TUS": 10, "TG1": 15, "TV1": 10, "TVA1": 10},
    "online": {"TG1": 40, "TG2": 15, "TV1": 20, "TV3": 25},
}
EXCEPTION_REASONS = (
    "Ekstra træning efter faglig vurdering: nyopereret, kort periode",
    "Øget træning i to uger efter fald i hjemmet",
    "Aftalt med visitationen: intensivt forløb før flytning",
)


def professions_for(package: str) -> dict[str, int]:
    """Who gives a package: assistants take part in maintenance (TV, TVA), never in assessment."""
    if package.startswith("TV"):
        return {"assistant": 50, "physio": 35, "ot": 15}
    return {"physio": 65, "ot": 35}


# --- Places --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    """A town or village citizens live in, with its postal district."""

    name: str
    postcode: str
    post_town: str
    lat: float
    lon: float
    size: int  # relative number of older citizens


@dataclass(frozen=True)
class Site:
    """A training centre to generate: where it is and what it holds."""

    id: str
    name: str
    address: str
    lat: float
    lon: float
    weight: float  # share of the municipality's staff and citizens
    halls: tuple[int, ...]  # capacity of each hall
    treatment_rooms: int
    pool: int | None = None  # capacity of a warm-water pool, if any
    open_friday: bool = True
    class_keys: tuple[str, ...] = ()  # team classes to run; empty: drawn at random

    def open_days(self) -> list[str]:
        return [day for day in DAYS if day != "fri" or self.open_friday]


def _town(name: str, postcode: str, post_town: str, lat: float, lon: float, size: int) -> Town:
    return Town(name, postcode, post_town, lat, lon, size)


NORDDJURS_TOWNS: tuple[Town, ...] = (
    _town("Grenaa", "8500", "Grenaa", 56.4156, 10.8777, 30),
    _town("Auning", "8963", "Auning", 56.4315, 10.3810, 10),
    _town("Glesborg", "8585", "Glesborg", 56.4890, 10.7220, 3),
    _town("Ørsted", "8950", "Ørsted", 56.5245, 10.3370, 5),
    _town("Allingåbro", "8961", "Allingåbro", 56.4630, 10.3200, 6),
    _town("Ørum Djurs", "8586", "Ørum Djurs", 56.4585, 10.6700, 3),
    _town("Trustrup", "8570", "Trustrup", 56.3450, 10.7750, 3),
    _town("Bønnerup Strand", "8585", "Glesborg", 56.5260, 10.7000, 2),
    _town("Hemmed", "8585", "Glesborg", 56.5120, 10.7550, 1),
    _town("Vivild", "8961", "Allingåbro", 56.4930, 10.4750, 2),
    _town("Gjerrild", "8500", "Grenaa", 56.5020, 10.8200, 1),
    _town("Fjellerup", "8585", "Glesborg", 56.5280, 10.5800, 1),
    _town("Nimtofte", "8581", "Nimtofte", 56.4180, 10.5950, 2),
    _town("Voldby", "8500", "Grenaa", 56.4740, 10.8300, 1),
    _town("Hammelev", "8500", "Grenaa", 56.4450, 10.8450, 1),
    _town("Stenvad", "8586", "Ørum Djurs", 56.4470, 10.6250, 1),
)

DJURSLAND_TOWNS: tuple[Town, ...] = (
    *NORDDJURS_TOWNS,
    _town("Ryomgård", "8550", "Ryomgård", 56.3840, 10.5010, 4),
    _town("Kolind", "8560", "Kolind", 56.3580, 10.5980, 3),
    _town("Ebeltoft", "8400", "Ebeltoft", 56.1960, 10.6820, 9),
    _town("Rønde", "8410", "Rønde", 56.3020, 10.4770, 5),
    _town("Hornslet", "8543", "Hornslet", 56.3170, 10.3210, 6),
    _town("Mørke", "8544", "Mørke", 56.3350, 10.3810, 3),
    _town("Knebel", "8420", "Knebel", 56.2130, 10.4900, 2),
    _town("Thorsager", "8410", "Rønde", 56.3430, 10.4550, 1),
    _town("Lystrup", "8520", "Lystrup", 56.2360, 10.2380, 8),
    _town("Hinnerup", "8382", "Hinnerup", 56.2660, 10.0620, 6),
    _town("Hadsten", "8370", "Hadsten", 56.3280, 10.0490, 6),
    _town("Randers", "8900", "Randers C", 56.4610, 10.0360, 30),
    _town("Assentoft", "8960", "Randers SØ", 56.4420, 10.1500, 3),
    _town("Spentrup", "8981", "Spentrup", 56.5350, 10.0340, 2),
    _town("Trige", "8380", "Trige", 56.2520, 10.1500, 2),
    _town("Skødstrup", "8541", "Skødstrup", 56.2600, 10.3000, 3),
)

#: A shared training service for many municipalities (XL): Djursland, Randers and Favrskov as
#: above, with Aarhus, Skanderborg, Odder, Silkeborg, Horsens, Hedensted, Viborg and Mariagerfjord
#: (Region Midtjylland and its edge). Positions are the towns' centres, sizes relative as above.
MIDTJYLLAND_TOWNS: tuple[Town, ...] = (
    *DJURSLAND_TOWNS,
    _town("Aarhus C", "8000", "Aarhus C", 56.1567, 10.2108, 40),
    _town("Viby", "8260", "Viby J", 56.1290, 10.1640, 12),
    _town("Brabrand", "8220", "Brabrand", 56.1540, 10.1110, 10),
    _town("Risskov", "8240", "Risskov", 56.1900, 10.2330, 8),
    _town("Højbjerg", "8270", "Højbjerg", 56.1200, 10.2100, 9),
    _town("Tilst", "8381", "Tilst", 56.1880, 10.1100, 4),
    _town("Skanderborg", "8660", "Skanderborg", 56.0370, 9.9300, 12),
    _town("Ry", "8680", "Ry", 56.0890, 9.7640, 4),
    _town("Galten", "8464", "Galten", 56.1560, 9.9070, 5),
    _town("Hørning", "8362", "Hørning", 56.0870, 10.0370, 4),
    _town("Låsby", "8670", "Låsby", 56.1510, 9.8200, 1),
    _town("Odder", "8300", "Odder", 55.9730, 10.1530, 10),
    _town("Malling", "8340", "Malling", 56.0360, 10.1960, 3),
    _town("Hou", "8300", "Odder", 55.9130, 10.2540, 1),
    _town("Silkeborg", "8600", "Silkeborg", 56.1697, 9.5451, 25),
    _town("Kjellerup", "8620", "Kjellerup", 56.2860, 9.4330, 4),
    _town("Them", "8653", "Them", 56.0920, 9.5470, 3),
    _town("Gjern", "8883", "Gjern", 56.2320, 9.7410, 1),
    _town("Hammel", "8450", "Hammel", 56.2570, 9.8630, 4),
    _town("Horsens", "8700", "Horsens", 55.8607, 9.8503, 30),
    _town("Brædstrup", "8740", "Brædstrup", 55.9710, 9.6100, 3),
    _town("Gedved", "8751", "Gedved", 55.9290, 9.8490, 1),
    _town("Hedensted", "8722", "Hedensted", 55.7700, 9.7010, 5),
    _town("Juelsminde", "7130", "Juelsminde", 55.7160, 10.0150, 3),
    _town("Tørring", "7160", "Tørring", 55.8510, 9.4830, 2),
    _town("Viborg", "8800", "Viborg", 56.4530, 9.4020, 25),
    _town("Stoholm", "7850", "Stoholm Jyll", 56.4850, 9.1470, 2),
    _town("Karup", "7470", "Karup J", 56.3060, 9.1680, 2),
    _town("Bjerringbro", "8850", "Bjerringbro", 56.3770, 9.6600, 5),
    _town("Ulstrup", "8860", "Ulstrup", 56.3890, 9.7920, 2),
    _town("Langå", "8870", "Langå", 56.3910, 9.8950, 3),
    _town("Hobro", "9500", "Hobro", 56.6390, 9.7930, 10),
    _town("Mariager", "9550", "Mariager", 56.6490, 10.0000, 3),
    _town("Hadsund", "9560", "Hadsund", 56.7150, 10.1160, 5),
)

NORDDJURS_SITES: tuple[Site, ...] = (
    Site(
        "auning", "Træningscenter Auning", "Elme Allé 6, 8963 Auning",
        56.431, 10.383, 0.35, halls=(14,), treatment_rooms=3,
        class_keys=("balance", "ryg", "neuro", "styrke"),
    ),
    Site(
        "posthaven", "Træningscenter Posthaven", "Posthaven 48, 8500 Grenaa",
        56.416, 10.876, 0.45, halls=(15, 10), treatment_rooms=4, pool=8,
        class_keys=("balance", "knae", "kol", "bassin", "parkinson"),
    ),
    Site(
        "glesborg", "Træningscenter Glesborg", "Valmuevej 2, 8585 Glesborg",
        56.488, 10.722, 0.20, halls=(10,), treatment_rooms=2, open_friday=False,
        class_keys=("styrke", "knae", "skulder"),
    ),
)  # fmt: skip


# --- Names ---------------------------------------------------------------------------------------

STAFF_FIRST = (
    "Mette", "Louise", "Camilla", "Anne", "Maria", "Line", "Julie", "Sara", "Stine", "Maja",
    "Signe", "Katrine", "Helle", "Lene", "Pia", "Trine", "Marianne", "Susanne", "Tina", "Rikke",
    "Christina", "Cecilie", "Ida", "Emma", "Sofie", "Nanna", "Mads", "Jonas", "Rasmus", "Thomas",
    "Martin", "Anders", "Morten", "Jesper", "Søren", "Henrik", "Kasper", "Mikkel", "Christian",
    "Peter",
)  # fmt: skip
CITIZEN_WOMEN = (
    "Karen", "Inge", "Kirsten", "Hanne", "Birthe", "Lis", "Grethe", "Else", "Ruth", "Jytte",
    "Aase", "Bodil", "Gudrun", "Ingrid", "Anni", "Ellen", "Tove", "Ulla", "Edith", "Gerda",
    "Erna", "Dorthe", "Bente", "Lone", "Vibeke", "Annelise", "Margit", "Rita", "Inger", "Henny",
    "Anette",
)  # fmt: skip
CITIZEN_MEN = (
    "Jens", "Hans", "Niels", "Poul", "Ole", "Erik", "Jørgen", "Knud", "Svend", "Bent", "Vagn",
    "Preben", "Leif", "Arne", "Kurt", "Finn", "Henning", "Kaj", "Mogens", "Ejnar", "Carl",
    "Aksel", "Flemming", "Jørn", "Per", "Ib", "Holger", "Verner", "Gunnar", "Torben", "Lars",
    "Michael",
)  # fmt: skip
SURNAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Mikkelsen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Holm", "Schmidt", "Eriksen",
    "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Østergaard",
    "Jeppesen", "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Jespersen", "Mogensen", "Skov",
    "Dahl", "Bach", "Nørgaard", "Overgaard", "Bisgaard", "Thygesen", "Juhl", "Dam", "Friis",
    "Krogh", "Lassen", "Riis", "Bak", "Damgaard", "Kirkegaard",
)  # fmt: skip
STREETS = (
    "Storegade", "Nørregade", "Søndergade", "Vestergade", "Østergade", "Skolevej", "Kirkevej",
    "Stationsvej", "Møllevej", "Bakkevej", "Engvej", "Skovvej", "Birkevej", "Egevej", "Lindevej",
    "Rosenvej", "Toftevej", "Markvej", "Solvej", "Bygaden", "Præstevej", "Hybenvej",
    "Kastanievej", "Ahornvej", "Syrenvej", "Grønnegade", "Havnevej", "Strandvej", "Ringvejen",
    "Tjørnevej", "Mosevej", "Åvej", "Parkvej", "Fasanvej", "Lærkevej", "Vibevej", "Bøgevej",
)  # fmt: skip


# --- Team classes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassTemplate:
    """A kind of team class a centre may run."""

    key: str
    name: str
    room_kind: str
    profession: str
    skills: tuple[str, ...]
    minutes: int
    capacity: int
    weight: int  # how common it is


CLASS_TEMPLATES: tuple[ClassTemplate, ...] = (
    ClassTemplate("balance", "Balancehold", "hall", "physio", ("team",), 60, 12, 5),
    ClassTemplate("knae", "Knæ/hofte", "hall", "physio", ("team",), 60, 10, 5),
    ClassTemplate("ryg", "Ryghold", "hall", "physio", ("team",), 60, 10, 3),
    ClassTemplate("styrke", "Styrke 65+", "hall", "assistant", ("team",), 60, 14, 4),
    ClassTemplate("vedligehold", "Vedligeholdelseshold", "hall", "assistant", ("team",), 60, 12, 3),
    ClassTemplate("kol", "KOL-hold", "hall", "physio", ("kol",), 60, 8, 2),
    ClassTemplate("neuro", "Neurohold", "hall", "physio", ("neuro",), 60, 8, 2),
    ClassTemplate("skulder", "Skulderhold", "hall", "physio", ("team",), 60, 10, 2),
    ClassTemplate("parkinson", "Parkinsonhold", "hall", "physio", ("neuro",), 60, 8, 1),
    ClassTemplate("bassin", "Bassintræning", "pool", "physio", ("pool",), 45, 8, 3),
    ClassTemplate("hverdag", "Hverdagsaktiviteter", "adl", "ot", (), 60, 5, 2),
)
TEMPLATE = {t.key: t for t in CLASS_TEMPLATES}
MEETING_STARTS = (510, 540, 600, 630, 750, 780, 810, 840)  # 08:30 ... 14:00
MEETING_DAYS: dict[int, tuple[tuple[str, ...], ...]] = {
    1: (("mon",), ("tue",), ("wed",), ("thu",)),
    2: (("tue", "thu"), ("mon", "wed"), ("mon", "thu"), ("wed", "fri"), ("tue", "fri")),
    3: (("mon", "wed", "fri"), ("mon", "tue", "thu"), ("tue", "wed", "fri")),
}


# --- Scales --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How big a generated municipality is."""

    centres: int
    therapists: int
    referrals: int


#: S is Norddjurs' size, M a mid-size municipality, L Aarhus, XL a shared service for many
#: municipalities (domain.md, "Scale").
SCALES: dict[str, Scale] = {
    "S": Scale(centres=3, therapists=25, referrals=250),
    "M": Scale(centres=5, therapists=50, referrals=600),
    "L": Scale(centres=9, therapists=150, referrals=2000),
    "XL": Scale(centres=30, therapists=500, referrals=7000),
}

#: Therapist minutes an average referral asks for (its sessions, driving to home visits, its
#: share of class meetings), as measured on generated weeks. Bookable hours are sized so the
#: referrals ask for LOAD of them.
MINUTES_PER_REFERRAL = 68
LOAD = 0.82


# --- Shapes: kinds of week ----------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """What kind of week: the knobs one kind turns away from the usual mix.

    The usual shape draws exactly as the generator always has (the same seed gives the same
    week); every other shape changes odds, never the number of things drawn, except where it
    says so.
    """

    modes: Mapping[str, float] = field(default_factory=lambda: dict(MODES))
    skill_odds: float = 1.0  # therapists' skill odds are multiplied by this
    skill_need: float = 0.2  # share of individual referrals that need a special skill
    treatment_rooms: tuple[int, int] = (2, 4)  # per centre, drawn between
    hall_places: tuple[int, int] = (10, 15)  # a hall's capacity, drawn between
    seat_demand: float = 1.0  # class seats referrals may ask for, against the seats there are
    restricted: float = 0.4  # share of citizens with restricted windows
    narrow: bool = False  # restricted windows are two hours, not half a day
    radius_km: float = CITIZEN_RADIUS_KM  # how far from their centre citizens live
    villages: bool = False  # citizens mostly in the small places, not the towns
    staff_patterns: Mapping[str, float] = field(
        default_factory=lambda: {"full": 70, "fewer days": 18, "shorter days": 12}
    )
    sul: float = 1.0  # SUL §140 packages' weight is multiplied by this
    new_courses: float = 25  # weight of "new" against 60 under way and 15 ending


#: The kinds of week `planner bench --shapes` runs; "usual" is the generator's own mix.
SHAPES: dict[str, Shape] = {
    "usual": Shape(),
    "scarce-skills": Shape(skill_odds=0.35, skill_need=0.45),
    "tight-rooms": Shape(treatment_rooms=(1, 2), hall_places=(4, 6)),
    "full-classes": Shape(modes={"centre": 30, "team": 55, "home": 10, "online": 5},
                          seat_demand=1.4),
    "home-villages": Shape(modes={"centre": 30, "team": 15, "home": 50, "online": 5},
                           radius_km=25.0, villages=True),
    "narrow-windows": Shape(restricted=0.85, narrow=True),
    "part-timers": Shape(staff_patterns={"full": 25, "fewer days": 45, "shorter days": 30}),
    "sul-peak": Shape(sul=3.0, new_courses=70),
}  # fmt: skip


# --- The sketch a week is built in ----------------------------------------------------------------


class Held(NamedTuple):
    """A fixed class meeting's hold on its instructor and on a room of its kind."""

    therapist: str
    centre: str
    room_kind: str
    day: str
    start: int
    end: int

    def overlaps(self, day: str, start: int, end: int) -> bool:
        return self.day == day and self.start < end and start < self.end


@dataclass
class WeekSketch:
    """A week being generated: what is made so far, and the bookable minutes still unasked for."""

    rng: random.Random
    week: str
    sites: tuple[Site, ...]
    towns: tuple[Town, ...]
    scale: Scale
    shape: Shape = field(default_factory=Shape)
    therapists: list[Doc] = field(default_factory=list)
    classes: list[Doc] = field(default_factory=list)
    citizens: list[Doc] = field(default_factory=list)
    referrals: list[Doc] = field(default_factory=list)
    budget: dict[tuple[str, str], float] = field(default_factory=dict)  # (centre, profession)
    capacity: dict[tuple[str, str], float] = field(default_factory=dict)  # budget at the start
    seats: dict[str, int] = field(default_factory=dict)  # class -> seats not yet taken
    held: list[Held] = field(default_factory=list)  # fixed class meetings so far

    @property
    def monday(self) -> date:
        year, week = self.week.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)

    def date_of(self, day: str) -> date:
        return self.monday + timedelta(days=DAYS.index(day))

    def site(self, id: str) -> Site:
        return next(site for site in self.sites if site.id == id)


# --- Small helpers -------------------------------------------------------------------------------


def draw(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key, drawn with probability proportional to its weight."""
    keys = list(weights)
    return rng.choices(keys, [weights[key] for key in keys])[0]


def slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "-", "/": "-"})
    return text.lower().translate(table)


def distance_km(a: Site | Town | Doc, b: Site | Town | Doc) -> float:
    lat1, lon1 = _position(a)
    lat2, lon2 = _position(b)
    return great_circle_km(lat1, lon1, lat2, lon2)


def _position(place: Site | Town | Doc) -> tuple[float, float]:
    if isinstance(place, dict):
        return place["lat"], place["lon"]
    return place.lat, place.lon


def covers(windows: Iterable[Sequence[str]], start: int, end: int) -> bool:
    return any(minutes_of(a) <= start and end <= minutes_of(b) for a, b in windows)


def window_minutes(windows: Iterable[Sequence[str]]) -> int:
    return sum(minutes_of(b) - minutes_of(a) for a, b in windows)


def week_number(week: str) -> int:
    return int(week.split("-W")[1])


# --- Centres and rooms ---------------------------------------------------------------------------


def centre_doc(site: Site) -> Doc:
    opening = {day: [clock(OPEN_AT), clock(CLOSE[day])] for day in site.open_days()}
    return {
        "id": site.id,
        "name": site.name,
        "address": site.address,
        "lat": site.lat,
        "lon": site.lon,
        "open": opening,
    }


def room_docs(site: Site) -> list[Doc]:
    """Halls, treatment rooms, the ADL kitchen and a pool if the centre has one."""
    rooms = [
        _room(site, f"sal{n}", "Træningssal" + (f" {n}" if n > 1 else ""), "hall", capacity)
        for n, capacity in enumerate(site.halls, 1)
    ]
    rooms += [
        _room(site, f"b{n}", f"Behandlingsrum {n}", "treatment", 1)
        for n in range(1, site.treatment_rooms + 1)
    ]
    rooms.append(_room(site, "adl", "ADL-køkken", "adl", 4))
    if site.pool:
        rooms.append(_room(site, "bassin", "Varmtvandsbassin", "pool", site.pool))
    return rooms


def _room(site: Site, key: str, name: str, kind: str, capacity: int) -> Doc:
    return {"id": f"{site.id}-{key}", "centre": site.id, "name": name, "kind": kind,
            "capacity": capacity}  # fmt: skip


def room_count(site: Site, kind: str) -> int:
    return sum(1 for room in room_docs(site) if room["kind"] == kind)


def room_capacity(site: Site, kind: str) -> int:
    return min(room["capacity"] for room in room_docs(site) if room["kind"] == kind)


# --- Generated centres ---------------------------------------------------------------------------


def pick_sites(
    rng: random.Random, count: int, towns: Sequence[Town], shape: Shape | None = None
) -> tuple[Site, ...]:
    """Centres in the bigger towns, spread out; the smallest may close on Fridays."""
    ranked = sorted((t for t in towns if t.size >= 3), key=lambda t: -t.size * rng.random())
    chosen = spread_out(ranked, count)
    total = sum(math.sqrt(town.size) for town in chosen)  # big towns have more, smaller centres
    sites = [site_at(rng, town, math.sqrt(town.size) / total, shape) for town in chosen]
    if count >= 3 and rng.random() < 0.5:
        smallest = min(range(count), key=lambda i: sites[i].weight)
        sites[smallest] = _closed_friday(sites[smallest])
    return tuple(sites)


def spread_out(ranked: Sequence[Town], count: int) -> list[Town]:
    """The first towns of a ranking that lie 9 km from each other (closer if there are too few)."""
    for km in (9.0, 6.0, 3.0, 0.0):
        chosen: list[Town] = []
        for town in ranked:
            if len(chosen) < count and all(distance_km(town, c) >= km for c in chosen):
                chosen.append(town)
        if len(chosen) == count:
            return chosen
    raise ValueError(f"{count} centres need {count} towns; there are {len(ranked)}")


def site_at(rng: random.Random, town: Town, weight: float, shape: Shape | None = None) -> Site:
    shape = shape or Shape()
    count = 2 if weight > 0.25 else rng.randint(1, 2)
    halls = tuple(rng.randint(*shape.hall_places) for _ in range(count))
    return Site(
        id=slug(town.name),
        name=f"Træningscenter {town.name}",
        address=f"{rng.choice(STREETS)} {rng.randint(1, 60)}, {town.postcode} {town.post_town}",
        lat=round(town.lat + rng.uniform(-0.004, 0.004), 4),
        lon=round(town.lon + rng.uniform(-0.006, 0.006), 4),
        weight=weight,
        halls=halls,
        treatment_rooms=rng.randint(*shape.treatment_rooms),
        pool=rng.choice((8, 10)) if rng.random() < 0.35 else None,
    )


def _closed_friday(site: Site) -> Site:
    fields = {name: getattr(site, name) for name in site.__dataclass_fields__}
    return Site(**{**fields, "open_friday": False})


# --- Therapists ----------------------------------------------------------------------------------

SKILL_ODDS: dict[str, dict[str, float]] = {
    "physio": {"team": 0.6, "neuro": 0.3, "vestibular": 0.15, "kol": 0.2, "lymph": 0.1,
               "pool": 0.2},
    "ot": {"neuro": 0.4, "team": 0.25, "lymph": 0.15},
    "assistant": {"team": 0.7, "pool": 0.3, "kol": 0.1},
}  # fmt: skip


@dataclass(frozen=True)
class Staff:
    """A therapist before their hours are sized: who, where, which days, from when."""

    id: str
    name: str
    profession: str
    skills: tuple[str, ...]
    centres: tuple[str, ...]
    days: tuple[str, ...]
    anchor: int  # a morning start or an afternoon end (minutes after midnight)
    share: float  # of a full-time day's bookable minutes
    absent: tuple[str, ...]
    cap: float | None  # max_minutes as a share of the hours, when capped


def add_therapists(sketch: WeekSketch, scale: Scale) -> None:
    """The staff, with bookable hours sized so the referrals will ask for LOAD of them."""
    slots = staff_slots(sketch.sites, scale.therapists)
    names = unique_names(sketch.rng, scale.therapists)
    staff = [
        draw_staff(sketch, f"t{n:03d}", name, centre, profession)
        for n, ((centre, profession), name) in enumerate(zip(slots, names, strict=True), 1)
    ]
    day = fit_day_minutes(staff, scale.referrals * MINUTES_PER_REFERRAL / LOAD)
    sketch.therapists = [therapist_doc(one, day) for one in staff]
    for doc in sketch.therapists:
        add_budget(sketch, doc)
    sketch.capacity = dict(sketch.budget)


def unique_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(STAFF_FIRST)} {rng.choice(SURNAMES)}"
        if name not in names:
            names.append(name)
    return names


def staff_slots(sites: Sequence[Site], count: int) -> list[tuple[str, str]]:
    """(centre, profession) per therapist: ~55 % physio, ~30 % ot, ~15 % assistants at each."""
    slots: list[tuple[str, str]] = []
    for site, size in zip(sites, shares(count, [site.weight for site in sites]), strict=True):
        physios, ots, assistants = shares(size, [0.55, 0.30, 0.15])
        slots += [(site.id, "physio")] * physios + [(site.id, "ot")] * ots
        slots += [(site.id, "assistant")] * assistants
    return slots


def shares(total: int, weights: Sequence[float]) -> list[int]:
    """Split a whole number by weights, largest remainders first."""
    exact = [total * w / sum(weights) for w in weights]
    parts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def draw_staff(sketch: WeekSketch, id: str, name: str, centre: str, profession: str) -> Staff:
    """Who a therapist is, where and when they work: ~15 % at two centres, ~30 % part time."""
    rng = sketch.rng
    centres = [centre]
    if rng.random() < 0.15 and len(sketch.sites) > 1:
        centres.append(nearest_other(sketch, centre))
    days = open_days(sketch, centres)
    share = rng.uniform(0.9, 1.1)
    pattern = draw(rng, sketch.shape.staff_patterns)
    if pattern == "fewer days":
        days = sorted(rng.sample(days, min(len(days), rng.choice((3, 4)))), key=DAYS.index)
    if pattern == "shorter days":
        share *= 0.6
    return Staff(
        id=id,
        name=name,
        profession=profession,
        skills=tuple(draw_skills(rng, profession, sketch.shape.skill_odds)),
        centres=tuple(centres),
        days=tuple(days),
        anchor=rng.choice((480, 480, 510, 510, 540, 900, 930, 960)),
        share=share,
        absent=tuple(absence(sketch, days) if rng.random() < 0.08 else ()),
        cap=rng.uniform(0.75, 0.9) if rng.random() < 0.15 else None,
    )


def fit_day_minutes(staff: Sequence[Staff], target: float) -> float:
    """The bookable minutes of a full day that give the whole staff `target` minutes a week."""
    day = 240.0
    for _ in range(5):
        total = sum(bookable_minutes(therapist_doc(one, day)) for one in staff)
        day = min(420.0, day * target / max(total, 1))
    return day


def therapist_doc(staff: Staff, day: float) -> Doc:
    length = max(60, round(day * staff.share / 15) * 15)
    hours = {weekday: day_windows(staff.anchor, length, weekday) for weekday in staff.days}
    cap = round(window_total(hours) * staff.cap / 15) * 15 if staff.cap else None
    return {
        "id": staff.id,
        "name": staff.name,
        "profession": staff.profession,
        "skills": list(staff.skills),
        "centres": list(staff.centres),
        "hours": hours,
        "absent": list(staff.absent),
        "max_minutes": cap,
    }


def absence(sketch: WeekSketch, days: list[str]) -> list[str]:
    """One day off (ill, on a course ...) on a working day that is no public holiday."""
    dates = [sketch.date_of(day) for day in days]
    holidays = danish_public_holidays(sketch.monday.year)
    working = [d for d in dates if d not in holidays]
    return [sketch.rng.choice(working).isoformat()] if working else []


def nearest_other(sketch: WeekSketch, centre: str) -> str:
    here = sketch.site(centre)
    others = [site for site in sketch.sites if site.id != centre]
    if not others:
        return centre
    return min(others, key=lambda site: distance_km(here, site)).id


def open_days(sketch: WeekSketch, centres: Sequence[str]) -> list[str]:
    return [day for day in DAYS if any(day in sketch.site(c).open_days() for c in centres)]


def day_windows(anchor: int, length: int, day: str) -> list[list[str]]:
    """`length` bookable minutes from a morning start, or up to an afternoon end; no lunch.

    Fridays are shorter and in the morning. A stub of less than 45 minutes on the far side of
    lunch is left out: nobody books a 15-minute window.
    """
    if day == "fri":
        length, anchor = round(length * 0.8 / 15) * 15, min(anchor, 540)
    if anchor < LUNCH[0]:
        windows = morning_windows(anchor, length, CLOSE[day])
    else:
        windows = afternoon_windows(min(anchor, CLOSE[day]), length)
    return [[clock(a), clock(b)] for a, b in windows if b - a >= 45]


def morning_windows(start: int, length: int, close: int) -> list[tuple[int, int]]:
    spill = length - (LUNCH[0] - start)
    if 0 < spill < 45:
        start = max(OPEN_AT, start - spill)  # start earlier rather than come back after lunch
        spill = length - (LUNCH[0] - start)
    if spill <= 0:
        return [(start, start + length)]
    return [(start, LUNCH[0]), (LUNCH[1], min(close, LUNCH[1] + spill))]


def afternoon_windows(end: int, length: int) -> list[tuple[int, int]]:
    spill = length - (end - LUNCH[1])
    if spill <= 0:
        return [(end - length, end)]
    return [(max(OPEN_AT, LUNCH[0] - spill), LUNCH[0]), (LUNCH[1], end)]


def window_total(hours: Windows) -> int:
    return sum(window_minutes(windows) for windows in hours.values())


def draw_skills(rng: random.Random, profession: str, factor: float = 1.0) -> list[str]:
    """A therapist's skills; `factor` makes the special ones (all but 'team') rarer or commoner."""
    odds = {k: v if k == "team" else v * factor for k, v in SKILL_ODDS[profession].items()}
    return sorted(skill for skill in odds if rng.random() < odds[skill])


def bookable_minutes(therapist: Doc) -> int:
    """A therapist's hours in the week, less the day off, at most max_minutes."""
    minutes = window_total(therapist["hours"])
    for absent in therapist["absent"]:
        minutes -= window_minutes(therapist["hours"][DAYS[date.fromisoformat(absent).weekday()]])
    cap = therapist["max_minutes"]
    return minutes if cap is None else min(minutes, cap)


def add_budget(sketch: WeekSketch, therapist: Doc) -> None:
    """Share a therapist's bookable minutes between their centres."""
    minutes = bookable_minutes(therapist)
    for centre in therapist["centres"]:
        key = (centre, therapist["profession"])
        sketch.budget[key] = sketch.budget.get(key, 0.0) + minutes / len(therapist["centres"])


def at_centre(sketch: WeekSketch, centre: str, profession: str) -> list[Doc]:
    return [
        t for t in sketch.therapists if centre in t["centres"] and t["profession"] == profession
    ]


# --- Team classes --------------------------------------------------------------------------------


def add_classes(sketch: WeekSketch) -> None:
    for site in sketch.sites:
        for template in class_templates(sketch, site):
            if not at_centre(sketch, site.id, template.profession):
                continue
            ensure_instructor(sketch, site, template)
            sketch.classes.append(class_doc(sketch, site, template))


def class_templates(sketch: WeekSketch, site: Site) -> list[ClassTemplate]:
    """The centre's classes: as listed for the site, else 2-4 drawn by how common they are."""
    if site.class_keys:
        return [TEMPLATE[key] for key in site.class_keys]
    possible = [t for t in CLASS_TEMPLATES if t.room_kind != "pool" or site.pool]
    possible = [t for t in possible if at_centre(sketch, site.id, t.profession)]
    chosen: list[ClassTemplate] = []
    for _ in range(min(len(possible), class_count(sketch, site))):
        rest = [t for t in possible if t not in chosen]
        chosen.append(rest[sketch.rng.choices(range(len(rest)), [t.weight for t in rest])[0]])
    return chosen


def citizens_expected(sketch: WeekSketch, site: Site) -> float:
    return sketch.scale.referrals * site.weight


def class_count(sketch: WeekSketch, site: Site) -> int:
    """Two to four classes, more where more citizens come (one for about 35 referrals)."""
    return max(2, min(4, round(citizens_expected(sketch, site) / 35) + sketch.rng.choice((0, 1))))


def meeting_count(sketch: WeekSketch, site: Site) -> int:
    """Classes meet twice a week, some once, and three times at busy centres open on Fridays."""
    busy = citizens_expected(sketch, site) > 150
    three = (4 if busy else 1) if site.open_friday else 0
    return int(draw(sketch.rng, {"1": 1, "2": 6, "3": three}))


def ensure_instructor(sketch: WeekSketch, site: Site, template: ClassTemplate) -> None:
    """A class needs someone to run it: teach the skill to a colleague if nobody holds it."""
    staff = at_centre(sketch, site.id, template.profession)
    if not staff or any(set(template.skills) <= set(t["skills"]) for t in staff):
        return
    chosen = sketch.rng.choice(staff)
    chosen["skills"] = sorted(set(chosen["skills"]) | set(template.skills))


def class_doc(sketch: WeekSketch, site: Site, template: ClassTemplate) -> Doc:
    rng = sketch.rng
    count = meeting_count(sketch, site)
    doc: Doc = {
        "id": f"{template.key}-{site.id}",
        "name": template.name,
        "centre": site.id,
        "room_kind": template.room_kind,
        "capacity": min(template.capacity, room_capacity(site, template.room_kind)),
        "minutes": template.minutes,
        "instructor": {"profession": template.profession, "skills": list(template.skills)},
    }
    meetings = fixed_meetings(sketch, site, template, count) if rng.random() < 0.6 else None
    if meetings:
        doc["meetings"] = meetings
    else:
        doc["meetings_per_week"] = count
    sketch.seats[doc["id"]] = round(doc["capacity"] * count * sketch.shape.seat_demand)
    charge(sketch, site.id, template.profession, template.minutes * count)
    return doc


def fixed_meetings(
    sketch: WeekSketch, site: Site, template: ClassTemplate, count: int
) -> list[Doc] | None:
    """Fixed weekdays and start times where the room is free and an instructor works."""
    day_sets = [d for d in MEETING_DAYS[count] if set(d) <= set(site.open_days())]
    starts = list(MEETING_STARTS)
    sketch.rng.shuffle(starts)
    for days in sketch.rng.sample(day_sets, len(day_sets)):
        for start in starts:
            booked = [book_meeting(sketch, site, template, day, start) for day in days]
            if all(booked):
                return [{"day": day, "start": clock(start)} for day in days]
            unbook(sketch, [b for b in booked if b])
    return None


def book_meeting(
    sketch: WeekSketch, site: Site, template: ClassTemplate, day: str, start: int
) -> Held | None:
    """Hold a room and a free instructor for one meeting, if both can be had."""
    end = start + template.minutes
    if end > CLOSE[day] or not room_free(sketch, site, template.room_kind, day, start, end):
        return None
    for therapist in instructors(sketch, site, template):
        if therapist_free(sketch, therapist, site.id, day, start, end):
            held = Held(therapist["id"], site.id, template.room_kind, day, start, end)
            sketch.held.append(held)
            return held
    return None


def unbook(sketch: WeekSketch, holds: list[Held]) -> None:
    for held in holds:
        sketch.held.remove(held)


def instructors(sketch: WeekSketch, site: Site, template: ClassTemplate) -> list[Doc]:
    staff = at_centre(sketch, site.id, template.profession)
    return [t for t in staff if set(template.skills) <= set(t["skills"])]


def room_free(sketch: WeekSketch, site: Site, kind: str, day: str, start: int, end: int) -> bool:
    """A room of the kind is free then: fewer meetings held at that time than such rooms."""
    same = [h for h in sketch.held if (h.centre, h.room_kind) == (site.id, kind)]
    return sum(h.overlaps(day, start, end) for h in same) < room_count(site, kind)


def therapist_free(
    sketch: WeekSketch, therapist: Doc, centre: str, day: str, start: int, end: int
) -> bool:
    """Works then, is not absent that day, and has no other fixed meeting then or elsewhere."""
    if not covers(therapist["hours"].get(day, []), start, end):
        return False
    if sketch.date_of(day).isoformat() in therapist["absent"]:
        return False
    mine = [h for h in sketch.held if h.therapist == therapist["id"] and h.day == day]
    overlaps = any(h.overlaps(day, start, end) for h in mine)
    elsewhere = any(h.centre != centre for h in mine)
    return not overlaps and not elsewhere


def meetings_of(cls: Doc) -> int:
    return len(cls["meetings"]) if "meetings" in cls else cls["meetings_per_week"]


def charge(sketch: WeekSketch, centre: str, profession: str, minutes: float) -> None:
    key = (centre, profession)
    sketch.budget[key] = sketch.budget.get(key, 0.0) - minutes


# --- Citizens ------------------------------------------------------------------------------------


def citizen_doc(sketch: WeekSketch, id: str, site: Site) -> Doc:
    """A citizen living in a town within ~15 km of their centre, at a street address."""
    rng = sketch.rng
    near = [t for t in sketch.towns if distance_km(site, t) <= sketch.shape.radius_km]
    weights = [1 / t.size if sketch.shape.villages else t.size for t in near]
    town = rng.choices(near, weights)[0]
    street = f"{rng.choice(STREETS)} {rng.randint(1, 80)}"
    place = "" if town.name == town.post_town else f", {town.name}"
    return {
        "id": id,
        "name": citizen_name(rng),
        "address": f"{street}{place}, {town.postcode} {town.post_town}",
        "lat": round(town.lat + rng.uniform(-0.012, 0.012), 5),
        "lon": round(town.lon + rng.uniform(-0.02, 0.02), 5),
    }


def citizen_name(rng: random.Random) -> str:
    """A Danish name of the generation most citizens belong to, now and then with a middle name."""
    names = CITIZEN_WOMEN if rng.random() < 0.58 else CITIZEN_MEN
    given = rng.sample(names, 2 if rng.random() < 0.2 else 1)
    return f"{' '.join(given)} {rng.choice(SURNAMES)}"


def restricted_availability(rng: random.Random, days: list[str]) -> Windows:
    """When a citizen can come: transport and help at home limit many to some hours or days."""
    kind = draw(rng, {"mornings": 3, "afternoons": 2, "midday": 2, "days": 3, "morning_days": 2})
    if kind == "mornings":
        return {day: [["08:00", "12:00"]] for day in days}
    if kind == "afternoons":
        return {day: [["12:00", "16:00"]] for day in days if day != "fri"}
    if kind == "midday":
        return {day: [["10:00", "14:00"]] for day in days}
    chosen = sorted(rng.sample(days, min(len(days), rng.choice((2, 3)))), key=DAYS.index)
    window = ["08:00", "16:00"] if kind == "days" else ["09:00", "12:00"]
    return {day: [list(window)] for day in chosen}


def narrowed(rng: random.Random, available: Windows) -> Windows:
    """The same days, each window cut to two hours somewhere inside it (narrow-windows weeks)."""
    out: Windows = {}
    for day, windows in available.items():
        out[day] = []
        for begin, end in windows:
            a, b = minutes_of(begin), minutes_of(end)
            start = a + 30 * rng.randint(0, max(0, (b - a - 120) // 30))
            out[day].append([clock(start), clock(min(b, start + 120))])
    return out


def widen(available: Windows, needed: int, days: list[str]) -> Windows:
    """Add days (with the same hours) until the citizen has a day for each weekly session."""
    pattern = next(iter(available.values()))
    for day in days:
        if len(available) >= needed:
            break
        available.setdefault(day, [list(w) for w in pattern])
    return {day: available[day] for day in DAYS if day in available}


# --- Referrals -----------------------------------------------------------------------------------


def add_referrals(sketch: WeekSketch, count: int) -> None:
    """About `count` referrals (±10 %): as many as it takes to ask for LOAD of the staff's time."""
    low, high = round(count * 0.9), round(count * 1.1)
    while len(sketch.referrals) < low or (len(sketch.referrals) < high and load(sketch) < LOAD):
        add_citizen(sketch, high)


def load(sketch: WeekSketch) -> float:
    """The share of the staff's bookable minutes that classes and referrals ask for so far."""
    full = sum(sketch.capacity.values())
    return (full - sum(sketch.budget.values())) / full


def add_citizen(sketch: WeekSketch, count: int) -> None:
    """One citizen with one referral, or two (physio and ot) for about one in ten."""
    rng = sketch.rng
    site = pick_site(sketch)
    citizen = citizen_doc(sketch, f"c{len(sketch.citizens) + 1:04d}", site)
    restricted = rng.random() < sketch.shape.restricted
    available = restricted_availability(rng, site.open_days()) if restricted else None
    if available is not None and sketch.shape.narrow:
        available = narrowed(rng, available)
    first = new_referral(sketch, citizen, site, available)
    referrals = [first]
    if rng.random() < 0.1 and len(sketch.referrals) + 2 <= count and first["mode"] != "team":
        referrals.append(joint_referral(sketch, citizen, first))
    if available is not None:
        needed = sum(r["sessions_per_week"] for r in referrals)
        citizen["available"] = widen(available, needed, site.open_days())
    sketch.citizens.append(citizen)
    sketch.referrals += referrals


def pick_site(sketch: WeekSketch) -> Site:
    """Citizens come where bookable minutes are left, so every centre is about as busy."""
    left = {site.id: sum(max(v, 0.0) for (c, _), v in sketch.budget.items() if c == site.id)
            for site in sketch.sites}  # fmt: skip
    return sketch.site(draw(sketch.rng, {k: v + 1.0 for k, v in left.items()}))


def next_id(sketch: WeekSketch, extra: int = 0) -> str:
    return f"r{len(sketch.referrals) + extra + 1:04d}"


def new_referral(sketch: WeekSketch, citizen: Doc, site: Site, available: Windows | None) -> Doc:
    mode = draw(sketch.rng, sketch.shape.modes)
    referral = team_referral(sketch, citizen, site, available) if mode == "team" else None
    if referral is None:
        referral = individual_referral(sketch, citizen, site, mode)
        offer_class(sketch, referral, site, available)
    charge_referral(sketch, referral, citizen)
    return referral


def package_weights(sketch: WeekSketch, mode: str) -> dict[str, float]:
    """The mode's packages, SUL §140 weighted by the week's shape."""
    return {
        code: w * (sketch.shape.sul if code.startswith("SUL") else 1.0)
        for code, w in MODE_PACKAGES[mode].items()
    }


def referral_doc(id: str, citizen: Doc, package: str, mode: str, centre: str) -> Doc:
    return {
        "id": id,
        "citizen": citizen["id"],
        "package": package,
        "mode": mode,
        "class": None,
        "profession": "physio",
        "skills": [],
        "centre": centre,
        "sessions_per_week": 1,
        "session_minutes": 60,
        "intro": False,
        "final": False,
        "delivered": 0,
        "earliest": None,
        "discharged": None,
        "contact": None,
    }


def individual_referral(sketch: WeekSketch, citizen: Doc, site: Site, mode: str) -> Doc:
    """A centre, home or online referral (a team referral without a class left is a centre one)."""
    rng = sketch.rng
    mode = "centre" if mode == "team" else mode
    package = draw(rng, package_weights(sketch, mode))
    doc = referral_doc(next_id(sketch), citizen, package, mode, site.id)
    doc["profession"] = pick_profession(sketch, site.id, professions_for(package))
    doc["sessions_per_week"], doc["session_minutes"] = pick_plan(rng, session_plans(package, mode))
    doc["skills"] = pick_skills(sketch, site.id, doc["profession"])
    set_course_stage(sketch, doc)
    maybe_exception(rng, doc)
    maybe_earliest(sketch, doc)
    doc["contact"] = pick_contact(sketch, doc)
    return doc


def session_plans(package: str, mode: str) -> tuple[tuple[int, int], ...]:
    """The package's usual plans; screen sessions are kept to 45 minutes at most."""
    plans = INDIVIDUAL_PLANS[package]
    if mode == "online":
        return tuple(p for p in plans if p[1] <= 45) or plans
    return plans


def team_referral(
    sketch: WeekSketch, citizen: Doc, site: Site, available: Windows | None
) -> Doc | None:
    """A seat in one of the centre's classes that meets when the citizen can come."""
    rng = sketch.rng
    package = draw(rng, package_weights(sketch, "team"))
    options = []
    for cls in (c for c in sketch.classes if c["centre"] == site.id):
        for spw in team_sessions(package, cls):
            if sketch.seats[cls["id"]] >= spw and reachable_meetings(cls, available, site) >= spw:
                options.append((cls, spw))
    if not options:
        return None
    cls, spw = rng.choice(options)
    doc = referral_doc(next_id(sketch), citizen, package, "team", site.id)
    doc |= {"class": cls["id"], "sessions_per_week": spw, "session_minutes": cls["minutes"]}
    doc["profession"] = team_profession(cls["instructor"]["profession"], package)
    set_course_stage(sketch, doc)
    sketch.seats[cls["id"]] -= spw - int(doc["intro"]) - int(doc["final"])
    doc["contact"] = pick_contact(sketch, doc)
    return doc


def team_profession(instructor: str, package: str) -> str:
    """Who gives the individual intro or re-test: an assistant only in maintenance training."""
    if instructor == "assistant" and not package.startswith("TV"):
        return "physio"
    return instructor


def team_sessions(package: str, cls: Doc) -> list[int]:
    """Weekly seats that keep a team referral inside its package's weekly minutes."""
    low, high = PACKAGE[package]["weekly_minutes"]
    return [n for n in range(1, meetings_of(cls) + 1) if low <= n * cls["minutes"] <= high]


def reachable_meetings(cls: Doc, available: Windows | None, site: Site) -> int:
    """How many of a class's meetings the citizen can come to."""
    if "meetings" not in cls:
        days = site.open_days() if available is None else list(available)
        return min(cls["meetings_per_week"], len(days))
    if available is None:
        return len(cls["meetings"])
    return sum(
        1
        for m in cls["meetings"]
        if covers(available.get(m["day"], []), minutes_of(m["start"]),
                  minutes_of(m["start"]) + cls["minutes"])
    )  # fmt: skip


def offer_class(sketch: WeekSketch, doc: Doc, site: Site, available: Windows | None) -> None:
    """Now and then a centre referral may take seats in a class instead ("så vidt muligt hold")."""
    if doc["mode"] != "centre" or doc["skills"] or sketch.rng.random() >= 0.12:
        return
    spw = doc["sessions_per_week"]
    for cls in (c for c in sketch.classes if c["centre"] == site.id):
        teacher = cls["instructor"]["profession"]
        fits = cls["minutes"] == doc["session_minutes"] and sketch.seats[cls["id"]] >= spw
        fits = fits and teacher in (doc["profession"], "assistant") and doc["profession"] != "ot"
        if fits and reachable_meetings(cls, available, site) >= spw:
            doc["class"] = cls["id"]
            sketch.seats[cls["id"]] -= spw
            return


def joint_referral(sketch: WeekSketch, citizen: Doc, first: Doc) -> Doc:
    """The other profession's referral in a joint (physio and ot) course at the same centre."""
    doc = dict(first, **{"class": None})  # the class, if any, was offered to the first
    doc["id"] = next_id(sketch, extra=1)
    doc["profession"] = "ot" if first["profession"] != "ot" else "physio"
    doc["sessions_per_week"], doc["session_minutes"] = pick_plan(
        sketch.rng, session_plans(doc["package"], doc["mode"])
    )
    doc.pop("exception", None)
    doc["skills"] = pick_skills(sketch, doc["centre"], doc["profession"])
    doc["contact"] = pick_contact(sketch, doc)
    charge_referral(sketch, doc, citizen)
    return doc


def pick_profession(sketch: WeekSketch, centre: str, weights: dict[str, int]) -> str:
    """The package's usual professions, leaning towards those with more of their time left."""
    return draw(sketch.rng, {
        p: w * (share_left(sketch, centre, p) + 0.02)
        for p, w in weights.items()
        if at_centre(sketch, centre, p)
    })  # fmt: skip


def share_left(sketch: WeekSketch, centre: str, profession: str) -> float:
    full = sketch.capacity.get((centre, profession), 0.0)
    return max(sketch.budget.get((centre, profession), 0.0), 0.0) / full if full else 0.0


def pick_plan(rng: random.Random, plans: Sequence[tuple[int, int]]) -> tuple[int, int]:
    return plans[rng.choices(range(len(plans)), [len(plans) - i + 1 for i in range(len(plans))])[0]]


def pick_skills(sketch: WeekSketch, centre: str, profession: str) -> list[str]:
    """One in five needs a special skill that a colleague of the profession at the centre has."""
    if sketch.rng.random() >= sketch.shape.skill_need:
        return []
    held = {s for t in at_centre(sketch, centre, profession) for s in t["skills"]}
    special = sorted(held & {"neuro", "lymph", "vestibular", "kol"})
    return [sketch.rng.choice(special)] if special else []


def set_course_stage(sketch: WeekSketch, doc: Doc) -> None:
    """New (intro, SUL §140 just discharged), under way, or ending near the package's maximum."""
    rng = sketch.rng
    most = PACKAGE[doc["package"]]["max_sessions"]
    spw = doc["sessions_per_week"]
    new = sketch.shape.new_courses if doc["package"].startswith("SUL") else 25
    stage = draw(rng, {"new": new, "ongoing": 60, "ending": 15 if most else 0})
    sul = doc["package"].startswith("SUL")
    if stage == "new":
        doc["intro"] = doc["mode"] == "team" or sul
        if sul:
            doc["discharged"] = (sketch.monday - timedelta(days=rng.randint(1, 6))).isoformat()
        return
    if stage == "ending":
        doc["delivered"] = most - rng.randint(1, spw)
        doc["final"] = doc["mode"] == "team"
    else:
        top = (most - spw - 1) if most else 14
        doc["delivered"] = rng.randint(1, max(1, top))
    if sul:
        weeks = max(2, doc["delivered"] // max(1, spw) + 1)
        doc["discharged"] = (
            sketch.monday - timedelta(days=7 * weeks + rng.randint(0, 4))
        ).isoformat()


def maybe_exception(rng: random.Random, doc: Doc) -> None:
    """Now and then a therapist judges that more than the package's weekly time is needed."""
    if rng.random() >= 0.03:
        return
    high = PACKAGE[doc["package"]]["weekly_minutes"][1]
    more = doc["sessions_per_week"] + 1
    if more <= 3 and more * doc["session_minutes"] > high:
        doc["sessions_per_week"] = more
        doc["exception"] = rng.choice(EXCEPTION_REASONS)


def maybe_earliest(sketch: WeekSketch, doc: Doc) -> None:
    """Some citizens can start only mid-week (back from hospital, a relative away...)."""
    if doc["intro"] or sketch.rng.random() >= 0.08:
        return
    day = 2 if doc["sessions_per_week"] <= 2 else 1
    if doc["sessions_per_week"] == 1 and sketch.rng.random() < 0.5:
        day = 3
    doc["earliest"] = (sketch.monday + timedelta(days=day)).isoformat()


def pick_contact(sketch: WeekSketch, doc: Doc) -> str | None:
    """Most referrals name a contact therapist of their profession at their centre."""
    if sketch.rng.random() >= 0.85:
        return None
    staff = at_centre(sketch, doc["centre"], doc["profession"])
    able = [t for t in staff if set(doc["skills"]) <= set(t["skills"])] or staff
    return sketch.rng.choice(able)["id"] if able else None


def charge_referral(sketch: WeekSketch, doc: Doc, citizen: Doc) -> None:
    """Take the therapist minutes a referral asks for off its centre's bookable time."""
    minutes = referral_minutes(doc, citizen, sketch.site(doc["centre"]))
    charge(sketch, doc["centre"], doc["profession"], minutes)


def referral_minutes(doc: Doc, citizen: Doc, site: Site) -> int:
    most = PACKAGE[doc["package"]]["max_sessions"]
    sessions = doc["sessions_per_week"]
    if most is not None:
        sessions = max(0, min(sessions, most - doc["delivered"]))
    if doc["mode"] == "team":
        sessions = min(sessions, int(doc["intro"]) + int(doc["final"]))
    minutes = sessions * doc["session_minutes"]
    if doc["mode"] == "home":
        minutes += sessions * 2 * home_travel(site, citizen)
    return minutes


def home_travel(site: Site, citizen: Doc) -> int:
    km = distance_km(site, citizen)
    return math.ceil(km * TRAVEL["detour_factor"] / TRAVEL["speed_kmh"] * 60)


# --- Referrals that cannot fit, on purpose -------------------------------------------------------


def add_misfits(sketch: WeekSketch) -> None:
    """A few referrals no plan can serve, as in every real week: the planner must say why."""
    count = max(1, round(len(sketch.referrals) / 125))
    candidates = individual_at_centre(sketch)
    sketch.rng.shuffle(candidates)
    changed = 0
    for referral in candidates:
        changed += unheld_skill(sketch, referral)
        if changed == count:
            break
    for citizen in sketch.rng.sample(single_referral_citizens(sketch), count):
        citizen["available"] = {"fri": [["14:00", "16:00"]]}  # after every centre has closed


def individual_at_centre(sketch: WeekSketch) -> list[Doc]:
    return [r for r in sketch.referrals if r["mode"] == "centre" and not r["skills"]]


def single_referral_citizens(sketch: WeekSketch) -> list[Doc]:
    counts: dict[str, int] = {}
    for referral in sketch.referrals:
        counts[referral["citizen"]] = counts.get(referral["citizen"], 0) + 1
    return [c for c in sketch.citizens if counts[c["id"]] == 1]


def unheld_skill(sketch: WeekSketch, referral: Doc) -> bool:
    """Ask for a skill that nobody of the referral's profession at its centre holds."""
    held = {s for t in at_centre(sketch, referral["centre"], referral["profession"])
            for s in t["skills"]}  # fmt: skip
    missing = sorted({"neuro", "lymph", "vestibular", "kol"} - held)
    if not missing:
        return False
    referral["skills"] = [sketch.rng.choice(missing)]
    referral["contact"] = None
    return True


# --- The document --------------------------------------------------------------------------------


def scenario_doc(sketch: WeekSketch, name: str) -> Doc:
    return {
        "format": "scenario/1",
        "name": name,
        "timezone": "Europe/Copenhagen",
        "week": sketch.week,
        "slot_minutes": 15,
        "travel": dict(TRAVEL),
        "centres": [centre_doc(site) for site in sketch.sites],
        "rooms": [room for site in sketch.sites for room in room_docs(site)],
        "therapists": sketch.therapists,
        "packages": [json.loads(json.dumps(p)) for p in PACKAGES],
        "classes": sketch.classes,
        "citizens": sketch.citizens,
        "referrals": sketch.referrals,
        "pinned": [],
        "previous": [],
    }


def build(
    rng: random.Random, name: str, week: str, sites: tuple[Site, ...], towns: tuple[Town, ...],
    scale: Scale, shape: Shape | None = None,
) -> Doc:  # fmt: skip
    """Therapists first, then classes they can run, then citizens and their referrals."""
    sketch = WeekSketch(rng, week, sites, towns, scale, shape or Shape())
    add_therapists(sketch, scale)
    add_classes(sketch)
    add_referrals(sketch, scale.referrals)
    add_misfits(sketch)
    return scenario_doc(sketch, name)


def towns_for(size: Scale) -> tuple[Town, ...]:
    """Where a generated municipality lies: Djursland and its neighbours, or for a shared
    service with more centres than those towns hold, the whole of Midtjylland."""
    return DJURSLAND_TOWNS if size.centres <= 9 else MIDTJYLLAND_TOWNS


def generate(scale: str, seed: int, week: str = "2026-W50", shape: str = "usual") -> Doc:
    """A realistic week for a municipality of size S, M or L, or a shared service (XL), of a
    kind of week (SHAPES), the same for the same seed."""
    size = SCALES[scale]
    kind = SHAPES[shape]
    rng = random.Random(seed)
    towns = towns_for(size)
    sites = pick_sites(rng, size.centres, towns, kind)
    label = "" if shape == "usual" else f", {shape}"
    owner = "Fælles træningsservice" if scale == "XL" else "Genereret kommune"
    name = f"{owner} {scale} (frø {seed}{label}), uge {week_number(week)}"
    return build(rng, name, week, sites, towns, size, kind)


def norddjurs(seed: int = NORDDJURS_SEED) -> Doc:
    """Norddjurs Kommune's week 50: the three real centres and a generated week of referrals."""
    rng = random.Random(seed)
    name = f"Norddjurs Kommune, uge {week_number(NORDDJURS_WEEK)}"
    return build(rng, name, NORDDJURS_WEEK, NORDDJURS_SITES, NORDDJURS_TOWNS, SCALES["S"])


# --- Week 52: Christmas, a small hand-made week for the holiday rules ---------------------------

CHRISTMAS_WEEK = "2026-W52"  # Monday 21 December; Friday 25 December is Juledag


def norddjurs_christmas() -> Doc:
    """Posthaven in week 52: four therapists, fifteen referrals, a class meeting on Juledag."""
    site = next(site for site in NORDDJURS_SITES if site.id == "posthaven")
    return {
        "format": "scenario/1",
        "name": "Norddjurs Kommune, uge 52 (jul)",
        "timezone": "Europe/Copenhagen",
        "week": CHRISTMAS_WEEK,
        "slot_minutes": 15,
        "travel": dict(TRAVEL),
        "centres": [centre_doc(site)],
        "rooms": [r for r in room_docs(site) if r["kind"] != "pool"],
        "therapists": christmas_therapists(),
        "packages": [json.loads(json.dumps(p)) for p in PACKAGES],
        "classes": christmas_classes(),
        "citizens": christmas_citizens(),
        "referrals": christmas_referrals(),
        "pinned": [],
        "previous": [],
    }


def _hours(days: Sequence[str], *windows: tuple[str, str]) -> Windows:
    return {day: [list(w) for w in windows] for day in days}


def christmas_therapists() -> list[Doc]:
    full = _hours(DAYS[:4], ("08:00", "11:30"), ("12:00", "15:00")) | {"fri": [["08:00", "13:00"]]}
    return [
        _therapist("t01", "Mette Holm", "physio", ["neuro", "team"], full),
        _therapist("t02", "Jonas Kristensen", "physio", ["team"], full, absent=["2026-12-23"]),
        _therapist("t03", "Line Vestergaard", "ot", ["neuro"],
                   _hours(("mon", "tue", "wed"), ("08:00", "11:30"), ("12:00", "14:00"))),
        _therapist("t04", "Bente Nørgaard", "assistant", ["team"],
                   _hours(DAYS, ("08:00", "12:00")), max_minutes=900),
    ]  # fmt: skip


def _therapist(
    id: str, name: str, profession: str, skills: list[str], hours: Windows,
    absent: list[str] | None = None, max_minutes: int | None = None,
) -> Doc:  # fmt: skip
    return {"id": id, "name": name, "profession": profession, "skills": skills,
            "centres": ["posthaven"], "hours": hours, "absent": absent or [],
            "max_minutes": max_minutes}  # fmt: skip


def christmas_classes() -> list[Doc]:
    balance = {
        "id": "balance-posthaven", "name": "Balancehold", "centre": "posthaven",
        "room_kind": "hall", "capacity": 10, "minutes": 60,
        "instructor": {"profession": "physio", "skills": ["team"]},
        "meetings": [{"day": "tue", "start": "10:00"}, {"day": "fri", "start": "10:00"}],
    }  # fmt: skip
    strength = {
        "id": "styrke-posthaven", "name": "Styrke 65+", "centre": "posthaven",
        "room_kind": "hall", "capacity": 12, "minutes": 60,
        "instructor": {"profession": "assistant", "skills": ["team"]},
        "meetings_per_week": 2,
    }  # fmt: skip
    return [balance, strength]


#: (name, street address in a town near Grenaa, lat, lon, available or None)
CHRISTMAS_CITIZENS: tuple[tuple[str, str, float, float, Windows | None], ...] = (
    ("Karen Jensen", "Storegade 12, 8500 Grenaa", 56.4162, 10.8801, None),
    ("Poul Nielsen", "Kirkevej 4, Hammelev, 8500 Grenaa", 56.4458, 10.8433, None),
    ("Inge Sørensen", "Skolevej 7, 8570 Trustrup", 56.3461, 10.7771,
     _hours(DAYS, ("08:00", "12:00"))),
    ("Jørgen Madsen", "Bygaden 3, Voldby, 8500 Grenaa", 56.4733, 10.8294, None),
    ("Birthe Kjær", "Lindevej 22, 8500 Grenaa", 56.4131, 10.8702, None),
    ("Erik Thomsen", "Havnevej 9, 8500 Grenaa", 56.4098, 10.8923, None),
    ("Grethe Olsen", "Møllevej 15, Gjerrild, 8500 Grenaa", 56.5031, 10.8187,
     _hours(("mon", "wed"), ("09:00", "13:00"))),
    ("Knud Poulsen", "Rosenvej 2, 8500 Grenaa", 56.4201, 10.8655, None),
    ("Lis Mortensen", "Toftevej 18, 8586 Ørum Djurs", 56.4592, 10.6712, None),
    ("Svend Laursen", "Engvej 5, 8585 Glesborg", 56.4879, 10.7244, None),
    ("Hanne Bach", "Solvej 30, 8500 Grenaa", 56.4187, 10.8611, None),
    ("Ole Dahl", "Parkvej 11, 8500 Grenaa", 56.4144, 10.8744, _hours(("fri",), ("09:00", "12:00"))),
    ("Ruth Lund", "Birkevej 6, 8570 Trustrup", 56.3442, 10.7702, None),
    ("Aase Skov", "Vestergade 40, 8500 Grenaa", 56.4170, 10.8690, None),
)  # fmt: skip


def christmas_citizens() -> list[Doc]:
    citizens = []
    for n, (name, address, lat, lon, available) in enumerate(CHRISTMAS_CITIZENS, 1):
        doc: Doc = {"id": f"c{n:03d}", "name": name, "address": address, "lat": lat, "lon": lon}
        if available is not None:
            doc["available"] = available
        citizens.append(doc)
    return citizens


#: (citizen, package, mode, class, profession, sessions, minutes, extra fields)
CHRISTMAS_REFERRALS: tuple[tuple[int, str, str, str | None, str, int, int, Doc], ...] = (
    (1, "TG1", "centre", None, "physio", 2, 45, {"contact": "t01"}),
    (2, "SUL140-C", "centre", None, "physio", 2, 45,
     {"intro": True, "discharged": "2026-12-17", "contact": "t02"}),
    (3, "TG2", "team", "balance-posthaven", "physio", 2, 60, {"delivered": 6, "contact": "t01"}),
    (4, "SUL140-H", "home", None, "physio", 1, 60,
     {"intro": True, "discharged": "2026-12-18", "contact": "t01"}),
    (5, "TV2", "team", "styrke-posthaven", "physio", 2, 60, {"delivered": 10}),
    (6, "TUS", "centre", None, "ot", 1, 30, {"contact": "t03"}),
    (7, "SUL140-T", "team", "balance-posthaven", "physio", 2, 60,
     {"intro": True, "discharged": "2026-12-16", "contact": "t02"}),
    (8, "TV1", "team", "styrke-posthaven", "physio", 1, 60, {"delivered": 3}),
    (9, "TV3", "online", None, "ot", 2, 30, {"delivered": 4, "contact": "t03"}),
    (10, "TG1", "home", None, "ot", 1, 60, {"skills": ["neuro"], "contact": "t03"}),
    (11, "TV1", "centre", None, "assistant", 1, 60, {"delivered": 2, "contact": "t04"}),
    (12, "TG1", "centre", None, "physio", 1, 60, {"contact": "t02"}),
    (13, "TG1", "centre", None, "physio", 2, 45, {"earliest": "2026-12-23", "delivered": 14}),
    (14, "TV2", "team", "balance-posthaven", "physio", 2, 60, {"final": True, "delivered": 22}),
    (1, "TUS", "centre", None, "ot", 1, 30, {"contact": "t03"}),
)  # fmt: skip


def christmas_referrals() -> list[Doc]:
    referrals = []
    for n, (citizen, package, mode, cls, profession, spw, minutes, extra) in enumerate(
        CHRISTMAS_REFERRALS, 1
    ):
        doc = referral_doc(f"r{n:03d}", {"id": f"c{citizen:03d}"}, package, mode, "posthaven")
        doc |= {"class": cls, "profession": profession, "sessions_per_week": spw,
                "session_minutes": minutes, **extra}  # fmt: skip
        referrals.append(doc)
    return referrals


# --- How busy a week is --------------------------------------------------------------------------


def capacity_minutes(problem: Problem) -> int:
    """Bookable therapist minutes: hours on the week's plannable days, absences out, capped."""
    total = 0
    for therapist in problem.therapists:
        minutes = sum(
            sum(w.end - w.start for w in therapist.hours.get(day.weekday, ()))
            for day in problem.days
            if day.date not in therapist.absent
        )
        cap = therapist.max_minutes
        total += minutes if cap is None else min(minutes, cap)
    return total


def requested_minutes(problem: Problem) -> int:
    """Therapist minutes the referrals ask for: sessions, home-visit driving, class meetings."""
    total = sum(referral_therapist_minutes(problem, r) for r in problem.referrals)
    seats: dict[str, int] = {}
    for referral in problem.referrals:
        if referral.mode == "team" and referral.team_class:
            own = min(
                requested_sessions(problem, referral), int(referral.intro) + int(referral.final)
            )
            taken = requested_sessions(problem, referral) - own
            seats[referral.team_class] = seats.get(referral.team_class, 0) + taken
    for cls in problem.classes:
        meetings = len(cls.meetings) if cls.fixed else cls.meetings_per_week or 0
        total += cls.minutes * min(meetings, seats.get(cls.id, 0))
    return total


def referral_therapist_minutes(problem: Problem, referral: Referral) -> int:
    sessions = requested_sessions(problem, referral)
    if referral.mode == "team":
        sessions = min(sessions, int(referral.intro) + int(referral.final))
    minutes = sessions * referral.session_minutes
    if referral.mode == "home" and referral.centre:
        centre, citizen = problem.centre(referral.centre), problem.citizen(referral.citizen)
        drive = travel_minutes(problem.travel, centre.lat, centre.lon, citizen.lat, citizen.lon)
        minutes += sessions * 2 * drive
    return minutes


def requested_count(problem: Problem) -> int:
    """Sessions the week asks for (a team seat counts as one), as plan/1's stats count them."""
    return sum(requested_sessions(problem, referral) for referral in problem.referrals)


# --- Writing the fixtures ------------------------------------------------------------------------


def write_json(doc: Doc, path: Path) -> None:
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_fixtures(directory: Path) -> None:
    """Rewrite the committed fixtures from code, so they cannot drift from it."""
    write_json(norddjurs(), directory / "norddjurs.json")
    write_json(norddjurs_christmas(), directory / "norddjurs-uge52.json")


def main(argv: Sequence[str]) -> None:
    write_fixtures(Path(argv[0]) if argv else Path("fixtures"))


if __name__ == "__main__":
    main(sys.argv[1:])
