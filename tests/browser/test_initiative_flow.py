"""Real Chromium, real SMTP on loopback: an initiative registers, confirms through the link in
the captured mail, logs in, draws an area with leaflet-draw and submits a proposal whose title is
an HTML injection attempt; staff publish it in the moderation queue; it is in
/api/proposals.geojson, and no dialog ever opens."""

from __future__ import annotations

import re

from sqlalchemy import text

from leerstand.db import db
from tests.browser.conftest import browser_login
from tests.initiatives import XSS
from tests.smtp import links

EMAIL = "browser-initiative@example.org"
PASSWORD = "browser-geheim-123"


def _register_and_confirm(page, server, smtp_server) -> None:
    page.goto(server.url + "/initiative/registrieren")
    page.fill("input[name=name]", "Browser-Jugendclub e.V.")
    page.fill("input[name=contact_person]", "Bea Browser")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(server.url + "/initiative/anmelden")
    (message,) = smtp_server.wait_for(1)
    (link,) = links(message)
    assert link.startswith(server.url + "/initiative/bestaetigen/")
    page.goto(link)
    page.click("form button[type=submit]")
    page.wait_for_url(server.url + "/initiative/anmelden")
    assert "bestätigt" in page.content()


def _login(page, server) -> None:
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(server.url + "/initiative/ideen")


