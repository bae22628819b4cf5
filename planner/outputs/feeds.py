"""Calendar feeds of the published plan: one per therapist, room, centre, team class and citizen.

What a feed holds. Publishing a plan (`record_publication`, called by
`planner.plan.versions.publish`) turns each of its appointments into one `FeedEntry` row per
feed that shows it, with the text that feed may show already chosen (`planned_appointments`): a
therapist's feed names the kind, the room (or, for a home visit, the address), the citizen's
first name and initial and the class; room, centre and class feeds name no citizen; a citizen's
feed shows their own sessions and seats with the centre's address, the therapist and how to
cancel. No feed shows a CPR number (the planner holds none) and every text is stripped of
control characters.

Identity. plan/1 ids are reused by the solver only for kept appointments, so each appointment
gets a UID of its own the first time it is published. A later publication of the same ISO week
matches its appointments to the week's UIDs of the same referral (sessions), the same referral's
seat (a citizen's place in a team meeting) or the same class (meetings), live ones before
cancelled ones, nearest day and time first (`match`): a moved session keeps its UID with
SEQUENCE + 1, an unchanged one keeps its SEQUENCE, and one that vanished, or left a feed
(another therapist, another room), stays in that feed as STATUS:CANCELLED for `CANCELLED_SHOWN`
(14 days) so subscribed calendars remove it, then drops out (and is deleted at the next
publication). A cancelled appointment that a later plan brings back gets its UID again.
Publishing a week also deletes appointments more than `FEED_HISTORY` (8 weeks) before it, so a
feed stays small and fast and health data is kept no longer than a calendar needs it.

A citizen's feed is a person's. Its key is the person key of `planner.db.persons`, not the
week's citizen id: two imported weeks that give `c0001` to different people make two feeds with
two links, so a link given to one citizen never shows another's sessions. (The first person with
an id keeps the id as their key, so nothing changes where ids are used as they should be.)

Same data, same bytes. `build_calendar` is pure: DTSTAMP and LAST-MODIFIED are the row's stored
change time, the calendar's UID is derived from the feed, the VTIMEZONE is computed from tzdata
for the whole years of the feed's dates. So the server can send a strong ETag and answer 304.

Tokens. A feed's link carries a token derived from the server secret
(`planner.security.secret.server_secret()`): HMAC-SHA256(secret, "feed|kind|key|generation"),
256 bits, base64url. Only its SHA-256 is stored (`FeedToken.token_hash`) and a presented token
is checked against that hash in constant time, so a copy of the database alone opens no feed.
Deriving rather than drawing the token lets the app show a feed's link at any time without
storing it; renewing bumps `generation` (the old link stops working), revoking marks the row
revoked (every link of the feed answers 404 until it is renewed).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration
from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from planner.db.models import (
    FEED_KINDS,
    Centre,
    Citizen,
    FeedEntry,
    FeedToken,
    Plan,
    Referral,
    Room,
    Scenario,
    TeamClass,
    Therapist,
)
from planner.db.store import get, load_problem, load_solution, owned_rows
from planner.formats.scenario import week_monday
from planner.outputs.timezone import vtimezone
from planner.text.wording import short_name
from solver.problem import Appointment, Problem, Solution

CANCELLED_SHOWN = timedelta(days=14)
FEED_HISTORY = timedelta(weeks=8)  # how far back a feed reaches from the newest week published
REFRESH = "PT1H"
PRODID = "-//Træningsplan//Kalenderfeeds//DA"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
UID_NAMESPACE = uuid.UUID("5d1f3f0e-8a4b-4c55-9a55-4f1e0c7b2a61")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

KIND_WORDS = {
    "individual": "Individuel træning",
    "home": "Hjemmetræning",
    "online": "Skærmtræning",
    "team": "Holdtræning",
}
FEED_NAMES_DEFAULT = {
    "therapist": "Træningsplan: terapeut",
    "room": "Træningsplan: lokale",
    "centre": "Træningsplan: center",
    "class": "Træningsplan: hold",
    "citizen": "Mine træningsaftaler",
}


class FeedError(ValueError):
    """A feed that cannot be given out (unknown id, revoked link); the message says which."""


# --- text -------------------------------------------------------------------------------------


def clean_text(text: str | None) -> str:
    """Text safe for a calendar line: control characters become one space."""
    return " ".join(CONTROL.sub(" ", text or "").split())


# --- what each feed shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """An appointment as one feed shows it."""

    feed_name: str
    summary: str
    location: str
    description: str = ""


FeedId = tuple[str, str]  # (kind, key)


@dataclass(frozen=True)
class Planned:
    """One appointment of a published plan, with what each feed that shows it may show."""

    identity: str
    day: date
    start: int
    end: int
    timezone: str
    views: dict[FeedId, Shown] = field(default_factory=dict)


@dataclass(frozen=True)
class Phones:
    """How citizens cancel, per centre key: (phone, hours)."""

    by_centre: dict[str, tuple[str, str]] = field(default_factory=dict)

    def cancel_text(self, centre: str) -> str:
        phone, hours = self.by_centre.get(centre, ("", ""))
        if not phone:
            return ""
        return f"Afbud: ring {phone}" + (f", {hours}" if hours else "") + "."


def planned_appointments(problem: Problem, solution: Solution, phones: Phones) -> list[Planned]:
    """Every appointment of the plan with its feeds: sessions, team meetings and their seats."""
    planned: list[Planned] = []
    for appointment in solution.appointments:
        if appointment.kind == "team":
            planned.append(meeting(problem, appointment))
            planned += [seat(problem, appointment, r, phones) for r in appointment.participants]
        else:
            planned.append(session_of(problem, appointment, phones))
    return planned


def place(problem: Problem, appointment: Appointment) -> tuple[str, str]:
    """The centre's name, and the room's name when there is one."""
    centre = problem.centre(appointment.centre).name
    room = problem.room(appointment.room).name if appointment.room else ""
    return centre, room


def joined(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def session_of(problem: Problem, appointment: Appointment, phones: Phones) -> Planned:
    """An individual, home or online session: therapist, room, centre and citizen feeds."""
    assert appointment.referral is not None, "a session is for a referral"
    referral = problem.referral(appointment.referral)
    citizen = problem.citizen(referral.citizen)
    therapist = problem.therapist(appointment.therapist)
    centre = problem.centre(appointment.centre)
    centre_name, room_name = place(problem, appointment)
    word = KIND_WORDS[appointment.kind]
    at_centre = {"home": "Hjemmebesøg", "online": "Online"}.get(appointment.kind, room_name)
    for_therapist = {"home": citizen.address, "online": "Online"}.get(
        appointment.kind, joined(centre_name, room_name)
    )
    for_citizen = {"home": "Hjemme hos dig", "online": "Online"}.get(
        appointment.kind, joined(centre.name, centre.address)
    )
    views = {
        ("therapist", therapist.id): Shown(
            therapist_feed_name(therapist.name),
            f"{word}: {short_name(clean_text(citizen.name))}",
            for_therapist,
        ),
        ("centre", centre.id): Shown(
            centre_feed_name(centre_name), f"{word} · {therapist.name}", at_centre or centre_name
        ),
        ("citizen", citizen.id): Shown(
            FEED_NAMES_DEFAULT["citizen"],
            word,
            for_citizen,
            f"Terapeut: {therapist.name}. {phones.cancel_text(centre.id)}".strip(),
        ),
    }
    if appointment.room:
        views["room", appointment.room] = Shown(
            room_feed_name(room_name, centre_name),
            f"{word} · {therapist.name}",
            joined(centre_name, room_name),
        )
    return planned_of(problem, f"referral:{referral.id}", appointment, views)


def meeting(problem: Problem, appointment: Appointment) -> Planned:
    """A team meeting: therapist, room, centre and class feeds, no citizen named."""
    assert appointment.team_class is not None, "a team meeting is of a class"
    team = problem.team_class(appointment.team_class)
    therapist = problem.therapist(appointment.therapist)
    centre_name, room_name = place(problem, appointment)
    where = joined(centre_name, room_name)
    views = {
        ("therapist", therapist.id): Shown(
            therapist_feed_name(therapist.name), f"Hold: {team.name}", where
        ),
        ("centre", appointment.centre): Shown(
            centre_feed_name(centre_name), f"Hold: {team.name} · {therapist.name}", room_name
        ),
        ("class", team.id): Shown(
            class_feed_name(team.name, centre_name),
            team.name,
            where,
            f"Instruktør: {therapist.name}",
        ),
    }
    if appointment.room:
        views["room", appointment.room] = Shown(
            room_feed_name(room_name, centre_name), f"Hold: {team.name} · {therapist.name}", where
        )
    return planned_of(problem, f"class:{team.id}", appointment, views)


def seat(problem: Problem, appointment: Appointment, referral_id: str, phones: Phones) -> Planned:
    """A citizen's seat in a team meeting: only the citizen's own feed shows it."""
    team = problem.team_class(appointment.team_class or "")
    citizen = problem.citizen(problem.referral(referral_id).citizen)
    centre = problem.centre(appointment.centre)
    therapist = problem.therapist(appointment.therapist)
    shown = Shown(
        FEED_NAMES_DEFAULT["citizen"],
        f"{KIND_WORDS['team']}: {team.name}",
        joined(centre.name, centre.address),
        f"Instruktør: {therapist.name}. {phones.cancel_text(centre.id)}".strip(),
    )
    return planned_of(problem, f"seat:{referral_id}", appointment, {("citizen", citizen.id): shown})


def planned_of(
    problem: Problem, identity: str, appointment: Appointment, views: dict[FeedId, Shown]
) -> Planned:
    cleaned = {
        feed: Shown(*(clean_text(t) for t in (s.feed_name, s.summary, s.location, s.description)))
        for feed, s in views.items()
    }
    return Planned(
        identity,
        appointment.day,
        appointment.start,
        appointment.end,
        problem.timezone,
        cleaned,
    )


def therapist_feed_name(name: str) -> str:
    return f"Træningsplan: {name}"


def centre_feed_name(centre: str) -> str:
    return f"Træningsplan: {centre}"


def room_feed_name(room: str, centre: str) -> str:
    return f"Træningsplan: {joined(room, centre)}"


def class_feed_name(team: str, centre: str) -> str:
    return f"Træningsplan: {joined(team, centre)}"


# --- publishing: life-long UIDs, SEQUENCE, cancellations ---------------------------------------


def now_utc() -> datetime:
    """Now, to the second (iCalendar times have no fractions)."""
    return datetime.now(UTC).replace(microsecond=0)


def utc(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def record_publication(plan_id: int, *, session: Session, now: datetime | None = None) -> None:
    """What publishing a plan does to the calendar feeds; the caller commits."""
    moment = (now or now_utc()).replace(microsecond=0)
    plan = get(session, Plan, plan_id)
    problem = load_problem(plan.scenario_id, session=session)
    persons = citizen_persons(plan.scenario_id, session)
    planned = [
        for_persons(appointment, persons)
        for appointment in planned_appointments(
            problem,
            load_solution(plan_id, session=session),
            centre_phones(plan.scenario_id, session),
        )
    ]
    rows = list(session.exec(select(FeedEntry).where(FeedEntry.week == plan.week)).all())
    by_uid: dict[str, list[FeedEntry]] = defaultdict(list)
    for row in rows:
        by_uid[row.uid].append(row)
    uids = match(known_appointments(by_uid), planned)
    for appointment, uid in zip(planned, uids, strict=True):
        found = {(r.feed_kind, r.feed_key): r for r in by_uid.pop(uid, [])} if uid else {}
        write_entries(session, appointment, uid or str(uuid.uuid4()), plan.week, found, moment)
    for left in by_uid.values():
        for row in left:
            cancel(session, row, moment)
    forget_expired(session, moment, plan.week)
    session.flush()


def citizen_persons(scenario_id: int, session: Session) -> dict[str, str]:
    """The person key of each citizen id of a stored week (`planner.db.persons`)."""
    return {c.key: c.person or c.key for c in owned_rows(session, Citizen, scenario_id)}


def for_persons(appointment: Planned, persons: dict[str, str]) -> Planned:
    """The appointment with each citizen feed named by the person, not by the week's id: an id
    another week gives to someone else is another feed."""
    views = {
        (kind, persons.get(key, key) if kind == "citizen" else key): shown
        for (kind, key), shown in appointment.views.items()
    }
    return replace(appointment, views=views)


def centre_phones(scenario_id: int, session: Session) -> Phones:
    rows = session.exec(select(Centre).where(Centre.scenario_id == scenario_id)).all()
    return Phones({c.key: (c.phone or "", c.phone_hours or "") for c in rows})


@dataclass(frozen=True)
class Known:
    """An appointment the week's feeds hold, by its UID: where it is, and whether it is live."""

    uid: str
    identity: str
    day: date
    start: int
    live: bool  # confirmed in at least one feed; else cancelled everywhere


