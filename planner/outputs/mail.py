"""Letters by e-mail (optional): each citizen's letter as a PDF with its calendar file, sent
through the municipality's SMTP server, and recorded as sent.

The server is named by settings in the environment: `PLANNER_SMTP_HOST` (without it, e-mail is
off), `PLANNER_SMTP_PORT` (25), `PLANNER_SMTP_SENDER` (the From address), and optionally
`PLANNER_SMTP_STARTTLS=1`, `PLANNER_SMTP_USER` and `PLANNER_SMTP_PASSWORD`. The message itself
says only that the letter is attached: the times are in the attachment, not in the mail body.
"""

from __future__ import annotations

import os
import re
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlmodel import Session, select

from planner.db.models import Citizen, Plan
from planner.db.store import get
from planner.errors import NotFound
from planner.outputs.feeds import citizen_uids
from planner.outputs.letters import (
    Letter,
    letter_calendar,
    letter_title,
    letters_pdf,
    plan_letters,
    record_letters,
)
from planner.text.messages import Message

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    starttls: bool = False
    username: str | None = None
    password: str | None = None


def smtp_settings(env: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The SMTP server from the environment, or None when e-mail is not set up."""
    env = os.environ if env is None else env
    host = env.get("PLANNER_SMTP_HOST", "").strip()
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=int(env.get("PLANNER_SMTP_PORT", "25")),
        sender=env.get("PLANNER_SMTP_SENDER", "").strip() or f"traeningsplan@{host}",
        starttls=env.get("PLANNER_SMTP_STARTTLS") == "1",
        username=env.get("PLANNER_SMTP_USER") or None,
        password=env.get("PLANNER_SMTP_PASSWORD") or None,
    )


class EmailError(ValueError):
    """An e-mail address that is not one; `message` says how to write it."""

    def __init__(self, address: str) -> None:
        self.message = Message("email.invalid", {"address": address})
        super().__init__(f"{address!r} is not an e-mail address")


def set_citizen_email(scenario_id: int, citizen: str, email: str, *, session: Session) -> None:
    """Keep (or, blank, remove) the address a citizen's letters may be e-mailed to."""
    address = email.strip()
    if address and not EMAIL.fullmatch(address):
        raise EmailError(address)
    row = session.exec(
        select(Citizen).where(Citizen.scenario_id == scenario_id, Citizen.key == citizen)
    ).first()
    if row is None:
        raise NotFound("citizen", citizen, scenario=scenario_id)
    row.email = address or None
    session.add(row)
    session.commit()


def citizen_emails(scenario_id: int, *, session: Session) -> dict[str, str]:
    """The citizens of a stored week that have an e-mail address."""
    rows = session.exec(select(Citizen).where(Citizen.scenario_id == scenario_id)).all()
    return {c.key: c.email for c in rows if c.email}


def letter_message(letter: Letter, to: str, sender: str, pdf: bytes, ics: bytes) -> EmailMessage:
    """One citizen's letter as an e-mail: a short note, the letter as PDF, the calendar file."""
    message = EmailMessage()
    message["Subject"] = letter_title(letter)
    message["From"] = sender
    message["To"] = to
    message.set_content(
        f"Kære {letter.name}\n\n"
        f"Vedhæftet er dit brev med dine tider til træning i uge {letter.week_number} "
        f"({letter.span}), og en kalenderfil, du kan lægge i din kalender.\n\n"
        "Venlig hilsen\nTræningscentret\n"
    )
    stem = f"traeningstider-uge-{letter.week_number}"
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{stem}.pdf")
    message.add_attachment(ics, maintype="text", subtype="calendar", filename=f"{stem}.ics")
    return message


@dataclass
class Emailed:
    """What a run of e-mails did: sent to, and left out for want of an address."""

    sent: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)


def email_letters(
    plan_id: int,
    citizens: Iterable[str],
    *,
    by: str,
    session: Session,
    settings: SmtpSettings,
) -> Emailed:
    """E-mail these citizens their letter of the plan; each one sent is recorded as sent."""
    plan = get(session, Plan, plan_id)
    run = plan_letters(plan_id, session=session)
    addresses = citizen_emails(plan.scenario_id, session=session)
    result = Emailed()
    with smtplib.SMTP(settings.host, settings.port, timeout=30) as server:
        if settings.starttls:
            server.starttls()
        if settings.username and settings.password:
            server.login(settings.username, settings.password)
        for key in citizens:
            letter = run.letters[key]
            if key not in addresses:
                result.no_address.append(key)
                continue
            pdf = letters_pdf([letter], letter_title(letter))
            ics = letter_calendar(
                letter, citizen_uids(key, letter.week, run.plan.scenario_id, session=session)
            )
            server.send_message(letter_message(letter, addresses[key], settings.sender, pdf, ics))
            record_letters(plan_id, [key], "email", by=by, session=session)
            result.sent.append(key)
    return result
