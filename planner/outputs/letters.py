"""Appointment letters for citizens: a week's times of the published plan, in plain Danish.

A letter tells a citizen, in large print, each appointment of the week's published plan: when
(weekday and date written out), where (the centre, "we come to you", or by screen), what kind of
training, with whom (the therapist's first name only), what to bring and how to cancel. Compared
with the week's previously published plan, each appointment is unchanged, new or moved, and an
appointment that went away is listed as cancelled ("aflyst"); the batch of letters to print after
publishing is every citizen with such a change. A letter becomes HTML (Jinja2, the templates in
`templates/letters/` beside this module), a PDF (WeasyPrint) and an `.ics` file (icalendar).

Plans do not record when they were published. Publishing turns the week's published plan into a
superseded one, so every superseded plan was published once; the previously published plan is
taken to be the superseded plan of the week with the highest version (versions are published in
the order they are made, except when a coordinator goes back to an older draft).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import icalendar
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session, col, select
from weasyprint import HTML
from weasyprint.document import Document, Page

from planner.db.models import LETTER_CHANNELS, Centre, LetterSent, Plan
from planner.db.store import get, load_problem, load_solution
from planner.errors import NotFound, PlanStateError
from planner.formats.scenario import week_monday
from planner.outputs.timezone import vtimezone
from planner.text.messages import render as render_message
from planner.text.repair import CANCELLED_CODE
from planner.text.wording import MONTHS_DA, clock, day_text
from solver.problem import Appointment, Message, Problem, Referral, Solution

# --- the words of a letter (every text a citizen reads that is not in the template) -----------

#: The kind of training, as the citizen knows it.
TRAINING = {
    "individual": "Individuel træning",
    "team": "Holdtræning",
    "home": "Hjemmetræning",
    "online": "Skærmtræning",
}
HOME_PLACE = "Vi kommer hjem til dig"
ONLINE_PLACE = "Skærmtræning – du får et link"

AT_THE_CENTRE = (
    "behageligt tøj og indendørssko, en vandflaske, "
    "dine briller og dit høreapparat, hvis du bruger dem"
)
#: What to bring, by where the training happens; nothing for a visit at home.
BRING = {
    "individual": AT_THE_CENTRE,
    "team": AT_THE_CENTRE,
    "pool": "badetøj, håndklæde og en vandflaske",
    "home": "",
    "online": "en telefon, tablet eller computer med kamera, og tøj du kan bevæge dig i",
}

Status = Literal["same", "new", "moved", "cancelled"]
TEMPLATES = Path(__file__).parent / "templates"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def when_text(day: date, start: int, end: int) -> str:
    """An appointment's time written out, e.g. 'tirsdag den 8. december kl. 10.00–11.00'."""
    return f"{day_text(day)} kl. {clock(start)}–{clock(end)}"


def full_date(day: date) -> str:
    """A letter's date, e.g. '26. november 2026'."""
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def week_span(week: str) -> str:
    """Monday to Friday of an ISO week, e.g. '7.–11. december 2026'."""
    monday = week_monday(week)
    if monday is None:
        raise ValueError(f"{week} is not an ISO week")
    friday = monday + timedelta(days=4)
    if monday.year != friday.year:
        return f"{full_date(monday)} – {full_date(friday)}"
    if monday.month != friday.month:
        return f"{monday.day}. {MONTHS_DA[monday.month - 1]} – {full_date(friday)}"
    return f"{monday.day}.–{full_date(friday)}"


def first_name(name: str) -> str:
    """A therapist as the letter names them: the first name only."""
    return name.split()[0] if name.strip() else ""


# --- what a citizen has in a plan -------------------------------------------------------------