def known_appointments(by_uid: dict[str, list[FeedEntry]]) -> list[Known]:
    """The week's UIDs, each where its newest row puts it (a confirmed row, if it has one)."""
    known = []
    for uid, rows in by_uid.items():
        row = max(rows, key=lambda r: (r.status == "confirmed", utc(r.changed_at), r.id or 0))
        known.append(Known(uid, row.identity, row.date, row.start, row.status == "confirmed"))
    return sorted(known, key=lambda k: k.uid)


def match(known: Sequence[Known], planned: Sequence[Planned]) -> list[str | None]:
    """For each planned appointment the UID it continues: live ones first, then one cancelled
    earlier (it comes back), nearest day and time first; None for a new appointment."""
    by_identity: dict[str, list[Known]] = defaultdict(list)
    for old in known:
        by_identity[old.identity].append(old)
    pairs = sorted(
        (distance(old, new), old.uid, i)
        for i, new in enumerate(planned)
        for old in by_identity.get(new.identity, ())
    )
    chosen: list[str | None] = [None] * len(planned)
    taken: set[str] = set()
    for _, uid, i in pairs:
        if chosen[i] is None and uid not in taken:
            chosen[i] = uid
            taken.add(uid)
    return chosen


def distance(old: Known, new: Planned) -> tuple[int, int, int, int]:
    """Live before cancelled; same day and time, then same day, then fewest days and minutes."""
    same = (old.day == new.day) + (old.day == new.day and old.start == new.start)
    return (int(not old.live), 2 - same, abs((old.day - new.day).days), abs(old.start - new.start))


