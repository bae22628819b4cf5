"""Each hard rule on a tiny week, three ways: allowed, forced violation (fewer placed), the edge.

A rule the solver must respect shows as sessions it cannot place when the week forces a breach;
every plan is also checked by the validator (tests.planning.plan).
"""

from __future__ import annotations

from datetime import date

from planner.formats.scenario import parse_scenario
from planner.text.messages import render
from solver.problem import Appointment, Message
from solver.routes import chain_home_visits, driving_minutes
from tests import factories as f
from tests.planning import of, placed, plan

MON_ONLY = {"mon": [["08:00", "16:00"]]}


def english(reasons: tuple[Message, ...]) -> tuple[str, ...]:
    """Reasons as the CLI and plan/1 read them."""
    return tuple(render(r) for r in reasons)


def one_referral(**over) -> dict:
    """A week with one citizen and one centre referral, changed by `over`."""
    return f.scenario(referrals=[f.referral(**over)])


# --- therapists ---------------------------------------------------------------------------------


def test_qualified_therapist_gives_the_sessions():
    assert placed(plan(one_referral())) == 2


def test_unqualified_therapist_places_nothing_and_says_why():
    solution = plan(one_referral(profession="ot", package="TG1"))
    assert placed(solution) == 0
    assert solution.unplaced[0].reasons == (
        Message(
            "unplaced.nobody-qualified",
            {"profession": "ot", "skills": [], "centres": ["Træningscenter Auning"]},
        ),
    )


def test_skill_missing_places_nothing():
    solution = plan(one_referral(skills=["neuro"]))
    assert placed(solution) == 0
    assert solution.unplaced[0].reasons == (
        Message(
            "unplaced.nobody-qualified",
            {"profession": "physio", "skills": ["neuro"], "centres": ["Træningscenter Auning"]},
        ),
    )


def test_therapist_hours_outside_citizen_window_place_nothing():
    doc = one_referral()
    doc["therapists"][0]["hours"] = {"mon": [["12:00", "16:00"]], "tue": [["12:00", "16:00"]]}
    doc["citizens"][0]["available"] = {"mon": [["08:00", "12:00"]], "tue": [["08:00", "12:00"]]}
    solution = plan(doc)
    assert placed(solution) == 0
    reason = solution.unplaced[0].reasons[0]
    assert (reason.code, reason.params["centres"]) == (
        "unplaced.nobody-free",
        ["Træningscenter Auning"],
    )


def test_therapist_hours_edge_fits_exactly():
    doc = one_referral(sessions_per_week=2, session_minutes=45)
    doc["therapists"][0]["hours"] = {"mon": [["11:15", "16:00"]], "tue": [["11:15", "16:00"]]}
    doc["citizens"][0]["available"] = {"mon": [["08:00", "12:00"]], "tue": [["08:00", "12:00"]]}
    solution = plan(doc)
    assert [(a.start, a.end) for a in solution.appointments] == [(675, 720), (675, 720)]


def test_absent_therapist_gives_no_session_that_day():
    doc = one_referral()
    doc["therapists"][0]["absent"] = ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10"]
    solution = plan(doc)
    assert [a.day for a in solution.appointments] == [date(2026, 12, 11)]
    assert solution.unplaced[0].sessions == 1


def test_therapist_gives_one_session_at_a_time():
    doc = f.scenario(
        citizens=[f.citizen("c001", available=MON_ONLY), f.citizen("c002", available=MON_ONLY)],
        referrals=[
            f.referral("r001", "c001", sessions_per_week=1, session_minutes=60, exception="test"),
            f.referral("r002", "c002", sessions_per_week=1, session_minutes=60, exception="test"),
        ],
    )
    doc["therapists"][0]["hours"] = {"mon": [["10:00", "11:00"]]}
    assert placed(plan(doc)) == 1
    doc["therapists"][0]["hours"] = {"mon": [["10:00", "12:00"]]}  # edge: back to back
    solution = plan(doc)
    assert sorted((a.start, a.end) for a in solution.appointments) == [(600, 660), (660, 720)]


