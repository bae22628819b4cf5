"""Appointment letters: the date in words, who changed between two published plans, what a letter
says for individual, team, home and online training, the calendar file and the PDF.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pypdfium2
import pytest
from sqlmodel import Session, select

from planner.db.models import Centre, Plan
from planner.db.store import import_scenario, save_plan
from planner.errors import PlanStateError
from planner.formats.scenario import parse_scenario
from planner.outputs.letters import (
    AT_THE_CENTRE,
    BRING,
    HOME_PLACE,
    ONLINE_PLACE,
    Booking,
    Letter,
    PlanWeek,
    citizen_bookings,
    citizen_letter,
    compare,
    letter,
    letter_calendar,
    letter_html,
    letters_pdf,
    plan_letters,
    record_letters,
    week_span,
    when_text,
)
from planner.text.repair import CANCELLED_CODE
from solver.problem import Appointment, Message, PlanWarning, Problem, Solution, Stats
from tests.databases import backend_engine
from tests.factories import centre, citizen, referral, room, scenario, team_class, therapist
from tests.planning import publish_unchecked as publish

TUE, WED, THU = date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)
STAMP = datetime(2026, 11, 26, 8, 30, tzinfo=UTC)
MADE_ON = date(2026, 11, 26)
PHONES: dict[str, tuple[str | None, str | None]] = {
    "auning": ("89 59 30 11", "hverdage kl. 8.00–9.00"),
    "posthaven": (None, None),
}


def week_doc() -> dict[str, Any]:
    """Five citizens: individual (Karen), team (Ole), home (Inge), online (Poul), pool (Bent)."""
    return scenario(
        centres=[
            centre(),
            centre("posthaven", address="Posthaven 48, 8500 Grenaa", lat=56.416, lon=10.876),
        ],
        rooms=[
            room("auning-sal", kind="hall", capacity=12),
            room("auning-b1"),
            room("auning-bassin", kind="pool", capacity=8),
        ],
        therapists=[
            therapist("t01", name="Anne Holm"),
            therapist("t02", name="Mads Vestergaard", centres=["posthaven"]),
        ],
        classes=[
            team_class(),
            team_class("vand", name="Bassintræning", room_kind="pool"),
        ],
        citizens=[
            citizen("c001", name="Karen Jensen"),
            citizen("c002", name="Ole Berg", address="Havnevej 2, 8963 Auning"),
            citizen("c003", name="Inge Lund", address="Skovvej 9, 8963 Auning"),
            citizen("c004", name="Poul Krag", address="Bakken 1, 8963 Auning"),
            citizen("c005", name="Bent Ravn", address="Åvej 4, 8963 Auning"),
        ],
        referrals=[
            referral("r001", "c001"),
            referral("r002", "c002", mode="team", sessions_per_week=1, **{"class": "balance"}),
            referral("r003", "c003", mode="home"),
            referral("r004", "c004", mode="online", centre="posthaven"),
            referral("r005", "c005", mode="team", sessions_per_week=1, **{"class": "vand"}),
        ],
    )


def visit(id: str, kind: str, day: date, start: int, **over: Any) -> Appointment:
    fields: dict[str, Any] = dict(
        id=id, kind=kind, therapist="t01", centre="auning", day=day, start=start, end=start + 45
    )
    return Appointment(**(fields | over))


A1 = visit("a1", "individual", TUE, 600, referral="r001", room="auning-b1")
A2 = visit("a2", "team", TUE, 600, end=660, team_class="balance", participants=("r002",),
           room="auning-sal")  # fmt: skip
A3 = visit("a3", "home", WED, 540, referral="r003", travel_before=10, travel_after=10)
A4 = visit("a4", "online", THU, 780, referral="r004", therapist="t02", centre="posthaven")
A5 = visit("a5", "team", THU, 600, end=660, team_class="vand", participants=("r005",),
           room="auning-bassin")  # fmt: skip
EVERYONE = (A1, A2, A3, A4, A5)


def solution(*appointments: Appointment) -> Solution:
    return Solution("feasible", tuple(appointments), stats=Stats(10, len(appointments)))


def problem() -> Problem:
    return parse_scenario(week_doc())


def plan_week(*appointments: Appointment, version: int = 1) -> PlanWeek:
    plan = Plan(id=version, scenario_id=1, week="2026-W50", name="Testuge", version=version,
                status="published", solver_status="feasible", created_at=STAMP)  # fmt: skip
    week = problem()
    return PlanWeek(plan, week, citizen_bookings(week, solution(*appointments)))


def letter_of(citizen: str, *appointments: Appointment, before: PlanWeek | None = None) -> Letter:
    week = plan_week(*appointments, version=2 if before else 1)
    return letter(citizen, week, before, made_on=MADE_ON, phones=PHONES)


def booked(letter: Letter) -> list[Booking]:
    return [c.booking for c in letter.appointments]


# --- words ------------------------------------------------------------------------------------


def test_when_text_writes_out_weekday_date_and_times() -> None:
    assert when_text(TUE, 600, 660) == "tirsdag den 8. december kl. 10.00–11.00"
    assert when_text(date(2027, 1, 4), 8 * 60 + 30, 9 * 60 + 15) == (
        "mandag den 4. januar kl. 08.30–09.15"
    )


def test_week_span_within_a_month_across_months_and_across_years() -> None:
    assert week_span("2026-W50") == "7.–11. december 2026"
    assert week_span("2026-W49") == "30. november – 4. december 2026"
    assert week_span("2026-W53") == "28. december 2026 – 1. januar 2027"


# --- who changed ------------------------------------------------------------------------------


def test_compare_tells_unchanged_new_moved_and_cancelled() -> None:
    week = problem()
    second = visit("a6", "individual", THU, 600, referral="r001", room="auning-b1")
    before = citizen_bookings(week, solution(A1, second))["c001"]
    moved = dataclasses.replace(second, id="a9", start=660, end=705)
    after = citizen_bookings(week, solution(A1, moved))["c001"]

    changes = compare(before, after)

    assert [(c.status, c.booking.key) for c in changes] == [("same", "a1"), ("moved", "a9")]
    assert changes[1].before is not None
    assert changes[1].before.when == "torsdag den 10. december kl. 10.00–10.45"
    assert [(c.status, c.booking.key) for c in compare(after, [])] == [
        ("cancelled", "a1"),
        ("cancelled", "a9"),
    ]
    assert [(c.status, c.booking.key) for c in compare([], after)] == [
        ("new", "a1"),
        ("new", "a9"),
    ]


def test_compare_ignores_a_new_appointment_id_and_a_new_therapist_at_the_same_time() -> None:
    week = problem()
    before = citizen_bookings(week, solution(A1))["c001"]
    after = citizen_bookings(week, solution(dataclasses.replace(A1, id="a7", therapist="t02")))

    assert [c.status for c in compare(before, after["c001"])] == ["same"]


def test_letters_between_two_plans_name_exactly_the_changed_citizens() -> None:
    before = plan_week(A1, A2, A3, A4)
    moved_home = dataclasses.replace(A3, day=THU)

    letters = {
        key: letter(key, plan_week(A1, A2, moved_home, A5, version=2), before,
                    made_on=MADE_ON, phones=PHONES)
        for key in ("c001", "c002", "c003", "c004", "c005")
    }  # fmt: skip

    assert {key: [c.status for c in x.changes] for key, x in letters.items()} == {
        "c001": ["same"],
        "c002": ["same"],
        "c003": ["moved"],
        "c004": ["cancelled"],
        "c005": ["new"],
    }
    assert [key for key, x in letters.items() if x.changed] == ["c003", "c004", "c005"]


# --- what a letter says -----------------------------------------------------------------------


def test_letter_for_individual_training_at_a_centre() -> None:
    found = letter_of("c001", *EVERYONE)

    assert booked(found) == [
        Booking(key="a1", referral="r001", day=TUE, start=600, end=645, kind="individual",
                training="Individuel træning", package="Pakke TG1",
                place="Træningscenter Auning", address="Elme Allé 6, 8963 Auning",
                bring=AT_THE_CENTRE, therapist="Anne", centre="auning")
    ]  # fmt: skip
    assert (found.name, found.address, found.revised, found.changed) == (
        "Karen Jensen", "Storegade 3, 8963 Auning", False, True,
    )  # fmt: skip
    assert [(r.trainings, r.bring) for r in found.reminders] == [
        (("Individuel træning",), AT_THE_CENTRE)
    ]
    assert [(p.names, p.phone, p.hours) for p in found.phone_lines] == [
        ("Træningscenter Auning", "89 59 30 11", "hverdage kl. 8.00–9.00")
    ]


def test_letter_for_team_training_names_the_class() -> None:
    found = letter_of("c002", *EVERYONE)

    assert [(b.training, b.place, b.therapist, b.bring) for b in booked(found)] == [
        ("Holdtræning – Balancehold", "Træningscenter Auning", "Anne", AT_THE_CENTRE)
    ]
    pool = letter_of("c005", *EVERYONE)
    assert [(b.training, b.bring) for b in booked(pool)] == [
        ("Holdtræning – Bassintræning", BRING["pool"])
    ]


def test_letter_for_a_home_visit_says_we_come_to_you_and_asks_nothing_to_bring() -> None:
    found = letter_of("c003", *EVERYONE)

    assert [(b.training, b.place, b.address, b.bring) for b in booked(found)] == [
        ("Hjemmetræning", HOME_PLACE, "Skovvej 9, 8963 Auning", "")
    ]
    assert found.reminders == []
    assert "Husk at tage med" not in letter_html(found)


def test_letter_for_online_training_promises_a_link_and_leaves_out_a_missing_phone() -> None:
    found = letter_of("c004", *EVERYONE)

    assert [(b.training, b.place, b.address, b.therapist) for b in booked(found)] == [
        ("Skærmtræning", ONLINE_PLACE, "", "Mads")
    ]
    assert found.phone_lines == []  # Posthaven has no phone stored
    html = letter_html(found)
    assert "Ring til" not in html
    assert "Giv os besked så tidligt som muligt." in html


def test_letter_html_shows_times_changes_and_only_this_citizen() -> None:
    before = plan_week(A1, A2, A3)
    moved = dataclasses.replace(A1, day=WED)

    html = letter_html(letter_of("c001", moved, A2, before=before))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert "Nye tider til træning i uge 50" in text
    assert "Onsdag den 9. december kl. 10.00–10.45" in text
    assert "Flyttet. Før: tirsdag den 8. december kl. 10.00–10.45" in text
    assert "Ring til Træningscenter Auning på telefon 89 59 30 11 , hverdage kl. 8.00–9.00." in text
    for other in ("Ole Berg", "Inge Lund", "Holm", "Vestergaard"):
        assert other not in text


def test_letter_lists_a_cancelled_time_as_aflyst() -> None:
    found = letter_of("c002", A1, before=plan_week(A1, A2))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", letter_html(found)))

    assert [c.status for c in found.changes] == ["cancelled"]
    assert "Du har ingen tider til træning i uge 50." in text
    assert "Tirsdag den 8. december kl. 10.00–11.00 (Holdtræning – Balancehold) er aflyst ." in text


# --- the calendar file and the PDF ------------------------------------------------------------


def test_letter_calendar_is_a_valid_rfc5545_file_in_copenhagen_time() -> None:
    found = letter_of("c001", A1, dataclasses.replace(A1, id="a8", day=THU))

    data = letter_calendar(found)

    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert [line for line in lines if len(line) > 75] == []
    assert [line for line in lines if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", line)] == []
    assert [line for line in lines if line.startswith(b"COMMENT")] == []
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.get_missing_tzids() == set()
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["2026-W50-a1@traeningsplan",
                                               "2026-W50-a8@traeningsplan"]  # fmt: skip
    start = events[0].decoded("DTSTART")
    assert (start.isoformat(), str(start.tzinfo)) == (
        "2026-12-08T10:00:00+01:00", "Europe/Copenhagen",
    )  # fmt: skip
    assert str(events[0]["LOCATION"]) == "Træningscenter Auning, Elme Allé 6, 8963 Auning"
    assert events[0].decoded("DTSTAMP") == STAMP
    assert data == letter_calendar(found)


def test_letter_calendar_strips_control_characters() -> None:
    doc = week_doc()
    doc["classes"][0]["name"] = "Balance\x07hold\nfor\tøvede"
    week = parse_scenario(doc)
    plan = plan_week(A2).plan
    found = letter("c002", PlanWeek(plan, week, citizen_bookings(week, solution(A2))), None,
                   made_on=MADE_ON, phones=PHONES)  # fmt: skip

    event = icalendar.Calendar.from_ical(letter_calendar(found)).walk("VEVENT")[0]

    assert str(event["SUMMARY"]) == "Holdtræning – Balance hold for øvede"


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page of a PDF, after checking that every page is A4."""
    assert pdf.startswith(b"%PDF-")
    (tmp_path / "letters.pdf").write_bytes(pdf)
    document = pypdfium2.PdfDocument(tmp_path / "letters.pdf")
    sizes = [tuple(round(x) for x in page.get_size()) for page in document]
    assert sizes == [(595, 842)] * len(document)
    return [page.get_textpage().get_text_range() for page in document]