@dataclass(frozen=True)
class Booking:
    """One appointment as the citizen sees it: when, where, what and with whom."""

    key: str  # the plan/1 appointment id
    referral: str
    day: date
    start: int
    end: int
    kind: str
    training: str  # e.g. "Holdtræning – Balancehold"
    package: str  # the package's name
    place: str  # the centre's name, HOME_PLACE or ONLINE_PLACE
    address: str  # the centre's or (home visit) the citizen's address; "" online
    bring: str
    therapist: str  # first name
    centre: str  # centre key: whom to call (for a home visit, the therapist's day centre)

    @property
    def when(self) -> str:
        return when_text(self.day, self.start, self.end)

    @property
    def order(self) -> tuple[date, int, str]:
        return (self.day, self.start, self.key)

    def to_json(self) -> dict[str, object]:
        """What a letter told, kept with the record of the letter (`LetterSent.times`)."""
        return {**{f: getattr(self, f) for f in BOOKING_FIELDS}, "day": self.day.isoformat()}

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Booking:
        values = {f: doc.get(f, "") for f in BOOKING_FIELDS}
        return cls(**{**values, "day": date.fromisoformat(str(doc["day"]))})

    @property
    def seen(self) -> tuple[object, ...]:
        """What the citizen would notice changing (a new therapist alone is not a new time)."""
        return (self.referral, self.day, self.start, self.end, self.kind, self.training,
                self.place, self.address)  # fmt: skip


BOOKING_FIELDS = ("key", "referral", "day", "start", "end", "kind", "training", "package",
                  "place", "address", "bring", "therapist", "centre")  # fmt: skip


def citizen_bookings(problem: Problem, solution: Solution) -> dict[str, list[Booking]]:
    """Each citizen's appointments in a plan (their seats in team meetings too), in time order."""
    found: dict[str, list[Booking]] = defaultdict(list)
    for appointment in solution.appointments:
        seats = appointment.participants if appointment.kind == "team" else (appointment.referral,)
        for key in seats:
            if key:
                referral = problem.referral(key)
                found[referral.citizen].append(booking(problem, appointment, referral))
    return {citizen: sorted(found[citizen], key=lambda b: b.order) for citizen in found}


def booking(problem: Problem, appointment: Appointment, referral: Referral) -> Booking:
    """An appointment of a referral, in the words of the citizen's letter."""
    centre = problem.centre(appointment.centre)
    place, address = centre.name, centre.address
    if appointment.kind == "home":
        place, address = HOME_PLACE, problem.citizen(referral.citizen).address
    elif appointment.kind == "online":
        place, address = ONLINE_PLACE, ""
    training, bring = TRAINING[appointment.kind], BRING[appointment.kind]
    if appointment.kind == "team" and appointment.team_class:
        team = problem.team_class(appointment.team_class)
        training = f"{training} – {team.name}"
        bring = BRING["pool"] if team.room_kind == "pool" else bring
    return Booking(
        key=appointment.id,
        referral=referral.id,
        day=appointment.day,
        start=appointment.start,
        end=appointment.end,
        kind=appointment.kind,
        training=training,
        package=problem.package(referral.package).name,
        place=place,
        address=address,
        bring=bring,
        therapist=first_name(problem.therapist(appointment.therapist).name),
        centre=centre.id,
    )


# --- what changed since the letter before -----------------------------------------------------


@dataclass(frozen=True)
class Change:
    """An appointment on a letter and what happened to it since the plan published before."""

    status: Status
    booking: Booking  # for a cancelled appointment, the one that went away
    before: Booking | None = None  # a moved appointment's old time and place
    reason: str | None = None  # a cancelled appointment's reason, when the plan gives one


def compare(before: list[Booking], after: list[Booking]) -> list[Change]:
    """A citizen's appointments now, each unchanged, new or moved, and the ones cancelled."""
    gone, fresh, changes = list(before), [], []
    for b in after:
        same = next((old for old in gone if old.seen == b.seen), None)
        if same is None:
            fresh.append(b)
        else:
            gone.remove(same)
            changes.append(Change("same", b))
    # What is left of a referral on both sides is the same session at another time or place.
    for b in fresh:
        old = next((old for old in gone if old.referral == b.referral), None)
        if old is None:
            changes.append(Change("new", b))
        else:
            gone.remove(old)
            changes.append(Change("moved", b, before=old))
    changes += [Change("cancelled", old) for old in gone]
    return sorted(changes, key=lambda c: c.booking.order)


