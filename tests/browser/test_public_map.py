"""Real Chromium on the public map: only public units, the list shows the units of the map's
view, filters update it, the tiles and the URL, a shared link restores them, and HTML in a
description stays text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from leerstand.db import db
from leerstand.models import Consent, District, Municipality
from tests import factories

XSS = "<img src=x onerror=alert(1)>"
BADEBORN = (11.2439, 51.7619)


def _world(app, plain_area: Decimal = Decimal("120")) -> dict:
    """Commit two consented units, one municipal unit and two hidden ones; return their ids."""
    with app.app_context():
        s = db.session
        muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        badeborn = s.scalar(select(District).where(District.name == "Badeborn"))
        owner = factories.owner(s, muni, name="Geheime Eigentümerin")
        s.add(Consent(municipality_id=muni.id, owner_id=owner.id, scope="public_map",
                      given_at=datetime.now(UTC), text_version="t"))  # fmt: skip
        a = factories.building(s, muni)
        factories.ownership(s, a, owner)
        xss = factories.unit(s, a, publishable=True, public_description=XSS).id
        plain = factories.unit(s, a, publishable=True, area_m2=plain_area).id
        hidden = factories.unit(s, a, publishable=False, internal_notes="INTERNALSECRET").id
        town = factories.owner(s, muni, name="Stadt", is_municipality=True)
        b = factories.building(s, muni, lonlat=BADEBORN, district_id=badeborn.id)
        factories.ownership(s, b, town)
        office = factories.unit(s, b, kind="office", publishable=True, street_level=False).id
        nobody = factories.owner(s, muni, name="Ohne Einwilligung")
        c = factories.building(s, muni, lonlat=(11.23, 51.72))
        factories.ownership(s, c, nobody)
        no_consent = factories.unit(s, c, publishable=True).id
        s.commit()
        return {"xss": xss, "plain": plain, "office": office, "hidden": [hidden, no_consent]}


def _count(page) -> str:
    return page.get_attribute("#public-map", "data-marker-count")


def _list_ids(page) -> set[int]:
    return {int(i) for i in page.eval_on_selector_all(
        "#public-list li[data-unit-id]", "items => items.map(i => i.dataset.unitId)")}  # fmt: skip


def _wait_count(page, n: int) -> None:
    page.wait_for_selector(f"#public-map[data-marker-count='{n}']:not([data-loading])")


def test_public_map_shows_public_units_and_filters(page, live_server):
    ids = _world(live_server.app)
    page.goto(live_server.url + "/")
    _wait_count(page, 3)
    assert _list_ids(page) == {ids["xss"], ids["plain"], ids["office"]}
    kinds = page.eval_on_selector_all(
        ".map-legend .legend-row[data-kind]", "rows => rows.map(r => r.dataset.kind)"
    )
    # ordered by code: the data attribute is written with Flask's tojson (keys sorted)
    assert kinds == [
        "flat", "gastro", "hall", "office", "other", "shop", "whole_building", "workshop",
    ]  # fmt: skip
    # the colours come from the page's data (vocab.UNIT_KIND_COLOURS), not from the script
    swatch = ".map-legend .legend-row[data-kind='{}'] circle"
    assert page.get_attribute(swatch.format("shop"), "fill") == "#c8473a"
    assert page.get_attribute(swatch.format("other"), "fill") == "#7a7f85"
    interim_row = page.locator(".map-legend .legend-row[data-state='interim_use']")
    assert interim_row.inner_text() == "in Zwischennutzung"
    content = page.content()
    assert "INTERNALSECRET" not in content and "Geheime" not in content
    assert page.get_by_role("link", name="Anmelden (Verwaltung)").count() == 1

    item = page.locator(f"#public-list li[data-unit-id='{ids['xss']}']")
    assert XSS in item.inner_text()
    item.locator("button.public-show").click()
    popup = page.locator(".leaflet-popup-content .unit-popup")
    popup.wait_for()
    assert XSS in popup.inner_text()
    assert page.locator(".leaflet-popup-content img").count() == 0
    _texts_come_from_the_page(page, item, popup.inner_text())
    assert page.locator("#public-list img").count() == 0

    # the list shows the units of the map's view: back to the whole town, then filter
    page.goto(live_server.url + "/")
    _wait_count(page, 3)
    page.select_option("select[name=kind]", "office")
    _wait_count(page, 1)
    assert _list_ids(page) == {ids["office"]}
    page.wait_for_url(re.compile(r".*[?&]kind=office"))
    assert "lat=" in page.url and "z=" in page.url

    page.check("input[name=street_level]")
    _wait_count(page, 0)
    assert page.locator("#public-empty").is_visible()

    shared = page.url
    page.goto(shared)
    _wait_count(page, 0)
    assert page.input_value("select[name=kind]") == "office"
    assert page.is_checked("input[name=street_level]")
    page.uncheck("input[name=street_level]")
    _wait_count(page, 1)

    assert page.js_errors == []
    assert page.dialogs == []


def _texts_come_from_the_page(page, item, popup_text: str) -> None:
    """Popup and list texts are the page's translated data-text-* and data-features values."""
    attr = lambda name: page.get_attribute("#public-map", name)  # noqa: E731
    assert item.locator("button.public-show").inner_text() == attr("data-text-show")
    assert attr("data-text-show") == "auf der Karte zeigen"
    assert attr("data-text-by-arrangement") in popup_text  # the unit has no available_from
    features = json.loads(attr("data-features"))
    assert features["street_level"] == "ebenerdig" and features["street_level"] in popup_text


def test_public_map_reports_a_failed_load_in_the_page_language(page, live_server):
    _world(live_server.app)
    page.goto(live_server.url + "/")
    _wait_count(page, 3)
    page.route(
        "**/tiles/units/list.json*",
        lambda route: route.fulfill(
            status=500, content_type="application/json", body='{"error": "internal detail"}'
        ),
    )
    page.select_option("select[name=kind]", "office")
    message = page.locator("#public-message")
    message.wait_for()
    assert message.inner_text() == page.get_attribute("#public-map", "data-text-error")
    assert "internal detail" not in message.inner_text()
    page.unroute("**/tiles/units/list.json*")
    page.select_option("select[name=kind]", "")
    _wait_count(page, 3)
    assert message.is_hidden()


def test_public_map_numbers_follow_the_page_language(page, live_server):
    ids = _world(live_server.app, plain_area=Decimal("1234"))
    for lang, area in (("en", "1,235 m²"), ("de", "1.235 m²")):
        page.goto(live_server.url + f"/?lang={lang}")
        _wait_count(page, 3)
        assert page.get_attribute("html", "lang") == lang
        item = page.locator(f"#public-list li[data-unit-id='{ids['plain']}']")
        assert area in item.inner_text()
        item.locator("button.public-show").click()
        popup = page.locator(".leaflet-popup-content .unit-popup")
        popup.wait_for()
        assert area in popup.inner_text()
    assert page.js_errors == []


def test_public_map_on_a_phone(browser, live_server):
    _world(live_server.app)
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/?lat=51.74&lon=11.235&z=12")  # Badeborn too (5 km north)
    _wait_count(page, 3)
    map_box = page.locator("#public-map").bounding_box()
    list_box = page.locator("#public-list").bounding_box()
    assert list_box["y"] >= map_box["y"] + map_box["height"]  # list below the map
    assert map_box["width"] <= 390
    assert page.evaluate("window.location.search").count("z=12") == 1
    assert errors == []
    context.close()
