"""Editing a stored week by forms: the rules of scenario/1, field by field, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import Centre
from planner.db.store import export_scenario, import_scenario, save_plan
from planner.formats.scenario import parse_scenario
from planner.week.edit import (
    Choices,
    EditError,
    Form,
    changed_citizens,
    delete_entity,
    entity_form,
    form_citizens,
    list_entities,
    listed_citizens,
    proposed_id,
    save_entity,
)
from solver.solve import solve
from tests.databases import BACKENDS, backend_engine
from tests.factories import citizen, referral, scenario, team_class


@pytest.fixture(params=BACKENDS, scope="module")
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One migrated database per backend for the module; each test edits a week of its own."""
    yield from backend_engine(request.param, tmp_path_factory.mktemp("editing"))


@pytest.fixture
def session(database: Engine) -> Iterator[Session]:
    with Session(database) as session:
        yield session


def week_doc() -> dict[str, Any]:
    """The factory week with a team class, a team referral and a citizen without referrals."""
    team = referral("r002", mode="team", sessions_per_week=1, **{"class": "balance"})
    return scenario(
        classes=[team_class()],
        citizens=[citizen(), citizen("c002", name="Ole Hansen")],
        referrals=[referral(), team],
    )


@pytest.fixture
def week(session: Session) -> int:
    return import_scenario(week_doc(), session=session)


def form_of(session: Session, week: int, of: str, key: str | None = None, **changes: Any) -> Form:
    """The form as the page fills it, with some fields changed as a coordinator would type."""
    values = dict(entity_form(week, of, key, session=session).values)
    for name, value in changes.items():
        values[name] = value if isinstance(value, list) else [value]
    return values


def rejected(session: Session, week: int, kind: str, form: Form, key: str | None = None) -> Any:
    """The errors of a change that must not be stored; the stored week is checked unchanged."""
    before = export_scenario(week, session=session)
    with pytest.raises(EditError) as caught:
        save_entity(week, kind, form, key=key, session=session)
    assert export_scenario(week, session=session) == before
    return caught.value.texts()


def stored(session: Session, week: int, kind: str, key: str) -> dict[str, Any]:
    doc = export_scenario(week, session=session)
    return next(item for item in doc[kind] if item["id"] == key)


def without(doc: dict[str, Any], kind: str, key: str) -> dict[str, Any]:
    """The week with one entity left out, to show nothing else changed."""
    return {**doc, kind: [item for item in doc[kind] if item.get("id") != key]}


# --- therapists -----------------------------------------------------------------------------


def test_therapist_add_stores_hours_absences_and_skills(session: Session, week: int) -> None:
    form = form_of(
        session, week, "therapists",
        name="Mette Holm", centres=["auning"], skills=["team"], skills_new="neuro, lymfe",
        hours_mon="8-12, 12.30-15:30", hours_wed="08:00-12:00",
        absent="8.12.2026\n2026-12-09", max_minutes="1200",
    )  # fmt: skip

    key = save_entity(week, "therapists", form, session=session)

    assert key == "t02"
    assert stored(session, week, "therapists", "t02") == {
        "id": "t02",
        "name": "Mette Holm",
        "profession": "physio",
        "skills": ["lymfe", "neuro", "team"],
        "centres": ["auning"],
        "hours": {"mon": [["08:00", "12:00"], ["12:30", "15:30"]], "wed": [["08:00", "12:00"]]},
        "absent": ["2026-12-08", "2026-12-09"],
        "max_minutes": 1200,
    }