# --- the letter -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Where a citizen calls to cancel: a centre and its phone line."""

    centre: str  # centre key
    name: str
    address: str
    phone: str | None
    hours: str | None


@dataclass(frozen=True)
class PhoneLine:
    """One number to call on a letter, with the centres that answer it."""

    names: str  # e.g. "Træningscenter Auning"
    phone: str
    hours: str | None


@dataclass(frozen=True)
class Reminder:
    """What to bring, and to which of a letter's kinds of training."""

    trainings: tuple[str, ...]
    bring: str


@dataclass(frozen=True)
class Letter:
    """A citizen's letter for a week: their times, what changed, and how to cancel."""

    citizen: str  # citizen key
    name: str
    address: str
    week: str  # ISO week, e.g. "2026-W50"
    timezone: str
    made_on: date  # the letter's date
    stamp: datetime  # when the plan was made: the calendar file's DTSTAMP
    revised: bool  # a plan of the week was published before this one
    changes: tuple[Change, ...]
    contacts: tuple[Contact, ...]  # the centres of the letter's appointments, in order

    @property
    def week_number(self) -> int:
        return int(self.week.split("-W")[1])

    @property
    def span(self) -> str:
        return week_span(self.week)

    @property
    def date_text(self) -> str:
        return full_date(self.made_on)

    @property
    def appointments(self) -> list[Change]:
        return [c for c in self.changes if c.status != "cancelled"]

    @property
    def cancelled(self) -> list[Change]:
        return [c for c in self.changes if c.status == "cancelled"]

    @property
    def changed(self) -> bool:
        """The citizen needs a new letter: a time is new, moved or cancelled."""
        return any(c.status != "same" for c in self.changes)

    @property
    def sender(self) -> Contact | None:
        """The centre the letter comes from: the one of its first appointment."""
        return self.contacts[0] if self.contacts else None

    @property
    def phone_lines(self) -> list[PhoneLine]:
        """The numbers to call to cancel; centres that share a line are named together."""
        return phone_lines(self.contacts)

    @property
    def packages(self) -> list[str]:
        """The names of the packages the letter's appointments belong to, each once."""
        names = [c.booking.package for c in self.appointments or self.changes]
        return list(dict.fromkeys(names))

    @property
    def reminders(self) -> list[Reminder]:
        """What to bring, said once for all the appointments that need the same things."""
        return reminders(c.booking for c in self.appointments)

    def contact(self, centre: str) -> Contact | None:
        """Whom to call about an appointment at this centre."""
        return next((c for c in self.contacts if c.centre == centre), None)


def letter(
    citizen: str,
    week: PlanWeek,
    previous: PlanWeek | None,
    *,
    made_on: date,
    phones: dict[str, tuple[str | None, str | None]],
    told: list[Booking] | None = None,
) -> Letter:
    """The letter for one citizen of a published plan, compared with the times the citizen was
    last told (`told`, from the record of letters sent), or else with the plan `previous`; a
    citizen told nothing yet gets a first letter ("Dine tider")."""
    before = told if told is not None else (previous.bookings.get(citizen, []) if previous else [])
    reasons = week.reasons
    changes = [
        replace(c, reason=reasons.get(c.booking.referral)) if c.status == "cancelled" else c
        for c in compare(before, week.bookings.get(citizen, []))
    ]
    person = week.citizen(citizen) or (previous.citizen(citizen) if previous else None)
    if person is None:
        raise NotFound("citizen", citizen)
    name, address = person
    return Letter(
        citizen=citizen,
        name=name,
        address=address,
        week=week.problem.week,
        timezone=week.problem.timezone,
        made_on=made_on,
        stamp=week.made,
        revised=told is not None or previous is not None,
        changes=tuple(changes),
        # The letter comes from the centre of its first time still on; cancelled ones come last.
        contacts=contacts(
            sorted(changes, key=lambda c: c.status == "cancelled"),
            [w for w in (week, previous) if w],
            phones,
        ),
    )


