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