def write_entries(
    session: Session,
    appointment: Planned,
    uid: str,
    week: str,
    found: dict[FeedId, FeedEntry],
    moment: datetime,
) -> None:
    """Show the appointment in each of its feeds; cancel it in the feeds it has left."""
    for feed, shown in appointment.views.items():
        row = found.pop(feed, None)
        if row is None:
            row = FeedEntry(
                uid=uid,
                week=week,
                identity=appointment.identity,
                feed_kind=feed[0],
                feed_key=feed[1],
                feed_name=shown.feed_name,
                created_at=moment,
                **content(appointment, shown),
                changed_at=moment,
            )
        elif changed(row, appointment, shown):
            for name, value in content(appointment, shown).items():
                setattr(row, name, value)
            row.status, row.cancelled_at = "confirmed", None
            row.sequence += 1
            row.changed_at = moment
        row.feed_name = shown.feed_name  # a renamed calendar is no change to the appointment
        session.add(row)
    for row in found.values():
        cancel(session, row, moment)


def content(appointment: Planned, shown: Shown) -> dict[str, Any]:
    """What a feed prints of an appointment (its name aside)."""
    return {
        "date": appointment.day,
        "start": appointment.start,
        "end": appointment.end,
        "timezone": appointment.timezone,
        "summary": shown.summary,
        "location": shown.location,
        "description": shown.description,
    }


