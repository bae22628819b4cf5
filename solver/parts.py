"""Independent parts of a week: sessions that can never compete for anything are planned apart.

Two options compete only through something they share: a therapist (one thing at a time, one
centre a day, the weekly cap, fair load), a centre's room places (individual sessions and class
meetings there), a referral (its days and count, its course order), a citizen (one session a
day) or a class (its meetings a week). The parts are the connected components of the graph that
joins every option to those resources: no rule and no objective term links two parts, so the
best plan of the week is the best plan of each part side by side, and the sum of the parts'
proven bounds is a proven bound of the week.

A part is plain data (its own `Problem` and `Options`), so parts can be planned one after another
or in separate processes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from solver.options import Options
from solver.problem import Problem
from solver.tentative import Booking, HeldMeeting, Tentative

Resource = tuple[str, str]  # ("therapist" | "centre" | "referral" | "citizen" | "class", id)


@dataclass(frozen=True)
class Part:
    """One independent part of a week: its own week to plan and its own options.

    `meetings[k]` is the week's index of the part's k-th class meeting option.
    """

    problem: Problem
    options: Options
    meetings: tuple[int, ...]

    @property
    def size(self) -> int:
        """How much there is to decide: option start times and possible seats."""
        return sum(len(o.starts) for o in self.options.every) + sum(
            len(m.seats) for m in self.options.meetings
        )


class Joins:
    """Union-find over resources: which resources some option ties together."""

    def __init__(self) -> None:
        self.parent: dict[Resource, Resource] = {}

    def find(self, key: Resource) -> Resource:
        parent = self.parent.setdefault(key, key)
        while parent != key:
            grand = self.parent[parent]
            self.parent[key] = grand
            key, parent = parent, grand
        return key

    def join(self, first: Resource, *others: Resource) -> None:
        root = self.find(first)
        for other in others:
            other_root = self.find(other)
            if other_root != root:
                self.parent[other_root] = root


def shared_resources(problem: Problem, options: Options) -> Joins:
    """Every option joined to what it uses; every referral to its citizen."""
    joins = Joins()
    for o in options.individual:
        used = [("therapist", o.therapist)]
        if o.kind == "individual":
            used.append(("centre", o.centre))  # a room place at the centre
        joins.join(("referral", o.referral), *used)
    for m in options.meetings:
        centre = problem.team_class(m.team_class).centre
        used = [("centre", centre)] + [("therapist", t) for t in m.instructors]
        used += [("referral", r) for r in m.seats]
        joins.join(("class", m.team_class), *used)
    for r in problem.referrals:
        joins.join(("referral", r.id), ("citizen", r.citizen))
    return joins


def split(problem: Problem, options: Options) -> list[Part]:
    """The week's independent parts, smallest first; the whole week when it does not split.

    Referrals without a single option or seat belong to no part: nothing can be placed for them.
    """
    joins = shared_resources(problem, options)
    roots: dict[Resource, list[int]] = defaultdict(list)
    for i, o in enumerate(options.individual):
        roots[joins.find(("referral", o.referral))].append(i)
    seat_roots: dict[Resource, list[int]] = defaultdict(list)
    for j, m in enumerate(options.meetings):
        seat_roots[joins.find(("class", m.team_class))].append(j)
    keys = sorted(set(roots) | set(seat_roots))
    if len(keys) <= 1:
        return [Part(problem, options, tuple(range(len(options.meetings))))]
    parts = [
        make_part(problem, options, joins, root, roots.get(root, []), seat_roots.get(root, []))
        for root in keys
    ]
    return sorted(parts, key=lambda p: (p.size, p.problem.name))


def make_part(
    problem: Problem,
    options: Options,
    joins: Joins,
    root: Resource,
    individual: list[int],
    meetings: list[int],
) -> Part:
    """The week restricted to one part: its referrals, citizens, therapists, classes, and the
    centres (with all their rooms) its options use."""

    def mine(kind: str, id: str) -> bool:
        return (kind, id) in joins.parent and joins.find((kind, id)) == root

    own = [options.individual[i] for i in individual]
    held = [options.meetings[j] for j in meetings]
    referrals = tuple(r for r in problem.referrals if mine("referral", r.id))
    referral_ids = {r.id for r in referrals}
    # Its classes, and those its referrals name without a meeting they can join: a class with
    # no meeting in this part is only data here (where its sessions are), not a shared resource.
    named = {r.team_class for r in referrals if r.team_class}
    classes = tuple(c for c in problem.classes if mine("class", c.id) or c.id in named)
    centres = {o.centre for o in own} | {c.centre for c in classes}
    class_ids = {c.id for c in classes if mine("class", c.id)}

    def belongs(a: object) -> bool:
        referral, team_class = getattr(a, "referral", None), getattr(a, "team_class", None)
        return referral in referral_ids or (referral is None and team_class in class_ids)

    sub = replace(
        problem,
        name=f"{problem.name} [{root[0]} {root[1]}]",
        centres=tuple(c for c in problem.centres if c.id in centres),
        rooms=tuple(r for r in problem.rooms if r.centre in centres),
        therapists=tuple(t for t in problem.therapists if mine("therapist", t.id)),
        classes=classes,
        citizens=tuple(c for c in problem.citizens if mine("citizen", c.id)),
        referrals=referrals,
        pinned=tuple(a for a in problem.pinned if belongs(a)),
        previous=tuple(a for a in problem.previous if belongs(a)),
        _index={},
    )
    requested = {r: options.requested[r] for r in referral_ids}
    routes = [o for o in options.routes if o.referral in referral_ids]
    return Part(sub, Options(own, held, requested, routes), tuple(meetings))


def part_draft(part: Part, draft: Tentative) -> Tentative:
    """The bookings and meetings of a week's draft that fall in the part, in the part's terms."""
    local = {j: k for k, j in enumerate(part.meetings)}
    referrals = set(part.options.requested)
    bookings = [b for b in draft.bookings if b.option.referral in referrals]
    meetings = [
        HeldMeeting(local[m.meeting], m.instructor, m.room, list(m.participants))
        for m in draft.meetings
        if m.meeting in local
    ]
    return Tentative(bookings, meetings)


def merge(parts: list[Part], drafts: list[Tentative]) -> Tentative:
    """The parts' drafts as one draft of the week (meetings back in the week's numbering)."""
    bookings: list[Booking] = []
    meetings: list[HeldMeeting] = []
    for part, draft in zip(parts, drafts, strict=True):
        bookings += draft.bookings
        meetings += [
            HeldMeeting(part.meetings[m.meeting], m.instructor, m.room, list(m.participants))
            for m in draft.meetings
        ]
    return Tentative(bookings, meetings)
