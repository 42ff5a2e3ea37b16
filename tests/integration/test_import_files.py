"""Import of XLSX (openpyxl), GeoPackage in EPSG:25832 with points and polygons, a zipped
Shapefile and GeoJSON, all written by the tests with the real libraries: read, planned and
committed at the right place (within 0.5 m of the coordinates written out here)."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal

import numpy
import openpyxl
import pyogrio.raw
import pytest
import shapely
from geoalchemy2.shape import to_shape
from shapely.geometry import Point, box
from sqlalchemy import select

from leerstand.models import Building, Unit
from leerstand.services import imports

# (lon, lat) and the same point in EPSG:25832 and EPSG:31468, by pyproj, written out
SCHLOSS = (11.21808, 51.7186)
SCHLOSS_UTM = (653216.46, 5732069.39)
SCHLOSS_GK = (4446068.08, 5731880.71)
ALLEE = (11.2300, 51.7190)
ALLEE_UTM = (654038.39, 5732138.97)
MARKT = (11.2330, 51.7195)
MARKT_UTM = (654243.89, 5732200.91)
LON_TOL, LAT_TOL = 0.000007, 0.0000045  # about 0.5 m here


def near(point, lonlat) -> bool:
    return abs(point.x - lonlat[0]) < LON_TOL and abs(point.y - lonlat[1]) < LAT_TOL


def buildings_of(session, batch) -> list[Building]:
    query = select(Building).where(Building.import_batch_id == batch.id).order_by(Building.id)
    return list(session.scalars(query))


def commit(session, base, table, crs="file", **columns):
    guessed = imports.guess_columns(table.headers)
    settings = imports.Settings(columns={**guessed, **columns}, values={}, crs=crs)
    assert imports.check_settings(table, settings) == []
    return imports.commit(session, base.municipality.id, base.staff.id, table, settings)


def test_xlsx_with_numbers_and_dates(session, base, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Straße", "Hausnummer", "Rechtswert", "Hochwert", "Nutzungsart",
                  "Nutzfläche", "leer seit", "Miete", "Schaufenster"])  # fmt: skip
    sheet.append(["Allee", 12, *SCHLOSS_UTM, "Gaststätte", 120.5, datetime(2023, 5, 17),
                  850, "x"])  # fmt: skip
    sheet.append(["Markt", "3a", "654038,39", "5732138,97", "Wohnung", "64,25", "2020", None, None])
    sheet.append([None] * 9)
    sheet.append(["Markt", "4", *MARKT_UTM, "Laden", -3, "31.04.2022", None, "nein"])
    path = tmp_path / "liste.xlsx"
    workbook.save(path)

    table = imports.read_table(path, "Leerstand.xlsx")
    assert table.file_format == "xlsx"
    assert table.rows[0][:7] == ["Allee", "12", "653216,46", "5732069,39", "Gaststätte",
                                 "120,5", "17.05.2023"]  # fmt: skip
    assert table.lines == [2, 3, 5]
    settings = imports.Settings(imports.guess_columns(table.headers), {}, "EPSG:25832")
    plan = imports.plan(session, base.municipality.id, table, settings)
    assert [(r.line, r.action) for r in plan.rows] == [(2, "create"), (3, "create"), (5, "skip")]
    assert plan.rows[2].problems == [
        "„Fläche (m²)“ muss zwischen 0,1 und 999.999,9 m² liegen (eingegeben: -3).",
        "leer seit: „31.04.2022“ ist kein mögliches Datum.",
    ]
    batch = commit(session, base, table, crs="EPSG:25832")
    first, second = buildings_of(session, batch)
    assert near(to_shape(first.location), SCHLOSS) and near(to_shape(second.location), ALLEE)
    units = session.scalars(select(Unit).where(Unit.import_batch_id == batch.id).order_by(Unit.id))
    gastro, flat = units.all()
    assert (gastro.kind, gastro.area_m2, gastro.vacant_since) == (
        "gastro",
        Decimal("120.5"),
        date(2023, 5, 17),
    )
    assert (gastro.rent_eur_month, gastro.shop_window) == (Decimal("850.00"), True)
    assert (flat.kind, flat.area_m2, flat.vacant_since) == (
        "flat",
        Decimal("64.3"),
        date(2020, 1, 1),
    )


def _write_gpkg(path):
    square = box(MARKT_UTM[0] - 5, MARKT_UTM[1] - 5, MARKT_UTM[0] + 5, MARKT_UTM[1] + 5)
    geometry = numpy.array(shapely.to_wkb([Point(*SCHLOSS_UTM), square, Point(700000, 5732000)]))
    fields = ["strasse", "hausnr", "art", "flaeche"]
    data = [
        numpy.array(["Kröten-Allee", "Markt", "Fernweg"], dtype=object),
        numpy.array(["1", "2", "3"], dtype=object),
        numpy.array(["Ladenlokal", "Ganzes Gebäude", "Laden"], dtype=object),
        numpy.array([85.5, 300.0, 10.0]),
    ]
    pyogrio.raw.write(path, geometry, data, fields, driver="GPKG", crs="EPSG:25832",
                      geometry_type="Unknown", layer="leerstand")  # fmt: skip


def test_geopackage_points_and_polygons_in_utm(session, base, tmp_path):
    path = tmp_path / "upload"  # stored without extension: the content decides
    _write_gpkg(tmp_path / "x.gpkg")
    (tmp_path / "x.gpkg").rename(path)
    table = imports.read_table(path, "kataster.gpkg")
    assert (table.file_format, table.file_crs, table.lines) == ("gpkg", "EPSG:25832", [1, 2, 3])
    assert table.headers == ["strasse", "hausnr", "art", "flaeche"]
    assert table.rows[0] == ["Kröten-Allee", "1", "Ladenlokal", "85,5"]
    settings = imports.Settings(imports.guess_columns(table.headers), {}, "file")
    plan = imports.plan(session, base.municipality.id, table, settings)
    assert [r.action for r in plan.rows] == ["create", "create", "skip"]
    assert plan.rows[2].problems == ["Liegt außerhalb von Ballenstedt (Koordinaten prüfen)."]
    batch = commit(session, base, table)
    assert batch.source_crs == "EPSG:25832"
    point_building, polygon_building = buildings_of(session, batch)
    assert near(to_shape(point_building.location), SCHLOSS)
    assert point_building.footprint is None
    footprint = to_shape(polygon_building.footprint)
    assert near(footprint.centroid, MARKT)
    assert footprint.contains(to_shape(polygon_building.location))
    assert 99 < _area_m2(footprint) < 101  # 10 m x 10 m


def _area_m2(polygon) -> float:
    from pyproj import Geod

    return abs(Geod(ellps="WGS84").geometry_area_perimeter(polygon)[0])


def test_zipped_shapefile_in_gauss_krueger(session, base, tmp_path):
    folder = tmp_path / "shape"
    folder.mkdir()
    square = box(SCHLOSS_GK[0] - 4, SCHLOSS_GK[1] - 4, SCHLOSS_GK[0] + 4, SCHLOSS_GK[1] + 4)
    pyogrio.raw.write(
        folder / "gebaeude.shp", numpy.array(shapely.to_wkb([square])),
        [numpy.array(["Schlossplatz"], dtype=object), numpy.array(["3"], dtype=object)],
        ["STRASSE", "HNR"], driver="ESRI Shapefile", crs="EPSG:31468", geometry_type="Polygon",
        encoding="UTF-8",
    )  # fmt: skip
    path = tmp_path / "gebaeude.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for member in folder.iterdir():
            archive.write(member, member.name)
    table = imports.read_table(path, "gebaeude.zip")
    assert (table.file_format, table.file_crs) == ("shp", "EPSG:31468")
    assert table.rows == [["Schlossplatz", "3"]]
    batch = commit(session, base, table)
    (building,) = buildings_of(session, batch)
    assert (building.street, building.house_number) == ("Schlossplatz", "3")
    assert near(to_shape(building.footprint).centroid, SCHLOSS)


def test_geojson_in_wgs84(session, base, tmp_path):
    path = tmp_path / "punkte.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"Straße": "Allee", "Nr": "7", "Art": "Büro"},'
        f' "geometry": {{"type": "Point", "coordinates": [{ALLEE[0]}, {ALLEE[1]}]}}}},'
        '{"type": "Feature", "properties": {"Straße": "Allee", "Nr": "8", "Art": "Büro"},'
        f' "geometry": {{"type": "Point", "coordinates": [{ALLEE[1]}, {ALLEE[0]}]}}}}'
        "]}",
        encoding="utf-8",
    )
    table = imports.read_table(path, "punkte.geojson")
    assert (table.file_format, table.file_crs, table.headers) == (
        "geojson",
        "EPSG:4326",
        ["Straße", "Nr", "Art"],
    )
    settings = imports.Settings(imports.guess_columns(table.headers), {}, "file")
    plan = imports.plan(session, base.municipality.id, table, settings)
    assert plan.rows[0].action == "create"
    assert plan.rows[1].problems == [
        "Länge und Breite scheinen vertauscht (x=51.719, y=11.23). Bitte die Spalten für Länge "
        "(x, etwa 11) und Breite (y, etwa 51) tauschen."
    ]
    batch = commit(session, base, table)
    (building,) = buildings_of(session, batch)
    assert near(to_shape(building.location), ALLEE)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 ...", "Dieses Dateiformat kann nicht importiert werden."),
        (b"", "Die Datei ist leer."),
        ("Straße;Nr\r\n".encode(), "Die Datei enthält keine Zeilen mit Daten."),
        (b"{ kein json", "Die Datei kann nicht als GeoJSON gelesen werden"),
        (b"PK\x03\x04kaputt", "Die ZIP-Datei ist beschädigt."),
    ],
)
def test_unreadable_files_get_a_german_message(tmp_path, content, message):
    path = tmp_path / "upload"
    path.write_bytes(content)
    with pytest.raises(imports.ImportProblem) as info:
        imports.read_table(path, "datei")
    assert info.value.args[0].startswith(message)


def test_too_many_rows(tmp_path, monkeypatch):
    from leerstand.services.imports import readers

    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    path = tmp_path / "lang.csv"
    path.write_bytes(("Straße;Nr\n" + "Allee;1\n" * 4).encode())
    with pytest.raises(imports.ImportProblem, match="mehr als 3 Zeilen"):
        imports.read_table(path, "lang.csv")
    path.write_bytes(("Straße;Nr\n" + "Allee;1\n" * 3).encode())
    assert len(imports.read_table(path, "lang.csv").rows) == 3


def test_too_many_features(tmp_path, monkeypatch):
    from leerstand.services.imports import geo_reader

    monkeypatch.setattr(geo_reader, "MAX_ROWS", 2)
    points = [Point(*SCHLOSS_UTM), Point(*ALLEE_UTM), Point(*MARKT_UTM)]
    for count, name in ((2, "zwei.gpkg"), (3, "drei.gpkg")):
        pyogrio.raw.write(tmp_path / name, numpy.array(shapely.to_wkb(points[:count])),
                          [numpy.array(["Allee"] * count, dtype=object)], ["strasse"],
                          driver="GPKG", crs="EPSG:25832", geometry_type="Point")  # fmt: skip
    assert len(imports.read_table(tmp_path / "zwei.gpkg", "zwei.gpkg").rows) == 2
    with pytest.raises(imports.ImportProblem, match="mehr als 2 Objekte"):
        imports.read_table(tmp_path / "drei.gpkg", "drei.gpkg")
