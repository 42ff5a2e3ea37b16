"""OGC API items: exactly the public features with the public allowlist, paging (limit, offset,
numberMatched/numberReturned, next/prev), bbox in CRS84 and EPSG:25832 at its edges,
datetime, the public filters, the response CRS, and single items (404 when not public)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from leerstand.dates import local_today
from leerstand.services.public.geojson import PROPOSAL_PROPERTIES, UNIT_PROPERTIES
from tests.integration import public_world
from tests.integration.public_world import BADEBORN, SECRETS

UNITS = "/ogc/collections/units/items"
PROPOSALS = "/ogc/collections/proposals/items"


@pytest.fixture
def world(session, base):
    return public_world.build(session, base)


def fc(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/geo+json"
    return response.get_json()


def ids(client, url: str) -> set[int]:
    return {feature["id"] for feature in fc(client, url)["features"]}


def rel(doc: dict, name: str) -> dict | None:
    found = [link for link in doc["links"] if link["rel"] == name]
    assert len(found) <= 1
    return found[0] if found else None


def query_of(link: dict) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(link["href"]).query).items()}


def bad(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["code"] == "InvalidParameterValue" and body["status"] == 400
    return body["description"]


def test_units_are_exactly_the_public_ones_with_the_allowlist(client, world):
    response = client.get(UNITS)
    body = response.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in body, secret
    doc = response.get_json()
    assert {f["id"] for f in doc["features"]} == set(world.public.values())
    assert doc["numberMatched"] == 3 and doc["numberReturned"] == 3
    assert doc["timeStamp"].endswith("Z")
    for feature in doc["features"]:
        assert set(feature["properties"]) == set(UNIT_PROPERTIES)
    shop = next(f for f in doc["features"] if f["id"] == world.public["consent"])
    assert shop["properties"]["area_m2"] == 85
    assert shop["properties"]["url"] == f"http://localhost/leerstand/{shop['id']}"
    assert response.headers["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"


def test_proposals_are_the_published_ones_without_secrets(client, world):
    response = client.get(PROPOSALS)
    for secret in SECRETS:
        assert secret not in response.get_data(as_text=True), secret
    features = response.get_json()["features"]
    assert {f["id"] for f in features} == set(world.proposals.values())
    assert all(set(f["properties"]) == set(PROPOSAL_PROPERTIES) for f in features)


def test_every_public_collection_and_page_is_free_of_secrets(client, world):
    for name in ("units", "proposals", "districts", "focus-areas", "boundary"):
        for f in ("json", "html"):
            body = client.get(f"/ogc/collections/{name}/items?f={f}").get_data(as_text=True)
            for secret in SECRETS:
                assert secret not in body, (name, f, secret)
    for unit_id in world.public.values():
        body = client.get(f"{UNITS}/{unit_id}?f=html").get_data(as_text=True)
        assert not [s for s in SECRETS if s in body]


def test_paging_next_prev_and_counts(client, world):
    first = fc(client, f"{UNITS}?limit=1")
    assert (first["numberMatched"], first["numberReturned"]) == (3, 1)
    assert rel(first, "prev") is None
    assert query_of(rel(first, "next")) == {"f": "json", "limit": "1", "offset": "1"}
    assert rel(first, "next")["href"].startswith("http://localhost/ogc/collections/units/items?")
    second = fc(client, f"{UNITS}?limit=1&offset=1")
    assert query_of(rel(second, "prev")) == {"f": "json", "limit": "1"}
    assert query_of(rel(second, "next"))["offset"] == "2"
    last = fc(client, f"{UNITS}?limit=1&offset=2")  # offset + returned == matched: no next
    assert rel(last, "next") is None and last["numberReturned"] == 1
    paged = [fc(client, f"{UNITS}?limit=1&offset={i}")["features"][0]["id"] for i in range(3)]
    assert paged == sorted(world.public.values())


def test_offset_beyond_the_end_is_an_empty_page(client, world):
    doc = fc(client, f"{UNITS}?offset=10")
    assert (doc["numberMatched"], doc["numberReturned"], doc["features"]) == (3, 0, [])
    assert rel(doc, "next") is None
    assert query_of(rel(doc, "prev")) == {"f": "json", "limit": "10"}  # back to the start


def test_limit_edges(client, world):
    assert "limit" in bad(client, f"{UNITS}?limit=0")
    assert "limit" in bad(client, f"{UNITS}?limit=abc")
    assert fc(client, f"{UNITS}?limit=1")["numberReturned"] == 1
    assert query_of(rel(fc(client, f"{UNITS}?limit=10000"), "self"))["limit"] == "10000"
    clamped = fc(client, f"{UNITS}?limit=10001")  # more than the maximum: cut to it
    assert query_of(rel(clamped, "self"))["limit"] == "10000"
    assert clamped["numberReturned"] == 3


def test_default_limit_is_ten(client, session, base):
    town = public_world._owner(session, base.municipality, "Stadt", is_municipality=True)
    building = public_world._building(session, base.municipality, town)
    from tests import factories as f

    made = [f.unit(session, building, publishable=True).id for _ in range(11)]
    doc = fc(client, UNITS)
    assert (doc["numberMatched"], doc["numberReturned"]) == (11, 10)
    assert [x["id"] for x in doc["features"]] == made[:10]
    assert query_of(rel(doc, "next")) == {"f": "json", "limit": "10", "offset": "10"}


def test_bbox_edges_in_crs84(client, world):
    lon, lat = BADEBORN  # the municipal and the interim unit stand there
    badeborn = {world.public["municipal"], world.public["interim"]}
    assert ids(client, f"{UNITS}?bbox={lon},{lat},{lon + 0.01},{lat + 0.01}") == badeborn
    assert ids(client, f"{UNITS}?bbox={lon - 0.01},{lat - 0.01},{lon},{lat}") == badeborn
    assert ids(client, f"{UNITS}?bbox={lon + 0.00001},{lat},{lon + 0.01},{lat + 0.01}") == set()
    assert ids(client, f"{UNITS}?bbox={lon - 0.01},{lat - 0.01},{lon},{lat - 0.00001}") == set()
    assert "bbox" in bad(client, f"{UNITS}?bbox=1,2,3")
    assert "Minimum" in bad(client, f"{UNITS}?bbox=12,51,11,52")


def test_bbox_and_response_in_utm32(client, world):
    x, y = 654851.66, 5736938.81  # BADEBORN in EPSG:25832 (pyproj, written out)
    crs = "http://www.opengis.net/def/crs/EPSG/0/25832"
    url = f"{UNITS}?bbox-crs={crs}&bbox={x - 5},{y - 5},{x + 5},{y + 5}"
    assert ids(client, url) == {world.public["municipal"], world.public["interim"]}
    assert ids(client, f"{UNITS}?bbox-crs={crs}&bbox={x + 5},{y + 5},{x + 50},{y + 50}") == set()
    response = client.get(f"{UNITS}/{world.public['municipal']}?crs={crs}")
    assert response.headers["Content-Crs"] == f"<{crs}>"
    east, north = response.get_json()["geometry"]["coordinates"]
    assert abs(east - x) < 0.5 and abs(north - y) < 0.5
    assert "crs" in bad(client, f"{UNITS}?crs=http://www.opengis.net/def/crs/EPSG/0/3857")


def test_utm32_bbox_beyond_the_projection_is_cut_or_refused(client, world):
    """A box reaching past EPSG:25832's area of use (x 231,402 to 769,494) is cut to it (a 500
    "Point outside of projection domain" before); one wholly outside it is a 400."""
    crs = "http://www.opengis.net/def/crs/EPSG/0/25832"
    everything = {world.public["municipal"], world.public["interim"]}
    assert everything <= ids(client, f"{UNITS}?bbox-crs={crs}&bbox=-1e9,-1e9,1e9,1e9")
    assert everything <= ids(client, f"{UNITS}?bbox-crs={crs}&bbox=231500,5000000,769400,6000000")
    assert "außerhalb" in bad(client, f"{UNITS}?bbox-crs={crs}&bbox=1e300,1e300,1e301,1e301")
    assert "außerhalb" in bad(client, f"{UNITS}?bbox-crs={crs}&bbox=100000,5000000,231000,6000000")


def test_datetime_compares_with_the_availability(client, world):
    today = local_today()
    day = lambda n: (today + timedelta(days=n)).isoformat()  # noqa: E731
    consent, municipal, interim = (world.public[k] for k in ("consent", "municipal", "interim"))
    assert ids(client, f"{UNITS}?datetime={day(9)}") == {municipal}  # consent from day 10
    assert ids(client, f"{UNITS}?datetime={day(10)}") == {municipal, consent}
    assert ids(client, f"{UNITS}?datetime={day(400)}T12:00:00Z") == {municipal, consent, interim}
    assert ids(client, f"{UNITS}?datetime={day(401)}/..") == {municipal, consent}
    assert ids(client, f"{UNITS}?datetime=../{day(9)}") == {municipal}
    assert ids(client, f"{UNITS}?datetime=../{day(99)}") == {municipal, consent}
    assert ids(client, f"{UNITS}?datetime=../{day(100)}") == {municipal, consent, interim}
    assert "datetime" in bad(client, f"{UNITS}?datetime=gestern")
    assert "Anfang" in bad(client, f"{UNITS}?datetime={day(5)}/{day(4)}")


def test_public_filters_as_query_parameters(client, world):
    assert ids(client, f"{UNITS}?kind=shop") == {world.public["consent"]}
    assert fc(client, f"{UNITS}?kind=shop")["numberMatched"] == 1
    assert ids(client, f"{UNITS}?step_free=1") == {world.public["municipal"]}
    assert ids(client, f"{UNITS}?area_min=200") == {world.public["interim"]}
    assert ids(client, f"{PROPOSALS}?use_kind=youth") == {world.proposals["area"]}
    assert "kind" in bad(client, f"{UNITS}?kind=castle")
    next_link = rel(fc(client, f"{UNITS}?kind=shop&limit=1&offset=0&street_level=0"), "self")
    assert query_of(next_link)["kind"] == "shop"


def test_unknown_parameter_is_a_400(client, world):
    assert "Unbekannter Parameter „foo“" in bad(client, f"{UNITS}?foo=1")
    assert "use_kind" in bad(client, f"{UNITS}?use_kind=youth")  # a proposals filter


def test_single_items_and_404_for_what_is_not_public(client, world):
    unit_id = world.public["consent"]
    response = client.get(f"{UNITS}/{unit_id}")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    feature = response.get_json()
    assert feature["type"] == "Feature" and feature["id"] == unit_id
    assert rel(feature, "collection")["href"] == "http://localhost/ogc/collections/units?f=json"
    for hidden in [*world.hidden.values(), 2**31, "abc", "²", "١"]:
        missing = client.get(f"{UNITS}/{hidden}")
        assert missing.status_code == 404 and missing.get_json()["code"] == "NotFound"
        page = client.get(f"{UNITS}/{hidden}", headers={"Accept": "text/html"})
        assert page.status_code == 404 and page.mimetype == "text/html"
    draft = world.hidden_proposals["draft"]
    assert client.get(f"{PROPOSALS}/{draft}").status_code == 404


def test_other_town_by_ags(client, world, base):
    other = base.other_municipality
    assert ids(client, f"{UNITS}?ags={other.ags}") == {world.hidden["other_municipality"]}
    doc = fc(client, f"{UNITS}?ags={other.ags}")
    assert query_of(rel(doc, "self"))["ags"] == other.ags
    missing = client.get(f"{UNITS}?ags=12345678")
    assert missing.status_code == 404 and "12345678" in missing.get_json()["description"]
    assert "Gemeindeschlüssel" in bad(client, f"{UNITS}?ags=1234567")  # 7 digits
    assert "Gemeindeschlüssel" in bad(client, "/ogc/conformance?ags=abcdefgh")
