"""Give each individual session at a centre its room, once the model has chosen the times.

The model only keeps the number of sessions under way at a centre within its places. Turning
places into rooms is almost always a greedy pass (treatment rooms first, then halls); when a
class meeting in a hall makes the greedy pass fail, a small exact model settles that centre-day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from solver.options import Options
from solver.problem import INDIVIDUAL_ROOM_KINDS, Problem, Room
from solver.tentative import Booking, Tentative


def assign_rooms(problem: Problem, options: Options, draft: Tentative) -> list[Booking]:
    """Put every individual session in a room; returns the sessions no room could take."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, b in enumerate(draft.bookings):
        if b.option.kind == "individual":
            groups[(b.option.centre, b.option.day)].append(i)
    left_out: list[Booking] = []
    for (centre, day), indices in groups.items():
        rooms = sorted(
            (r for r in problem.rooms if r.centre == centre and r.kind in INDIVIDUAL_ROOM_KINDS),
            key=lambda r: (r.capacity, r.id),
        )
        blocked = meeting_blocks(problem, options, draft, day)
        sessions = [draft.bookings[i] for i in indices]
        chosen: list[str | None] = greedy_rooms(sessions, rooms, blocked)
        if None in chosen:
            chosen = list(exact_rooms(sessions, rooms, blocked) or chosen)
        for i, room in zip(indices, chosen, strict=True):
            draft.bookings[i] = replace(draft.bookings[i], room=room)
    for b in list(draft.bookings):
        if b.option.kind == "individual" and b.room is None:
            draft.bookings.remove(b)
            left_out.append(b)
    return left_out


def meeting_blocks(
    problem: Problem, options: Options, draft: Tentative, day: int
) -> dict[str, list[tuple[int, int]]]:
    """The stretches of the day when a class meeting has a room to itself."""
    blocks: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for held in draft.meetings:
        meeting = options.meetings[held.meeting]
        if meeting.day == day:
            blocks[held.room].append((meeting.start, meeting.end))
    return blocks


def greedy_rooms(
    sessions: list[Booking], rooms: list[Room], blocked: dict[str, list[tuple[int, int]]]
) -> list[str | None]:
    """Rooms in start-time order, smallest free room first; None where a session gets none."""
    used: dict[str, list[tuple[int, int]]] = defaultdict(list)
    chosen: list[str | None] = [b.room for b in sessions]  # pinned sessions keep their room
    for b in sessions:
        if b.room is not None:
            used[b.room].append((b.start, b.end))
    order = sorted(range(len(sessions)), key=lambda i: (sessions[i].start, sessions[i].end))
    for i in order:
        if chosen[i] is not None:
            continue
        s, e = sessions[i].start, sessions[i].end
        for room in rooms:
            if fits(room, s, e, used[room.id], blocked.get(room.id, [])):
                used[room.id].append((s, e))
                chosen[i] = room.id
                break
    return chosen


def fits(room: Room, start: int, end: int, used: list[tuple[int, int]], blocked: list) -> bool:
    if any(s < end and start < e for s, e in blocked):
        return False
    overlapping = [(s, e) for s, e in used if s < end and start < e]
    return max_concurrent(overlapping) < room.capacity


def max_concurrent(intervals: list[tuple[int, int]]) -> int:
    """The most intervals under way at one moment (one ending as another starts: not both).

    Among intervals that all overlap a stretch, that moment lies inside the stretch (any two
    overlapping intervals share a point, and so, for intervals, do all of them).
    """
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    level = best = 0
    for _, step in events:
        level += step
        best = max(best, level)
    return best


def exact_rooms(
    sessions: list[Booking], rooms: list[Room], blocked: dict[str, list[tuple[int, int]]]
) -> list[str] | None:
    """A small CP-SAT model that finds rooms for all sessions of one centre-day, if any exist."""
    model = cp_model.CpModel()
    pick = {}
    for i, b in enumerate(sessions):
        for room in rooms:
            free = not any(s < b.end and b.start < e for s, e in blocked.get(room.id, []))
            if free and b.room in (None, room.id):
                pick[(i, room.id)] = model.new_bool_var(f"pick[{i},{room.id}]")
        model.add_exactly_one(v for (j, _), v in pick.items() if j == i)
    for room in rooms:
        intervals = [
            model.new_optional_fixed_size_interval_var(
                b.start, b.end - b.start, pick[(i, room.id)], ""
            )
            for i, b in enumerate(sessions)
            if (i, room.id) in pick
        ]
        if intervals:
            model.add_cumulative(intervals, [1] * len(intervals), room.capacity)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5.0
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [
        next(r.id for r in rooms if (i, r.id) in pick and solver.boolean_value(pick[(i, r.id)]))
        for i in range(len(sessions))
    ]
