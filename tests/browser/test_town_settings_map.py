"""Real Chromium: an admin sets the town's tile server and map centre on the settings page (a
click on the map fills the coordinates); afterwards the public map and the staff register start
there and load their tiles from that server, which the Content-Security-Policy allows (a
blocked tile would never reach the fake tile server below)."""

from __future__ import annotations

import base64
import os

import pytest
from sqlalchemy import text

from leerstand.db import db
from tests.browser.conftest import browser_login

SHOTS = os.environ.get("LEERSTAND_SHOTS", "/tmp/shots-h3")
TILES = "https://tiles.leerstand-test.example"
# a 1x1 PNG (blue)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
# what the settings page may have changed (the name only of Ballenstedt: "Anderswo" keeps its own)
RESET = """UPDATE municipality SET contact_person = NULL, map_centre = NULL, map_zoom = NULL,
    tile_url = NULL, tile_attribution = NULL, import_role = 'staff',
    name = CASE WHEN ags = '15085040' THEN 'Ballenstedt' ELSE name END"""


@pytest.fixture
def server(live_server):
    yield live_server
    with live_server.app.app_context():
        db.session.execute(text(RESET))
        db.session.commit()


def _fake_tiles(page) -> list[str]:
    requested: list[str] = []

    def fulfil(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route(f"{TILES}/**", fulfil)
    return requested


def test_settings_page_sets_tiles_and_start_view(page, server):
    os.makedirs(SHOTS, exist_ok=True)
    csp_errors: list[str] = []
    page.on(
        "console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None
    )
    requested = _fake_tiles(page)
    browser_login(page, server, "admin@test.example")
    page.click("#staff-user >> text=Einstellungen")
    page.wait_for_selector("#settings-map.leaflet-container")
    page.fill("input[name=tile_url]", f"{TILES}/{{z}}/{{x}}/{{y}}.png")
    page.fill("input[name=tile_attribution]", "© Testkacheln")
    page.fill("#centre_lat", "51.789600")  # Quedlinburg: outside Ballenstedt
    page.fill("#centre_lon", "11.141000")
    page.click("form.settings-form button[type=submit]")
    error = page.locator("#settings-error")
    assert "Kartenmittelpunkt: Der Ort liegt außerhalb von Ballenstedt" in error.inner_text()
    assert error.bounding_box()["y"] < 400  # at the top, not below the fold
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/settings-error-{width}.png", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    # a click in the middle of the map (inside Ballenstedt) sets the centre and the zoom field
    page.locator("#settings-map").scroll_into_view_if_needed()
    box = page.locator("#settings-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lat = float(page.input_value("#centre_lat"))
    lon = float(page.input_value("#centre_lon"))
    zoom = int(page.input_value("#map_zoom"))
    assert 51.6 < lat < 51.8 and 11.1 < lon < 11.4 and 1 <= zoom <= 19
    page.fill("#centre_lat", "51.719200")
    page.fill("#centre_lon", "11.226500")
    page.fill("#map_zoom", "15")
    page.click("form.settings-form button[type=submit]")
    page.wait_for_selector(".flash-success")
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/settings-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    requested.clear()
    response = page.goto(server.url + "/")
    assert f"img-src 'self' data: {TILES}" in response.headers["content-security-policy"]
    page.wait_for_selector("#public-map img.leaflet-tile-loaded")
    assert requested and all(url.startswith(f"{TILES}/15/") for url in requested), requested[:3]
    page.wait_for_selector("#public-map[data-view='51.719200,11.226500,15']")
    assert "© Testkacheln" in page.locator("#public-map .leaflet-control-attribution").inner_text()

    requested.clear()
    page.goto(server.url + "/verwaltung/register")
    page.wait_for_selector("#register-map img.leaflet-tile-loaded")
    assert requested and all(url.startswith(f"{TILES}/") for url in requested)
    assert csp_errors == []
    assert page.js_errors == []
