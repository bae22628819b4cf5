"""Calendar feeds of the published plan: what each feed shows, life-long UIDs across re-plans,
SEQUENCE and cancellations, the time zone, same bytes for the same data, and the secret links.

Every feed a test builds is read by three independent parsers (icalendar, vobject with
validation, ics-py) and its lines are checked (`parsed`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import ics
import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import FeedEntry, FeedToken
from planner.db.store import import_scenario, save_plan
from planner.formats.scenario import parse_scenario
from planner.formats.validate import check_plan
from planner.outputs.feeds import (
    FeedError,
    FeedEvent,
    build_calendar,
    calendar_uid,
    clean_text,
    feed_entries,
    feed_url,
    read_feed,
    record_publication,
    renew_feed,
    revoke_feed,
    token_matches,
    visible,
)
from planner.plan.versions import publish
from planner.text.messages import text_message
from planner.tools.demo import give_centres_phone
from solver.problem import Appointment, Solution, Stats, Travel, Unplaced, travel_minutes
from tests.databases import BACKENDS, backend_engine
from tests.factories import citizen, referral, scenario, team_class, therapist

SECRET = "test-feed-secret"
CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
CITIZEN_WORDS = ("Karen", "Jensen", "Ole", "Hansen", "Bæk", "Bakkevej")


# --- the three parsers and the line rules -----------------------------------------------------


def parsed(body: bytes) -> Calendar:
    """The feed as icalendar reads it, after vobject and ics-py have read it too."""
    assert body.endswith(b"\r\n")
    for line in body[:-2].split(b"\r\n"):
        assert len(line) <= 75, line
        assert CONTROL.search(line) is None, line
        assert not re.search(r"[\x80-\x9f]", line.decode("utf-8")), line
    text = body.decode("utf-8")
    calendar = Calendar.from_ical(body)
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    for component in calendar.walk():
        assert component.errors == [], component.name
    for item in calendar.walk("VEVENT"):
        assert item["DTSTART"].params["TZID"] in zones
        assert item["DTEND"].params["TZID"] in zones
    assert calendar.get_missing_tzids() == set()
    checked = vobject_read(text)
    assert len(getattr(checked, "vevent_list", [])) == len(calendar.walk("VEVENT"))
    assert len(ics.Calendar(text).events) == len(calendar.walk("VEVENT"))
    assert "METHOD" not in calendar
    assert not re.search(r"^COMMENT", text, re.MULTILINE)
    return calendar


def vobject_read(text: str) -> Any:
    """vobject's reading, with validation, of this feed's own VTIMEZONE.

    vobject keeps the first VTIMEZONE it parses for a TZID for the rest of the process; without
    forgetting it, every later feed would be read with an earlier feed's time zone.
    """
    vars(vobject.icalendar)["__tzidMap"].clear()
    vobject.icalendar.registerTzid("UTC", vobject.icalendar.utc)
    return vobject.readOne(text, validate=True)


def events(body: bytes) -> list[dict[str, Any]]:
    """The feed's events as plain values, in the feed's order."""
    return [
        {
            "uid": str(e["UID"]),
            "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND"),
            "summary": str(e["SUMMARY"]),
            "location": str(e.get("LOCATION", "")),
            "description": str(e.get("DESCRIPTION", "")),
            "status": str(e["STATUS"]),
            "sequence": int(e["SEQUENCE"]),
        }
        for e in parsed(body).walk("VEVENT")
    ]


def unfolded(body: bytes) -> str:
    return body.replace(b"\r\n ", b"").decode("utf-8")


# --- a small week and hand-made plans of it ---------------------------------------------------

TUE, WED, THU, FRI = date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10), date(2026, 12, 11)
HOME = {"address": "Bakkevej 9, 8963 Auning", "lat": 56.432, "lon": 10.387}


def week_doc() -> dict[str, Any]:
    """Two therapists; Karen (two centre sessions), Ole (a seat in Balancehold, a home visit)."""
    return scenario(
        therapists=[therapist("t01", name="Anders Krogh"), therapist("t02", name="Bente Lund")],
        classes=[team_class()],
        citizens=[
            citizen("c001", name="Karen\tJensen\x07"),
            citizen("c002", name="Ole Hansen Bæk", **HOME),
        ],
        referrals=[
            referral("r001", "c001"),
            referral("r002", "c002", mode="team", centre=None, sessions_per_week=1,
                     **{"class": "balance"}),
            referral("r003", "c002", mode="home", centre=None, sessions_per_week=1,
                     session_minutes=60),
        ],
    )  # fmt: skip


def drive() -> int:
    return travel_minutes(Travel(1.3, 45), 56.431, 10.383, HOME["lat"], HOME["lon"])


A1 = Appointment("a1", "individual", "t01", "auning", TUE, 540, 585, "r001", room="auning-b1")
A2 = Appointment("a2", "individual", "t01", "auning", THU, 540, 585, "r001", room="auning-b1")
A3 = Appointment(
    "a3", "team", "t01", "auning", TUE, 600, 660, team_class="balance",
    participants=("r002",), room="auning-sal",
)  # fmt: skip


def a4() -> Appointment:
    return Appointment(
        "a4", "home", "t02", "auning", WED, 600, 660, "r003",
        travel_before=drive(), travel_after=drive(),
    )  # fmt: skip


def plan_of(*appointments: Appointment, unplaced: tuple[Unplaced, ...] = ()) -> Solution:
    """A hand-made plan of the week; the validator must find nothing wrong with it."""
    placed = len(appointments)
    solution = Solution("feasible", appointments, unplaced, (), Stats(4, placed))
    assert check_plan(parse_scenario(week_doc()), solution) == []
    return solution


def plan_a() -> Solution:
    return plan_of(A1, A2, A3, a4())


def plan_b() -> Solution:
    """Plan A with Karen's Thursday session moved to Friday."""
    return plan_of(A1, replace(A2, id="b2", day=FRI), A3, a4())


