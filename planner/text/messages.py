"""Every message a person reads, by code, in Danish and English: the one catalogue.

Code that finds something to say builds a `Message` (a code and plain parameters; see
solver/problem.py) and never a sentence; this module renders it where it is shown: the Danish
or English page, the CLI (English), plan/1 (English, the exchange format's language). Nothing
reads a rendered sentence back.

A template names its parameters as `{name}`; a parameter is written out by its name (a
profession, skills, ISO dates and weekday keys are worded per language, lists joined).
`{n:session|sessions}` picks the singular when n is 1, `{profession:a}` adds the article,
`{what:cap}` a capital letter. A test keeps both languages' templates
of every code to the same parameters.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from solver.problem import Message

Lang = Literal["da", "en"]

__all__ = ["CATALOGUE", "Lang", "Message", "Where", "render", "render_all", "text_message"]


@dataclass(frozen=True)
class Where:
    """Which record a message is about: `referrals[0] (r001).citizen`.

    `kind` is the document's list (or a top-level field such as `week`, or a file), `index` and
    `key` the record's place and id in it, `field` the path inside the record (() for the whole
    record), e.g. ("hours", "mon", 0, 1).
    """

    kind: str
    index: int | None = None
    key: str | None = None
    field: tuple[str | int, ...] = ()

    def path(self) -> str:
        """The location as the exchange format writes it, e.g. `referrals[3] (r004).citizen`."""
        text = self.kind
        if self.index is not None:
            text += f"[{self.index}]"
            if self.key is not None:
                text += f" ({self.key})"
        for part in self.field:
            text += f"[{part}]" if isinstance(part, int) else f".{part}"
        return text


# --- words --------------------------------------------------------------------------------

PROFESSIONS: dict[Lang, dict[str, str]] = {
    "da": {"physio": "fysioterapeut", "ot": "ergoterapeut", "assistant": "træningsassistent"},
    "en": {
        "physio": "physiotherapist",
        "ot": "occupational therapist",
        "assistant": "assistant",
    },
}
DAYS: dict[Lang, dict[str, str]] = {
    "da": dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                   ("man", "tir", "ons", "tor", "fre", "lør", "søn"), strict=True)),
    "en": dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                   ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True)),
}  # fmt: skip
OR: dict[Lang, str] = {"da": " eller ", "en": " or "}
NONE: dict[Lang, str] = {"da": "ingen", "en": "none"}
DATE_PARAMS = frozenset({"earliest", "discharged", "deadline", "first", "from_date", "to_date"})
#: Parameters that name a weekday key or a date.
DAY_PARAMS = frozenset({"day"})


def skills_phrase(skills: list[str], lang: Lang) -> str:
    """ " with skill 'neuro'" / " med kompetencerne 'kol', 'neuro'" ("" without skills)."""
    if not skills:
        return ""
    names = ", ".join(f"'{s}'" for s in skills)
    if lang == "da":
        return f" med kompetence{'rne' if len(skills) > 1 else 'n'} {names}"
    return f" with skill{'s' if len(skills) > 1 else ''} {names}"


def date_text(value: str, lang: Lang) -> str:
    """An ISO date as the reader writes it: 4.12.2026 in Danish, 2026-12-04 in English."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{day.day}.{day.month}.{day.year}" if lang == "da" else day.isoformat()