def test_therapist_edit_changes_that_therapist_and_nothing_else(
    session: Session, week: int
) -> None:
    before = export_scenario(week, session=session)
    form = form_of(session, week, "therapists", "t01", hours_fri="", absent="2026-12-10")

    save_entity(week, "therapists", form, key="t01", session=session)

    after = export_scenario(week, session=session)
    assert after["therapists"][0]["hours"] == {
        day: [["08:00", "16:00"]] for day in ("mon", "tue", "wed", "thu")
    }
    assert after["therapists"][0]["absent"] == ["2026-12-10"]
    assert without(after, "therapists", "t01") == without(before, "therapists", "t01")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Navn: skal udfyldes"),
        ("profession", "doctor", "Faggruppe: vælg en af mulighederne"),
        ("hours_tue", "08:00", 'Arbejdstid tirsdag: "08:00" er ikke et tidsrum; '
                               "skriv tider som 08:00-15:30"),
        ("hours_wed", "07:00-25:00", 'Arbejdstid onsdag: "25:00" er ikke et klokkeslæt; '
                                     "skriv tider som 08:00-15:30"),
        ("hours_mon", "12:00-08:00", "Arbejdstid mandag: 12.00–08.00 slutter ikke efter, at det "
                                     "starter; skriv starten før slutningen"),
        ("hours_thu", "08:00-12:00, 11:00-14:00", "Arbejdstid torsdag: 08.00–12.00 overlapper "
                                                  "11.00–14.00; slå de to tidsrum sammen til ét"),
        ("absent", "2026-12-08, 2026-13-01", 'Fraværsdage: "2026-13-01" er ikke en dato; '
                                             "skriv datoer som 2026-12-08"),
        ("max_minutes", "mange", 'Højst minutter pr. uge: "mange" er ikke et helt tal; '
                                 "skriv fx 45"),
        ("max_minutes", "-5", "Højst minutter pr. uge: skal være mindst 0 (ikke -5)"),
        ("centres", [], "Centre: vælg mindst én"),
        ("centres", ["auning", "odder"], 'Centre: ukendt center "odder"; '
                               "vælg et id, der findes"),
    ],
)  # fmt: skip
def test_therapist_bad_input_is_rejected_at_its_field(
    session: Session, week: int, field: str, value: Any, message: str
) -> None:
    form = form_of(session, week, "therapists", "t01", **{field: value})

    assert rejected(session, week, "therapists", form, key="t01") == {field: [message]}


def test_therapist_new_id_must_be_free_and_plain(session: Session, week: int) -> None:
    taken = form_of(session, week, "therapists", id="t01", name="X", centres=["auning"])
    spaced = form_of(session, week, "therapists", id="t 1", name="X", centres=["auning"])

    assert rejected(session, week, "therapists", taken) == {
        "id": ["Id: t01 er allerede brugt; vælg et andet, fx t02"]
    }
    assert rejected(session, week, "therapists", spaced) == {
        "id": ["Id: skriv højst 40 bogstaver, tal, - _ eller . uden mellemrum, fx t026"]
    }


def test_therapist_edit_that_leaves_a_class_without_instructor_is_a_form_error(
    session: Session, week: int
) -> None:
    form = form_of(session, week, "therapists", "t01", skills=[])

    assert rejected(session, week, "therapists", form, key="t01") == {
        "": [
            "Hold balance (instructor): ingen fysioterapeut med kompetencen 'team' arbejder på "
            "auning; giv en terapeut der det, der skal til, eller ret instruktøren"
        ]
    }


def test_therapist_cannot_be_deleted_by_a_form(session: Session, week: int) -> None:
    with pytest.raises(EditError) as caught:
        delete_entity(week, "therapists", "t01", session=session)

    assert caught.value.texts() == {"": ["Terapeut t01 kan ikke slettes her; ret den i stedet."]}


# --- rooms ----------------------------------------------------------------------------------


def test_room_add_and_edit(session: Session, week: int) -> None:
    form = form_of(session, week, "rooms", name="Behandlingsrum 2", centre="auning")
    key = save_entity(week, "rooms", form, session=session)
    change = form_of(session, week, "rooms", key, capacity="2")
    save_entity(week, "rooms", change, key=key, session=session)

    assert key == "auning-b2"
    assert stored(session, week, "rooms", key) == {
        "id": "auning-b2", "centre": "auning", "name": "Behandlingsrum 2",
        "kind": "treatment", "capacity": 2,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", "0", "Kapacitet (personer ad gangen): skal være mindst 1 (ikke 0)"),
        ("capacity", "to", 'Kapacitet (personer ad gangen): "to" er ikke et helt tal; skriv fx 45'),
        ("capacity", "", "Kapacitet (personer ad gangen): skal udfyldes"),
        ("kind", "", "Type: skal udfyldes"),
        ("centre", "odder", 'Center: ukendt center "odder"; vælg et id, der findes'),
    ],
)
def test_room_bad_input_is_rejected_at_its_field(
    session: Session, week: int, field: str, value: str, message: str
) -> None:
    form = form_of(session, week, "rooms", "auning-b1", **{field: value})

    assert rejected(session, week, "rooms", form, key="auning-b1") == {field: [message]}


