"""Real Chromium on the public map: the count of free spaces, rebuilt by public.js from the
API's answer, leaves out units in interim use (running or planned) and names them after it;
the list shows "Zwischennutzung geplant ab …" for a use that starts tomorrow."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.models import Municipality
from tests import factories


def _world(app) -> dict:
    """A town-owned building: one unit planned from tomorrow, one running since today, one
    free office; all committed."""
    today = local_today()
    tomorrow = today + timedelta(days=1)
    with app.app_context():
        s = db.session
        muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        town = factories.owner(s, muni, name="Stadt", is_municipality=True)
        building = factories.building(s, muni)
        factories.ownership(s, building, town)
        planned = factories.unit(s, building, vacancy_state="interim_use", publishable=True)
        running = factories.unit(s, building, vacancy_state="interim_use", publishable=True)
        free = factories.unit(s, building, kind="office", publishable=True)
        end = today + timedelta(days=40)
        factories.interim_use(s, planned, starts_on=tomorrow, ends_on=end)
        factories.interim_use(s, running, starts_on=today, ends_on=end)
        ids = {"planned": planned.id, "running": running.id, "free": free.id}
        s.commit()
    return {**ids, "tomorrow": f"{tomorrow:%d.%m.%Y}"}


def _badge(page, unit_id: int) -> str:
    return page.locator(f"#public-list li[data-unit-id='{unit_id}'] .badge").inner_text()


def test_public_count_after_the_script_and_filters(page, live_server):
    w = _world(live_server.app)
    page.goto(live_server.url + "/")
    page.wait_for_selector("#public-map[data-marker-count='3']:not([data-loading])")
    count = page.locator("#public-count")
    assert (
        count.inner_text() == "1 freier Raum, außerdem 2 in Zwischennutzung (laufend oder geplant)"
    )
    assert _badge(page, w["planned"]) == f"Zwischennutzung geplant ab {w['tomorrow']}"
    assert _badge(page, w["running"]) == "in Zwischennutzung"
    assert _badge(page, w["free"]) == "leer"

    page.select_option("select[name=kind]", "shop")
    page.wait_for_selector("#public-map[data-marker-count='2']:not([data-loading])")
    assert (
        count.inner_text() == "0 freie Räume, außerdem 2 in Zwischennutzung (laufend oder geplant)"
    )

    page.select_option("select[name=kind]", "office")
    page.wait_for_selector("#public-map[data-marker-count='1']:not([data-loading])")
    assert count.inner_text() == "1 freier Raum"
    assert page.js_errors == []


def test_planned_interim_use_has_its_own_ring_and_legend_row(page, live_server):
    _world(live_server.app)
    page.goto(live_server.url + "/?z=19")
    page.wait_for_selector("#public-map[data-marker-count='3']:not([data-loading])")
    running = page.locator(".map-legend .legend-row[data-state='interim_use']")
    planned = page.locator(".map-legend .legend-row[data-state='interim_planned']")
    assert running.inner_text() == "in Zwischennutzung"
    assert planned.inner_text() == "Zwischennutzung geplant"
    assert planned.locator("circle").get_attribute("stroke-dasharray") == "2 2"
    assert running.locator("circle").get_attribute("stroke-dasharray") is None

    # the markers, close up (no clusters): one dashed ring (planned), one solid ring (running)
    lon, lat = page.evaluate(
        "fetch('/api/units.geojson').then(r => r.json())"
        ".then(j => j.features[0].geometry.coordinates)"
    )
    page.goto(f"{live_server.url}/?lat={lat}&lon={lon}&z=18")
    page.wait_for_selector("#public-map[data-marker-count='3']:not([data-loading])")
    page.wait_for_selector("path.unit-marker.interim-planned", state="attached")
    planned_marker = page.locator("path.unit-marker.interim-planned")
    assert planned_marker.count() == 1
    assert planned_marker.get_attribute("stroke-dasharray") == "3 3"
    solid = page.locator("path.unit-marker.state-interim_use:not(.interim-planned)")
    assert solid.count() == 1
    assert solid.get_attribute("stroke-dasharray") is None
    assert page.locator("path.unit-marker.state-vacant:not(.interim-planned)").count() == 1
    assert page.js_errors == []