def changed(row: FeedEntry, appointment: Planned, shown: Shown) -> bool:
    """The feed would print something else (a cancelled row coming back counts too)."""
    if row.status != "confirmed":
        return True
    return any(getattr(row, name) != value for name, value in content(appointment, shown).items())


def cancel(session: Session, row: FeedEntry, moment: datetime) -> None:
    """The appointment left this feed: shown as cancelled for a while, then dropped."""
    if row.status == "cancelled":
        return
    row.status, row.cancelled_at, row.changed_at = "cancelled", moment, moment
    row.sequence += 1
    session.add(row)


def forget_expired(session: Session, moment: datetime, week: str) -> None:
    """Delete what no feed shows any more: appointments cancelled over 14 days ago, and those
    more than `FEED_HISTORY` before the week just published (health data kept no longer)."""
    monday = week_monday(week)
    oldest = monday - FEED_HISTORY if monday is not None else date.min
    query = select(FeedEntry).where(
        or_(
            and_(
                col(FeedEntry.status) == "cancelled",
                col(FeedEntry.cancelled_at) < moment - CANCELLED_SHOWN,
            ),
            col(FeedEntry.date) < oldest,
        )
    )
    for row in session.exec(query).all():
        session.delete(row)


# --- reading a feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEvent:
    """One stored appointment of a feed, as plain data: what `build_calendar` prints."""

    uid: str
    week: str
    feed_name: str
    date: date
    start: int
    end: int
    timezone: str
    summary: str
    location: str
    description: str
    status: str
    sequence: int
    created_at: datetime  # UTC, like every time below
    changed_at: datetime
    cancelled_at: datetime | None = None
    identity: str = ""  # what it is for: "referral:r001", "class:balance", "seat:r002"

    @property
    def shown_until(self) -> datetime | None:
        """When a cancelled appointment drops out of its feed (None: it is not cancelled)."""
        if self.status != "cancelled" or self.cancelled_at is None:
            return None
        return self.cancelled_at + CANCELLED_SHOWN


