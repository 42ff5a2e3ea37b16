"""Messages of the use-request, proposal, interim-use, account and privacy forms in the English
interface: bad input gets the English message (parameters too: names, dates, numbers, state
labels) and writes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from leerstand.dates import day, local_today
from leerstand.models import Initiative, InterimUse, Municipality, Owner, Proposal, UseRequest
from tests import factories as f
from tests.conftest import login, post_form
from tests.initiatives import initiative, login_initiative, proposal_form
from tests.initiatives import reload as reload_obj
from tests.integration.test_interim_use import form as interim_form
from tests.integration.test_interim_use import in_days
from tests.integration.use_requests_common import (
    answer,
    counts,
    ident,
    issue,
    row,
    send_form,
    world_fixture,  # noqa: F401 (the fixture "world")
)


def english(client):
    """Switch the client's session to the English interface."""
    assert client.get("/?lang=en").status_code == 200
    return client


def text_of(response) -> str:
    return response.get_data(as_text=True)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- use requests (staff) ----------------------------------------------------------------------


def test_send_without_an_owner(staff_client, world, session):
    english(staff_client)
    before = counts(session)
    response = send_form(staff_client, world.match_id, {})
    assert response.status_code == 422
    assert "Please choose at least one owner." in text_of(response)
    assert counts(session) == before


def test_send_by_email_to_an_owner_without_address(staff_client, world, session):
    owner = session.get(Owner, world.heir_id)  # the heir has no e-mail address
    english(staff_client)
    before = counts(session)
    response = send_form(staff_client, world.match_id, {world.heir_id: "email"})
    assert response.status_code == 422
    expected = f"No email address is recorded for “{owner.name}”. Please choose the letter."
    assert expected in text_of(response)
    assert counts(session) == before


def test_revoking_twice_names_the_state_in_english(staff_client, world, session):
    (item,) = issue(session, world)
    url = f"/verwaltung/anfragen/{item.request_id}"
    assert post_form(staff_client, url + "/zurueckziehen", {}, page=url).status_code == 302
    english(staff_client)
    before = row(session, item.request_id), counts(session)
    again = post_form(staff_client, url + "/zurueckziehen", {}, page=url)
    assert again.status_code == 422
    assert "Only an open request can be withdrawn; this one is “withdrawn”." in text_of(again)
    assert (row(session, item.request_id), counts(session)) == before


def test_paper_answer_from_the_future(staff_client, world, session):
    (item,) = issue(session, world, {world.owner_id: "letter"})
    english(staff_client)
    before = row(session, item.request_id), counts(session)
    url = f"/verwaltung/anfragen/{item.request_id}"
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    data = {"answer": "yes", "answer_channel": "paper", "received_on": tomorrow}
    response = post_form(staff_client, url + "/antwort", data, page=url)
    assert response.status_code == 422
    assert "“Received on” must not be in the future." in text_of(response)
    assert (row(session, item.request_id), counts(session)) == before


def test_paper_answer_before_the_request_was_sent(staff_client, world, session):
    (item,) = issue(session, world, {world.owner_id: "letter"})
    english(staff_client)
    before = row(session, item.request_id), counts(session)
    url = f"/verwaltung/anfragen/{item.request_id}"
    earlier = (local_today() - timedelta(days=3)).isoformat()
    data = {"answer": "yes", "answer_channel": "paper", "received_on": earlier}
    response = post_form(staff_client, url + "/antwort", data, page=url)
    assert response.status_code == 422
    sent = day(session.get(UseRequest, item.request_id).created_at)
    expected = f"“Received on” is before the request was sent ({sent}). Please check the date."
    assert expected in text_of(response)
    assert (row(session, item.request_id), counts(session)) == before


# --- the owner's answer page (/antwort) --------------------------------------------------------


def test_owner_answer_with_a_bad_date(client, world, session):
    (item,) = issue(session, world)
    english(client)
    before = row(session, item.request_id), counts(session)
    response = answer(client, item.secret, answer="yes", available_from="31.02.2027")
    assert response.status_code == 422
    assert "Available from: “31.02.2027” is not a date. Please enter DD.MM.YYYY." in text_of(
        response
    )
    assert (row(session, item.request_id), counts(session)) == before


# --- proposals (initiative) and moderation (staff) ---------------------------------------------


def test_proposal_without_a_title(client, base, session):
    me = initiative(session, base.municipality)
    login_initiative(client, me.email)
    english(client)
    before = _count(session, Proposal)
    response = post_form(client, "/initiative/ideen/neu", proposal_form(title="  "))
    assert response.status_code == 422
    assert "Please enter a title for the idea." in text_of(response)
    assert _count(session, Proposal) == before


