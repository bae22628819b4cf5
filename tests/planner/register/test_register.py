"""The register: loading scenario/1, the waiting list, deriving a week, attendance and courses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner.db.models import RegisterCitizen
from planner.db.store import export_scenario, load_problem, save_plan
from planner.errors import PlanStateError
from planner.formats.scenario import ScenarioError, check_scenario
from planner.formats.validate import check_plan
from planner.plan.versions import publish
from planner.register.attendance import (
    delivered_counts,
    no_show_courses,
    plan_with_attendance,
    record_attendance,
    unregistered,
)
from planner.register.derive import derive_week, waiting_list, week_document
from planner.register.records import course_record
from planner.register.store import (
    RegisterError,
    add_absence,
    add_course,
    by_key,
    course,
    end_course,
    import_register,
    pause_course,
    resume_course,
    status_history,
)
from solver.solve import solve
from tests.databases import backend_engine
from tests.factories import citizen, package, referral, scenario, therapist

W50, W51, W52 = "2026-W50", "2026-W51", "2026-W52"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    yield from backend_engine("sqlite", tmp_path)


def loaded(engine: Engine, **over) -> None:
    with Session(engine) as session:
        import_register(scenario(**over), session=session)


def planned(engine: Engine, week: str) -> int:
    """Derive `week`, plan it by first fit, publish it; the plan's id (checked by the validator)."""
    with Session(engine) as session:
        scenario_id = derive_week(week, session=session)
        problem = load_problem(scenario_id, session=session)
        solution = solve(problem, time_limit=1, optimise=False)
        assert check_plan(problem, solution) == []
        plan_id = save_plan(scenario_id, solution, session=session)
        publish(plan_id, session=session)
    return plan_id


def mark_all(engine: Engine, plan_id: int, status: str = "delivered") -> int:
    """Register every session of a plan; how many."""
    with Session(engine) as session:
        doc = plan_with_attendance(plan_id, session=session)
        n = 0
        for a in doc["appointments"]:
            for r in a.get("participants") or [a["referral"]]:
                record_attendance(plan_id, a["id"], r, status, session=session, by="koord")
                n += 1
    return n


# --- loading ------------------------------------------------------------------------------------


def test_import_register_counts_each_kind_and_upserts_by_id(engine: Engine) -> None:
    with Session(engine) as session:
        first = import_register(scenario(), session=session)
        again = import_register(
            scenario(referrals=[referral(sessions_per_week=1, session_minutes=60)]),
            session=session,
        )
        row = course("r001", session=session)

    assert first == {
        "centres": 1,
        "rooms": 2,
        "therapists": 1,
        "packages": 1,
        "classes": 0,
        "citizens": 1,
        "referrals": 1,
    }
    assert again == first
    assert (row.status, row.doc["sessions_per_week"]) == ("waiting", 1)


def test_import_register_rejects_a_bad_document_and_stores_nothing(engine: Engine) -> None:
    with Session(engine) as session:
        with pytest.raises(Exception, match="package"):
            import_register(scenario(referrals=[referral(package="XX")]), session=session)
        assert waiting_list(session=session) == []


def test_import_register_delivered_makes_an_active_course(engine: Engine) -> None:
    loaded(engine, referrals=[referral(delivered=3)])
    with Session(engine) as session:
        record = course_record("r001", session=session)

    assert (record["status"], record["delivered"], record["remaining"]) == ("active", 3, 12)


# --- the waiting list -----------------------------------------------------------------------------


def test_waiting_list_puts_sul_140_deadlines_first_then_priority_then_granted(
    engine: Engine,
) -> None:
    loaded(engine)
    with Session(engine) as session:
        for key, granted, priority, discharged in [
            ("r010", date(2026, 11, 1), 0, None),
            ("r011", date(2026, 11, 20), 2, None),
            ("r012", date(2026, 11, 25), 0, "2026-11-30"),
            ("r013", date(2026, 10, 1), 0, None),
        ]:
            add_course(
                citizen("c010"),
                referral(key, "c010", discharged=discharged),
                granted,
                priority,
                session=session,
            )
        order = [c.key for c in waiting_list(session=session)]

    assert order == ["r012", "r011", "r013", "r010", "r001"]


