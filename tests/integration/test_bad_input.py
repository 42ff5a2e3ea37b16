"""Hostile or broken input never gives a 500: huge ids and numbers, NUL bytes, malformed
outlines; and the app behind a reverse proxy (PROXY_COUNT)."""

from __future__ import annotations

import json

import pytest
from flask import request, url_for
from sqlalchemy import func, select
from werkzeug.middleware.proxy_fix import ProxyFix

from leerstand.models import AuditEvent, Building, Owner
from leerstand.spatial.geometry import from_db
from tests import factories
from tests.conftest import csrf_token, post_form

LON, LAT = factories.ALLEE
D = 0.0001
NEW_BUILDING = "/verwaltung/gebaeude/neu"


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- huge numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/verwaltung/gebaeude/9999999999",
        "/verwaltung/gebaeude/2147483648/bearbeiten",
        "/verwaltung/einheiten/99999999999999999999/bearbeiten",
        "/verwaltung/eigentuemer/9999999999",
        "/verwaltung/ansprache/9999999999",
        "/leerstand/9999999999",
        "/ideen/9999999999",
    ],
)
def test_ids_beyond_a_database_integer_are_404(staff_client, url):
    assert staff_client.get(url).status_code == 404


def test_largest_database_integer_is_still_an_id(staff_client):
    assert staff_client.get("/verwaltung/gebaeude/2147483647").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/verwaltung/ansprache?responsible=999999999999",
        "/verwaltung/ansprache?responsible=-4",
        "/verwaltung/ansprache?responsible=abc",
        "/verwaltung/protokoll?page=99999999999999999999",
        "/verwaltung/protokoll?page=-1",
        "/verwaltung/register?page=99999999999999999999",
        "/verwaltung/register?district_id=99999999999",
        "/verwaltung/register.geojson?focus_area_id=99999999999",
    ],
)
def test_huge_numbers_in_query_strings_are_ignored(staff_client, url):
    assert staff_client.get(url).status_code == 200


def test_huge_responsible_filter_lists_every_case(staff_client, session, base):
    building = factories.building(session, base.municipality)
    owner = factories.owner(session, base.municipality, name="Hanna Riesig")
    factories.contact_case(session, building, owner)
    session.commit()
    page = staff_client.get("/verwaltung/ansprache?responsible=999999999999")
    assert "Hanna Riesig" in page.get_data(as_text=True)


# --- NUL bytes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/verwaltung/register?q=a%00b", "/verwaltung/eigentuemer?q=%00", "/?kind%00=shop"]
)
def test_nul_bytes_in_the_query_are_a_400(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 400
    assert "Die Anfrage ist ungültig" in response.get_data(as_text=True)


def test_nul_bytes_in_an_api_query_are_a_json_400(client):
    response = client.get("/api/units.geojson?ags=%00")
    assert response.status_code == 400
    assert response.get_json()["status"] == 400


def test_nul_byte_in_a_posted_owner_name_writes_nothing(staff_client, session):
    owners, events = _count(session, Owner), _count(session, AuditEvent)
    form = {"name": "Erika\x00Muster", "kind": "person", "preferred_channel": "letter"}
    response = post_form(staff_client, "/verwaltung/eigentuemer/neu", form)
    assert response.status_code == 400
    assert _count(session, Owner) == owners and _count(session, AuditEvent) == events


# --- malformed outlines --------------------------------------------------------------------


def _building_form(footprint) -> dict:
    return {
        "street": "Umrissweg",
        "house_number": "1",
        "coord_crs": "4326",
        "coord_x": str(LON),
        "coord_y": str(LAT),
        "footprint_geojson": json.dumps({"type": "Polygon", "coordinates": footprint}),
    }


@pytest.mark.parametrize(
    "footprint, message",
    [
        ([[[1], [2], [3], [1]]], "zwei oder drei Zahlen"),
        ([[[LON, LAT], [LON + D, LAT, 5], [LON + D, LAT + D], [LON, LAT]]], "gleich viele"),
        ([[[LON, LAT, 1, 2], [LON + D, LAT], [LON + D, LAT + D], [LON, LAT, 1, 2]]], "zwei oder"),
        ([[[LON, LAT], [LON + D, LAT], [LON + D, LAT + D], [LON, LAT]], 7], "keine Koordinaten"),
        ([[[LON, LAT], [LON + D, True], [LON + D, LAT + D], [LON, LAT]]], "keine Zahlen"),
    ],
)
def test_malformed_footprint_gets_a_message_and_writes_nothing(
    staff_client, session, footprint, message
):
    buildings, events = _count(session, Building), _count(session, AuditEvent)
    response = post_form(staff_client, NEW_BUILDING, _building_form(footprint))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(session, Building) == buildings and _count(session, AuditEvent) == events


def test_footprint_with_heights_is_stored_flat(staff_client, session):
    ring = [[LON, LAT, 120], [LON + D, LAT, 121], [LON + D, LAT + D, 122], [LON, LAT, 120]]
    response = post_form(staff_client, NEW_BUILDING, _building_form([ring]))
    assert response.status_code == 302
    building = session.scalar(select(Building).where(Building.street == "Umrissweg"))
    footprint = from_db(building.footprint)
    assert not footprint.has_z and footprint.area > 0


# --- behind a reverse proxy ----------------------------------------------------------------


def test_without_proxy_count_forwarded_headers_are_not_trusted(app):
    assert not isinstance(app.wsgi_app, ProxyFix)


def test_behind_one_proxy_the_forwarded_client_and_scheme_count(throwaway_app):
    proxied = throwaway_app(PROXY_COUNT=1)
    assert isinstance(proxied.wsgi_app, ProxyFix)
    seen = {}

    def probe(environ, start_response):  # stands in for Flask behind the ProxyFix
        with proxied.request_context(environ):
            seen["addr"] = request.remote_addr
            seen["url"] = url_for("public.index", _external=True)
        start_response("204 No Content", [])
        return [b""]

    proxied.wsgi_app.app = probe
    headers = {
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "leerstand.example.de",
    }
    proxied.test_client().get("/", headers=headers)
    assert seen == {"addr": "203.0.113.7", "url": "https://leerstand.example.de/"}


def test_behind_one_proxy_rate_limits_count_per_client(throwaway_app, base):
    limited = throwaway_app(PROXY_COUNT=1, RATELIMIT_ENABLED=True)
    client = limited.test_client()

    def attempt(address: str) -> int:
        headers = {"X-Forwarded-For": address}
        token = csrf_token(client.get("/login", headers=headers).get_data(as_text=True))
        data = {"email": "x@example.org", "password": "y", "csrf_token": token}
        return client.post("/login", data=data, headers=headers).status_code

    codes = [attempt("198.51.100.1") for _ in range(21)]
    assert codes[-1] == 429 and set(codes[:20]) == {401}
    assert attempt("198.51.100.2") == 401  # another client behind the same proxy
