"""Owner consents on the staff owner page: give, withdraw, audit; the public map follows."""

from __future__ import annotations

from sqlalchemy import select

from leerstand.models import AuditEvent, Consent
from tests import factories
from tests.conftest import csrf_token, login, post_form


def _setup(session, base):
    owner = factories.owner(session, base.municipality, name="Erika Einwilligung")
    building = factories.building(session, base.municipality)
    factories.ownership(session, building, owner)
    unit = factories.unit(session, building, publishable=True)
    session.commit()
    return owner, unit


def _post(client, owner_id: int, **data):
    url = f"/verwaltung/eigentuemer/{owner_id}/einwilligungen"
    payload = {
        "scope": "public_map",
        "action": "give",
        "channel": "letter",
        "text_version": "2026-01",
    }
    payload.update(data)
    return post_form(client, url, payload, page=f"/verwaltung/eigentuemer/{owner_id}")


def _public_ids(client) -> set[int]:
    return {f["id"] for f in client.get("/api/units.geojson").get_json()["features"]}


def test_owner_page_shows_consent_section(staff_client, session, base):
    owner, _unit = _setup(session, base)
    html = staff_client.get(f"/verwaltung/eigentuemer/{owner.id}").get_data(as_text=True)
    assert "Einwilligungen" in html
    assert "Anzeige auf der öffentlichen Karte" in html
    assert f"/verwaltung/eigentuemer/{owner.id}/einwilligungen" in html


def test_give_and_withdraw_public_map_consent(staff_client, session, base):
    owner, unit = _setup(session, base)
    assert unit.id not in _public_ids(staff_client)

    response = _post(staff_client, owner.id, channel="email")
    assert response.status_code == 302
    row = session.scalar(select(Consent).where(Consent.owner_id == owner.id))
    assert row.active and row.channel == "email" and row.text_version == "2026-01"
    assert row.recorded_by_id == base.staff.id
    assert unit.id in _public_ids(staff_client)
    html = staff_client.get(f"/verwaltung/eigentuemer/{owner.id}").get_data(as_text=True)
    assert "Einwilligung erfasst." in html

    _post(staff_client, owner.id, action="withdraw", text_version="")
    session.refresh(row)
    assert not row.active and row.withdrawn_at is not None
    assert unit.id not in _public_ids(staff_client)

    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity == "consent", AuditEvent.entity_id == row.id
        )
    ).all()
    assert actions == ["consent_given", "consent_withdrawn"]


def test_bad_input_is_refused_with_a_message(staff_client, session, base):
    owner, _unit = _setup(session, base)
    for data, words in [
        ({"scope": "everything"}, "Art der Einwilligung"),
        ({"channel": "pigeon"}, "auf welchem Weg"),
        ({"text_version": ""}, "Fassung des Einwilligungstextes"),
        ({"action": "withdraw"}, "keine Einwilligung vor"),
    ]:
        response = _post(staff_client, owner.id, **data)
        assert response.status_code == 302
        html = staff_client.get(response.headers["Location"]).get_data(as_text=True)
        assert words in html
    assert session.scalar(select(Consent).where(Consent.owner_id == owner.id)) is None


def test_viewer_may_not_record_consent(viewer_client, session, base):
    owner, _unit = _setup(session, base)
    html = viewer_client.get(f"/verwaltung/eigentuemer/{owner.id}").get_data(as_text=True)
    assert "Anzeige auf der öffentlichen Karte" in html
    assert f"/eigentuemer/{owner.id}/einwilligungen" not in html
    token_page = viewer_client.get("/verwaltung/register").get_data(as_text=True)
    response = viewer_client.post(
        f"/verwaltung/eigentuemer/{owner.id}/einwilligungen",
        data={"scope": "public_map", "action": "give", "channel": "letter",
              "text_version": "x", "csrf_token": csrf_token(token_page)},
    )  # fmt: skip
    assert response.status_code == 403


def test_other_municipality_owner_is_404(client, session, base):
    owner, _unit = _setup(session, base)
    login(client, base.stranger.email)
    html = client.get("/verwaltung/register").get_data(as_text=True)
    response = client.post(
        f"/verwaltung/eigentuemer/{owner.id}/einwilligungen",
        data={"scope": "public_map", "action": "give", "channel": "letter",
              "text_version": "x", "csrf_token": csrf_token(html)},
    )  # fmt: skip
    assert response.status_code == 404


def test_post_without_csrf_token_is_refused(staff_client, session, base):
    owner, _unit = _setup(session, base)
    response = staff_client.post(
        f"/verwaltung/eigentuemer/{owner.id}/einwilligungen",
        data={"scope": "public_map", "action": "give", "channel": "letter", "text_version": "x"},
    )
    assert response.status_code == 400
    assert session.scalar(select(Consent).where(Consent.owner_id == owner.id)) is None
