"""Real Chromium on the public map drawn from vector tiles: clusters and dots add up to the
units of the view, a click on a dot opens that unit's popup, a click on a cluster zooms in,
and the list beside the map shows the units of the view, 50 at a time, page by page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import Municipality
from tests import factories as f

BADEBORN = (11.2439, 51.7619)
ALLEE = (11.2265, 51.7192)
READY = "#public-map[data-marker-count='{n}']:not([data-loading])"


@pytest.fixture
def units(live_server) -> dict:
    """60 town-owned units on the Allee (a 10 × 6 grid, about 15 m apart) and one office in
    Badeborn; returns {"allee": [ids], "badeborn": id}."""
    with live_server.app.app_context():
        s = db.session
        muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        town = f.owner(s, muni, name="Stadt", is_municipality=True)
        allee = []
        for i in range(60):
            lonlat = (ALLEE[0] + i % 10 * 0.0002, ALLEE[1] + i // 10 * 0.0002)
            b = f.building(s, muni, lonlat=lonlat, house_number=str(i + 1))
            f.ownership(s, b, town)
            allee.append(f.unit(s, b, publishable=True).id)
        b = f.building(s, muni, lonlat=BADEBORN, street="Badeborner Straße", house_number="1")
        f.ownership(s, b, town)
        office = f.unit(s, b, kind="office", publishable=True).id
        s.commit()
    return {"allee": allee, "badeborn": office}


def _drawn_total(page) -> int:
    """Units on the map: each dot one, each cluster its number."""
    return page.evaluate("""() => {
        const clusters = [...document.querySelectorAll('#public-map .marker-cluster')];
        const dots = document.querySelectorAll('#public-map path.unit-marker').length;
        return dots + clusters.reduce((n, c) => n + Number(c.textContent), 0);
    }""")


def _list_ids(page) -> list[int]:
    return page.eval_on_selector_all(
        "#public-list li[data-unit-id]", "items => items.map(i => Number(i.dataset.unitId))"
    )


def test_clusters_and_dots_add_up_to_the_units_of_the_view(page, live_server, units):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/?lat=51.74&lon=11.235&z=12")
    page.wait_for_selector(READY.format(n=61))
    assert _drawn_total(page) == 61
    cluster = page.locator("#public-map .marker-cluster").first
    assert cluster.get_attribute("aria-label") == f"{cluster.inner_text()} Räume – vergrößern"
    page.select_option("select[name=kind]", "office")
    page.wait_for_selector(READY.format(n=1))
    assert _drawn_total(page) == 1
    assert page.locator("#public-map .marker-cluster").count() == 0
    assert page.js_errors == []


def test_a_click_on_a_dot_opens_the_popup_of_that_unit(page, live_server, units):
    lon, lat = BADEBORN
    page.goto(f"{live_server.url}/?lat={lat}&lon={lon}&z=18")
    page.wait_for_selector(READY.format(n=1))
    page.wait_for_selector("#public-map path.unit-marker", state="attached")
    page.locator("#public-map path.unit-marker").click()
    popup = page.locator(".leaflet-popup .unit-popup")
    popup.wait_for()
    assert popup.get_attribute("data-unit-id") == str(units["badeborn"])
    assert popup.inner_text().startswith("Badeborner Straße 1")
    assert popup.get_by_role("link", name="Details ansehen").get_attribute("href") == (
        f"/leerstand/{units['badeborn']}"
    )
    assert page.js_errors == []


def test_a_click_on_a_cluster_zooms_in(page, live_server, units):
    page.goto(live_server.url + "/?lat=51.74&lon=11.235&z=12")
    page.wait_for_selector(READY.format(n=61))
    page.locator("#public-map .marker-cluster").first.click()
    page.wait_for_function("() => document.querySelector('#public-map').dataset.view"
                           ".split(',')[2] === '14'")  # fmt: skip
    assert "z=14" in page.url
    assert page.js_errors == []


def test_the_list_shows_the_view_fifty_at_a_time(page, live_server, units):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/?lat=51.74&lon=11.235&z=12")
    page.wait_for_selector(READY.format(n=61))
    assert _list_ids(page) == units["allee"][:50]
    pager = page.locator("#public-pager")
    assert pager.locator("p").inner_text() == "Räume 1–50 von 61 im Kartenausschnitt"
    previous = pager.get_by_role("button", name="Vorherige Räume")
    more = pager.get_by_role("button", name="Weitere Räume")
    assert previous.is_disabled() and more.is_enabled()
    more.click()
    page.wait_for_function("() => document.querySelectorAll('#public-list li').length === 11")
    assert _list_ids(page) == [*units["allee"][50:], units["badeborn"]]
    assert pager.locator("p").inner_text() == "Räume 51–61 von 61 im Kartenausschnitt"
    assert more.is_disabled() and previous.is_enabled()
    assert page.evaluate("document.activeElement.id") == "public-results"
    page.keyboard.press("Tab")  # the first unit of the page, a link
    assert page.evaluate("document.activeElement.textContent") == "Allee 51"
    # only the Allee in view: its 60 units, the list back on its first page
    lon, lat = ALLEE
    page.goto(f"{live_server.url}/?lat={lat + 0.0005}&lon={lon + 0.001}&z=16")
    page.wait_for_selector(READY.format(n=60))
    assert _list_ids(page) == units["allee"][:50]
    count = page.inner_text("#public-count")
    assert count == "60 freie Räume"
    assert re.search(r"z=16", page.url)
    assert page.js_errors == []


@pytest.mark.parametrize("width", [320, 1280])
def test_the_map_and_its_list_fit_the_screen(browser, live_server, units, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/?lat=51.74&lon=11.235&z=12")
    page.wait_for_selector(READY.format(n=61))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/s13/tiles-public-map-{width}.png")
    pager = page.locator("#public-pager")
    pager.scroll_into_view_if_needed()
    for button in pager.locator("button").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 44
    page.screenshot(path=f"/tmp/s13/tiles-public-pager-{width}.png")
    context.close()


def test_a_committed_change_reaches_the_tiles_at_once(page, live_server, units):
    """The server keeps built tiles; a change of the public data is never hidden by them."""
    from leerstand.models import Unit

    path = "/tiles/units/17/69629/43435.mvt"  # Badeborn's office
    size = f"() => fetch('{path}').then((r) => r.arrayBuffer()).then((b) => b.byteLength)"
    page.goto(live_server.url + "/")
    first = page.evaluate(size)
    assert first > 0 and page.evaluate(size) == first  # the second answer from the cache
    with live_server.app.app_context():
        db.session.get(Unit, units["badeborn"]).publishable = False
        db.session.commit()
    assert page.evaluate(size) == 0
    page.wait_for_selector("#public-map[data-marker-count]:not([data-loading])")
