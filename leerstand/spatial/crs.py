"""All pyproj use lives here: transformations between EPSG codes and geodesic distances.

Axis order is always (x, y) = (lon, lat) / (easting, northing) (``always_xy=True``)."""

from functools import lru_cache

from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import CRSError

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


def offered_choices() -> list[tuple[str, str]]:
    """(value, text) pairs for a ``<select>`` of the offered coordinate systems."""
    return [(str(epsg), name) for epsg, name in OFFERED.items()]


@lru_cache(maxsize=32)
def _transformer(source: int, target: int) -> Transformer:
    try:
        return Transformer.from_crs(CRS.from_epsg(source), CRS.from_epsg(target), always_xy=True)
    except CRSError as exc:
        raise UnknownCRSError(f"EPSG:{source}") from exc


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
