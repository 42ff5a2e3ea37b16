"""All pyproj use lives here: transformations between EPSG codes and geodesic distances.

Axis order is always (x, y) = (lon, lat) / (easting, northing) (``always_xy=True``)."""

from functools import lru_cache

from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import CRSError

from leerstand.messages import Text

WGS84 = 4326
UTM32 = 25832  # ETRS89 / UTM zone 32N, the CRS of Sachsen-Anhalt's cadastre
_GEOD = Geod(ellps="WGS84")
# The coordinate systems offered for typed coordinates (building form): EPSG code -> name.
# The form's choices and the check of what was sent both come from here.
OFFERED = {
    WGS84: "WGS84 (Breite/Länge)",
    UTM32: "ETRS89 / UTM 32N (EPSG:25832)",
}


class UnknownCRSError(ValueError):
    pass


def epsg_of(definition: str | None) -> int | None:
    """The EPSG code of a CRS given as "EPSG:25832", WKT or PROJ text (e.g. a Shapefile's .prj
    or a GeoPackage's definition), or None when it has none or is unknown."""
    if not definition:
        return None
    try:
        return CRS.from_user_input(definition).to_epsg(min_confidence=70)
    except CRSError:
        return None


def offered_choices() -> list[tuple[str, str]]:
    """(value, text) pairs for a ``<select>`` of the offered coordinate systems."""
    return [(str(epsg), name) for epsg, name in OFFERED.items()]


@lru_cache(maxsize=32)
def _transformer(source: int, target: int) -> Transformer:
    try:
        return Transformer.from_crs(CRS.from_epsg(source), CRS.from_epsg(target), always_xy=True)
    except CRSError as exc:
        raise UnknownCRSError(Text("EPSG:%(code)s", code=source)) from exc


def to_wgs84(x: float, y: float, source: int) -> tuple[float, float]:
    """(x, y) in EPSG:``source`` -> (lon, lat)."""
    if source == WGS84:
        return x, y
    lon, lat = _transformer(source, WGS84).transform(x, y)
    return lon, lat


def from_wgs84(lon: float, lat: float, target: int) -> tuple[float, float]:
    if target == WGS84:
        return lon, lat
    return _transformer(WGS84, target).transform(lon, lat)


def transform_coords(coords, source: int, target: int = WGS84):
    """Transform a nested coordinate list (GeoJSON style) between EPSG codes."""
    if source == target:
        return coords
    if coords and isinstance(coords[0], int | float):
        return list(_transformer(source, target).transform(coords[0], coords[1]))
    return [transform_coords(c, source, target) for c in coords]


@lru_cache(maxsize=8)
def area_bounds(epsg: int) -> tuple[float, float, float, float]:
    """The CRS's area of use in its own coordinates (minx, miny, maxx, maxy); outside of it a
    projection may fail (e.g. PostGIS: "Point outside of projection domain")."""
    crs = CRS.from_epsg(epsg)
    west, south, east, north = crs.area_of_use.bounds
    if epsg == WGS84:
        return west, south, east, north
    return _transformer(WGS84, epsg).transform_bounds(west, south, east, north)


def geodesic_distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    _, _, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    return abs(dist)


def transform_geometry(geom, source: int, target: int = WGS84):
    """A shapely geometry from EPSG:``source`` to EPSG:``target``."""
    import numpy
    import shapely

    if source == target:
        return geom
    transformer = _transformer(source, target)

    def _apply(coords):
        return numpy.column_stack(transformer.transform(coords[:, 0], coords[:, 1]))

    return shapely.transform(geom, _apply)


def buffer_m(geom, metres: float, epsg: int = UTM32):
    """Buffer a WGS84 shapely geometry by ``metres`` measured in EPSG:``epsg`` (default UTM 32N)."""
    projected = transform_geometry(geom, WGS84, epsg)
    return transform_geometry(projected.buffer(metres), epsg, WGS84)


@lru_cache(maxsize=32)
def _transformer_from(source: str) -> Transformer:
    try:
        return Transformer.from_crs(
            CRS.from_user_input(source), CRS.from_epsg(WGS84), always_xy=True
        )
    except CRSError as exc:
        raise UnknownCRSError(source[:80]) from exc


def geometry_to_wgs84(geom, source: str | None):
    """A shapely geometry in the CRS ``source`` (anything pyproj reads: "EPSG:25832", WKT or
    PROJJSON, as a file's metadata gives it; None: already WGS84, as GeoJSON says) to WGS84."""
    import numpy
    import shapely

    if not source:
        return geom
    transformer = _transformer_from(source)

    def _apply(coords):
        return numpy.column_stack(transformer.transform(coords[:, 0], coords[:, 1]))

    return shapely.transform(geom, _apply)
