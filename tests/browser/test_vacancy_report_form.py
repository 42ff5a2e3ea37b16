"""Real Chromium: report a vacancy on the public map page's form – place the point by a click,
see the known public unit 30 m away offered as "Das ist dieser Ort", send it as a new place and
find it in the database at the clicked point (no axe violations on the form); "Meine Position"
with the position allowed and with it denied (a German message)."""

from __future__ import annotations

from sqlalchemy import func, select

from leerstand.models import Unit, VacancyReport
from tests import factories as f
from tests.browser.axe import describe, violations
from tests.report_world import M_PER_DEG_LAT

DENIED = "Ihre Position ist nicht freigegeben."


def _click_map(page) -> tuple[float, float]:
    box = page.locator("#report-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#report-map[data-nearby-count]")
    return float(page.input_value("#report-lon")), float(page.input_value("#report-lat"))


def _public_unit_at(session, base, lon: float, lat: float) -> int:
    building = f.building(session, base.municipality, lonlat=(lon, lat), house_number="30")
    unit = f.unit(session, building, publishable=True)
    owner = f.owner(session, base.municipality)
    f.ownership(session, building, owner)
    f.consent(session, owner)
    session.commit()
    return unit.id


def test_place_see_nearby_and_send(page, live_server, session, base):
    page.goto(live_server.url + "/")
    page.click("#report-button")
    page.wait_for_selector("#report-map.leaflet-container")
    lon, lat = _click_map(page)
    assert page.get_attribute("#report-map", "data-nearby-count") == "0"
    assert "noch nichts bekannt" in page.inner_text("#report-nearby-text")

    unit_id = _public_unit_at(session, base, lon, lat + 30 / M_PER_DEG_LAT)
    page.evaluate("document.getElementById('report-map').removeAttribute('data-nearby-count')")
    _click_map(page)
    offered = page.locator(f"#report-nearby-list li[data-unit='{unit_id}']")
    assert "Das ist dieser Ort" in offered.inner_text() and "(30 m)" in offered.inner_text()
    assert page.is_checked("#report-nearby input[value=new]")
    found = violations(page)  # the form with the places nearby (WCAG 2.1 A/AA, axe-core)
    assert found == [], describe({"/melden": found})

    page.select_option("select[name=kind]", "shop")
    page.select_option("select[name=since]", "weeks")
    page.fill("textarea[name=comment]", "Schaufenster leer")
    page.click("#report-form button[type=submit]")
    page.wait_for_url(live_server.url + "/melden/danke?art=neu")
    assert "Danke für Ihre Meldung!" in page.inner_text("#report-thanks")

    session.expire_all()
    report = session.scalar(select(VacancyReport))
    assert (report.kind, report.since, report.comment, report.suggested_unit_id) == (
        "shop", "weeks", "Schaufenster leer", None
    )  # fmt: skip
    here = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    off = session.scalar(
        select(func.ST_Distance(func.geography(VacancyReport.location), func.geography(here)))
    )
    assert off < 1.0
    assert session.scalar(select(func.count()).select_from(Unit)) == 1  # no unit from it yet
    session.rollback()  # end the read, so that the clean-up can empty the tables
    assert page.js_errors == []


def test_my_position_allowed_and_denied(browser, live_server):
    allowed = browser.new_context(locale="de-DE", geolocation={"latitude": 51.7192,
                                  "longitude": 11.2265}, permissions=["geolocation"])  # fmt: skip
    page = allowed.new_page()
    page.goto(live_server.url + "/melden")
    page.click("#report-locate")
    page.wait_for_selector("#report-map[data-point]")
    assert page.get_attribute("#report-map", "data-point") == "11.226500,51.719200"
    assert page.inner_text("#report-locate-status") == "Punkt auf Ihre Position gesetzt."
    allowed.close()

    denied = browser.new_context(locale="de-DE")
    page = denied.new_page()
    page.goto(live_server.url + "/melden")
    page.click("#report-locate")
    page.wait_for_function(
        "document.getElementById('report-locate-status').textContent.includes('freigegeben')"
    )
    assert DENIED in page.inner_text("#report-locate-status")
    assert page.input_value("#report-lon") == ""
    denied.close()
