"""Real Chromium: the public map of a town set up by ``flask municipality add`` (boundary in
EPSG:25832) at ``/k/<AGS>/`` shows its own unit only (the API call carries ``?ags=``), starts on
its extent, filters keep the town, and the unit's link stays under the town's address."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select, text

from leerstand.db import db
from leerstand.models import Municipality
from tests import factories
from tests.conftest import truncate_volatile
from tests.integration.test_towns_cli import run
from tests.towns_files import UTM_SQUARE, WGS_CENTRE, write

SHOTS = os.environ.get("LEERSTAND_SHOTS", "/tmp/shots-h3")
AGS = "15083040"


@pytest.fixture
def second_town(live_server, tmp_path):
    """The town and one public unit in it, committed; removed again afterwards (the base
    data's cleaning keeps every municipality)."""
    app = live_server.app
    path = write(tmp_path / "grenze.gpkg", [UTM_SQUARE], {"GEN": ["Zweitstadt"]}, "EPSG:25832")
    result = run(app, "municipality", "add", "--ags", AGS, "--name", "Zweitstadt",
                 "--boundary", str(path))  # fmt: skip
    assert result.exit_code == 0, result.output
    with app.app_context():
        s = db.session
        town = s.scalar(select(Municipality).where(Municipality.ags == AGS))
        building = factories.building(s, town, street="Neue Straße", lonlat=WGS_CENTRE)
        factories.ownership(s, building, factories.owner(s, town, is_municipality=True))
        unit = factories.unit(s, building, publishable=True, kind="office")
        ballenstedt = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        ours = factories.building(s, ballenstedt)
        factories.ownership(s, ours, factories.owner(s, ballenstedt, is_municipality=True))
        factories.unit(s, ours, publishable=True)
        s.commit()
        ids = {"unit": unit.id}
    yield ids
    truncate_volatile(app.extensions["leerstand_db"])
    with app.app_context():
        town = "(SELECT id FROM municipality WHERE ags = :ags)"
        db.session.execute(
            text(f"DELETE FROM district WHERE municipality_id IN {town}"), {"ags": AGS}
        )
        db.session.execute(text("DELETE FROM municipality WHERE ags = :ags"), {"ags": AGS})
        db.session.commit()


def test_second_towns_public_map(page, live_server, second_town):
    os.makedirs(SHOTS, exist_ok=True)
    api_calls: list[str] = []
    page.on("request", lambda r: api_calls.append(r.url) if "/api/" in r.url else None)
    tile_calls: list[str] = []
    page.on("request", lambda r: tile_calls.append(r.url) if "/tiles/" in r.url else None)
    page.goto(f"{live_server.url}/k/{AGS}/")
    page.wait_for_selector("#public-map[data-marker-count='1']:not([data-loading])")
    ids = page.eval_on_selector_all(
        "#public-list li[data-unit-id]", "items => items.map(i => Number(i.dataset.unitId))"
    )
    assert ids == [second_town["unit"]]
    assert not [u for u in api_calls if "/api/units.geojson" in u]  # the list: /tiles/units/…
    list_calls = [u for u in tile_calls if "/tiles/units/list.json" in u]
    assert list_calls and all(f"ags={AGS}" in u for u in list_calls)
    assert all(f"ags={AGS}" in u for u in tile_calls)  # tiles, the list and its count
    lat, lon, _zoom = page.get_attribute("#public-map", "data-view").split(",")
    assert 52.31 < float(lat) < 52.36 and 11.93 < float(lon) < 12.02  # on the town, not Harz
    page.select_option("#filter-kind", "office")
    page.wait_for_selector("#public-map[data-marker-count='1']:not([data-loading])")
    assert page.url.startswith(f"{live_server.url}/k/{AGS}/?")
    link = page.locator("#public-list a").first.get_attribute("href")
    assert link.endswith(f"/k/{AGS}/leerstand/{second_town['unit']}")
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(600)  # Leaflet's zoom animation after the resize
        page.screenshot(path=f"{SHOTS}/second-town-map-{width}.png", full_page=True)
    assert page.js_errors == []
