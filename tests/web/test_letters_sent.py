"""Letters recorded as sent in the app: after the batch is printed the next batch is empty; the
batch can be e-mailed to citizens with an address (a local SMTP server); an address is kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from planner.db.models import LetterSent
from planner.outputs.mail import citizen_emails
from planner.plan.versions import publish
from tests.planner.outputs.test_mail import Inbox, inbox  # noqa: F401 (a fixture)
from tests.web.conftest import StoredWeek, Web

ROW = re.compile(r'<th scope="row">([^<]+)</th>')


@pytest.fixture
def published(engine: Engine, norddjurs: StoredWeek) -> StoredWeek:
    with Session(engine) as session:
        publish(norddjurs.plan_id, session=session)
    return norddjurs


def test_recording_the_batch_as_printed_empties_it(
    coordinator: Web, engine: Engine, published: StoredWeek
) -> None:
    before = ROW.findall(coordinator.get(f"/plans/{published.plan_id}/letters").text)

    response = coordinator.post(f"/plans/{published.plan_id}/letters/sent", {"channel": "printed"})

    assert response.status_code == 200  # followed to the batch
    assert f"{len(before)} breve er registreret som sendt." in response.text
    assert ROW.findall(response.text) == []
    with Session(engine) as session:
        rows = session.exec(select(LetterSent)).all()
    assert len(rows) == len(before) > 0
    assert {(r.channel, r.sent_by, r.plan_id) for r in rows} == {
        ("printed", "koord", published.plan_id)
    }


def test_batch_is_emailed_to_citizens_with_an_address(
    coordinator: Web,
    engine: Engine,
    published: StoredWeek,
    inbox: tuple[Inbox, int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, port = inbox
    monkeypatch.setenv("PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PLANNER_SMTP_PORT", str(port))
    monkeypatch.setenv("PLANNER_SMTP_SENDER", "traening@norddjurs.dk")
    page = coordinator.get(f"/plans/{published.plan_id}/letters")
    first = re.search(r"/citizens/(c\d+)/letter\"", page.text).group(1)  # type: ignore[union-attr]

    saved = coordinator.post(
        f"/plans/{published.plan_id}/citizens/{first}/email", {"email": "borger@eksempel.dk"}
    )
    sent = coordinator.post(f"/plans/{published.plan_id}/letters/email")

    assert 'value="borger@eksempel.dk"' in saved.text
    assert "1 breve er registreret som sendt." in sent.text
    assert [to for _, to, _ in handler.messages] == [["borger@eksempel.dk"]]
    with Session(engine) as session:
        rows = session.exec(select(LetterSent)).all()
    assert [(r.citizen, r.channel) for r in rows] == [(first, "email")]


def test_a_bad_email_address_is_refused(
    coordinator: Web, engine: Engine, published: StoredWeek
) -> None:
    response = coordinator.post(
        f"/plans/{published.plan_id}/citizens/c0001/email", {"email": "ikke en adresse"}
    )

    assert response.status_code == 422
    assert "er ikke en e-mail-adresse" in response.text
    with Session(engine) as session:
        assert citizen_emails(published.scenario_id, session=session) == {}
