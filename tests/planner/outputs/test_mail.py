"""Letters by e-mail, against a real SMTP server started by the test (aiosmtpd): each citizen
with an address gets their letter as PDF and calendar file, and it is recorded as sent."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from planner.db.models import LetterSent
from planner.db.store import save_plan
from planner.errors import NotFound
from planner.outputs.letters import plan_letters
from planner.outputs.mail import (
    EmailError,
    SmtpSettings,
    email_letters,
    set_citizen_email,
    smtp_settings,
)
from planner.text.messages import Message as Said
from tests.databases import backend_engine
from tests.planner.outputs.test_letters import A1, A2, solution, stored_week
from tests.planning import publish_unchecked as publish


class Inbox:
    """Collects every message the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(
            (
                envelope.mail_from,
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    for engine in backend_engine("sqlite", tmp_path):
        with Session(engine) as session:
            yield session


def test_smtp_settings_come_from_the_environment() -> None:
    env = {"PLANNER_SMTP_HOST": "mail.norddjurs.dk", "PLANNER_SMTP_PORT": "587",
           "PLANNER_SMTP_SENDER": "træning@norddjurs.dk", "PLANNER_SMTP_STARTTLS": "1"}  # fmt: skip

    assert smtp_settings(env) == SmtpSettings(
        "mail.norddjurs.dk", 587, "træning@norddjurs.dk", True
    )
    assert smtp_settings({}) is None


def test_email_letters_sends_pdf_and_calendar_and_records_it(
    session: Session, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    week = stored_week(session)
    plan = save_plan(week, solution(A1, A2), session=session)
    publish(plan, session=session)
    set_citizen_email(week, "c001", "karen@eksempel.dk", session=session)
    settings = SmtpSettings("127.0.0.1", port, "traening@norddjurs.dk")

    result = email_letters(plan, ["c001", "c002"], by="koordinator", session=session,
                           settings=settings)  # fmt: skip

    assert (result.sent, result.no_address) == (["c001"], ["c002"])
    [(sender, to, message)] = handler.messages
    assert (sender, to, message["Subject"]) == (
        "traening@norddjurs.dk", ["karen@eksempel.dk"], "Dine tider til træning i uge 50",
    )  # fmt: skip
    parts = [(p.get_content_type(), p.get_filename()) for p in message.walk() if p.get_filename()]
    assert parts == [("application/pdf", "traeningstider-uge-50.pdf"),
                     ("text/calendar", "traeningstider-uge-50.ics")]  # fmt: skip
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "10.00" not in body.get_payload(decode=True).decode()  # the times are in the PDF only
    rows = session.exec(select(LetterSent)).all()
    assert [(r.citizen, r.channel, r.sent_by) for r in rows] == [("c001", "email", "koordinator")]
    assert [x.citizen for x in plan_letters(plan, session=session).changed] == ["c002"]


def test_set_citizen_email_refuses_what_is_not_an_address(session: Session) -> None:
    week = stored_week(session)

    with pytest.raises(EmailError) as refused:
        set_citizen_email(week, "c001", "karen ved posthuset", session=session)
    assert refused.value.message == Said("email.invalid", {"address": "karen ved posthuset"})
    with pytest.raises(NotFound):
        set_citizen_email(week, "c999", "a@b.dk", session=session)