def plan_c() -> Solution:
    """Plan A without Karen's Thursday session."""
    return plan_of(A1, A3, a4(), unplaced=(Unplaced("r001", 1, (text_message("ingen tid"),)),))


def plan_d() -> Solution:
    """Plan A with Karen's Tuesday session given by Bente instead of Anders."""
    return plan_of(replace(A1, therapist="t02"), A2, A3, a4())


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine(request.param, tmp_path)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def week(session: Session) -> int:
    return import_scenario(week_doc(), session=session)


def published(session: Session, week: int, solution: Solution) -> int:
    plan_id = save_plan(week, solution, session=session)
    publish(plan_id, session=session)
    return plan_id


def feed(session: Session, kind: str, key: str, now: datetime | None = None) -> bytes:
    """The feed's bytes as the server would send them at `now`."""
    moment = now or datetime.now(UTC)
    return build_calendar(kind, key, visible(feed_entries(kind, key, session=session), moment))


# --- text ------------------------------------------------------------------------------------


def test_clean_text_turns_control_characters_into_one_space() -> None:
    assert clean_text("Elme Allé 6,\r\n8963\tAuning\x07\x85") == "Elme Allé 6, 8963 Auning"
    assert clean_text(None) == ""


# --- what each feed shows --------------------------------------------------------------------


def test_every_feed_of_a_published_week_passes_three_parsers(session: Session, week: int) -> None:
    published(session, week, plan_a())
    feeds = {(r.feed_kind, r.feed_key) for r in session.exec(select(FeedEntry)).all()}

    assert feeds == {
        ("therapist", "t01"), ("therapist", "t02"), ("room", "auning-b1"), ("room", "auning-sal"),
        ("centre", "auning"), ("class", "balance"), ("citizen", "c001"), ("citizen", "c002"),
    }  # fmt: skip
    for kind, key in feeds:
        assert len(events(feed(session, kind, key))) >= 1


def test_feed_header_names_the_calendar_and_asks_for_hourly_refresh(
    session: Session, week: int
) -> None:
    published(session, week, plan_a())
    lines = feed(session, "therapist", "t01").decode().split("\r\n")

    assert lines[:10] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Træningsplan//Kalenderfeeds//DA",
        "CALSCALE:GREGORIAN",
        "NAME:Træningsplan: Anders Krogh",
        "X-WR-CALNAME:Træningsplan: Anders Krogh",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        f"UID:{calendar_uid('therapist', 't01')}",
        "X-PUBLISHED-TTL:PT1H",
        "BEGIN:VTIMEZONE",
    ]
    assert not any(line.startswith(("METHOD", "COMMENT")) for line in lines)


