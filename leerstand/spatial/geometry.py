"""Validate incoming geometries with shapely before they reach the database.

Every check raises ``GeometryError`` with a German message that says what is wrong and
what to do; nothing is written when one fails."""

from __future__ import annotations

import json
import math

from flask_babel import gettext as _
from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely import validation
from shapely.geometry import Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from leerstand.spatial import crs

BOUNDARY_TOLERANCE_DEG = 0.0015  # roughly 100 m around the municipality boundary


class GeometryError(ValueError):
    """A geometry that must not be stored; ``str(exc)`` is a German message for the user."""


def parse_number(text: str | float | None, what: str) -> float:
    if text is None or (isinstance(text, str) and not text.strip()):
        raise GeometryError(_("%(what)s fehlt.", what=what))
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        raise GeometryError(
            _("%(what)s ist keine Zahl: „%(text)s“.", what=what, text=text)
        ) from None
    if not math.isfinite(value):
        raise GeometryError(_("%(what)s muss eine endliche Zahl sein.", what=what))
    return value


def point_from_input(x, y, epsg: int = crs.WGS84) -> Point:
    """Build a WGS84 point from user input. For EPSG:4326, x is longitude and y latitude."""
    if epsg == crs.WGS84:
        lon = parse_number(x, _("Längengrad"))
        lat = parse_number(y, _("Breitengrad"))
        if not -90 <= lat <= 90:
            raise GeometryError(_("Breitengrad %(v)s liegt nicht zwischen -90 und 90.", v=lat))
        if not -180 <= lon <= 180:
            raise GeometryError(_("Längengrad %(v)s liegt nicht zwischen -180 und 180.", v=lon))
        return Point(lon, lat)
    east = parse_number(x, _("Rechtswert (Ost)"))
    north = parse_number(y, _("Hochwert (Nord)"))
    try:
        lon, lat = crs.to_wgs84(east, north, epsg)
    except crs.UnknownCRSError:
        raise GeometryError(_("Unbekanntes Koordinatensystem EPSG:%(code)s.", code=epsg)) from None
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90:
        raise GeometryError(_("Die Koordinaten liegen außerhalb von EPSG:%(code)s.", code=epsg))
    return Point(lon, lat)


def _check_ring_closed(coords) -> None:
    for ring in coords:
        if len(ring) < 4:
            raise GeometryError(_("Ein Umriss braucht mindestens drei verschiedene Eckpunkte."))
        if list(ring[0]) != list(ring[-1]):
            raise GeometryError(
                _("Der Umriss ist nicht geschlossen: erster und letzter Punkt müssen gleich sein.")
            )


def polygon_from_geojson(data: str | dict, epsg: int = crs.WGS84) -> Polygon:
    """Parse a GeoJSON Polygon (geometry or Feature), check it and return it in WGS84."""
    try:
        obj = json.loads(data) if isinstance(data, str) else data
    except json.JSONDecodeError:
        raise GeometryError(_("Der Umriss ist kein gültiges GeoJSON.")) from None
    if isinstance(obj, dict) and obj.get("type") == "Feature":
        obj = obj.get("geometry")
    if not isinstance(obj, dict) or obj.get("type") != "Polygon":
        raise GeometryError(_("Der Umriss muss ein Polygon sein."))
    coords = obj.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise GeometryError(_("Das Polygon hat keine Koordinaten."))
    try:
        flat = [float(v) for ring in coords for pt in ring for v in pt[:2]]
    except (TypeError, ValueError):
        raise GeometryError(_("Das Polygon enthält Werte, die keine Zahlen sind.")) from None
    if not all(math.isfinite(v) for v in flat):
        raise GeometryError(_("Das Polygon enthält ungültige Zahlen (NaN oder unendlich)."))
    _check_ring_closed(coords)
    if epsg != crs.WGS84:
        coords = crs.transform_coords(coords, epsg)
    poly = shape({"type": "Polygon", "coordinates": coords})
    if not poly.is_valid:
        reason = validation.explain_validity(poly)
        if "Self-intersection" in reason:
            raise GeometryError(
                _("Der Umriss überschneidet sich selbst. Bitte die Eckpunkte neu setzen.")
            )
        raise GeometryError(_("Der Umriss ist ungültig: %(reason)s", reason=reason))
    if poly.area == 0:
        raise GeometryError(_("Der Umriss hat keine Fläche."))
    return poly


def ensure_inside(geom: BaseGeometry, boundary: BaseGeometry, municipality_name: str) -> None:
    if not boundary.buffer(BOUNDARY_TOLERANCE_DEG).contains(geom):
        raise GeometryError(
            _(
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
