"""Letters to citizens in the app: the batch after publishing, one citizen's letter as a page, a
PDF and a calendar file, and who may read them.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import icalendar
import ics
import pypdfium2
import pytest
import vobject
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.store import save_plan
from planner.formats.scenario import parse_scenario
from planner.outputs.feeds import citizen_uids
from planner.outputs.letters import plan_letters, record_letters
from planner.plan.versions import publish
from planner.text.messages import text_message
from planner.tools.demo import give_centres_phone
from solver.problem import Appointment, Problem, Solution, Unplaced
from tests.databases import stored_plan_violations
from tests.web.conftest import StoredWeek, Web

HOUR = timedelta(hours=1)  # Copenhagen in December


@dataclasses.dataclass(frozen=True)
class Republished:
    """The Norddjurs week published and every letter printed, then published again without two
    citizens' sessions."""

    scenario_id: int
    first: int
    second: int
    cancelled: list[tuple[str, str]]  # (citizen key, name) whose session went away, by name
    kept: str  # a citizen with two unchanged appointments


def removable(problem: Problem, solution: Solution) -> list[Appointment]:
    """Individual centre sessions that a plan may drop and stay valid (no SUL §140 start)."""
    found = []
    for a in solution.appointments:
        r = problem.referral(a.referral) if a.referral else None
        centre_only = r is not None and r.mode == "centre" and not r.team_class
        if a.kind == "individual" and centre_only and r and r.discharged is None:
            found.append(a)
    return found


def without(solution: Solution, gone: list[Appointment]) -> Solution:
    """The plan with some sessions taken out, counted as unplaced with a reason."""
    missing = Counter(a.referral for a in gone)
    unplaced = [
        dataclasses.replace(u, sessions=u.sessions + missing.pop(u.referral, 0))
        for u in solution.unplaced
    ]
    unplaced += [
        Unplaced(r, n, (text_message("aflyst af koordinatoren"),)) for r, n in missing.items() if r
    ]
    return dataclasses.replace(
        solution,
        appointments=tuple(a for a in solution.appointments if a not in gone),
        unplaced=tuple(unplaced),
        stats=dataclasses.replace(
            solution.stats, sessions_placed=solution.stats.sessions_placed - len(gone)
        ),
    )


def citizen_of(problem: Problem, appointment: Appointment) -> tuple[str, str]:
    citizen = problem.citizen(problem.referral(appointment.referral or "").citizen)
    return citizen.id, citizen.name


@pytest.fixture
def republished(
    engine: Engine,
    norddjurs: StoredWeek,
    norddjurs_doc: dict[str, Any],
    norddjurs_solution: Solution,
) -> Republished:
    problem = parse_scenario(norddjurs_doc)
    by_citizen: dict[str, list[Appointment]] = {}
    for a in removable(problem, norddjurs_solution):
        by_citizen.setdefault(citizen_of(problem, a)[0], []).append(a)
    # Two citizens with one session each lose it; a citizen with two sessions keeps both.
    singles = [a[0] for a in by_citizen.values() if len(a) == 1][:2]
    kept = next(c for c, a in by_citizen.items() if len(a) == 2)
    with Session(engine) as session:
        give_centres_phone(norddjurs.scenario_id, session=session)
        publish(norddjurs.plan_id, session=session)
        everyone = [x.citizen for x in plan_letters(norddjurs.plan_id, session=session).changed]
        record_letters(norddjurs.plan_id, everyone, "printed", by="koordinator", session=session)
        second = save_plan(
            norddjurs.scenario_id, without(norddjurs_solution, singles), session=session
        )
        publish(second, session=session)
    cancelled = sorted((citizen_of(problem, a) for a in singles), key=lambda c: c[1])
    return Republished(norddjurs.scenario_id, norddjurs.plan_id, second, cancelled, kept)


def pdf_pages(content: bytes, tmp_path: Path) -> list[str]:
    """The text of each page of a PDF."""
    path = tmp_path / "letters.pdf"
    path.write_bytes(content)
    document = pypdfium2.PdfDocument(path)
    assert [tuple(round(x) for x in page.get_size()) for page in document] == [(595, 842)] * len(
        document
    )
    return [page.get_textpage().get_text_range() for page in document]


