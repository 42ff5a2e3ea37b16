"""Validate incoming geometries with shapely before they reach the database.

Every check raises ``GeometryError`` with a German ``Text`` (translated by the view) that says
what is wrong and what to do; nothing is written when one fails. GeoJSON text is scanned for
its nesting depth before it is parsed (100,000 "[" would exhaust the parser's recursion), and
a polygon may have at most ``MAX_VERTICES`` corners."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal

from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely import validation
from shapely.errors import GEOSException
from shapely.geometry import Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from leerstand.messages import Text
from leerstand.spatial import crs

BOUNDARY_TOLERANCE_DEG = 0.0015  # roughly 100 m around the municipality boundary
MAX_DEPTH = 20  # a Polygon Feature needs 5 levels of [ and {
MAX_VERTICES = 10_000  # corners of all rings together
# The longest GeoJSON text a form may send: 10,000 corners with full float precision, and
# below Flask's MAX_FORM_MEMORY_SIZE (500 kB a field), which answers 413 beyond.
GEOJSON_MAX_CHARS = 480_000
# What changes the depth: brackets and braces outside strings. A string is matched whole, an
# unclosed one up to the end (the closing quote is optional: no rescanning, linear time).
JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


class GeometryError(ValueError):
    """A geometry that must not be stored; ``exc.args[0]`` is a German ``Text`` for the user
    (``i18n.error_message`` shows it in the visitor's language)."""


def parse_number(text: str | float | None, what: str) -> float:
    if text is None or (isinstance(text, str) and not text.strip()):
        raise GeometryError(Text("%(what)s fehlt.", what=what))
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        raise GeometryError(
            Text("%(what)s ist keine Zahl: „%(text)s“.", what=what, text=text)
        ) from None
    if not math.isfinite(value):
        raise GeometryError(Text("%(what)s muss eine endliche Zahl sein.", what=what))
    return value


def point_from_input(x, y, epsg: int = crs.WGS84) -> Point:
    """Build a WGS84 point from user input. For EPSG:4326, x is longitude and y latitude."""
    if epsg == crs.WGS84:
        lon = parse_number(x, Text("Längengrad"))
        lat = parse_number(y, Text("Breitengrad"))
        if not -90 <= lat <= 90:
            raise GeometryError(
                Text("Breitengrad %(v)s liegt nicht zwischen -90 und 90.", v=str(lat))
            )
        if not -180 <= lon <= 180:
            raise GeometryError(
                Text("Längengrad %(v)s liegt nicht zwischen -180 und 180.", v=str(lon))
            )
        return Point(lon, lat)
    east = parse_number(x, Text("Rechtswert (Ost)"))
    north = parse_number(y, Text("Hochwert (Nord)"))
    try:
        lon, lat = crs.to_wgs84(east, north, epsg)
    except crs.UnknownCRSError:
        raise GeometryError(
            Text("Unbekanntes Koordinatensystem EPSG:%(code)s.", code=epsg)
        ) from None
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90:
        raise GeometryError(Text("Die Koordinaten liegen außerhalb von EPSG:%(code)s.", code=epsg))
    return Point(lon, lat)


def _position(value) -> list[float]:
    """A GeoJSON position: a list of two or three finite numbers."""
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise GeometryError(
            Text("Jeder Eckpunkt des Umrisses braucht zwei oder drei Zahlen (Länge, Breite, Höhe).")
        )
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in value):
        raise GeometryError(Text("Das Polygon enthält Werte, die keine Zahlen sind."))
    try:
        numbers = [float(v) for v in value]
    except OverflowError:  # an integer beyond any float
        numbers = [math.inf]
    if not all(math.isfinite(v) for v in numbers):
        raise GeometryError(Text("Das Polygon enthält ungültige Zahlen (NaN oder unendlich)."))
    return numbers