def test_proposal_radius_in_the_readers_number_format(client, base, session):
    me = initiative(session, base.municipality)
    login_initiative(client, me.email)
    english(client)
    before = _count(session, Proposal)
    response = post_form(client, "/initiative/ideen/neu", proposal_form(radius_m="30000"))
    assert response.status_code == 422
    assert "The radius must be between 50 and 20,000 m." in text_of(response)
    assert _count(session, Proposal) == before


def test_moderation_reject_without_a_reason(staff_client, base, session):
    ini = initiative(session, base.municipality)
    proposal = Proposal(
        initiative_id=ini.id,
        municipality_id=ini.municipality_id,
        title="Galerie im Schaufenster",
        use_kind="exhibition",
        location_kind="districts",
        state="submitted",
    )
    session.add(proposal)
    session.commit()
    english(staff_client)
    url = f"/verwaltung/ideen-pruefen/{proposal.id}"
    response = post_form(staff_client, url + "/ablehnen", {"reason": "  "}, page=url)
    assert response.status_code == 422
    expected = "Please give a reason for the rejection; it will be sent to the initiative."
    assert expected in text_of(response)
    stored = reload_obj(session, proposal)
    assert (stored.state, stored.rejection_reason) == ("submitted", "")


# --- interim uses (staff) ----------------------------------------------------------------------


def _unit_world(session, base):
    municipality = session.get(Municipality, ident(base.municipality))
    unit = f.unit(session, f.building(session, municipality), vacancy_state="vacant")
    ini = f.initiative(session, municipality, confirmed=True, name="Jugendtreff Allee")
    session.commit()
    return unit, ini


def test_interim_use_without_an_initiative(staff_client, base, session):
    unit, _ini = _unit_world(session, base)
    english(staff_client)
    url = f"/verwaltung/einheiten/{unit.id}/zwischennutzung"
    response = post_form(staff_client, url, interim_form(initiative_id="", proposal_id=""))
    assert response.status_code == 422
    assert "Please choose the initiative from the list." in text_of(response)
    assert _count(session, InterimUse) == 0


def test_interim_use_ending_before_it_starts(staff_client, base, session):
    unit, ini = _unit_world(session, base)
    english(staff_client)
    url = f"/verwaltung/einheiten/{unit.id}/zwischennutzung"
    data = interim_form(
        initiative_id=str(ini.id), proposal_id="", starts_on=in_days(20), ends_on=in_days(5)
    )
    response = post_form(staff_client, url, data)
    assert response.status_code == 422
    start, end = (day(local_today() + timedelta(days=n)) for n in (20, 5))
    expected = f"The end ({end}) is before the start ({start}). Please check the dates."
    assert expected in text_of(response)
    assert _count(session, InterimUse) == 0


# --- accounts and privacy ----------------------------------------------------------------------


def test_registration_with_a_bad_website(client, session):
    english(client)
    before = _count(session, Initiative)
    data = {
        "name": "Jugendclub Test e.V.",
        "contact_person": "Jana Test",
        "email": "jana@example.org",
        "password": "sehr-geheim-42",
        "password2": "sehr-geheim-42",
        "website": "jugendclub.example.org",
        "profile": "Wir suchen einen Raum.",
    }
    response = post_form(client, "/initiative/registrieren", data)
    assert response.status_code == 422
    expected = "The website must start with http:// or https:// (e.g. https://example.org)."
    assert expected in text_of(response)
    assert _count(session, Initiative) == before


def test_deleting_the_initiative_account_with_a_wrong_password(client, base, session):
    me = initiative(session, base.municipality)
    login_initiative(client, me.email)
    english(client)
    data = {"password": "falsch-falsch", "ideas": "keep"}
    response = post_form(client, "/initiative/konto-loeschen", data)
    assert response.status_code == 422
    expected = "The password is incorrect. Please enter your current password to confirm."
    assert expected in text_of(response)
    stored = reload_obj(session, me)
    assert (stored.name, stored.email) == (me.name, me.email)


def test_erasing_the_municipality_itself(client, base, session):
    municipality = session.get(Municipality, ident(base.municipality))
    town = f.owner(session, municipality, name="Stadt Ballenstedt", is_municipality=True)
    session.commit()
    login(client, base.admin.email)
    english(client)
    url = f"/verwaltung/eigentuemer/{town.id}/loeschen"
    response = post_form(client, url, {"confirm": "yes"})
    assert response.status_code == 422
    expected = (
        "The municipality itself is not a person and cannot be erased. "
        "Please untick “Municipality” first if the entry is a person."
    )
    assert expected in text_of(response)
    stored = reload_obj(session, town)
    assert (stored.name, stored.erased_at) == ("Stadt Ballenstedt", None)
