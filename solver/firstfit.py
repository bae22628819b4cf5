"""First fit: book referrals one by one into the first free slot, as a coordinator fills a diary.

It serves twice: as the CP-SAT model's starting hint, and as the baseline the benchmark compares
the optimiser against. SUL §140 starts are booked first, then the referrals in the order given;
each session goes to the earliest day and time where the contact therapist, or else the first
qualified colleague, is free, with a free room.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace

from solver.options import Option, Options, option_key
from solver.problem import INDIVIDUAL_ROOM_KINDS, Problem, Referral, Room, opens_with_assessment
from solver.rooms import max_concurrent
from solver.tentative import Booking, HeldMeeting, Tentative


@dataclass
class Diary:
    """Who and what is booked when, to answer 'is this free?' while booking."""

    problem: Problem
    options: Options
    draft: Tentative = field(default_factory=Tentative)
    busy: dict[tuple[str, int], list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    centre_of_day: dict[tuple[str, int], str] = field(default_factory=dict)
    minutes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rooms: dict[tuple[str, int], list[tuple[int, int, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    citizen_days: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    held: dict[int, HeldMeeting] = field(default_factory=dict)
    class_days: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    popular: bool = False  # open a class meeting at the time most of its members can come
    # Home visits booked here that a route may join (not those the diary was seeded with).
    visits: dict[tuple[str, int], list[Booking]] = field(default_factory=lambda: defaultdict(list))
    _session_rooms: dict[str, list[Room]] = field(default_factory=dict)
    _routes: dict[tuple, list[Option]] | None = None
    _variants: dict[tuple, Option] | None = None

    # --- questions -----------------------------------------------------------------------------

    def therapist_free(self, therapist: str, day: int, centre: str, start: int, end: int) -> bool:
        """The therapist is at this centre that day (or nowhere yet), idle, and under the cap."""
        if self.centre_of_day.get((therapist, day), centre) != centre:
            return False
        if any(s < end and start < e for s, e in self.busy[(therapist, day)]):
            return False
        cap = self.problem.therapist(therapist).max_minutes
        return cap is None or self.minutes[therapist] + end - start <= cap

    def room_free(self, room: str, day: int, start: int, end: int, alone: bool) -> bool:
        """A room has a place (or, for a class meeting, is empty) for the whole stretch."""
        overlapping = [(s, e, x) for s, e, x in self.rooms[(room, day)] if s < end and start < e]
        if alone:
            return not overlapping
        if any(x for _, _, x in overlapping):
            return False
        capacity = self.problem.room(room).capacity
        return max_concurrent([(s, e) for s, e, _ in overlapping]) < capacity

    def session_rooms(self, centre: str) -> list[Room]:
        """The centre's rooms for individual sessions, treatment rooms (smallest) first."""
        if not self._session_rooms:
            for r in sorted(self.problem.rooms, key=lambda r: (r.capacity, r.id)):
                if r.kind in INDIVIDUAL_ROOM_KINDS:
                    self._session_rooms.setdefault(r.centre, []).append(r)
        return self._session_rooms.get(centre, [])

    def citizen_free(self, referral: Referral, day: int) -> bool:
        return day not in self.citizen_days[referral.citizen]

    def routes_of(self, referral: str, day: int) -> list[Option]:
        """The referral's route variants on a day."""
        if self._routes is None:
            self._routes = defaultdict(list)
            for o in self.options.routes:
                self._routes[(o.referral, o.day)].append(o)
        return self._routes.get((referral, day), [])

    def variant(self, key: tuple) -> Option | None:
        """The route variant of this identity (`option_key`), if there is one."""
        if self._variants is None:
            self._variants = {option_key(o): o for o in self.options.routes}
        return self._variants.get(key)

    # --- bookings ------------------------------------------------------------------------------

    def occupy(self, therapist: str, day: int, centre: str, start: int, end: int) -> None:
        self.busy[(therapist, day)].append((start, end))
        self.centre_of_day[(therapist, day)] = centre
        self.minutes[therapist] += end - start

    def book(self, option: Option, start: int, room: str | None, joinable: bool = True) -> None:
        referral = self.problem.referral(option.referral)
        self.occupy(
            option.therapist,
            option.day,
            option.centre,
            start - option.before,
            start + option.minutes + option.travel_after,
        )
        if room is not None:
            self.rooms[(room, option.day)].append((start, start + option.minutes, False))
        self.citizen_days[referral.citizen].add(option.day)
        self.draft.bookings.append(Booking(option, start, room))
        if option.kind == "home" and joinable:
            self.visits[(option.therapist, option.day)].append(self.draft.bookings[-1])

    def unbook(self, booking: Booking) -> None:
        """Take a booked session out again (to book it as part of a route)."""
        o = booking.option
        interval = (booking.start - o.before, booking.start + o.minutes + o.travel_after)
        self.busy[(o.therapist, o.day)].remove(interval)
        self.minutes[o.therapist] -= interval[1] - interval[0]
        self.citizen_days[self.problem.referral(o.referral).citizen].discard(o.day)
        self.draft.bookings.remove(booking)
        joinable = self.visits.get((o.therapist, o.day), [])
        if booking in joinable:
            joinable.remove(booking)

    def open_meeting(self, index: int, instructor: str, room: str) -> HeldMeeting:
        meeting = self.options.meetings[index]
        centre = self.problem.team_class(meeting.team_class).centre
        self.occupy(instructor, meeting.day, centre, meeting.start, meeting.end)
        self.rooms[(room, meeting.day)].append((meeting.start, meeting.end, True))
        held = HeldMeeting(index, instructor, room)
        self.held[index] = held
        self.class_days[meeting.team_class].add(meeting.day)
        self.draft.meetings.append(held)
        return held

    def seat(self, held: HeldMeeting, referral: Referral) -> None:
        held.participants.append(referral.id)
        self.citizen_days[referral.citizen].add(self.options.meetings[held.meeting].day)