def test_therapist_feed_shows_kind_room_first_name_and_initial(session: Session, week: int) -> None:
    published(session, week, plan_a())
    body = feed(session, "therapist", "t01")

    shown = [(e["summary"], e["location"], e["description"]) for e in events(body)]
    assert shown == [
        ("Individuel træning: Karen J.", "Træningscenter Auning, auning-b1", ""),
        ("Hold: Balancehold", "Træningscenter Auning, auning-sal", ""),
        ("Individuel træning: Karen J.", "Træningscenter Auning, auning-b1", ""),
    ]
    assert "Jensen" not in unfolded(body)


def test_therapist_feed_shows_the_home_address_of_a_home_visit(session: Session, week: int) -> None:
    published(session, week, plan_a())

    shown = [(e["summary"], e["location"]) for e in events(feed(session, "therapist", "t02"))]
    assert shown == [("Hjemmetræning: Ole B.", "Bakkevej 9, 8963 Auning")]


def test_room_centre_and_class_feeds_name_no_citizen(session: Session, week: int) -> None:
    published(session, week, plan_a())

    for kind, key in (("room", "auning-b1"), ("room", "auning-sal"), ("centre", "auning"),
                      ("class", "balance")):  # fmt: skip
        text = unfolded(feed(session, kind, key))
        assert [w for w in CITIZEN_WORDS if w in text] == [], (kind, key)
    centre = [(e["summary"], e["location"]) for e in events(feed(session, "centre", "auning"))]
    assert centre == [
        ("Individuel træning · Anders Krogh", "auning-b1"),
        ("Hold: Balancehold · Anders Krogh", "auning-sal"),
        ("Hjemmetræning · Bente Lund", "Hjemmebesøg"),
        ("Individuel træning · Anders Krogh", "auning-b1"),
    ]
    team = events(feed(session, "class", "balance"))
    assert [(e["summary"], e["description"]) for e in team] == [
        ("Balancehold", "Instruktør: Anders Krogh")
    ]


def test_citizen_feed_shows_own_sessions_seats_address_and_how_to_cancel(
    session: Session, week: int
) -> None:
    give_centres_phone(week, session=session)
    published(session, week, plan_a())

    shown = [(e["summary"], e["location"], e["description"])
             for e in events(feed(session, "citizen", "c002"))]  # fmt: skip
    cancel = "Afbud: ring 89 59 30 11, hverdage kl. 8.00–9.00."
    assert shown == [
        ("Holdtræning: Balancehold", "Træningscenter Auning, Elme Allé 6, 8963 Auning",
         f"Instruktør: Anders Krogh. {cancel}"),
        ("Hjemmetræning", "Hjemme hos dig", f"Terapeut: Bente Lund. {cancel}"),
    ]  # fmt: skip
    assert "Karen" not in unfolded(feed(session, "citizen", "c002"))


def test_feed_times_are_copenhagen_time_with_the_right_offset(session: Session, week: int) -> None:
    published(session, week, plan_a())

    first = events(feed(session, "therapist", "t01"))[0]
    assert first["start"].isoformat() == "2026-12-08T09:00:00+01:00"
    assert str(first["start"].tzinfo) == "Europe/Copenhagen"
    assert first["end"].isoformat() == "2026-12-08T09:45:00+01:00"


# --- the time zone ---------------------------------------------------------------------------


def entry(day: date, uid: str, start: int = 600) -> FeedEvent:
    moment = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    return FeedEvent(uid, "2027-W13", "Træningsplan: Anders Krogh", day, start, start + 60,
                 "Europe/Copenhagen", "Hold: Balancehold", "Sal", "", "confirmed", 0,
                 moment, moment)  # fmt: skip


def vtimezone_lines(body: bytes) -> list[str]:
    lines = body.decode().split("\r\n")
    return lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]


