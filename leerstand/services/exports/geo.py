"""The register export as GeoJSON (WGS84, streamed: PostGIS writes each geometry, the
properties are the export's typed columns under their German headings) and as GeoPackage
(points in EPSG:4326 or EPSG:25832, transformed by PostGIS and written with
``pyogrio.raw.write`` to a temporary file that the caller sends and removes)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal

import numpy as np
from pyogrio import raw

from leerstand.services.exports.cells import Column, as_day
from leerstand.spatial.crs import UTM32, WGS84

GPKG_CRS = (WGS84, UTM32)
LAYER = "register"


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return as_day(value).isoformat()
    return value


def geojson_chunks(
    columns: Sequence[Column], rows: Iterable[tuple[str, Sequence]], chunk: int = 500
) -> Iterator[bytes]:
    """A FeatureCollection from (GeoJSON geometry text, typed values) pairs, in byte chunks."""
    names = [column.header for column in columns]
    parts = ['{"type": "FeatureCollection", "features": [']
    for index, (geometry, values) in enumerate(rows):
        props = {n: _json_value(v) for n, v in zip(names, values, strict=True)}
        props_text = json.dumps(props, ensure_ascii=False)
        feature = f'{{"type": "Feature", "geometry": {geometry}, "properties": {props_text}}}'
        parts.append(("," if index else "") + feature)
        if len(parts) >= chunk:
            yield "".join(parts).encode("utf-8")
            parts = []
    parts.append("]}")
    yield "".join(parts).encode("utf-8")


def _array(column: Column, values: list):
    """A numpy column for pyogrio and its null mask (None where every value is there)."""
    missing = np.array([v is None for v in values], dtype=bool)
    if column.kind == "date":
        days = [as_day(v).isoformat() if v is not None else "NaT" for v in values]
        return np.array(days, dtype="datetime64[D]"), None
    if column.kind == "number":
        return np.array([np.nan if v is None else float(v) for v in values]), None
    if column.kind in ("int", "bool"):
        dtype = "int64" if column.kind == "int" else bool
        filled = np.array([0 if v is None else v for v in values], dtype=dtype)
        return filled, (missing if missing.any() else None)
    return np.array([None if v is None else str(v) for v in values], dtype=object), None


def write_gpkg(columns: Sequence[Column], rows: Iterable[tuple[bytes, Sequence]], epsg: int) -> str:
    """Write the points (WKB in EPSG:``epsg``) with their values to a temporary GeoPackage;
    returns its path (the caller removes it)."""
    geometries, table = [], []
    for wkb, values in rows:
        geometries.append(bytes(wkb))
        table.append(values)
    arrays = [_array(c, [r[i] for r in table]) for i, c in enumerate(columns)]
    handle, path = tempfile.mkstemp(prefix="leerstand-export-", suffix=".gpkg")
    os.close(handle)
    os.remove(path)  # GDAL creates the file itself
    raw.write(
        path,
        np.array(geometries, dtype=object),
        [data for data, _mask in arrays],
        [c.header for c in columns],
        field_mask=[mask for _data, mask in arrays],
        layer=LAYER,
        driver="GPKG",
        geometry_type="Point",
        crs=f"EPSG:{epsg}",
    )
    return path
