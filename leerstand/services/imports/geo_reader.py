"""Reading GeoJSON, GeoPackage (first layer) and zipped Shapefiles with pyogrio: attribute
columns as cell texts, geometries as shapely objects in the file's CRS, the CRS from
``pyogrio.read_info``. GDAL is given a link with the right extension (uploads are stored under
a neutral name) and a ``/vsizip/`` path for Shapefiles."""

from __future__ import annotations

import pathlib
import tempfile
import zipfile

import numpy
import pyogrio
import pyogrio.errors
import shapely

from leerstand.messages import Text
from leerstand.services.imports.cells import cell_text
from leerstand.services.imports.table import MAX_ROWS, ImportProblem, Table
from leerstand.spatial import crs

SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "shp": ".zip"}
NAMES = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "shp": "Shapefile"}


def read(path: pathlib.Path, file_name: str, file_format: str) -> Table:
    with tempfile.TemporaryDirectory(prefix="leerstand-import-") as folder:
        link = pathlib.Path(folder) / f"data{SUFFIX[file_format]}"
        link.symlink_to(path.resolve())
        source = _source(link, file_format)
        try:
            return _read(source, file_name, file_format)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise ImportProblem(
                Text(
                    "Die Datei kann nicht als %(kind)s gelesen werden: %(err)s",
                    kind=NAMES[file_format],
                    err=str(exc)[:200],
                )
            ) from None


def _source(link: pathlib.Path, file_format: str) -> str:
    if file_format != "shp":
        return str(link)
    with zipfile.ZipFile(link) as archive:
        shapes = [n for n in archive.namelist() if n.lower().endswith(".shp")]
    if len(shapes) > 1:
        raise ImportProblem(
            Text("Die ZIP-Datei enthält mehrere Shapefiles. Bitte nur eines pro ZIP-Datei.")
        )
    return f"/vsizip/{link}/{shapes[0]}"


def _read(source: str, file_name: str, file_format: str) -> Table:
    layers = pyogrio.list_layers(source)
    if len(layers) == 0:
        raise ImportProblem(Text("Die Datei enthält keine Ebene mit Objekten."))
    layer = layers[0][0]
    info = pyogrio.read_info(source, layer=layer)
    _check_count(info["features"])  # -1 when the driver does not know without reading
    meta, fids, geometry, field_data = pyogrio.raw.read(
        source, layer=layer, return_fids=True, datetime_as_string=False, max_features=MAX_ROWS + 1
    )
    headers = [str(name) for name in meta["fields"]]
    count = len(fids)
    _check_count(count)
    columns = [[_text(v) for v in values] for values in field_data]
    rows = [[column[i] for column in columns] for i in range(count)]
    geometries = list(shapely.from_wkb(geometry)) if geometry is not None else [None] * count
    file_crs = info.get("crs") or meta.get("crs")
    epsg = crs.epsg_of(file_crs)
    return Table(
        file_name=file_name,
        file_format=file_format,
        headers=headers,
        rows=rows,
        lines=list(range(1, count + 1)),
        geometries=geometries,
        file_crs=f"EPSG:{epsg}" if epsg else None,
    )


def _check_count(count: int) -> None:
    if count > MAX_ROWS:
        raise ImportProblem(
            Text(
                "Die Datei hat mehr als %(max)s Objekte. Bitte teilen Sie sie auf.",
                max=float(MAX_ROWS),  # a float: written "50.000" in German, "50,000" in English
            )
        )


def _text(value) -> str | None:
    if isinstance(value, numpy.datetime64):
        if numpy.isnat(value):
            return None
        value = value.astype("datetime64[us]").item()
    elif isinstance(value, numpy.generic):
        value = value.item()
    return cell_text(value)
