"""Vector tiles of the public units (``/tiles/units/{z}/{x}/{y}.mvt``), decoded with
mapbox-vector-tile: exactly the public units of a tile's extent with the public fields only,
clusters below zoom 17 whose counts add up, the map's filters, the count for the list, ETags,
and a 400/404 (never a 500) for a tile outside the grid or a bad filter."""

from __future__ import annotations

import mapbox_vector_tile
import pytest

from leerstand.services.public.geojson import UNIT_PROPERTIES
from tests.integration import public_world
from tests.integration.public_world import SECRETS

# tiles (z, x, y) holding the Allee (11.2265, 51.7192) and Badeborn (11.2439, 51.7619)
ALLEE_17 = (17, 69623, 43460)
BADEBORN_17 = (17, 69629, 43435)
BOTH_10 = (10, 543, 339)  # both places: west 10.8984375, east 11.25 (lon)
BOTH_8 = (8, 135, 84)


@pytest.fixture
def world(session, base):
    return public_world.build(session, base)


def url(tile: tuple[int, int, int], query: str = "") -> str:
    z, x, y = tile
    return f"/tiles/units/{z}/{x}/{y}.mvt" + (f"?{query}" if query else "")


def features(client, tile: tuple[int, int, int], query: str = "") -> list[dict]:
    response = client.get(url(tile, query))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    layers = mapbox_vector_tile.decode(response.get_data())
    assert set(layers) <= {"units"}
    return layers["units"]["features"] if layers else []


def unit_ids(client, tile, query: str = "") -> set[int]:
    return {f["id"] for f in features(client, tile, query) if f["properties"]["count"] == 1}


def total(client, tile, query: str = "") -> int:
    return sum(f["properties"]["count"] for f in features(client, tile, query))


def test_a_detailed_tile_holds_exactly_the_public_units_of_its_extent(client, world):
    assert unit_ids(client, ALLEE_17) == {world.public["consent"]}
    assert unit_ids(client, BADEBORN_17) == {world.public["municipal"], world.public["interim"]}
    assert features(client, (17, 69623, 43461)) == []  # the tile south of the Allee's


def test_a_unit_carries_the_public_fields_only(client, world):
    response = client.get(url(ALLEE_17))
    body = response.get_data()
    for secret in SECRETS:
        assert secret.encode() not in body, secret
    (unit,) = features(client, ALLEE_17)
    assert unit["geometry"]["type"] == "Point"
    props = unit["properties"]
    # the GeoJSON's allowlist and the count; null values (no district…) are left out
    assert set(props) <= {*UNIT_PROPERTIES, "count"}
    assert {"id", "kind", "vacancy_state", "vacancy_label", "url", "count"} <= set(props)
    assert props["area_m2"] == 85  # 83 m² rounded to 5 m² steps, as in the GeoJSON
    assert props["kind_label"] == "Ladenlokal"
    assert props["url"] == f"/leerstand/{world.public['consent']}"


def test_a_hidden_unit_is_in_no_tile_at_any_zoom(client, world):
    hidden = set(world.hidden.values())
    tiles = [(0, 0, 0), BOTH_8, BOTH_10, (12, 2175, 1358), (14, 8702, 5432), ALLEE_17]
    for tile in tiles:
        found = {f.get("id") for f in features(client, tile)}
        assert not found & hidden, tile
    assert total(client, (0, 0, 0)) == 3  # the other town's unit is not the first town's


def test_withdrawing_consent_takes_the_unit_out_of_its_tile(client, session, world):
    from leerstand.models import Consent, Unit

    assert unit_ids(client, ALLEE_17) == {world.public["consent"]}
    owner_id = session.get(Unit, world.public["consent"]).building.ownerships[0].owner_id
    row = session.query(Consent).filter_by(owner_id=owner_id).one()
    row.withdrawn_at = row.given_at
    session.flush()
    assert features(client, ALLEE_17) == []
    assert total(client, BOTH_10) == 2


def test_low_zoom_clusters_add_up_to_the_filtered_total(client, world):
    assert total(client, (0, 0, 0)) == 3
    assert total(client, BOTH_8) == 3
    assert total(client, BOTH_10) == 3
    assert total(client, BOTH_10, "kind=hall") == 1
    assert total(client, BOTH_10, "street_level=1") == 1
    # at zoom 8 the three units share one cell: one cluster, no unit's properties
    (cluster,) = features(client, BOTH_8)
    assert cluster["properties"] == {"count": 3}
    assert "id" not in cluster or cluster["id"] in (None, 0)


