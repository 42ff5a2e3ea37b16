"""GDAL's OAPIF driver reads the OGC API: ``ogrinfo`` lists the collections and counts a
10,000-unit collection, ``ogr2ogr`` pages through all of it into a GeoPackage (every id once,
a known unit at its place), and the staff collections open only with a token (``USERPWD``)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pyogrio.raw
import pytest
import shapely
from sqlalchemy import text

from leerstand.services.accounts.api_tokens import hash_token
from tests.browser.conftest import LiveServer
from tests.conftest import make_app, truncate_volatile

N = 10_000
KNOWN = (11.2265, 51.7192)  # on the Allee, Ballenstedt
# a clean environment: no proxy variables may send loopback requests elsewhere
ENV = {"PATH": "/usr/bin:/bin", "CPL_DEBUG": "OFF", "GDAL_HTTP_TIMEOUT": "60"}
TOKEN = "lst_gdal-test-token-0123456789abcdefghijklmnopqrstuvwxyz"
FILL = [
    """INSERT INTO owner (municipality_id, kind, name, contact_person, street, postcode, city,
        email, phone, preferred_channel, notes, is_municipality, version)
    SELECT id, 'public', 'Stadt', '', '', '', '', '', '', 'letter', '', true, 1
    FROM municipality ORDER BY id LIMIT 1""",
    """INSERT INTO building (municipality_id, street, house_number, postcode, place, location,
        listed, notes, version)
    SELECT m.id, CASE WHEN g = 1 THEN 'Bekannte Straße' ELSE 'Teststraße' END, g::text,
        '06493', 'Ballenstedt',
        CASE WHEN g = 1 THEN ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)
             ELSE ST_SetSRID(ST_MakePoint(11.20 + (g % 100) * 0.0005,
                                          51.70 + (g / 100) * 0.0003), 4326) END,
        false, '', 1
    FROM (SELECT id FROM municipality ORDER BY id LIMIT 1) m, generate_series(1, :n) AS g""",
    "INSERT INTO ownership (building_id, owner_id, role) SELECT id, 1, 'owner' FROM building",
    """INSERT INTO unit (municipality_id, building_id, name, kind, floor, area_m2, street_level,
        step_free, shop_window, power, water, wc, heating, vacancy_state, owner_expectation,
        suitable_uses, publishable, public_description, internal_notes, version)
    SELECT municipality_id, id, 'EG', 'shop', 'EG', 50, true, false, false, true, true, true,
        true, 'vacant', 'costs_only', '{}', true, '', 'intern', 1
    FROM building ORDER BY id""",
    """INSERT INTO api_token (user_id, name, token_hash, expires_at)
    SELECT id, 'GDAL', :hash, :expires FROM app_user WHERE email = 'staff@test.example'""",
]


@pytest.fixture(scope="module")
def server(app):
    live_app = make_app()
    engine = live_app.extensions["leerstand_db"]
    truncate_volatile(engine)
    params = {"lon": KNOWN[0], "lat": KNOWN[1], "n": N, "hash": hash_token(TOKEN)}
    params["expires"] = datetime.now(UTC) + timedelta(days=1)
    with engine.begin() as conn:
        for statement in FILL:
            conn.execute(text(statement), params)
        ids = [row[0] for row in conn.execute(text("SELECT id FROM unit ORDER BY id"))]
        known = conn.execute(
            text("SELECT u.id FROM unit u JOIN building b ON b.id = u.building_id"
                 " WHERE b.street = 'Bekannte Straße'")
        ).scalar_one()  # fmt: skip
    with LiveServer(live_app) as live:
        live.unit_ids, live.known = ids, known
        yield live
    truncate_volatile(engine)
    engine.dispose()


def gdal(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, env=ENV)
    if check:
        assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_ogrinfo_lists_the_collections(server):
    out = gdal("ogrinfo", "-ro", "-q", f"OAPIF:{server.url}/ogc").stdout
    layers = [
        line.split(":", 1)[1].split("(")[0].strip() for line in out.splitlines() if ":" in line
    ]
    assert layers == ["units", "proposals", "districts", "focus-areas", "boundary"]


def test_ogrinfo_counts_the_units(server):
    out = gdal("ogrinfo", "-ro", "-so", f"OAPIF:{server.url}/ogc", "units").stdout
    assert "Feature Count: 10000" in out


def test_ogr2ogr_pages_through_all_units_into_a_geopackage(server, tmp_path):
    target = tmp_path / "units.gpkg"
    gdal(
        "ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{server.url}/ogc", "units",
        "-oo", "PAGE_SIZE=1000",
    )  # fmt: skip
    meta, fids, geometry, fields = pyogrio.raw.read(target, read_geometry=True)
    names = list(meta["fields"])
    ids = [int(v) for v in fields[names.index("id")]]
    assert len(ids) == N and sorted(ids) == server.unit_ids  # every unit exactly once
    where = ids.index(server.known)
    point = shapely.from_wkb(geometry[where])
    assert abs(point.x - KNOWN[0]) < 1e-6 and abs(point.y - KNOWN[1]) < 1e-6
    assert fields[names.index("street")][where] == "Bekannte Straße"


def test_staff_collections_need_the_token(server):
    url = f"OAPIF:{server.url}/ogc/verwaltung"
    out = gdal("ogrinfo", "-ro", "-q", url, "-oo", f"USERPWD=qgis:{TOKEN}").stdout
    assert "units" in out and "buildings" in out
    count = gdal("ogrinfo", "-ro", "-so", url, "units", "-oo", f"USERPWD=qgis:{TOKEN}").stdout
    assert "Feature Count: 10000" in count and "internal_notes" in count
    refused = gdal("ogrinfo", "-ro", "-q", url, check=False)
    assert refused.returncode != 0 and "401" in refused.stderr + refused.stdout
    wrong = gdal("ogrinfo", "-ro", "-q", url, "-oo", "USERPWD=qgis:lst_falsch", check=False)
    assert wrong.returncode != 0
