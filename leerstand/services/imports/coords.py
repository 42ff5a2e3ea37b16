"""Where a row is: two coordinate columns or the file's geometry, checked for the chosen
coordinate system (degrees for WGS 84, metres for UTM 32N and Gauß-Krüger, lon/lat swapped)
and reprojected to WGS 84 with ``leerstand.spatial``. Points become the location, polygons
the footprint (location: a point on the surface)."""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon

from leerstand.messages import Text
from leerstand.services.imports.parse import CellProblem
from leerstand.spatial import crs

# Plausible ranges (x, y) per EPSG code for Germany and its surroundings.
RANGES = {
    4326: ((5.0, 16.0), (47.0, 56.0)),
    25832: ((200_000.0, 1_000_000.0), (5_200_000.0, 6_150_000.0)),
    31468: ((4_200_000.0, 4_800_000.0), (5_200_000.0, 6_150_000.0)),
}
NAMES = {4326: "WGS 84", 25832: "UTM 32N", 31468: "Gauß-Krüger"}


def epsg(settings_crs: str, file_crs: str | None) -> int | None:
    """The EPSG code the rows' coordinates are in, from the choice (or the file's CRS)."""
    return crs.epsg_of(file_crs if settings_crs == "file" else settings_crs)


def _inside(code: int, x: float, y: float) -> bool:
    (x0, x1), (y0, y1) = RANGES[code]
    return x0 <= x <= x1 and y0 <= y <= y1


def check_plausible(code: int, x: float, y: float) -> None:
    """Refuse coordinates that cannot be in the chosen system, naming the likely one."""
    if code not in RANGES or _inside(code, x, y):
        return
    if code == 4326 and _inside(4326, y, x):
        raise CellProblem(
            Text(
                "Länge und Breite scheinen vertauscht (x=%(x)s, y=%(y)s). Bitte die Spalten "
                "für Länge (x, etwa 11) und Breite (y, etwa 51) tauschen.",
                x=str(x),
                y=str(y),
            )
        )
    likely = next((other for other in RANGES if other != code and _inside(other, x, y)), None)
    if likely is not None:
        raise CellProblem(
            Text(
                "Die Koordinaten (%(x)s, %(y)s) passen nicht zu %(chosen)s, sondern zu "
                "%(likely)s. Bitte das Koordinatensystem prüfen.",
                x=str(x),
                y=str(y),
                chosen=NAMES[code],
                likely=NAMES[likely],
            )
        )
    raise CellProblem(
        Text(
            "Die Koordinaten (%(x)s, %(y)s) liegen nicht in Deutschland (%(chosen)s). "
            "Bitte Koordinatensystem und Spalten prüfen.",
            x=str(x),
            y=str(y),
            chosen=NAMES[code],
        )
    )


def point_from_columns(x: float, y: float, code: int) -> Point:
    check_plausible(code, x, y)
    lon, lat = crs.to_wgs84(x, y, code)
    return Point(lon, lat)


def from_geometry(geom, code: int) -> tuple[Point, Polygon | None]:
    """(location, footprint or None) in WGS 84 from a file geometry in EPSG:``code``."""
    geom = shapely.force_2d(geom)
    if isinstance(geom, MultiPolygon) and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    if geom.is_empty:
        raise CellProblem(Text("Die Geometrie ist leer."))
    if isinstance(geom, Point):
        check_plausible(code, geom.x, geom.y)
        return point_from_columns(geom.x, geom.y, code), None
    if not isinstance(geom, Polygon):
        raise CellProblem(
            Text(
                "Geometrie vom Typ %(kind)s: Bitte Punkte oder einfache Polygone verwenden.",
                kind=geom.geom_type,
            )
        )
    if not geom.is_valid:
        raise CellProblem(Text("Der Umriss ist ungültig (z. B. überschneidet er sich selbst)."))
    inner = geom.representative_point()
    check_plausible(code, inner.x, inner.y)
    footprint = crs.transform_geometry(geom, code)
    return footprint.representative_point(), footprint
