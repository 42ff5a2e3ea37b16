"""Geometry edges on both sides (issue 9): the ±90/±180 bounds of a WGS84 point, the input
number rules, whole messages, the nesting and vertex limits, the boundary tolerance."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, Polygon

from leerstand.spatial import crs
from leerstand.spatial import geometry as g
from leerstand.spatial.geometry import GeometryError


@pytest.fixture(autouse=True)
def _request(app):
    """Messages are translated with Flask-Babel, which needs a request context."""
    with app.test_request_context():
        yield


def _message(call, *args) -> str:
    with pytest.raises(GeometryError) as info:
        call(*args)
    return str(info.value)


@pytest.mark.parametrize(
    ("x", "y", "lonlat"),
    [
        ("-180", "-90", (-180.0, -90.0)),
        ("180", "90", (180.0, 90.0)),
        ("-180", "90", (-180.0, 90.0)),
        ("180", "-90", (180.0, -90.0)),
        (" 11,25 ", "51.7", (11.25, 51.7)),
        (11.25, 51.7, (11.25, 51.7)),
    ],
)
def test_wgs84_point_on_the_bounds_is_accepted(x, y, lonlat):
    point = g.point_from_input(x, y)
    assert (point.x, point.y) == lonlat


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ("0", "90.0001", "Breitengrad 90.0001 liegt nicht zwischen -90 und 90."),
        ("0", "-90.0001", "Breitengrad -90.0001 liegt nicht zwischen -90 und 90."),
        ("180.0001", "0", "Längengrad 180.0001 liegt nicht zwischen -180 und 180."),
        ("-180.0001", "0", "Längengrad -180.0001 liegt nicht zwischen -180 und 180."),
        ("", "51", "Längengrad fehlt."),
        ("11", "  ", "Breitengrad fehlt."),
        (None, "51", "Längengrad fehlt."),
        ("elf", "51", "Längengrad ist keine Zahl: „elf“."),
        ("inf", "51", "Längengrad muss eine endliche Zahl sein."),
        ("11", "nan", "Breitengrad muss eine endliche Zahl sein."),
    ],
)
def test_wgs84_point_beyond_the_bounds_is_refused(x, y, message):
    assert _message(g.point_from_input, x, y) == message


def test_projected_point_messages():
    assert _message(g.point_from_input, "", "5730000", crs.UTM32) == "Rechtswert (Ost) fehlt."
    assert _message(g.point_from_input, "650000", "", crs.UTM32) == "Hochwert (Nord) fehlt."
    assert (
        _message(g.point_from_input, "1", "2", 999999)
        == "Unbekanntes Koordinatensystem EPSG:999999."
    )


def _square(lon=11.2, lat=51.7, d=0.001):
    return [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_nesting_limit_both_sides():
    # 20 levels pass the depth check (and then fail as not a polygon), 21 are refused first.
    assert _message(g.polygon_from_geojson, _nested(20)) == "Der Umriss muss ein Polygon sein."
    assert _message(g.polygon_from_geojson, _nested(21)) == (
        "Der Umriss ist zu tief verschachtelt und kein GeoJSON-Polygon. "
        "Bitte den Umriss neu zeichnen."
    )
    # Brackets inside strings do not count.
    text = json.dumps({"type": "Polygon", "coordinates": [_square()], "x": "[" * 50})
    assert g.polygon_from_geojson(text).area > 0


def test_vertex_limit_both_sides():
    ring = [[11.2 + i * 1e-7, 51.7 + (i % 2) * 1e-6] for i in range(9_999)]
    ring.append(ring[0])
    assert len(ring) == 10_000
    with pytest.raises(GeometryError) as info:
        g.polygon_from_geojson({"type": "Polygon", "coordinates": [ring]})
    assert "zu viele Eckpunkte" not in str(info.value)
    ring.insert(1, [11.2, 51.70001])
    assert _message(g.polygon_from_geojson, {"type": "Polygon", "coordinates": [ring]}) == (
        "Der Umriss hat zu viele Eckpunkte (10.001, höchstens 10.000). "
        "Bitte den Umriss mit weniger Eckpunkten zeichnen."
    )


def test_polygon_messages_whole():
    bowtie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    cases = [
        ("{nope", "Der Umriss ist kein gültiges GeoJSON."),
        ({"type": "Point"}, "Der Umriss muss ein Polygon sein."),
        ({"type": "Feature", "geometry": None}, "Der Umriss muss ein Polygon sein."),
        ({"type": "Polygon", "coordinates": []}, "Das Polygon hat keine Koordinaten."),
        ({"type": "Polygon"}, "Das Polygon hat keine Koordinaten."),
        ({"type": "Polygon", "coordinates": [bowtie]},
         "Der Umriss überschneidet sich selbst. Bitte die Eckpunkte neu setzen."),
        ({"type": "Polygon", "coordinates": [[[0, 0], [True, 0], [1, 1], [0, 0]]]},
         "Das Polygon enthält Werte, die keine Zahlen sind."),
        ({"type": "Polygon", "coordinates": [_square()[:4] + [[11.2, 51.7001]]]},
         "Der Umriss ist nicht geschlossen: erster und letzter Punkt müssen gleich sein."),
        ({"type": "Polygon", "coordinates": [_square()[:3]]},
         "Ein Umriss braucht mindestens drei verschiedene Eckpunkte."),
    ]  # fmt: skip
    for data, message in cases:
        assert _message(g.polygon_from_geojson, data) == message, data


def test_polygon_with_a_hole_and_a_feature_and_a_projection():
    outer = _square(d=0.01)
    hole = _square(11.202, 51.702, 0.001)
    poly = g.polygon_from_geojson(json.dumps({"type": "Polygon", "coordinates": [outer, hole]}))
    assert isinstance(poly, Polygon) and len(poly.interiors) == 1
    assert list(poly.exterior.coords)[0] == (11.2, 51.7)
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [outer]}}
    assert g.polygon_from_geojson(feature).equals(Polygon(outer))
    east, north = 650000.0, 5730000.0
    ring = [[east, north], [east + 50, north], [east + 50, north + 50], [east, north + 50],
            [east, north]]  # fmt: skip
    projected = g.polygon_from_geojson({"type": "Polygon", "coordinates": [ring]}, crs.UTM32)
    lon, lat = projected.exterior.coords[0]
    assert 11.0 < lon < 12.5 and 51.0 < lat < 52.5


def test_boundary_tolerance_both_sides():
    square = Polygon(_square(0, 0, 1))
    g.ensure_inside(Point(1.0014, 0.5), square, "Testdorf")
    assert _message(g.ensure_inside, Point(1.0016, 0.5), square, "Testdorf") == (
        "Der Ort liegt außerhalb von Testdorf. Bitte einen Ort im Gemeindegebiet wählen."
    )


def test_round_trip_keeps_the_geometry():
    poly = Polygon(_square())
    element = g.to_db(poly)
    assert element.srid == 4326
    assert g.from_db(element).equals(poly) and g.from_db(None) is None
    assert g.to_geojson(element) == {
        "type": "Polygon",
        "coordinates": (tuple(tuple(pt) for pt in _square()),),
    }


def test_more_polygon_messages_whole():
    lon, lat = 11.2, 51.7
    cases = [
        ({"type": "Polygon", "coordinates": [[[1], [2], [3], [1]]]},
         "Jeder Eckpunkt des Umrisses braucht zwei oder drei Zahlen (Länge, Breite, Höhe)."),
        ({"type": "Polygon", "coordinates": [[[lon, lat], [float("inf"), lat], [lon, 1],
          [lon, lat]]]}, "Das Polygon enthält ungültige Zahlen (NaN oder unendlich)."),
        ({"type": "Polygon", "coordinates": [_square(), "x"]},
         "Das Polygon hat keine Koordinaten."),
        ({"type": "Polygon", "coordinates": [[[lon, lat], [lon + 1e-4, lat, 9],
          [lon + 1e-4, lat + 1e-4], [lon, lat]]]},
         "Alle Eckpunkte des Umrisses brauchen gleich viele Koordinaten."),
    ]  # fmt: skip
    for data, message in cases:
        assert _message(g.polygon_from_geojson, data) == message, data


def test_nesting_counts_closing_brackets():
    # Closed brackets give their level back: 1 + 20 levels after a closed pair is 21 (refused),
    # 20 levels after a closed top-level pair is 20 (passes the depth check, then bad JSON).
    deep = "[[]," + "[" * 20 + "]" * 20 + "]"
    assert _message(g.polygon_from_geojson, deep).startswith("Der Umriss ist zu tief")
    after_pair = "[]" + "[" * 20 + "]" * 20
    assert _message(g.polygon_from_geojson, after_pair) == "Der Umriss ist kein gültiges GeoJSON."