def test_therapist_works_from_one_centre_a_day():
    doc = f.scenario(
        centres=[f.centre("auning"), f.centre("glesborg", lat=56.488, lon=10.722)],
        rooms=[f.room("auning-b1"), f.room("glesborg-b1", centre="glesborg")],
        therapists=[
            f.therapist(centres=["auning", "glesborg"], hours={"mon": [["08:00", "16:00"]]})
        ],
        citizens=[f.citizen("c001"), f.citizen("c002")],
        referrals=[
            f.referral("r001", "c001", sessions_per_week=1, session_minutes=60, exception="t"),
            f.referral(
                "r002",
                "c002",
                centre="glesborg",
                sessions_per_week=1,
                session_minutes=60,
                exception="t",
            ),
        ],
    )
    assert placed(plan(doc)) == 1
    doc["therapists"][0]["hours"]["tue"] = [["08:00", "16:00"]]  # a second day: both fit
    doc["citizens"][1]["available"] = {"tue": [["08:00", "16:00"]]}
    solution = plan(doc)
    assert [(a.centre, a.day.isoformat()) for a in solution.appointments] == [
        ("auning", "2026-12-07"),
        ("glesborg", "2026-12-08"),
    ]


def test_max_minutes_caps_the_week():
    doc = one_referral(sessions_per_week=3, session_minutes=30, package="TG1")
    doc["therapists"][0]["max_minutes"] = 89
    assert placed(plan(doc)) == 2
    doc["therapists"][0]["max_minutes"] = 90  # edge: exactly three sessions
    assert placed(plan(doc)) == 3


def test_max_minutes_reached_is_the_reason_named():
    doc = one_referral(sessions_per_week=3, session_minutes=30, package="TG1")
    doc["therapists"][0].update(max_minutes=60, name="Mette Holm")
    solution = plan(doc)
    assert english(solution.unplaced[0].reasons) == (
        "Mette Holm has reached the week's cap of 60 minutes: a higher cap would let the session "
        "be placed",
    )


# --- home visits ----------------------------------------------------------------------------------


def home_week(hours: list[str]) -> dict:
    doc = f.scenario(
        citizens=[f.citizen(lat=56.431, lon=10.533)],  # 9.2 km east of the centre
        referrals=[f.referral(mode="home", sessions_per_week=1, session_minutes=60, exception="t")],
    )
    doc["therapists"][0]["hours"] = {"mon": [hours]}
    return doc


def test_home_visit_needs_time_to_drive_there_and_back():
    # 9.2 km * 1.3 / 45 km/h = 16 min each way; a start at 08:30 needs 08:14-09:46.
    assert placed(plan(home_week(["08:15", "09:46"]))) == 0


def test_home_visit_edge_fits_with_travel():
    solution = plan(home_week(["08:14", "09:46"]))
    (visit,) = solution.appointments
    assert (visit.kind, visit.room, visit.travel_before, visit.travel_after) == (
        "home",
        None,
        16,
        16,
    )
    assert (visit.start, visit.end) == (510, 570)


def two_neighbours_at_home() -> dict:
    """Two citizens next door to each other, 9 km from the centre, free only on Monday."""
    return f.scenario(
        citizens=[
            f.citizen("c001", lat=56.431, lon=10.533, available=MON_ONLY),
            f.citizen("c002", lat=56.432, lon=10.534, available=MON_ONLY),
        ],
        referrals=[
            f.referral(r, c, mode="home", sessions_per_week=1, session_minutes=60, exception="t")
            for r, c in (("r001", "c001"), ("r002", "c002"))
        ],
    )


