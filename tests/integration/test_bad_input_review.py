"""Defects from the security review (issue 8), on the real forms: deeply nested or huge
outlines, numbers that only leave their column's range when rounded, and text longer than a
field's limit. Each gets a German message (422) and nothing is written."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from leerstand.models import AuditEvent, Building, Initiative, Owner, Ownership, Proposal, Unit
from leerstand.spatial.geometry import from_db
from tests import factories
from tests.conftest import post_form
from tests.initiatives import area_form, initiative, login_initiative, proposal_form

LON, LAT = factories.ALLEE
NEW_BUILDING = "/verwaltung/gebaeude/neu"
NEW_PROPOSAL = "/initiative/ideen/neu"
NESTED = "[" * 100_000


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _building_form(**overrides) -> dict:
    data = {"street": "Prüfweg", "house_number": "1", "coord_crs": "4326"}
    data.update({"coord_x": str(LON), "coord_y": str(LAT), **overrides})
    return data


def _ring(corners: int) -> list[list[float]]:
    """A closed ring of ``corners`` positions (corners - 1 distinct points on a circle of about
    140 m around the Allee), 7 decimals as drawn outlines have."""
    n = corners - 1
    points = [
        [
            round(LON + 0.002 * math.cos(2 * math.pi * i / n), 7),
            round(LAT + 0.0012 * math.sin(2 * math.pi * i / n), 7),
        ]
        for i in range(n)
    ]
    return [*points, points[0]]


def _outline(corners: int) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [_ring(corners)]})


@pytest.fixture
def me(client, base, session):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    return ini


# --- 1. nested and huge outlines -----------------------------------------------------------


def test_deeply_nested_footprint_is_refused_in_german(staff_client, session):
    buildings, events = _count(session, Building), _count(session, AuditEvent)
    form = _building_form(footprint_geojson=NESTED)
    response = post_form(staff_client, NEW_BUILDING, form)
    assert response.status_code == 422
    assert "Der Umriss ist zu tief verschachtelt" in response.get_data(as_text=True)
    assert _count(session, Building) == buildings and _count(session, AuditEvent) == events


def test_deeply_nested_proposal_area_is_refused_in_german(client, me, session):
    before = _count(session, Proposal)
    response = post_form(
        client, NEW_PROPOSAL, proposal_form(location_kind="area", area_geojson=NESTED)
    )
    assert response.status_code == 422
    assert "Der Umriss ist zu tief verschachtelt" in response.get_data(as_text=True)
    assert _count(session, Proposal) == before


def test_footprint_with_10000_corners_is_stored(staff_client, session):
    response = post_form(
        staff_client, NEW_BUILDING, _building_form(footprint_geojson=_outline(10_000))
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    building = session.scalar(select(Building).where(Building.street == "Prüfweg"))
    assert len(from_db(building.footprint).exterior.coords) == 10_000


def test_footprint_with_10001_corners_is_refused(staff_client, session):
    buildings = _count(session, Building)
    form = _building_form(footprint_geojson=_outline(10_001))
    response = post_form(staff_client, NEW_BUILDING, form)
    assert response.status_code == 422
    assert "zu viele Eckpunkte (10.001, höchstens 10.000)" in response.get_data(as_text=True)
    assert _count(session, Building) == buildings


def test_proposal_area_with_10001_corners_is_refused(client, me, session):
    before = _count(session, Proposal)
    response = post_form(
        client, NEW_PROPOSAL, proposal_form(location_kind="area", area_geojson=_outline(10_001))
    )
    assert response.status_code == 422
    assert "zu viele Eckpunkte" in response.get_data(as_text=True)
    assert _count(session, Proposal) == before


# --- 2. numbers checked after rounding to the column -----------------------------------------


@pytest.fixture
def building(session, base):
    obj = factories.building(session, base.municipality)
    session.commit()
    return obj


def _unit_form(**overrides) -> dict:
    return {"name": "EG Laden", "kind": "shop", "vacancy_state": "vacant", **overrides}


def _new_unit(staff_client, building, **overrides):
    return post_form(
        staff_client, f"/verwaltung/gebaeude/{building.id}/einheiten/neu", _unit_form(**overrides)
    )


def _stored_unit(session, building) -> Unit:
    return session.scalars(select(Unit).where(Unit.building_id == building.id)).one()


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("rent_eur_month", "9999999,99", Decimal("9999999.99")),
        ("rent_eur_month", "9999999,994", Decimal("9999999.99")),
        ("rent_eur_month", "0", Decimal("0.00")),
        ("area_m2", "0,05", Decimal("0.1")),
        ("area_m2", "999999,94", Decimal("999999.9")),
    ],
)
def test_unit_numbers_at_the_edge_are_stored_rounded(
    staff_client, session, building, field, typed, stored
):
    assert _new_unit(staff_client, building, **{field: typed}).status_code == 302
    assert getattr(_stored_unit(session, building), field) == stored


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "rent_eur_month",
            "9999999,999",
            "„Miete“ muss zwischen 0,00 und 9.999.999,99 € liegen; "
            "9999999,999 ergibt gerundet 10.000.000,00 €.",
        ),
        ("rent_eur_month", "9999999,995", "„Miete“ muss zwischen 0,00 und 9.999.999,99 € liegen"),
        ("rent_eur_month", "-0,005", "-0,005 ergibt gerundet -0,01 €"),
        (
            "area_m2",
            "0,04",
            "„Fläche“ muss zwischen 0,1 und 999.999,9 m² liegen; 0,04 ergibt gerundet 0,0 m².",
        ),
        ("area_m2", "999999,95", "999999,95 ergibt gerundet 1.000.000,0 m²"),
        ("area_m2", "1e999999999", "(eingegeben: 1e999999999)"),
    ],
)
def test_unit_numbers_beyond_the_edge_are_refused(
    staff_client, session, building, field, typed, message
):
    units, events = _count(session, Unit), _count(session, AuditEvent)
    response = _new_unit(staff_client, building, **{field: typed})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(session, Unit) == units and _count(session, AuditEvent) == events


@pytest.mark.parametrize(
    ("overrides", "field", "stored"),
    [
        (
            {"budget_kind": "rent", "budget_eur_month": "9999999,99"},
            "budget_eur_month",
            Decimal("9999999.99"),
        ),
        ({"area_min": "0,04"}, "area_min", Decimal("0.0")),
        ({"area_min": "0,05"}, "area_min", Decimal("0.1")),
        ({"area_max": "100000,04"}, "area_max", Decimal("100000.0")),
    ],
)
def test_proposal_numbers_at_the_edge_are_stored_rounded(
    client, me, session, overrides, field, stored
):
    response = post_form(client, NEW_PROPOSAL, proposal_form(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    proposal = session.scalars(select(Proposal).where(Proposal.initiative_id == me.id)).one()
    assert getattr(proposal, field) == stored


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"budget_kind": "rent", "budget_eur_month": "9999999,999"},
            "„Betrag pro Monat“ muss zwischen 0,00 und 9.999.999,99 € liegen",
        ),
        ({"budget_eur_month": "9999999,995"}, "ergibt gerundet 10.000.000,00 €"),
        (
            {"area_max": "100000,05"},
            "„Fläche bis“ muss zwischen 0,0 und 100.000,0 m² liegen; "
            "100000,05 ergibt gerundet 100.000,1 m².",
        ),
    ],
)
def test_proposal_numbers_beyond_the_edge_are_refused(client, me, session, overrides, message):
    before = _count(session, Proposal)
    response = post_form(client, NEW_PROPOSAL, proposal_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(session, Proposal) == before


@pytest.mark.parametrize(
    ("typed", "stored"), [("0,00005", Decimal("0.0001")), ("1,00004", Decimal("1.0000"))]
)
def test_ownership_share_at_the_edge_is_stored_rounded(
    staff_client, session, base, building, typed, stored
):
    owner = factories.owner(session, base.municipality)
    session.commit()
    url = f"/verwaltung/gebaeude/{building.id}/eigentuemer"
    form = {"owner_id": str(owner.id), "role": "co_owner", "share": typed}
    assert post_form(staff_client, url, form).status_code == 302
    assert session.scalar(select(Ownership.share).where(Ownership.owner_id == owner.id)) == stored


@pytest.mark.parametrize("typed", ["0,00004", "1,00005"])
def test_ownership_share_beyond_the_edge_is_refused(staff_client, session, base, building, typed):
    owner = factories.owner(session, base.municipality)
    session.commit()
    url = f"/verwaltung/gebaeude/{building.id}/eigentuemer"
    response = post_form(
        staff_client, url, {"owner_id": str(owner.id), "role": "co_owner", "share": typed}
    )
    assert response.status_code == 422
    assert "muss mindestens 0,0001 und höchstens 1 (100 %) sein" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).where(Ownership.owner_id == owner.id)) == 0


# --- 4. text longer than the field's limit -------------------------------------------------


def _too_long(response, label: str, limit: str, typed: str) -> None:
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"„{label}“ ist zu lang: höchstens {limit} Zeichen (eingegeben: {typed})." in html


def test_building_street_of_120_is_saved_121_refused(staff_client, session):
    ok = post_form(staff_client, NEW_BUILDING, _building_form(street="S" * 120))
    assert ok.status_code == 302
    assert session.scalar(select(Building.street).where(Building.street.like("SSS%"))) == "S" * 120
    buildings = _count(session, Building)
    refused = post_form(staff_client, NEW_BUILDING, _building_form(street="T" * 121))
    _too_long(refused, "Straße", "120", "121")
    assert 'value="' + "T" * 121 + '"' in refused.get_data(as_text=True)  # what was typed stays
    assert _count(session, Building) == buildings


def test_building_notes_of_400000_characters_are_refused(staff_client, session):
    buildings = _count(session, Building)
    response = post_form(staff_client, NEW_BUILDING, _building_form(notes="n" * 400_000))
    _too_long(response, "Notizen (intern)", "10.000", "400.000")
    assert _count(session, Building) == buildings


def test_unit_name_of_120_is_saved_121_refused(staff_client, session, building):
    units = _count(session, Unit)
    _too_long(_new_unit(staff_client, building, name="U" * 121), "Bezeichnung", "120", "121")
    assert _count(session, Unit) == units
    assert _new_unit(staff_client, building, name="U" * 120).status_code == 302
    assert _stored_unit(session, building).name == "U" * 120


def test_owner_name_of_200_is_saved_201_refused(staff_client, session):
    url = "/verwaltung/eigentuemer/neu"
    form = {"kind": "person", "preferred_channel": "letter"}
    owners = _count(session, Owner)
    _too_long(post_form(staff_client, url, {**form, "name": "O" * 201}), "Name", "200", "201")
    megabyte = post_form(staff_client, url, {**form, "name": "M" * 1_048_576})
    _too_long(megabyte, "Name", "200", "1.048.576")
    assert _count(session, Owner) == owners
    assert post_form(staff_client, url, {**form, "name": "O" * 200}).status_code == 302
    assert session.scalar(select(Owner.name).where(Owner.name.like("OOO%"))) == "O" * 200


def test_proposal_title_of_160_is_saved_161_refused(client, me, session):
    before = _count(session, Proposal)
    _too_long(
        post_form(client, NEW_PROPOSAL, proposal_form(title="I" * 161)), "Titel", "160", "161"
    )
    assert _count(session, Proposal) == before
    assert post_form(client, NEW_PROPOSAL, area_form(title="I" * 160)).status_code == 302
    assert (
        session.scalar(select(Proposal.title).where(Proposal.initiative_id == me.id)) == "I" * 160
    )


REGISTRATION = {
    "contact_person": "Jana Test",
    "email": "lang@example.org",
    "password": "sehr-geheim-42",
    "password2": "sehr-geheim-42",
}


def test_initiative_name_of_200_is_saved_201_refused(client, session):
    url = "/initiative/registrieren"
    before = _count(session, Initiative)
    _too_long(
        post_form(client, url, {**REGISTRATION, "name": "N" * 201}),
        "Name der Initiative / Organisation",
        "200",
        "201",
    )
    assert _count(session, Initiative) == before
    assert post_form(client, url, {**REGISTRATION, "name": "N" * 200}).status_code == 302
    stored = session.scalar(select(Initiative.name).where(Initiative.email == "lang@example.org"))
    assert stored == "N" * 200


def test_a_405_names_the_allowed_methods_on_pages_and_in_the_api(client):
    """RFC 9110: a 405 carries Allow (the German error page used to drop it)."""
    api = client.post("/api/units.geojson")
    assert api.status_code == 405
    assert set(api.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert api.get_json() == {"error": "Diese Aktion ist hier nicht erlaubt.", "status": 405}
    page = client.delete("/")
    assert page.status_code == 405
    assert set(page.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "Diese Aktion ist hier nicht erlaubt." in page.get_data(as_text=True)
    assert client.get("/gibt-es-nicht").headers.get("Allow") is None
