"""Reading a town's geography from a file: GeoJSON or GeoPackage (anything GDAL reads) in any
coordinate system, one layer (``layer``) and optionally the features an OGR SQL ``where`` picks
(e.g. ``AGS = '15083040'`` out of the whole VG250 layer). Every feature comes back numbered
from 1 (the number the messages use) with its attributes and its geometry in WGS84.

Problems raise ``ServiceError`` with a German message saying what is wrong and what to do."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pyogrio
import shapely
from pyogrio import errors as ogr_errors
from pyogrio import raw
from shapely.geometry.base import BaseGeometry

from leerstand.messages import Text
from leerstand.services.errors import ServiceError
from leerstand.spatial import crs

FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
OGR_ERRORS = (
    ogr_errors.DataSourceError,
    ogr_errors.DataLayerError,
    ogr_errors.FieldError,
    ogr_errors.FeatureError,
    ogr_errors.GeometryError,
)


@dataclass
class Feature:
    number: int  # 1-based, in the order of the file (after ``where``)
    properties: dict
    geometry: BaseGeometry | None  # WGS84


def where_for(field: str, value: str) -> str:
    """An OGR SQL filter ``"field" = 'value'`` (e.g. ``--ags-field AGS``); the field must be a
    plain name and the value is quoted, so nothing else reaches the SQL."""
    if not FIELD_NAME.match(field):
        raise ServiceError(
            Text(
                "„%(field)s“ ist kein gültiger Feldname (nur Buchstaben, Ziffern, _).", field=field
            )
        )
    quoted = value.replace("'", "''")
    return f"\"{field}\" = '{quoted}'"


def _layer(path: Path, layer: str | None) -> str | None:
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except OGR_ERRORS:
        raise ServiceError(
            Text(
                "„%(file)s“ ist keine lesbare GeoJSON- oder GeoPackage-Datei.",
                file=path.name,
            )
        ) from None
    if layer is not None and layer not in layers:
        raise ServiceError(
            Text(
                "Die Datei „%(file)s“ hat keine Ebene „%(layer)s“. Vorhanden: %(names)s.",
                file=path.name,
                layer=layer,
                names=", ".join(layers),
            )
        )
    if layer is None and len(layers) > 1:
        raise ServiceError(
            Text(
                "Die Datei „%(file)s“ hat mehrere Ebenen (%(names)s). "
                "Bitte eine mit --layer wählen.",
                file=path.name,
                names=", ".join(layers),
            )
        )
    return layer


def _to_wgs84(geom: BaseGeometry | None, source: str | None, number: int):
    if geom is None or geom.is_empty:
        return None
    try:
        out = crs.geometry_to_wgs84(geom, source)
    except crs.UnknownCRSError:
        raise ServiceError(
            Text("Das Koordinatensystem der Datei ist unbekannt: %(crs)s.", crs=str(source)[:80])
        ) from None
    bounds = out.bounds
    if not all(math.isfinite(v) for v in bounds) or abs(bounds[1]) > 90 or abs(bounds[3]) > 90:
        raise ServiceError(
            Text(
                "Objekt %(number)s: die Koordinaten passen nicht zum Koordinatensystem der Datei "
                "(%(crs)s).",
                number=number,
                crs=str(source)[:80],
            )
        )
    return out


def read_features(path: str | Path, layer: str | None = None, where: str | None = None):
    """The features of ``layer`` (the only one when None) matching ``where``, in WGS84."""
    path = Path(path)
    if not path.is_file():
        raise ServiceError(Text("Die Datei „%(file)s“ gibt es nicht.", file=str(path)))
    layer = _layer(path, layer)
    try:
        meta, _fids, geometries, values = raw.read(path, layer=layer, where=where or None)
    except OGR_ERRORS as exc:
        raise ServiceError(
            Text(
                "Die Datei „%(file)s“ konnte nicht gelesen werden (Filter oder Ebene prüfen): "
                "%(reason)s",
                file=path.name,
                reason=str(exc)[:200],
            )
        ) from None
    names = [str(name) for name in meta["fields"]]
    source = meta.get("crs")
    shapes = shapely.from_wkb(geometries) if geometries is not None else []
    features = []
    for index, geom in enumerate(shapes):
        props = {name: _plain(column[index]) for name, column in zip(names, values, strict=True)}
        features.append(Feature(index + 1, props, _to_wgs84(geom, source, index + 1)))
    return features, names


def _plain(value):
    """A numpy scalar as a Python value (None for a missing one)."""
    if value is None:
        return None
    item = getattr(value, "item", None)
    return item() if callable(item) else value