def test_home_visits_in_a_row_are_driven_as_a_route():
    solution = plan(two_neighbours_at_home())
    first, second = sorted(solution.appointments, key=lambda a: a.start)
    # Centre -> first home (16 or 17 min: either may come first), next door (1 min), back to
    # the centre from the other (17 or 16 min).
    legs = (first.travel_before, first.travel_after, second.travel_before, second.travel_after)
    assert legs in ((16, 0, 1, 17), (17, 0, 1, 16))
    assert driving_minutes(list(solution.appointments)) == 34  # round trips: 16+16+17+17


def two_neighbours_in_a_short_morning() -> dict:
    """The two neighbours, and a therapist whose Monday (08:00-11:15) holds both visits only
    as one route: a round trip takes 16 + 60 + 16 minutes, a second one no longer fits."""
    doc = two_neighbours_at_home()
    doc["therapists"] = [f.therapist(hours={"mon": [["08:00", "11:15"]]})]
    return doc


def test_two_visits_that_fit_only_as_a_route_are_both_placed():
    solution = plan(two_neighbours_in_a_short_morning())
    assert placed(solution) == 2
    first, second = sorted(solution.appointments, key=lambda a: a.start)
    assert (first.start, second.start) == (510, 585)  # 08:30 and 09:45, the drive in the wait
    assert (first.travel_after, second.travel_before) == (0, 1)
    assert solution.stats.placed_bound == 2  # the bound counts a route's drives, not round trips


def pinned_visit(id: str, referral: str, start: str, end: str, before: int, after: int) -> dict:
    day = "2026-12-07T{}:00+01:00"
    return {"id": id, "kind": "home", "referral": referral, "therapist": "t01",
            "centre": "auning", "room": None, "travel_before": before, "travel_after": after,
            "start": day.format(start), "end": day.format(end)}  # fmt: skip


def test_a_pinned_route_stays_a_route():
    doc = two_neighbours_in_a_short_morning()
    doc["pinned"] = [
        pinned_visit("p1", "r001", "08:30", "09:30", 16, 0),
        pinned_visit("p2", "r002", "09:45", "10:45", 1, 17),
    ]
    solution = plan(doc)
    assert [(a.id, a.travel_before, a.travel_after) for a in solution.appointments] == [
        ("p1", 16, 0),
        ("p2", 1, 17),
    ]


def test_a_pinned_visit_whose_route_partner_is_not_pinned_becomes_a_round_trip():
    doc = two_neighbours_in_a_short_morning()
    doc["pinned"] = [pinned_visit("p2", "r002", "09:45", "10:45", 1, 17)]
    solution = plan(doc)
    assert [(a.id, a.travel_before, a.travel_after) for a in solution.appointments] == [
        ("p2", 17, 17)
    ]  # from the centre now: the first visit no longer fits before it


def test_home_visits_with_a_centre_session_between_stay_round_trips():
    problem = parse_scenario(two_neighbours_at_home())
    day = problem.days[0].date
    visit = {"kind": "home", "therapist": "t01", "centre": "auning", "day": day}
    appointments = [
        Appointment("a1", start=540, end=600, referral="r001", travel_before=16, travel_after=16,
                    **visit),
        Appointment("a2", "individual", "t01", "auning", day, 630, 690, referral="r003"),
        Appointment("a3", start=720, end=780, referral="r002", travel_before=17, travel_after=17,
                    **visit),
    ]  # fmt: skip
    assert chain_home_visits(problem, appointments) == appointments
    chained = chain_home_visits(problem, [appointments[0], appointments[2]])
    assert [(a.travel_before, a.travel_after) for a in chained] == [(16, 0), (1, 17)]
    assert chain_home_visits(problem, [appointments[0], appointments[2]], frozenset({"a3"})) == [
        appointments[0],
        appointments[2],
    ]


