"""The register map at scale: clusters whose counts add up to the filtered total, a bbox that
holds exactly the units of its extent (edges included), the same filter on map and list, a hard
cap on features, and 400 with a clear message for a bad bbox or zoom (hand-made worlds with
written-out numbers)."""

from __future__ import annotations

import re

import pytest

from leerstand.models import Unit
from tests import factories

URL = "/verwaltung/register"
GEOJSON = "/verwaltung/register.geojson"
# The grid at zoom 13: cells 0.0137329…° wide (80 px) and about 0.0085° high, counted from 0/0:
# the Allee and NEAR share a cell (817 across, 6077 up), Badeborn lies in another (818, 6082).
ALLEE = (11.2300, 51.7200)
NEAR = (11.2305, 51.7202)  # same zoom-13 cell as ALLEE, 40 m away
BADEBORN = (11.2435, 51.7620)


@pytest.fixture
def world(session, base):
    """Allee: 5 units in one building (2 shops, 2 flats, 1 hall); nearby: 3 units in two
    buildings (1 shop occupied, 2 offices); Badeborn: 1 shop. 9 units, 4 shops."""
    m = base.municipality
    allee = factories.building(session, m, street="Allee", house_number="1", lonlat=ALLEE)
    near_a = factories.building(session, m, street="Allee", house_number="3", lonlat=NEAR)
    near_b = factories.building(session, m, street="Allee", house_number="5", lonlat=NEAR)
    far = factories.building(session, m, street="Hauptstraße", house_number="9", lonlat=BADEBORN)
    ids = {}
    for name, kind in [("A1", "shop"), ("A2", "shop"), ("A3", "flat"), ("A4", "flat"),
                       ("A5", "hall")]:  # fmt: skip
        ids[name] = factories.unit(session, allee, name=name, kind=kind).id
    ids["N1"] = factories.unit(
        session, near_a, name="N1", kind="shop", vacancy_state="occupied", vacant_since=None
    ).id
    ids["N2"] = factories.unit(session, near_a, name="N2", kind="office").id
    ids["N3"] = factories.unit(session, near_b, name="N3", kind="office").id
    ids["F1"] = factories.unit(session, far, name="F1", kind="shop").id
    foreign = factories.building(session, base.other_municipality, lonlat=ALLEE)
    factories.unit(session, foreign, name="Fremd")
    session.flush()
    return ids


def _layer(client, query: str) -> dict:
    response = client.get(f"{GEOJSON}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    return response.get_json()


def _summary(body: dict) -> tuple[list[int], set[int], int]:
    """(cluster counts, sorted; single unit ids; total)."""
    clusters = sorted(
        f["properties"]["count"] for f in body["features"] if f["properties"].get("cluster")
    )
    singles = {f["properties"]["unit_id"] for f in body["features"] if "unit_id" in f["properties"]}
    return clusters, singles, body["total"]


@pytest.mark.parametrize(
    "query, clusters, singles, total",
    [
        ("", [8], {"F1"}, 9),
        ("kind=shop", [3], {"F1"}, 4),
        ("kind=office", [2], set(), 2),
        ("kind=hall", [], {"A5"}, 1),  # a cell with one unit gives the unit itself
        ("vacancy_state=occupied", [], {"N1"}, 1),
        ("kind=workshop", [], set(), 0),
    ],
)
def test_clusters_add_up_to_the_filtered_total(
    staff_client, world, query, clusters, singles, total
):
    body = _layer(staff_client, f"zoom=13&{query}")
    assert _summary(body) == (clusters, {world[s] for s in singles}, total)
    assert body["clustered"] is bool(clusters)


def test_cluster_carries_count_extent_and_mean_position(staff_client, world):
    body = _layer(staff_client, "zoom=13&kind=shop")
    (cluster,) = [f for f in body["features"] if f["properties"].get("cluster")]
    assert cluster["properties"]["bbox"] == [11.23, 51.72, 11.2305, 51.7202]
    # mean of A1, A2 (Allee) and N1 (nearby)
    assert cluster["geometry"]["coordinates"] == [11.230167, 51.720067]
    assert body["extent"] == [11.23, 51.72, 11.2435, 51.762]


def test_street_zoom_shows_single_units(staff_client, world):
    body = _layer(staff_client, "zoom=17")
    assert _summary(body) == ([], set(world.values()), 9)
    assert body["clustered"] is False


@pytest.mark.parametrize(
    "bbox, inside",
    [
        # the Allee's building exactly on each edge of the box: inside
        ("11.2300,51.7190,11.2400,51.7210", {"A1", "A2", "A3", "A4", "A5", "N1", "N2", "N3"}),
        ("11.2200,51.7190,11.2300,51.7210", {"A1", "A2", "A3", "A4", "A5"}),
        ("11.2200,51.7200,11.2400,51.7210", {"A1", "A2", "A3", "A4", "A5", "N1", "N2", "N3"}),
        ("11.2200,51.7190,11.2400,51.7200", {"A1", "A2", "A3", "A4", "A5"}),
        ("11.2300,51.7200,11.2300,51.7200", {"A1", "A2", "A3", "A4", "A5"}),  # a point
        # a hundred-thousandth of a degree (under a metre) beyond the building: outside
        ("11.23001,51.7190,11.2400,51.7210", {"N1", "N2", "N3"}),
        ("11.2200,51.7190,11.22999,51.7210", set()),
        ("11.2200,51.72001,11.2400,51.7210", {"N1", "N2", "N3"}),
        ("11.2200,51.7190,11.2400,51.71999", set()),
    ],
)
@pytest.mark.parametrize("zoom", ["18", "10"])
def test_bbox_holds_exactly_the_units_of_its_extent(staff_client, world, bbox, inside, zoom):
    body = _layer(staff_client, f"bbox={bbox}&zoom={zoom}")
    assert body["total"] == len(inside)
    if zoom == "18":
        assert _summary(body)[1] == {world[n] for n in inside}


def _list_ids(client, query: str) -> list[int]:
    html = client.get(f"{URL}?{query}").get_data(as_text=True)
    return [int(i) for i in re.findall(r'data-unit-id="(\d+)"', html)]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"A1", "A2", "A3", "A4", "A5", "N1", "N2", "N3", "F1"}),
        ("kind=shop&vacancy_state=vacant", {"A1", "A2", "F1"}),
        ("q=Hauptstra", {"F1"}),
        ("q=allee+3", {"N1", "N2"}),
        ("q=N3", {"N3"}),
        ("contact_state=not_contacted", {"A1", "A2", "A3", "A4", "A5", "N1", "N2", "N3", "F1"}),
        ("contact_state=contacted", set()),
    ],
)
def test_filters_apply_to_map_and_list_alike(staff_client, world, query, expected):
    wanted = {world[n] for n in expected}
    assert set(_list_ids(staff_client, query)) == wanted
    assert _summary(_layer(staff_client, f"zoom=18&{query}"))[1] == wanted
    assert _layer(staff_client, f"zoom=12&{query}")["total"] == len(wanted)