def entry_of(row: FeedEntry) -> FeedEvent:
    return FeedEvent(
        row.uid,
        row.week,
        row.feed_name,
        row.date,
        row.start,
        row.end,
        row.timezone,
        row.summary,
        row.location,
        row.description,
        row.status,
        row.sequence,
        utc(row.created_at),
        utc(row.changed_at),
        utc(row.cancelled_at) if row.cancelled_at is not None else None,
        row.identity,
    )


def feed_entries(kind: str, key: str, *, session: Session) -> list[FeedEvent]:
    """Every stored appointment of one feed, dropped-out ones not yet deleted included."""
    query = select(FeedEntry).where(FeedEntry.feed_kind == kind, FeedEntry.feed_key == key)
    return [entry_of(row) for row in session.exec(query).all()]


def citizen_uids(
    citizen: str, week: str, scenario_id: int, *, session: Session
) -> dict[tuple[date, int], str]:
    """The UIDs the citizen's feed gives the week's live appointments, by day and start: so an
    appointment added from a letter's .ics is the same calendar entry as the feed's. (`citizen`
    is the id in the stored week `scenario_id`; the feed is the person's.)"""
    person = citizen_persons(scenario_id, session).get(citizen, citizen)
    query = select(FeedEntry).where(
        FeedEntry.feed_kind == "citizen",
        FeedEntry.feed_key == person,
        FeedEntry.week == week,
        FeedEntry.status == "confirmed",
    )
    return {(row.date, row.start): row.uid for row in session.exec(query).all()}


def visible(entries: Iterable[FeedEvent], now: datetime) -> list[FeedEvent]:
    """What a feed shows now: confirmed appointments, and cancelled ones for 14 days."""
    kept = [e for e in entries if (until := e.shown_until) is None or now < until]
    return sorted(kept, key=lambda e: (e.date, e.start, e.end, e.uid))