def test_home_visits_stay_round_trips_when_the_route_would_start_before_the_hours():
    doc = two_neighbours_at_home()
    doc["citizens"][1].update(lat=56.431, lon=10.395)  # 2 min from the centre, 15 from c001
    doc["therapists"][0]["hours"] = {"mon": [["08:00", "11:30"], ["12:00", "16:00"]]}
    problem = parse_scenario(doc)
    day = problem.days[0].date
    visit = {"kind": "home", "therapist": "t01", "centre": "auning", "day": day}
    morning = Appointment("a1", start=600, end=660, referral="r001", travel_before=16,
                          travel_after=16, **visit)  # fmt: skip
    # From c001 the drive would start at 11:45, inside the lunch break.
    after_lunch = Appointment("a2", start=720, end=780, referral="r002", travel_before=2,
                              travel_after=2, **visit)  # fmt: skip
    assert chain_home_visits(problem, [morning, after_lunch]) == [morning, after_lunch]


# --- rooms ----------------------------------------------------------------------------------------


def two_at_once(rooms: list[dict]) -> dict:
    return f.scenario(
        rooms=rooms,
        therapists=[
            f.therapist("t01", hours={"mon": [["10:00", "11:00"]]}),
            f.therapist("t02", hours={"mon": [["10:00", "11:00"]]}),
        ],
        citizens=[f.citizen("c001"), f.citizen("c002")],
        referrals=[
            f.referral("r001", "c001", sessions_per_week=1, session_minutes=60, exception="t"),
            f.referral("r002", "c002", sessions_per_week=1, session_minutes=60, exception="t"),
        ],
    )


def test_treatment_room_holds_one_session():
    assert placed(plan(two_at_once([f.room("auning-b1")]))) == 1


def test_treatment_room_full_is_the_reason_named_not_the_therapists():
    doc = two_at_once([f.room("auning-b1")])
    for t in doc["therapists"]:
        t["profession"] = "assistant"
    for r in doc["referrals"]:
        r["profession"] = "assistant"
    solution = plan(doc)
    # Two assistants are free; the one treatment room is what blocks the second session. The
    # assistant not giving the placed session (either may) is the one named as free.
    (busy,) = {a.therapist for a in solution.appointments}
    free = ({"t01", "t02"} - {busy}).pop()
    assert english(solution.unplaced[0].reasons) == (
        f"no room is free at Træningscenter Auning when Terapeut {free} could give the session "
        "and the citizen can come (Mon 10:00): a free treatment room or hall place then would let "
        "it be placed",
    )


def test_only_qualified_therapist_is_named_in_the_reason():
    doc = two_at_once([f.room("auning-b1"), f.room("auning-b2")])
    doc["therapists"][0].update(name="Mette Holm", skills=["neuro"])
    for r in doc["referrals"]:
        r["skills"] = ["neuro"]
    solution = plan(doc)
    assert english(solution.unplaced[0].reasons) == (
        "the only physiotherapist with skill 'neuro' who could give it, Mette Holm, is booked "
        "whenever the citizen can come (Mon 10:00): more hours for Mette Holm, or another "
        "physiotherapist with skill 'neuro', would let it be placed",
    )


def test_hall_holds_sessions_up_to_capacity():
    solution = plan(two_at_once([f.room("auning-sal", kind="hall", capacity=2)]))
    assert [a.room for a in solution.appointments] == ["auning-sal", "auning-sal"]


def test_class_meeting_takes_the_hall_alone():
    doc = f.scenario(
        rooms=[f.room("auning-sal", kind="hall", capacity=12)],
        therapists=[
            f.therapist("t01", hours={"tue": [["10:00", "11:00"]]}),
            f.therapist("t02", hours={"tue": [["10:00", "11:00"]]}),
        ],
        classes=[f.team_class(meetings=[{"day": "tue", "start": "10:00"}])],
        citizens=[f.citizen("c001"), f.citizen("c002")],
        referrals=[
            f.referral(
                "r001",
                "c001",
                mode="team",
                **{"class": "balance"},
                sessions_per_week=1,
                session_minutes=60,
                exception="t",
            ),
            f.referral("r002", "c002", sessions_per_week=1, session_minutes=60, exception="t"),
        ],
    )
    solution = plan(doc)
    assert placed(solution) == 1