def test_letter_batch_lists_the_citizens_whose_times_changed(
    coordinator: Web, engine: Engine, republished: Republished
) -> None:
    response = coordinator.get(f"/plans/{republished.second}/letters")

    assert response.status_code == 200
    assert stored_plan_violations(engine, republished.second) == []
    rows = re.findall(r'<th scope="row">([^<]+)</th>', response.text)
    assert rows == [name for _, name in republished.cancelled]
    assert f'href="/plans/{republished.second}/letters.pdf"' in response.text
    key = republished.cancelled[0][0]
    assert f'href="/plans/{republished.second}/citizens/{key}/letter.ics"' in response.text


def test_letter_batch_pdf_has_one_page_per_changed_citizen(
    coordinator: Web, republished: Republished, tmp_path: Path
) -> None:
    response = coordinator.get(f"/plans/{republished.second}/letters.pdf")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    pages = pdf_pages(response.content, tmp_path)
    assert [name in page for page, (_, name) in zip(pages, republished.cancelled, strict=True)] == [
        True,
        True,
    ]
    assert ["aflyst" in page for page in pages] == [True, True]


def test_first_publication_gives_every_citizen_with_times_a_letter(
    coordinator: Web,
    engine: Engine,
    norddjurs: StoredWeek,
    norddjurs_doc: dict[str, Any],
    norddjurs_solution: Solution,
) -> None:
    with Session(engine) as session:
        publish(norddjurs.plan_id, session=session)

    response = coordinator.get(f"/plans/{norddjurs.plan_id}/letters")

    assert response.status_code == 200
    assert "Der er endnu ikke registreret breve for ugen" in response.text
    seats = {r for a in norddjurs_solution.appointments for r in (*a.participants, a.referral)}
    problem = parse_scenario(norddjurs_doc)
    citizens = {problem.referral(r).citizen for r in seats if r}
    assert len(re.findall(r'<th scope="row">', response.text)) == len(citizens)


def test_letter_page_shows_the_letter_with_print_and_download_links(
    coordinator: Web, republished: Republished
) -> None:
    key, name = republished.cancelled[0]
    url = f"/plans/{republished.second}/citizens/{key}/letter"

    response = coordinator.get(url)

    assert response.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
    assert f" {name} " in text
    assert "Nye tider til træning i uge 50" in text
    assert "er aflyst ." in text
    assert "Ring til Træningscenter" in text and "89 59 30 11" in text
    assert f'href="{url}.pdf"' in response.text and f'href="{url}.ics"' in response.text
    assert '<button type="button" class="primary" data-print>' in response.text
    assert '<script src="/static/print.js" defer></script>' in response.text


def test_letter_pdf_is_one_a4_page_for_the_citizen(
    coordinator: Web, republished: Republished, tmp_path: Path
) -> None:
    key, name = republished.cancelled[0]

    response = coordinator.get(f"/plans/{republished.second}/citizens/{key}/letter.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response.headers["content-disposition"] == (
        f'inline; filename="traeningstider-uge-50-{key}.pdf"'
    )
    pages = pdf_pages(response.content, tmp_path)
    assert len(pages) == 1
    assert name in pages[0]