def last_modified(entries: Iterable[FeedEvent], now: datetime) -> datetime | None:
    """When the feed last changed: an appointment's change, or a cancelled one dropping out."""
    moments = []
    for entry in entries:
        until = entry.shown_until
        moments.append(until if until is not None and until <= now else entry.changed_at)
    return max(moments, default=None)


def calendar_uid(kind: str, key: str) -> str:
    """The feed's own UID: the same for the same feed, always."""
    return str(uuid.uuid5(UID_NAMESPACE, f"{kind}:{key}"))


def calendar_name(kind: str, entries: Sequence[FeedEvent]) -> str:
    """The name of the newest publication, else a plain name for the kind of feed."""
    if not entries:
        return FEED_NAMES_DEFAULT[kind]
    return max(entries, key=lambda e: (e.week, e.changed_at, e.uid)).feed_name


def build_calendar(kind: str, key: str, entries: Sequence[FeedEvent]) -> bytes:
    """The feed as iCalendar bytes: the same entries give the same bytes."""
    return calendar_bytes(kind, key, tuple(entries))


# Building is pure, so its result can be kept: a feed polled again unchanged costs no rebuild.
@lru_cache(maxsize=512)
def calendar_bytes(kind: str, key: str, entries: tuple[FeedEvent, ...]) -> bytes:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("uid", calendar_uid(kind, key))
    name = clean_text(calendar_name(kind, entries))
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add(
        "refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"}
    )
    calendar.add("x-published-ttl", REFRESH)
    for zone, days in zone_dates(entries).items():
        calendar.add_component(vtimezone(zone, *whole_years(days)))
    for entry in entries:
        calendar.add_component(event(entry))
    return calendar.to_ical()


def whole_years(days: Sequence[date]) -> tuple[date, date]:
    """The calendar years the dates fall in, [1 January, 1 January after).

    Whole years rather than the exact dates, so the VTIMEZONE changes once a year, not with
    every week published: some calendar programs keep the first VTIMEZONE they see for a TZID.
    """
    return date(min(days).year, 1, 1), date(max(days).year + 1, 1, 1)


def zone_dates(entries: Iterable[FeedEvent]) -> dict[str, list[date]]:
    found: dict[str, list[date]] = defaultdict(list)
    for entry in entries:
        found[entry.timezone].append(entry.date)
    return dict(sorted(found.items()))