# --- citizens and referrals -----------------------------------------------------------------------


def test_citizen_has_one_session_a_day():
    doc = f.scenario(
        citizens=[f.citizen(available=MON_ONLY)],
        referrals=[
            f.referral("r001", sessions_per_week=1, session_minutes=60, exception="t"),
            f.referral("r002", sessions_per_week=1, session_minutes=60, exception="t"),
        ],
    )
    assert placed(plan(doc)) == 1


def test_referral_sessions_fall_on_different_days():
    doc = one_referral(sessions_per_week=2)
    doc["citizens"][0]["available"] = MON_ONLY
    solution = plan(doc)
    assert placed(solution) == 1
    assert solution.unplaced[0].reasons == (
        Message(
            "unplaced.too-few-days",
            {"fit": 1, "requested": 2, "profession": "physio", "skills": [], "or_class": False},
        ),
    )


def test_no_session_before_earliest():
    solution = plan(one_referral(earliest="2026-12-10"))
    assert sorted(a.day for a in solution.appointments) == [date(2026, 12, 10), date(2026, 12, 11)]


def test_package_left_caps_requested_sessions():
    solution = plan(one_referral(delivered=14))
    assert (solution.stats.sessions_requested, placed(solution)) == (1, 1)
    assert [w.code for w in solution.warnings] == ["package-limit"]


def test_no_session_on_a_public_holiday():
    doc = one_referral(sessions_per_week=2)
    doc["week"] = "2026-W52"
    doc["citizens"][0]["available"] = {"thu": [["08:00", "16:00"]], "fri": [["08:00", "16:00"]]}
    solution = plan(doc)
    assert [a.day for a in solution.appointments] == [date(2026, 12, 24)]


def test_contact_therapist_is_kept():
    doc = one_referral(contact="t02")
    doc["therapists"].append(f.therapist("t02"))
    solution = plan(doc)
    assert {a.therapist for a in solution.appointments} == {"t02"}


# --- team classes ---------------------------------------------------------------------------------


def team_week(n: int, capacity: int = 10, **over) -> dict:
    return f.scenario(
        classes=[f.team_class(capacity=capacity, **over)],
        citizens=[f.citizen(f"c{i:03d}") for i in range(n)],
        referrals=[
            f.referral(
                f"r{i:03d}",
                f"c{i:03d}",
                mode="team",
                **{"class": "balance"},
                sessions_per_week=2,
                session_minutes=45,
                exception="two classes a week",
            )
            for i in range(n)
        ],
    )


def test_class_meetings_seat_up_to_capacity():
    solution = plan(team_week(3, capacity=2))
    meetings = [a for a in solution.appointments if a.kind == "team"]
    assert [len(m.participants) for m in meetings] == [2, 2]
    assert placed(solution) == 4


def test_fixed_meetings_keep_their_times():
    solution = plan(team_week(2))
    assert [(a.day.isoformat(), a.start) for a in solution.appointments] == [
        ("2026-12-08", 600),
        ("2026-12-10", 600),
    ]


def test_free_class_meets_at_most_per_week():
    doc = team_week(4, meetings=None, meetings_per_week=1)
    del doc["classes"][0]["meetings"]
    solution = plan(doc)
    assert len({a.day for a in solution.appointments}) == 1
    assert placed(solution) == 4


def test_team_intro_comes_first_and_final_last():
    doc = team_week(1)
    doc["referrals"][0].update(sessions_per_week=3, intro=True, final=True, session_minutes=45)
    doc["referrals"][0]["exception"] = "intro and re-test week"
    solution = plan(doc)
    assert [a.kind for a in of(solution, "r000")] == ["individual", "team", "individual"]