def test_room_delete_when_unused_and_refused_when_a_class_needs_it(
    session: Session, week: int
) -> None:
    delete_entity(week, "rooms", "auning-b1", session=session)
    before = export_scenario(week, session=session)
    with pytest.raises(EditError) as caught:
        delete_entity(week, "rooms", "auning-sal", session=session)

    assert [r["id"] for r in export_scenario(week, session=session)["rooms"]] == ["auning-sal"]
    assert export_scenario(week, session=session) == before
    assert caught.value.texts() == {
        "": [
            "Lokale auning-sal kan ikke slettes: Hold balance (room_kind): auning har intet "
            "lokale af typen sal; opret et eller vælg en anden type."
        ]
    }


# --- team classes ---------------------------------------------------------------------------


def test_class_add_with_meetings_per_week_and_edit_its_meetings(
    session: Session, week: int
) -> None:
    form = form_of(session, week, "classes", id="knae", name="Knæhold", centre="auning",
                   instructor_skills=["team"], meetings_per_week="2")  # fmt: skip
    save_entity(week, "classes", form, session=session)
    change = form_of(session, week, "classes", "balance", meetings_tue="", meetings_wed="9.30")
    save_entity(week, "classes", change, key="balance", session=session)

    assert stored(session, week, "classes", "knae") == {
        "id": "knae", "name": "Knæhold", "centre": "auning", "room_kind": "hall",
        "capacity": 10, "minutes": 60, "instructor": {"profession": "physio", "skills": ["team"]},
        "meetings_per_week": 2,
    }  # fmt: skip
    assert stored(session, week, "classes", "balance")["meetings"] == [
        {"day": "wed", "start": "09:30"},
        {"day": "thu", "start": "10:00"},
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meetings_mon", "07:00", "Mødetid mandag: man 07.00–08.00 ligger uden for "
                                  "aunings åbningstid 08.00–16.00; flyt mødet eller ret "
                                  "åbningstiden"),
        ("meetings_mon", "10:10", "Mødetid mandag: 10:10 ligger ikke på tidsrasteret på 15 "
                                  "minutter; start på et multiplum af 15 minutter"),
        ("meetings_mon", "ti", 'Mødetid mandag: "ti" er ikke et klokkeslæt; skriv tider som 10:00'),
        ("meetings_per_week", "2", "Møder pr. uge (planlæggeren vælger tiderne): udfyld enten "
                                   "faste mødetider eller møder pr. uge, ikke begge"),
        ("meetings_per_week", "8", "Møder pr. uge (planlæggeren vælger tiderne): må højst være 7 "
                                   "(ikke 8)"),
        ("room_kind", "pool", "Lokaletype: auning har intet lokale af typen bassin; "
                              "opret et eller vælg en anden type"),
    ],
)  # fmt: skip
def test_class_bad_input_is_rejected_at_its_field(
    session: Session, week: int, field: str, value: Any, message: str
) -> None:
    changes = {field: value}
    if value == "8":  # checked alone: the fixed meetings must go for the count to be read
        changes |= {"meetings_tue": "", "meetings_thu": ""}
    form = form_of(session, week, "classes", "balance", **changes)

    assert rejected(session, week, "classes", form, key="balance") == {field: [message]}


def test_class_instructor_nobody_can_be_is_shown_at_the_instructor(
    session: Session, week: int
) -> None:
    form = form_of(session, week, "classes", "balance", instructor_skills=["neuro"])

    assert rejected(session, week, "classes", form, key="balance") == {
        "instructor_profession": [
            "Instruktørens faggruppe: ingen fysioterapeut med kompetencen 'neuro' arbejder på "
            "auning; giv en terapeut der det, der skal til, eller ret instruktøren"
        ]
    }


