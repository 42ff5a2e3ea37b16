"""Real Chromium: the maps where staff and initiatives place or draw show the boundary, the
Ortsteile, the focus areas and (staff only) the register's buildings; the place search moves
the map (and the building marker), also by keyboard; the register table fits 1280 px."""

from __future__ import annotations

from shapely.geometry import MultiPolygon, box
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import FocusArea, Municipality
from leerstand.spatial.geometry import to_db
from tests import factories
from tests.browser.conftest import browser_login
from tests.initiatives import INITIATIVE_PASSWORD

SHOTS = "/tmp/shots-h8"


def _world(app) -> str:
    """Schlossallee, two buildings; returns a confirmed initiative's e-mail."""
    with app.app_context():
        s = db.session
        muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        area = MultiPolygon([box(11.2195, 51.7180, 11.2320, 51.7200)])
        s.add(FocusArea(municipality_id=muni.id, name="Schlossallee", area=to_db(area)))
        factories.building(s, muni, street="Allee", house_number="12")
        factories.building(s, muni, street="Offene Gasse", house_number="5", lonlat=(11.23, 51.72))
        ini = factories.initiative(s, muni, confirmed=True, password=INITIATIVE_PASSWORD)
        s.commit()
        return ini.email


def _wait_context(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-context-ready]")


def _view(page, selector: str) -> tuple[float, float, int]:
    lat, lon, zoom = page.get_attribute(selector, "data-view").split(",")
    return float(lat), float(lon), int(zoom)


def test_building_form_map_shows_context_layers(page, live_server):
    _world(live_server.app)
    browser_login(page, live_server, "staff@test.example")
    page.goto(live_server.url + "/verwaltung/gebaeude/neu")
    _wait_context(page, "#building-map")
    m = "#building-map"
    assert page.get_attribute(m, "data-layer-boundary") == "1"
    assert page.get_attribute(m, "data-layer-districts") == "6"
    assert page.get_attribute(m, "data-layer-focus") == "1"
    assert page.get_attribute(m, "data-layer-buildings") == "2"
    assert page.locator(f"{m} path.map-boundary").count() == 1
    assert page.locator(f"{m} path.district-shape").count() == 6
    assert page.locator(f"{m} path.focus-shape").count() == 1
    assert page.locator(f"{m} path.building-dot").count() == 2
    control = page.locator(f"{m} .context-layers").inner_text()
    for name in ("Gemeindegrenze", "Ortsteile", "Fokusgebiete", "Gebäude im Register"):
        assert name in control

    # a building dot opens its popup and does not set the location
    page.locator(f"{m} path.building-dot").first.click()
    popup = page.locator(f"{m} .leaflet-popup-content .building-popup")
    popup.wait_for()
    assert "Allee 12" in popup.inner_text() or "Offene Gasse 5" in popup.inner_text()
    assert page.input_value("#coord_x") == ""

    # switching a layer off removes its paths
    page.locator(f"{m} .context-layers label", has_text="Gebäude im Register").locator(
        "input"
    ).uncheck()
    assert page.locator(f"{m} path.building-dot").count() == 0
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}/building-form-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    _wait_context(page, m)
    page.screenshot(path=f"{SHOTS}/building-form-320.png", full_page=True)
    assert page.js_errors == []