def seed_diary(diary: Diary, pinned: Tentative) -> None:
    """Book a draft (the pinned appointments, or a whole plan) before anything else; routes
    will not join its visits (a pinned visit keeps its drives)."""
    for b in pinned.bookings:
        diary.book(b.option, b.start, b.room, joinable=False)
    for held in pinned.meetings:
        opened = diary.open_meeting(held.meeting, held.instructor, held.room)
        for r in held.participants:
            diary.seat(opened, diary.problem.referral(r))


# --- the heuristic -----------------------------------------------------------------------------


def first_fit(
    problem: Problem,
    options: Options,
    diary: Diary | None = None,
    scarce_first: bool = False,
    noise: random.Random | None = None,
) -> Tentative:
    """Book every referral, SUL §140 starts first, into the first free slots.

    With `scarce_first`, referrals with the fewest options per requested session go first: not
    how a coordinator works, but a better start for the optimiser; `noise` shuffles that order
    a little, for several different starts.
    """
    diary = diary or Diary(problem, options)
    by_referral = options.by_referral()
    seats = options.seats_by_referral()
    already = diary.draft.placed_by_referral()
    order = booking_order(problem)
    if scarce_first:
        order = scarcity_order(order, options, by_referral, seats, noise)
        diary.popular = True
    for referral in order:
        need = options.requested[referral.id] - already.get(referral.id, 0)
        if need > 0:
            book_referral(
                diary, referral, need, by_referral.get(referral.id, []), seats.get(referral.id, [])
            )
    return diary.draft


def book_next_to(diary: Diary, visit: Option) -> bool:
    """Book a route variant of a visit beside one of its therapist's day's booked visits, if
    the therapist is free for both (the booked one keeps its time, only its drives change)."""
    booked = diary.visits.get((visit.therapist, visit.day), [])
    for b in list(booked):
        pair = route_pair(diary, b, visit)
        if pair is None:
            continue
        (first, first_start), (second, start) = pair
        diary.unbook(b)
        begin, end = first_start - first.before, start + second.minutes + second.travel_after
        if diary.therapist_free(visit.therapist, visit.day, visit.centre, begin, end):
            diary.book(first, first_start, None)
            diary.book(second, start, None)
            return True
        diary.book(b.option, b.start, b.room)
    return False


