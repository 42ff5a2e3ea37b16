"""Use requests, staff side: sending by e-mail (real SMTP) and letter (code, letterhead, QR),
the refusals (nothing written), the contact case, the match partial, roles and towns."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import segno
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import AuditEvent, Building, ContactCase, Match, Owner, UseRequest
from leerstand.services.errors import ServiceError
from leerstand.services.use_requests import send as service
from leerstand.services.use_requests.tokens import hash_secret, normalise_code
from tests import factories as f
from tests.integration.use_requests_common import (
    counts,
    ident,
    issue,
    send_form,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.smtp import body, links

CODE_RE = re.compile(r'class="answer-code">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})<')
QR_RE = re.compile(r'<div class="qr-code" data-url="([^"]+)">(<svg.*?</svg>)</div>', re.S)


def _requests(session, match_id: int) -> list[UseRequest]:
    stmt = select(UseRequest).where(UseRequest.match_id == match_id).order_by(UseRequest.id)
    return list(session.scalars(stmt.execution_options(populate_existing=True)))


def _case(session, world, owner_id: int) -> ContactCase:
    stmt = select(ContactCase).where(
        ContactCase.building_id == world.building_id, ContactCase.owner_id == owner_id
    )
    return session.scalar(stmt.execution_options(populate_existing=True))


def test_send_by_email_and_letter(mail_staff, mail_app, world, session, smtp_server, base):
    base_url = mail_app.config["BASE_URL"]  # links come from it, never from the Host header
    owner_id, heir_id, match_id = world.owner_id, world.heir_id, world.match_id
    response = send_form(
        mail_staff, match_id, {owner_id: "email", heir_id: "letter"}, "Bitte melden Sie sich!"
    )
    assert response.status_code == 200  # the letters, shown right away
    html = response.get_data(as_text=True)
    requests = _requests(session, match_id)
    assert {(r.owner_id, r.channel) for r in requests} == {(owner_id, "email"), (heir_id, "letter")}
    assert world.manager_id not in {r.owner_id for r in requests}  # the manager gets none
    by_owner = {r.owner_id: r for r in requests}
    for req in requests:
        assert req.message == "Bitte melden Sie sich!"
        assert req.created_by_id == ident(base.staff)
        assert req.issue_count == 1 and req.answered_at is None
        assert req.expires_at - req.sent_at == timedelta(days=30)
        assert len(req.token_hash) == 64

    # the e-mail: a personal link whose token's hash is stored, nothing else
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == world.owner_email
    text = body(message)
    assert "Galerie im Schaufenster" in text and "Bitte melden Sie sich!" in text
    (link,) = [url for url in links(message) if "/antwort/" in url]
    assert link.startswith(f"{base_url}/antwort/")
    token = link.rsplit("/antwort/", 1)[1]
    assert hash_secret(token) == by_owner[owner_id].token_hash
    assert token not in str(by_owner[owner_id].token_hash)

    # the letter: code, letterhead, address, QR code of /antwort/<CODE>
    (code,) = CODE_RE.findall(html)
    plain = normalise_code(code)
    assert hash_secret(plain) == by_owner[heir_id].token_hash
    for expected in (
        "Stadt Ballenstedt",
        "Rathausplatz 12, 06493 Ballenstedt",
        "leerstand@ballenstedt.example",
        "039483 123-45",
        "Maria Beispiel, Wirtschaftsförderung",
        world.heir_name,
        "Musterweg 1",
        "06493 Ballenstedt",
        "Galerie im Schaufenster",
        world.initiative_name,
        "Bitte melden Sie sich!",
        local_today().strftime("%d.%m.%Y"),
        f"{base_url}/antwort",
        "nicht gespeichert",
    ):
        assert expected in html, expected
    ((qr_url, svg),) = QR_RE.findall(html)
    assert qr_url == f"{base_url}/antwort/{plain}"
    reference = segno.make(qr_url, error="m", micro=False).svg_inline(
        scale=4, border=4, svgclass="qr", lineclass=None, omitsize=True
    )
    assert svg == reference
    assert "style=" not in svg and "<script" not in html.split("</main>")[0].split("<main")[1]


def test_sending_moves_the_contact_cases_and_logs(world, session, base):
    today = local_today()
    issue(session, world, {world.owner_id: "email", world.heir_id: "letter"}, user=base.staff)
    for owner_id, channel in ((world.owner_id, "email"), (world.heir_id, "letter")):
        case = _case(session, world, owner_id)
        assert case.state == "contacted"
        assert case.next_follow_up == today + timedelta(days=14)
        (event,) = case.events
        assert (event.channel, event.direction, event.to_state) == (channel, "out", "contacted")
        assert "Nutzungsanfrage" in event.summary and "Galerie im Schaufenster" in event.summary
        assert event.user_id == ident(base.staff)
    req = _requests(session, world.match_id)[0]
    assert req.case_id == _case(session, world, world.owner_id).id
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "use_request", AuditEvent.entity_id == req.id)
    ).one()
    assert audit.action == "create" and audit.changes["token_hash"] == [None, "neu"]


def test_sending_to_an_owner_in_dialogue_logs_without_state_change(world, session):
    case = f.contact_case(
        session,
        session.get(Building, world.building_id),
        session.get(Owner, world.owner_id),
        state="in_dialogue",
    )
    session.commit()
    issue(session, world)
    case = _case(session, world, world.owner_id)
    assert case.state == "in_dialogue"
    assert case.next_follow_up == local_today() + timedelta(days=14)
    (event,) = case.events
    assert event.to_state is None and event.direction == "out" and event.channel == "email"


@pytest.mark.parametrize(
    "setup, choose, message",
    [
        ("suggested", "email", "vorgemerkten Treffer"),
        ("dismissed", "email", "vorgemerkten Treffer"),
        ("open_exists", "email", "bereits eine offene Anfrage"),
        ("none", "no_one", "mindestens eine"),
        ("manager", "manager", "keine Hausverwaltung"),
        ("ok", "heir_email", "keine E-Mail-Adresse"),
        ("ok", "bad_channel", "E-Mail oder Brief"),
    ],
)
def test_send_refusals_write_nothing(staff_client, world, session, setup, choose, message):
    match_id = world.match_id
    if setup in ("suggested", "dismissed"):
        session.get(Match, match_id).status = setup
        session.commit()
    if setup == "open_exists":
        issue(session, world)
    choices = {
        "email": {world.owner_id: "email"},
        "no_one": {},
        "manager": {world.manager_id: "email"},
        "heir_email": {world.heir_id: "email"},
        "bad_channel": {world.owner_id: "fax"},
    }[choose]
    before = counts(session)
    response = send_form(staff_client, match_id, choices)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts(session) == before


def test_building_without_owners_is_refused(staff_client, session, base, world):
    municipality = session.get(type(base.municipality), ident(base.municipality))
    building = f.building(session, municipality)
    unit = f.unit(session, building)
    f.ownership(session, building, session.get(Owner, world.manager_id), role="manager")
    match = Match(
        municipality_id=municipality.id,
        proposal_id=world.proposal_id,
        unit_id=unit.id,
        score=50,
        reasons=[],
        status="shortlisted",
    )
    session.add(match)
    session.commit()
    match_id = match.id
    page = staff_client.get(f"/verwaltung/treffer/{match_id}/anfragen").get_data(as_text=True)
    assert "keine Eigentümer:in erfasst" in page
    before = counts(session)
    response = send_form(staff_client, match_id, {world.manager_id: "email"})
    assert response.status_code == 422
    assert "keine Eigentümer:in erfasst" in response.get_data(as_text=True)
    assert counts(session) == before


def test_service_refuses_a_second_open_request_but_allows_one_after_revoking(world, session):
    (first,) = issue(session, world)
    with pytest.raises(ServiceError, match="bereits eine offene Anfrage"):
        issue(session, world)
    session.rollback()
    req = session.get(UseRequest, first.request_id)
    service.revoke(session, req, None, datetime.now(UTC))
    session.commit()
    (second,) = issue(session, world)
    assert second.request_id != first.request_id
