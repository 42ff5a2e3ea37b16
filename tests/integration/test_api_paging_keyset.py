"""Keyset paging of /api/units.geojson: following ``Link: next`` (``after`` = the page's last id)
returns every public feature exactly once, in id order, with filters and bbox too; ``prev``
goes back page by page; ``after`` and ``offset`` at and beyond their edges; pages larger than
``API_BUFFER_FEATURES`` are streamed with the same content."""

from __future__ import annotations

import pytest

from tests import factories as f

UNITS = "/api/units.geojson"
ALLEE = (11.2265, 51.7192)
BADEBORN = (11.2439, 51.7619)
NEAR_ALLEE = "11.22,51.71,11.23,51.73"
INT_MAX = 2**31 - 1
MAX_OFFSET = 10_000_000


@pytest.fixture
def units(session, base):
    """{name: id}: public units a…g (id order), "hidden" (not publishable) between c and d.
    a, c, e, g are shops; a, b, c, hidden, d are on the Allee, e, f, g in Badeborn."""
    muni = base.municipality
    town = f.owner(session, muni, is_municipality=True)
    ids = {}
    plan = [
        ("a", "shop", ALLEE), ("b", "office", ALLEE), ("c", "shop", ALLEE),
        ("hidden", "shop", ALLEE), ("d", "office", ALLEE), ("e", "shop", BADEBORN),
        ("f", "office", BADEBORN), ("g", "shop", BADEBORN),
    ]  # fmt: skip
    for name, kind, lonlat in plan:
        building = f.building(session, muni, lonlat=lonlat)
        f.ownership(session, building, town)
        unit = f.unit(session, building, kind=kind, publishable=name != "hidden")
        ids[name] = unit.id
    session.commit()
    return ids


