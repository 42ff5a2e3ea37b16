"""Real Chromium: place a new building by clicking on the map, add a unit, find it in the
register (list and map agree), open the marker's popup and follow its link."""

from __future__ import annotations

import re

from tests.browser.conftest import browser_login

STREET = "Teststraße Browser"


def _map_centre(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_place_building_by_click_and_find_it_in_register(page, live_server, base):
    browser_login(page, live_server, base.staff.email)
    page.goto(live_server.url + "/verwaltung/gebaeude/neu")
    page.wait_for_selector("#building-map.leaflet-container")
    page.fill("input[name=street]", STREET)
    page.fill("input[name=house_number]", "7")

    x, y = _map_centre(page, "#building-map")
    page.mouse.click(x + 15, y + 10)
    page.wait_for_selector("#building-map .leaflet-marker-icon")
    lon = float(page.input_value("#coord_x"))
    lat = float(page.input_value("#coord_y"))
    assert 11.20 < lon < 11.25 and 51.70 < lat < 51.73
    assert page.input_value("#coord_crs") == "4326"

    page.click("form.building-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/verwaltung/gebaeude/\d+/einheiten/neu$"))
    page.fill("input[name=name]", "EG Ladenlokal")
    page.select_option("select[name=kind]", "shop")
    page.fill("input[name=area_m2]", "85,5")
    page.check("input[name=shop_window]")
    page.click("form.unit-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/verwaltung/gebaeude/\d+$"))
    building_url = page.url
    assert "85,5 m²" in page.content()

    page.goto(live_server.url + "/verwaltung/register?q=Teststra%C3%9Fe+Browser")
    rows = page.locator("tr[data-unit-id]")
    assert rows.count() == 1
    assert STREET in rows.first.inner_text()
    page.wait_for_selector("#register-map[data-marker-count]")
    assert page.get_attribute("#register-map", "data-marker-count") == "1"

    page.locator("#register-map path.unit-marker").first.click()
    popup = page.locator(".leaflet-popup-content .unit-popup")
    popup.wait_for()
    assert f"{STREET} 7" in popup.inner_text()
    popup.locator("a").click()
    page.wait_for_url(building_url)
    assert STREET in page.locator("h1").first.inner_text()

    assert page.js_errors == []
    assert page.dialogs == []


def test_draw_footprint_with_leaflet_draw(page, live_server, base):
    browser_login(page, live_server, base.staff.email)
    page.goto(live_server.url + "/verwaltung/gebaeude/neu")
    page.wait_for_selector("#building-map.leaflet-container")
    page.fill("input[name=street]", "Umrissweg")
    x, y = _map_centre(page, "#building-map")
    page.mouse.click(x, y)
    marker_lon = page.input_value("#coord_x")

    page.click(".leaflet-draw-draw-polygon")
    for dx, dy in ((-40, -30), (40, -30), (40, 30), (-40, 30)):
        page.mouse.click(x + dx, y + dy)
        page.wait_for_timeout(150)  # leaflet-draw ignores clicks within 50 ms of the last one
    page.locator("#building-map .leaflet-marker-icon.leaflet-editing-icon").first.click()
    footprint = page.input_value("#footprint_geojson")
    assert '"type":"Polygon"' in footprint
    assert page.input_value("#coord_x") == marker_lon  # drawing does not move the location

    page.click("form.building-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/einheiten/neu$"))
    page.goto(page.url.replace("/einheiten/neu", ""))
    assert "Polygon" in page.get_attribute("#building-map", "data-footprint")
    page.wait_for_selector("#building-map path.leaflet-interactive")
    assert page.js_errors == []
    assert page.dialogs == []
