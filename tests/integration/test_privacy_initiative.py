"""An initiative deletes its own account: personal data gone, sessions ended, its published
ideas either stay under "Initiative (gelöscht)" or are withdrawn, as it chose."""

from __future__ import annotations

from sqlalchemy import select

from leerstand.models import AuditEvent, Initiative, LoginSession, Proposal
from tests import factories
from tests.conftest import post_form
from tests.initiatives import INITIATIVE_PASSWORD, initiative, login_initiative

URL = "/initiative/konto-loeschen"


def _setup(session, base, client):
    ini = initiative(
        session,
        base.municipality,
        name="Kunstkollektiv Morgenrot",
        phone="0170 2223334",
        website="https://morgenrot.example",
        profile="Wir machen Kunst.",
    )
    idea = factories.proposal(session, ini, state="published", title="Galerie Morgenrot")
    session.commit()
    assert login_initiative(client, ini.email).status_code == 302
    return ini, idea


def _delete(client, **data):
    payload = {"ideas": "keep", "password": INITIATIVE_PASSWORD, **data}
    return post_form(client, URL, payload)


def _assert_erased(session, ini_id: int, email: str):
    stored = session.get(Initiative, ini_id, populate_existing=True)
    assert stored.name == "Initiative (gelöscht)"
    assert (stored.contact_person, stored.phone, stored.website, stored.profile) == ("", "", "", "")
    assert stored.email == f"geloescht-{ini_id}@invalid" and stored.email != email
    assert not stored.check_password(INITIATIVE_PASSWORD)
    open_sessions = session.scalars(
        select(LoginSession).where(
            LoginSession.initiative_id == ini_id, LoginSession.ended_at.is_(None)
        )
    ).all()
    assert open_sessions == []


def test_delete_keeping_ideas(client, session, base):
    ini, idea = _setup(session, base, client)
    email = ini.email
    page = client.get("/initiative/profil").get_data(as_text=True)
    assert URL in page
    confirm = client.get(URL).get_data(as_text=True)
    assert "Was gelöscht wird" in confirm and "Initiative (gelöscht)" in confirm
    response = _delete(client)
    assert response.status_code == 302
    _assert_erased(session, ini.id, email)
    stored_idea = session.get(Proposal, idea.id, populate_existing=True)
    assert stored_idea.state == "published"
    public = client.get(f"/ideen/{idea.id}")
    body = public.get_data(as_text=True)
    assert public.status_code == 200 and "Galerie Morgenrot" in body
    assert "Kunstkollektiv Morgenrot" not in body and "0170 2223334" not in body
    assert client.get("/initiative/profil").status_code == 302  # logged out
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.entity == "initiative", AuditEvent.entity_id == ini.id)
    )
    assert event.action == "delete" and event.changes == {"ideas": [None, "keep"]}
    assert login_initiative(client, email).status_code != 302


def test_delete_withdrawing_ideas(client, session, base):
    ini, idea = _setup(session, base, client)
    email = ini.email
    response = _delete(client, ideas="withdraw")
    assert response.status_code == 302
    _assert_erased(session, ini.id, email)
    assert session.get(Proposal, idea.id, populate_existing=True).state == "withdrawn"


def test_wrong_password_or_no_choice_deletes_nothing(client, session, base):
    ini, _idea = _setup(session, base, client)
    response = _delete(client, password="falsch-falsch-falsch")
    assert response.status_code == 422
    assert "Das Passwort stimmt nicht" in response.get_data(as_text=True)
    response = _delete(client, ideas="")
    assert response.status_code == 422
    assert "Bitte wählen Sie" in response.get_data(as_text=True)
    stored = session.get(Initiative, ini.id, populate_existing=True)
    assert stored.name == "Kunstkollektiv Morgenrot" and stored.phone == "0170 2223334"
