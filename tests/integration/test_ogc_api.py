"""OGC API metadata (landing page, conformance, collections), JSON/HTML negotiation, errors in
the asked format, CORS, and the staff collections behind a personal API token."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from leerstand.dates import local_today
from leerstand.services.accounts import api_tokens
from tests.integration import public_world

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
UTM32 = "http://www.opengis.net/def/crs/EPSG/0/25832"
OWNER_SECRETS = ("OWNERSECRET", "owner-secret@example.org", "0399-SECRETPHONE", "in_dialogue")


def by_rel(doc: dict) -> dict:
    return {(link["rel"], link["type"]): link["href"] for link in doc["links"]}


def test_landing_page_links(client):
    response = client.get("/ogc/")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    links = by_rel(response.get_json())
    assert links == {
        ("self", "application/json"): "http://localhost/ogc/?f=json",
        ("alternate", "text/html"): "http://localhost/ogc/?f=html",
        ("service-desc", "application/vnd.oai.openapi+json;version=3.0"): (
            "http://localhost/api/openapi.json"
        ),
        ("service-doc", "text/html"): "http://localhost/api/docs",
        ("conformance", "application/json"): "http://localhost/ogc/conformance?f=json",
        ("data", "application/json"): "http://localhost/ogc/collections?f=json",
    }
    assert client.get("/ogc").status_code == 200  # without the slash, too


def test_conformance(client):
    assert client.get("/ogc/conformance").get_json() == {"conformsTo": CONFORMANCE}


def test_collections(client):
    doc = client.get("/ogc/collections").get_json()
    ids = [c["id"] for c in doc["collections"]]
    assert ids == ["units", "proposals", "districts", "focus-areas", "boundary"]
    units = doc["collections"][0]
    assert units["title"] == "Leerstehende Räume" and units["itemType"] == "feature"
    assert units["crs"] == [CRS84, UTM32] and units["storageCrs"] == CRS84
    minx, miny, maxx, maxy = units["extent"]["spatial"]["bbox"][0]
    assert 11.13 < minx < 11.15 and 51.66 < miny < 51.67 and 11.31 < maxx < 11.32
    assert 51.79 < maxy < 51.80
    assert "temporal" in units["extent"] and "temporal" not in doc["collections"][2]["extent"]
    links = by_rel(units)
    assert links[("items", "application/geo+json")] == (
        "http://localhost/ogc/collections/units/items?f=json"
    )
    assert client.get("/ogc/collections/boundary").get_json()["id"] == "boundary"


def test_unknown_collection_and_path_are_404_in_the_asked_format(client):
    response = client.get("/ogc/collections/castles/items")
    assert response.status_code == 404
    assert "castles" in response.get_json()["description"]
    page = client.get("/ogc/collections/castles", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "castles" in page.get_data(as_text=True)
    assert client.get("/ogc/nirgendwo").get_json()["status"] == 404


@pytest.mark.parametrize(
    ("url", "accept", "mimetype"),
    [
        ("/ogc/collections", "text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("/ogc/collections", "*/*", "application/json"),
        ("/ogc/collections?f=html", "application/json", "text/html"),
        ("/ogc/collections?f=json", "text/html", "application/json"),
        ("/ogc/collections/units/items", "text/html", "text/html"),
        ("/ogc/collections/units/items?f=json", "text/html", "application/geo+json"),
        ("/ogc/collections/units/items", "application/geo+json", "application/geo+json"),
        ("/ogc/conformance?f=html", "", "text/html"),
        ("/ogc/?f=html", "", "text/html"),
    ],
)
def test_negotiation(client, url, accept, mimetype):
    response = client.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == mimetype
    assert "Accept" in response.headers["Vary"]


def test_html_items_page_lists_the_features(client, session, base):
    world = public_world.build(session, base)
    html = client.get("/ogc/collections/units/items?f=html&limit=2").get_data(as_text=True)
    assert "2 von 3 Objekten" in html and 'rel="next"' in html and 'id="mini-map"' in html
    first = min(world.public.values())
    assert f"/ogc/collections/units/items/{first}?f=html" in html
    page = client.get(f"/ogc/collections/units/items/{first}?f=html").get_data(as_text=True)
    assert "Ladenlokal" in page and "public_description" in page


def test_bad_format_and_bad_metadata_parameter(client):
    response = client.get("/ogc/collections?f=xml")
    assert response.status_code == 400 and "„f“" in response.get_json()["description"]
    assert client.get("/ogc/collections?limit=5").status_code == 400


# --- staff collections ----------------------------------------------------------------------
@pytest.fixture
def token(session, base) -> str:
    _row, raw = api_tokens.create(session, base.staff, "QGIS", 30, datetime.now(UTC))
    session.flush()
    return raw


def basic(raw: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"qgis:{raw}".encode()).decode()}


def test_staff_units_need_a_token(client, staff_client):
    for url in ("/ogc/verwaltung/", "/ogc/verwaltung/collections/units/items"):
        response = staff_client.get(url)  # the session cookie does not count
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == 'Basic realm="Leerstand"'
    wrong = client.get("/ogc/verwaltung/collections", headers=basic("lst_falsch"))
    assert wrong.status_code == 401


def test_staff_units_with_internal_fields_and_no_owner_data(client, session, base, token):
    world = public_world.build(session, base)
    for headers in (basic(token), {"Authorization": f"Bearer {token}"}):
        response = client.get("/ogc/verwaltung/collections/units/items", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Access-Control-Allow-Origin" not in response.headers
    body = response.get_data(as_text=True)
    for secret in OWNER_SECRETS:
        assert secret not in body, secret
    features = {f["id"]: f["properties"] for f in response.get_json()["features"]}
    own = {k: v for k, v in {**world.public, **world.hidden}.items() if k != "other_municipality"}
    assert set(features) == set(own.values())
    shop = features[world.public["consent"]]
    assert shop["internal_notes"] == "INTERNALSECRET" and shop["rent_eur_month"] == 987.65
    assert shop["area_m2"] == 83.0 and shop["is_public"] is True
    assert features[world.hidden["no_consent"]]["is_public"] is False
    assert shop["url"] == f"http://localhost/verwaltung/einheiten/{shop['id']}"


def test_staff_buildings_and_items(client, session, base, token):
    world = public_world.build(session, base)
    headers = basic(token)
    doc = client.get("/ogc/verwaltung/collections", headers=headers).get_json()
    assert [c["id"] for c in doc["collections"]] == ["units", "buildings"]
    assert by_rel(doc)[("self", "application/json")].startswith("http://localhost/ogc/verwaltung/")
    buildings = client.get("/ogc/verwaltung/collections/buildings/items", headers=headers)
    body = buildings.get_data(as_text=True)
    assert "BUILDINGNOTESECRET" in body and "OWNERSECRET" not in body
    assert buildings.get_json()["numberMatched"] == 4  # the other town's building is not there
    other = world.hidden["other_municipality"]
    url = f"/ogc/verwaltung/collections/units/items/{other}"
    assert client.get(url, headers=headers).status_code == 404
    hidden = world.hidden["not_publishable"]
    url = f"/ogc/verwaltung/collections/units/items/{hidden}"
    assert client.get(url, headers=headers).get_json()["properties"]["publishable"] is False


def test_staff_datetime_compares_with_the_last_change(client, session, base, token):
    world = public_world.build(session, base)
    today = local_today()
    url = "/ogc/verwaltung/collections/units/items?limit=100&datetime="
    headers = basic(token)
    yesterday = (today - timedelta(days=1)).isoformat()
    assert client.get(url + f"../{yesterday}", headers=headers).get_json()["numberMatched"] == 0
    changed_today = client.get(url + f"{today.isoformat()}/..", headers=headers).get_json()
    assert changed_today["numberMatched"] == len(world.public) + len(world.hidden) - 1