def test_vtimezone_covers_the_whole_year_with_its_changes() -> None:
    body = build_calendar(
        "therapist", "t01", [entry(date(2027, 3, 26), "x1"), entry(date(2027, 3, 29), "x2")]
    )

    assert vtimezone_lines(body) == [
        "BEGIN:VTIMEZONE", "TZID:Europe/Copenhagen",
        "BEGIN:STANDARD", "DTSTART:20270101T000000", "TZNAME:CET",
        "TZOFFSETFROM:+0100", "TZOFFSETTO:+0100", "END:STANDARD",
        # RFC 5545 3.6.5: the onset in the clock before the change, 02:00 winter time.
        "BEGIN:DAYLIGHT", "DTSTART:20270328T020000", "TZNAME:CEST",
        "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT",
        "BEGIN:STANDARD", "DTSTART:20271031T030000", "TZNAME:CET",
        "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
        "END:VTIMEZONE",
    ]  # fmt: skip


def test_times_either_side_of_summer_time_read_the_same_in_every_parser() -> None:
    body = build_calendar(
        "therapist", "t01", [entry(date(2027, 3, 26), "x1"), entry(date(2027, 3, 29), "x2")]
    )
    text = body.decode()
    expected = ["2027-03-26T09:00:00+00:00", "2027-03-29T08:00:00+00:00"]

    by_icalendar = [e["start"].astimezone(UTC).isoformat() for e in events(body)]
    by_vobject = [v.dtstart.value.astimezone(UTC).isoformat()
                  for v in vobject_read(text).vevent_list]  # fmt: skip
    by_ics = sorted(e.begin.to("UTC").isoformat() for e in ics.Calendar(text).events)
    assert (by_icalendar, by_vobject, by_ics) == (expected, expected, expected)


def test_times_either_side_of_winter_time_read_the_same_in_every_parser() -> None:
    body = build_calendar("therapist", "t01", [entry(date(2026, 10, 23), "y1"),
                                               entry(date(2026, 10, 26), "y2")])  # fmt: skip
    text = body.decode()
    expected = ["2026-10-23T08:00:00+00:00", "2026-10-26T09:00:00+00:00"]

    by_icalendar = [e["start"].astimezone(UTC).isoformat() for e in events(body)]
    by_vobject = [v.dtstart.value.astimezone(UTC).isoformat()
                  for v in vobject_read(text).vevent_list]  # fmt: skip
    by_ics = sorted(e.begin.to("UTC").isoformat() for e in ics.Calendar(text).events)
    assert (by_icalendar, by_vobject, by_ics) == (expected, expected, expected)


def test_empty_feed_is_a_valid_calendar_with_a_plain_name() -> None:
    body = build_calendar("citizen", "c404", [])

    assert parsed(body).walk("VEVENT") == []
    assert "X-WR-CALNAME:Mine træningsaftaler" in body.decode()


# --- the same data, the same bytes -----------------------------------------------------------


def test_same_data_gives_the_same_bytes(engine: Engine, week: int, session: Session) -> None:
    published(session, week, plan_a())
    first = feed(session, "therapist", "t01")
    with Session(engine) as other:
        again = feed(other, "therapist", "t01")

    assert again == first
    assert calendar_uid("therapist", "t01") == calendar_uid("therapist", "t01")
    assert calendar_uid("therapist", "t01") != calendar_uid("room", "t01")


def test_publishing_the_same_plan_again_changes_no_byte(session: Session, week: int) -> None:
    published(session, week, plan_a())
    before = {key: feed(session, kind, key) for kind, key in (("therapist", "t01"),
                                                               ("citizen", "c002"))}  # fmt: skip

    published(session, week, plan_a())

    assert feed(session, "therapist", "t01") == before["t01"]
    assert feed(session, "citizen", "c002") == before["c002"]


def test_dtstamp_and_last_modified_are_the_stored_change_time(session: Session, week: int) -> None:
    plan_id = save_plan(week, plan_a(), session=session)
    record_publication(plan_id, session=session, now=datetime(2026, 11, 30, 12, 0, 5, tzinfo=UTC))
    session.commit()

    item = parsed(feed(session, "therapist", "t01")).walk("VEVENT")[0]
    assert item["DTSTAMP"].to_ical() == b"20261130T120005Z"
    assert item["LAST-MODIFIED"].to_ical() == b"20261130T120005Z"


# --- life-long UIDs, SEQUENCE and cancellations ----------------------------------------------


