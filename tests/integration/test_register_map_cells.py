"""The register map's unfiltered clusters from the cell counts (services/register/map_cells):
the units exactly inside the view (edges included) whatever the cells, counts adding up to the
total, the same total as the units' own grouping (a filter every unit passes takes that path),
one-unit cells as the unit, a cluster's bbox tight around its units, the town view without
bbox, and every change in the next answer."""

from __future__ import annotations

import pytest

from leerstand.models import Unit
from tests import factories as f

GEOJSON = "/verwaltung/register.geojson"
LONS = (11.100, 11.102, 11.104, 11.106, 11.108, 11.110, 11.112, 11.114)
LATS = (51.700, 51.702, 51.704, 51.706, 51.708)
EVERY_UNIT = "vacancy_state=vacant"  # every unit of the grid passes: the units' own grouping


@pytest.fixture
def grid(session, base):
    """40 units on an 8 × 5 grid 0.002° apart (one per building), a unit of another town."""
    ids = {}
    for lat in LATS:
        for lon in LONS:
            building = f.building(session, base.municipality, lonlat=(lon, lat))
            ids[(lon, lat)] = f.unit(session, building, name=f"{lon} {lat}").id
    foreign = f.building(session, base.other_municipality, lonlat=(11.104, 51.704))
    f.unit(session, foreign, name="Fremd")
    session.flush()
    return ids


def _layer(client, query: str) -> dict:
    response = client.get(f"{GEOJSON}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _counts(body: dict) -> list[int]:
    return sorted(x["properties"].get("count", 1) for x in body["features"])


@pytest.mark.parametrize(
    "bbox, total",
    [
        ("11.0,51.6,11.3,51.8", 40),  # the whole grid, deep inside
        ("11.1030,51.7010,11.1110,51.7070", 12),  # columns 3–6, rows 2–4
        ("11.1040,51.7020,11.1100,51.7060", 12),  # the same units exactly on the edges
        ("11.10401,51.7020,11.1100,51.7060", 9),  # a hair inside the west edge: a column less
        ("11.1040,51.7020,11.10999,51.7060", 9),
        ("11.1040,51.70201,11.1100,51.7060", 8),  # a hair inside the south edge: a row less
        ("11.1040,51.7020,11.1100,51.70599", 8),
        ("11.1040,51.7020,11.1040,51.7020", 1),  # a point on a unit
        ("11.1050,51.7030,11.1050,51.7030", 0),  # a point between units
    ],
)
@pytest.mark.parametrize("zoom", ["10", "12", "14", "16"])
def test_the_view_holds_exactly_the_units_inside(staff_client, grid, bbox, total, zoom):
    cells = _layer(staff_client, f"bbox={bbox}&zoom={zoom}")
    assert cells["total"] == total
    assert sum(_counts(cells)) == total
    live = _layer(staff_client, f"bbox={bbox}&zoom={zoom}&{EVERY_UNIT}")
    assert live["total"] == total


def test_one_unit_cells_are_the_unit_and_clusters_hold_their_units(staff_client, grid):
    body = _layer(staff_client, "bbox=11.0,51.6,11.3,51.8&zoom=16")
    singles = [x for x in body["features"] if not x["properties"].get("cluster")]
    clusters = [x for x in body["features"] if x["properties"].get("cluster")]
    assert len(singles) + sum(c["properties"]["count"] for c in clusters) == 40
    for single in singles:
        lon, lat = single["geometry"]["coordinates"]
        assert single["properties"]["unit_id"] == grid[(lon, lat)]
        assert single["properties"]["name"] == f"{lon} {lat}"
    # a cluster's bbox: its non-empty cells of zoom 16 (0.00137° wide) – tight around the grid
    boxes = [c["properties"]["bbox"] for c in clusters]
    for west, south, east, north in boxes:
        assert 11.0986 <= west < east <= 11.1154 and 51.6990 <= south < north <= 51.7090
    assert min(b[0] for b in boxes) <= 11.100 and max(b[2] for b in boxes) >= 11.114
    west, south, east, north = body["extent"]
    assert west <= 11.100 and east >= 11.114 and south <= 51.700 and north >= 51.708


def test_the_town_view_without_bbox_counts_every_unit(staff_client, grid):
    for zoom in ("0", "8", "12", "16"):
        body = _layer(staff_client, f"zoom={zoom}")
        assert body["total"] == 40 and sum(_counts(body)) == 40, zoom
    assert _counts(_layer(staff_client, "zoom=0")) == [40]


def test_a_change_is_in_the_next_answer(staff_client, session, grid):
    query = "bbox=11.1030,51.7010,11.1110,51.7070&zoom=12"
    session.delete(session.get(Unit, grid[(11.106, 51.704)]))
    session.flush()
    assert _layer(staff_client, query)["total"] == 11
    session.get(Unit, grid[(11.100, 51.700)]).building_id = session.get(
        Unit, grid[(11.104, 51.704)]
    ).building_id  # moved into a building inside the view
    session.flush()
    assert _layer(staff_client, query)["total"] == 12
    assert _layer(staff_client, "zoom=12")["total"] == 39
