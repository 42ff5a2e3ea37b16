"""The register export as XLSX (read back with openpyxl: numbers are numbers, dates are dates,
formula text neutralised and never a formula, frozen header), GeoJSON (WGS84, parsed) and
GeoPackage (read back with pyogrio and GDAL's ogrinfo: CRS, feature count, the coordinates of
a known building within 0.5 m in EPSG:25832)."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pyogrio import raw

from tests.integration.export_world import ALLEE, ALLEE_UTM, FORMULA_NOTE, world

BASE = "/verwaltung/register/export"


@pytest.fixture
def data(session, base):
    return world(session, base)


def _sheet(response):
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook["Register"]
    rows = list(sheet.iter_rows())
    heads = [cell.value for cell in rows[0]]
    return sheet, heads, rows[1:]


def test_xlsx_has_typed_cells(staff_client, data):
    response = staff_client.get(f"{BASE}.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet, heads, rows = _sheet(response)
    assert sheet.freeze_panes == "A2"
    assert rows[0][0].font.b is False and sheet["A1"].font.b is True
    shop = next(r for r in rows if r[heads.index("Einheit")].value == "EG Laden Größe")
    area = shop[heads.index("Fläche m²")]
    assert area.data_type == "n" and area.value == 120.5 and area.number_format == "#,##0.0"
    rent = shop[heads.index("Miete €/Monat")]
    assert rent.data_type == "n" and rent.value == 450.5 and rent.number_format == "#,##0.00"
    since = shop[heads.index("leer seit")]
    assert since.is_date and since.value == datetime(2024, 3, 1)
    assert since.number_format == "DD.MM.YYYY"
    note = shop[heads.index("Notizen Einheit (intern)")]
    assert note.data_type == "s" and note.value == "'" + FORMULA_NOTE
    assert shop[heads.index("Einheit-Nr.")].data_type == "n"
    assert shop[heads.index("ebenerdig")].value == "ja"
    assert shop[heads.index("Rechtswert (EPSG:25832)")].value == pytest.approx(
        ALLEE_UTM[0], abs=0.01
    )
    empty = next(r for r in rows if r[heads.index("Straße")].value == "Mühlenweg")
    assert empty[heads.index("Einheit")].value is None
    assert all(r[heads.index("Straße")].value != "Fremdstraße" for r in rows)
    assert "Eigentümer:innen" not in heads


def test_xlsx_with_owner_data(staff_client, data):
    _sheet_, heads, rows = _sheet(staff_client.get(f"{BASE}.xlsx?eigentuemer=1"))
    shop = next(r for r in rows if r[heads.index("Einheit")].value == "EG Laden Größe")
    phone = shop[heads.index("Telefon Eigentümer:innen")]
    assert phone.data_type == "s" and phone.value == "'+49 39483 1234"


def test_geojson_is_wgs84_and_parses(staff_client, data):
    response = staff_client.get(f"{BASE}.geojson?kind=shop")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    collection = json.loads(response.get_data(as_text=True))
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["geometry"]["type"] == "Point"
    assert feature["geometry"]["coordinates"] == pytest.approx(list(ALLEE), abs=1e-7)
    props = feature["properties"]
    assert props["Einheit"] == "EG Laden Größe" and props["Fläche m²"] == 120.5
    assert props["leer seit"] == "2024-03-01" and props["ebenerdig"] is True
    assert "Eigentümer:innen" not in props


def test_geojson_of_all_rows(staff_client, data):
    collection = json.loads(staff_client.get(f"{BASE}.geojson").get_data(as_text=True))
    names = sorted(
        (f["properties"]["Straße"], f["properties"]["Einheit"] or "")
        for f in collection["features"]
    )
    assert names == [
        ("Allee", "1. OG Wohnung"),
        ("Allee", "EG Laden Größe"),
        ("Hauptstraße", "Saal"),
        ("Mühlenweg", ""),
    ]


def _gpkg(staff_client, tmp_path, query: str):
    response = staff_client.get(f"{BASE}.gpkg?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/geopackage+sqlite3"
    path = tmp_path / "export.gpkg"
    path.write_bytes(response.get_data())
    return path


def test_gpkg_in_utm32_within_half_a_metre(staff_client, data, tmp_path):
    path = _gpkg(staff_client, tmp_path, "crs=EPSG:25832")
    meta, _fids, geometry, fields = raw.read(str(path), return_fids=True)
    assert meta["crs"] == "EPSG:25832" and meta["geometry_type"] == "Point"
    names = list(meta["fields"])
    assert len(geometry) == 4
    units = list(fields[names.index("Einheit")])
    shop = units.index("EG Laden Größe")
    # WKB point: byte order, type, x, y
    import struct

    x, y = struct.unpack("<dd", bytes(geometry[shop])[5:21])
    assert abs(x - ALLEE_UTM[0]) < 0.5 and abs(y - ALLEE_UTM[1]) < 0.5
    assert fields[names.index("Fläche m²")][shop] == 120.5
    assert str(fields[names.index("leer seit")][shop]) == "2024-03-01"
    assert meta["dtypes"][names.index("leer seit")] == "datetime64[D]"
    info = subprocess.run(
        ["ogrinfo", "-so", str(path), "register"], capture_output=True, text=True, check=True
    ).stdout
    assert "Feature Count: 4" in info and "ETRS89 / UTM zone 32N" in info


def test_gpkg_defaults_to_wgs84_and_filters(staff_client, data, tmp_path, base):
    path = _gpkg(staff_client, tmp_path, f"district_id={base.districts['Badeborn'].id}")
    meta, _fids, geometry, fields = raw.read(str(path), return_fids=True)
    assert meta["crs"] == "EPSG:4326"
    assert list(fields[list(meta["fields"]).index("Einheit")]) == ["Saal"]


def test_gpkg_refuses_an_unoffered_crs(staff_client, data):
    response = staff_client.get(f"{BASE}.gpkg?crs=EPSG:3857")
    assert response.status_code == 400
    assert "Koordinatensystem „3857“ wird nicht angeboten" in response.get_data(as_text=True)
