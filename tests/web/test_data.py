"""The week's data in the browser: lists, forms, errors beside their fields, who may edit."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.store import export_scenario, import_scenario
from planner.week.edit import DAY_NAMES, KIND_NAMES, LABELS, MODES, PROFESSIONS, ROOM_KINDS
from tests.factories import citizen, scenario, team_class
from tests.web.conftest import StoredWeek, Web
from tests.web.live import client, live_server
from web.i18n import ENGLISH
from web.routes.data import NEW_TITLES, TITLES

KINDS = ("therapists", "rooms", "classes", "citizens", "referrals", "centres")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@pytest.fixture
def week(engine: Engine) -> int:
    """A small stored week: the factory week with a team class and a citizen without referrals."""
    doc = scenario(classes=[team_class()], citizens=[citizen(), citizen("c002", name="Ole Hansen")])
    with Session(engine) as session:
        return import_scenario(doc, session=session)


def exported(engine: Engine, week: int) -> dict[str, Any]:
    with Session(engine) as session:
        return export_scenario(week, session=session)


def therapist_form(**changes: Any) -> dict[str, Any]:
    """The factory therapist t01 as its form posts it."""
    form = {"name": "Terapeut t01", "profession": "physio", "centres": ["auning"],
            "skills": ["team"], **{f"hours_{d}": "08:00-16:00" for d in WEEKDAYS},
            "absent": "", "max_minutes": ""}  # fmt: skip
    return {**form, **changes}


def test_every_kind_has_a_list_page_with_its_entities(
    coordinator: Web, norddjurs: StoredWeek
) -> None:
    base = f"/weeks/{norddjurs.scenario_id}"
    pages = {kind: coordinator.get(f"{base}/{kind}") for kind in KINDS}

    assert {kind: page.status_code for kind, page in pages.items()} == dict.fromkeys(KINDS, 200)
    assert f'<a href="{base}/therapists/t001/edit">Anders Krogh</a>' in pages["therapists"].text
    assert (
        f'<a href="{base}/centres/auning/edit">Træningscenter Auning</a>' in pages["centres"].text
    )
    assert '<h2 id="results-h">236 i alt</h2>' in pages["citizens"].text
    assert "Side 1 af 5" in pages["citizens"].text
    assert pages["referrals"].text.count(f'<th scope="row"><a href="{base}/referrals/') == 50


def test_search_filters_the_list_and_htmx_gets_only_the_results(
    coordinator: Web, norddjurs: StoredWeek
) -> None:
    url = f"/weeks/{norddjurs.scenario_id}/therapists?q=krogh"
    page = coordinator.get(url).text
    fragment = coordinator.htmx("GET", url).text

    assert '<h2 id="results-h">1 fundet</h2>' in page
    assert "Anders Krogh" in page
    assert fragment.startswith('<section id="results"')
    assert "<main" not in fragment


def test_week_menu_links_to_the_data(coordinator: Web, norddjurs: StoredWeek) -> None:
    page = coordinator.get(f"/weeks/{norddjurs.scenario_id}").text

    assert f'<a href="/weeks/{norddjurs.scenario_id}/therapists" >Data</a>' in page


def test_edit_form_shows_labelled_fields_with_the_stored_values(
    coordinator: Web, norddjurs: StoredWeek
) -> None:
    page = coordinator.get(f"/weeks/{norddjurs.scenario_id}/therapists/t001/edit").text

    assert '<label for="name">Navn</label>' in page
    assert 'id="name" name="name" type="text" value="Anders Krogh"' in page
    assert '<label for="hours_mon">Mandag</label>' in page
    assert 'id="hours_mon" name="hours_mon" type="text" value="12:30-16:00"' in page
    assert 'value="auning" checked' in page
    assert "Gemte planer beholder deres aftaler" in page
    assert 'name="csrf_token"' in page


def test_new_forms_have_their_labelled_fields_and_propose_an_id(
    coordinator: Web, week: int
) -> None:
    proposed = {"therapists": "t02", "rooms": "auning-b2", "classes": "", "citizens": "c003",
                "referrals": "r002", "centres": ""}  # fmt: skip
    pages = {kind: coordinator.get(f"/weeks/{week}/{kind}/new") for kind in KINDS}

    for kind, page in pages.items():
        assert page.status_code == 200
        assert f"<h1>{NEW_TITLES[kind]}</h1>" in page.text
        assert '<label for="id">Id</label>' in page.text
        assert f'id="id" name="id" type="text" value="{proposed[kind]}"' in page.text
        fields = [n for n in LABELS[kind] if not n.endswith(("_sat", "_sun"))]
        assert [
            n for n in fields if f'for="{n}"' not in page.text and f'id="{n}"' not in page.text
        ] == []


def test_bad_post_answers_422_with_the_message_at_its_field_and_stores_nothing(
    coordinator: Web, engine: Engine, week: int
) -> None:
    before = exported(engine, week)
    form = therapist_form(max_minutes="mange", hours_tue="16:00-08:00")

    response = coordinator.post(f"/weeks/{week}/therapists/t01/edit", form)

    assert response.status_code == 422
    message = "Højst minutter pr. uge: &#34;mange&#34; er ikke et helt tal; skriv fx 45"
    assert f'<p class="field-error" id="max_minutes-error">{message}</p>' in response.text
    assert re.search(
        r'<input id="max_minutes" name="max_minutes" type="text" value="mange"[^>]*'
        r'aria-invalid="true" aria-describedby="max_minutes-hint max_minutes-error">',
        response.text,
    )
    assert 'value="16:00-08:00"' in response.text  # what was typed is kept
    assert "Intet er gemt." in response.text
    assert exported(engine, week) == before


def test_a_rule_of_the_week_is_shown_at_the_weekday_it_concerns(
    coordinator: Web, engine: Engine, week: int
) -> None:
    before = exported(engine, week)

    response = coordinator.post(f"/weeks/{week}/therapists/t01/edit",
                                therapist_form(hours_tue="16:00-08:00"))  # fmt: skip

    assert response.status_code == 422
    assert (
        '<p class="field-error" id="hours_tue-error">Arbejdstid tirsdag: 16.00–08.00 slutter '
        "ikke efter, at det starter; skriv starten før slutningen</p>"
    ) in response.text
    assert 'aria-invalid="true" aria-describedby="hours-hint hours_tue-error"' in response.text
    assert exported(engine, week) == before


def test_good_post_stores_and_redirects_to_the_list(
    coordinator: Web, engine: Engine, week: int
) -> None:
    form = {"id": "auning-b2", "name": "Behandlingsrum 2", "centre": "auning",
            "kind": "treatment", "capacity": "1"}  # fmt: skip

    response = coordinator.post(f"/weeks/{week}/rooms/new", form, follow_redirects=False)
    listed = coordinator.get(response.headers["location"]).text

    assert response.status_code == 303
    assert response.headers["location"] == f"/weeks/{week}/rooms?saved=auning-b2"
    assert exported(engine, week)["rooms"][-1] == {
        "id": "auning-b2", "centre": "auning", "name": "Behandlingsrum 2",
        "kind": "treatment", "capacity": 1,
    }  # fmt: skip
    assert f'Gemt: <a href="/weeks/{week}/rooms/auning-b2/edit">auning-b2</a>' in listed


def test_centre_phone_is_stored_and_shown(coordinator: Web, week: int) -> None:
    form = {"name": "Træningscenter Auning", "address": "Elme Allé 6, 8963 Auning",
            "lat": "56,431", "lon": "10,383", "phone": "89 59 30 11",
            "phone_hours": "hverdage kl. 8.00-9.00",
            **{f"open_{d}": "08:00-16:00" for d in WEEKDAYS}}  # fmt: skip

    response = coordinator.post(f"/weeks/{week}/centres/auning/edit", form)

    assert response.status_code == 200
    assert "<td>89 59 30 11</td><td>hverdage kl. 8.00-9.00</td>" in response.text


def test_delete_a_citizen_without_referrals_and_refuse_one_with(
    coordinator: Web, engine: Engine, week: int
) -> None:
    deleted = coordinator.post(f"/weeks/{week}/citizens/c002/delete", follow_redirects=False)
    refused = coordinator.post(f"/weeks/{week}/citizens/c001/delete")

    assert deleted.status_code == 303
    assert refused.status_code == 409
    assert (
        "<li>Borger c001 kan ikke slettes: henvisning r001 (citizen) henviser stadig til den.</li>"
    ) in refused.text
    assert [c["id"] for c in exported(engine, week)["citizens"]] == ["c001"]


def test_unknown_entity_is_404(coordinator: Web, week: int) -> None:
    assert coordinator.get(f"/weeks/{week}/referrals/r999/edit").status_code == 404
    assert coordinator.post(f"/weeks/{week}/rooms/nowhere/edit", {"name": "x"}).status_code == 404
    assert coordinator.get(f"/weeks/{week + 1}/rooms").status_code == 404


def test_a_therapist_account_may_not_see_or_change_the_data(
    therapist: Web, engine: Engine, week: int
) -> None:
    before = exported(engine, week)

    assert therapist.get(f"/weeks/{week}/therapists").status_code == 403
    assert therapist.get(f"/weeks/{week}/therapists/t01/edit").status_code == 403
    posted = therapist.post(f"/weeks/{week}/therapists/t01/edit", therapist_form(name="X"))
    assert posted.status_code == 403
    assert exported(engine, week) == before


def test_anonymous_is_sent_to_login(anonymous: Web, week: int) -> None:
    response = anonymous.get(f"/weeks/{week}/citizens", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/weeks/{week}/citizens"


def test_form_in_english_has_english_labels(coordinator: Web, week: int) -> None:
    coordinator.client.cookies.set("lang", "en")

    page = coordinator.get(f"/weeks/{week}/therapists/t01/edit").text

    assert '<label for="hours_mon">Monday</label>' in page
    assert "<legend>Working hours</legend>" in page
    assert '<option value="physio" selected>Physiotherapist</option>' in page


def test_every_label_and_choice_the_forms_show_has_english() -> None:
    shown = {label for labels in LABELS.values() for name, label in labels.items()
             if not name.endswith(tuple(DAY_NAMES))}  # fmt: skip
    shown |= {*PROFESSIONS.values(), *MODES.values(), *ROOM_KINDS.values()}
    shown |= {*TITLES.values(), *NEW_TITLES.values(), *(KIND_NAMES[k] for k in KINDS)}
    shown |= {name.capitalize() for name in DAY_NAMES.values()}

    assert sorted(s for s in shown if s not in ENGLISH) == []


# --- saving off the event loop (finding 5) --------------------------------------------------------


def test_a_save_in_progress_does_not_freeze_other_pages(
    app: FastAPI, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form's save checks and stores the whole week (seconds for a big one) in a worker
    thread: while one is under way (held here until another page has answered), the server
    answers other requests."""
    with Session(engine) as session:
        scenario_id = import_scenario(scenario(), session=session)
    started, release = threading.Event(), threading.Event()

    def slow_save(*_args: object, **_kwargs: object) -> str:
        started.set()
        release.wait(30)
        return "auning-b1"

    monkeypatch.setattr("web.routes.data.save_entity", slow_save)
    with live_server(app) as base, client(base) as saver, client(base) as other:
        token = saver.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        saver.post("/login", data={"username": "koord", "password": "rigtig-hemmelig-1",
                                   "csrf_token": token})  # fmt: skip
        form = saver.get(f"/weeks/{scenario_id}/rooms/auning-b1/edit").text
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        path = f"/weeks/{scenario_id}/rooms/auning-b1/edit"
        worker = threading.Thread(target=lambda: saver.post(path, data={"csrf_token": token}))
        worker.start()
        assert started.wait(30)
        try:
            answered = other.get("/login", timeout=10).status_code
        finally:
            release.set()
            worker.join()

    assert answered == 200