def test_letters_pdf_puts_each_letter_on_its_own_a4_page(tmp_path: Path) -> None:
    letters = [letter_of(key, *EVERYONE) for key in ("c001", "c002", "c003")]

    texts = pdf_pages(letters_pdf(letters, "Breve"), tmp_path)

    assert ["Karen Jensen" in t for t in texts] == [True, False, False]
    assert ["Inge Lund" in t for t in texts] == [False, False, True]


# --- stored plans -----------------------------------------------------------------------------


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    for engine in backend_engine("sqlite", tmp_path):
        with Session(engine) as session:
            yield session


def stored_week(session: Session) -> int:
    """The factory week, stored, with Auning's phone line."""
    scenario_id = import_scenario(week_doc(), session=session)
    auning = session.exec(
        select(Centre).where(Centre.scenario_id == scenario_id, Centre.key == "auning")
    ).one()
    auning.phone, auning.phone_hours = PHONES["auning"]
    session.add(auning)
    session.commit()
    return scenario_id


def test_plan_letters_refuse_a_plan_that_is_not_published(session: Session) -> None:
    week = stored_week(session)
    draft = save_plan(week, solution(*EVERYONE), session=session)

    with pytest.raises(PlanStateError):
        plan_letters(draft, session=session, made_on=MADE_ON)