def test_team_intro_and_final_without_a_day_for_the_re_test_still_take_the_seat():
    doc = team_week(1)
    doc["referrals"][0].update(sessions_per_week=3, intro=True, final=True, session_minutes=75)
    doc["referrals"][0]["exception"] = "intro and re-test week"
    doc["citizens"][0]["available"] = {"mon": [["08:00", "16:00"]], "tue": [["10:00", "11:00"]]}
    # The class meets Tuesday 10-11, where a 75-minute session does not fit: Monday's intro,
    # Tuesday's seat, and no day for a re-test. With both flags a single individual session is
    # the intro (team-intro-final), so the seat is allowed.
    for optimise in (False, True):
        solution = plan(doc, optimise=optimise)
        assert [(a.kind, a.day.day) for a in of(solution, "r000")] == [
            ("individual", 7),
            ("team", 8),
        ]
        assert solution.stats.placed_bound == 2


def test_team_intro_and_class_share_the_only_therapist():
    doc = team_week(1)
    doc["referrals"][0].update(intro=True)
    doc["citizens"][0]["available"] = {"tue": [["10:00", "11:00"]], "thu": [["10:00", "11:00"]]}
    doc["therapists"][0]["hours"] = {"tue": [["10:00", "11:00"]], "thu": [["10:00", "11:00"]]}
    solution = plan(doc)
    # One therapist, who also leads the class: the intro takes Tuesday, the seat is Thursday's.
    assert [(a.kind, a.day.day) for a in of(solution, "r000")] == [("individual", 8), ("team", 10)]


def test_course_start_centre_referral_naming_a_class_is_assessed_before_its_seats():
    doc = team_week(2)
    doc["referrals"][0].update(mode="centre", intro=True, discharged="2026-12-04")
    doc["citizens"][0]["available"] = {"tue": [["08:00", "16:00"]], "thu": [["08:00", "16:00"]]}
    solution = plan(doc)
    # The class meets Tuesday first, but the course must start with an individual assessment.
    assert [(a.kind, a.day.day) for a in of(solution, "r000")] == [
        ("individual", 8),
        ("team", 10),
    ]


def test_course_start_first_fit_books_the_assessment_before_the_seats():
    doc = team_week(2)
    doc["referrals"][0].update(mode="centre", delivered=0)
    solution = plan(doc, optimise=False)
    kinds = [a.kind for a in of(solution, "r000")]
    assert kinds[0] == "individual"
    assert len(kinds) == 2


def test_course_start_running_course_may_begin_the_week_in_class():
    doc = team_week(1)
    doc["referrals"][0].update(mode="centre", delivered=3, session_minutes=90)
    # Only the class fits the therapist's hours: the seats alone are this week's sessions.
    doc["therapists"][0]["hours"] = {"tue": [["10:00", "11:00"]], "thu": [["10:00", "11:00"]]}
    solution = plan(doc)
    assert [a.kind for a in of(solution, "r000")] == ["team", "team"]


def test_class_that_cannot_be_held_names_its_busy_instructor():
    doc = team_week(1)
    doc["classes"][0]["meetings"] = [{"day": "tue", "start": "10:00"}]
    doc["referrals"][0].update(sessions_per_week=1, session_minutes=60, exception="one class")
    doc["citizens"].append(f.citizen("c001"))
    doc["referrals"].append(
        f.referral("r001", "c001", sessions_per_week=1, session_minutes=60, exception="t")
    )
    doc["therapists"][0].update(name="Mette Holm")
    doc["pinned"] = [
        {"id": "p1", "kind": "individual", "referral": "r001", "therapist": "t01",
         "centre": "auning", "room": "auning-b1",
         "start": "2026-12-08T10:00:00+01:00", "end": "2026-12-08T11:00:00+01:00"}
    ]  # fmt: skip
    solution = plan(doc)
    assert [english(u.reasons) for u in solution.unplaced] == [
        (
            "the meetings of Balancehold the citizen can come to (Tue 10:00) cannot be held: "
            "every instructor (Mette Holm) is busy then",
        )
    ]