def day_text(value: str, lang: Lang) -> str:
    """A weekday key (mon) or an ISO date (with its weekday) for a message."""
    if value in DAYS[lang]:
        return DAYS[lang][value]
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    weekday = DAYS[lang][("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]]
    return f"{weekday} {date_text(value, lang)}"


def availability(value: list[list[Any]] | None, lang: Lang) -> str:
    """[[weekday, [[start, end], ...]], ...] as `Fri 14:00–16:00; Mon 09:00–12:00`."""
    if value is None:
        return "når centret har åbent" if lang == "da" else "whenever the centre is open"
    if not value:
        return "ingen dag i denne uge" if lang == "da" else "no day this week"
    return "; ".join(
        f"{DAYS[lang][day]} " + ", ".join(f"{a}–{b}" for a, b in windows) for day, windows in value
    )


def meetings(value: list[list[str]], lang: Lang) -> str:
    return ", ".join(f"{DAYS[lang][day]} {start}" for day, start in value)


def therapist_names(value: list[str], lang: Lang) -> str:
    """["Anna", "Bo", "+2"] as `Anna, Bo og 2 til` / `Anna, Bo and 2 more`; two as `A eller B`."""
    names = [v for v in value if not v.startswith("+")]
    more = [v[1:] for v in value if v.startswith("+")]
    if more:
        rest = f" og {more[0]} til" if lang == "da" else f" and {more[0]} more"
        return ", ".join(names) + rest
    return OR[lang].join(names)


def or_class(value: bool, lang: Lang) -> str:
    if not value:
        return ""
    return " eller et møde på holdet" if lang == "da" else " or a meeting of the class"


THINGS: dict[Lang, dict[str, str]] = {
    "da": {
        "therapist": "terapeut", "therapists": "terapeut", "centre": "center",
        "centres": "center", "room": "lokale", "rooms": "lokale", "referral": "henvisning",
        "referrals": "henvisning", "class": "hold", "classes": "hold", "citizen": "borger",
        "citizens": "borger", "package": "pakke", "packages": "pakke", "plan": "plan",
        "scenario": "uge", "appointment": "aftale", "solve_job": "planlægning",
        "kind": "type", "team_class": "hold", "time": "tid", "participants": "deltagerne",
        "absence": "fravær",
    },
    "en": {
        "therapist": "therapist", "therapists": "therapist", "centre": "centre",
        "centres": "centre", "room": "room", "rooms": "room", "referral": "referral",
        "referrals": "referral", "class": "class", "classes": "class", "citizen": "citizen",
        "citizens": "citizen", "package": "package", "packages": "package", "plan": "plan",
        "scenario": "week", "appointment": "appointment", "solve_job": "solve",
        "kind": "kind", "team_class": "class", "time": "time", "participants": "participants",
        "absence": "absence",
    },
}  # fmt: skip
KINDS: dict[Lang, dict[str, str]] = {
    "da": {"individual": "individuel", "home": "hjemmebesøgs", "online": "online",
           "team": "holdtrænings"},
    "en": {"individual": "individual", "home": "home", "online": "online", "team": "team"},
}  # fmt: skip
MODES: dict[Lang, dict[str, str]] = {
    "da": {"centre": "træning på center", "home": "hjemmetræning", "online": "onlinetræning",
           "team": "holdtræning"},
    "en": {"centre": "centre", "home": "home", "online": "online", "team": "team"},
}  # fmt: skip
ROOM_KINDS: dict[Lang, dict[str, str]] = {
    "da": {"hall": "sal", "treatment": "behandlingsrum", "adl": "ADL-køkken", "pool": "bassin"},
    "en": {"hall": "hall", "treatment": "treatment", "adl": "adl", "pool": "pool"},
}
PATTERN_WORDS: dict[Lang, dict[str, str]] = {
    "da": {"time": "klokkeslæt som TT:MM", "date": "dato som ÅÅÅÅ-MM-DD",
           "week": "ISO-uge som ÅÅÅÅ-Wuu", "timestamp": "tidspunkt som ÅÅÅÅ-MM-DDTTT:MM:SS+01:00"},
    "en": {"time": "time as HH:MM", "date": "date as YYYY-MM-DD", "week": "ISO week as YYYY-Www",
           "timestamp": "timestamp as YYYY-MM-DDTHH:MM:SS+01:00"},
}  # fmt: skip
TYPES: dict[Lang, dict[str, str]] = {
    "da": {"string": "tekst", "integer": "helt tal", "number": "tal", "boolean": "sand/falsk",
           "array": "liste", "object": "objekt", "null": "null"},
    "en": {"string": "text", "integer": "integer", "number": "number", "boolean": "boolean",
           "array": "list", "object": "object", "null": "null"},
}  # fmt: skip
COURSE_STATUS: dict[Lang, dict[str, str]] = {
    "da": {"waiting": "ventende", "active": "aktivt", "paused": "på pause", "ended": "afsluttet"},
    "en": {"waiting": "waiting", "active": "active", "paused": "paused", "ended": "ended"},
}
MINUTE_PARAMS = frozenset({"start", "end", "start2", "end2", "opens", "closes"})
ABSENCES: dict[Lang, dict[str, str]] = {
    "da": {"ferie": "ferie", "sygdom": "sygdom", "kursus": "kursus", "andet": "fravær"},
    "en": {"ferie": "holiday", "sygdom": "illness", "kursus": "training course",
           "andet": "absence"},
}  # fmt: skip
STATUS: dict[Lang, dict[str, str]] = {
    "da": {"published": "offentliggjort", "superseded": "erstattet", "draft": "en kladde"},
    "en": {"published": "published", "superseded": "superseded", "draft": "a draft"},
}


def clock_text(minutes: int, lang: Lang) -> str:
    """Minutes after midnight: 10.30 in Danish, 10:30 in English."""
    return f"{minutes // 60:02d}{'.' if lang == 'da' else ':'}{minutes % 60:02d}"


def when_text(value: Mapping[str, Any], lang: Lang) -> str:
    """{date, start, end} as `Tue 2026-12-08 10:00–11:00` / `tir 8.12.2026 10.00–11.00`."""
    start, end = clock_text(value["start"], lang), clock_text(value["end"], lang)
    return f"{day_text(value['date'], lang)} {start}–{end}"


def appointment_text(value: Mapping[str, Any], lang: Lang) -> str:
    """An appointment by id, whom it is for and when."""
    if "class" in value:
        whom = f"{'hold' if lang == 'da' else 'class'} {value['class']}"
    else:
        whom = f"{'henvisning' if lang == 'da' else 'referral'} {value['referral']}"
    word = "Aftale" if lang == "da" else "Appointment"
    return f"{word} {value['id']} ({whom}, {when_text(value, lang)})"


def hours_text(value: list[list[int]], lang: Lang) -> str:
    spans = [f"{clock_text(a, lang)}–{clock_text(b, lang)}" for a, b in value]
    return ", ".join(spans) or NONE[lang]


def change_text(change: Mapping[str, Any], lang: Lang) -> str:
    """One difference from a pinned appointment: `therapist t02 instead of t01`."""
    name = THINGS[lang].get(change["field"], change["field"])
    if change["field"] == "participants":
        left = ", ".join(change["now"])
        return f"{name} {left} {'er udeladt' if lang == 'da' else 'left out'}"

    def value(v: Any) -> str:
        if isinstance(v, Mapping):
            return when_text(v, lang)
        return str(v) if v else NONE[lang]

    instead = "i stedet for" if lang == "da" else "instead of"
    return f"{name} {value(change['now'])} {instead} {value(change['was'])}"


def needed_skills(value: list[str], lang: Lang) -> str:
    if not value:
        return ""
    return (" med kompetencerne " if lang == "da" else " with skills ") + ", ".join(value)


def words(table: dict[Lang, dict[str, str]]) -> Formatter:
    return lambda v, lang: table[lang].get(v, str(v))


Formatter = Callable[[Any, Lang], str]
FORMATTERS: dict[str, Formatter] = {
    "profession": lambda v, lang: PROFESSIONS[lang].get(v, str(v)),
    "therapist_profession": lambda v, lang: PROFESSIONS[lang].get(v, str(v)),
    "skills": lambda v, lang: skills_phrase(list(v), lang),
    "needed_skills": lambda v, lang: needed_skills(list(v), lang),
    "centres": lambda v, lang: OR[lang].join(v),
    "availability": availability,
    "meetings": meetings,
    "times": meetings,
    "therapists": therapist_names,
    "weekdays": lambda v, lang: ", ".join(day_text(d, lang) for d in v),
    "or_class": or_class,
    "appointment": appointment_text,
    "appointment2": appointment_text,
    "when": when_text,
    "hours": hours_text,
    "changes": lambda v, lang: "; ".join(change_text(c, lang) for c in v),
    "what": lambda v, lang: THINGS[lang].get(v, str(v)),
    "kind": words(KINDS),
    "kinds": lambda v, lang: ", ".join(KINDS[lang].get(k, k) for k in v),
    "mode": words(MODES),
    "absence": words(ABSENCES),
    "room_kind": words(ROOM_KINDS),
    "room_kinds": lambda v, lang: OR[lang].join(ROOM_KINDS[lang].get(k, k) for k in v),
    "status": words(STATUS),
    "was_course": words(COURSE_STATUS),
    "to_course": words(COURSE_STATUS),
    "pattern": words(PATTERN_WORDS),
    "type": lambda v, lang: OR[lang].join(
        TYPES[lang].get(t, t) for t in ([v] if isinstance(v, str) else v)
    ),
    "one_of": lambda v, lang: ", ".join(map(str, v[:-1])) + OR[lang] + str(v[-1]),
    "problem": lambda v, lang: render(from_json(v), lang),
    "problems": lambda v, lang: "; ".join(render(from_json(m), lang) for m in v),
    **{name: date_text for name in DATE_PARAMS},
    **{name: day_text for name in DAY_PARAMS},
    **{name: clock_text for name in MINUTE_PARAMS},
}


class Param:
    """One parameter inside a template: `{n}` its text, `{n:one|many}` a plural choice."""

    def __init__(self, name: str, value: Any, lang: Lang) -> None:
        self.name, self.value, self.lang = name, value, lang

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return one if self.value == 1 else many
        if spec == "cap":
            return self.text()[:1].upper() + self.text()[1:]
        if spec == "a":  # with its indefinite article
            noun = self.text()
            if self.lang == "da":
                return f"en {noun}"
            return f"an {noun}" if noun[:1] in tuple("aeiou") else f"a {noun}"
        return self.text()

    def text(self) -> str:
        if self.name in FORMATTERS:
            return FORMATTERS[self.name](self.value, self.lang)
        if self.value is None:
            return NONE[self.lang]
        if isinstance(self.value, list | tuple):
            return ", ".join(str(v) for v in self.value) or NONE[self.lang]
        return str(self.value)


class Params(dict[str, Param]):
    def __missing__(self, key: str) -> Param:
        raise KeyError(f"message parameter {key!r} is missing")


# --- the catalogue ------------------------------------------------------------------------

#: code -> (Danish, English).
CATALOGUE: dict[str, tuple[str, str]] = {
    # A sentence that came as text only (a plan/1 file from elsewhere, a plan stored before
    # messages were data): shown as it is.
    "text": ("{text}", "{text}"),
    # --- why sessions are unplaced (solver/explain.py) ---
    "unplaced.nobody-qualified": (
        "ingen {profession}{skills} arbejder på {centres}",
        "no {profession}{skills} works at {centres}",
    ),
    "unplaced.starts-after-week": (
        "tidligste start {earliest} ligger efter ugens sidste arbejdsdag",
        "the earliest start {earliest} is after the week's last working day",
    ),
    "unplaced.nobody-working": (
        "ingen {profession}{skills} på {centres} arbejder på de dage, ugen tillader",
        "no {profession}{skills} at {centres} works on the days this week allows",
    ),
    "unplaced.no-time-for-visit": (
        "ingen {profession}{skills} fra {centres} har tid til besøget og kørslen, mens borgeren "
        "kan ({availability})",
        "no {profession}{skills} at {centres} has time for the visit and the drive while the "
        "citizen is available ({availability})",
    ),
    "unplaced.nobody-free": (
        "ingen {profession}{skills} på {centres} er ledig, mens borgeren kan ({availability})",
        "no {profession}{skills} at {centres} is free while the citizen is available "
        "({availability})",
    ),
    "unplaced.cannot-join-meetings": (
        "borgeren kan ikke komme til nogen af mødetiderne på {team_class} ({meetings}), eller "
        "ingen instruktør er ledig da",
        "the citizen cannot come to any meeting of {team_class} ({meetings}), or no instructor "
        "is free then",
    ),
    "unplaced.class-cannot-meet": (
        "{team_class} kan ikke mødes, mens borgeren kan",
        "no meeting of {team_class} can be held while the citizen is available",
    ),
    "unplaced.too-few-days": (
        "kun {fit} af de {requested} ønskede sessioner kan passes ind: borgeren kan komme på for "
        "få af de dage, hvor {profession:a}{skills}{or_class} er ledig",
        "only {fit} of the {requested} requested sessions can fit: the citizen can come on too "
        "few of the days when {profession:a}{skills}{or_class} is free",
    ),
    "unplaced.other-sessions": (
        "borgerens andre sessioner optager nogle af de mulige dage ({weekdays})",
        "the citizen's other sessions take some of the possible days ({weekdays})",
    ),
    "unplaced.class-full": (
        "de møder på {team_class}, borgeren kan komme til, er fulde eller kan ikke holdes",
        "the meetings of {team_class} the citizen can come to are full or cannot be held",
    ),
    "unplaced.no-room": (
        "der er intet ledigt lokale på {centres}, når {therapists} kunne give sessionen og "
        "borgeren kan komme ({times}): et ledigt behandlingsrum eller en plads i salen da ville "
        "give plads til den",
        "no room is free at {centres} when {therapists} could give the session and the citizen "
        "can come ({times}): a free treatment room or hall place then would let it be placed",
    ),
    "unplaced.weekly-cap": (
        "{therapist} har nået ugens loft på {cap} minutter: et højere loft ville give plads til "
        "sessionen",
        "{therapist} has reached the week's cap of {cap} minutes: a higher cap would let the "
        "session be placed",
    ),
    "unplaced.only-one-busy": (
        "den eneste {profession}{skills}, der kan give den, {therapist}, er optaget, når borgeren "
        "kan komme ({times}): flere timer til {therapist} eller en anden {profession}{skills} "
        "ville give plads til den",
        "the only {profession}{skills} who could give it, {therapist}, is booked whenever the "
        "citizen can come ({times}): more hours for {therapist}, or another {profession}{skills}, "
        "would let it be placed",
    ),
    "unplaced.few-busy": (
        "alle med rette fag ({profession}{skills}), der kan give den ({therapists}), er optaget, "
        "når borgeren kan komme ({times}): flere timer til en af dem eller en anden "
        "{profession}{skills} ville give plads til den",
        "every {profession}{skills} who could give it ({therapists}) is booked whenever the "
        "citizen can come ({times}): more hours for one of them, or another "
        "{profession}{skills}, would let it be placed",
    ),
    "unplaced.meetings-full": (
        "de møder på {team_class}, borgeren kan komme til, er fulde ({times}): et større lokale "
        "eller et ekstra møde ville give plads",
        "the meetings of {team_class} the citizen can come to are full ({times}): a larger room "
        "or another meeting would let it be placed",
    ),
    "unplaced.no-assessment-before": (
        "møderne på {team_class}, borgeren kan komme til, har pladser ({times}), men ingen "
        "individuel startvurdering kunne lægges på en tidligere dag: forløbet begynder med en",
        "the meetings of {team_class} the citizen can come to have seats ({times}), but no "
        "individual start assessment could be placed on an earlier day: the course starts with "
        "one",
    ),
    "unplaced.class-meets-enough": (
        "møderne på {team_class}, borgeren kan komme til ({times}), kan ikke holdes: holdet "
        "mødes allerede {per_week} gange i denne uge",
        "the meetings of {team_class} the citizen can come to ({times}) cannot be held: the "
        "class already meets {per_week} times this week",
    ),
    "unplaced.class-meets-those-days": (
        "møderne på {team_class}, borgeren kan komme til ({times}), kan ikke holdes: holdet "
        "mødes allerede de dage",
        "the meetings of {team_class} the citizen can come to ({times}) cannot be held: the "
        "class already meets on those days",
    ),
    "unplaced.instructors-busy": (
        "møderne på {team_class}, borgeren kan komme til ({times}), kan ikke holdes: alle "
        "instruktører ({therapists}) er optaget da",
        "the meetings of {team_class} the citizen can come to ({times}) cannot be held: every "
        "instructor ({therapists}) is busy then",
    ),
    "unplaced.class-room-busy": (
        "møderne på {team_class}, borgeren kan komme til ({times}), kan ikke holdes: intet "
        "{room_kind} på {centre} er ledigt da",
        "the meetings of {team_class} the citizen can come to ({times}) cannot be held: no "
        "{room_kind} at {centre} is free then",
    ),
    "unplaced.all-booked": (
        "alle med rette fag ({profession}{skills}) er optaget, mens borgeren kan",
        "every {profession}{skills} is booked while the citizen is available",
    ),
    "unplaced.by-hand": (
        "planen er ændret i hånden; løs ugen igen for at få en begrundelse",
        "the plan was changed by hand; solve the week again for a reason",
    ),
    # --- warnings (solver/explain.py) ---
    "warning.no-start": (
        "ingen session i denne uge; udskrevet {discharged}, træningen skal starte senest "
        "{deadline}",
        "no session this week; discharged {discharged}, training must start by {deadline}",
    ),
    "warning.late-start": (
        "første session {first} er {days} dage efter udskrivelsen",
        "first session {first} is {days} days after discharge",
    ),
    "warning.package-limit": (
        "{package} har {left} {left:session|sessioner} tilbage ({delivered} af {max_sessions} "
        "givet): {left} af {weekly} ugentlige sessioner ønskes",
        "{package} has {left} {left:session|sessions} left ({delivered} of {max_sessions} "
        "delivered): {left} of {weekly} weekly sessions requested",
    ),
    # --- rules a plan breaks (planner/formats/validate.py): the code starts with the rule's
    # id in docs/rules.md ---
    "unique-ids": (
        "Aftale-id {id} bruges af {count} aftaler.",
        "Appointment id {id} is used by {count} appointments.",
    ),
    "unknown-reference.none": (
        "{appointment} nævner ingen {what}.",
        "{appointment} names no {what}.",
    ),
    "unknown-reference": (
        "{appointment} nævner {what} {key}, som ikke findes i ugens data.",
        "{appointment} names {what} {key}, which is not in the scenario.",
    ),
    "end-after-start": (
        "{appointment} slutter kl. {end}, ikke efter sin start.",
        "{appointment} ends at {end}, not after its start.",
    ),
    "plannable-day.holiday": (
        "{appointment} ligger {day}, en helligdag.",
        "{appointment} is on {day}, a public holiday.",
    ),
    "plannable-day.weekend": (
        "{appointment} ligger {day}, en weekenddag.",
        "{appointment} is on {day}, a weekend day.",
    ),
    "plannable-day": (
        "{appointment} ligger {day}, uden for uge {week}.",
        "{appointment} is on {day}, outside week {week}.",
    ),
    "slot-grid": (
        "{appointment} starter kl. {start}, uden for tidsrasteret på {slot} minutter.",
        "{appointment} starts at {start}, off the {slot}-minute grid.",
    ),
    "centre-open.closed": (
        "{appointment}: center {centre} er lukket {day}.",
        "{appointment}: centre {centre} is closed on {day}.",
    ),
    "centre-open": (
        "{appointment} optager {start}–{end} med kørsel, uden for center {centre}s åbningstid "
        "{opens}–{closes}.",
        "{appointment} takes {start}–{end} with travel, outside centre {centre}'s opening hours "
        "{opens}–{closes}.",
    ),
    "therapist-qualified": (
        "{appointment} kræver {profession:a}{needed_skills}; terapeut {therapist} er "
        "{therapist_profession:a} med kompetencerne {therapist_skills}.",
        "{appointment} needs {profession:a}{needed_skills}; therapist {therapist} is "
        "{therapist_profession:a} with skills {therapist_skills}.",
    ),
    "therapist-hours": (
        "{appointment} optager terapeut {therapist} {start}–{end}, uden for arbejdstiden den dag "
        "({hours}).",
        "{appointment} keeps therapist {therapist} busy {start}–{end}, outside their hours that "
        "day ({hours}).",
    ),
    "therapist-absent": (
        "{appointment}: terapeut {therapist} er fraværende {day}.",
        "{appointment}: therapist {therapist} is absent on {day}.",
    ),
    "therapist-one-centre": (
        "Terapeut {therapist} er på flere centre {day} ({at_centres}): aftale {appointments}.",
        "Therapist {therapist} is at several centres on {day} ({at_centres}): appointments "
        "{appointments}.",
    ),
    "therapist-one-centre.elsewhere": (
        "Terapeut {therapist} arbejder på center {centre} {day}, men kun på {own_centres}.",
        "Therapist {therapist} works at centre {centre} on {day}, but only at {own_centres}.",
    ),
    "therapist-overlap": (
        "Terapeut {therapist} er dobbeltbooket: {appointment} og {appointment2} overlapper "
        "(kørsel medregnet).",
        "Therapist {therapist} is double-booked: {appointment} and {appointment2} overlap "
        "(travel included).",
    ),
    "therapist-max-minutes": (
        "Terapeut {therapist} er planlagt {minutes} minutter i ugen med kørsel, over sit maksimum "
        "på {maximum}.",
        "Therapist {therapist} is planned {minutes} minutes this week, travel included, over "
        "their maximum of {maximum}.",
    ),
    "travel.not-home": (
        "{appointment} er ikke et hjemmebesøg, men har kørselsminutter.",
        "{appointment} is no home visit but has travel minutes.",
    ),
    "travel.there": (
        "{appointment} giver {allowed} minutter til at køre derud, men turen fra center "
        "{origin} tager {needed}.",
        "{appointment} allows {allowed} minutes to drive there, but the drive from centre "
        "{origin} takes {needed}.",
    ),
    "travel.there-chained": (
        "{appointment} giver {allowed} minutter til at køre derud, men turen fra det forrige "
        "hjemmebesøg {origin} tager {needed}.",
        "{appointment} allows {allowed} minutes to drive there, but the drive from the previous "
        "home visit {origin} takes {needed}.",
    ),
    "travel.no-way-back": (
        "{appointment} har ingen kørsel tilbage, men intet følger efter; turen tilbage til "
        "center {centre} tager {needed} minutter.",
        "{appointment} has no drive back, but nothing follows it; driving back to centre "
        "{centre} takes {needed} minutes.",
    ),
    "travel.no-way-back-next": (
        "{appointment} har ingen kørsel tilbage, men {next} er ikke et hjemmebesøg; turen "
        "tilbage til center {centre} tager {needed} minutter.",
        "{appointment} has no drive back, but {next} is no home visit; driving back to centre "
        "{centre} takes {needed} minutes.",
    ),
    "travel.back": (
        "{appointment} giver {allowed} minutter til at køre tilbage, men turen til center "
        "{centre} tager {needed}.",
        "{appointment} allows {allowed} minutes to drive back, but the drive to centre {centre} "
        "takes {needed}.",
    ),
    "room-kind.away": (
        "{appointment} er en {kind}session, men booker lokale {room}.",
        "{appointment} is a {kind} session but books room {room}.",
    ),
    "room-kind.none": ("{appointment} har intet lokale.", "{appointment} has no room."),
    "room-kind": (
        "{appointment} er i lokale {room} af typen {room_kind}; den kræver et lokale af typen "
        "{room_kinds}.",
        "{appointment} is in room {room} of kind {room_kind}; it needs a room of kind "
        "{room_kinds}.",
    ),
    "room-kind.centre": (
        "{appointment} er i lokale {room} på {room_centre}; den hører til på {centre}.",
        "{appointment} is in room {room} at {room_centre}; it belongs at {centre}.",
    ),
    "room-capacity": (
        "Lokale {room} rummer {capacity}, men {sessions} sessioner er i det {day} kl. {start}: "
        "{appointments}.",
        "Room {room} holds {capacity}, but {sessions} sessions are in it at {day} {start}: "
        "{appointments}.",
    ),
    "room-team-alone": (
        "Lokale {room} deles af et holdmøde: {appointment} og {appointment2} overlapper.",
        "Room {room} is shared by a team meeting: {appointment} and {appointment2} overlap.",
    ),
    "citizen-one-a-day": (
        "Borger {citizen} har {count} aftaler {day}: {appointments}.",
        "Citizen {citizen} has {count} appointments on {day}: {appointments}.",
    ),
    "citizen-available": (
        "{appointment}: borger {citizen} (henvisning {referral}) kan ikke på det tidspunkt.",
        "{appointment}: citizen {citizen} (referral {referral}) is not available then.",
    ),
    "citizen-earliest": (
        "{appointment}: henvisning {referral} må tidligst starte {earliest}.",
        "{appointment}: referral {referral} may start {earliest} at the earliest.",
    ),
    "referral-count": (
        "Henvisning {referral} har {count} sessioner, men ønsker {requested}: {appointments}.",
        "Referral {referral} has {count} sessions, but asks for {requested}: {appointments}.",
    ),
    "referral-distinct-days": (
        "Henvisning {referral} har {count} sessioner {day}: {appointments}.",
        "Referral {referral} has {count} sessions on {day}: {appointments}.",
    ),
    "referral-kind.unknown": (
        "{appointment} har typen '{kind}', som ikke er en af {kinds}.",
        "{appointment} is of kind '{kind}', not one of {kinds}.",
    ),
    "referral-kind": (
        "{appointment} er en {kind}session, men henvisning {referral} er til {mode}.",
        "{appointment} is a {kind} session, but referral {referral} is for {mode} sessions.",
    ),
    "referral-duration": (
        "{appointment} varer {lasts} {lasts:minut|minutter} i stedet for {minutes}.",
        "{appointment} lasts {lasts} {lasts:minute|minutes} instead of {minutes}.",
    ),
    "referral-centre": (
        "{appointment} er på center {at}; den hører til på {centre}.",
        "{appointment} is at centre {at}; it belongs at {centre}.",
    ),
    "team-intro-final": (
        "Henvisning {referral} har {alone} {alone:individuel session|individuelle sessioner}, "
        "men en holdhenvisning ses kun alene til opstart og re-test ({allowed} her).",
        "Referral {referral} has {alone} {alone:individual session|individual sessions}, but a "
        "team referral is seen alone only for its start assessment and re-test "
        "({allowed} here).",
    ),
    "course-start": (
        "Henvisning {referral} begynder sit forløb i denne uge, så dens første session skal være "
        "en individuel vurdering, men den har holdpladser før en: {appointments}.",
        "Referral {referral} starts its course this week, so its first session must be an "
        "individual assessment, but it has team seats before one: {appointments}.",
    ),
    "team-intro-final.early": (
        "Henvisning {referral} har holdpladser før sin opstart: {appointments}.",
        "Referral {referral} has team seats before its start assessment: {appointments}.",
    ),
    "team-intro-final.late": (
        "Henvisning {referral} har holdpladser efter sin re-test: {appointments}.",
        "Referral {referral} has team seats after its re-test: {appointments}.",
    ),
    "pinned.missing": (
        "Den fastlagte aftale {id} ({when}) mangler.",
        "Pinned appointment {id} ({when}) is missing.",
    ),
    "pinned": (
        "Den fastlagte aftale {id} er ændret: {changes}.",
        "Pinned appointment {id} was changed: {changes}.",
    ),
    "class-meetings.same-day": (
        "Hold {team_class} mødes {count} {count:gang|gange} {day}: {appointments}.",
        "Class {team_class} meets {count} {count:time|times} on {day}: {appointments}.",
    ),
    "class-meetings.empty": (
        "{appointment} har ingen deltagere; et tomt møde holdes ikke.",
        "{appointment} has no participants; an empty meeting is not held.",
    ),
    "class-meetings.not-fixed": (
        "{appointment} er ikke et af hold {team_class}s faste møder.",
        "{appointment} is not one of class {team_class}'s fixed meetings.",
    ),
    "class-meetings": (
        "Hold {team_class} mødes {count} {count:gang|gange}, mere end sine {per_week} "
        "{per_week:møde|møder} om ugen: {appointments}.",
        "Class {team_class} meets {count} {count:time|times}, more than its {per_week} "
        "{per_week:meeting|meetings} a week: {appointments}.",
    ),
    "class-capacity": (
        "{appointment} har {count} deltagere, {seats} pladser.",
        "{appointment} has {count} participants, {seats} seats.",
    ),
    "class-participants.twice": (
        "{appointment} nævner deltager {referral} {count} gange.",
        "{appointment} lists participant {referral} {count} times.",
    ),
    "class-participants": (
        "{appointment}: henvisning {referral} er ikke en henvisning til dette hold.",
        "{appointment}: referral {referral} is not a referral to this class.",
    ),
    "unplaced.listed-twice": (
        "Henvisning {referral} står {count} gange som ikke placeret.",
        "Referral {referral} is listed {count} times as unplaced.",
    ),
    "unplaced.not-listed": (
        "Henvisning {referral} mangler {missing} af sine {requested} sessioner, men planen "
        "nævner den ikke som ikke placeret.",
        "Referral {referral} misses {missing} of its {requested} sessions, but the plan does "
        "not list it as unplaced.",
    ),
    "unplaced.all-placed": (
        "Henvisning {referral} står som ikke placeret, men alle dens sessioner er placeret.",
        "Referral {referral} is listed as unplaced, but all its sessions are placed.",
    ),
    "unplaced.wrong-count": (
        "Henvisning {referral} står med {listed} ikke placerede sessioner, men mangler {missing}.",
        "Referral {referral} is listed with {listed} unplaced sessions, but misses {missing}.",
    ),
    "unplaced.no-reason": (
        "Henvisning {referral} står som ikke placeret uden en begrundelse.",
        "Referral {referral} is listed as unplaced without a reason.",
    ),
    "unplaced.unknown": (
        "Listen over ikke placerede nævner henvisning {referral}, som ikke findes i ugens data.",
        "The unplaced list names referral {referral}, which is not in the scenario.",
    ),
    "start-deadline.no-start": (
        "Henvisning {referral} (udskrevet {discharged}) har ingen første session, men planen "
        "har ingen advarsel om startfristen.",
        "Referral {referral} (discharged {discharged}) has no first session, but the plan has "
        "no start-deadline warning.",
    ),
    "start-deadline": (
        "Henvisning {referral} starter {day}, mere end {days} dage efter udskrivelsen "
        "{discharged}, men planen har ingen advarsel om startfristen.",
        "Referral {referral} starts {day}, more than {days} days after discharge on "
        "{discharged}, but the plan has no start-deadline warning.",
    ),
    "stats.requested": (
        "Planen siger, at {told} sessioner er ønsket; det er {count}.",
        "The plan says {told} sessions were requested; it is {count}.",
    ),
    "stats.placed": (
        "Planen siger, at {told} sessioner er placeret; det er {count}.",
        "The plan says {told} sessions were placed; it is {count}.",
    ),
    # --- what is wrong in a scenario/1 or plan/1 document (planner/formats); the record and
    # field come before the message ---
    "schema.minimum": (
        "skal være mindst {limit} (ikke {value})",
        "{value} is less than the minimum of {limit}; use {limit} or more",
    ),
    "schema.maximum": (
        "må højst være {limit} (ikke {value})",
        "{value} is greater than the maximum of {limit}; use {limit} or less",
    ),
    "schema.exclusiveMinimum": (
        "skal være over {limit} (ikke {value})",
        "{value} is not more than {limit}; use a number above {limit}",
    ),
    "schema.exclusiveMaximum": (
        "skal være under {limit} (ikke {value})",
        "{value} is not less than {limit}; use a number below {limit}",
    ),
    "schema.enum": (
        "'{value}' kan ikke bruges; vælg en af {allowed}",
        "'{value}' is not one of {allowed}; use one of them",
    ),
    "schema.pattern": (
        "'{value}' kan ikke læses; skriv {pattern}",
        "'{value}' is not {pattern:a}",
    ),
    "schema.required": ("mangler {fields}; udfyld det", "{fields} is missing; add it"),
    "schema.empty": ("skal udfyldes", "is empty; fill it in"),
    "schema.empty-list": ("vælg mindst én", "is empty; give at least one"),
    "schema.unique": (
        "står flere gange; skriv hver kun én gang",
        "has repeated items; give each only once",
    ),
    "schema.type": ("{value} har forkert type; skriv {type}", "{value} is not {type:a}"),
    "schema.unknown-field": (
        "ukendt felt {fields}; fjern det eller ret stavningen",
        "unknown field {fields}; remove it or correct its spelling",
    ),
    "file.unreadable": (
        "filen kan ikke læses ({reason})",
        "cannot read the file ({reason})",
    ),
    "file.not-utf8": (
        "ikke UTF-8-tekst (byte {byte}); gem filen som UTF-8",
        "not UTF-8 text (byte {byte}); save the file as UTF-8",
    ),
    "file.not-json": (
        "linje {line}, kolonne {column}: ikke gyldig JSON ({reason}); ret filens syntaks",
        "line {line}, column {column}: not valid JSON ({reason}); fix the file's syntax",
    ),
    "file.not-json-data": ("ikke gyldig JSON ({reason})", "not valid JSON ({reason})"),
    "scenario.unsafe-id": (
        '{value} må kun indeholde bogstaverne a-z, cifre, ".", "_" og "-" (højst 64, '
        "begyndende med et bogstav eller ciffer); omdøb det",
        '{value} may hold only letters a-z, digits, ".", "_" and "-" (at most 64, '
        "starting with a letter or digit); rename it",
    ),
    "register.other-person": (
        'registret har {key} som "{known}", men her er {key} "{given}": et id hører til én '
        "borger; giv den nye borger sit eget id (er det den samme borger, så skriv navnet, som "
        "registret har det)",
        'the register has {key} as "{known}", but here {key} is "{given}": an id belongs to one '
        "citizen; give the new citizen an id of their own (if it is the same citizen, write the "
        "name as the register has it)",
    ),
    "file.too-deep": (
        "JSON-dokumentet er for dybt indlejret",
        "the JSON document is nested too deeply",
    ),
    "file.not-object": (
        "dokumentet skal være et JSON-objekt",
        "the document must be a JSON object",
    ),
    "file.too-large": (
        "filen er større end {megabytes} MB",
        "the file is larger than {megabytes} MB",
    ),
    "appointment.bad-time": (
        "start/slut er ikke et rigtigt tidspunkt ({reason}); skriv ÅÅÅÅ-MM-DDTTT:MM:SS+01:00",
        "start/end is not a real time ({reason}); use YYYY-MM-DDTHH:MM:SS+01:00",
    ),
    "appointment.two-days": (
        "starter {start_day} men slutter {end_day}; hold aftalen inden for én dag",
        "starts on {start_day} but ends on {end_day}; keep it within one day",
    ),
    "appointment.ends-first": (
        "slutter før eller samtidig med, at den starter; gør slut senere end start",
        "ends at or before it starts; make `end` later than `start`",
    ),
    "unknown-id": (
        'ukendt {what} "{key}"; vælg et id, der findes',
        'unknown {what} "{key}"; use the id of an existing {what}',
    ),
    "id-used-again": (
        '{field} "{key}" er allerede brugt (første gang i {first_at}); giv hver sit {field}',
        '{field} "{key}" is used again (first at {first_at}); give each its own {field}',
    ),
    "plan.other-week": (
        "planen er for {plan_week}, men ugens data for {week}",
        "the plan is for {plan_week} but the scenario for {week}",
    ),
    "scenario.timezone": (
        '"{value}" er ikke en tidszone; brug "Europe/Copenhagen"',
        '"{value}" is not a time zone name; use "Europe/Copenhagen"',
    ),
    "scenario.week": (
        "{value} findes ikke, {year} har {weeks} ISO-uger; brug en uge fra {year}-W01 til "
        "{year}-W{weeks}",
        "{value} does not exist, {year} has {weeks} ISO weeks; use a week from {year}-W01 to "
        "{year}-W{weeks}",
    ),
    "scenario.slot": (
        "{value} går ikke op i en time; brug {one_of}",
        "{value} does not divide an hour evenly; use {one_of}",
    ),
    "scenario.pin-outside-week": (
        "{pinned_on} ligger ikke i uge {week}; fastlæg kun aftaler i ugen",
        "{pinned_on} is not in week {week}; pin only appointments of the week",
    ),
    "scenario.not-a-date": (
        '"{value}" er ikke en rigtig dato; skriv den som 2026-12-08',
        '"{value}" is not a real date; write it as YYYY-MM-DD',
    ),
    "package.range": (
        "{low} er mere end {high}; skriv det som [{high}, {low}]",
        "{low} is more than {high}; write it as [{high}, {low}]",
    ),
    "referral.weekly-minutes": (
        "{sessions} × {each} min = {total} min om ugen ligger uden for {package}s "
        "{low}–{high} min; skriv en begrundelse for afvigelsen, hvis det er meningen",
        "{sessions} × {each} min = {total} min a week is outside {package}'s {low}–{high} min; "
        'add "exception": "<reason>" if this is intended',
    ),
    "referral.team-needs-class": (
        "en holdhenvisning skal have et hold; vælg det hold, borgeren skal gå på",
        'a team referral needs a "class"; name the team class the citizen joins',
    ),
    "referral.team-centre": (
        '"{value}" er ikke centret for hold {team_class} ("{centre}"); vælg "{centre}" eller '
        "lad feltet stå tomt",
        '"{value}" is not the centre of class {team_class} ("{centre}"); set it to "{centre}" '
        "or leave it out",
    ),
    "referral.contact-profession": (
        "{contact} er {therapist_profession:a}, men henvisningen er til {profession:a}; vælg "
        "{profession:a} som kontakt",
        "{contact} is {therapist_profession:a} but the referral is for {profession:a}; name "
        "{profession:a} as contact",
    ),
    "referral.delivered": (
        "{delivered} sessioner er flere end {package}s højst {cap}; ret tallet eller afslut "
        "henvisningen",
        "{delivered} sessions is more than {package}'s max_sessions of {cap}; correct the count "
        "or close the referral",
    ),
    "class.both-meetings": (
        "har både faste mødetider og møder pr. uge; angiv kun det ene",
        'has both "meetings" and "meetings_per_week"; give exactly one',
    ),
    "class.no-meetings": (
        "har hverken faste mødetider eller møder pr. uge; angiv det ene",
        'has neither "meetings" nor "meetings_per_week"; give exactly one',
    ),
    "class.no-instructor": (
        "ingen {profession}{skills} arbejder på {centre}; giv en terapeut der det, der skal "
        "til, eller ret instruktøren",
        "no {profession}{skills} works at {centre}; give a therapist there what it takes or "
        "change the instructor",
    ),
    "class.no-room": (
        "{centre} har intet lokale af typen {room_kind}; opret et eller vælg en anden type",
        '{centre} has no room of kind "{room_kind}"; add one or change the room kind',
    ),
    "class.meeting-closed": (
        "{centre} har lukket {day}; flyt mødet til en dag med åbent",
        "{centre} is closed on {day}; move the meeting to an open day",
    ),
    "class.meeting-outside-hours": (
        "{day} {start}–{end} ligger uden for {centre}s åbningstid {opens}–{closes}; flyt "
        "mødet eller ret åbningstiden",
        "{day} {start}–{end} is outside {centre}'s opening hours {opens}–{closes}; move the "
        "meeting or change the opening hours",
    ),
    "class.meeting-off-grid": (
        "{value} ligger ikke på tidsrasteret på {slot} minutter; start på et multiplum af "
        "{slot} minutter",
        "{value} is not on the {slot}-minute grid; start at a multiple of {slot} minutes",
    ),
    "window.backwards": (
        "{start}–{end} slutter ikke efter, at det starter; skriv starten før slutningen",
        "{start}–{end} does not end after it starts; give the start before the end",
    ),
    "window.overlap": (
        "{start}–{end} overlapper {start2}–{end2}; slå de to tidsrum sammen til ét",
        "{start}–{end} overlaps {start2}–{end2}; merge the two windows into one",
    ),
    # --- the week's data forms (planner/week/edit.py); the page puts the field's label first ---
    "form.required": ("skal udfyldes", "must be filled in"),
    "form.not-integer": (
        '"{value}" er ikke et helt tal; skriv fx 45',
        '"{value}" is not a whole number; write e.g. 45',
    ),
    "form.not-decimal": (
        "skriv et decimaltal, fx 56,431",
        "write a decimal number, e.g. 56.431",
    ),
    "form.choose": ("vælg en af mulighederne", "choose one of the options"),
    "form.not-clock": (
        '"{value}" er ikke et klokkeslæt; skriv tider som {example}',
        '"{value}" is not a time of day; write times as {example}',
    ),
    "form.not-window": (
        '"{value}" er ikke et tidsrum; skriv tider som {example}',
        '"{value}" is not a stretch of time; write times as {example}',
    ),
    "form.not-date": (
        '"{value}" er ikke en dato; skriv datoer som 2026-12-08',
        '"{value}" is not a date; write dates as 2026-12-08',
    ),
    "form.meetings-both": (
        "udfyld enten faste mødetider eller møder pr. uge, ikke begge",
        "fill in either fixed meeting times or meetings per week, not both",
    ),
    "form.available-both": (
        "fjern fluebenet eller tiderne; de siger hver sit",
        "remove the tick or the times; they say different things",
    ),
    "form.one-opening": (
        "et center har ét tidsrum om dagen; skriv fx 08:00-16:00",
        "a centre has one stretch a day; write e.g. 08:00-16:00",
    ),
    "form.not-phone": (
        '"{value}" er ikke et telefonnummer; skriv fx 89 59 30 11',
        '"{value}" is not a phone number; write e.g. 89 59 30 11',
    ),
    "form.phone-hours-long": (
        "højst 100 tegn; skriv fx hverdage kl. 8.00-9.00",
        "at most 100 characters; write e.g. weekdays 8.00-9.00",
    ),
    "form.bad-id": (
        "skriv højst 40 bogstaver, tal, - _ eller . uden mellemrum, fx t026",
        "write at most 40 letters, digits, - _ or . without spaces, e.g. t026",
    ),
    "form.id-used": (
        "{key} er allerede brugt; vælg et andet, fx {suggestion}",
        "{key} is already used; choose another, e.g. {suggestion}",
    ),
    "form.id-used-no-suggestion": (
        "{key} er allerede brugt; vælg et andet",
        "{key} is already used; choose another",
    ),
    "edit.elsewhere": ("{what:cap} {key}: {problem}", "{what:cap} {key}: {problem}"),
    "edit.elsewhere-field": (
        "{what:cap} {key} ({field}): {problem}",
        "{what:cap} {key} ({field}): {problem}",
    ),
    "edit.week": ("{field}: {problem}", "{field}: {problem}"),
    "edit.not-deletable": (
        "{what:cap} {key} kan ikke slettes her; ret den i stedet.",
        "{what:cap} {key} cannot be deleted here; change it instead.",
    ),
    "edit.cannot-delete": (
        "{what:cap} {key} kan ikke slettes: {problem}.",
        "{what:cap} {key} cannot be deleted: {problem}.",
    ),
    "edit.still-referenced": (
        "{what} {key} ({field}) henviser stadig til den",
        "{what} {key} ({field}) still refers to it",
    ),
    "edit.saved-plans": (
        "gemte planer for ugen (version {versions}) har aftaler med den, og de beholder deres "
        "aftaler",
        "saved plans of the week (version {versions}) have appointments with it, and they keep "
        "their appointments",
    ),
    # --- the register's therapists and classes (planner/register/staff.py) ---
    "register.range-reversed": (
        "ligger før {first}; skriv en dato samme dag eller senere",
        "is before {first}; give a date on that day or later",
    ),
    "register.absence-overlaps": (
        "terapeuten har allerede {absence} {from_date}–{to_date}; vælg andre dage, eller ret "
        "eller slet det fravær først",
        "the therapist already has {absence} {from_date}–{to_date}; choose other days, or "
        "change or delete that absence first",
    ),
    "register.weeks-changed": (
        "Uge {weeks} er opdateret med ændringen.",
        "Week {weeks} has been updated with the change.",
    ),
    "register.drafts-stale": (
        "{n} {n:kladde|kladder} bryder nu en regel og er markeret «Skal tjekkes».",
        "{n} {n:draft|drafts} now break a rule and are marked “Needs checking”.",
    ),
    "register.weeks-published": (
        "Uge {weeks} er offentliggjort og ikke ændret; skriv ændringen under «Ændringer i ugen».",
        "Week {weeks} is published and was not changed; enter the change under “Changes in "
        "the week”.",
    ),
    "register.weeks-again": (
        "Uge {weeks} er allerede lavet; lav ugen igen fra registret, så ændringen kommer med.",
        "Week {weeks} has already been made; make it again from the register to include the "
        "change.",
    ),
    # --- requests the web app refuses (web/deps.py, web/routes/*.py) ---
    "web.form-expired": (
        "Formularen er udløbet. Genindlæs siden og prøv igen.",
        "The form has expired. Reload the page and try again.",
    ),
    "web.other-site": (
        "Ændringer må kun sendes fra planens egne sider.",
        "Changes may be sent only from the planner's own pages.",
    ),
    "web.coordinators-only": (
        "Kun koordinatorer har adgang til denne side.",
        "Only coordinators have access to this page.",
    ),
    "web.sign-in-first": ("Log ind først.", "Sign in first."),
    "web.server-error": ("Intern fejl", "Internal error"),
    "api.unknown-token": ("Ukendt eller tilbagekaldt API-nøgle", "Unknown or revoked API token"),
    "api.coordinators-only": (
        "Kun koordinatorer kan bruge API'et",
        "Only coordinators can use the API",
    ),
    "api.wrong-password": (
        "Forkert brugernavn eller adgangskode",
        "Wrong username or password",
    ),
    "api.throttled": (
        "For mange forkerte forsøg. Prøv igen om {seconds} sekunder.",
        "Too many wrong attempts. Try again in {seconds} seconds.",
    ),
    "api.plan-of-other-week": (
        "Planen hører ikke til denne uge",
        "The plan does not belong to this week",
    ),
    "form.date": (
        "Feltet '{field}' skal være en dato som 2026-12-07.",
        "The field '{field}' must be a date such as 2026-12-07.",
    ),
    "form.one-of": (
        "Feltet '{field}' skal være en af {allowed}.",
        "The field '{field}' must be one of {allowed}.",
    ),
    "form.start-minutes": (
        "Feltet 'start' skal være minutter efter midnat, fx 600 for 10.00.",
        "The field 'start' must be minutes after midnight, e.g. 600 for 10:00.",
    ),
    "form.day-missing": (
        "Feltet 'day' mangler: vælg en tid fra listen.",
        "The field 'day' is missing: choose a time from the list.",
    ),
    "form.locked": (
        "Feltet 'locked' skal være 1 (lås) eller 0 (lås op).",
        "The field 'locked' must be 1 (lock) or 0 (unlock).",
    ),
    "form.time-limit": (
        "Tidsgrænsen skal være en af {allowed} sekunder.",
        "The time limit must be one of {allowed} seconds.",
    ),
    "attendance.own-only": (
        "Du kan kun registrere fremmøde på dine egne aftaler.",
        "You can register attendance only on your own appointments.",
    ),
    "letters.channel": (
        "Vælg, om brevene er udskrevet eller sendt som PDF.",
        "Choose whether the letters were printed or sent as PDF.",
    ),
    "letters.no-email": (
        "E-mail er ikke sat op (PLANNER_SMTP_HOST).",
        "E-mail is not set up (PLANNER_SMTP_HOST).",
    ),
    "email.invalid": (
        '"{address}" er ikke en e-mail-adresse; skriv fx navn@eksempel.dk',
        '"{address}" is not an e-mail address; write it as, e.g., name@example.com',
    ),
    "job.failed": (
        "Planlægningen fejlede. Prøv igen, eller kontakt support, hvis det sker igen.",
        "Planning failed. Try again, or contact support if it happens again.",
    ),
    "job.process-ended": (
        "Planlægningen stoppede uventet: processen endte (kode {code}).",
        "Planning stopped unexpectedly: its process ended (code {code}).",
    ),
    "job.stale": (
        "Planlægningen stoppede uventet: den har ikke meldt sig i {seconds} sekunder.",
        "Planning stopped unexpectedly: it has not reported for {seconds} seconds.",
    ),
    "job.pinned": (
        "En fastlagt aftale i ugens data kan ikke holdes: {problems}",
        "A pinned appointment of the week's data cannot be kept: {problems}",
    ),
    "letters.none-changed": (
        "Ingen borgere har fået ændrede tider, så der er intet at udskrive.",
        "No citizen's times have changed, so there is nothing to print.",
    ),
    # --- input the register refuses (planner/register/) ---
    "register.not-a-week": (
        '"{week}" er ikke en ISO-uge; skriv den som 2026-W50',
        '"{week}" is not an ISO week; write it as 2026-W50',
    ),
    "register.weeks-ahead": (
        "planlæg 1 til {most} uger frem, ikke {weeks}",
        "plan 1 to {most} weeks ahead, not {weeks}",
    ),
    "register.unknown-therapist": (
        "{therapist} er ikke i registret; indlæs terapeuten først",
        "{therapist} is not in the register; load the therapist first",
    ),
    "register.end-before-start": (
        "{last} ligger før starten {first_day}; angiv fraværets sidste dag",
        "{last} is before start {first_day}; give the last day of the absence",
    ),
    "register.one-of": (
        '"{value}" er ikke en af {allowed}',
        '"{value}" is not one of {allowed}',
    ),
    "register.empty": (
        "registret er tomt; indlæs først et scenario/1-dokument",
        "the register is empty; load a scenario/1 document first",
    ),
    "register.course-cannot-become": (
        "et forløb, der er {was_course}, kan ikke blive {to_course}",
        "a course that is {was_course} cannot become {to_course}",
    ),
    "register.end-reason": (
        "angiv en af {allowed} for at afslutte et forløb",
        "give one of {allowed} to end a course",
    ),
    "register.not-for-referral": (
        "aftale {appointment} er ikke for {referral}; angiv en af {allowed}",
        "appointment {appointment} is not for {referral}; give one of {allowed}",
    ),
    "register.other-citizen": (
        "{given} er ikke den borger, der er angivet",
        "{given} is not the citizen given",
    ),
    "register.package-used-up": (
        "{referral}s pakke er allerede brugt op af de sessioner, der er registreret som "
        "gennemført; ret en af dem først, eller registrér denne på en anden måde",
        "{referral}'s package is already used up by the sessions registered delivered; correct "
        "one of those first, or register this one otherwise",
    ),
    # --- things that are not there, plans that may not change (planner/errors.py) ---
    "not-found": ("{what:cap} {key} findes ikke.", "{what:cap} {key} does not exist."),
    "document.refused": (
        "Intet er gemt: der er {n} fejl. Ret {n:den|dem}, og prøv igen.",
        "Nothing was stored: there {n:is|are} {n} {n:error|errors}. Fix {n:it|them} and try again.",
    ),
    "plan.read-only": (
        "Plan version {version} er {status} og kan ikke ændres. Lav en ny kladde af den for at "
        "ændre den.",
        "Plan version {version} is {status} and cannot be changed. Make a new draft of it to "
        "change it.",
    ),
    "plan.already-draft": (
        "Plan version {version} er allerede en kladde.",
        "Plan version {version} is already a draft.",
    ),
    "plan.publish-not-draft": (
        "Plan version {version} er ikke en kladde og kan ikke offentliggøres.",
        "Plan version {version} is not a draft and cannot be published.",
    ),
    "plan.publish-breaks-rules": (
        "Plan version {version} kan ikke offentliggøres, fordi den bryder {n:regel|regler} med "
        "ugens data, som de er nu. Ret aftalerne først.",
        "Plan version {version} cannot be published: it breaks {n:rule|rules} against the "
        "week's data as it is now. Mend the appointments first.",
    ),
    "attendance.not-published": (
        "Plan version {version} er ikke offentliggjort: fremmøde registreres kun på den "
        "offentliggjorte plan.",
        "Plan version {version} is not published: attendance is registered on the published "
        "plan only.",
    ),
    "plan.changed": (
        "Planen er blevet ændret af en anden i mellemtiden. Genindlæs siden og prøv igen.",
        "The plan was changed by someone else meanwhile. Reload the page and try again.",
    ),
    # --- why a repair cancelled a session (planner/plan/repair.py; letters name it) ---
    "repair.therapist-absent": ("Terapeuten er fraværende", "The therapist is absent"),
    "repair.room-closed": ("Lokalet er lukket", "The room is closed"),
    "repair.class-cancelled": ("Holdet er aflyst denne dag", "The class is cancelled that day"),
    "repair.citizen-cancelled": ("Borgeren har meldt afbud", "The citizen has cancelled"),
    "plan.copy-broken": (
        "Planen kan ikke kopieres, fordi ugens data er ændret, så den bryder reglerne (fx en "
        "terapeut, der nu er fraværende). Brug »Ændringer i ugen« og »Reparér« for at lave en "
        "kladde, der kun ændrer det ramte, eller lav en ny plan.",
        "The plan cannot be copied: the week's data changed so that it breaks the rules (e.g. a "
        'therapist who is now absent). Use "Changes to the week" and "Repair" for a draft '
        "that changes only what was hit, or make a new plan.",
    ),
    "plan.letters-not-published": (
        "Plan version {version} er ikke offentliggjort. Breve til borgere laves kun for ugens "
        "offentliggjorte plan.",
        "Plan version {version} is not published. Letters to citizens are made only for the "
        "week's published plan.",
    ),
    # --- a change of a published week that is refused (planner/plan/repair.py) ---
    "change.bad-time": (
        "skriv tidspunktet som ÅÅÅÅ-MM-DDTTT:MM, fx 2026-12-09T11:00",
        "write the time as YYYY-MM-DDTHH:MM, e.g. 2026-12-09T11:00",
    ),
    "change.bad-date": (
        "skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-12-09",
        "write the date as YYYY-MM-DD, e.g. 2026-12-09",
    ),
    "change.one-kind": ("angiv præcis én af {fields}", "give exactly one of {fields}"),
    "change.unknown-key": (
        "{what:cap} {key} findes ikke i ugen; vælg en fra listen.",
        "{what:cap} {key} is not in the week; choose one from the list.",
    ),
    "change.end-before-start": (
        "sluttidspunktet skal ligge efter starttidspunktet.",
        "the end must be after the start.",
    ),
    # --- changes by hand that are refused (planner/plan/edit.py) ---
    "change.bad-start": (
        "start: {value} er ikke et tidspunkt med UTC-forskydning ({reason}).",
        "start: {value} is not a time with a UTC offset ({reason}).",
    ),
    "change.not-a-meeting": (
        "Aftale {id} er ikke et holdmøde.",
        "Appointment {id} is not a team meeting.",
    ),
    "change.not-team": (
        "Henvisning {referral} hører ikke til et hold.",
        "Referral {referral} does not belong to a class.",
    ),
    "change.no-appointment": (
        "Planen har ingen aftale {id}.",
        "The plan has no appointment {id}.",
    ),
    "change.unknown-therapist": (
        "Terapeut {therapist} findes ikke i ugen; vælg en fra listen.",
        "Therapist {therapist} is not in the week; choose one from the list.",
    ),
    "change.unknown-centre": (
        "Center {centre} findes ikke i ugen; vælg et fra listen.",
        "Centre {centre} is not in the week; choose one from the list.",
    ),
    "change.unknown-room": (
        "Lokale {room} findes ikke i ugen; vælg et fra listen.",
        "Room {room} is not in the week; choose one from the list.",
    ),
    "change.locked": (
        "Aftale {id} er låst. Lås den op for at flytte den.",
        "Appointment {id} is locked. Unlock it to move it.",
    ),
    "change.pinned": (
        "Aftale {id} er fastlagt i ugens data og kan ikke flyttes.",
        "Appointment {id} is pinned in the week's data and cannot be moved.",
    ),
    "change.copy-breaks-rules": (
        "Planen kan ikke kopieres, fordi ugens data er ændret, så den bryder reglerne: "
        "{problems}. Lav en ny plan.",
        "The plan cannot be copied, because the week's data has changed so that it breaks the "
        "rules: {problems}. Make a new plan.",
    ),
}


def template(code: str, lang: Lang) -> str:
    """The template of a code in a language; KeyError for a code the catalogue lacks (a bug)."""
    danish, english = CATALOGUE[code]
    return danish if lang == "da" else english


def render(message: Message, lang: Lang = "en") -> str:
    """The message as a sentence in Danish or English."""
    params = Params({k: Param(k, v, lang) for k, v in message.params.items()})
    return string.Formatter().vformat(template(message.code, lang), (), params)


def render_all(messages: Iterable[Message], lang: Lang = "en") -> list[str]:
    return [render(m, lang) for m in messages]


def template_params(text: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def text_message(text: str) -> Message:
    """A sentence that exists only as text (from outside the product), shown as it is."""
    return Message("text", {"text": text})


def to_json(message: Message) -> dict[str, Any]:
    """A message as plain JSON data, for the database and plan/1's optional fields."""
    return {"code": message.code, "params": dict(message.params)}


def keep(message: Message) -> str:
    """A message as JSON text, for a text column (a solve job's `error`)."""
    return json.dumps(to_json(message), ensure_ascii=False)


def stored_message(text: str | None) -> Message | None:
    """A message kept by `keep`; a plain sentence (kept before messages were data) is a text
    message, and None stays None."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return text_message(text)
    return from_json(value)


def from_json(value: object) -> Message:
    """A message stored by `to_json`; a plain string (stored before messages were data) is a
    text message."""
    if isinstance(value, Mapping) and value.get("code") in CATALOGUE:
        return Message(str(value["code"]), dict(value.get("params") or {}))
    return text_message(str(value))
