"""The CP-SAT model of a week: choose options, start times, class meetings and seats.

Each hard rule is one method, named after its id in docs/rules.md (`therapist_overlap` is
`therapist-overlap`), that opens with what it means to a coordinator. Rules that concern a
session alone were settled when the options were built (`solver.options`); what is left here is
the competition: therapists, rooms, citizens, referrals and classes shared between sessions.

Time is indexed: one literal per option and start time. "One thing at a time" and "no more
sessions than places" become sums over the literals under way at each moment, which gives the
solver a linear relaxation strong enough to prove how many sessions can be placed at most.

Rooms are modelled per centre as one pool of places (every treatment room and hall, less a room
while a class meets in it); `solver.rooms` then gives each session its room.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.options import Options, option_key, start_target
from solver.problem import (
    INDIVIDUAL_ROOM_KINDS,
    Problem,
    Referral,
    awaits_start,
    opens_with_assessment,
)
from solver.tentative import Booking, HeldMeeting, Tentative, session_days

#: Fair load is measured in thousandths of a therapist's available minutes.
LOAD_SCALE = 1000


@dataclass(frozen=True)
class Goal:
    """A weighted sum to maximise; the weights make its parts a strict order of goals."""

    expr: cp_model.LinearExprT
    scale: int  # what one placed session is worth in `expr` (primary goal only)


def strict_weights(*maxima: int) -> list[int]:
    """Weights for goals given their largest possible totals, most important first.

    Each weight exceeds everything the goals below it can add up to, so the sum is maximised
    lexicographically. The goals are split in two solves (primary, secondary) to keep the
    coefficients small enough for CP-SAT's linear relaxation.
    """
    weights = [1]
    for below in reversed(maxima[1:]):
        weights.insert(0, weights[0] * (below + 1))
    return weights


class PlanModel:
    """The CP-SAT model over a week's options."""

    def __init__(
        self, problem: Problem, options: Options, bounds: dict[str, int] | None = None
    ) -> None:
        self.problem = problem
        self.options = options
        self.every = options.every  # round trips and route visits
        self.bounds = bounds or {}  # per-referral bounds (solver.explain), if known
        self.model = cp_model.CpModel()
        self.x: list = []  # per option: booked at all
        self.y: list[dict[int, cp_model.IntVar]] = []  # per option: booked at this start
        self.held: list[cp_model.IntVar] = []
        self.instructor: dict[tuple[int, str], cp_model.IntVar] = {}
        self.meeting_room: dict[tuple[int, str], cp_model.IntVar] = {}
        self.seat: dict[tuple[str, int], cp_model.IntVar] = {}
        self.present: dict[tuple[str, int], list] = defaultdict(list)  # (referral, day) -> literals
        self.own: dict[tuple[str, int], list] = defaultdict(list)  # the same, seats left out
        # (therapist, day) -> (begin, end, literal): what keeps a therapist busy when.
        self.busy: dict[tuple[str, int], list] = defaultdict(list)
        # (centre, day) -> (begin, end, places taken, literal): what takes room places when.
        self.places: dict[tuple[str, int], list] = defaultdict(list)
        self.therapist_minutes: dict[str, list] = defaultdict(list)
        self.therapist_centres: dict[tuple[str, int, str], list] = defaultdict(list)
        self.load = self.model.new_int_var(0, LOAD_SCALE, "largest_load")
        # Auxiliary literals, kept to give them hint values.
        self.aux_at: dict[tuple[str, int, str], cp_model.IntVar] = {}
        self.aux_any: dict[int, tuple[cp_model.IntVar, str, set[int]]] = {}
        # (therapist, day) -> (first slot, last slot) of their day, when compact days are a goal.
        self.spans: dict[tuple[str, int], tuple[cp_model.IntVar, cp_model.IntVar, int]] = {}

    # --- variables ---------------------------------------------------------------------------

    def build(self) -> PlanModel:
        self.add_session_variables()
        self.add_meeting_variables()
        self.referral_distinct_days()
        self.referral_count()
        self.citizen_one_a_day()
        self.team_intro_final()
        self.course_start()
        self.therapist_overlap()
        self.home_routes()
        self.therapist_one_centre()
        self.therapist_max_minutes()
        self.implied_therapist_day_minutes()
        self.room_capacity()
        self.class_meetings()
        self.class_capacity()
        return self

    def add_session_variables(self) -> None:
        """One literal per option and start time; an option is booked at one start at most."""
        for i, option in enumerate(self.every):
            y = {s: self.model.new_bool_var(f"at[{i},{s}]") for s in option.starts}
            self.y.append(y)
            if len(y) == 1:
                booked = next(iter(y.values()))
            else:
                booked = self.model.new_bool_var(f"book[{i}]")
                self.model.add(sum(y.values()) == booked)
            self.x.append(booked)
            key = (option.referral, option.day)
            self.present[key].append(booked)
            self.own[key].append(booked)
            for start, lit in y.items():
                end = start + option.minutes
                self.busy[(option.therapist, option.day)].append(
                    (start - option.before, end + option.travel_after, lit)
                )
                if option.kind == "individual":
                    self.places[(option.centre, option.day)].append((start, end, 1, lit))
            self.therapist_minutes[option.therapist].append((option.busy_minutes, booked))
            self.therapist_centres[(option.therapist, option.day, option.centre)].append(booked)

    def add_meeting_variables(self) -> None:
        """Per possible meeting: held or not, its instructor, its room and its seats."""
        m = self.model
        for j, meeting in enumerate(self.options.meetings):
            held = m.new_bool_var(f"held[{j}]")
            self.held.append(held)
            centre = self.problem.team_class(meeting.team_class).centre
            for t in meeting.instructors:
                lit = m.new_bool_var(f"leads[{j},{t}]")
                self.instructor[(j, t)] = lit
                self.busy[(t, meeting.day)].append((meeting.start, meeting.end, lit))
                self.therapist_minutes[t].append((meeting.end - meeting.start, lit))
                self.therapist_centres[(t, meeting.day, centre)].append(lit)
            m.add(sum(self.instructor[(j, t)] for t in meeting.instructors) == held)
            for r in meeting.rooms:
                self.meeting_room[(j, r)] = m.new_bool_var(f"room[{j},{r}]")
            m.add(sum(self.meeting_room[(j, r)] for r in meeting.rooms) == held)
            for r in meeting.seats:
                lit = m.new_bool_var(f"seat[{r},{j}]")
                self.seat[(r, j)] = lit
                self.present[(r, meeting.day)].append(lit)
                m.add_implication(lit, held)
            # A meeting with no participants is not held.
            m.add(held <= sum(self.seat[(r, j)] for r in meeting.seats))

    # --- hard rules --------------------------------------------------------------------------

    def referral_distinct_days(self) -> None:
        """A referral's sessions fall on different days."""
        for literals in self.present.values():
            if len(literals) > 1:
                self.model.add_at_most_one(literals)

    def referral_count(self) -> None:
        """A referral gets at most the sessions it asks for, and no more than its package has."""
        by_referral: dict[str, list] = defaultdict(list)
        for (referral, _), literals in self.present.items():
            by_referral[referral].extend(literals)
        for referral, literals in by_referral.items():
            # The per-referral bound is implied by the rules; stated, it tightens the relaxation.
            cap = min(self.options.requested[referral], self.bounds.get(referral, len(literals)))
            if len(literals) > cap:
                self.model.add(sum(literals) <= cap)

    def citizen_one_a_day(self) -> None:
        """A citizen has at most one session a day, whichever referral it belongs to."""
        by_citizen_day: dict[tuple[str, int], list] = defaultdict(list)
        referrals_of: dict[str, set[str]] = defaultdict(set)
        for (referral, day), literals in self.present.items():
            citizen = self.problem.referral(referral).citizen
            by_citizen_day[(citizen, day)].extend(literals)
            referrals_of[citizen].add(referral)
        for (citizen, _), literals in by_citizen_day.items():
            if len(referrals_of[citizen]) > 1 and len(literals) > 1:
                self.model.add_at_most_one(literals)

    def team_intro_final(self) -> None:
        """A team course's week starts with an individual intro and ends with a re-test if asked."""
        for referral in self.problem.referrals:
            if referral.mode == "team":
                self._intro_final(referral)

    def _intro_final(self, referral: Referral) -> None:
        days = range(len(self.problem.days))
        individual = {d: self.own.get((referral.id, d), []) for d in days}
        all_individual = [lit for d in days for lit in individual[d]]
        self.model.add(sum(all_individual) <= int(referral.intro) + int(referral.final))
        for (r, j), seat in self.seat.items():
            if r != referral.id:
                continue
            day = self.options.meetings[j].day
            if referral.intro:
                self.model.add(seat <= sum(lit for d in days if d < day for lit in individual[d]))
            if referral.final:
                later = sum(lit for d in days if d > day for lit in individual[d])
                if referral.intro:
                    # With both, a single individual session is the intro: seats need a re-test
                    # after them only when there are two (seat + individual <= 2 + later).
                    self.model.add(seat + sum(all_individual) <= 2 + later)
                else:
                    self.model.add(seat <= later)

    def course_start(self) -> None:
        """A centre referral that may take seats starts its course with an individual session.

        Every seat then comes on a later day than one of its individual sessions.
        """
        days = range(len(self.problem.days))
        for (r, j), seat in self.seat.items():
            referral = self.problem.referral(r)
            if referral.mode != "centre" or not opens_with_assessment(referral):
                continue
            day = self.options.meetings[j].day
            earlier = [lit for d in days if d < day for lit in self.own.get((r, d), [])]
            self.model.add(seat <= sum(earlier))

    def therapist_overlap(self) -> None:
        """A therapist gives one session or class at a time, travel included."""
        for items in self.busy.values():
            add_at_every_moment(self.model, [(b, e, 1, lit) for b, e, lit in items], 1)

    def home_routes(self) -> None:
        """A visit that drives on to another home is followed by a visit that comes from it,
        its wait and drive beginning as the first visit ends, so nothing comes between them
        (rule `travel`: a visit with no drive back is followed by a home visit)."""
        ends: dict[tuple[str, int, str, int], list] = defaultdict(list)
        begins: dict[tuple[str, int, str, int], list] = defaultdict(list)
        for i, o in enumerate(self.every):
            for start, lit in self.y[i].items():
                if o.drives_on:
                    ends[(o.therapist, o.day, o.referral, start + o.minutes)].append(lit)
                if o.comes_from is not None:
                    begins[(o.therapist, o.day, o.comes_from, start - o.before)].append(lit)
        for key in ends.keys() | begins.keys():
            self.model.add(sum(ends.get(key, [])) == sum(begins.get(key, [])))

    def therapist_one_centre(self) -> None:
        """A therapist works from one centre a day."""
        centres: dict[tuple[str, int], dict[str, list]] = defaultdict(dict)
        for (t, day, centre), literals in self.therapist_centres.items():
            centres[(t, day)][centre] = literals
        for (t, day), by_centre in centres.items():
            if len(by_centre) < 2:
                continue
            chosen = []
            for centre, literals in by_centre.items():
                at = self.model.new_bool_var(f"at[{t},{day},{centre}]")
                self.aux_at[(t, day, centre)] = at
                chosen.append(at)
                for lit in literals:
                    self.model.add_implication(lit, at)
            self.model.add_at_most_one(chosen)

    def therapist_max_minutes(self) -> None:
        """A therapist's planned minutes, travel included, stay within the week's cap."""
        for t in self.problem.therapists:
            terms = self.therapist_minutes.get(t.id, [])
            if t.max_minutes is not None and sum(m for m, _ in terms) > t.max_minutes:
                self.model.add(sum(m * lit for m, lit in terms) <= t.max_minutes)

    def implied_therapist_day_minutes(self) -> None:
        """A therapist's day holds no more minutes of work than their hours that day.

        Implied by the no-overlap rule; stated as a sum so the solver's bound sees it.
        """
        per_day: dict[tuple[str, int], list] = defaultdict(list)
        for i, option in enumerate(self.every):
            per_day[(option.therapist, option.day)].append((option.busy_minutes, self.x[i]))
        for (j, t), lit in self.instructor.items():
            meeting = self.options.meetings[j]
            per_day[(t, meeting.day)].append((meeting.end - meeting.start, lit))
        for (t, d), terms in per_day.items():
            day = self.problem.days[d]
            hours = sum(
                w.end - w.start for w in self.problem.therapist(t).hours.get(day.weekday, ())
            )
            if sum(m for m, _ in terms) > hours:
                self.model.add(sum(m * lit for m, lit in terms) <= hours)

    def room_capacity(self) -> None:
        """Individual sessions never outnumber a centre's room places; a class has its room
        alone (room-capacity and room-team-alone, per centre; rooms come in solver.rooms)."""
        places: dict[str, int] = defaultdict(int)
        for room in self.problem.rooms:
            if room.kind in INDIVIDUAL_ROOM_KINDS:
                places[room.centre] += room.capacity
        by_room: dict[tuple[str, int], list] = defaultdict(list)
        for (j, room_id), lit in self.meeting_room.items():
            meeting = self.options.meetings[j]
            by_room[(room_id, meeting.day)].append((meeting.start, meeting.end, 1, lit))
            room = self.problem.room(room_id)
            if room.kind in INDIVIDUAL_ROOM_KINDS:
                item = (meeting.start, meeting.end, room.capacity, lit)
                self.places[(room.centre, meeting.day)].append(item)
        for items in by_room.values():
            add_at_every_moment(self.model, items, 1)
        for (centre, _), items in self.places.items():
            add_at_every_moment(self.model, items, places[centre])

    def class_meetings(self) -> None:
        """A class meets at most once a day, and no more often than its meetings per week."""
        by_class_day: dict[tuple[str, int], list] = defaultdict(list)
        by_class: dict[str, list] = defaultdict(list)
        for j, meeting in enumerate(self.options.meetings):
            by_class_day[(meeting.team_class, meeting.day)].append(self.held[j])
            by_class[meeting.team_class].append(self.held[j])
        for literals in by_class_day.values():
            if len(literals) > 1:
                self.model.add_at_most_one(literals)
        for class_id, literals in by_class.items():
            per_week = self.problem.team_class(class_id).meetings_per_week
            if per_week is not None and len(literals) > per_week:
                self.model.add(sum(literals) <= per_week)

    def class_capacity(self) -> None:
        """A meeting seats no more citizens than the class and its room take."""
        for j, meeting in enumerate(self.options.meetings):
            size = self.problem.team_class(meeting.team_class).capacity
            seats = [self.seat[(r, j)] for r in meeting.seats]
            room_caps = {r: min(size, self.problem.room(r).capacity) for r in meeting.rooms}
            if len(seats) > min(room_caps.values()):
                self.model.add(
                    sum(seats)
                    <= sum(cap * self.meeting_room[(j, r)] for r, cap in room_caps.items())
                )

    # --- objective ---------------------------------------------------------------------------

    def primary_goal(self) -> Goal:
        """Goals 1-2: placed sessions, then SUL §140 starts placed, then those within 7 days."""
        placed = list(self.x) + list(self.seat.values())
        started, in_time = self._sul_literals()
        weights = strict_weights(len(placed), len(started), len(in_time))
        expr = weights[0] * sum(placed) + weights[1] * sum(started) + weights[2] * sum(in_time)
        return Goal(expr, weights[0])

    def secondary_goal(self) -> Goal:
        """Goals 3-5: contact therapist kept, previous plan kept, and as goal 5 seats preferred,
        fair load and compact days (one seat, a thousandth of the largest load and a slot less
        of a therapist's day weigh the same)."""
        contact = self._contact_literals()
        kept = self._kept_literals()
        seats = [
            lit for (r, _), lit in self.seat.items() if self.problem.referral(r).mode == "centre"
        ]
        spread, most = self._day_spans()
        weights = strict_weights(len(contact), len(kept), len(seats) + LOAD_SCALE + most)
        expr = (
            weights[0] * sum(contact)
            + weights[1] * sum(kept)
            + weights[2] * (sum(seats) + LOAD_SCALE - self._largest_load() + most - spread)
        )
        return Goal(expr, 0)

    def _day_spans(self) -> tuple[cp_model.LinearExpr, int]:
        """Compact days: per therapist and day, the slots from the first thing they do to the
        end of the last (travel included), summed; and the most that sum can be.

        A day with nothing in it spans nothing. The sum is what the goal keeps low: the same
        sessions with fewer idle stretches between them. Things that begin (or end) at the same
        moment overlap, so at most one of them is under way (therapist-overlap): their literals'
        sum is 0 or 1, and one linear constraint per moment says "first no later than this, if
        anything begins now" (the same for the end), which keeps the model small and its linear
        relaxation useful.
        """
        slot = self.problem.slot_minutes
        spans, most = [], 0
        for (t, d), items in sorted(self.busy.items()):
            low = min(b for b, _, _ in items) // slot
            high = -(-max(e for _, e, _ in items) // slot)
            first = self.model.new_int_var(low, high, f"first[{t},{d}]")
            last = self.model.new_int_var(low, high, f"last[{t},{d}]")
            self.model.add(last >= first)
            begins: dict[int, list] = defaultdict(list)
            ends: dict[int, list] = defaultdict(list)
            for begin, end, lit in items:
                begins[begin].append(lit)
                ends[end].append(lit)
            for begin, lits in begins.items():
                room = high * slot - begin  # how much later `first` may be when nothing begins
                under_way = cp_model.LinearExpr.sum(lits)
                self.model.add(slot * first + room * under_way <= begin + room)
            for end, lits in ends.items():
                self.model.add(slot * last >= end * cp_model.LinearExpr.sum(lits))
            self.spans[(t, d)] = (first, last, low)
            spans.append(last - first)
            most += high - low
        return cp_model.LinearExpr.sum(spans), most

    def keep_primary(self, draft: Tentative) -> None:
        """Whatever else changes: no fewer sessions, SUL §140 starts or starts in time."""
        placed = list(self.x) + list(self.seat.values())
        self.model.add(sum(placed) >= draft.placed())
        days = session_days(draft, self.options)
        for literals in self._sul_literals():
            met = sum(
                1
                for lit in literals
                if set(days.get(self.aux_any[lit.index][1], ())) & self.aux_any[lit.index][2]
            )
            self.model.add(sum(literals) >= met)

    def _sul_literals(self) -> tuple[list, list]:
        """Per SUL §140 start: placed at all, and placed within 7 days of discharge."""
        started, in_time = [], []
        for referral in self.problem.referrals:
            if not awaits_start(referral):
                continue
            days = [d for d in range(len(self.problem.days)) if (referral.id, d) in self.present]
            if not days:
                continue
            started.append(self._any_of(f"started[{referral.id}]", referral.id, days))
            target = start_target(self.problem, referral, days)
            early = [d for d in days if self.problem.days[d].date <= target]
            if early:
                in_time.append(self._any_of(f"in_time[{referral.id}]", referral.id, early))
        return started, in_time

    def _any_of(self, name: str, referral: str, days: list[int]) -> cp_model.IntVar:
        """A literal that can be true only if the referral has a session on one of the days."""
        lit = self.model.new_bool_var(name)
        self.model.add(lit <= sum(x for d in days for x in self.present[(referral, d)]))
        self.aux_any[lit.index] = (lit, referral, set(days))
        return lit

    def _contact_literals(self) -> list:
        return [
            self.x[i]
            for i, o in enumerate(self.every)
            if self.problem.referral(o.referral).contact == o.therapist
        ]

    def _kept_literals(self) -> list:
        """One literal per previous appointment (or seat) that the plan keeps as it was."""
        kept = []
        index: dict[tuple, list[int]] = defaultdict(list)  # a round trip and its route visits
        for i, o in enumerate(self.every):
            index[(o.referral, self.problem.days[o.day].date, o.therapist, o.kind)].append(i)
        for a in self.problem.previous:
            for i in index.get((a.referral, a.day, a.therapist, a.kind), []) if a.referral else []:
                if a.start in self.every[i].starts:
                    kept.append(self.y[i][a.start])
        meetings = {
            (m.team_class, self.problem.days[m.day].date, m.start): j
            for j, m in enumerate(self.options.meetings)
        }
        for a in self.problem.previous:
            j = meetings.get((a.team_class, a.day, a.start)) if a.team_class else None
            if j is not None:
                kept += [self.seat[(r, j)] for r in a.participants if (r, j) in self.seat]
        return kept

    def _largest_load(self) -> cp_model.IntVar:
        """The largest share of any therapist's available minutes that is planned (thousandths)."""
        for t in self.problem.therapists:
            terms = self.therapist_minutes.get(t.id)
            available = available_minutes(self.problem, t.id)
            if terms and available > 0:
                load = sum(m * lit for m, lit in terms)
                self.model.add(LOAD_SCALE * load <= available * self.load)
        return self.load

    # --- hints and answers -------------------------------------------------------------------

    def hint(self, draft: Tentative) -> None:
        """Start the search from a draft (the first-fit plan), every variable hinted."""
        chosen = {option_key(b.option): b for b in draft.bookings}
        for i, option in enumerate(self.every):
            booking = chosen.get(option_key(option))
            start = booking.start if booking is not None and booking.start in self.y[i] else None
            for s, lit in self.y[i].items():
                self.model.add_hint(lit, s == start)
            if len(self.y[i]) > 1:
                self.model.add_hint(self.x[i], start is not None)
        held = {m.meeting: m for m in draft.meetings}
        for j, lit in enumerate(self.held):
            self.model.add_hint(lit, j in held)
        for (j, t), lit in self.instructor.items():
            self.model.add_hint(lit, j in held and held[j].instructor == t)
        for (j, r), lit in self.meeting_room.items():
            self.model.add_hint(lit, j in held and held[j].room == r)
        for (r, j), lit in self.seat.items():
            self.model.add_hint(lit, j in held and r in held[j].participants)
        self._hint_auxiliaries(draft)

    def _hint_auxiliaries(self, draft: Tentative) -> None:
        """Hint the helper literals too: the hint is then a whole plan the solver takes at once."""
        at: set[tuple[str, int, str]] = set()
        days: dict[str, set[int]] = defaultdict(set)
        for b in draft.bookings:
            o = b.option
            at.add((o.therapist, o.day, o.centre))
            days[o.referral].add(o.day)
        for held in draft.meetings:
            meeting = self.options.meetings[held.meeting]
            centre = self.problem.team_class(meeting.team_class).centre
            at.add((held.instructor, meeting.day, centre))
            for r in held.participants:
                days[r].add(meeting.day)
        for key, lit in self.aux_at.items():
            self.model.add_hint(lit, key in at)
        for lit, referral, wanted in self.aux_any.values():
            self.model.add_hint(lit, bool(days[referral] & wanted))
        self.model.add_hint(self.load, self._draft_load(draft))
        self._hint_spans(draft)

    def _hint_spans(self, draft: Tentative) -> None:
        """The first and last slot of each therapist's day in the draft (compact days)."""
        if not self.spans:
            return
        slot = self.problem.slot_minutes
        stretch: dict[tuple[str, int], list[int]] = {}
        for b in draft.bookings:
            o = b.option
            begin, end = b.start - o.before, b.start + o.minutes + o.travel_after
            stretch.setdefault((o.therapist, o.day), []).extend((begin, end))
        for held in draft.meetings:
            m = self.options.meetings[held.meeting]
            stretch.setdefault((held.instructor, m.day), []).extend((m.start, m.end))
        for key, (first, last, empty) in self.spans.items():
            times = stretch.get(key)
            if times:
                low, high = min(times) // slot, -(-max(times) // slot)
            else:
                low = high = empty
            self.model.add_hint(first, low)
            self.model.add_hint(last, high)

    def hinted_objective(self) -> float | None:
        """The objective's value at the hint (None when some objective variable has no hint):
        what a solve must beat to be better than the draft it started from."""
        proto = self.model.proto
        hint = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
        objective = proto.objective
        total = objective.offset
        for var, coeff in zip(objective.vars, objective.coeffs, strict=True):
            index = var if var >= 0 else -var - 1
            if index not in hint:
                return None
            value = hint[index] if var >= 0 else 1 - hint[index]  # a negated literal
            total += coeff * value
        return (objective.scaling_factor or 1.0) * total

    def _draft_load(self, draft: Tentative) -> int:
        """The largest load of the draft, as `_largest_load` measures it."""
        minutes: dict[str, int] = defaultdict(int)
        for b in draft.bookings:
            minutes[b.option.therapist] += b.option.busy_minutes
        for held in draft.meetings:
            meeting = self.options.meetings[held.meeting]
            minutes[held.instructor] += meeting.end - meeting.start
        loads = [
            -(-LOAD_SCALE * m // available_minutes(self.problem, t))
            for t, m in minutes.items()
            if available_minutes(self.problem, t) > 0
        ]
        return min(LOAD_SCALE, max(loads, default=0))

    def fix(self, draft: Tentative) -> None:
        """Force the draft's bookings and meetings into every plan (pinned appointments)."""
        index = {option_key(o): i for i, o in enumerate(self.every)}
        for b in draft.bookings:
            i = index[option_key(b.option)]
            self.model.add(self.y[i][b.start] == 1)
        for held in draft.meetings:
            self.model.add(self.held[held.meeting] == 1)
            self.model.add(self.instructor[(held.meeting, held.instructor)] == 1)
            self.model.add(self.meeting_room[(held.meeting, held.room)] == 1)
            for r in held.participants:
                self.model.add(self.seat[(r, held.meeting)] == 1)

    def read(self, solver: cp_model.CpSolver) -> Tentative:
        """The solver's answer as a draft; rooms of individual sessions are given afterwards."""
        draft = Tentative()
        for i, option in enumerate(self.every):
            if solver.boolean_value(self.x[i]):
                start = next(s for s, lit in self.y[i].items() if solver.boolean_value(lit))
                draft.bookings.append(Booking(option, start, None))
        for j, meeting in enumerate(self.options.meetings):
            if not solver.boolean_value(self.held[j]):
                continue
            instructor = next(
                t for t in meeting.instructors if solver.boolean_value(self.instructor[(j, t)])
            )
            room = next(r for r in meeting.rooms if solver.boolean_value(self.meeting_room[(j, r)]))
            seats = [r for r in meeting.seats if solver.boolean_value(self.seat[(r, j)])]
            draft.meetings.append(HeldMeeting(j, instructor, room, seats))
        return draft


def tune(solver: cp_model.CpSolver, lp: bool = False) -> None:
    """Search settings measured to find better plans sooner on these models.

    Probing and symmetry detection cost more presolve time than they repay. On a whole week the
    LP worker's bound is weaker than the per-citizen bound, so without `lp` both threads search
    for plans instead; on neighbourhoods the LP worker measured better.
    """
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    if not lp:
        solver.parameters.ignore_subsolvers.append("default_lp")
        solver.parameters.extra_subsolvers.append("quick_restart_no_lp")


def available_minutes(problem: Problem, therapist_id: str) -> int:
    """A therapist's working minutes on the week's plannable days."""
    t = problem.therapist(therapist_id)
    return sum(
        w.end - w.start
        for day in problem.days
        if day.date not in t.absent
        for w in t.hours.get(day.weekday, ())
    )


def add_at_every_moment(model: cp_model.CpModel, items: list, capacity: int) -> None:
    """At every moment, the items under way take at most `capacity`.

    Items are (begin, end, weight, literal) over [begin, end). Two stretches overlap exactly when
    one begins inside the other, so checking the moments where items begin is enough; a moment
    whose items are all still under way at the next one is implied by it and skipped.
    """
    if sum(w for _, _, w, _ in items) <= capacity:
        return
    items = sorted(items, key=lambda item: item[0])
    moments = sorted({b for b, _, _, _ in items})
    active: list = []
    k = 0
    for n, moment in enumerate(moments):
        active = [item for item in active if item[1] > moment]
        while k < len(items) and items[k][0] <= moment:
            active.append(items[k])
            k += 1
        following = moments[n + 1] if n + 1 < len(moments) else None
        if following is not None and all(item[1] > following for item in active):
            continue  # the next moment's sum contains this one's
        if sum(w for _, _, w, _ in active) > capacity:
            lits = [item[3] for item in active]
            weights = [item[2] for item in active]
            model.add(cp_model.LinearExpr.weighted_sum(lits, weights) <= capacity)
