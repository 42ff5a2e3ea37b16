"""Real Chromium on the OGC API's HTML pages (landing page, collections, items, one item): they
render with the site's layout, the items page draws its features on the small map without
script errors, paging works by link, and the pages fit a 320 px phone (screenshots under
``OGC_SHOTS``, default /tmp/shots-h5, at 320 and 1280 px)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from leerstand.db import db
from leerstand.models import Municipality
from tests import factories

SHOTS = Path(os.environ.get("OGC_SHOTS", "/tmp/shots-h5"))


def _units(app, n: int = 12) -> list[int]:
    with app.app_context():
        s = db.session
        muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        town = factories.owner(s, muni, name="Stadt", is_municipality=True)
        ids = []
        for i in range(n):
            building = factories.building(
                s, muni, street="Allee", house_number=str(i + 1), lonlat=(11.22 + i * 0.001, 51.72)
            )
            factories.ownership(s, building, town)
            ids.append(factories.unit(s, building, publishable=True).id)
        s.commit()
    return ids


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 320:
            _fits(page)
        page.screenshot(path=str(SHOTS / f"ogc-{name}-{width}.png"), full_page=True)


def test_ogc_html_pages(page, live_server):
    ids = _units(live_server.app)
    base = live_server.url + "/ogc"
    page.goto(base + "/?f=html")
    assert page.locator("h1").inner_text() == "Leerstand: offene Geodaten (OGC API – Features)"
    _shoot(page, "landing")

    page.click("text=Sammlungen")
    page.wait_for_url("**/ogc/collections?f=html")
    assert page.locator(".ogc-collection").count() == 5
    _shoot(page, "collections")

    page.goto(base + "/collections/units/items", wait_until="networkidle")  # Accept: text/html
    page.wait_for_selector("#mini-map[data-layer-count='10']")
    assert page.locator(".ogc-count").inner_text() == "10 von 12 Objekten"
    _shoot(page, "items")

    page.click("a[rel=next]")
    page.wait_for_selector("#mini-map[data-layer-count='2']")
    assert "ab Nr. 11" in page.locator(".ogc-count").inner_text()

    page.goto(f"{base}/collections/units/items/{ids[0]}")
    page.wait_for_selector("#mini-map[data-layer-count='1']")
    assert "Allee 1" in page.locator("h1").inner_text()
    _shoot(page, "item")
    assert page.js_errors == []