def route_pair(
    diary: Diary, b: Booking, visit: Option
) -> tuple[tuple[Option, int], tuple[Option, int]] | None:
    """The two visits of a route of a booked visit and a new one, with their starts: the new one
    after the booked (that one driving on), or before it (the booked one coming from it)."""
    o = b.option
    if visit.comes_from == o.referral and not o.drives_on and not visit.drives_on:
        first = diary.variant(option_key(replace(o, drives_on=True)))
        pair = (first, b.start), (visit, b.start + o.minutes + visit.before)
    elif visit.comes_from is None and visit.drives_on and o.comes_from is None:
        second = diary.variant(option_key(replace(o, comes_from=visit.referral)))
        if second is None:
            return None
        pair = (visit, b.start - second.before - visit.minutes), (second, b.start)
    else:
        return None
    (first, first_start), (second, start) = pair
    if first is None or first_start not in first.starts or start not in second.starts:
        return None
    return (first, first_start), (second, start)


def booking_order(problem: Problem) -> list[Referral]:
    """SUL §140 starts first (the law's 7 days), the rest in the order the referrals came."""
    return sorted(problem.referrals, key=lambda r: not (r.discharged is not None and r.intro))


def scarcity_order(
    order: list[Referral],
    options: Options,
    own: dict[str, list],
    seats: dict[str, list],
    noise: random.Random | None = None,
) -> list[Referral]:
    """SUL §140 starts first, team referrals next, fewest choices per requested session first."""

    def choices(r: Referral) -> float:
        wanted = max(1, options.requested[r.id])
        factor = noise.uniform(0.6, 1.4) if noise else 1.0
        return factor * (len(own.get(r.id, [])) + len(seats.get(r.id, []))) / wanted

    def key(r: Referral) -> tuple[bool, bool, float]:
        # Team seats first: a meeting serves many citizens per therapist hour, so its
        # instructor's time is worth keeping before individual sessions take it.
        return (not (r.discharged is not None and r.intro), r.mode != "team", choices(r))

    return sorted(order, key=key)


def book_referral(
    diary: Diary, referral: Referral, need: int, own: list[Option], seat_meetings: list[int]
) -> None:
    """Book up to `need` sessions of one referral."""
    if referral.mode == "team":
        book_team_referral(diary, referral, need, own, seat_meetings)
        return
    if referral.team_class:  # allows either: seats first, then individual sessions
        after = -1
        if opens_with_assessment(referral):
            # The course starts with an individual assessment; seats only after it.
            days = [b.option.day for b in diary.draft.bookings if b.option.referral == referral.id]
            if days:
                after = min(days)
            else:
                day = book_individual(diary, referral, own, after=-1, before=99)
                if day is None:
                    return
                after, need = day, need - 1
        need -= book_seats(diary, referral, need, seat_meetings, after=after, before=99)
    for _ in range(need):
        if book_individual(diary, referral, own, after=-1, before=99) is None:
            break


def book_team_referral(
    diary: Diary, referral: Referral, need: int, own: list[Option], seat_meetings: list[int]
) -> None:
    """Intro on the first day that has one, re-test on the last, seats in between."""
    if need < diary.options.requested[referral.id]:
        book_more_seats(diary, referral, need, seat_meetings)
        return
    after, before = -1, 99
    if referral.intro:
        day = book_individual(diary, referral, own, after=-1, before=99)
        if day is None:
            return
        after, need = day, need - 1
    if referral.final and need >= 1:
        # The week's last session must be the re-test: without one, no seat may be booked,
        # unless the intro is booked (with both, a single individual session is the intro).
        day = book_individual(diary, referral, own, after=after, before=99, latest=True)
        if day is None and not referral.intro:
            return
        if day is not None:
            before, need = day, need - 1
    book_seats(diary, referral, need, seat_meetings, after, before)


def book_more_seats(diary: Diary, referral: Referral, need: int, seat_meetings: list[int]) -> None:
    """Seats for a team referral that already has sessions (a refill): between its booked
    intro and re-test; nothing when an intro or re-test it needs is not booked, since its
    days could no longer be put in order."""
    if not (referral.intro or referral.final):
        book_seats(diary, referral, need, seat_meetings, after=-1, before=99)
        return
    days = sorted(b.option.day for b in diary.draft.bookings if b.option.referral == referral.id)
    if referral.intro and referral.final and len(days) == 1:
        # The one individual session is the intro: seats after it, no re-test needed.
        book_seats(diary, referral, need, seat_meetings, after=days[0], before=99)
        return
    if len(days) < referral.intro + referral.final:
        return
    after = days[0] if referral.intro else -1
    before = days[-1] if referral.final else 99
    book_seats(diary, referral, need, seat_meetings, after, before)