def test_search_by_keyboard_moves_map_and_marker(page, live_server):
    _world(live_server.app)
    browser_login(page, live_server, "staff@test.example")
    url = live_server.url + "/verwaltung/gebaeude/neu"
    page.goto(url)
    _wait_context(page, "#building-map")
    search = page.get_by_label("Ort auf der Karte suchen")
    search.fill("badeb")
    search.press("Enter")  # searches, does not submit the building form
    hits = page.locator(".place-search[data-map=building-map] button.place-hit")
    hits.first.wait_for()
    assert page.url == url
    assert hits.count() == 1 and "Badeborn" in hits.first.inner_text()
    assert "Ortsteil" in hits.first.inner_text()
    search.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('place-hit')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#building-map .leaflet-marker-icon")
    assert page.input_value("#coord_x") == "11.243889"
    assert page.input_value("#coord_y") == "51.761944"
    assert page.locator("#building-map .leaflet-marker-icon").count() == 1
    page.wait_for_selector("#building-map[data-view^='51.761944,11.243889,']")
    assert _view(page, "#building-map")[2] == 15

    # a street of the register, chosen with the mouse: the marker moves there
    search.fill("Offene")
    page.locator("button.place-hit", has_text="Offene Gasse 5").click()
    page.wait_for_selector("#building-map[data-view='51.720000,11.230000,18']")
    assert page.input_value("#coord_x") == "11.230000"
    assert page.input_value("#coord_y") == "51.720000"
    assert page.locator("#building-map .leaflet-marker-icon").count() == 1
    assert _view(page, "#building-map") == (51.72, 11.23, 18)
    assert "Karte zeigt: Offene Gasse 5" in page.locator(".place-search-status").inner_text()

    search.fill("gibtsnicht")
    search.press("Enter")
    page.wait_for_selector(".place-search-status:has-text('Keine Treffer')")
    assert page.js_errors == []


def test_proposal_form_map_has_layers_and_search_without_buildings(page, live_server):
    email = _world(live_server.app)
    page.goto(live_server.url + "/initiative/anmelden")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", INITIATIVE_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/initiative/ideen")
    page.goto(live_server.url + "/initiative/ideen/neu")
    _wait_context(page, "#proposal-map")
    m = "#proposal-map"
    assert page.get_attribute(m, "data-layer-districts") == "6"
    assert page.get_attribute(m, "data-layer-focus") == "1"
    assert page.get_attribute(m, "data-layer-buildings") is None  # staff only
    assert page.locator(f"{m} path.building-dot").count() == 0
    search = page.get_by_label("Ort auf der Karte suchen")
    search.fill("Schlossallee")
    page.locator("button.place-hit", has_text="Schlossallee").click()
    page.wait_for_selector("#proposal-map[data-view$=',16']")
    lat, lon, _ = _view(page, m)
    assert 51.718 < lat < 51.720 and 11.2195 < lon < 11.232
    assert page.input_value("#point_lon") == ""  # the proposal's place is still set by a click
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}/proposal-form-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    _wait_context(page, m)
    page.screenshot(path=f"{SHOTS}/proposal-form-320.png", full_page=True)
    page.check("input[name=location_kind][value=districts]")
    assert page.locator(".place-search[data-map=proposal-map]").is_hidden()
    assert page.js_errors == []


LONG_NAMES = ("Erdgeschoss Ladenlokal mit Schaufenster", "1. OG Büroetage links", "Halle")


def test_register_table_fits_1280(page, live_server):
    with live_server.app.app_context():
        s = db.session
        muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        for n in range(25):
            b = factories.building(
                s,
                muni,
                street=f"Friedrich-Ebert-Straße {n}",
                house_number=f"{n + 100}a",
            )
            factories.unit(s, b, name=LONG_NAMES[n % 3], vacancy_state="vacancy_expected")
        s.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, live_server, "staff@test.example")
    page.goto(live_server.url + "/verwaltung/register")
    page.wait_for_selector("#register-map[data-marker-count]")
    sizes = page.evaluate(
        """() => {
            const table = document.querySelector('.register-table');
            const box = table.parentElement;
            return [table.scrollWidth, box.clientWidth, document.documentElement.scrollWidth];
        }"""
    )
    table_width, container_width, page_width = sizes
    page.screenshot(path=f"{SHOTS}/register-1280.png", full_page=False)
    assert table_width <= container_width, sizes
    assert page_width <= 1280, sizes
    assert page.locator(".register-table thead th").count() == 8  # no column hidden
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    page.wait_for_selector("#register-map[data-marker-count]")
    page.screenshot(path=f"{SHOTS}/register-320.png", full_page=True)
    # narrow screens: the table scrolls inside its box, the page itself does not
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
