"""The public GeoJSON API says how many features exist: ``numberMatched``/``numberReturned``
in the body and ``Link`` headers (``next``/``prev``, absolute from BASE_URL) at the edges;
links in features are absolute; CORS headers only on the public GET endpoints."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.integration import public_world

UNITS = "/api/units.geojson"
PROPOSALS = "/api/proposals.geojson"
SITE = "https://leerstand.example.org"
ORIGIN = {"Origin": "https://karte.example.net"}


@pytest.fixture
def world(session, base):
    built = public_world.build(session, base)
    session.commit()  # releases the savepoint: a request's rollback keeps the world
    assert len(built.public) == 3 and len(built.proposals) == 5  # the numbers below
    return built


@pytest.fixture
def site(throwaway_app):
    """An app whose BASE_URL differs from the test client's host."""
    return throwaway_app(BASE_URL=SITE).test_client()


def _links(response) -> dict[str, str]:
    """{rel: url} of the Link header."""
    out = {}
    for part in filter(None, response.headers.get("Link", "").split(", ")):
        url, rel = part.split("; ")
        out[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return out


def _ids(world) -> list[int]:
    """The three public units' ids in id order (the order of every page)."""
    return sorted(world.public.values())


# {0}, {1}: the first and second public unit's id; "next" continues after the page's last id
@pytest.mark.parametrize(
    ("query", "matched", "returned", "links"),
    [
        ("", 3, 3, {}),
        ("limit=3", 3, 3, {}),  # offset + limit == total: no next
        ("limit=2", 3, 2, {"next": f"{SITE}{UNITS}?limit=2&after={{1}}"}),  # one less: next
        ("limit=2&offset=1", 3, 2, {"prev": f"{SITE}{UNITS}?limit=2&offset=0"}),
        (
            "limit=1&offset=1",
            3,
            1,
            {
                "next": f"{SITE}{UNITS}?limit=1&after={{1}}",
                "prev": f"{SITE}{UNITS}?limit=1&offset=0",
            },
        ),
        ("limit=2&offset=2", 3, 1, {"prev": f"{SITE}{UNITS}?limit=2&offset=0"}),
        ("offset=3", 3, 0, {"prev": f"{SITE}{UNITS}?offset=0"}),
        ("kind=shop&limit=1", 1, 1, {}),
    ],
)
def test_units_number_matched_and_links_at_the_edges(site, world, query, matched, returned, links):
    response = site.get(f"{UNITS}?{query}")
    assert response.status_code == 200
    data = response.get_json()
    assert (data["numberMatched"], data["numberReturned"]) == (matched, returned)
    assert len(data["features"]) == returned
    assert _links(response) == {rel: url.format(*_ids(world)) for rel, url in links.items()}


def test_links_keep_the_filters(site, world):
    response = site.get(f"{UNITS}?area_min=10&step_free=0&limit=1&offset=1")
    assert response.get_json()["numberMatched"] == 3
    second = _ids(world)[1]
    assert _links(response) == {
        "next": f"{SITE}{UNITS}?area_min=10&step_free=0&limit=1&after={second}",
        "prev": f"{SITE}{UNITS}?area_min=10&step_free=0&limit=1&offset=0",
    }


def test_proposals_are_paged_too(site, world):
    response = site.get(f"{PROPOSALS}?limit=4")
    data = response.get_json()
    assert (data["numberMatched"], data["numberReturned"]) == (5, 4)
    fourth = sorted(world.proposals.values())[3]
    assert _links(response) == {"next": f"{SITE}{PROPOSALS}?limit=4&after={fourth}"}
    last = site.get(f"{PROPOSALS}?limit=4&after={fourth}")
    assert last.get_json()["numberReturned"] == 1
    assert _links(last) == {"prev": f"{SITE}{PROPOSALS}?limit=4"}
    by_offset = site.get(f"{PROPOSALS}?limit=4&offset=4")
    assert by_offset.get_json()["features"] == last.get_json()["features"]
    assert _links(by_offset) == {"prev": f"{SITE}{PROPOSALS}?limit=4&offset=0"}


def test_feature_links_are_absolute_from_base_url(site, world):
    units = site.get(UNITS, headers={"Host": "evil.example"}).get_json()["features"]
    assert {f["properties"]["url"] for f in units} == {
        f"{SITE}/leerstand/{world.public[key]}" for key in ("consent", "municipal", "interim")
    }
    proposals = site.get(PROPOSALS).get_json()["features"]
    assert {f["properties"]["url"] for f in proposals} == {
        f"{SITE}/ideen/{pid}" for pid in world.proposals.values()
    }


def test_etag_and_304_beside_the_link_header(site, world):
    """The 304 carries the ETag, not the Link header: it is answered before anything is
    counted (RFC 9110 15.4.5 asks only for the cache's headers)."""
    first = site.get(f"{UNITS}?limit=1")
    assert _links(first) == {"next": f"{SITE}{UNITS}?limit=1&after={_ids(world)[0]}"}
    again = site.get(f"{UNITS}?limit=1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert _links(again) == {}


@pytest.mark.parametrize(
    "path", [UNITS, PROPOSALS, "/api/boundary.geojson", "/api/districts.geojson",
             "/api/focus-areas.geojson", f"{UNITS}?limit=abc"],
)  # fmt: skip
def test_cors_on_the_public_endpoints(client, world, path):
    response = client.get(path, headers=ORIGIN)
    assert response.status_code in (200, 400)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    exposed = {
        h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }
    assert exposed == {"link", "etag", "content-crs"}


def test_cors_preflight_on_a_public_endpoint(client):
    response = client.options(UNITS, headers={**ORIGIN, "Access-Control-Request-Method": "GET"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    "path",
    ["/api/places?q=Allee", "/api/buildings.geojson", "/verwaltung/", "/ogc/verwaltung"],
)
def test_no_cors_on_staff_endpoints(staff_client, path):
    response = staff_client.get(path, headers=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = staff_client.options(
        path, headers={**ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_no_cors_for_anonymous_on_staff_endpoints(client):
    for path in ("/api/places?q=Allee", "/api/buildings.geojson"):
        response = client.get(path, headers=ORIGIN)
        assert response.status_code == 401
        assert "Access-Control-Allow-Origin" not in response.headers


def test_login_page_has_no_cors(client, base):
    login(client, base.staff.email)
    assert "Access-Control-Allow-Origin" not in client.get("/login", headers=ORIGIN).headers
