"""The access log (GDPR art. 32): who read or changed which citizen's data, when, and how.

Rows are only ever added (and pruned after the retention time, `PLANNER_ACCESS_LOG_MONTHS`, six
months by default); nothing changes one. A citizen's entries are what an access request gets
(`GET /api/access-log?citizen=`, exchange-format.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from planner.db.models import AccessLogEntry, Appointment, Citizen, Referral

ACTIONS = ("read", "change")


def retention() -> timedelta:
    """How long entries are kept: `PLANNER_ACCESS_LOG_MONTHS` months (30 days each), 6."""
    return timedelta(days=30 * float(os.environ.get("PLANNER_ACCESS_LOG_MONTHS") or 6))


def record(
    account: str,
    action: str,
    what: str,
    citizens: Iterable[str],
    *,
    session: Session,
    scenario_id: int | None = None,
) -> None:
    """Add one entry per citizen and commit.

    With the stored week (`scenario_id`) a citizen id is logged as the person it is there
    (`planner.db.persons`): an id two imports gave to different people is two people's logs."""
    if action not in ACTIONS:
        raise ValueError(f"action {action!r} is not one of {ACTIONS}")
    if scenario_id is not None:
        citizens = persons_in(scenario_id, citizens, session=session)
    moment = datetime.now(UTC)
    rows = [
        AccessLogEntry(
            at=moment, account=account, action=action, what=what, citizen=c, scenario_id=scenario_id
        )
        for c in sorted(set(citizens))
    ]
    if rows:
        session.add_all(rows)
        session.commit()


def persons_in(scenario_id: int, citizens: Iterable[str], *, session: Session) -> list[str]:
    """The person key of each citizen id of a stored week (an id it does not hold stays)."""
    wanted = set(citizens)
    query = select(Citizen.key, Citizen.person).where(
        Citizen.scenario_id == scenario_id, col(Citizen.key).in_(wanted)
    )
    persons = {key: person or key for key, person in session.exec(query).all()}
    return [persons.get(c, c) for c in wanted]


def week_citizens(scenario_id: int, *, session: Session) -> list[str]:
    """Every citizen of a stored week."""
    query = select(Citizen.key).where(Citizen.scenario_id == scenario_id)
    return list(session.exec(query).all())


def referred_citizens(scenario_id: int, *, session: Session) -> list[str]:
    """The citizens with a referral in a stored week: those a plan of it is about."""
    query = select(Referral.citizen).where(Referral.scenario_id == scenario_id)
    return sorted(set(session.exec(query).all()))


def appointment_citizens(
    plan_id: int, appointment_key: str, scenario_id: int, *, session: Session
) -> list[str]:
    """The citizens of one appointment (its referral's, or every seat's in a team meeting)."""
    row = session.exec(
        select(Appointment).where(
            Appointment.plan_id == plan_id, Appointment.key == appointment_key
        )
    ).first()
    if row is None:
        return []
    keys = [p.referral for p in row.participants] if row.kind == "team" else [row.referral or ""]
    return referral_citizens(keys, scenario_id, session=session)


def referral_citizens(keys: Iterable[str], scenario_id: int, *, session: Session) -> list[str]:
    query = select(Referral.citizen).where(
        Referral.scenario_id == scenario_id, col(Referral.key).in_(list(keys))
    )
    return sorted(set(session.exec(query).all()))


def entries(citizen: str, *, session: Session) -> list[dict[str, Any]]:
    """A citizen's entries, oldest first, as the API gives them."""
    query = (
        select(AccessLogEntry)
        .where(AccessLogEntry.citizen == citizen)
        .order_by(col(AccessLogEntry.at), col(AccessLogEntry.id))
    )
    return [
        {
            "at": aware(e.at).isoformat(),
            "account": e.account,
            "action": e.action,
            "what": e.what,
            "citizen": e.citizen,
        }
        for e in session.exec(query).all()
    ]


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def prune(*, session: Session, now: datetime | None = None) -> int:
    """Delete entries older than the retention time; returns how many."""
    cutoff = (now or datetime.now(UTC)) - retention()
    result = session.connection().execute(
        delete(AccessLogEntry).where(col(AccessLogEntry.at) < cutoff)
    )
    session.commit()
    return int(result.rowcount or 0)