def _rings(coords) -> list[list[list[float]]]:
    """Checked rings with 2D positions (a height is dropped; the columns are 2D)."""
    if not all(isinstance(ring, list) for ring in coords):
        raise GeometryError(Text("Das Polygon hat keine Koordinaten."))
    rings = [[_position(pt) for pt in ring] for ring in coords]
    if len({len(pt) for ring in rings for pt in ring}) > 1:
        raise GeometryError(Text("Alle Eckpunkte des Umrisses brauchen gleich viele Koordinaten."))
    for ring in rings:
        if len(ring) < 4:
            raise GeometryError(Text("Ein Umriss braucht mindestens drei verschiedene Eckpunkte."))
        if ring[0] != ring[-1]:
            raise GeometryError(
                Text(
                    "Der Umriss ist nicht geschlossen: erster und letzter Punkt müssen gleich sein."
                )
            )
    return [[pt[:2] for pt in ring] for ring in rings]


def _polygon(coords) -> Polygon:
    try:
        poly = shape({"type": "Polygon", "coordinates": coords})
        reason = None if poly.is_valid else validation.explain_validity(poly)
        empty = poly.area == 0
    except (ValueError, GEOSException):
        raise GeometryError(Text("Der Umriss ist ungültig. Bitte neu zeichnen.")) from None
    if reason and "Self-intersection" in reason:
        raise GeometryError(
            Text("Der Umriss überschneidet sich selbst. Bitte die Eckpunkte neu setzen.")
        )
    if reason:
        raise GeometryError(Text("Der Umriss ist ungültig: %(reason)s", reason=reason))
    if empty:
        raise GeometryError(Text("Der Umriss hat keine Fläche."))
    return poly


def _check_nesting(data: str) -> None:
    """Refuse JSON text nested deeper than ``MAX_DEPTH`` before ``json.loads`` sees it."""
    depth = 0
    for token in JSON_NESTING.finditer(data):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise GeometryError(
                    Text(
                        "Der Umriss ist zu tief verschachtelt und kein GeoJSON-Polygon. "
                        "Bitte den Umriss neu zeichnen."
                    )
                )
        elif char in "]}":
            depth -= 1


def _check_vertex_count(coords: list) -> None:
    count = sum(len(ring) for ring in coords if isinstance(ring, list))
    if count > MAX_VERTICES:
        raise GeometryError(
            Text(
                "Der Umriss hat zu viele Eckpunkte (%(count)s, höchstens %(max)s). "
                "Bitte den Umriss mit weniger Eckpunkten zeichnen.",
                count=Decimal(count),
                max=Decimal(MAX_VERTICES),
            )
        )


def polygon_from_geojson(data: str | dict, epsg: int = crs.WGS84) -> Polygon:
    """Parse a GeoJSON Polygon (geometry or Feature), check it and return it in WGS84."""
    if isinstance(data, str):
        _check_nesting(data)
    try:
        obj = json.loads(data) if isinstance(data, str) else data
    except json.JSONDecodeError:
        raise GeometryError(Text("Der Umriss ist kein gültiges GeoJSON.")) from None
    if isinstance(obj, dict) and obj.get("type") == "Feature":
        obj = obj.get("geometry")
    if not isinstance(obj, dict) or obj.get("type") != "Polygon":
        raise GeometryError(Text("Der Umriss muss ein Polygon sein."))
    coords = obj.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise GeometryError(Text("Das Polygon hat keine Koordinaten."))
    _check_vertex_count(coords)
    coords = _rings(coords)
    if epsg != crs.WGS84:
        coords = crs.transform_coords(coords, epsg)
    return _polygon(coords)


def ensure_inside(geom: BaseGeometry, boundary: BaseGeometry, municipality_name: str) -> None:
    if not boundary.buffer(BOUNDARY_TOLERANCE_DEG).contains(geom):
        raise GeometryError(
            Text(
                "Der Ort liegt außerhalb von %(name)s. Bitte einen Ort im Gemeindegebiet wählen.",
                name=municipality_name,
            )
        )


def to_db(geom: BaseGeometry) -> WKBElement:
    return from_shape(geom, srid=crs.WGS84)


def from_db(element: WKBElement | None) -> BaseGeometry | None:
    return None if element is None else to_shape(element)


def to_geojson(element: WKBElement | None) -> dict | None:
    geom = from_db(element)
    return None if geom is None else mapping(geom)