def _draw_area(page) -> None:
    page.check("input[name=location_kind][value=area]")
    page.wait_for_selector("#proposal-map .leaflet-draw-draw-polygon")
    box = page.locator("#proposal-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.click(".leaflet-draw-draw-polygon")
    for dx, dy in ((-50, -35), (50, -35), (50, 35), (-50, 35)):
        page.mouse.click(x + dx, y + dy)
        page.wait_for_timeout(150)  # leaflet-draw ignores clicks within 50 ms of the last one
    page.locator("#proposal-map .leaflet-marker-icon.leaflet-editing-icon").first.click()
    assert '"type":"Polygon"' in page.input_value("#area_geojson")


def _create_and_submit(page, server) -> str:
    page.goto(server.url + "/initiative/ideen/neu")
    page.wait_for_selector("#proposal-map.leaflet-container")
    page.fill("input[name=title]", XSS)
    page.fill("textarea[name=description]", "Ein Raum für <script>alert(2)</script> Jugendliche.")
    page.select_option("select[name=use_kind]", "youth")
    page.fill("input[name=area_min]", "40")
    page.fill("input[name=area_max]", "90,5")
    page.check("input[name=street_level]")
    _draw_area(page)
    page.click("button[name=action][value=submit]")
    page.wait_for_url(re.compile(r".*/initiative/ideen/\d+$"))
    assert page.locator("h1").inner_text() == XSS
    assert "eingereicht" in page.inner_text("main")
    page.wait_for_selector("#proposal-map path.leaflet-interactive")  # the area on the view map
    return page.url.rsplit("/", 1)[1]


def _publish(page, server, base, proposal_id: str) -> None:
    page.context.clear_cookies()
    browser_login(page, server, base.staff.email)
    page.goto(server.url + "/verwaltung/ideen-pruefen")
    row = page.locator(f"tr[data-proposal-id='{proposal_id}']")
    assert row.locator("a").inner_text() == XSS
    row.locator("a").click()
    page.wait_for_selector("#proposal-map path.leaflet-interactive")
    page.click("button[name=publish]")
    page.wait_for_url(server.url + "/verwaltung/ideen-pruefen")
    assert "veröffentlicht" in page.inner_text(".flashes")


def test_register_draw_submit_publish(page, mail_server, smtp_server, base):
    _register_and_confirm(page, mail_server, smtp_server)
    _login(page, mail_server)
    proposal_id = _create_and_submit(page, mail_server)
    _publish(page, mail_server, base, proposal_id)

    with db.get_engine().connect() as conn:  # no open transaction left to block the clean-up
        state = conn.execute(
            text("SELECT state, ST_IsValid(area) FROM proposal WHERE id = :id"),
            {"id": int(proposal_id)},
        ).one()
    assert tuple(state) == ("published", True)
    response = page.request.get(mail_server.url + "/api/proposals.geojson")
    assert response.ok
    features = response.json()["features"]
    mine = [f for f in features if str(f.get("id")) == proposal_id]
    assert len(mine) == 1
    assert mine[0]["properties"]["title"] == XSS
    assert mine[0]["geometry"]["type"] == "Polygon"
    assert EMAIL not in response.text()
    _seen_on_public_map(page, mail_server, proposal_id)
    assert page.js_errors == []
    assert page.dialogs == []


def _seen_on_public_map(page, server, proposal_id: str) -> None:
    """The published proposal is a shape on the public map; its popup shows the title as text."""
    page.context.clear_cookies()
    page.goto(server.url + "/")
    shape = page.locator("path.idea-shape").first
    shape.wait_for(state="attached")
    shape.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert XSS in popup.inner_text()
    assert popup.locator("img").count() == 0
    page.goto(server.url + f"/ideen/{proposal_id}")
    assert XSS in page.locator("h1").inner_text()
    assert EMAIL not in page.content()


def test_point_with_radius_and_location_kinds(page, mail_server, base, session):
    from tests.initiatives import INITIATIVE_PASSWORD, initiative

    ini = initiative(session, base.municipality)
    page.goto(mail_server.url + "/initiative/anmelden")
    page.fill("input[name=email]", ini.email)
    page.fill("input[name=password]", INITIATIVE_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(mail_server.url + "/initiative/ideen")
    page.goto(mail_server.url + "/initiative/ideen/neu")
    page.wait_for_selector("#proposal-map.leaflet-container")
    assert page.is_hidden("[data-location-kind=area]")
    page.check("input[name=location_kind][value=districts]")
    assert page.is_hidden("#proposal-map") and page.is_visible("[data-location-kind=districts]")
    page.check("input[name=location_kind][value=point]")
    box = page.locator("#proposal-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 20, box["y"] + box["height"] / 2)
    page.wait_for_selector("#proposal-map .leaflet-marker-icon")
    lon, lat = float(page.input_value("#point_lon")), float(page.input_value("#point_lat"))
    assert 11.20 < lon < 11.25 and 51.70 < lat < 51.73
    page.fill("input[name=title]", "Pop-up am Markt")
    page.select_option("select[name=use_kind]", "popup")
    page.fill("#radius_m", "300")
    page.click("button[name=action][value=save]")
    page.wait_for_url(re.compile(r".*/initiative/ideen/\d+$"))
    assert "Entwurf" in page.inner_text("main")
    page.wait_for_selector("#proposal-map path.leaflet-interactive")  # the radius circle
    assert page.js_errors == []
    assert page.dialogs == []


def test_typed_point_needs_both_coordinates(page, mail_server, base, session):
    """An empty latitude is no latitude 0: the marker appears only once both values are typed."""
    from tests.initiatives import INITIATIVE_PASSWORD, initiative

    ini = initiative(session, base.municipality)
    page.goto(mail_server.url + "/initiative/anmelden")
    page.fill("input[name=email]", ini.email)
    page.fill("input[name=password]", INITIATIVE_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(mail_server.url + "/initiative/ideen")
    page.goto(mail_server.url + "/initiative/ideen/neu")
    page.wait_for_selector("#proposal-map.leaflet-container")
    marker = page.locator("#proposal-map .leaflet-marker-icon")
    page.fill("#point_lon", "11,2300")
    page.dispatch_event("#point_lon", "change")
    assert marker.count() == 0
    page.fill("#point_lat", "51,7200")
    page.dispatch_event("#point_lat", "change")
    marker.wait_for()
    parsed = page.evaluate(
        """async () => {
            const { parseLatLng } = await import("/static/map/map.js");
            const cases = [["11.2", ""], ["", "51.7"], [" ", "51.7"], ["x", "51.7"],
                           ["11,2", "51,7"], ["200", "51.7"], ["11.2", "91"]];
            return cases.map(([lon, lat]) => {
                const p = parseLatLng(lon, lat);
                return p && [p.lng, p.lat];
            });
        }"""
    )
    assert parsed == [None, None, None, None, [11.2, 51.7], None, None]
    assert page.js_errors == []