def test_plan_letters_compare_with_the_last_letter_each_citizen_got(session: Session) -> None:
    week = stored_week(session)
    first = save_plan(week, solution(A1, A2, A3), session=session)
    publish(first, session=session)
    unpublished = save_plan(week, solution(A1), session=session)
    second = save_plan(week, solution(A1, A3, A4), session=session)

    first_run = plan_letters(first, session=session, made_on=MADE_ON)
    record_letters(first, ["c001", "c002"], "printed", by="koordinator", session=session)
    publish(second, session=session)
    second_run = plan_letters(second, session=session, made_on=MADE_ON)

    assert (first_run.previous, [x.name for x in first_run.changed]) == (
        None, ["Inge Lund", "Karen Jensen", "Ole Berg"],
    )  # fmt: skip
    assert second_run.previous is not None and second_run.previous.id == first
    assert unpublished != second_run.previous.id
    # Inge got no letter for version 1: she still needs her first one.
    assert [(x.name, x.revised, [c.status for c in x.changes]) for x in second_run.changed] == [
        ("Inge Lund", False, ["new"]),
        ("Ole Berg", True, ["cancelled"]),
        ("Poul Krag", False, ["new"]),
    ]


def test_record_letters_keeps_who_when_how_and_empties_the_batch(session: Session) -> None:
    week = stored_week(session)
    plan = save_plan(week, solution(A1, A2), session=session)
    publish(plan, session=session)

    rows = record_letters(plan, ["c001", "c002"], "pdf", by="koordinator", session=session)

    assert [(r.citizen, r.plan_id, r.plan_version, r.channel, r.sent_by) for r in rows] == [
        ("c001", plan, 1, "pdf", "koordinator"),
        ("c002", plan, 1, "pdf", "koordinator"),
    ]
    assert [Booking.from_json(t) for t in rows[0].times] == booked(
        citizen_letter(plan, "c001", session=session)
    )
    assert plan_letters(plan, session=session).changed == []


