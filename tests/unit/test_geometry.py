"""Geometry validation: points from user input, polygons from GeoJSON, the boundary check."""

from __future__ import annotations

import math

import pytest
from pyproj import Transformer
from shapely.geometry import Point

from leerstand.geodata import load_boundary
from leerstand.spatial import crs
from leerstand.spatial.geometry import (
    GeometryError,
    ensure_inside,
    point_from_input,
    polygon_from_geojson,
    to_db,
    to_geojson,
)
from tests.factories import ALLEE, OUTSIDE

LON, LAT = ALLEE


@pytest.fixture(autouse=True)
def _request(app):
    """Messages are translated with Flask-Babel, which needs a request context."""
    with app.test_request_context():
        yield


def _ring(d=0.0001):
    return [[LON, LAT], [LON + d, LAT], [LON + d, LAT + d], [LON, LAT + d], [LON, LAT]]


def test_wgs84_point_accepts_german_decimal_comma():
    point = point_from_input("11,2265", "51,7192")
    assert (point.x, point.y) == (LON, LAT)


def test_utm32_point_matches_pyproj():
    east, north = Transformer.from_crs(4326, 25832, always_xy=True).transform(LON, LAT)
    point = point_from_input(f"{east}", f"{north}", crs.UTM32)
    assert math.isclose(point.x, LON, abs_tol=1e-9) and math.isclose(point.y, LAT, abs_tol=1e-9)
    assert 600_000 < east < 700_000 and 5_700_000 < north < 5_800_000


@pytest.mark.parametrize(
    "x, y, message",
    [
        ("nan", "51.7", "endliche Zahl"),
        ("11.2", "inf", "endliche Zahl"),
        ("11.2", "95", "zwischen -90 und 90"),
        ("181", "51.7", "zwischen -180 und 180"),
        ("", "51.7", "fehlt"),
        ("elf", "51.7", "keine Zahl"),
    ],
)
def test_bad_wgs84_points(x, y, message):
    with pytest.raises(GeometryError, match=message):
        point_from_input(x, y)


def test_unknown_epsg():
    with pytest.raises(GeometryError, match="Unbekanntes Koordinatensystem"):
        point_from_input("1", "2", 999999)


def test_polygon_valid_and_feature_wrapper():
    poly = polygon_from_geojson({"type": "Feature", "geometry": {"type": "Polygon",
                                 "coordinates": [_ring()]}})  # fmt: skip
    assert poly.is_valid and poly.area > 0


@pytest.mark.parametrize(
    "data, message",
    [
        ("{nope", "kein gültiges GeoJSON"),
        ({"type": "Point", "coordinates": [1, 2]}, "muss ein Polygon sein"),
        ({"type": "Polygon", "coordinates": [_ring()[:-1]]}, "nicht geschlossen"),
        ({"type": "Polygon", "coordinates": [_ring()[:3]]}, "mindestens drei"),
        ({"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 1e-4, LAT + 1e-4],
          [LON + 1e-4, LAT], [LON, LAT + 1e-4], [LON, LAT]]]}, "überschneidet sich selbst"),
        ({"type": "Polygon", "coordinates": [[[LON, LAT], ["x", LAT], [LON, 1], [LON, LAT]]]},
         "keine Zahlen"),
        ({"type": "Polygon", "coordinates": [[[LON, LAT], [float("nan"), LAT], [LON, 1],
          [LON, LAT]]]}, "NaN"),
        ({"type": "Polygon", "coordinates": [[[1], [2], [3], [1]]]}, "zwei oder drei Zahlen"),
        ({"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 1e-4, LAT, 9],
          [LON + 1e-4, LAT + 1e-4], [LON, LAT]]]}, "gleich viele Koordinaten"),
        ({"type": "Polygon", "coordinates": [[[LON, LAT], [10**400, LAT], [LON, 1],
          [LON, LAT]]]}, "NaN"),
        ({"type": "Polygon", "coordinates": [_ring(), "x"]}, "keine Koordinaten"),
        ({"type": "Polygon", "coordinates": [[[LON, LAT]] * 4]}, "ungültig"),
    ],
)  # fmt: skip
def test_bad_polygons(data, message):
    with pytest.raises(GeometryError, match=message):
        polygon_from_geojson(data)


def test_polygon_heights_are_dropped():
    ring = [[x, y, 100.0] for x, y in _ring()]
    poly = polygon_from_geojson({"type": "Polygon", "coordinates": [ring]})
    assert not poly.has_z and poly.area > 0


def test_ensure_inside_ballenstedt():
    _, boundary = load_boundary()
    ensure_inside(Point(*ALLEE), boundary, "Ballenstedt")
    with pytest.raises(GeometryError, match="außerhalb von Ballenstedt"):
        ensure_inside(Point(*OUTSIDE), boundary, "Ballenstedt")


def test_geojson_round_trip():
    poly = polygon_from_geojson({"type": "Polygon", "coordinates": [_ring()]})
    assert to_geojson(to_db(poly))["type"] == "Polygon"
    assert to_geojson(None) is None