def test_contact_state_filter_is_the_most_advanced_case(staff_client, world, session, base):
    """Filtering by state reads the building's most advanced case; a manager's case counts not."""
    m = base.municipality
    allee = session.get(Unit, world["A1"]).building
    owner, manager = factories.owner(session, m), factories.owner(session, m)
    factories.ownership(session, allee, manager, role="manager")
    factories.contact_case(session, allee, owner, state="contacted")
    factories.contact_case(session, allee, manager, state="agreement")
    session.flush()
    allee_units = {world[n] for n in ("A1", "A2", "A3", "A4", "A5")}
    for state, wanted in [("contacted", allee_units), ("agreement", set()),
                          ("not_contacted", set(world.values()) - allee_units)]:  # fmt: skip
        assert set(_list_ids(staff_client, f"contact_state={state}")) == wanted
        assert _layer(staff_client, f"zoom=12&contact_state={state}")["total"] == len(wanted)


@pytest.mark.parametrize(
    "query, message",
    [
        ("bbox=abc", "Parameter „bbox“: erwartet vier Zahlen"),
        ("bbox=11.2,51.7,11.3", "Parameter „bbox“: erwartet vier Zahlen"),
        ("bbox=11.2,51.7,x,51.8", "„x“ ist keine Zahl"),
        ("bbox=11.3,51.7,11.2,51.8", "das Minimum ist größer als das Maximum"),
        ("bbox=11.2,51.8,11.3,51.7", "das Minimum ist größer als das Maximum"),
        ("bbox=11.2,51.7,11.3,95", "Breitengrad 95 liegt nicht in -90 bis 90"),
        ("bbox=-181,51.7,11.3,51.8", "Längengrad -181 liegt nicht in -180 bis 180"),
        ("bbox=1e308,0,1e309,1", "ist keine endliche Zahl"),
        ("bbox=nan,51.7,11.3,51.8", "ist keine endliche Zahl"),
        (
            "zoom=-1",
            "Parameter „zoom“: -1 ist nicht erlaubt (erwartet eine ganze Zahl von 0 bis 22)",
        ),
        (
            "zoom=23",
            "Parameter „zoom“: 23 ist nicht erlaubt (erwartet eine ganze Zahl von 0 bis 22)",
        ),
        ("zoom=99999999999999999999", "ist nicht erlaubt"),
        ("zoom=13.5", "Parameter „zoom“: „13.5“ ist keine ganze Zahl"),
        ("zoom=%3Cb%3E", "ist keine ganze Zahl"),
    ],
)
def test_bad_bbox_or_zoom_is_a_400_with_a_message(staff_client, world, query, message):
    response = staff_client.get(f"{GEOJSON}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == 400 and message in body["error"], body


@pytest.mark.parametrize("query", ["zoom=0", "zoom=22", "bbox=-180,-90,180,90&zoom=22"])
def test_edges_of_zoom_and_bbox_are_accepted(staff_client, world, query):
    assert _layer(staff_client, query)["total"] == 9