def contacts(
    changes: Iterable[Change],
    weeks: list[PlanWeek],
    phones: dict[str, tuple[str | None, str | None]],
) -> tuple[Contact, ...]:
    """The centres behind a letter's appointments, with the phone lines of the stored week."""
    found: dict[str, Contact] = {}
    for change in changes:
        key = change.booking.centre
        if key in found:
            continue
        centre = next(w.problem.centre(key) for w in weeks if w.has_centre(key))
        phone, hours = phones.get(key, (None, None))
        found[key] = Contact(key, centre.name, centre.address, phone, hours)
    return tuple(found.values())


# --- reading the plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanWeek:
    """A saved plan with its week: who has which appointments."""

    plan: Plan
    problem: Problem
    bookings: dict[str, list[Booking]]
    reasons: dict[str, str] = field(default_factory=dict)  # referral -> why a time was cancelled

    @property
    def made(self) -> datetime:
        made = self.plan.created_at
        # SQLite hands back a naive timestamp; it was stored as UTC.
        return made if made.tzinfo else made.replace(tzinfo=UTC)

    def citizen(self, key: str) -> tuple[str, str] | None:
        """The citizen's name and address, or None when the week has no such citizen."""
        try:
            found = self.problem.citizen(key)
        except KeyError:
            return None
        return (found.name, found.address)

    def has_centre(self, key: str) -> bool:
        try:
            self.problem.centre(key)
        except KeyError:
            return False
        return True


@dataclass(frozen=True)
class LetterRun:
    """The letters of a published plan: every citizen's, and who needs a new one."""

    plan: Plan
    previous: Plan | None  # the plan of the week published before, if any
    letters: dict[str, Letter]  # citizen key -> letter
    sent: dict[str, LetterSent] = field(default_factory=dict)  # citizen -> last letter sent

    @property
    def changed(self) -> list[Letter]:
        """Letters to send: every citizen whose times differ from the last letter they got
        (or who got none yet and has times), by name."""
        return sorted((x for x in self.letters.values() if x.changed), key=lambda x: x.name)


def plan_week(plan: Plan, *, session: Session) -> PlanWeek:
    """A stored plan with its week, read for letters."""
    assert plan.id is not None
    problem = load_problem(plan.scenario_id, session=session)
    solution = load_solution(plan.id, session=session)
    reasons = {
        w.referral: render_message(w.message, "da")
        for w in solution.warnings
        if w.code == CANCELLED_CODE
    }
    return PlanWeek(plan, problem, citizen_bookings(problem, solution), reasons)


def previously_published(plan: Plan, *, session: Session) -> Plan | None:
    """The plan of the same week published before this one (see the module's note)."""
    query = (
        select(Plan)
        .where(Plan.week == plan.week, Plan.status == "superseded", Plan.id != plan.id)
        .order_by(col(Plan.version).desc())
    )
    return session.exec(query).first()


def centre_phones(
    scenario_id: int, *, session: Session
) -> dict[str, tuple[str | None, str | None]]:
    """Each centre's phone and phone hours, as stored for the week (blank counts as none)."""
    rows = session.exec(select(Centre).where(Centre.scenario_id == scenario_id)).all()
    return {c.key: ((c.phone or "").strip() or None, (c.phone_hours or "").strip() or None)
            for c in rows}  # fmt: skip


def today_in(timezone: str) -> date:
    """Today's date where the centres are: the date a letter printed now carries."""
    return datetime.now(ZoneInfo(timezone)).date()