def local(entry: FeedEvent, minutes: int) -> datetime:
    day = entry.date + timedelta(days=minutes // (24 * 60))
    return datetime.combine(day, time(minutes % (24 * 60) // 60, minutes % 60)).replace(
        tzinfo=ZoneInfo(entry.timezone)
    )


def event(entry: FeedEvent) -> Event:
    """One appointment as a VEVENT."""
    item = Event()
    item.add("uid", entry.uid)
    item.add("dtstamp", entry.changed_at)
    item.add("created", entry.created_at)
    item.add("last-modified", entry.changed_at)
    item.add("sequence", entry.sequence)
    item.add("dtstart", local(entry, entry.start))
    item.add("dtend", local(entry, entry.end))
    item.add("summary", clean_text(entry.summary))
    if entry.location:
        item.add("location", clean_text(entry.location))
    if entry.description:
        item.add("description", clean_text(entry.description))
    item.add("status", "CONFIRMED" if entry.status == "confirmed" else "CANCELLED")
    item.add("transp", "OPAQUE")
    item.add("class", "PRIVATE")
    return item


# --- serving a feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    """A feed ready to send: its bytes, a strong ETag and when it last changed."""

    body: bytes
    etag: str
    last_modified: datetime | None
    citizens: tuple[str, ...] = ()  # whose data it shows (the access log)


def read_feed(
    kind: str, key: str, token: str, *, session: Session, now: datetime | None = None
) -> Feed | None:
    """The feed behind a subscription link; None for a wrong or revoked link (404)."""
    if not token_matches(kind, key, token, session=session):
        return None
    moment = now or now_utc()
    entries = feed_entries(kind, key, session=session)
    shown = visible(entries, moment)
    body = build_calendar(kind, key, shown)
    citizens = feed_citizens(kind, key, shown, session=session)
    return Feed(body, etag_of(body), last_modified(entries, moment), citizens)


def feed_citizens(
    kind: str, key: str, shown: Iterable[FeedEvent], *, session: Session
) -> tuple[str, ...]:
    """The citizens whose data a feed shows: a citizen's own; a therapist's, those it names (its
    sessions' referrals in the weeks they were published); rooms, centres, classes name none."""
    if kind == "citizen":
        return (key,)
    if kind != "therapist":
        return ()
    referrals = {
        e.identity.removeprefix("referral:") for e in shown if e.identity.startswith("referral:")
    }
    weeks = {e.week for e in shown}
    if not referrals:
        return ()
    query = (
        select(Citizen.key, Citizen.person)
        .join(Scenario, col(Scenario.id) == Citizen.scenario_id)
        .join(
            Referral,
            (col(Referral.scenario_id) == Citizen.scenario_id)
            & (col(Referral.citizen) == Citizen.key),
        )
        .where(col(Scenario.week).in_(weeks), col(Referral.key).in_(referrals))
    )
    return tuple(sorted({person or key for key, person in session.exec(query).all()}))


def etag_of(body: bytes) -> str:
    """A strong ETag: the same bytes, the same tag."""
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


# --- tokens -----------------------------------------------------------------------------------


def derive_token(secret: str, kind: str, key: str, generation: int) -> str:
    """The feed link's secret: HMAC of the feed and its generation under the server secret."""
    message = f"feed|{kind}|{key}|{generation}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: Compared against when a feed has no token row, so a miss takes as long as a wrong token.
NO_HASH = token_hash("")


def token_matches(kind: str, key: str, token: str, *, session: Session) -> bool:
    """The link's token is the feed's current one, and the feed is not revoked."""
    row = session.exec(
        select(FeedToken).where(FeedToken.kind == kind, FeedToken.key == key)
    ).first()
    expected = row.token_hash if row is not None else NO_HASH
    same = hmac.compare_digest(token_hash(token), expected)
    return same and row is not None and row.revoked_at is None


def feed_tokens(
    feeds: Iterable[FeedId], *, session: Session, secret: str
) -> dict[FeedId, FeedToken]:
    """The token rows of these feeds, made (generation 0) for feeds that have none yet."""
    wanted = set(feeds)
    found = stored_tokens(wanted, session)
    made = [new_token(kind, key, secret) for kind, key in sorted(wanted - found.keys())]
    if made:
        session.add_all(made)
        try:
            session.commit()
        except IntegrityError:
            # Another request made them first (two coordinators opening the page at once).
            session.rollback()
        found = stored_tokens(wanted, session)
    return found


def stored_tokens(wanted: set[FeedId], session: Session) -> dict[FeedId, FeedToken]:
    query = select(FeedToken).where(col(FeedToken.kind).in_({kind for kind, _ in wanted}))
    return {(t.kind, t.key): t for t in session.exec(query).all() if (t.kind, t.key) in wanted}


def new_token(kind: str, key: str, secret: str, generation: int = 0) -> FeedToken:
    return FeedToken(
        kind=kind,
        key=key,
        generation=generation,
        token_hash=token_hash(derive_token(secret, kind, key, generation)),
        created_at=now_utc(),
    )


def token_of(row: FeedToken, secret: str) -> str | None:
    """The token of a live feed link (None when revoked or made under another secret)."""
    if row.revoked_at is not None:
        return None
    token = derive_token(secret, row.kind, row.key, row.generation)
    return token if hmac.compare_digest(token_hash(token), row.token_hash) else None


def revoke_feed(kind: str, key: str, *, session: Session, secret: str) -> None:
    """Stop the feed's link: every request for it answers 404 until it is renewed."""
    row = feed_tokens([(kind, key)], session=session, secret=secret)[kind, key]
    if row.revoked_at is None:
        row.revoked_at = now_utc()
        session.add(row)
        session.commit()


def renew_feed(kind: str, key: str, *, session: Session, secret: str) -> None:
    """Give the feed a new link; the old one stops working."""
    row = feed_tokens([(kind, key)], session=session, secret=secret)[kind, key]
    row.generation += 1
    row.token_hash = token_hash(derive_token(secret, kind, key, row.generation))
    row.revoked_at = None
    row.created_at = now_utc()
    session.add(row)
    session.commit()


# --- links ------------------------------------------------------------------------------------


def feed_path(kind: str, key: str, token: str) -> str:
    return f"/feeds/{kind}/{quote(key, safe='')}/{token}.ics"


def webcal(url: str) -> str:
    """The same link for calendar apps: webcal:// opens a subscription dialogue."""
    parts = urlsplit(url)
    return f"webcal://{parts.netloc}{parts.path}"


@dataclass(frozen=True)
class FeedLink:
    """One feed as the coordinator's page lists it."""

    kind: str
    key: str
    name: str
    url: str | None  # None: the link is revoked (or was made under another server secret)

    @property
    def webcal(self) -> str | None:
        return webcal(self.url) if self.url else None


@dataclass(frozen=True)
class FeedGroup:
    kind: str
    links: list[FeedLink]


def week_feeds(
    scenario_id: int, base_url: str, *, session: Session, secret: str
) -> list[FeedGroup]:
    """Every feed of a stored week's therapists, rooms, centres, classes and citizens."""
    names = feed_names(scenario_id, session)
    tokens = feed_tokens(
        [(kind, key) for kind, found in names.items() for key in found],
        session=session,
        secret=secret,
    )
    groups = []
    for kind, found in names.items():
        links = []
        for key, name in found.items():
            token = token_of(tokens[kind, key], secret)
            url = base_url.rstrip("/") + feed_path(kind, key, token) if token else None
            links.append(FeedLink(kind, key, name, url))
        groups.append(FeedGroup(kind, links))
    return groups


def feed_names(scenario_id: int, session: Session) -> dict[str, dict[str, str]]:
    """Per kind of feed, each key of the stored week and the name a coordinator knows it by."""
    centres = {c.key: c.name for c in owned_rows(session, Centre, scenario_id)}
    return {
        "therapist": {t.key: t.name for t in owned_rows(session, Therapist, scenario_id)},
        "room": {
            r.key: joined(r.name, centres.get(r.centre, ""))
            for r in owned_rows(session, Room, scenario_id)
        },
        "centre": centres,
        "class": {
            c.key: joined(c.name, centres.get(c.centre, ""))
            for c in owned_rows(session, TeamClass, scenario_id)
        },
        "citizen": {c.person or c.key: c.name for c in owned_rows(session, Citizen, scenario_id)},
    }


FEED_TABLES: dict[str, type[SQLModel]] = {
    "therapist": Therapist,
    "room": Room,
    "centre": Centre,
    "class": TeamClass,
    "citizen": Citizen,
}


def feed_url(
    kind: str, key: str, *, session: Session, secret: str, base_url: str = DEFAULT_BASE_URL
) -> str:
    """The subscription link of one feed (`planner feed-url`); FeedError when there is none."""
    if kind not in FEED_KINDS:
        raise FeedError(f'"{kind}" is not a kind of feed; use one of {", ".join(FEED_KINDS)}')
    table = FEED_TABLES[kind]
    column = Citizen.person if kind == "citizen" else table.key  # type: ignore[attr-defined]
    if session.exec(select(table).where(column == key)).first() is None:
        raise FeedError(f"there is no {kind} {key} in any stored week")
    row = feed_tokens([(kind, key)], session=session, secret=secret)[kind, key]
    token = token_of(row, secret)
    if token is None:
        raise FeedError(
            f"the {kind} feed of {key} is revoked (or its link was made under another server "
            "secret); renew it on the week's feed page"
        )
    return base_url.rstrip("/") + feed_path(kind, key, token)
