"""Buildings and units: services and views on a real PostGIS, CSRF on."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
from pyproj import Transformer
from sqlalchemy import func, select

from leerstand.models import AuditEvent, Building, Unit
from leerstand.services.errors import Conflict, ServiceError
from leerstand.services.register import buildings as service
from leerstand.spatial.geometry import GeometryError, from_db
from tests import factories
from tests.conftest import post_form

LON, LAT = factories.ALLEE
NEW_URL = "/verwaltung/gebaeude/neu"


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _form(**kw) -> dict:
    values = {
        "street": "Allee",
        "house_number": "12a",
        "postcode": "06493",
        "place": "Ballenstedt",
        "coord_crs": "4326",
        "coord_x": f"{LON}",
        "coord_y": f"{LAT}",
        "year_built": "1890",
        "condition": "fair",
        "listed": "1",
        "parcel_id": "150850-001-00012",
    }
    values.update(kw)
    return values


def _square(lon=LON, lat=LAT, d=0.0001) -> dict:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def req(app):
    """Geometry messages are translated: the services need a request context."""
    with app.test_request_context():
        yield


# --- services ------------------------------------------------------------------------------


def test_create_building_picks_nearest_district_and_audits(session, base, req):
    building = service.create_building(session, base.staff.id, base.municipality.id, _form())
    assert building.district.name == "Ballenstedt"
    point = from_db(building.location)
    assert (round(point.x, 6), round(point.y, 6)) == (LON, LAT)
    assert building.listed and building.year_built == 1890
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "building", AuditEvent.entity_id == building.id
        )
    ).one()
    assert event.action == "create" and event.user_id == base.staff.id


def test_create_building_in_utm32_lands_on_the_same_point(session, base, req):
    east, north = Transformer.from_crs(4326, 25832, always_xy=True).transform(LON, LAT)
    form = _form(coord_crs="25832", coord_x=f"{east:.2f}".replace(".", ","), coord_y=f"{north:.2f}")
    building = service.create_building(session, base.staff.id, base.municipality.id, form)
    point = from_db(building.location)
    assert math.isclose(point.x, LON, abs_tol=1e-6) and math.isclose(point.y, LAT, abs_tol=1e-6)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"coord_x": str(factories.OUTSIDE[0]), "coord_y": str(factories.OUTSIDE[1])}, "außerhalb"),
        ({"coord_x": "nan"}, "endliche Zahl"),
        ({"coord_x": "inf"}, "endliche Zahl"),
        ({"coord_y": "95"}, "zwischen -90 und 90"),
        ({"coord_x": "", "coord_y": ""}, "Standort"),
        ({"coord_crs": "3857"}, "Koordinatensystem"),
        ({"year_built": "-5"}, "Baujahr"),
        ({"year_built": "abc"}, "Baujahr"),
        ({"street": ""}, "Straße"),
        ({"district_id": "999999"}, "Ortsteil"),
    ],
)
def test_bad_building_input_is_refused(session, base, req, changes, message):
    with pytest.raises((ServiceError, GeometryError)) as exc:
        service.create_building(session, base.staff.id, base.municipality.id, _form(**changes))
    assert message in str(exc.value)


def test_footprint_validation(session, base, req):
    mid = base.municipality.id
    building = service.create_building(
        session, base.staff.id, mid, _form(footprint_geojson=json.dumps(_square()))
    )
    assert from_db(building.footprint).area > 0
    d = 1e-4
    bow_ring = [[LON, LAT], [LON + d, LAT + d], [LON + d, LAT], [LON, LAT + d], [LON, LAT]]
    bow = {"type": "Polygon", "coordinates": [bow_ring]}
    with pytest.raises(GeometryError, match="überschneidet sich selbst"):
        service.create_building(session, 1, mid, _form(footprint_geojson=json.dumps(bow)))
    unclosed = _square()
    unclosed["coordinates"][0].pop()
    with pytest.raises(GeometryError, match="nicht geschlossen"):
        service.create_building(session, 1, mid, _form(footprint_geojson=json.dumps(unclosed)))
    with pytest.raises(GeometryError, match="außerhalb"):
        far = json.dumps(_square(*factories.OUTSIDE))
        service.create_building(session, 1, mid, _form(footprint_geojson=far))


def test_update_building_checks_version(session, base, req):
    building = factories.building(session, base.municipality)
    form = _form(version=str(building.version), street="Neue Straße")
    service.update_building(session, base.staff.id, building, form)
    assert building.street == "Neue Straße" and building.version == 2
    with pytest.raises(Conflict, match="inzwischen"):
        service.update_building(session, base.staff.id, building, {**form, "version": "1"})


@pytest.mark.parametrize(
    "raw, expected",
    [("1.234,5", Decimal("1234.5")), ("85,5", Decimal("85.5")), ("85.5", Decimal("85.5")),
     ("1.234", Decimal("1234")), ("", None)],
)  # fmt: skip
def test_parse_decimal_german(raw, expected):
    assert service.parse_decimal(raw, "Fläche") == expected


def test_parse_date_both_formats(req):
    assert service.parse_date("01.02.2024", "x") == service.parse_date("2024-02-01", "x")
    with pytest.raises(ServiceError, match="TT.MM.JJJJ"):
        service.parse_date("31.02.2024", "x")


def test_unit_values_validation(req):
    base_values = {"name": "EG", "kind": "shop"}
    assert service.unit_values({**base_values, "area_m2": "1.234,5"})["area_m2"] == Decimal(
        "1234.5"
    )
    for bad in ("0", "-3", "-0,5"):
        with pytest.raises(ServiceError, match="„Fläche“ muss zwischen 0,1 und 999.999,9 m²"):
            service.unit_values({**base_values, "area_m2": bad})
    with pytest.raises(ServiceError, match="Verfügbar bis"):
        service.unit_values(
            {**base_values, "available_from": "01.06.2025", "available_to": "2025-05-01"}
        )
    with pytest.raises(ServiceError, match="Art"):
        service.unit_values({**base_values, "kind": "castle"})


# --- views ---------------------------------------------------------------------------------


def test_new_building_view_creates_and_redirects_to_unit_form(staff_client, session, base):
    before = _count(session, Building)
    response = post_form(staff_client, NEW_URL, _form(house_number="77"))
    assert response.status_code == 302
    assert "/einheiten/neu" in response.headers["Location"]
    assert _count(session, Building) == before + 1
    building = session.scalars(select(Building).where(Building.house_number == "77")).one()
    assert building.municipality_id == base.municipality.id
    page = staff_client.get(response.headers["Location"])
    assert page.status_code == 200 and "Neue Nutzungseinheit" in page.get_data(as_text=True)


def test_new_building_form_has_map_and_csrf(staff_client):
    html = staff_client.get(NEW_URL).get_data(as_text=True)
    assert 'name="csrf_token"' in html and 'id="building-map"' in html
    assert 'data-center="[51.7192, 11.2265]"' in html and 'data-zoom="16"' in html
    assert 'name="coord_crs"' in html and "EPSG:25832" in html
    assert "leaflet.draw.js" in html and "building-form.js" in html
    assert "<script>" not in html and 'style="' not in html


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"coord_x": str(factories.OUTSIDE[0]), "coord_y": str(factories.OUTSIDE[1])}, "außerhalb"),
        ({"coord_x": "NaN"}, "endliche Zahl"),
        ({"coord_y": "95"}, "zwischen -90 und 90"),
        ({"footprint_geojson": '{"type": "Polygon", "coordinates": [[[11.2265, 51.7192], '
          '[11.2266, 51.7193], [11.2266, 51.7192], [11.2265, 51.7193], [11.2265, 51.7192]]]}'},
         "überschneidet sich selbst"),
        ({"footprint_geojson": '{"type": "Polygon", "coordinates": [[[11.2265, 51.7192], '
          '[11.2266, 51.7192], [11.2266, 51.7193], [11.2265, 51.7193]]]}'}, "nicht geschlossen"),
        ({"year_built": "-1"}, "Baujahr"),
    ],
)  # fmt: skip
def test_new_building_bad_input_shows_message_and_writes_nothing(
    staff_client, session, changes, message
):
    buildings, events = _count(session, Building), _count(session, AuditEvent)
    response = post_form(staff_client, NEW_URL, _form(street="Fehlerweg", **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'value="Fehlerweg"' in html  # the input is kept
    assert _count(session, Building) == buildings and _count(session, AuditEvent) == events


def test_wrong_csrf_is_refused(staff_client, session):
    before = _count(session, Building)
    response = staff_client.post(NEW_URL, data={**_form(), "csrf_token": "falsch"})
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in response.get_data(as_text=True)
    assert _count(session, Building) == before


def test_viewer_may_read_but_not_edit(viewer_client, session, base):
    building = factories.building(session, base.municipality)
    unit = factories.unit(session, building)
    assert viewer_client.get(f"/verwaltung/gebaeude/{building.id}").status_code == 200
    for url in (
        NEW_URL,
        f"/verwaltung/gebaeude/{building.id}/bearbeiten",
        f"/verwaltung/gebaeude/{building.id}/einheiten/neu",
        f"/verwaltung/einheiten/{unit.id}/bearbeiten",
    ):
        assert viewer_client.get(url).status_code == 403
        assert viewer_client.post(url, data=_form()).status_code in (400, 403)
    html = viewer_client.get("/verwaltung/register").get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    response = viewer_client.post(NEW_URL, data={**_form(), "csrf_token": token})
    assert response.status_code == 403
    assert _count(session, Building) == 1


def test_other_municipality_is_404(staff_client, session, base):
    foreign = factories.building(session, base.other_municipality, lonlat=(10.05, 50.05))
    foreign_unit = factories.unit(session, foreign)
    for url in (
        f"/verwaltung/gebaeude/{foreign.id}",
        f"/verwaltung/gebaeude/{foreign.id}/bearbeiten",
        f"/verwaltung/gebaeude/{foreign.id}/einheiten/neu",
        f"/verwaltung/einheiten/{foreign_unit.id}/bearbeiten",
    ):
        assert staff_client.get(url).status_code == 404


def test_building_view_shows_facts_units_and_map(staff_client, session, base):
    building = factories.building(
        session, base.municipality, footprint=factories.to_db(from_db_square()), year_built=1901
    )
    factories.unit(session, building, name="EG <Laden>", area_m2=Decimal("1234.5"))
    html = staff_client.get(f"/verwaltung/gebaeude/{building.id}").get_data(as_text=True)
    assert "EG &lt;Laden&gt;" in html and "1.234,5 m²" in html and "1901" in html
    assert 'data-mode="view"' in html and "&#34;Polygon&#34;" in html
    assert "Eigentümer:innen" in html


def from_db_square():
    from shapely.geometry import shape

    return shape(_square())


def test_edit_building_and_conflict(staff_client, session, base):
    building = factories.building(session, base.municipality, street="Allee", house_number="5")
    session.commit()  # a failed POST rolls the request's session back
    url = f"/verwaltung/gebaeude/{building.id}/bearbeiten"
    html = staff_client.get(url).get_data(as_text=True)
    assert 'name="version" value="1"' in html and 'value="Allee"' in html
    first = post_form(staff_client, url, _form(street="Erste Straße", version="1"))
    assert first.status_code == 302
    session.refresh(building)
    assert building.street == "Erste Straße" and building.version == 2
    events = _count(session, AuditEvent)
    second = post_form(staff_client, url, _form(street="Zweite Straße", version="1"))
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "inzwischen von jemand anderem geändert" in html
    assert 'value="Zweite Straße"' in html  # the user's input is still there
    session.refresh(building)
    assert building.street == "Erste Straße" and building.version == 2
    assert _count(session, AuditEvent) == events


def test_unit_create_edit_and_validation(staff_client, session, base):
    building = factories.building(session, base.municipality)
    session.commit()  # a failed POST rolls the request's session back
    url = f"/verwaltung/gebaeude/{building.id}/einheiten/neu"
    data = {
        "name": "EG Laden",
        "kind": "shop",
        "area_m2": "1.234,5",
        "rent_eur_month": "450,50",
        "vacancy_state": "vacant",
        "vacant_since": "01.03.2023",
        "available_from": "2025-01-01",
        "available_to": "2025-12-31",
        "owner_expectation": "costs_only",
        "suitable_uses": ["atelier", "popup", "atelier"],
        "shop_window": "1",
        "power": "1",
    }
    units = _count(session, Unit)
    for bad, message in (
        ({"area_m2": "-5"}, "„Fläche“ muss zwischen 0,1 und 999.999,9 m² liegen"),
        ({"area_m2": "0"}, "„Fläche“ muss zwischen 0,1 und 999.999,9 m² liegen"),
        ({"available_to": "2024-01-01"}, "liegt vor"),
        ({"vacant_since": "32.13.2020"}, "kein Datum"),
    ):
        response = post_form(staff_client, url, {**data, **bad})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert _count(session, Unit) == units
    assert post_form(staff_client, url, data).status_code == 302
    unit = session.scalars(select(Unit).where(Unit.building_id == building.id)).one()
    assert unit.area_m2 == Decimal("1234.5") and unit.rent_eur_month == Decimal("450.50")
    assert unit.suitable_uses == ["popup", "atelier"] and unit.shop_window and not unit.water
    assert unit.vacant_since.isoformat() == "2023-03-01"

    edit_url = f"/verwaltung/einheiten/{unit.id}/bearbeiten"
    html = staff_client.get(edit_url).get_data(as_text=True)
    assert 'value="1234,5"' in html and 'name="version" value="1"' in html
    first = post_form(staff_client, edit_url, {**data, "area_m2": "85,5", "version": "1"})
    assert first.status_code == 302
    stale = post_form(staff_client, edit_url, {**data, "area_m2": "99", "version": "1"})
    assert stale.status_code == 409 and "inzwischen" in stale.get_data(as_text=True)
    session.refresh(unit)
    assert unit.area_m2 == Decimal("85.5") and unit.version == 2
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity == "unit", AuditEvent.entity_id == unit.id
        )
    ).all()
    assert sorted(actions) == ["create", "update"]


def test_concurrent_update_raises_stale_data(session, base, req):
    from sqlalchemy import text
    from sqlalchemy.orm.exc import StaleDataError

    building = factories.building(session, base.municipality)
    session.execute(
        text("UPDATE building SET version = version + 1 WHERE id = :id"), {"id": building.id}
    )
    with pytest.raises(StaleDataError):
        service.update_building(session, 1, building, _form(version="1", street="Später"))


def test_form_map_reads_the_boundary_of_the_users_municipality(staff_client, base):
    html = staff_client.get("/verwaltung/gebaeude/neu").get_data(as_text=True)
    url = f"/api/boundary.geojson?ags={base.municipality.ags}"
    assert f'data-boundary-url="{url}"' in html
    feature = staff_client.get(url).get_json()["features"][0]
    assert feature["properties"]["name"] == "Ballenstedt"
    assert feature["geometry"]["type"] == "MultiPolygon"
