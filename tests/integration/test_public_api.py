"""The public GeoJSON API: only public units and published proposals, only allowlisted fields,
filters, bbox, paging, ETag, and a German JSON 400 for every bad parameter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from leerstand.services.public.geojson import PROPOSAL_PROPERTIES, UNIT_PROPERTIES
from tests.integration import public_world
from tests.integration.public_world import SECRETS, TODAY

UNITS = "/api/units.geojson"
PROPOSALS = "/api/proposals.geojson"


@pytest.fixture
def world(session, base):
    return public_world.build(session, base)


def geojson(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/geo+json"
    return response.get_json()


def ids(client, url: str) -> set[int]:
    return {feature["id"] for feature in geojson(client, url)["features"]}


def assert_no_secrets(body: str) -> None:
    for secret in SECRETS:
        assert secret not in body, secret


def test_units_are_exactly_the_public_ones(client, world):
    response = client.get(UNITS)
    body = response.get_data(as_text=True)
    assert ids(client, UNITS) == set(world.public.values())
    assert_no_secrets(body)
    data = response.get_json()
    assert data["type"] == "FeatureCollection" and "crs" not in data
    for feature in data["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert set(feature["properties"]) == set(UNIT_PROPERTIES)
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 11.1 < lon < 11.4 and 51.6 < lat < 51.8  # RFC 7946: lon, lat


def test_unit_properties_are_rounded_and_labelled(client, world):
    features = {f["id"]: f["properties"] for f in geojson(client, UNITS)["features"]}
    shop = features[world.public["consent"]]
    assert shop["area_m2"] == 85  # 83 m² rounded to 5 m² steps
    assert shop["kind_label"] == "Ladenlokal"
    assert shop["district"] == "Ballenstedt"
    assert shop["house_number"]
    assert shop["url"] == f"http://localhost/leerstand/{shop['id']}"  # absolute: BASE_URL
    assert features[world.public["municipal"]]["area_m2"] == 40
    assert features[world.public["interim"]]["vacancy_label"] == "in Zwischennutzung"


def test_withdrawing_consent_hides_the_unit(client, session, world):
    from leerstand.models import Consent, Unit

    owner_id = session.get(Unit, world.public["consent"]).building.ownerships[0].owner_id
    row = session.query(Consent).filter_by(owner_id=owner_id).one()
    row.withdrawn_at = row.given_at + timedelta(days=1)
    session.flush()
    assert world.public["consent"] not in ids(client, UNITS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=shop", {"consent"}),
        ("kind=office", {"municipal"}),
        ("area_min=50", {"consent", "interim"}),
        ("area_max=50", {"municipal"}),
        ("area_min=50&area_max=100", {"consent"}),
        ("street_level=1", {"consent"}),
        ("step_free=1", {"municipal"}),
        (f"available_from={(TODAY + timedelta(days=5)).isoformat()}", {"municipal"}),
        (f"available_from={(TODAY + timedelta(days=150)).isoformat()}",
         {"consent", "municipal", "interim"}),
        (f"available_from={(TODAY + timedelta(days=500)).isoformat()}", {"consent", "municipal"}),
        ("bbox=11.22,51.71,11.235,51.725", {"consent"}),
        ("bbox=11.0,50.0,11.1,50.1", set()),
    ],
)  # fmt: skip
def test_filters(client, world, query, expected):
    assert ids(client, f"{UNITS}?{query}") == {world.public[k] for k in expected}


def test_district_filter(client, base, world):
    badeborn = base.districts["Badeborn"].id
    assert ids(client, f"{UNITS}?district={badeborn}") == {
        world.public["municipal"],
        world.public["interim"],
    }


def test_limit_and_offset(client, world):
    ordered = sorted(world.public.values())
    assert ids(client, f"{UNITS}?limit=2") == set(ordered[:2])
    assert ids(client, f"{UNITS}?limit=2&offset=2") == set(ordered[2:])
    assert ids(client, f"{UNITS}?offset=10") == set()


def test_etag_gives_304(client, world):
    first = client.get(UNITS)
    etag = first.headers["ETag"]
    again = client.get(UNITS, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get(f"{UNITS}?kind=shop", headers={"If-None-Match": etag})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "keine Zahl"),
        ("bbox=11,51,12,95", "Breitengrad 95"),
        ("bbox=200,51,201,52", "Längengrad 200"),
        ("bbox=12,51,11,52", "Minimum ist größer"),
        ("bbox=nan,51,12,52", "endliche"),
        ("limit=-1", "limit"),
        ("limit=10001", "10000"),
        ("limit=abc", "keine ganze Zahl"),
        ("offset=-5", "offset"),
        ("kind=castle", "unbekannte Art „castle“"),
        ("district=abc", "keine ganze Zahl"),
        ("area_min=x", "keine Zahl"),
        ("area_min=-3", "area_min"),
        ("area_min=100&area_max=50", "größer als „area_max“"),
        ("street_level=ja", "1 oder 0"),
        ("available_from=31.12.2026", "JJJJ-MM-TT"),
        ("colour=red", "Unbekannter Parameter „colour“"),
    ],
)
def test_bad_parameters_get_json_400(client, query, words):
    response = client.get(f"{UNITS}?{query}")
    assert response.status_code == 400
    data = response.get_json()
    assert data["status"] == 400
    assert words in data["error"]


def test_proposals_are_only_published_ones_without_contacts(client, world):
    response = client.get(PROPOSALS)
    body = response.get_data(as_text=True)
    assert_no_secrets(body)
    features = {f["id"]: f for f in response.get_json()["features"]}
    assert set(features) == set(world.proposals.values())
    for feature in features.values():
        assert set(feature["properties"]) == set(PROPOSAL_PROPERTIES)
        assert feature["properties"]["organisation"] == "Kulturverein Beispiel"
    geometry = {key: features[pid]["geometry"] for key, pid in world.proposals.items()}
    assert geometry["point"]["type"] == "Point"
    assert geometry["area"]["type"] == "Polygon"
    assert geometry["districts"]["type"] == "MultiPoint"
    assert len(geometry["districts"]["coordinates"]) == 2
    assert geometry["unit"]["type"] == "Point"
    assert geometry["hidden_unit"] is None  # never reveals where a non-public unit is
    assert features[world.proposals["hidden_unit"]]["properties"]["unit_id"] is None
    assert features[world.proposals["unit"]]["properties"]["unit_id"] == world.public["consent"]
    assert features[world.proposals["districts"]]["properties"]["districts"] == [
        "Badeborn",
        "Rieder",
    ]


def test_proposal_filters(client, base, world):
    assert ids(client, f"{PROPOSALS}?use_kind=youth") == {world.proposals["area"]}
    assert ids(client, f"{PROPOSALS}?street_level=1") == {world.proposals["area"]}
    assert ids(client, f"{PROPOSALS}?district={base.districts['Rieder'].id}") == {
        world.proposals["districts"]
    }
    bbox = ids(client, f"{PROPOSALS}?bbox=11.22,51.71,11.235,51.725")
    assert world.proposals["point"] in bbox and world.proposals["districts"] not in bbox
    response = client.get(f"{PROPOSALS}?use_kind=rave")
    assert response.status_code == 400 and "Nutzungsart" in response.get_json()["error"]


def test_area_layers(client, base, world):
    boundary = geojson(client, "/api/boundary.geojson")
    assert boundary["features"][0]["properties"]["name"] == "Ballenstedt"
    assert boundary["features"][0]["geometry"]["type"] == "MultiPolygon"
    names = [f["properties"]["name"] for f in geojson(client, "/api/districts.geojson")["features"]]
    assert "Badeborn" in names and "Rieder" in names
    assert geojson(client, "/api/focus-areas.geojson")["type"] == "FeatureCollection"
    other = geojson(client, "/api/boundary.geojson?ags=99999999")
    assert other["features"][0]["properties"]["name"] == "Anderswo"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nothing.geojson")
    assert response.status_code == 404 and response.get_json()["status"] == 404