def test_letter_ics_parses_with_icalendar_vobject_and_ics(
    coordinator: Web, republished: Republished, engine: Engine
) -> None:
    response = coordinator.get(
        f"/plans/{republished.second}/citizens/{republished.kept}/letter.ics"
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    data = response.content
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert [line for line in data.split(b"\r\n") if len(line) > 75] == []
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.get_missing_tzids() == set()
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    with Session(engine) as session:  # the same calendar entries as the citizen's feed
        uids = citizen_uids(republished.kept, "2026-W50", republished.scenario_id, session=session)
        feed_uids = set(uids.values())
    assert {str(e["UID"]) for e in events} == feed_uids
    parsed = vobject.readOne(data.decode("utf-8"), validate=True)
    assert len(parsed.vevent_list) == 2
    start = parsed.vevent_list[0].dtstart
    assert (start.value, start.value.utcoffset()) == (events[0].decoded("DTSTART"), HOUR)
    assert len(ics.Calendar(data.decode("utf-8")).events) == 2


def test_letters_are_for_coordinators_only(
    therapist: Web, anonymous: Web, republished: Republished
) -> None:
    key = republished.cancelled[0][0]
    base = f"/plans/{republished.second}"
    urls = [
        f"{base}/letters",
        f"{base}/letters.pdf",
        f"{base}/citizens/{key}/letter",
        f"{base}/citizens/{key}/letter.pdf",
        f"{base}/citizens/{key}/letter.ics",
    ]

    assert [therapist.get(url).status_code for url in urls] == [403] * 5
    assert [anonymous.get(url, follow_redirects=False).headers.get("location") for url in urls] == [
        f"/login?next={url}" for url in urls
    ]


def test_letters_of_a_draft_are_refused_and_of_an_earlier_version_made(
    coordinator: Web, engine: Engine, republished: Republished, norddjurs_solution: Solution
) -> None:
    with Session(engine) as session:
        draft = save_plan(republished.scenario_id, norddjurs_solution, session=session)
    refused = coordinator.get(f"/plans/{draft}/letters")
    superseded = coordinator.get(f"/plans/{republished.first}/letters")
    unknown_citizen = coordinator.get(f"/plans/{republished.second}/citizens/c9999/letter")
    unknown_plan = coordinator.get("/plans/99999/letters")

    assert refused.status_code == 409
    assert "Breve til borgere laves kun for ugens offentliggjorte plan." in refused.text
    # The letters of version 1 were printed: its batch is empty, and none of it is refused.
    assert superseded.status_code == 200
    assert re.findall(r'<th scope="row">([^<]+)</th>', superseded.text) == []
    assert (unknown_citizen.status_code, unknown_plan.status_code) == (404, 404)


def test_week_overview_links_the_letters_of_the_published_plan(
    coordinator: Web, republished: Republished
) -> None:
    published = coordinator.get(f"/weeks/{republished.scenario_id}?plan={republished.second}")
    superseded = coordinator.get(f"/weeks/{republished.scenario_id}?plan={republished.first}")

    assert f'href="/plans/{republished.second}/letters"' in published.text
    assert "/letters" not in superseded.text


def test_letter_of_every_planned_week_on_screen_and_as_pdf(
    coordinator: Web, engine: Engine, tmp_path: Path
) -> None:
    """`?weeks=all`: the published week and the weeks planned ahead, only this citizen's."""
    from planner.register.ahead import plan_ahead
    from planner.register.store import import_register
    from tests.factories import citizen, referral, scenario

    doc = scenario(
        citizens=[citizen("c001"), citizen("c002", name="Jens Hansen")],
        referrals=[referral("r001", "c001"), referral("r002", "c002")],
    )
    with Session(engine) as session:
        import_register(doc, session=session)
        [first] = plan_ahead("2026-W50", 1, session=session, time_limit=0)
        publish(first.plan_id, session=session)
        plan_ahead("2026-W51", 1, session=session, time_limit=0)
    url = f"/plans/{first.plan_id}/citizens/c001/letter"

    one, every = coordinator.get(url), coordinator.get(f"{url}?weeks=all")
    pdf = coordinator.get(f"{url}.pdf?weeks=all")
    bad = coordinator.get(f"{url}?weeks=some")

    assert one.status_code == every.status_code == 200
    assert "Uge 51" not in one.text and "Dine tider til træning i uge 50–51" in every.text
    assert "Jens Hansen" not in every.text
    assert f'href="{url}.pdf?weeks=all"' in every.text
    assert (pdf.status_code, pdf.headers["cache-control"]) == (200, "no-store")
    pages = pdf_pages(pdf.content, tmp_path)
    assert ["uge 50–51" in page for page in pages[:1]] == [True]
    assert all("Jens Hansen" not in page for page in pages)
    assert bad.status_code == 422
    ics_file = coordinator.get(f"{url}.ics?weeks=all")
    assert ics_file.status_code == 200 and f'href="{url}.ics?weeks=all"' in every.text
    calendar = icalendar.Calendar.from_ical(ics_file.content)
    days = sorted(e["dtstart"].dt.date().isoformat() for e in calendar.walk("VEVENT"))
    assert [d[:8] for d in days] == ["2026-12-"] * 4  # two sessions in each of weeks 50 and 51
    assert {d < "2026-12-14" for d in days} == {True, False}
