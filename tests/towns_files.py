"""Geodata files for the town tests, written with the real libraries (pyogrio, GDAL): squares
and points as GeoJSON or GeoPackage in a given CRS, optionally several layers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from pyogrio import raw
from shapely.geometry import Point, box

# A 5 km square in EPSG:25832 far from Ballenstedt (near Wolmirstedt); its corners in WGS84
# (pyproj, written out): (700000, 5800000) -> 11.934190, 52.313844; (705000, 5805000) ->
# 12.010486, 52.356890; centre (702500, 5802500) -> 11.972319, 52.335373.
UTM_SQUARE = box(700000, 5800000, 705000, 5805000)
WGS_CORNERS = [(11.934190, 52.313844), (12.010486, 52.356890)]
WGS_CENTRE = (11.972319, 52.335373)


def write(path: Path, geoms, fields: dict[str, list], crs: str, layer: str | None = None,
          append: bool = False, driver: str | None = None) -> Path:  # fmt: skip
    names = list(fields)
    data = [np.array(values, dtype=object) for values in fields.values()]
    kinds = {g.geom_type for g in geoms}
    raw.write(
        str(path), shapely.to_wkb(np.array(geoms, dtype=object)), data, names, layer=layer,
        driver=driver, geometry_type=kinds.pop() if len(kinds) == 1 else "Unknown", crs=crs,
        append=append,
    )  # fmt: skip
    return path


def utm_districts() -> tuple[list, dict]:
    """Two Ortsteile as polygons (west and east half) and one as a point, in EPSG:25832."""
    geoms = [box(700000, 5800000, 702500, 5805000), box(702500, 5800000, 705000, 5805000),
             Point(702500, 5802500)]  # fmt: skip
    return geoms, {"GEN": ["Westdorf", "Ostdorf", "Mitte"]}