def plan_letters(plan_id: int, *, session: Session, made_on: date | None = None) -> LetterRun:
    """Every citizen's letter of a plan that is or was published, each compared with the last
    letter the citizen got for the week; PlanStateError for a draft."""
    plan = get(session, Plan, plan_id)
    if plan.status == "draft":
        raise PlanStateError(Message("plan.letters-not-published", {"version": plan.version}))
    week = plan_week(plan, session=session)
    before = previously_published(plan, session=session)
    sent = last_letters(plan.week, session=session)
    phones = centre_phones(plan.scenario_id, session=session)
    day = made_on or today_in(week.problem.timezone)
    keys = [c.id for c in week.problem.citizens]
    keys += [k for k in sent if k not in set(keys)]
    letters = {
        k: letter(k, week, None, made_on=day, phones=phones, told=told(sent.get(k)))
        for k in keys
        if week.citizen(k) is not None or sent.get(k) is not None
    }
    return LetterRun(plan, before, letters, sent)


def told(sent: LetterSent | None) -> list[Booking] | None:
    """The times a letter told, or None when the citizen got no letter."""
    return None if sent is None else [Booking.from_json(t) for t in sent.times]


def last_letters(week: str, *, session: Session) -> dict[str, LetterSent]:
    """The last letter each citizen got for the week."""
    rows = session.exec(
        select(LetterSent).where(LetterSent.week == week).order_by(col(LetterSent.id))
    ).all()
    return {row.citizen: row for row in rows}


def record_letters(
    plan_id: int, citizens: Iterable[str], channel: str, *, by: str, session: Session
) -> list[LetterSent]:
    """Keep that these citizens were given their letter of the plan (printed, PDF or e-mail):
    what it told is what the next batch compares with."""
    if channel not in LETTER_CHANNELS:
        raise ValueError(f'channel "{channel}" is not one of {", ".join(LETTER_CHANNELS)}')
    plan = get(session, Plan, plan_id)
    run = plan_letters(plan_id, session=session)
    rows = []
    for key in citizens:
        found = run.letters.get(key)
        if found is None:
            raise LookupError(f"there is no citizen {key} in plan {plan_id}")
        rows.append(
            LetterSent(
                week=plan.week,
                citizen=key,
                plan_id=plan_id,
                plan_version=plan.version,
                channel=channel,
                sent_by=by,
                sent_at=datetime.now(UTC),
                times=[c.booking.to_json() for c in found.appointments],
            )
        )
    session.add_all(rows)
    session.commit()
    return rows


def citizen_letter(
    plan_id: int, citizen: str, *, session: Session, made_on: date | None = None
) -> Letter:
    """One citizen's letter of a published plan; NotFound for a citizen not in the week."""
    found = plan_letters(plan_id, session=session, made_on=made_on).letters.get(citizen)
    if found is None:
        raise NotFound("citizen", citizen)
    return found


# --- the letter on paper: HTML and PDF --------------------------------------------------------

templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["capfirst"] = lambda text: text[:1].upper() + text[1:]


def letter_css() -> str:
    """The letter's stylesheet: large print for the page, the printer and the PDF."""
    return (TEMPLATES / "letters" / "letter.css").read_text(encoding="utf-8")


def letter_html(letter: Letter) -> str:
    """One letter as an HTML fragment (an <article>), for a page of the app."""
    return templates.get_template("letters/letter.html").render(letter=letter, compact=False)


def letters_document(letters: list[Letter], title: str, *, compact: bool = False) -> str:
    """A whole HTML document of letters, each starting on a new page."""
    return templates.get_template("letters/document.html").render(
        letters=letters, page="letters/letter.html", title=title, css=letter_css(), compact=compact
    )


def typeset(letters: list[Letter], title: str, *, compact: bool = False) -> Document:
    """Letters laid out on A4 pages."""
    html = letters_document(letters, title, compact=compact)
    return HTML(string=html, base_url=str(TEMPLATES)).render()