def _links(response) -> dict[str, str]:
    out = {}
    for part in filter(None, response.headers.get("Link", "").split(", ")):
        url, rel = part.split("; ")
        out[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return out


def _relative(url: str) -> str:
    return url.removeprefix("http://localhost")


def _walk(client, url: str, rel: str = "next") -> list[list[int]]:
    """The feature ids of each page, following ``rel`` links from ``url``."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        pages.append([feature["id"] for feature in response.get_json()["features"]])
        url = _relative(_links(response).get(rel, ""))
    return pages


def _names(units, pages) -> list[list[str]]:
    by_id = {unit_id: name for name, unit_id in units.items()}
    return [[by_id[unit_id] for unit_id in page] for page in pages]


def test_following_next_returns_every_feature_once(client, units):
    pages = _walk(client, f"{UNITS}?limit=2")
    assert _names(units, pages) == [["a", "b"], ["c", "d"], ["e", "f"], ["g"]]


def test_next_keeps_filters_and_bbox(client, units):
    pages = _walk(client, f"{UNITS}?kind=shop&limit=1")
    assert _names(units, pages) == [["a"], ["c"], ["e"], ["g"]]
    pages = _walk(client, f"{UNITS}?bbox={NEAR_ALLEE}&limit=3")
    assert _names(units, pages) == [["a", "b", "c"], ["d"]]
    pages = _walk(client, f"{UNITS}?bbox={NEAR_ALLEE}&kind=office&limit=1")
    assert _names(units, pages) == [["b"], ["d"]]


def test_number_matched_is_the_total_on_every_page(client, units):
    first = client.get(f"{UNITS}?limit=3").get_json()
    later = client.get(f"{UNITS}?limit=3&after={units['c']}").get_json()
    assert (first["numberMatched"], first["numberReturned"]) == (7, 3)
    assert (later["numberMatched"], later["numberReturned"]) == (7, 3)


def test_prev_goes_back_page_by_page(client, units):
    last = f"{UNITS}?limit=2&after={units['f']}"
    pages = _walk(client, last, rel="prev")
    assert _names(units, pages) == [["g"], ["e", "f"], ["c", "d"], ["a", "b"]]
    second = client.get(f"{UNITS}?limit=2&after={units['b']}")
    assert _links(second)["prev"] == "http://localhost/api/units.geojson?limit=2"


def test_first_page_has_no_prev_and_after_zero_is_the_start(client, units):
    start = client.get(f"{UNITS}?limit=2&after=0")
    assert _names(units, [[x["id"] for x in start.get_json()["features"]]]) == [["a", "b"]]
    assert "prev" not in _links(start) and "next" in _links(start)


@pytest.mark.parametrize(
    ("after", "expected", "has_next"),
    [
        ("f", ["g"], False),  # one before the last: the last alone, no next
        ("g", [], False),  # the last: an empty page
        ("c", ["d", "e"], True),  # the hidden unit's neighbour: skipped over
        ("hidden", ["d", "e"], True),  # an id that is not public itself
    ],
)
def test_after_at_the_end_and_around_gaps(client, units, after, expected, has_next):
    response = client.get(f"{UNITS}?limit=2&after={units[after]}")
    data = response.get_json()
    assert _names(units, [[x["id"] for x in data["features"]]]) == [expected]
    assert data["numberReturned"] == len(expected) and data["numberMatched"] == 7
    assert ("next" in _links(response)) is has_next
    assert "prev" in _links(response)


@pytest.mark.parametrize("after", [str(INT_MAX), "1000000"])
def test_after_beyond_the_end_is_an_empty_page(client, units, after):
    response = client.get(f"{UNITS}?after={after}")
    assert response.status_code == 200
    data = response.get_json()
    assert (data["numberMatched"], data["numberReturned"], data["features"]) == (7, 0, [])
    assert "next" not in _links(response)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("after=-1", "Parameter „after“: -1 ist nicht erlaubt"),
        (f"after={INT_MAX + 1}", f"Parameter „after“: {INT_MAX + 1} ist nicht erlaubt"),
        (f"after={10**30}", "ist nicht erlaubt (erwartet eine ganze Zahl von 0 bis 2147483647)"),
        ("after=abc", "Parameter „after“: „abc“ ist keine ganze Zahl"),
        ("after=1.5", "„1.5“ ist keine ganze Zahl"),
        ("offset=-1", "Parameter „offset“: -1 ist nicht erlaubt"),
        (f"offset={MAX_OFFSET + 1}", "Parameter „offset“: 10000001 ist nicht erlaubt"),
        (f"offset={10**30}", "von 0 bis 10000000"),
        ("after=3&offset=2", "Parameter „after“ und „offset“ gehen nicht zusammen"),
        ("after=0&offset=0", "Parameter „after“ und „offset“ gehen nicht zusammen"),
    ],
)
def test_bad_paging_is_a_json_400_in_german(client, units, query, words):
    response = client.get(f"{UNITS}?{query}")
    assert response.status_code == 400
    assert response.get_json()["status"] == 400
    assert words in response.get_json()["error"]


@pytest.mark.parametrize(("offset", "returned"), [(0, 7), (6, 1), (7, 0), (MAX_OFFSET, 0)])
def test_offset_at_its_edges(client, units, offset, returned):
    response = client.get(f"{UNITS}?offset={offset}")
    assert response.status_code == 200
    data = response.get_json()
    assert (data["numberMatched"], data["numberReturned"]) == (7, returned)


def test_offset_and_after_give_the_same_page(client, units):
    by_offset = client.get(f"{UNITS}?limit=2&offset=4").get_json()["features"]
    by_key = client.get(f"{UNITS}?limit=2&after={units['d']}").get_json()["features"]
    assert by_offset == by_key
    assert _names(units, [[x["id"] for x in by_key]]) == [["e", "f"]]


def test_large_pages_are_streamed_with_the_same_content(throwaway_app, client, units):
    small_buffer = throwaway_app(API_BUFFER_FEATURES=2).test_client()
    streamed = small_buffer.get(f"{UNITS}?limit=5")
    streamed_body = streamed.get_data()  # consumed: the stream ends and releases the request
    whole = client.get(f"{UNITS}?limit=5")
    assert "Content-Length" not in streamed.headers  # sent in chunks
    assert whole.headers["Content-Length"] == str(len(whole.get_data()))
    assert streamed.get_json() == whole.get_json() and streamed_body.startswith(b'{"type"')
    assert _names(units, [[x["id"] for x in streamed.get_json()["features"]]]) == [
        ["a", "b", "c", "d", "e"]
    ]
    up_to_limit = small_buffer.get(f"{UNITS}?limit=2")  # exactly API_BUFFER_FEATURES: whole
    assert up_to_limit.headers["Content-Length"] == str(len(up_to_limit.get_data()))