def test_letters_of_an_earlier_version_stay_makeable(session: Session) -> None:
    week = stored_week(session)
    first = save_plan(week, solution(A1), session=session)
    publish(first, session=session)
    second = save_plan(week, solution(dataclasses.replace(A1, day=WED)), session=session)
    publish(second, session=session)

    found = citizen_letter(first, "c001", session=session, made_on=MADE_ON)

    assert [b.day for b in booked(found)] == [TUE]


def test_first_letter_says_dine_tider_and_not_moved(session: Session) -> None:
    week = stored_week(session)
    first = save_plan(week, solution(A1), session=session)
    publish(first, session=session)
    second = save_plan(week, solution(dataclasses.replace(A1, day=WED)), session=session)
    publish(second, session=session)

    found = citizen_letter(second, "c001", session=session, made_on=MADE_ON)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", letter_html(found)))

    assert "Dine tider til træning i uge 50" in text
    assert "Flyttet" not in text
    assert "Ny tid" not in text


def test_letter_names_the_reason_of_a_cancelled_time(session: Session) -> None:
    week = stored_week(session)
    first = save_plan(week, solution(A1, A2), session=session)
    publish(first, session=session)
    record_letters(first, ["c002"], "printed", by="koordinator", session=session)
    reason = PlanWarning("r002", CANCELLED_CODE, Message("repair.class-cancelled"))
    second = save_plan(week, Solution("feasible", (A1,), warnings=(reason,)), session=session)
    publish(second, session=session)

    found = citizen_letter(second, "c002", session=session, made_on=MADE_ON)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", letter_html(found)))

    assert [(c.status, c.reason) for c in found.changes] == [
        ("cancelled", "Holdet er aflyst denne dag")
    ]
    assert "er aflyst . Årsag: Holdet er aflyst denne dag." in text