def pages_by_letter(document: Document, letters: list[Letter]) -> list[list[Page]]:
    """A document's pages, split where each letter starts (its article's anchor)."""
    starts = {f"letter-{x.citizen}": i for i, x in enumerate(letters)}
    found: list[list[Page]] = [[] for _ in letters]
    current = 0
    for page in document.pages:
        current = next((starts[a] for a in page.anchors if a in starts), current)
        found[current].append(page)
    return found


def letters_pdf(letters: list[Letter], title: str) -> bytes:
    """Letters as one PDF to print or send by Digital Post, each starting on a new page.

    A letter that runs onto a second sheet is set again a point smaller (still large print), so
    that most weeks fit on one sheet; laying out all letters at once is much faster than one by one.
    """
    if not letters:
        raise ValueError("no letters to print")
    document = typeset(letters, title)
    pages = pages_by_letter(document, letters)
    for i, letter in enumerate(letters):
        if len(pages[i]) > 1:
            smaller = typeset([letter], title, compact=True).pages
            pages[i] = smaller if len(smaller) < len(pages[i]) else pages[i]
    pdf = document.copy([page for letter_pages in pages for page in letter_pages]).write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf


def letter_title(letter: Letter) -> str:
    """The letter's title, also the calendar's name, e.g. 'Dine tider til træning i uge 50'."""
    return f"Dine tider til træning i uge {letter.week_number}"


# --- the letter in a calendar: .ics -----------------------------------------------------------


def clean(text: str) -> str:
    """A calendar text without control characters (line breaks become spaces)."""
    return CONTROL.sub(" ", text).strip()


def appointment_uid(week: str, key: str) -> str:
    """The calendar id of an appointment: its week and plan id, the same in every letter."""
    return f"{week}-{key}@traeningsplan"


def event_description(letter: Letter | WeeksLetter, b: Booking) -> str:
    """What the calendar entry says: the training, the therapist, what to bring, whom to call."""
    lines = [f"{b.training} ({b.package})", f"Terapeut: {b.therapist}"]
    if b.bring:
        lines.append(f"Husk: {b.bring}")
    contact = letter.contact(b.centre)
    if contact and contact.phone:
        hours = f", {contact.hours}" if contact.hours else ""
        lines.append(f"Kan du ikke komme? Ring til {contact.name} på {contact.phone}{hours}.")
    return "\n".join(clean(line) for line in lines)


def calendar_event(
    letter: Letter, b: Booking, zone: ZoneInfo, uids: Mapping[tuple[date, int], str]
) -> icalendar.Event:
    """One appointment as a calendar entry, in the week's local time, with the citizen feed's
    UID for it when the feed has one."""
    midnight = datetime(b.day.year, b.day.month, b.day.day, tzinfo=zone)
    event = icalendar.Event()
    event.add("uid", uids.get((b.day, b.start)) or appointment_uid(letter.week, b.key))
    event.add("dtstamp", letter.stamp.astimezone(UTC))
    event.add("dtstart", midnight + timedelta(minutes=b.start))
    event.add("dtend", midnight + timedelta(minutes=b.end))
    event.add("summary", clean(b.training))
    event.add("location", clean(", ".join(x for x in (b.place, b.address) if x)))
    event.add("description", event_description(letter, b))
    return event


def timezone_component(letter: Letter) -> icalendar.Timezone:
    """The VTIMEZONE of the letter's week, written as the calendar feeds write it."""
    monday = week_monday(letter.week)
    assert monday is not None
    return vtimezone(letter.timezone, monday, monday + timedelta(days=7))


