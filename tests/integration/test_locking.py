"""Optimistic locking end to end: a stale form, an UPDATE that finds a newer version, and a
concurrent save no form view caught — each a 409 with the one message, in the visitor's
language, and nothing written."""

from datetime import date

import pytest
from flask_babel import refresh
from sqlalchemy import func, select, text
from sqlalchemy.orm.exc import StaleDataError

from leerstand.models import ContactEvent
from leerstand.services.contact import cases as contact
from leerstand.services.errors import Conflict
from tests import factories
from tests.conftest import post_form

GERMAN = (
    "Der Datensatz wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu; "
    "Ihre Eingaben wurden nicht gespeichert."
)
ENGLISH = (
    "The record has been changed by someone else in the meantime. Please reload the page; "
    "your entries have not been saved."
)


def _building_form(street: str, version: str) -> dict:
    return {
        "street": street,
        "house_number": "5",
        "postcode": "06493",
        "place": "Ballenstedt",
        "coord_crs": "4326",
        "coord_x": f"{factories.ALLEE[0]}",
        "coord_y": f"{factories.ALLEE[1]}",
        "version": version,
    }


def _save_twice_from_one_page(client, session, base, lang: str) -> tuple[int, str, object]:
    """Two saves of one edit page loaded at version 1: the second is stale."""
    building = factories.building(session, base.municipality, street="Allee", house_number="5")
    session.commit()  # a failed POST rolls the request's session back
    url = f"/verwaltung/gebaeude/{building.id}/bearbeiten"
    refresh()  # the test's app context would keep the language of the login requests
    assert f'lang="{lang}"' in client.get(f"{url}?lang={lang}").get_data(as_text=True)
    first = post_form(client, url, _building_form("Erste Straße", "1"))
    assert first.status_code == 302
    second = post_form(client, url, _building_form("Zweite Straße", "1"))
    return second.status_code, second.get_data(as_text=True), building


def test_stale_form_in_the_english_ui_shows_the_english_message(staff_client, session, base):
    status, html, building = _save_twice_from_one_page(staff_client, session, base, "en")
    assert status == 409
    assert ENGLISH in html and GERMAN not in html
    assert 'value="Zweite Straße"' in html  # the user's input is still there
    session.refresh(building)
    assert (building.street, building.version) == ("Erste Straße", 2)


def test_stale_form_in_the_german_ui_shows_the_german_message(staff_client, session, base):
    status, html, building = _save_twice_from_one_page(staff_client, session, base, "de")
    assert status == 409
    assert GERMAN in html and ENGLISH not in html
    session.refresh(building)
    assert (building.street, building.version) == ("Erste Straße", 2)


def test_update_finding_a_newer_version_is_a_conflict_and_writes_nothing(session, base):
    building = factories.building(session, base.municipality)
    owner = factories.owner(session, base.municipality)
    factories.ownership(session, building, owner)
    case = factories.contact_case(session, building, owner)
    session.commit()
    # someone else saves after this session loaded the case at version 1
    session.execute(text("UPDATE contact_case SET version = 2 WHERE id = :id"), {"id": case.id})
    call = contact.Contact(date(2026, 3, 2), "phone", "out", "Anruf")
    with pytest.raises(Conflict) as refused:
        contact.transition(session, case, None, "contacted", call, version=1)
    assert str(refused.value) == GERMAN
    assert isinstance(refused.value.__cause__, StaleDataError)  # found by the UPDATE itself
    session.rollback()  # as the view does; it also undoes the other save made in this test
    session.refresh(case)
    assert (case.state, case.version) == ("not_contacted", 1)
    events = select(func.count()).where(ContactEvent.case_id == case.id)
    assert session.scalar(events) == 0


@pytest.fixture
def stale_app(throwaway_app):
    """An app with two routes where a concurrent save escapes the view."""
    app = throwaway_app()

    def stale():
        raise StaleDataError("UPDATE statement on table 'unit' expected to update 1 row(s)")

    def conflict():
        raise Conflict(GERMAN)

    app.add_url_rule("/veraltet", "stale_page", stale)
    app.add_url_rule("/api/veraltet", "stale_api", conflict)
    return app


def test_uncaught_concurrent_save_is_a_409_page_not_a_500(stale_app):
    client = stale_app.test_client()
    german = client.get("/veraltet")
    assert german.status_code == 409 and GERMAN in german.get_data(as_text=True)
    english = client.get("/veraltet?lang=en")
    assert english.status_code == 409 and ENGLISH in english.get_data(as_text=True)


def test_uncaught_conflict_in_the_api_is_json_409(stale_app):
    response = stale_app.test_client().get("/api/veraltet")
    assert response.status_code == 409
    assert response.get_json() == {"error": GERMAN, "status": 409}