def test_citizen_letter_reads_the_stored_phone_and_refuses_an_unknown_citizen(
    session: Session,
) -> None:
    week = stored_week(session)
    plan = save_plan(week, solution(*EVERYONE), session=session)
    publish(plan, session=session)

    found = citizen_letter(plan, "c001", session=session, made_on=MADE_ON)

    assert [(p.phone, p.hours) for p in found.phone_lines] == [PHONES["auning"]]
    assert found.date_text == "26. november 2026"
    with pytest.raises(LookupError):
        citizen_letter(plan, "c999", session=session, made_on=MADE_ON)


def test_letters_pdf_sets_a_long_week_a_point_smaller_to_keep_it_on_one_sheet(
    tmp_path: Path,
) -> None:
    days = [date(2026, 12, d) for d in (7, 8, 9, 10)]
    four = [visit(f"a{i}", "individual", d, 540, referral="r001") for i, d in enumerate(days)]

    pdf = letters_pdf([letter_of("c001", *four), letter_of("c003", A3)], "Breve")

    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) == 2
    assert "Torsdag den 10. december kl. 09.00–09.45" in pages[0]
    assert "Inge Lund" in pages[1]


def test_letters_pdf_names_the_citizen_on_every_sheet_of_a_letter_too_long_for_one(
    tmp_path: Path,
) -> None:
    days = [date(2026, 12, d) for d in (7, 8, 9, 10, 11)]
    before = [visit(f"b{i}", "individual", d, 540, referral="r001") for i, d in enumerate(days)]
    after = [dataclasses.replace(b, id=f"a{i}", start=660, end=705) for i, b in enumerate(before)]

    pages = pdf_pages(letters_pdf([letter_of("c001", *after, before=plan_week(*before))], "Brev"),
                      tmp_path)  # fmt: skip

    assert len(pages) == 2
    assert ["Karen Jensen · tider til træning i uge 50" in page for page in pages] == [True, True]


# --- a letter of every planned week ---------------------------------------------------------


def planned_weeks(tmp_path: Path) -> Iterator[tuple[Session, int]]:
    """Two citizens in the register; week 50 planned and published, 51 and 52 planned ahead
    (drafts); the session and week 50's plan."""
    from planner.plan.versions import publish as publish_plan
    from planner.register.ahead import plan_ahead
    from planner.register.store import import_register

    doc = scenario(
        citizens=[citizen("c001"), citizen("c002", name="Jens Hansen")],
        referrals=[referral("r001", "c001"), referral("r002", "c002")],
    )
    for engine in backend_engine("sqlite", tmp_path):
        with Session(engine) as session:
            import_register(doc, session=session)
            [first] = plan_ahead("2026-W50", 1, session=session, time_limit=0)
            publish_plan(first.plan_id, session=session)
            plan_ahead("2026-W51", 2, session=session, time_limit=0)
            yield session, first.plan_id


def test_weeks_letter_has_every_planned_week_of_the_one_citizen(tmp_path: Path) -> None:
    from planner.outputs.letters import citizen_weeks_letter, weeks_letter_html

    for session, plan_id in planned_weeks(tmp_path):
        letter = citizen_weeks_letter(plan_id, "c001", session=session, made_on=date(2026, 12, 1))
        html = weeks_letter_html(letter)

        assert [(w.week, w.published, len(w.bookings)) for w in letter.weeks] == [
            ("2026-W50", True, 2), ("2026-W51", False, 2), ("2026-W52", False, 2),
        ]  # fmt: skip
        assert {b.referral for b in letter.bookings} == {"r001"}
        assert letter.title == "Dine tider til træning i uge 50–52"
        assert "Karen Jensen" in html and "Jens Hansen" not in html
        assert re.findall(r"<h2>(Uge [^<]+)</h2>", html) == [
            "Uge 50 (7.–11. december 2026)",
            "Uge 51 (14.–18. december 2026) – foreløbig",
            "Uge 52 (21.–25. december 2026) – foreløbig",
        ]


def test_weeks_letter_needs_a_published_plan_and_a_citizen_of_it(tmp_path: Path) -> None:
    from planner.errors import NotFound
    from planner.outputs.letters import citizen_weeks_letter

    for session, plan_id in planned_weeks(tmp_path):
        draft = session.exec(select(Plan).where(Plan.status == "draft")).first()
        assert draft is not None and draft.id is not None
        with pytest.raises(PlanStateError):
            citizen_weeks_letter(draft.id, "c001", session=session)
        with pytest.raises(NotFound):
            citizen_weeks_letter(plan_id, "c999", session=session)