def letter_calendar(letter: Letter, uids: Mapping[tuple[date, int], str] | None = None) -> bytes:
    """The letter's appointments as an .ics file to add to a calendar (RFC 5545); `uids` are
    the citizen feed's (`planner.outputs.feeds.citizen_uids`)."""
    zone = ZoneInfo(letter.timezone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Træningsplan//Breve til borgere//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", letter_title(letter))
    cal.add("x-wr-timezone", letter.timezone)
    cal.add_component(timezone_component(letter))
    for change in letter.appointments:
        cal.add_component(calendar_event(letter, change.booking, zone, uids or {}))
    return cal.to_ical()


# --- a letter of every planned week -----------------------------------------------------------


@dataclass(frozen=True)
class WeekTimes:
    """One week on a letter of several: the citizen's times in the week's plan."""

    week: str
    bookings: tuple[Booking, ...]
    published: bool  # False: a plan made ahead, not yet published (the times may still move)
    scenario_id: int  # the stored week the plan is of

    @property
    def week_number(self) -> int:
        return int(self.week.split("-W")[1])

    @property
    def span(self) -> str:
        return week_span(self.week)


@dataclass(frozen=True)
class WeeksLetter:
    """A citizen's letter of every coming week that is planned: only this citizen's times."""

    citizen: str
    name: str
    address: str
    timezone: str
    made_on: date
    weeks: tuple[WeekTimes, ...]
    contacts: tuple[Contact, ...]
    stamp: datetime  # when the newest of its plans was made: the calendar file's DTSTAMP

    @property
    def date_text(self) -> str:
        return full_date(self.made_on)

    def contact(self, centre: str) -> Contact | None:
        """Whom to call about an appointment at this centre."""
        return next((c for c in self.contacts if c.centre == centre), None)

    @property
    def sender(self) -> Contact | None:
        return self.contacts[0] if self.contacts else None

    @property
    def title(self) -> str:
        """E.g. 'Dine tider til træning i uge 50–52'."""
        first, last = self.weeks[0].week_number, self.weeks[-1].week_number
        return f"Dine tider til træning i uge {first}" + (f"–{last}" if last != first else "")

    @property
    def bookings(self) -> list[Booking]:
        return [b for w in self.weeks for b in w.bookings]

    @property
    def any_ahead(self) -> bool:
        return any(not w.published and w.bookings for w in self.weeks)

    @property
    def phone_lines(self) -> list[PhoneLine]:
        return phone_lines(self.contacts)

    @property
    def packages(self) -> list[str]:
        return list(dict.fromkeys(b.package for b in self.bookings))

    @property
    def reminders(self) -> list[Reminder]:
        return reminders(self.bookings)


def phone_lines(contacts: Iterable[Contact]) -> list[PhoneLine]:
    """The numbers to call to cancel; centres that share a line are named together."""
    lines: dict[tuple[str, str | None], list[str]] = {}
    for c in contacts:
        if c.phone:
            lines.setdefault((c.phone, c.hours), []).append(c.name)
    return [PhoneLine(" og ".join(n), phone, hours) for (phone, hours), n in lines.items()]


def reminders(bookings: Iterable[Booking]) -> list[Reminder]:
    """What to bring, said once for all the appointments that need the same things."""
    found: dict[str, list[str]] = {}
    for b in bookings:
        if b.bring:
            trainings = found.setdefault(b.bring, [])
            if b.training not in trainings:
                trainings.append(b.training)
    return [Reminder(tuple(trainings), bring) for bring, trainings in found.items()]


def coming_plans(plan: Plan, *, session: Session) -> list[Plan]:
    """The plan and, for every later week, its published plan, or else its newest plan made
    ahead (a draft); weeks in order."""
    later = session.exec(
        select(Plan)
        .where(Plan.week > plan.week, col(Plan.status).in_(("published", "draft")))
        .order_by(col(Plan.week), col(Plan.version))
    ).all()
    chosen: dict[str, Plan] = {}
    for p in later:
        current = chosen.get(p.week)
        if current is None or current.status != "published":
            chosen[p.week] = p  # a published plan wins; among drafts the newest
    return [plan, *(chosen[w] for w in sorted(chosen))]


def citizen_weeks_letter(
    plan_id: int, citizen: str, *, session: Session, made_on: date | None = None
) -> WeeksLetter:
    """One citizen's letter of the plan's week and every coming week planned after it;
    PlanStateError for a draft plan, NotFound for a citizen in none of the weeks."""
    plan = get(session, Plan, plan_id)
    if plan.status == "draft":
        raise PlanStateError(Message("plan.letters-not-published", {"version": plan.version}))
    weeks = [plan_week(p, session=session) for p in coming_plans(plan, session=session)]
    person = next((w.citizen(citizen) for w in weeks if w.citizen(citizen)), None)
    if person is None:
        raise NotFound("citizen", citizen)
    times = [
        WeekTimes(
            w.problem.week,
            tuple(w.bookings.get(citizen, [])),
            w.plan.status != "draft",
            w.plan.scenario_id,
        )
        for w in weeks
    ]
    while len(times) > 1 and not times[-1].bookings:
        times.pop()  # weeks planned after the citizen's last time say nothing
    phones: dict[str, tuple[str | None, str | None]] = {}
    for w in reversed(weeks):
        phones.update(centre_phones(w.plan.scenario_id, session=session))
    changes = [Change("same", b) for t in times for b in t.bookings]
    return WeeksLetter(
        citizen=citizen,
        name=person[0],
        address=person[1],
        timezone=weeks[0].problem.timezone,
        made_on=made_on or today_in(weeks[0].problem.timezone),
        weeks=tuple(times),
        contacts=contacts(changes, weeks, phones),
        stamp=max(w.made for w in weeks),
    )


def weeks_letter_html(letter: WeeksLetter) -> str:
    """A letter of several weeks as an HTML fragment (an <article>)."""
    return templates.get_template("letters/weeks.html").render(letter=letter, compact=False)


def weeks_letter_pdf(letter: WeeksLetter) -> bytes:
    """A letter of several weeks as a PDF to print or send by Digital Post."""
    html = templates.get_template("letters/document.html").render(
        letters=[letter], page="letters/weeks.html", title=letter.title, css=letter_css(),
        compact=False,
    )  # fmt: skip
    pdf = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    assert pdf is not None
    return pdf


def weeks_letter_calendar(
    letter: WeeksLetter, uids: Mapping[tuple[date, int], str] | None = None
) -> bytes:
    """Every time of a letter of several weeks as one .ics file (as `letter_calendar` writes a
    week's); `uids` are the citizen feed's for those weeks."""
    zone = ZoneInfo(letter.timezone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Træningsplan//Breve til borgere//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", letter.title)
    cal.add("x-wr-timezone", letter.timezone)
    first, last = week_monday(letter.weeks[0].week), week_monday(letter.weeks[-1].week)
    assert first is not None and last is not None
    cal.add_component(vtimezone(letter.timezone, first, last + timedelta(days=7)))
    for week in letter.weeks:
        for b in week.bookings:
            cal.add_component(weeks_event(letter, week.week, b, zone, uids or {}))
    return cal.to_ical()


def weeks_event(
    letter: WeeksLetter,
    week: str,
    b: Booking,
    zone: ZoneInfo,
    uids: Mapping[tuple[date, int], str],
) -> icalendar.Event:
    """One time of a letter of several weeks as a calendar entry (see `calendar_event`)."""
    midnight = datetime(b.day.year, b.day.month, b.day.day, tzinfo=zone)
    event = icalendar.Event()
    event.add("uid", uids.get((b.day, b.start)) or appointment_uid(week, b.key))
    event.add("dtstamp", letter.stamp.astimezone(UTC))
    event.add("dtstart", midnight + timedelta(minutes=b.start))
    event.add("dtend", midnight + timedelta(minutes=b.end))
    event.add("summary", clean(b.training))
    event.add("location", clean(", ".join(x for x in (b.place, b.address) if x)))
    event.add("description", event_description(letter, b))
    return event
