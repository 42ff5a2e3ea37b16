"""Issue 11: every message a form can show is translated. The staff forms of the register
(building, unit, owner, link to a building, consent, contact case) and the register's filters,
with the English interface: bad input is answered with the English message (numbers in the
English format, field names translated) and nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from leerstand.dates import local_today
from leerstand.models import (
    AuditEvent,
    Building,
    Consent,
    ContactCase,
    ContactEvent,
    Owner,
    Ownership,
    Unit,
)
from tests import factories
from tests.conftest import post_form

LON, LAT = factories.ALLEE
NEW_BUILDING = "/verwaltung/gebaeude/neu"


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def english(staff_client):
    """The staff user with the English interface (``?lang=en`` stays for the session)."""
    assert staff_client.get("/verwaltung/?lang=en").status_code == 200
    return staff_client


@pytest.fixture
def building(session, base):
    obj = factories.building(session, base.municipality)
    session.commit()
    return obj


def _building_form(**overrides) -> dict:
    data = {"street": "Prüfweg", "house_number": "1", "coord_crs": "4326"}
    return {"coord_x": str(LON), "coord_y": str(LAT), **data, **overrides}


def _page(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"year_built": "700"},
            "Year of construction 700 is not possible (allowed: 800 to today).",
        ),
        (
            {"street": "x" * 1000},
            "“Street” is too long: at most 120 characters (entered: 1,000).",
        ),
        ({"district_id": "zwei"}, "District: “zwei” is not a whole number."),
        (
            {"coord_x": "", "coord_y": ""},
            "Please set the location on the map or enter coordinates.",
        ),
        ({"coord_x": "elf"}, "Longitude is not a number: “elf”."),
    ],
)
def test_building_form_in_english(english, session, overrides, message):
    buildings, events = _count(session, Building), _count(session, AuditEvent)
    response = post_form(english, NEW_BUILDING, _building_form(**overrides))
    assert response.status_code == 422
    assert message in _page(response)
    assert _count(session, Building) == buildings
    assert _count(session, AuditEvent) == events


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"area_m2": "0,04"},
            "“Area” must be between 0.1 and 999,999.9 m²; 0,04 rounds to 0.0 m².",
        ),
        (
            {"available_from": "2027-03-01", "available_to": "2027-02-01"},
            "“Available until” is before “Available from”. Please check the dates.",
        ),
        ({"name": ""}, "Please enter a label for the unit (e.g. “Ground floor shop”)."),
        ({"kind": "castle"}, "Please choose a value from the list for “Type”."),
    ],
)
def test_unit_form_in_english(english, session, building, overrides, message):
    form = {"name": "EG Laden", "kind": "shop", "vacancy_state": "vacant", **overrides}
    response = post_form(english, f"/verwaltung/gebaeude/{building.id}/einheiten/neu", form)
    assert response.status_code == 422
    assert message in _page(response)
    assert _count(session, Unit, Unit.building_id == building.id) == 0


def test_owner_form_in_english(english, session):
    owners = _count(session, Owner)
    form = {"kind": "person", "name": "Erika Englisch", "email": "keine-adresse"}
    form["preferred_channel"] = "letter"
    response = post_form(english, "/verwaltung/eigentuemer/neu", form)
    assert response.status_code == 422
    assert "The email address does not look valid (example: name@example.org)." in _page(response)
    assert _count(session, Owner) == owners


def test_owner_link_in_english(english, session, base, building):
    first = factories.owner(session, base.municipality)
    second = factories.owner(session, base.municipality)
    session.commit()
    url = f"/verwaltung/gebaeude/{building.id}/eigentuemer"
    ok = post_form(english, url, {"owner_id": first.id, "role": "owner", "share": "60 %"})
    assert ok.status_code == 302

    too_much = post_form(english, url, {"owner_id": second.id, "role": "owner", "share": "0,5"})
    assert too_much.status_code == 422
    assert (
        "The shares of all owners of this building would add up to more than 1 "
        "(already assigned: 0.6). Please check the share."
    ) in _page(too_much)
    no_number = post_form(english, url, {"owner_id": second.id, "role": "owner", "share": "viel"})
    assert no_number.status_code == 422
    assert "The share “viel” is not a number. Examples: 1/2, 0.5 or 50 %." in _page(no_number)
    assert _count(session, Ownership, Ownership.owner_id == second.id) == 0
    assert _count(session, ContactCase, ContactCase.owner_id == second.id) == 0


def test_consent_form_in_english(english, session, base):
    owner = factories.owner(session, base.municipality)
    session.commit()
    url = f"/verwaltung/eigentuemer/{owner.id}/einwilligungen"
    data = {"scope": "public_map", "action": "withdraw", "channel": "letter", "text_version": ""}
    response = post_form(
        english, url, data, page=f"/verwaltung/eigentuemer/{owner.id}", follow_redirects=True
    )
    assert "There is no consent of this type that could be withdrawn." in _page(response)
    data.update(action="give", text_version="x" * 41)
    response = post_form(
        english, url, data, page=f"/verwaltung/eigentuemer/{owner.id}", follow_redirects=True
    )
    assert "The text version may have at most 40 characters." in _page(response)
    assert _count(session, Consent, Consent.owner_id == owner.id) == 0


@pytest.fixture
def case(session, base):
    building = factories.building(session, base.municipality)
    owner = factories.owner(session, base.municipality)
    factories.ownership(session, building, owner)
    case = factories.contact_case(session, building, owner)
    session.commit()
    return case


def test_contact_case_forms_in_english(english, session, case):
    url = f"/verwaltung/ansprache/{case.id}"
    data = {"to_state": "agreement", "version": "1", "summary": "Sofort einig"}
    response = post_form(english, url + "/status", data, page=url)
    assert response.status_code == 422
    assert (
        "Cannot change directly from “not contacted” to “agreement”. "
        "Allowed: “contacted”, “unreachable”."
    ) in _page(response)

    yesterday = local_today() - timedelta(days=1)
    data = {"follow_up": yesterday.isoformat(), "version": "1"}
    response = post_form(english, url + "/wiedervorlage", data, page=url)
    assert response.status_code == 422
    assert "The follow-up date must not be in the past." in _page(response)

    data = {"summary": "Telefonat", "occurred_on": "32.13.2026", "version": "1"}
    response = post_form(english, url + "/kontakt", data, page=url)
    assert response.status_code == 422
    assert "Date: “32.13.2026” is not a date. Please enter DD.MM.YYYY." in _page(response)

    data = {"follow_up": "morgen", "version": "1"}
    response = post_form(english, url + "/wiedervorlage", data, page=url)
    assert response.status_code == 422
    assert "Follow-up date: “morgen” is not a date. Please enter DD.MM.YYYY." in _page(response)

    stored = session.get(ContactCase, case.id, populate_existing=True)
    assert stored.state == "not_contacted" and stored.next_follow_up is None
    assert stored.version == 1
    assert _count(session, ContactEvent, ContactEvent.case_id == case.id) == 0


def test_register_filters_in_english(english, session):
    events = _count(session, AuditEvent)
    page = _page(english.get("/verwaltung/register?vacant_months=viele&sort=preis&kind=castle"))
    assert (
        "Filter “vacant for more than … months”: “viele” is not a whole number. "
        "The filter is ignored."
    ) in page
    assert "Unknown sort order “preis”; sorted by address." in page
    assert "Filter “Type”: the unknown value “castle” is ignored." in page
    assert _count(session, AuditEvent) == events
