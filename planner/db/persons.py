"""Which person a citizen id is: one person per id and name, across imported weeks.

scenario/1 ids are the sending system's; two weeks imported from different sources (or a care
system that reuses numbers) can give `c0001` to two different people. Whatever follows a citizen
across weeks (the calendar feed, whose link a citizen keeps) belongs to the person, never to the
bare id: a week's citizen is the person already known by that id and name (case and spacing of
the name aside), else a new person. The first person with an id keeps the id as their person key
(so a feed link given out before stays the same); the next ones get the id with `~2`, `~3` ...
(`~` is never part of an id, so a person key can never be another citizen's id).

Only a fingerprint of the id and the name is kept here, not the name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from planner.db.models import CitizenPerson

#: Between a citizen id and the person's number in a person key: not a character ids may hold.
SEPARATOR = "~"


def normalised(name: str) -> str:
    """A name as compared: case and spacing make no other person."""
    return " ".join(name.casefold().split())


def fingerprint(key: str, name: str) -> str:
    """What tells one person with this id from another, without keeping the name."""
    return hashlib.sha256(f"{key}\n{normalised(name)}".encode()).hexdigest()


def same_person(one: str, other: str) -> bool:
    """Two names given to one id are the same person (case and spacing aside)."""
    return normalised(one) == normalised(other)


def person_keys(citizens: Iterable[tuple[str, str]], *, session: Session) -> dict[str, str]:
    """The person key of each (id, name), made for people not seen before; the caller commits.

    A person made at the same moment by another import (the unique constraints) is read back.
    """
    found: dict[str, str] = {}
    for key, name in citizens:
        found[key] = person_of(key, name, session=session)
    return found


def person_of(key: str, name: str, *, session: Session) -> str:
    """The person key of one citizen id with this name; a new person if none is known."""
    mark = fingerprint(key, name)
    for _ in range(5):
        known = session.exec(
            select(CitizenPerson).where(CitizenPerson.key == key, CitizenPerson.fingerprint == mark)
        ).first()
        if known is not None:
            return known.person
        count = len(session.exec(select(CitizenPerson.id).where(CitizenPerson.key == key)).all())
        person = key if count == 0 else f"{key}{SEPARATOR}{count + 1}"
        try:
            with session.begin_nested():
                session.add(
                    CitizenPerson(
                        key=key, fingerprint=mark, person=person, created_at=datetime.now(UTC)
                    )
                )
        except IntegrityError:
            continue  # another import made this person (or took the number) first: read again
        return person
    raise RuntimeError(f"could not give citizen {key} a person key")


def persons_of(key: str, *, session: Session) -> list[str]:
    """Every person known by a citizen id, the first first."""
    query = select(CitizenPerson.person).where(CitizenPerson.key == key)
    return list(session.exec(query.order_by(col(CitizenPerson.id))).all())