def uids(body: bytes) -> list[tuple[str, str, int, str]]:
    return [(e["uid"], e["start"].isoformat(), e["sequence"], e["status"]) for e in events(body)]


def test_moved_session_keeps_its_uid_with_sequence_one_higher(session: Session, week: int) -> None:
    published(session, week, plan_a())
    (tue, team, thu) = uids(feed(session, "therapist", "t01"))
    (karen_tue, karen_thu) = uids(feed(session, "citizen", "c001"))

    published(session, week, plan_b())

    assert uids(feed(session, "therapist", "t01")) == [
        tue, team, (thu[0], "2026-12-11T09:00:00+01:00", 1, "CONFIRMED")
    ]  # fmt: skip
    assert uids(feed(session, "citizen", "c001")) == [
        karen_tue, (karen_thu[0], "2026-12-11T09:00:00+01:00", 1, "CONFIRMED")
    ]  # fmt: skip
    assert thu[1:] == ("2026-12-10T09:00:00+01:00", 0, "CONFIRMED")


def test_sequence_rises_with_every_change(session: Session, week: int) -> None:
    published(session, week, plan_a())
    published(session, week, plan_b())
    published(session, week, plan_a())

    moved = uids(feed(session, "therapist", "t01"))[2]
    assert moved[1:] == ("2026-12-10T09:00:00+01:00", 2, "CONFIRMED")


def test_vanished_session_is_cancelled_then_drops_out_after_14_days(
    session: Session, week: int
) -> None:
    published(session, week, plan_a())
    thursday = uids(feed(session, "therapist", "t01"))[2]
    published(session, week, plan_c())
    cancelled = session.exec(select(FeedEntry).where(FeedEntry.status == "cancelled")).all()
    when = cancelled[0].cancelled_at
    assert when is not None
    moment = when if when.tzinfo else when.replace(tzinfo=UTC)

    day_13 = uids(feed(session, "therapist", "t01", now=moment + timedelta(days=13)))
    day_14 = uids(feed(session, "therapist", "t01", now=moment + timedelta(days=14)))

    assert day_13[2] == (thursday[0], thursday[1], 1, "CANCELLED")
    assert [u[0] for u in day_14] == [u[0] for u in day_13[:2]]
    assert sorted((r.feed_kind, r.feed_key) for r in cancelled) == [
        ("centre", "auning"), ("citizen", "c001"), ("room", "auning-b1"), ("therapist", "t01")
    ]  # fmt: skip


def test_publication_after_14_days_deletes_what_has_dropped_out(
    session: Session, week: int
) -> None:
    published(session, week, plan_a())
    plan_id = published(session, week, plan_c())

    later = datetime.now(UTC) + timedelta(days=15)
    record_publication(plan_id, session=session, now=later)
    session.commit()

    assert session.exec(select(FeedEntry).where(FeedEntry.status == "cancelled")).all() == []


def test_session_given_by_another_therapist_is_cancelled_in_the_old_feed(
    session: Session, week: int
) -> None:
    published(session, week, plan_a())
    tuesday = uids(feed(session, "therapist", "t01"))[0]

    published(session, week, plan_d())

    assert uids(feed(session, "therapist", "t01"))[0] == (tuesday[0], tuesday[1], 1, "CANCELLED")
    assert (tuesday[0], tuesday[1], 0, "CONFIRMED") in uids(feed(session, "therapist", "t02"))
    # Karen's own calendar: the same appointment at the same time, only the therapist changed.
    karen = events(feed(session, "citizen", "c001"))[0]
    assert (karen["uid"], karen["sequence"], karen["description"]) == (
        tuesday[0], 1, "Terapeut: Bente Lund."
    )  # fmt: skip


def test_cancelled_session_coming_back_gets_its_uid_again(session: Session, week: int) -> None:
    published(session, week, plan_a())
    before = uids(feed(session, "therapist", "t01"))
    published(session, week, plan_c())
    published(session, week, plan_a())

    thursday = before[2]
    assert uids(feed(session, "therapist", "t01")) == [
        before[0], before[1], (thursday[0], thursday[1], 2, "CONFIRMED")
    ]  # fmt: skip