def test_counts_add_up_over_the_children_of_a_tile(client, session, base):
    from decimal import Decimal

    from tests import factories as f

    town = f.owner(session, base.municipality, name="Stadt", is_municipality=True)
    for i in range(40):  # a 8 × 5 grid of units, 0.002° apart, west of the Allee
        lonlat = (11.10 + i % 8 * 0.002, 51.70 + i // 8 * 0.002)
        building = f.building(session, base.municipality, lonlat=lonlat)
        f.ownership(session, building, town)
        f.unit(session, building, publishable=True, area_m2=Decimal(50))
    session.flush()
    parents = [BOTH_8]
    for z in range(8, 17):
        assert sum(total(client, tile) for tile in parents) == 40, z
        children = [(z + 1, 2 * x + dx, 2 * y + dy) for _, x, y in parents
                    for dx in (0, 1) for dy in (0, 1)]  # fmt: skip
        parents = [tile for tile in children if features(client, tile)]
    assert sum(len(features(client, tile)) for tile in parents) == 40  # z17: one feature each


def test_a_unit_on_a_tile_edge_is_in_one_tile_only(client, session, base):
    from tests import factories as f

    town = f.owner(session, base.municipality, name="Stadt", is_municipality=True)
    edge = f.building(session, base.municipality, lonlat=(11.25, 51.70))  # x 543 | 544 at z10
    f.ownership(session, edge, town)
    unit = f.unit(session, edge, publishable=True)
    session.flush()
    west, east = (10, 543, 339), (10, 544, 339)
    assert unit_ids(client, west) | unit_ids(client, east) == {unit.id}
    assert total(client, west, "kind=shop") + total(client, east, "kind=shop") == 1


def test_filters_of_the_map_apply(client, world):
    assert unit_ids(client, BADEBORN_17, "kind=office") == {world.public["municipal"]}
    assert unit_ids(client, BADEBORN_17, "step_free=1") == {world.public["municipal"]}
    assert unit_ids(client, BADEBORN_17, "area_min=100") == {world.public["interim"]}
    # the interim unit has 201 m²: the edges on both sides
    assert unit_ids(client, BADEBORN_17, "area_min=201") == {world.public["interim"]}
    assert unit_ids(client, BADEBORN_17, "area_min=202") == set()
    assert unit_ids(client, BADEBORN_17, "area_max=200") == {world.public["municipal"]}
    both = {world.public["municipal"], world.public["interim"]}
    assert unit_ids(client, BADEBORN_17, "area_max=201") == both


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/tiles/units/23/0/0.mvt", 400),  # above zoom 22
        ("/tiles/units/22/0/0.mvt", 200),  # the highest zoom
        ("/tiles/units/3/8/0.mvt", 404),  # x ≥ 2^z
        ("/tiles/units/3/7/7.mvt", 200),  # the last tile of zoom 3
        ("/tiles/units/3/0/8.mvt", 404),  # y ≥ 2^z
        ("/tiles/units/-1/0/0.mvt", 404),
        ("/tiles/units/3/-1/0.mvt", 404),
        ("/tiles/units/5/99999999999999999999/0.mvt", 404),
        ("/tiles/units/a/b/c.mvt", 404),
        ("/tiles/units/0/0/0.pbf", 404),
        ("/tiles/nothing/0/0/0.mvt", 404),
    ],
)
def test_a_tile_outside_the_grid_is_refused(client, path, status):
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:200]


def test_refusals_say_why_in_german_json(client):
    response = client.get("/tiles/units/23/0/0.mvt")
    assert response.get_json() == {"error": "Zoomstufe 23 liegt nicht in 0 bis 22.", "status": 400}
    response = client.get("/tiles/units/3/8/0.mvt")
    assert response.get_json() == {"error": "Die Kachel 3/8/0 gibt es nicht.", "status": 404}
    response = client.get(url(BOTH_10, "kind=castle"))
    assert response.status_code == 400
    assert "unbekannte Art „castle“" in response.get_json()["error"]
    response = client.get(url(BOTH_10, "secret=1"))
    assert response.status_code == 400
    assert "Unbekannter Parameter „secret“" in response.get_json()["error"]
    assert client.get(url(BOTH_10, "area_min=-1")).status_code == 400
    assert client.get(url(BOTH_10, "area_min=5&area_max=4")).status_code == 400


def test_tiles_have_an_etag_and_answer_304(client, world):
    response = client.get(url(ALLEE_17))
    etag = response.headers["ETag"]
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(url(ALLEE_17), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get(url(ALLEE_17, "kind=office"), headers={"If-None-Match": etag})
    assert other.status_code == 200  # another filter, another tile (empty here)
    assert other.get_data() == b""


def test_the_summary_counts_the_view_and_the_interim_uses(client, world):
    assert client.get("/tiles/units/summary.json").get_json() == {
        "matched": 3,
        "interim": 1,
        "capped": False,
    }
    around_badeborn = "bbox=11.24,51.76,11.25,51.77"
    response = client.get(f"/tiles/units/summary.json?{around_badeborn}")
    assert response.get_json() == {"matched": 2, "interim": 1, "capped": False}
    response = client.get("/tiles/units/summary.json?kind=shop")
    assert response.get_json() == {"matched": 1, "interim": 0, "capped": False}
    response = client.get("/tiles/units/summary.json?bbox=11,95,12,96")
    assert response.status_code == 400
    assert "Breitengrad 95" in response.get_json()["error"]
