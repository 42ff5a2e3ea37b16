"""Erasure of an owner (Art. 17): the owner's name, phone and e-mail appear on no page, export,
API response or mail copy afterwards, while buildings, units, counts and the audit trail's
actions stay; the append-only trigger refuses everything outside the erasure path."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from leerstand.dates import local_today
from leerstand.models import AuditEvent, Consent, ContactEvent, Owner, Unit, User, UseRequest
from leerstand.services.accounts import api_tokens
from leerstand.services.contact import cases
from leerstand.services.owners import service as owners
from tests import factories
from tests.conftest import OUTBOX, PASSWORD, login, post_form

NAME = "Gundula Geheimrath"
PHONE = "0391 987654321"
EMAIL = "gundula.geheimrath@example.org"
OTTO = {"kind": "person", "name": "Otto Anders", "preferred_channel": "letter"}
MARK = "SELECT set_config('leerstand.erasure', :m, true)"


def _dpo(session, base) -> User:
    user = User(
        email="dpo@test.example", name="Test DSB", role="dpo", municipality_id=base.municipality.id
    )
    user.set_password(PASSWORD)
    session.add(user)
    session.commit()
    return user


def _world(session, base):
    """An owner created through the service (audit entries carry the values), with a contact
    case whose log names them, a consent and an answered use request."""
    world = factories.request_world(session, base.municipality)
    owner = owners.create_owner(
        session,
        base.municipality.id,
        base.staff.id,
        {
            "kind": "person",
            "name": NAME,
            "contact_person": "",
            "street": "Geheimweg 7",
            "postcode": "06493",
            "city": "Ballenstedt",
            "email": EMAIL,
            "phone": PHONE,
            "preferred_channel": "email",
            "notes": f"Erreichbar unter {PHONE}",
        },
    )
    owners.link_owner(
        session, base.municipality.id, base.staff.id, world.building.id, owner.id, "owner", ""
    )
    case = owners.ensure_case(session, base.staff.id, world.building, owner)
    contact = cases.Contact(
        occurred_on=local_today(),
        channel="phone",
        direction="out",
        summary=f"{NAME} angerufen ({PHONE})",
        outcome=f"will Mail an {EMAIL}",
    )
    cases.transition(session, case, base.staff.id, "contacted", contact, case.version)
    factories.consent(session, owner)
    req = factories.answered_request(
        session, world.match, owner, answer_message=f"Gruß, {NAME}", message=f"Hallo {NAME}"
    )
    req.case_id = case.id
    session.commit()
    return world, owner, case, req


def _erase(client, owner_id: int):
    url = f"/verwaltung/eigentuemer/{owner_id}/loeschen"
    return post_form(client, url, {"confirm": "yes"})


def _pages(world, owner, case, req) -> list[str]:
    return [
        "/verwaltung/",
        "/verwaltung/eigentuemer",
        f"/verwaltung/eigentuemer?q={NAME[:5]}",
        f"/verwaltung/eigentuemer/{owner.id}",
        f"/verwaltung/gebaeude/{world.building.id}",
        f"/verwaltung/einheiten/{world.unit.id}",
        "/verwaltung/register",
        "/verwaltung/register.geojson",
        "/verwaltung/ansprache",
        f"/verwaltung/ansprache/{case.id}",
        "/verwaltung/anfragen",
        f"/verwaltung/anfragen/{req.id}",
        f"/verwaltung/treffer/{world.match.id}",
        "/verwaltung/protokoll",
        "/verwaltung/register/export.csv?eigentuemer=1",
        "/verwaltung/register/export.geojson?eigentuemer=1",
        "/verwaltung/anfragen/export.csv?eigentuemer=1",
        "/verwaltung/treffer/export.csv",
        "/api/units.geojson",
        "/api/buildings.geojson",
        "/api/places?q=Geheim",
        f"/verwaltung/eigentuemer/{owner.id}/auskunft",
    ]


STAFF_OGC = (
    "/ogc/verwaltung/collections/units/items?limit=1000",
    "/ogc/verwaltung/collections/buildings/items?limit=1000",
    "/ogc/verwaltung/collections/units/items?f=html",
)


def _zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return "\n".join(bundle.read(name).decode("utf-8") for name in bundle.namelist())


def _assert_erased_in_bundle_and_ogc(client, session, base, owner_id: int) -> None:
    """The Art. 15 answer about the erased owner and the staff OGC collections name nobody."""
    zipped = client.get(f"/verwaltung/eigentuemer/{owner_id}/auskunft.zip")
    assert zipped.status_code == 200
    _row, raw = api_tokens.create(session, base.staff, "GIS", 30, datetime.now(UTC))
    session.commit()
    bodies = {"auskunft.zip": _zip_text(zipped.data)}
    for url in STAFF_OGC:
        response = client.get(url, headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 200, url
        bodies[url] = response.get_data(as_text=True)
    assert "gelöscht" in bodies["auskunft.zip"]
    for url, body in bodies.items():
        for secret in (NAME, PHONE, EMAIL, "Geheimweg"):
            assert secret not in body, (url, secret)


def test_erasure_leaves_no_name_phone_or_email_anywhere(client, session, base):
    world, owner, case, req = _world(session, base)
    mail_copy = f"{OUTBOX}/20260101T000000-erasure.eml"
    with open(mail_copy, "w") as handle:
        handle.write(f"To: {EMAIL}\nSubject: Anfrage\n\nSehr geehrte Frau {NAME}\n")
    dpo = _dpo(session, base)
    login(client, dpo.email)
    before = client.get(f"/verwaltung/eigentuemer/{owner.id}").get_data(as_text=True)
    assert NAME in before and PHONE in before  # the test would notice the name
    bundle_before = _zip_text(client.get(f"/verwaltung/eigentuemer/{owner.id}/auskunft.zip").data)
    assert NAME in bundle_before and EMAIL in bundle_before
    units_before = session.scalar(select(text("count(*)")).select_from(Unit))

    response = _erase(client, owner.id)
    assert response.status_code == 302

    for url in _pages(world, owner, case, req):
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        body = resp.get_data(as_text=True)
        for secret in (NAME, PHONE, EMAIL, "Geheimweg"):
            assert secret not in body, (url, secret)
    _assert_erased_in_bundle_and_ogc(client, session, base, owner.id)
    assert not os.path.exists(mail_copy)
    # what stays: the building with its units and ownerships, the states, the actions
    stored = session.get(Owner, owner.id, populate_existing=True)
    assert stored.name == "gelöscht" and stored.phone == "" and stored.email == ""
    assert stored.erased_at is not None and len(stored.ownerships) == 1
    assert session.scalar(select(text("count(*)")).select_from(Unit)) == units_before
    event = session.scalar(select(ContactEvent).where(ContactEvent.case_id == case.id))
    assert (event.to_state, event.summary, event.outcome) == ("contacted", "gelöscht", "")
    consent = session.scalar(select(Consent).where(Consent.owner_id == owner.id))
    assert consent.withdrawn_at is not None
    stored_req = session.get(UseRequest, req.id, populate_existing=True)
    assert (stored_req.answer, stored_req.answer_message, stored_req.message) == ("yes", "", "")
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity == "owner", AuditEvent.entity_id == owner.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "link", "erased"]
    erased = session.scalar(select(AuditEvent).where(AuditEvent.action == "erased"))
    assert erased.user_id == dpo.id and erased.changes == {}
    created = session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity == "owner",
            AuditEvent.entity_id == owner.id,
            AuditEvent.action == "create",
        )
    )
    assert created.changes["name"] == [None, "gelöscht"]
    assert created.changes["kind"] == [None, "person"]  # not personal: kept


def test_staff_may_not_erase(staff_client, session, base):
    _world_, owner, _case, _req = _world(session, base)
    url = f"/verwaltung/eigentuemer/{owner.id}/loeschen"
    assert staff_client.get(url).status_code == 403
    page = staff_client.get(f"/verwaltung/eigentuemer/{owner.id}").get_data(as_text=True)
    assert url not in page and "Widerspruch erfassen" in page


def test_erasure_confirmation(client, session, base):
    _world_, owner, _case, _req = _world(session, base)
    login(client, base.admin.email)
    page = client.get(f"/verwaltung/eigentuemer/{owner.id}/loeschen").get_data(as_text=True)
    assert "Was gelöscht wird" in page and "Was bleibt" in page
    url = f"/verwaltung/eigentuemer/{owner.id}/loeschen"
    response = post_form(client, url, {})
    assert response.status_code == 422
    assert "Bitte bestätigen Sie" in response.get_data(as_text=True)
    assert session.get(Owner, owner.id, populate_existing=True).erased_at is None
    assert _erase(client, owner.id).status_code == 302
    assert session.get(Owner, owner.id, populate_existing=True).erased_at is not None


def _refused(session, sql: str, marker: int | None = None, **params):
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        if marker is not None:
            session.execute(text(MARK), {"m": str(marker)})
        session.execute(text(sql), params)


def test_trigger_refuses_everything_outside_the_path(session, base):
    _world_, owner, case, _req = _world(session, base)
    other = owners.create_owner(session, base.municipality.id, None, OTTO)
    building = factories.building(session, base.municipality)
    other_case = factories.contact_case(session, building, other)
    cases.record_contact(
        session,
        other_case,
        None,
        cases.Contact(occurred_on=local_today(), summary="Otto Anders am Telefon"),
        other_case.version,
    )
    session.flush()
    # without the marker: no UPDATE, no DELETE
    _refused(session, "UPDATE contact_event SET summary = 'x' WHERE case_id = :c", c=case.id)
    _refused(session, "DELETE FROM contact_event WHERE case_id = :c", c=case.id)
    _refused(session, "UPDATE audit_event SET changes = '{}' WHERE entity_id = :o", o=owner.id)
    _refused(session, "DELETE FROM audit_event WHERE entity_id = :o", o=owner.id)
    # with the marker of one owner: still no DELETE, no other owner's rows, no other column
    me = owner.id
    _refused(session, "DELETE FROM contact_event WHERE case_id = :c", me, c=case.id)
    _refused(session, "DELETE FROM audit_event WHERE entity_id = :o", me, o=owner.id)
    _refused(
        session, "UPDATE contact_event SET summary = 'x' WHERE case_id = :c", me, c=other_case.id
    )
    _refused(
        session, "UPDATE contact_event SET to_state = 'declined' WHERE case_id = :c", me, c=case.id
    )
    _refused(
        session,
        "UPDATE audit_event SET action = 'x' WHERE entity = 'owner' AND entity_id = :o",
        me,
        o=owner.id,
    )
    _refused(
        session,
        "UPDATE audit_event SET changes = '{}' WHERE entity = 'owner' AND entity_id = :o",
        me,
        o=other.id,
    )
    # the path: the marked owner's texts may change
    with session.begin_nested():
        session.execute(text(MARK), {"m": str(owner.id)})
        session.execute(
            text("UPDATE contact_event SET summary = 'gelöscht' WHERE case_id = :c"),
            {"c": case.id},
        )
        session.execute(text(MARK), {"m": ""})
    summary = session.scalar(
        select(ContactEvent.summary).where(ContactEvent.case_id == other_case.id)
    )
    assert summary == "Otto Anders am Telefon"


def test_erase_function_leaves_other_owners_alone(session, base):
    _world_, owner, _case, _req = _world(session, base)
    other = owners.create_owner(session, base.municipality.id, None, OTTO)
    session.execute(text("SELECT leerstand_erase_owner(:o, NULL)"), {"o": owner.id})
    created = session.scalar(
        select(AuditEvent).where(AuditEvent.entity_id == other.id, AuditEvent.entity == "owner")
    )
    assert created.changes["name"] == [None, "Otto Anders"]
    # the marker is gone after the function: a plain UPDATE is refused again
    _refused(session, "UPDATE contact_event SET summary = 'x'")


def test_erased_owner_cannot_be_erased_twice(client, session, base):
    _world_, owner, _case, _req = _world(session, base)
    login(client, base.admin.email)
    assert _erase(client, owner.id).status_code == 302
    response = _erase(client, owner.id)
    assert response.status_code == 422
    assert "bereits gelöscht" in response.get_data(as_text=True)
    erased = session.scalars(select(AuditEvent).where(AuditEvent.action == "erased")).all()
    assert len(erased) == 1
    url = f"/verwaltung/eigentuemer/{owner.id}/bearbeiten"
    data = {**OTTO, "version": str(session.get(Owner, owner.id, populate_existing=True).version)}
    response = post_form(client, url, data)
    assert response.status_code == 422
    assert "kann nicht bearbeitet werden" in response.get_data(as_text=True)
    assert session.get(Owner, owner.id, populate_existing=True).name == "gelöscht"


def test_owner_without_data_after_erasure_expires_nothing(session, base):
    """The owner's consent given before stays ended, a request's dates stay."""
    _world_, owner, _case, req = _world(session, base)
    sent = req.sent_at
    session.execute(text("SELECT leerstand_erase_owner(:o, NULL)"), {"o": owner.id})
    stored = session.get(UseRequest, req.id, populate_existing=True)
    assert stored.sent_at == sent and stored.answered_at is not None
    assert stored.answered_at > sent - timedelta(days=1)