def test_class_cannot_be_deleted_by_a_form(session: Session, week: int) -> None:
    with pytest.raises(EditError):
        delete_entity(week, "classes", "balance", session=session)

    assert [c["id"] for c in export_scenario(week, session=session)["classes"]] == ["balance"]


# --- citizens -------------------------------------------------------------------------------


def test_citizen_add_with_windows_and_edit_to_always_available(session: Session, week: int) -> None:
    form = form_of(session, week, "citizens", name="Inge Lund", address="Torvet 1, 8500 Grenaa",
                   lat="56,416", lon="10.876", always_available=[],
                   available_mon="9-12", available_thu="09:00-11:00, 13:00-15:00")  # fmt: skip
    key = save_entity(week, "citizens", form, session=session)

    assert key == "c003"
    assert stored(session, week, "citizens", key) == {
        "id": "c003", "name": "Inge Lund", "address": "Torvet 1, 8500 Grenaa",
        "lat": 56.416, "lon": 10.876,
        "available": {"mon": [["09:00", "12:00"]],
                      "thu": [["09:00", "11:00"], ["13:00", "15:00"]]},
    }  # fmt: skip

    change = form_of(session, week, "citizens", key, always_available="1",
                     available_mon="", available_thu="")  # fmt: skip
    save_entity(week, "citizens", change, key=key, session=session)

    assert "available" not in stored(session, week, "citizens", key)


def test_citizen_with_no_window_at_all_is_never_available(session: Session, week: int) -> None:
    form = form_of(session, week, "citizens", "c002", always_available=[])

    save_entity(week, "citizens", form, key="c002", session=session)

    assert stored(session, week, "citizens", "c002")["available"] == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lat", "nord", "Breddegrad: skriv et decimaltal, fx 56,431"),
        ("lat", "", "Breddegrad: skal udfyldes"),
        ("lon", "195", "Længdegrad: må højst være 180 (ikke 195.0)"),
        ("available_mon", "9-12", "Kan komme, når centret har åbent: fjern fluebenet eller "
                                  "tiderne; de siger hver sit"),
    ],
)  # fmt: skip
def test_citizen_bad_input_is_rejected_at_its_field(
    session: Session, week: int, field: str, value: str, message: str
) -> None:
    form = form_of(session, week, "citizens", "c001", **{field: value})
    name = "always_available" if field == "available_mon" else field

    assert rejected(session, week, "citizens", form, key="c001") == {name: [message]}


def test_citizen_reversed_window_is_rejected_at_its_day(session: Session, week: int) -> None:
    form = form_of(session, week, "citizens", "c001", always_available=[], available_tue="14-10")

    assert rejected(session, week, "citizens", form, key="c001") == {
        "available_tue": [
            "Kan komme tirsdag: 14.00–10.00 slutter ikke efter, at det starter; "
            "skriv starten før slutningen"
        ]
    }


def test_citizen_delete_without_referrals_and_refused_with_them(
    session: Session, week: int
) -> None:
    delete_entity(week, "citizens", "c002", session=session)
    before = export_scenario(week, session=session)
    with pytest.raises(EditError) as caught:
        delete_entity(week, "citizens", "c001", session=session)

    assert export_scenario(week, session=session) == before
    assert [c["id"] for c in before["citizens"]] == ["c001"]
    assert caught.value.texts() == {
        "": [
            "Borger c001 kan ikke slettes: henvisning r001 (citizen) henviser stadig til den.",
            "Borger c001 kan ikke slettes: henvisning r002 (citizen) henviser stadig til den.",
        ]
    }


# --- referrals ------------------------------------------------------------------------------


