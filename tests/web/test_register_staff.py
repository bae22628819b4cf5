"""The register's therapists and classes: absences, employment, standing hours, class dates."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import Plan, RegisterAbsence, RegisterClass, RegisterTherapist
from planner.register.staff import KIND_WORDS, LABELS
from planner.register.store import import_register
from tests.factories import referral, scenario, team_class
from tests.factories import therapist as therapist_doc
from tests.web.conftest import PASSWORD, Web
from tests.web.live import at_once, client, live_server
from tests.web.test_api import api
from web.i18n import ENGLISH


def registered(engine: Engine) -> None:
    """The factory week (2026-W50) with therapists t001 and t002 and a team class."""
    doc = scenario(
        therapists=[therapist_doc("t001"), therapist_doc("t002")],
        referrals=[referral("r001", contact="t001")],
        classes=[team_class("h01")],
    )
    with Session(engine) as session:
        import_register(doc, session=session)


def derived(coordinator: Web, week: str = "2026-W50") -> int:
    """The week made from the register and planned (a draft); the week's id."""
    response = coordinator.post(
        "/register/weeks", {"week": week, "time_limit": "10"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def absent_days(app: FastAPI, week_id: int, therapist: str) -> list[str]:
    doc = api(app).get(f"/api/weeks/{week_id}/scenario").json()
    return next(t["absent"] for t in doc["therapists"] if t["id"] == therapist)


def stored_absences(engine: Engine) -> list[tuple[str, str, str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(RegisterAbsence)).all()
        return [(a.therapist, a.start.isoformat(), a.end.isoformat(), a.kind) for a in rows]


def field_error(page: str, name: str) -> str:
    found = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', page)
    assert found is not None, f"no error on {name}"
    return found.group(1)


def test_register_therapists_list_their_hours_and_link_each_page(
    coordinator: Web, engine: Engine
) -> None:
    registered(engine)
    page = coordinator.get("/register/therapists")

    assert page.status_code == 200
    assert '<a href="/register/therapists/t001">Terapeut t001</a>' in page.text
    assert "<td>40.0</td>" in page.text  # the factory's 08:00-16:00 on five days


def test_absence_added_is_stored_and_the_next_derived_week_has_those_days_off(
    coordinator: Web, app: FastAPI, engine: Engine
) -> None:
    registered(engine)
    added = coordinator.post(
        "/register/therapists/t001/absences",
        {"start": "2026-12-08", "end": "9.12.2026", "kind": "sygdom"},
        follow_redirects=False,
    )
    page = coordinator.get(added.headers["location"])
    week_id = derived(coordinator)

    assert added.status_code == 303
    assert stored_absences(engine) == [("t001", "2026-12-08", "2026-12-09", "sygdom")]
    assert "Ændringen er gemt." in page.text and "<td>Sygdom</td>" in page.text
    assert absent_days(app, week_id, "t001") == ["2026-12-08", "2026-12-09"]
    assert absent_days(app, week_id, "t002") == []


def test_absence_ending_before_it_starts_names_the_last_day_and_stores_nothing(
    coordinator: Web, engine: Engine
) -> None:
    registered(engine)
    page = coordinator.post(
        "/register/therapists/t001/absences",
        {"start": "2026-12-09", "end": "2026-12-08", "kind": "ferie"},
    )

    assert page.status_code == 422
    assert field_error(page.text, "end") == (
        "Sidste fraværsdag: ligger før 9.12.2026; skriv en dato samme dag eller senere"
    )
    assert 'aria-describedby="end-hint end-error"' in page.text
    assert stored_absences(engine) == []


def test_absence_overlapping_another_names_it_and_stores_nothing(
    coordinator: Web, engine: Engine
) -> None:
    registered(engine)
    first = {"start": "2026-12-07", "end": "2026-12-11", "kind": "ferie"}
    assert coordinator.post("/register/therapists/t001/absences", first).status_code == 200
    page = coordinator.post(
        "/register/therapists/t001/absences",
        {"start": "2026-12-11", "end": "2026-12-14", "kind": "kursus"},
    )

    assert page.status_code == 422
    assert field_error(page.text, "start") == (
        "Første fraværsdag: terapeuten har allerede ferie 7.12.2026–11.12.2026; vælg andre "
        "dage, eller ret eller slet det fravær først"
    )
    assert stored_absences(engine) == [("t001", "2026-12-07", "2026-12-11", "ferie")]


def test_absence_with_a_missing_day_and_an_unknown_kind_names_both_fields(
    coordinator: Web, engine: Engine
) -> None:
    registered(engine)
    page = coordinator.post(
        "/register/therapists/t001/absences", {"start": "", "end": "31.2.2026", "kind": "x"}
    )

    assert page.status_code == 422
    assert field_error(page.text, "start") == "Første fraværsdag: skal udfyldes"
    assert field_error(page.text, "end") == (
        "Sidste fraværsdag: &#34;31.2.2026&#34; er ikke en dato; skriv datoer som 2026-12-08"
    )
    assert field_error(page.text, "kind") == "Type: vælg en af mulighederne"


def test_absence_in_a_planned_week_changes_the_week_and_marks_the_broken_draft(
    coordinator: Web, app: FastAPI, engine: Engine
) -> None:
    registered(engine)
    week_id = derived(coordinator)
    [plan] = api(app).get(f"/api/weeks/{week_id}/plans").json()
    booked = sorted(
        {a["start"][:10] for a in api(app).get(f"/api/plans/{plan['id']}").json()["appointments"]
         if a["therapist"] == "t001"}
    )  # fmt: skip
    assert booked, "the draft gives t001 appointments"

    added = coordinator.post(
        "/register/therapists/t001/absences",
        {"start": booked[0], "end": booked[0], "kind": "sygdom"},
    )

    assert added.status_code == 200
    assert absent_days(app, week_id, "t001") == [booked[0]]
    assert "Uge 50 er opdateret med ændringen." in added.text
    assert "1 kladde bryder nu en regel og er markeret «Skal tjekkes»." in added.text
    with Session(engine) as session:
        assert session.get(Plan, plan["id"]).stale is True  # type: ignore[union-attr]


def test_absence_in_a_published_week_leaves_it_and_says_where_to_enter_it(
    coordinator: Web, app: FastAPI, engine: Engine
) -> None:
    registered(engine)
    week_id = derived(coordinator)
    [plan] = api(app).get(f"/api/weeks/{week_id}/plans").json()
    assert api(app).post(f"/api/plans/{plan['id']}/publish").status_code == 200

    added = coordinator.post(
        "/register/therapists/t001/absences",
        {"start": "2026-12-07", "end": "2026-12-07", "kind": "sygdom"},
    )

    assert added.status_code == 200
    assert absent_days(app, week_id, "t001") == []
    assert (
        "Uge 50 er offentliggjort og ikke ændret; skriv ændringen under «Ændringer i ugen»."
        in added.text.replace("&#34;", '"')
    )


def test_deleting_an_absence_gives_the_days_back(
    coordinator: Web, app: FastAPI, engine: Engine
) -> None:
    registered(engine)
    coordinator.post(
        "/register/therapists/t001/absences",
        {"start": "2026-12-07", "end": "2026-12-08", "kind": "ferie"},
    )
    [absence_id] = [a.id for a in Session(engine).exec(select(RegisterAbsence)).all()]
    removed = coordinator.post(
        f"/register/therapists/t001/absences/{absence_id}/delete", follow_redirects=False
    )
    week_id = derived(coordinator)

    assert removed.status_code == 303
    assert stored_absences(engine) == []
    assert absent_days(app, week_id, "t001") == []


def test_employment_and_standing_hours_are_stored_and_shape_the_derived_week(
    coordinator: Web, app: FastAPI, engine: Engine
) -> None:
    registered(engine)
    hours = {f"hours_{d}": "08:00-12:00" for d in ("mon", "tue", "wed", "thu", "fri")}
    saved = coordinator.post(
        "/register/therapists/t002/employment",
        {"first_day": "", "last_day": "2026-12-09", "max_minutes": "600", **hours},
        follow_redirects=False,
    )
    week_id = derived(coordinator)
    doc = api(app).get(f"/api/weeks/{week_id}/scenario").json()
    t002 = next(t for t in doc["therapists"] if t["id"] == "t002")

    assert saved.status_code == 303
    with Session(engine) as session:
        row = session.exec(select(RegisterTherapist).where(RegisterTherapist.key == "t002")).one()
        assert (row.first_day, row.last_day and row.last_day.isoformat()) == (None, "2026-12-09")
    assert t002["hours"]["mon"] == [["08:00", "12:00"]]
    assert t002["max_minutes"] == 600
    assert t002["absent"] == ["2026-12-10", "2026-12-11"]


def test_employment_errors_stand_by_their_fields_and_nothing_is_stored(
    coordinator: Web, engine: Engine
) -> None:
    registered(engine)
    page = coordinator.post(
        "/register/therapists/t002/employment",
        {"first_day": "2026-12-09", "last_day": "2026-12-01", "hours_mon": "8-25"},
    )

    assert page.status_code == 422
    assert field_error(page.text, "last_day") == (
        "Sidste arbejdsdag: ligger før 9.12.2026; skriv en dato samme dag eller senere"
    )
    assert field_error(page.text, "hours_mon").startswith("Arbejdstid mandag: ")
    with Session(engine) as session:
        row = session.exec(select(RegisterTherapist).where(RegisterTherapist.key == "t002")).one()
        assert (row.first_day, row.last_day, row.doc["hours"]["mon"]) == (
            None,
            None,
            [["08:00", "16:00"]],
        )


def test_class_dates_are_stored_and_a_week_made_before_is_named_to_make_again(
    coordinator: Web, engine: Engine
) -> None:
    registered(engine)
    derived(coordinator)
    reversed_dates = coordinator.post(
        "/register/classes/h01", {"first_date": "2027-01-10", "last_date": "2027-01-01"}
    )
    saved = coordinator.post(
        "/register/classes/h01", {"first_date": "2027-01-04", "last_date": "2027-03-26"}
    )

    assert reversed_dates.status_code == 422
    assert field_error(reversed_dates.text, "last_date") == (
        "Sidste dato: ligger før 10.1.2027; skriv en dato samme dag eller senere"
    )
    assert saved.status_code == 200
    assert "Uge 50 er allerede lavet; lav ugen igen fra registret" in saved.text
    with Session(engine) as session:
        row = session.exec(select(RegisterClass).where(RegisterClass.key == "h01")).one()
        assert (str(row.first_date), str(row.last_date)) == ("2027-01-04", "2027-03-26")
    assert "/register/classes/h01" in coordinator.get("/register/classes").text


def test_register_pages_speak_english_on_request(coordinator: Web, engine: Engine) -> None:
    registered(engine)
    coordinator.client.cookies.set("lang", "en")
    page = coordinator.post(
        "/register/therapists/t001/absences",
        {"start": "2026-12-09", "end": "2026-12-08", "kind": "ferie"},
    )

    assert "Add absence" in page.text and "Standing hours" in page.text
    assert field_error(page.text, "end") == (
        "Last day of absence: is before 2026-12-09; give a date on that day or later"
    )


def test_register_pages_are_for_coordinators_and_unknown_ids_are_404(
    coordinator: Web, therapist: Web, engine: Engine
) -> None:
    registered(engine)

    assert therapist.get("/register/therapists").status_code == 403
    assert therapist.get("/register/therapists/t001").status_code == 403
    assert coordinator.get("/register/therapists/t999").status_code == 404
    assert coordinator.get("/register/classes/h99").status_code == 404


def test_every_label_and_kind_the_register_forms_show_has_english() -> None:
    shown = {label for name, label in LABELS.items() if not name.startswith("hours_")}
    shown |= set(KIND_WORDS.values())

    assert sorted(s for s in shown if s not in ENGLISH) == []


def signed_in_client(base: str) -> tuple[httpx.Client, str]:
    """A browser's cookies over real HTTP, signed in as `koord`; the client and its CSRF token."""
    signed = client(base)
    token = signed.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    signed.post("/login", data={"username": "koord", "password": PASSWORD, "csrf_token": token})
    page = signed.get("/register/therapists/t001").text
    return signed, page.split('"X-CSRF-Token": "')[1].split('"')[0]


def test_two_overlapping_absences_entered_at_once_store_one_and_refuse_the_other(
    app: FastAPI, engine: Engine
) -> None:
    registered(engine)
    ranges = [("2026-12-07", "2026-12-09"), ("2026-12-09", "2026-12-11")]
    with live_server(app) as base:
        signed = [signed_in_client(base) for _ in ranges]
        answers = at_once([
            lambda http=http, token=token, r=r: http.post(
                "/register/therapists/t001/absences",
                data={"csrf_token": token, "start": r[0], "end": r[1], "kind": "ferie"},
            )
            for (http, token), r in zip(signed, ranges, strict=True)
        ])  # fmt: skip
        for http, _ in signed:
            http.close()

    assert sorted(a.status_code for a in answers) == [303, 422]
    assert len(stored_absences(engine)) == 1


def test_an_absence_is_deleted_only_through_its_own_therapist(
    coordinator: Web, engine: Engine
) -> None:
    registered(engine)
    coordinator.post(
        "/register/therapists/t001/absences",
        {"start": "2026-12-07", "end": "2026-12-07", "kind": "kursus"},
    )
    [absence_id] = [a.id for a in Session(engine).exec(select(RegisterAbsence)).all()]

    refused = coordinator.post(f"/register/therapists/t002/absences/{absence_id}/delete")

    assert refused.status_code == 404
    assert stored_absences(engine) == [("t001", "2026-12-07", "2026-12-07", "kursus")]