def book_individual(
    diary: Diary,
    referral: Referral,
    own: list[Option],
    after: int,
    before: int,
    latest: bool = False,
) -> int | None:
    """Book the first (or, for a re-test, the last) free slot strictly between two days."""
    days = sorted({o.day for o in own if after < o.day < before}, reverse=latest)
    for day in days:
        if not diary.citizen_free(referral, day):
            continue
        # A visit beside one already booked first: a route drives less than a round trip.
        if any(book_next_to(diary, v) for v in diary.routes_of(referral.id, day)):
            return day
        for option in contact_first([o for o in own if o.day == day], referral.contact):
            placed = try_option(diary, option)
            if placed:
                return day
    return None


def contact_first(options: list[Option], contact: str | None) -> list[Option]:
    return sorted(options, key=lambda o: o.therapist != contact)


def try_option(diary: Diary, option: Option) -> bool:
    """Book the option at its first start time with a free therapist and room."""
    for start in option.starts:
        begin = start - option.before
        end = start + option.minutes + option.travel_after
        if not diary.therapist_free(option.therapist, option.day, option.centre, begin, end):
            continue
        room = None
        if option.kind == "individual":
            room = free_room(diary, option, start)
            if room is None:
                continue
        diary.book(option, start, room)
        return True
    return False


def free_room(diary: Diary, option: Option, start: int) -> str | None:
    """A treatment room if one is free, else a place in a hall."""
    for room in diary.session_rooms(option.centre):
        if diary.room_free(room.id, option.day, start, start + option.minutes, alone=False):
            return room.id
    return None


def book_seats(
    diary: Diary, referral: Referral, need: int, seat_meetings: list[int], after: int, before: int
) -> int:
    """Seat the referral in the earliest meetings it can join; returns how many seats it got."""
    booked = 0
    for index in sorted(seat_meetings, key=lambda i: meeting_order(diary, i)):
        if booked == need:
            break
        meeting = diary.options.meetings[index]
        if not (after < meeting.day < before) or not diary.citizen_free(referral, meeting.day):
            continue
        held = diary.held.get(index) or open_meeting(diary, index)
        if held is not None and len(held.participants) < seat_capacity(diary, held):
            diary.seat(held, referral)
            booked += 1
    return booked


def meeting_order(diary: Diary, index: int) -> tuple[int, int]:
    """Day by day; within a day the first time, or (`popular`) held and most wanted times first."""
    meeting = diary.options.meetings[index]
    if diary.popular:
        return (meeting.day, -10_000 if index in diary.held else -len(meeting.seats))
    return (meeting.day, meeting.start)


def seat_capacity(diary: Diary, held: HeldMeeting) -> int:
    meeting = diary.options.meetings[held.meeting]
    team_class = diary.problem.team_class(meeting.team_class)
    return min(team_class.capacity, diary.problem.room(held.room).capacity)


def open_meeting(diary: Diary, index: int) -> HeldMeeting | None:
    """Hold a meeting if the class may meet that day and an instructor and a room are free."""
    meeting = diary.options.meetings[index]
    team_class = diary.problem.team_class(meeting.team_class)
    days = diary.class_days[team_class.id]
    if meeting.day in days:
        return None
    if team_class.meetings_per_week is not None and len(days) >= team_class.meetings_per_week:
        return None
    instructor = next(
        (
            t
            for t in meeting.instructors
            if diary.therapist_free(t, meeting.day, team_class.centre, meeting.start, meeting.end)
        ),
        None,
    )
    room = next(
        (
            r
            for r in meeting.rooms
            if diary.room_free(r, meeting.day, meeting.start, meeting.end, alone=True)
        ),
        None,
    )
    if instructor is None or room is None:
        return None
    return diary.open_meeting(index, instructor, room)
