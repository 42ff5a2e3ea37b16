"""The owner's answer (no account): the contact case moves and the log grows, the message
rule, availability and consents from the owner page, and the mails to staff and (only with
consent) the initiative; a failing mail does not undo the answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import (
    AuditEvent,
    Building,
    Consent,
    Match,
    Owner,
    Proposal,
    Unit,
    UseRequest,
)
from leerstand.services.use_requests import send as service
from tests import factories as f
from tests.conftest import csrf_token, make_app
from tests.integration.use_requests_common import (
    answer,
    case_of,
    counts,
    events_of,
    ident,
    issue,
    reload,
    row,
    sent_fixture,  # noqa: F401 (the fixture "sent")
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.smtp import body, free_port, links

# --- answering -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, state, message",
    [
        ("yes", "open_to_interim_use", ""),
        ("yes_conditions", "open_to_interim_use", "Nur bis Ende August, Nebenkosten bitte."),
        ("no", "declined", "Wir verkaufen das Haus."),
        ("more_info", "in_dialogue", "Wer haftet bei Schäden?"),
    ],
)
def test_answer_moves_case_and_writes_the_log(client, world, sent, session, code, state, message):
    request_id, secret = sent
    response = answer(client, secret, answer=code, message=message)
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    assert "Vielen Dank" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    req = reload(session, UseRequest, request_id)
    assert req.answer == code and req.answer_message == message
    assert req.answered_at is not None and req.state(datetime.now(UTC)) == "answered"
    case = case_of(session, world)
    assert case.state == state
    sent_event, answer_event = events_of(session, case.id)
    assert (sent_event.direction, sent_event.to_state) == ("out", "contacted")
    assert (answer_event.direction, answer_event.channel) == ("in", "online")
    assert (answer_event.from_state, answer_event.to_state) == ("contacted", state)
    assert answer_event.user_id is None
    label = {"yes": "Ja", "yes_conditions": "Ja, unter Bedingungen", "no": "Nein"}.get(
        code, "Ich brauche mehr Informationen"
    )
    assert label in answer_event.summary and message in answer_event.summary
    proposal = reload(session, Proposal, world.proposal_id)
    assert proposal.state == ("matched" if code in ("yes", "yes_conditions") else "published")
    # the one answer is used: the link is dead now, a second answer is refused
    again = client.get(f"/antwort/{secret}")
    assert again.status_code == 404


@pytest.mark.parametrize("code", ["yes_conditions", "more_info"])
def test_message_required_for_conditions_and_questions(client, world, sent, session, code):
    request_id, secret = sent
    before = row(session, request_id), counts(session)
    response = answer(client, secret, answer=code, message="  ")
    assert response.status_code == 422
    assert "Bitte schreiben Sie uns" in response.get_data(as_text=True)
    assert (row(session, request_id), counts(session)) == before
    response = answer(client, secret, answer="maybe")
    assert response.status_code == 422
    assert (row(session, request_id), counts(session)) == before


def test_answer_when_the_state_cannot_move_only_logs(client, world, sent, session):
    case = case_of(session, world)
    case.state = "closed"
    session.commit()
    request_id, secret = sent
    response = answer(client, secret, answer="yes")
    assert response.status_code == 200
    case = case_of(session, world)
    assert case.state == "closed"
    last = events_of(session, case.id)[-1]
    assert last.to_state is None and last.direction == "in" and last.channel == "online"


def test_availability_update_is_validated_and_audited(client, world, sent, session):
    request_id, secret = sent
    unit_id = world.unit_id
    today = local_today()
    start, end = today + timedelta(days=20), today + timedelta(days=200)
    before = row(session, request_id), counts(session)
    bad = answer(
        client, secret, answer="yes", available_from=end.isoformat(), available_to=start.isoformat()
    )
    assert bad.status_code == 422 and "nicht vor" in bad.get_data(as_text=True)
    assert (row(session, request_id), counts(session)) == before
    bad = answer(client, secret, answer="yes", available_from="32.13.2026")
    assert bad.status_code == 422 and "kein Datum" in bad.get_data(as_text=True)
    ok = answer(
        client, secret, answer="yes", available_from=start.isoformat(), available_to=end.isoformat()
    )
    assert ok.status_code == 200
    unit = reload(session, Unit, unit_id)
    assert (unit.available_from, unit.available_to) == (start, end)
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "unit", AuditEvent.entity_id == unit_id)
    ).all()
    (event,) = [a for a in audit if a.action == "owner_update"]
    assert event.user_id is None
    assert event.changes["available_from"] == [None, start.isoformat()]
    assert event.changes["use_request_id"] == [None, request_id]


def test_availability_from_the_owner_rematches_the_unit(client, world, sent, session):
    """The proposal starts in 30 days; a unit free only after 60 days no longer fits: the reviewed
    (shortlisted) match stays, marked as not fitting any more."""
    request_id, secret = sent
    late = local_today() + timedelta(days=60)
    assert answer(client, secret, answer="yes", available_from=late.isoformat()).status_code == 200
    match = reload(session, Match, world.match_id)
    assert match.status == "shortlisted" and match.fits is False


def test_unchanged_availability_is_not_written(client, world, sent, session):
    request_id, secret = sent
    page = client.get(f"/antwort/{secret}").get_data(as_text=True)
    assert 'name="available_from" value=""' in page
    assert answer(client, secret, answer="no", message="").status_code == 200
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "unit", AuditEvent.entity_id == world.unit_id)
    ).all()
    assert not audit


def _consent(session, owner_id: int, scope: str) -> Consent | None:
    stmt = select(Consent).where(Consent.owner_id == owner_id, Consent.scope == scope)
    return session.scalar(stmt.execution_options(populate_existing=True))


def test_consents_given_and_withdrawn_from_the_owner_page(client, world, session, base):
    owner_id = world.owner_id
    (first,) = issue(session, world)
    page = client.get(f"/antwort/{first.secret}").get_data(as_text=True)
    assert page.count("Derzeit nicht erteilt.") == 2
    response = answer(
        client, first.secret, answer="yes", consent_public_map="1", consent_share_contact="1"
    )
    assert response.status_code == 200
    for scope in ("public_map", "share_contact"):
        consent = _consent(session, owner_id, scope)
        assert consent.active and consent.channel == "online"
        assert consent.text_version == "antwortseite-2026-01"
        assert consent.recorded_by_id is None
    given = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consent_given", AuditEvent.user_id.is_(None))
    ).all()
    assert len(given) == 2

    # a second request for another match: the page shows the consents as given; withdraw one
    other_unit = f.unit(session, session.get(Building, world.building_id), name="1. OG")
    match = Match(
        municipality_id=ident(base.municipality),
        proposal_id=world.proposal_id,
        unit_id=other_unit.id,
        score=60,
        reasons=[],
        status="shortlisted",
    )
    session.add(match)
    session.commit()
    second = service.send_requests(
        session, match, None, {owner_id: "email"}, "", datetime.now(UTC), 30, 14
    )[0]
    session.commit()
    page = client.get(f"/antwort/{second.secret}").get_data(as_text=True)
    assert page.count("Derzeit erteilt") == 2
    assert 'name="consent_public_map" value="1" checked' in page
    response = answer(client, second.secret, answer="no", consent_public_map="1")
    assert response.status_code == 200
    assert _consent(session, owner_id, "public_map").active
    withdrawn = _consent(session, owner_id, "share_contact")
    assert not withdrawn.active and withdrawn.withdrawn_at is not None
    assert withdrawn.channel == "online"


# --- mails -----------------------------------------------------------------------------------


@pytest.fixture
def owner_mail_client(mail_app):
    return mail_app.test_client()


def test_answer_mails_staff_and_not_the_initiative_without_consent(
    owner_mail_client, world, sent, session, smtp_server, base
):
    request_id, secret = sent
    response = answer(owner_mail_client, secret, answer="yes_conditions", message="Nur Mo–Fr.")
    assert response.status_code == 200
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "staff@test.example"
    text = body(message)
    assert "Ja, unter Bedingungen" in text and "Nur Mo–Fr." in text
    assert f"/verwaltung/anfragen/{request_id}" in text
    assert world.owner_name in text
    assert "nicht benachrichtigt" in text
    assert len(smtp_server.messages) == 1  # nothing to the initiative


def test_answer_mails_the_initiative_with_share_contact(
    owner_mail_client, world, sent, session, smtp_server
):
    owner = session.get(Owner, world.owner_id)
    owner.phone = "039483 999"
    session.commit()
    _, secret = sent
    response = answer(
        owner_mail_client,
        secret,
        answer="yes",
        message="Rufen Sie mich an.",
        consent_share_contact="1",
    )
    assert response.status_code == 200
    messages = smtp_server.wait_for(2)
    by_to = {m["To"]: m for m in messages}
    text = body(by_to[world.initiative_email])
    for expected in ("Ja", "Rufen Sie mich an.", world.owner_name, world.owner_email, "039483 999"):
        assert expected in text
    assert "Galerie im Schaufenster" in text


def test_staff_mail_goes_to_the_town_without_a_sender(
    owner_mail_client, world, session, smtp_server
):
    (item,) = issue(session, world)  # no created_by
    response = answer(owner_mail_client, item.secret, answer="no")
    assert response.status_code == 200
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "leerstand@ballenstedt.example"


def test_a_failing_mail_does_not_undo_the_answer(world, sent, session):
    broken = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    request_id, secret = sent
    response = answer(broken.test_client(), secret, answer="yes", consent_share_contact="1")
    assert response.status_code == 200
    req = reload(session, UseRequest, request_id)
    assert req.answer == "yes"
    assert case_of(session, world).state == "open_to_interim_use"


def test_links_in_mails_ignore_a_forged_host_header(
    owner_mail_client, mail_app, world, sent, smtp_server
):
    """The staff mail's link comes from BASE_URL, never from the request's Host header."""
    request_id, secret = sent
    forged = {"Host": "evil.example"}
    page = owner_mail_client.get(f"/antwort/{secret}", headers=forged).get_data(as_text=True)
    data = {"answer": "yes", "csrf_token": csrf_token(page)}
    url = f"/antwort/anfrage/{request_id}"
    response = owner_mail_client.post(url, data=data, headers=forged)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    (message,) = smtp_server.wait_for(1)
    (link,) = links(message)
    assert link == mail_app.config["BASE_URL"] + f"/verwaltung/anfragen/{request_id}"
    assert "evil.example" not in body(message)


def test_an_answer_rematches_the_building_once(client, world, sent, session, monkeypatch):
    """The owner changes the availability (unit) and the case moves (building): one re-match
    of each unit of the building."""
    from tests.integration.test_interim_use import count_rematches

    other = f.unit(session, session.get(Building, world.building_id), name="OG")
    session.commit()
    _, secret = sent
    calls = count_rematches(monkeypatch)
    later = (local_today() + timedelta(days=40)).isoformat()
    assert answer(client, secret, answer="yes", available_from=later).status_code == 200
    assert sorted(calls["unit"]) == sorted([world.unit_id, other.id])
    assert calls["proposal"] == []
