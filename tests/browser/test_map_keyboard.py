"""The public map by keyboard in real Chromium (issue 11, BITV 2.0): skip links come first,
nothing in the map is a tab stop without a name (shapes are none at all), clusters are named
"4 Räume – vergrößern" and Enter zooms in, and "auf der Karte zeigen" moves the focus into the
popup, from where Escape closes it and returns the focus to the button."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import District, Municipality
from tests import factories as f

SHOTS = "/tmp/shots-h10"
BADEBORN = (11.2439, 51.7619)
# about 150 m apart: one cluster at the start view, apart from zoom 16 on (no spiderfying)
NEAR = [(11.2265, 51.7192), (11.2285, 51.7192), (11.2265, 51.7207), (11.2285, 51.7207)]
READY = "#public-map[data-marker-count='5']:not([data-loading])"


@pytest.fixture
def units(live_server) -> dict:
    """Four consented units close together on the Allee (one cluster), one in Badeborn, a
    published proposal (a circle on the map); returns {address: unit id}."""
    with live_server.app.app_context():
        s = db.session
        muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        badeborn = s.scalar(select(District).where(District.name == "Badeborn"))
        owner = f.owner(s, muni)
        f.consent(s, owner)
        ids = {}
        for i, lonlat in enumerate([*NEAR, BADEBORN], start=1):
            extra = {"district_id": badeborn.id} if lonlat == BADEBORN else {}
            b = f.building(s, muni, lonlat=lonlat, house_number=str(i), **extra)
            f.ownership(s, b, owner)
            ids[f"Allee {i}"] = f.unit(s, b, publishable=True).id
        f.proposal_in(s, muni)
        s.commit()
    return ids


def _open(browser, server, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.goto(server.url + "/")
    page.wait_for_selector(READY)
    page.wait_for_selector(".leaflet-control-layers-overlays label:nth-child(4)", state="attached")
    _settled(page)
    return context, page


def _settled(page) -> None:
    """Wait until no zoom or cluster animation runs (it keeps the old clusters meanwhile)."""
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')"
        " && document.querySelectorAll('.marker-cluster').length === 1"
    )


ACTIVE = """() => {
  const a = document.activeElement;
  return {tag: a.tagName.toLowerCase(), id: a.id, cls: String(a.className.baseVal ?? a.className),
          role: a.getAttribute('role'), name: (a.getAttribute('aria-label') || a.title ||
          (a.labels && a.labels[0] ? a.labels[0].textContent : a.textContent) || '').trim(),
          inMap: Boolean(a.closest('#public-map')), inPopup: Boolean(a.closest('.leaflet-popup'))};
}"""


def _active(page) -> dict:
    return page.evaluate(ACTIVE)


def _tab_through_map(page) -> list[dict]:
    """Tab from the map container until the focus leaves the map; every stop on the way."""
    page.focus("#public-map")
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stop = _active(page)
        if not stop["inMap"]:
            return stops
        stops.append(stop)
    raise AssertionError(f"the focus never left the map: {stops}")


@pytest.mark.parametrize("width", [320, 1280])
def test_skip_links_come_first_and_lead_to_content_and_list(browser, live_server, units, width):
    context, page = _open(browser, live_server, width)
    page.keyboard.press("Tab")
    first = _active(page)
    assert (first["tag"], first["name"]) == ("a", "Zum Inhalt springen")
    box = page.locator(".skip-link").first.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= width  # visible
    page.screenshot(path=f"{SHOTS}/map-skip-link-{width}.png")
    page.keyboard.press("Tab")
    assert _active(page)["name"] == "Zur Liste springen"
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "public-results"
    page.keyboard.press("Tab")  # the next stop is the first entry of the list
    assert _active(page)["name"] == "Allee 1"
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "main"
    assert page.js_errors == []
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_map_stops_are_named_and_enter_on_a_cluster_zooms_in(browser, live_server, units, width):
    context, page = _open(browser, live_server, width)
    assert page.locator("#public-map path.leaflet-interactive").count() >= 3  # shapes drawn
    stops = _tab_through_map(page)
    assert all(stop["name"] for stop in stops), stops
    assert not [s for s in stops if s["tag"] in ("path", "svg", "g")], stops
    named = "#public-map path:not([tabindex='-1']):not([aria-label])"
    assert page.locator(f"{named}.district-shape, {named}.focus-shape").count() == 0
    names = [s["name"] for s in stops]
    assert "4 Räume – vergrößern" in names, names
    assert {"Vergrößern", "Verkleinern"} <= set(names)
    page.focus("#public-map")
    for _ in range(names.index("4 Räume – vergrößern") + 1):
        page.keyboard.press("Tab")
    cluster = _active(page)
    assert (cluster["role"], cluster["name"]) == ("button", "4 Räume – vergrößern")
    assert "marker-cluster" in cluster["cls"]
    page.screenshot(path=f"{SHOTS}/map-cluster-focused-{width}.png")
    zoom_before = int(page.get_attribute("#public-map", "data-view").split(",")[2])
    page.keyboard.press("Enter")
    page.wait_for_function(
        "z => Number(document.querySelector('#public-map').dataset.view.split(',')[2]) > z",
        arg=zoom_before,
    )
    page.wait_for_function("() => document.activeElement.id === 'public-map'")
    assert page.js_errors == []
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_show_on_map_focuses_the_popup_and_escape_returns(browser, live_server, units, width):
    context, page = _open(browser, live_server, width)
    button = f"#public-list li[data-unit-id='{units['Allee 3']}'] .public-show"
    page.focus(button)
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup .unit-popup")
    active = _active(page)
    assert active["inPopup"] and "unit-popup" in active["cls"], active
    assert active["name"].startswith("Allee 3")
    close = page.get_attribute(".leaflet-popup-close-button", "aria-label")
    assert close == "Schließen"
    page.keyboard.press("Tab")
    assert _active(page)["name"] == "Details ansehen"
    page.screenshot(path=f"{SHOTS}/map-popup-focused-{width}.png")
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate(f'document.activeElement === document.querySelector("{button}")')
    # the close button returns the focus just as well
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup .unit-popup")
    page.focus(".leaflet-popup-close-button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate(f'document.activeElement === document.querySelector("{button}")')
    assert page.js_errors == []
    context.close()