def test_referral_add_and_edit(session: Session, week: int) -> None:
    form = form_of(session, week, "referrals", citizen="c002", package="TG1", mode="home",
                   centre="", session_minutes="30", sessions_per_week="2", intro="1",
                   earliest="2026-12-08", contact="t01")  # fmt: skip
    key = save_entity(week, "referrals", form, session=session)
    change = form_of(session, week, "referrals", key, sessions_per_week="3",
                     exception="Faglig vurdering: tæt opfølgning")  # fmt: skip
    save_entity(week, "referrals", change, key=key, session=session)

    assert key == "r003"
    assert stored(session, week, "referrals", key) == {
        "id": "r003", "citizen": "c002", "package": "TG1", "mode": "home", "class": None,
        "profession": "physio", "skills": [], "centre": None, "sessions_per_week": 3,
        "session_minutes": 30, "intro": True, "final": False, "delivered": 0,
        "earliest": "2026-12-08", "discharged": None, "contact": "t01",
        "exception": "Faglig vurdering: tæt opfølgning",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sessions_per_week", "3", "Sessioner pr. uge: 3 × 45 min = 135 min om ugen ligger "
                                   "uden for TG1s 60–90 min; skriv en begrundelse for "
                                   "afvigelsen, hvis det er meningen"),
        ("sessions_per_week", "8", "Sessioner pr. uge: må højst være 7 (ikke 8)"),
        ("mode", "bus", "Form: vælg en af mulighederne"),
        ("earliest", "2026-02-30", 'Tidligst: "2026-02-30" er ikke en dato; '
                                   "skriv datoer som 2026-12-08"),
        ("delivered", "16", "Sessioner givet før denne uge: 16 sessioner er flere end "
                            "TG1s højst 15; ret tallet eller afslut henvisningen"),
        ("citizen", "c999", 'Borger: ukendt borger "c999"; vælg et id, der findes'),
        ("contact", "t99", 'Kontaktterapeut: ukendt terapeut "t99"; '
                           "vælg et id, der findes"),
    ],
)  # fmt: skip
def test_referral_bad_input_is_rejected_at_its_field(
    session: Session, week: int, field: str, value: str, message: str
) -> None:
    form = form_of(session, week, "referrals", "r001", **{field: value})

    assert rejected(session, week, "referrals", form, key="r001") == {field: [message]}


def test_referral_team_without_class_is_shown_at_the_class(session: Session, week: int) -> None:
    form = form_of(session, week, "referrals", "r001", mode="team")

    assert rejected(session, week, "referrals", form, key="r001") == {
        "class": ["Hold: en holdhenvisning skal have et hold; vælg det hold, borgeren skal gå på"]
    }


def test_referral_delete(session: Session, week: int) -> None:
    delete_entity(week, "referrals", "r001", session=session)

    assert [r["id"] for r in export_scenario(week, session=session)["referrals"]] == ["r002"]


def test_referral_in_a_saved_plan_is_not_deleted(session: Session, week: int) -> None:
    solution = solve(parse_scenario(export_scenario(week, session=session)), time_limit=2)
    assert any(a.referral == "r001" for a in solution.appointments)
    save_plan(week, solution, session=session)
    before = export_scenario(week, session=session)

    with pytest.raises(EditError) as caught:
        delete_entity(week, "referrals", "r001", session=session)

    assert export_scenario(week, session=session) == before
    assert caught.value.texts() == {
        "": [
            "Henvisning r001 kan ikke slettes: gemte planer for ugen (version 1) har aftaler "
            "med den, og de beholder deres aftaler."
        ]
    }


# --- centres --------------------------------------------------------------------------------


def test_centre_edit_stores_phone_and_opening_hours(session: Session, week: int) -> None:
    before = export_scenario(week, session=session)
    form = form_of(session, week, "centres", "auning", phone="89 59 30 11",
                   phone_hours="hverdage kl. 8.00-9.00", open_fri="08:00-14:00")  # fmt: skip

    save_entity(week, "centres", form, key="auning", session=session)

    row = session.exec(select(Centre).where(Centre.scenario_id == week)).one()
    assert (row.phone, row.phone_hours) == ("89 59 30 11", "hverdage kl. 8.00-9.00")
    assert stored(session, week, "centres", "auning")["open"]["fri"] == ["08:00", "14:00"]
    assert without(export_scenario(week, session=session), "centres", "auning") == without(
        before, "centres", "auning"
    )
    assert entity_form(week, "centres", "auning", session=session).values["phone"] == [
        "89 59 30 11"
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "ring til Karen", 'Telefon: "ring til Karen" er ikke et telefonnummer; '
                                    "skriv fx 89 59 30 11"),
        ("open_mon", "08:00-12:00, 13:00-16:00", "Åbent mandag: et center har ét tidsrum om "
                                                 "dagen; skriv fx 08:00-16:00"),
        ("open_wed", "16-08", "Åbent onsdag: 16.00–08.00 slutter ikke efter, at det starter; "
                              "skriv starten før slutningen"),
    ],
)  # fmt: skip
def test_centre_bad_input_is_rejected_at_its_field(
    session: Session, week: int, field: str, value: str, message: str
) -> None:
    form = form_of(session, week, "centres", "auning", **{field: value})

    assert rejected(session, week, "centres", form, key="auning") == {field: [message]}