def test_publishing_a_week_deletes_appointments_8_weeks_before_it(
    session: Session, week: int
) -> None:
    published(session, week, plan_a())
    # 2026 has 53 ISO weeks: 2027-W05 is 8 weeks after 2026-W50, 2027-W06 nine.
    nine_weeks_later = import_scenario(scenario(week="2027-W06"), session=session)
    nothing = Solution(
        "feasible", (), (Unplaced("r001", 2, (text_message("ingen tid"),)),), (), Stats(2, 0)
    )
    assert check_plan(parse_scenario(scenario(week="2027-W06")), nothing) == []
    eight_weeks_later = import_scenario(scenario(week="2027-W05"), session=session)

    published(session, eight_weeks_later, nothing)
    assert len(feed_entries("therapist", "t01", session=session)) == 3
    published(session, nine_weeks_later, nothing)

    assert session.exec(select(FeedEntry)).all() == []


def test_a_draft_shows_in_no_feed(session: Session, week: int) -> None:
    save_plan(week, plan_a(), session=session)

    assert session.exec(select(FeedEntry)).all() == []


# --- secret links ----------------------------------------------------------------------------


def token_in(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_feed_url_is_the_served_path_with_a_long_token(session: Session, week: int) -> None:
    url = feed_url("therapist", "t01", session=session, secret=SECRET)

    assert url.startswith("http://127.0.0.1:8000/feeds/therapist/t01/")
    assert len(token_in(url)) == 43
    assert feed_url("therapist", "t01", session=session, secret=SECRET) == url
    other = feed_url("therapist", "t01", session=session, secret=SECRET, base_url="https://x/")
    assert other == "https://x" + url.removeprefix("http://127.0.0.1:8000")


def test_feed_token_is_stored_only_as_its_hash(session: Session, week: int) -> None:
    token = token_in(feed_url("citizen", "c001", session=session, secret=SECRET))

    row = session.exec(select(FeedToken)).one()
    assert (row.kind, row.key, row.generation) == ("citizen", "c001", 0)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash


def test_token_matches_only_its_own_feed(session: Session, week: int) -> None:
    token = token_in(feed_url("therapist", "t01", session=session, secret=SECRET))
    feed_url("therapist", "t02", session=session, secret=SECRET)

    assert token_matches("therapist", "t01", token, session=session) is True
    assert token_matches("therapist", "t02", token, session=session) is False
    assert token_matches("therapist", "t01", token[:-1] + "A", session=session) is False
    assert token_matches("therapist", "t03", token, session=session) is False


def test_revoked_feed_opens_for_no_token_until_renewed(session: Session, week: int) -> None:
    published(session, week, plan_a())
    old = token_in(feed_url("therapist", "t01", session=session, secret=SECRET))

    revoke_feed("therapist", "t01", session=session, secret=SECRET)
    assert read_feed("therapist", "t01", old, session=session) is None
    with pytest.raises(FeedError, match="revoked"):
        feed_url("therapist", "t01", session=session, secret=SECRET)

    renew_feed("therapist", "t01", session=session, secret=SECRET)
    new = token_in(feed_url("therapist", "t01", session=session, secret=SECRET))
    assert new != old
    assert read_feed("therapist", "t01", old, session=session) is None
    served = read_feed("therapist", "t01", new, session=session)
    assert served is not None and served.body == feed(session, "therapist", "t01")


def test_read_feed_gives_a_strong_etag_and_the_last_change(session: Session, week: int) -> None:
    plan_id = save_plan(week, plan_a(), session=session)
    record_publication(plan_id, session=session, now=datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    session.commit()
    token = token_in(feed_url("room", "auning-sal", session=session, secret=SECRET))

    served = read_feed("room", "auning-sal", token, session=session)

    assert served is not None
    assert served.etag == '"' + hashlib.sha256(served.body).hexdigest()[:40] + '"'
    assert served.last_modified == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_feed_url_refuses_an_unknown_kind_or_id(session: Session, week: int) -> None:
    with pytest.raises(FeedError, match='"patient" is not a kind of feed'):
        feed_url("patient", "c001", session=session, secret=SECRET)
    with pytest.raises(FeedError, match="there is no therapist t99 in any stored week"):
        feed_url("therapist", "t99", session=session, secret=SECRET)
