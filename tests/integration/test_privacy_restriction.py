"""Restriction (Art. 18) and objection (Art. 21) of an owner: a restricted owner vanishes from
lists, search and exports and cannot be contacted; an objecting owner gets no use request,
their case cannot move to "kontaktiert", and matching names the reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import AuditEvent, Match, Owner, UseRequest
from leerstand.services.contact import cases
from leerstand.services.errors import ServiceError
from leerstand.services.matching import service as matching
from leerstand.services.matching.reasons import reason_text
from leerstand.services.owners import service as owners
from tests import factories
from tests.conftest import login, post_form

OBJECTION = "Widerspruch gegen Ansprache (Art. 21 DSGVO)"


def _mark(client, owner_id: int, what: str, on: str = "1"):
    url = f"/verwaltung/eigentuemer/{owner_id}/{what}"
    return post_form(client, url, {"on": on}, page=f"/verwaltung/eigentuemer/{owner_id}")


def _send(client, world, owner):
    url = f"/verwaltung/treffer/{world.match.id}/anfragen"
    data = {"owner": str(owner.id), f"channel_{owner.id}": "letter", "message": ""}
    return post_form(client, url, data, page=f"/verwaltung/treffer/{world.match.id}")


def test_restricted_owner_vanishes_from_lists_search_and_exports(client, session, base):
    world = factories.request_world(session, base.municipality)
    name = world.owner.name
    factories.contact_case(session, world.building, world.owner, next_follow_up=local_today())
    factories.use_request(session, world.match, world.owner)
    session.commit()
    login(client, base.admin.email)
    for url in ("/verwaltung/eigentuemer", "/verwaltung/ansprache", "/verwaltung/"):
        assert name in client.get(url).get_data(as_text=True), url
    assert _mark(client, world.owner.id, "sperre").status_code == 302
    stored = session.get(Owner, world.owner.id, populate_existing=True)
    assert stored.restricted_at is not None
    for url in (
        "/verwaltung/eigentuemer",
        f"/verwaltung/eigentuemer?q={name[:6]}",
        f"/verwaltung/gebaeude/{world.building.id}",
        f"/verwaltung/einheiten/{world.unit.id}",
        "/verwaltung/register/export.csv?eigentuemer=1",
        "/verwaltung/register/export.geojson?eigentuemer=1",
        "/verwaltung/ansprache",
        "/verwaltung/",
        "/verwaltung/anfragen/export.csv?eigentuemer=1",
        "/verwaltung/anfragen",
        f"/verwaltung/treffer/{world.match.id}",
    ):
        body = client.get(url).get_data(as_text=True)
        assert name not in body, url
    building = client.get(f"/verwaltung/gebaeude/{world.building.id}").get_data(as_text=True)
    assert "gesperrter Eintrag" in building
    assert world.heir.name in building  # the others stay
    page = client.get(f"/verwaltung/eigentuemer/{world.owner.id}").get_data(as_text=True)
    assert "Gesperrt (Art. 18 DSGVO)" in page and "Sperre aufheben" in page
    # lifted: back in the list
    assert _mark(client, world.owner.id, "sperre", "0").status_code == 302
    assert name in client.get("/verwaltung/eigentuemer").get_data(as_text=True)
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity == "owner", AuditEvent.entity_id == world.owner.id
        )
    ).all()
    assert actions == ["restricted", "unrestricted"]


def test_restricted_owner_page_hidden_from_staff(staff_client, session, base):
    owner = factories.owner(session, base.municipality)
    owner.restricted_at = datetime.now(UTC)
    session.commit()
    assert staff_client.get(f"/verwaltung/eigentuemer/{owner.id}").status_code == 404
    assert staff_client.post(f"/verwaltung/eigentuemer/{owner.id}/sperre").status_code in (
        400,
        403,
    )


def test_restricted_owner_cannot_be_contacted(client, session, base):
    world = factories.request_world(session, base.municipality)
    session.commit()
    login(client, base.admin.email)
    _mark(client, world.owner.id, "sperre")
    response = _send(client, world, world.owner)
    assert response.status_code == 422
    assert "gesperrt (Art. 18 DSGVO)" in response.get_data(as_text=True)
    assert session.scalars(select(UseRequest)).all() == []
    # the same request to the heir is allowed: the other side of the rule
    assert _send(client, world, world.heir).status_code == 200
    assert len(session.scalars(select(UseRequest)).all()) == 1


def test_objection_blocks_requests_and_contacted_and_matching_says_why(client, session, base):
    world = factories.request_world(session, base.municipality)
    session.commit()
    login(client, base.staff.email)  # staff record an objection too
    assert _mark(client, world.owner.id, "widerspruch").status_code == 302
    page = client.get(f"/verwaltung/treffer/{world.match.id}").get_data(as_text=True)
    row = page[page.index(f'data-owner="{world.owner.id}"') :].split("</tr>")[0]
    assert OBJECTION in row and "disabled" in row and "checked" not in row
    heir_row = page[page.index(f'data-owner="{world.heir.id}"') :].split("</tr>")[0]
    assert OBJECTION not in heir_row and "checked" in heir_row
    response = _send(client, world, world.owner)
    assert response.status_code == 422
    assert "widersprochen (Art. 21 DSGVO)" in response.get_data(as_text=True)
    case = owners.ensure_case(session, None, world.building, world.owner)
    contact = cases.Contact(occurred_on=local_today(), summary="Brief geschickt")
    with pytest.raises(ServiceError, match="Art. 21"):
        cases.transition(session, case, None, "contacted", contact, case.version)


def test_matching_names_the_objection_only_when_nobody_else_can_be_asked(session, base):
    world = factories.request_world(session, base.municipality)
    session.commit()
    for owner in (world.owner, world.heir):
        owner.objected_at = owner.created_at
    session.flush()
    matching.rematch_units_of_building(session, world.building)
    match = session.scalar(select(Match).where(Match.unit_id == world.unit.id))
    texts = [str(reason_text(reason)) for reason in match.reasons]
    assert any(OBJECTION in text for text in texts), texts
    world.heir.objected_at = None  # one owner left who may be asked
    session.flush()
    matching.rematch_units_of_building(session, world.building)
    session.refresh(match)
    texts = [str(reason_text(reason)) for reason in match.reasons]
    assert not any(OBJECTION in text for text in texts), texts