def test_add_course_rejects_an_unknown_package_naming_the_field(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session, pytest.raises(RegisterError) as error:
        add_course(
            citizen("c002"),
            referral("r002", "c002", package="XX"),
            date(2026, 12, 1),
            session=session,
        )

    assert any("package" in e for e in error.value.errors)


def test_loading_an_id_the_register_gives_to_another_person_is_refused_naming_the_field(
    engine: Engine,
) -> None:
    """Finding 12: a document whose c001 is someone else must not take over c001's courses."""
    loaded(engine)
    stranger = scenario(citizens=[citizen("c001", name="Bent Holm")])
    with Session(engine) as session, pytest.raises(ScenarioError) as error:
        import_register(stranger, session=session)
    with Session(engine) as session:
        stored = by_key(session, RegisterCitizen)["c001"].doc["name"]

    assert error.value.errors == [
        'citizens[0] (c001).name: the register has c001 as "Karen Jensen", but here c001 is '
        '"Bent Holm": an id belongs to one citizen; give the new citizen an id of their own (if '
        "it is the same citizen, write the name as the register has it)"
    ]
    assert stored == "Karen Jensen"


def test_loading_the_same_person_with_other_case_and_spacing_is_taken(engine: Engine) -> None:
    loaded(engine)
    same = scenario(citizens=[citizen("c001", name=" karen  JENSEN", address="Havnen 1, Grenaa")])
    with Session(engine) as session:
        import_register(same, session=session)
        stored = by_key(session, RegisterCitizen)["c001"].doc["address"]

    assert stored == "Havnen 1, Grenaa"


def test_add_course_refuses_an_id_the_register_gives_to_another_person(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session, pytest.raises(RegisterError) as error:
        add_course(
            citizen("c001", name="Bent Holm"),
            referral("r002", "c001"),
            date(2026, 12, 1),
            session=session,
        )

    assert [e.split(":")[0] for e in error.value.errors] == ["citizens[0] (c001).name"]


# --- deriving a week ------------------------------------------------------------------------------


def test_week_document_is_valid_and_what_the_stored_week_exports(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session:
        doc = week_document(W51, session=session)
        scenario_id = derive_week(W51, session=session)
        exported = export_scenario(scenario_id, session=session)

    assert check_scenario(doc) == []
    assert exported == doc
    assert (doc["week"], doc["name"]) == (W51, "Testuge, uge 51")


def test_derive_first_week_is_intro_with_nothing_delivered(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session:
        [r] = week_document(W50, session=session)["referrals"]

    assert (r["intro"], r["final"], r["delivered"]) == (True, False, 0)


def test_derive_delivered_counts_sessions_registered_delivered(engine: Engine) -> None:
    loaded(engine)
    plan_id = planned(engine, W50)
    assert mark_all(engine, plan_id) == 2
    with Session(engine) as session:
        [r] = week_document(W51, session=session)["referrals"]

    assert (r["intro"], r["final"], r["delivered"]) == (False, False, 2)


def test_derive_final_when_remaining_sessions_fit_in_the_week(engine: Engine) -> None:
    loaded(engine, referrals=[referral(delivered=13)])
    with Session(engine) as session:
        [r] = week_document(W50, session=session)["referrals"]

    assert (r["intro"], r["final"], r["delivered"]) == (False, True, 13)


def test_derive_final_when_the_planned_end_falls_in_the_week(engine: Engine) -> None:
    loaded(engine, referrals=[referral(earliest="2026-10-05")])  # ten weeks: ends 2026-12-13
    with Session(engine) as session:
        assert course("r001", session=session).planned_end == date(2026, 12, 13)
        [r] = week_document(W50, session=session)["referrals"]

    assert r["final"] is True


def test_derive_previous_moves_last_published_week_seven_days(engine: Engine) -> None:
    loaded(engine)
    plan_id = planned(engine, W50)
    with Session(engine) as session:
        before = plan_with_attendance(plan_id, session=session)["appointments"]
        previous = week_document(W51, session=session)["previous"]

    assert [(p["therapist"], p["start"][11:]) for p in previous] == [
        (a["therapist"], a["start"][11:]) for a in before
    ]
    assert [p["start"][:10] for p in previous] == [
        (date.fromisoformat(a["start"][:10]).replace(day=int(a["start"][8:10]) + 7)).isoformat()
        for a in before
    ]


def test_derive_absences_and_last_working_day_make_days_absent(engine: Engine) -> None:
    loaded(engine, therapists=[therapist("t01"), therapist("t02")])
    with Session(engine) as session:
        add_absence("t01", date(2026, 12, 8), date(2026, 12, 9), "ferie", session=session)
        from sqlmodel import select

        from planner.db.models import RegisterTherapist

        t02 = session.exec(select(RegisterTherapist).where(RegisterTherapist.key == "t02")).one()
        t02.last_day = date(2026, 12, 10)
        session.add(t02)
        session.commit()
        doc = week_document(W50, session=session)

    assert {t["id"]: t["absent"] for t in doc["therapists"]} == {
        "t01": ["2026-12-08", "2026-12-09"],
        "t02": ["2026-12-11"],
    }


def test_derive_leaves_out_paused_and_ended_courses(engine: Engine) -> None:
    loaded(engine, referrals=[referral("r001", delivered=2), referral("r002", delivered=2)])
    with Session(engine) as session:
        pause_course("r001", session=session, on=date(2026, 12, 1))
        end_course("r002", "moved-away", session=session, on=date(2026, 12, 1))
        assert week_document(W50, session=session)["referrals"] == []
        resume_course("r001", session=session, on=date(2026, 12, 2))
        ids = [r["id"] for r in week_document(W50, session=session)["referrals"]]
        history = [(h.status, h.reason) for h in status_history("r002", session=session)]

    assert ids == ["r001"]
    assert history == [("active", None), ("ended", "moved-away")]


# --- attendance ---------------------------------------------------------------------------------


def test_attendance_again_changes_nothing_and_a_correction_wins(engine: Engine) -> None:
    loaded(engine)
    plan_id = planned(engine, W50)
    with Session(engine) as session:
        first = plan_with_attendance(plan_id, session=session)["appointments"][0]
        args = (plan_id, first["id"], "r001")
        assert record_attendance(*args, "no-show", session=session, by="anders") is True
        assert record_attendance(*args, "no-show", session=session, by="anders") is False
        assert record_attendance(*args, "delivered", session=session, by="koord") is True
        counts = delivered_counts(session)
        marked = plan_with_attendance(plan_id, session=session)["appointments"][0]

    assert counts == {"r001": 1}
    assert marked["attendance"] == {"r001": "delivered"}


def test_attendance_only_on_a_published_plan(engine: Engine) -> None:
    loaded(engine)
    with Session(engine) as session:
        scenario_id = derive_week(W50, session=session)
        problem = load_problem(scenario_id, session=session)
        plan_id = save_plan(scenario_id, solve(problem, 1, optimise=False), session=session)
        key = plan_with_attendance(plan_id, session=session)["appointments"][0]["id"]
        with pytest.raises(PlanStateError):
            record_attendance(plan_id, key, "r001", "delivered", session=session, by="koord")


def test_attendance_only_delivered_counts_and_a_full_package_ends_the_course(
    engine: Engine,
) -> None:
    loaded(engine, packages=[package(max_sessions=4)])
    w50 = planned(engine, W50)
    mark_all(engine, w50, "cancelled-by-centre")
    with Session(engine) as session:
        assert week_document(W51, session=session)["referrals"][0]["delivered"] == 0
    w51 = planned(engine, W51)
    mark_all(engine, w51)
    with Session(engine) as session:
        [r] = week_document(W52, session=session)["referrals"]
        assert (r["delivered"], r["final"]) == (2, True)
    w52 = planned(engine, W52)
    mark_all(engine, w52)
    with Session(engine) as session:
        record = course_record("r001", session=session)
        nxt = week_document("2026-W53", session=session)["referrals"]

    assert (record["status"], record["ended_reason"]) == ("ended", "package-used-up")
    assert (record["delivered"], record["remaining"]) == (4, 0)
    assert [a["attendance"] for a in record["appointments"]] == [
        "cancelled-by-centre",
        "cancelled-by-centre",
        "delivered",
        "delivered",
        "delivered",
        "delivered",
    ]
    assert nxt == []


def test_attendance_final_week_ends_with_the_re_test(engine: Engine) -> None:
    team = {"mode": "team", "class": "balance"}
    from tests.factories import team_class

    loaded(
        engine,
        packages=[package(high=120, max_sessions=3)],
        classes=[team_class()],
        referrals=[referral(delivered=1, sessions_per_week=2, session_minutes=45, **team)],
    )
    plan_id = planned(engine, W50)
    with Session(engine) as session:
        doc = plan_with_attendance(plan_id, session=session)
    kinds = [a["kind"] for a in sorted(doc["appointments"], key=lambda a: a["start"])]

    assert kinds == ["team", "individual"]  # the last session is the re-test
    mark_all(engine, plan_id)
    with Session(engine) as session:
        assert course("r001", session=session).status == "ended"


def test_two_no_shows_in_a_row_put_the_course_on_the_list(engine: Engine) -> None:
    loaded(engine)
    plan_id = planned(engine, W50)
    mark_all(engine, plan_id, "no-show")
    with Session(engine) as session:
        flagged = no_show_courses(session=session)

    assert flagged == ["r001"]


def test_unregistered_lists_past_sessions_nobody_registered(engine: Engine) -> None:
    from datetime import UTC, datetime

    loaded(engine)
    plan_id = planned(engine, W50)
    with Session(engine) as session:
        first = plan_with_attendance(plan_id, session=session)["appointments"][0]
        record_attendance(plan_id, first["id"], "r001", "delivered", session=session, by="k")
        late = unregistered(session=session, before=datetime(2026, 12, 31, tzinfo=UTC))
        early = unregistered(session=session, before=datetime(2026, 12, 1, tzinfo=UTC))

    assert [(u.referral, u.plan_id) for u in late] == [("r001", plan_id)]
    assert early == []


def test_derive_counts_unregistered_sessions_of_earlier_weeks_as_booked(engine: Engine) -> None:
    loaded(engine)
    planned(engine, W50)  # two sessions, nobody has registered them yet
    with Session(engine) as session:
        [r] = week_document(W51, session=session)["referrals"]

    assert (r["intro"], r["delivered"]) == (False, 2)


def test_attendance_refuses_a_delivered_session_past_the_package(engine: Engine) -> None:
    loaded(engine, packages=[package(max_sessions=3)], referrals=[referral(delivered=1)])
    plan_id = planned(engine, W50)
    with Session(engine) as session:
        import_register(
            scenario(packages=[package(max_sessions=3)], referrals=[referral(delivered=2)]),
            session=session,
        )
        first, second = plan_with_attendance(plan_id, session=session)["appointments"]
        record_attendance(plan_id, first["id"], "r001", "delivered", session=session, by="k")
        with pytest.raises(RegisterError, match="used up"):
            record_attendance(plan_id, second["id"], "r001", "delivered", session=session, by="k")
        record = course_record("r001", session=session)

    assert (record["delivered"], record["status"]) == (3, "ended")
