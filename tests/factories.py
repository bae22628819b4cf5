"""Small factories for hand-made scenario/1 documents.

`scenario()` returns the smallest valid week: one centre open 08:00-16:00 Monday to Friday,
a hall and a treatment room, one physiotherapist, the TG1 package, one citizen and one centre
referral with two sessions. Tests change what their rule is about and nothing else.
"""

from __future__ import annotations

import copy
from typing import Any

WEEK = "2026-W50"  # Monday 2026-12-07 .. Friday 2026-12-11, no public holidays
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri")


def open_hours(start: str = "08:00", end: str = "16:00") -> dict[str, list[str]]:
    return {day: [start, end] for day in ALL_DAYS}


def work_hours(start: str = "08:00", end: str = "16:00") -> dict[str, list[list[str]]]:
    return {day: [[start, end]] for day in ALL_DAYS}


def centre(id: str = "auning", **over: Any) -> dict[str, Any]:
    doc = {
        "id": id,
        "name": f"Træningscenter {id.title()}",
        "address": "Elme Allé 6, 8963 Auning",
        "lat": 56.431,
        "lon": 10.383,
        "open": open_hours(),
    }
    return {**doc, **over}


def room(id: str, centre: str = "auning", kind: str = "treatment", capacity: int = 1) -> dict:
    return {"id": id, "centre": centre, "name": id, "kind": kind, "capacity": capacity}


def therapist(id: str = "t01", **over: Any) -> dict[str, Any]:
    doc = {
        "id": id,
        "name": f"Terapeut {id}",
        "profession": "physio",
        "skills": ["team"],
        "centres": ["auning"],
        "hours": work_hours(),
        "absent": [],
        "max_minutes": None,
    }
    return {**doc, **over}


def package(code: str = "TG1", low: int = 60, high: int = 90, max_sessions: int | None = 15):
    return {
        "code": code,
        "name": f"Pakke {code}",
        "basis": "SEL §86 stk. 1",
        "weekly_minutes": [low, high],
        "max_sessions": max_sessions,
    }


def citizen(id: str = "c001", **over: Any) -> dict[str, Any]:
    doc = {
        "id": id,
        "name": "Karen Jensen",
        "address": "Storegade 3, 8963 Auning",
        "lat": 56.432,
        "lon": 10.387,
    }
    return {**doc, **over}


def referral(id: str = "r001", citizen: str = "c001", **over: Any) -> dict[str, Any]:
    doc = {
        "id": id,
        "citizen": citizen,
        "package": "TG1",
        "mode": "centre",
        "class": None,
        "profession": "physio",
        "skills": [],
        "centre": "auning",
        "sessions_per_week": 2,
        "session_minutes": 45,
        "intro": False,
        "final": False,
        "delivered": 0,
        "earliest": None,
        "discharged": None,
        "contact": None,
    }
    return {**doc, **over}


def team_class(id: str = "balance", **over: Any) -> dict[str, Any]:
    doc = {
        "id": id,
        "name": "Balancehold",
        "centre": "auning",
        "room_kind": "hall",
        "capacity": 10,
        "minutes": 60,
        "instructor": {"profession": "physio", "skills": ["team"]},
        "meetings": [{"day": "tue", "start": "10:00"}, {"day": "thu", "start": "10:00"}],
    }
    return {**doc, **over}


def scenario(**over: Any) -> dict[str, Any]:
    """The smallest valid week; keyword arguments replace whole top-level fields."""
    doc: dict[str, Any] = {
        "format": "scenario/1",
        "name": "Testuge",
        "timezone": "Europe/Copenhagen",
        "week": WEEK,
        "slot_minutes": 15,
        "travel": {"detour_factor": 1.3, "speed_kmh": 45},
        "centres": [centre()],
        "rooms": [room("auning-sal", kind="hall", capacity=12), room("auning-b1")],
        "therapists": [therapist()],
        "packages": [package()],
        "classes": [],
        "citizens": [citizen()],
        "referrals": [referral()],
        "pinned": [],
        "previous": [],
    }
    doc.update(copy.deepcopy(over))
    return doc
