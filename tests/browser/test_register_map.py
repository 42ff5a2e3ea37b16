"""Real Chromium: the register map asks for its view and clusters it below a street's zoom; a
click on a cluster zooms in until single units show, whose popups lead to the building; the
counts on the map add up to the list's; nothing overflows at 320 and 1280 px."""

from __future__ import annotations

from sqlalchemy import select

from leerstand.db import db
from leerstand.models import Municipality
from tests import factories
from tests.browser.conftest import browser_login

SHOTS = "/tmp/s13"
READY = "#register-map[data-drawn-view]:not([data-loading])"
# 20 units in 10 buildings at the Allee, 20 in Badeborn, one on its own: 41
GROUPS = [((11.2300, 51.7200), "Allee"), ((11.2435, 51.7620), "Hauptstraße")]


def _world(app) -> None:
    with app.app_context():
        s = db.session
        town = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        for (lon, lat), street in GROUPS:
            for n in range(10):
                b = factories.building(
                    s, town, street=street, house_number=str(n + 1),
                    lonlat=(lon + n * 0.00004, lat + n * 0.00003),
                )  # fmt: skip
                factories.unit(s, b, name=f"EG {street} {n + 1}")
                factories.unit(s, b, name=f"OG {street} {n + 1}", kind="flat")
        lone = factories.building(s, town, street="Am Anger", house_number="4",
                                  lonlat=(11.2050, 51.7300))  # fmt: skip
        factories.unit(s, lone, name="Einzeln")
        s.commit()


def _state(page) -> dict:
    return page.evaluate(
        """() => {
            const d = document.getElementById('register-map').dataset;
            const counts = [...document.querySelectorAll('#register-map .register-cluster')]
                .map((c) => Number(c.textContent.replace(/\\D/g, '')));
            return {total: Number(d.total), markers: Number(d.markerCount), counts,
                    clusters: Number(d.clusterCount), view: d.view, drawn: d.drawnView,
                    units: document.querySelectorAll('#register-map path.unit-marker').length};
        }"""
    )


def _wait_for_new_view(page, old_view: str) -> dict:
    page.wait_for_function(
        """(old) => {
            const d = document.getElementById('register-map').dataset;
            return d.view !== old && d.drawnView === d.view && !d.loading;
        }""",
        arg=old_view,
    )
    return _state(page)


def test_register_map_clusters_and_zooms_to_single_units(page, live_server):
    _world(live_server.app)
    browser_login(page, live_server, "staff@test.example")
    page.goto(live_server.url + "/verwaltung/register")
    page.wait_for_selector(READY)
    state = _state(page)
    assert "41 Einheiten" in page.locator("#register-count").inner_text()
    assert state["total"] == 41 and state["clusters"] >= 1
    assert sum(state["counts"]) + state["markers"] == 41  # clusters and singles add up
    assert state["units"] == state["markers"]
    page.screenshot(path=f"{SHOTS}/register-map-clusters.png")

    for _ in range(6):  # click the largest cluster until its units show one by one
        if not state["clusters"]:
            break
        largest = max(state["counts"])
        page.locator("#register-map .register-cluster", has_text=str(largest)).first.click()
        state = _wait_for_new_view(page, state["view"])
    assert state["clusters"] == 0 and state["markers"] >= 2
    assert int(state["view"].split(",")[2]) >= 17

    page.locator("#register-map path.unit-marker").last.click()  # the top one of a building
    popup = page.locator(".leaflet-popup-content .unit-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert "Allee" in text or "Hauptstraße" in text
    assert popup.locator("a").get_attribute("href").startswith("/verwaltung/gebaeude/")
    assert page.js_errors == []


def test_filter_applies_to_the_map_and_moving_asks_for_the_view(page, live_server):
    _world(live_server.app)
    browser_login(page, live_server, "staff@test.example")
    page.goto(live_server.url + "/verwaltung/register?kind=flat")
    page.wait_for_selector(READY)
    state = _state(page)
    assert "20 Einheiten" in page.locator("#register-count").inner_text()
    assert state["total"] == 20 and sum(state["counts"]) + state["markers"] == 20
    requests = []
    page.on("request", lambda r: "register.geojson" in r.url and requests.append(r.url))
    old = state["view"]
    page.locator("#register-map .leaflet-control-zoom-in").click()
    state = _wait_for_new_view(page, old)
    assert len(requests) == 1  # one request per settled view (debounced)
    assert "bbox=" in requests[0] and "zoom=" in requests[0] and "kind=flat" in requests[0]
    assert sum(state["counts"]) + state["markers"] == state["total"] <= 20
    assert page.js_errors == []


def test_register_page_at_320_and_1280(page, live_server):
    _world(live_server.app)
    browser_login(page, live_server, "staff@test.example")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/verwaltung/register")
        page.wait_for_selector(READY)
        page.screenshot(path=f"{SHOTS}/register-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator("#register-map").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.js_errors == []