def test_centre_closing_on_a_meeting_day_names_the_class_meeting(
    session: Session, week: int
) -> None:
    form = form_of(session, week, "centres", "auning", open_tue="")

    assert rejected(session, week, "centres", form, key="auning") == {
        "": ["Hold balance (meetings[0]): auning har lukket tir; flyt mødet til en dag med åbent"]
    }


# --- lists and ids --------------------------------------------------------------------------


def test_editing_an_unknown_entity_is_a_lookup_error(session: Session, week: int) -> None:
    with pytest.raises(LookupError):
        save_entity(week, "rooms", {"name": ["X"]}, key="nowhere", session=session)


def test_list_filters_by_words_and_pages_by_fifty(session: Session) -> None:
    many = [citizen(f"c{i:03d}", name=f"Borger {i}") for i in range(1, 121)]
    week = import_scenario(scenario(citizens=many), session=session)

    third = list_entities(week, "citizens", page=3, session=session)
    found = list_entities(week, "citizens", q="borger 11", session=session)

    assert (third.total, third.page, third.pages, len(third.rows)) == (120, 3, 3, 20)
    assert [c["id"] for c in found.rows] == ["c011", *(f"c{i}" for i in range(110, 120))]
    assert list_entities(week, "citizens", page=9, session=session).page == 3


def test_referral_list_finds_referrals_by_their_citizens_name(session: Session, week: int) -> None:
    found = list_entities(week, "referrals", q="karen", session=session)

    assert [r["id"] for r in found.rows] == ["r001", "r002"]
    assert found.names["c001"] == "Karen Jensen"


@pytest.mark.parametrize(
    ("ids", "proposed"),
    [(["t001", "t025"], "t026"), (["r9", "r10"], "r11"), (["a-1", "a-2", "a-3"], "a-4"),
     (["x2", "x1"], "x3"), (["auning"], ""), ([], "")],
)  # fmt: skip
def test_proposed_id_follows_the_last_one(ids: list[str], proposed: str) -> None:
    assert proposed_id({"therapists": [{"id": i} for i in ids]}, "therapists") == proposed


# --- whose data a form or list shows (the access log) -------------------------------------------


def test_forms_and_lists_name_the_citizens_whose_data_they_show_or_change() -> None:
    choices = Choices([], [], [], [], [], [("c001", "Karen Jensen"), ("c002", "Ole Berg")], [])
    rows = [referral("r001", "c002"), referral("r002", "c001")]

    assert listed_citizens("referrals", rows) == ["c002", "c001"]
    assert listed_citizens("citizens", [citizen("c003")]) == ["c003"]
    assert listed_citizens("rooms", [{"id": "auning-b1"}]) == []
    assert form_citizens("referrals", "r001", choices) == ["c001", "c002"]  # the citizen picker
    assert form_citizens("citizens", "c002", choices) == ["c002"]
    assert form_citizens("therapists", "t001", choices) == []
    assert changed_citizens("referrals", "r001", {"citizen": ["c002"]}) == ["c002"]
    assert changed_citizens("citizens", None, {"id": ["c009"]}) == ["c009"]
    assert changed_citizens("citizens", "c001", {"id": ["c001"]}) == ["c001"]
    assert changed_citizens("centres", "auning", {"id": ["auning"]}) == []