# --- SUL §140, pinned and previous ---------------------------------------------------------


def test_sul_start_late_gets_a_warning():
    doc = one_referral(discharged="2026-11-30", intro=True, earliest="2026-12-08")
    solution = plan(doc)
    assert [(w.code, w.message) for w in solution.warnings] == [
        ("start-deadline", Message("warning.late-start", {"first": "2026-12-08", "days": 8}))
    ]


def test_sul_start_without_opstart_ticked_gets_a_warning():
    # Found by a new user: "Opstart" not ticked, so the start was never tracked. Nothing is
    # delivered yet, so the discharge alone sets the 7 days.
    doc = one_referral(discharged="2026-11-30", intro=False, earliest="2026-12-08")
    solution = plan(doc)
    assert [(w.code, render(w.message)) for w in solution.warnings] == [
        ("start-deadline", "first session 2026-12-08 is 8 days after discharge")
    ]


def test_sul_course_under_way_gets_no_start_warning():
    doc = one_referral(discharged="2026-10-30", intro=False, delivered=3, earliest="2026-12-08")
    assert plan(doc).warnings == ()


def test_sul_start_on_the_seventh_day_is_in_time():
    solution = plan(one_referral(discharged="2026-12-01", intro=True, earliest="2026-12-08"))
    assert solution.warnings == ()


def test_sul_start_is_placed_before_others():
    doc = f.scenario(
        citizens=[f.citizen("c001", available=MON_ONLY), f.citizen("c002", available=MON_ONLY)],
        referrals=[
            f.referral("r001", "c001", sessions_per_week=1, session_minutes=60, exception="t"),
            f.referral(
                "r002",
                "c002",
                sessions_per_week=1,
                session_minutes=60,
                exception="t",
                discharged="2026-12-03",
                intro=True,
            ),
        ],
    )
    doc["therapists"][0]["hours"] = {"mon": [["10:00", "11:00"]]}
    solution = plan(doc)
    assert [a.referral for a in solution.appointments] == ["r002"]


def test_pinned_appointment_is_kept_with_its_id():
    pin = {
        "id": "p1",
        "kind": "individual",
        "referral": "r001",
        "therapist": "t01",
        "centre": "auning",
        "room": "auning-b1",
        "start": "2026-12-09T13:00:00+01:00",
        "end": "2026-12-09T13:45:00+01:00",
    }
    solution = plan(f.scenario(pinned=[pin]))
    kept = [a for a in solution.appointments if a.id == "p1"]
    assert [(a.day, a.start, a.room) for a in kept] == [(date(2026, 12, 9), 780, "auning-b1")]


def test_previous_appointments_are_kept():
    prev = [
        {
            "id": "old1",
            "kind": "individual",
            "referral": "r001",
            "therapist": "t01",
            "centre": "auning",
            "room": "auning-b1",
            "start": "2026-12-08T14:00:00+01:00",
            "end": "2026-12-08T14:45:00+01:00",
        },
        {
            "id": "old2",
            "kind": "individual",
            "referral": "r001",
            "therapist": "t01",
            "centre": "auning",
            "room": "auning-b1",
            "start": "2026-12-10T09:00:00+01:00",
            "end": "2026-12-10T09:45:00+01:00",
        },
    ]
    solution = plan(f.scenario(previous=prev))
    assert [(a.id, a.day.day, a.start) for a in solution.appointments] == [
        ("old1", 8, 840),
        ("old2", 10, 540),
    ]


def test_first_fit_plan_also_obeys_every_rule():
    doc = team_week(5, capacity=3)
    doc["referrals"][0].update(intro=True, sessions_per_week=2)
    solution = plan(doc, optimise=False)
    assert placed(solution) >= 6
