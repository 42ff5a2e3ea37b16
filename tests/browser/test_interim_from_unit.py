"""In Chromium: staff open a unit's page, follow "Zwischennutzung erfassen", choose the
initiative and a start tomorrow; the interim use's page and the unit's page read
"Zwischennutzung geplant ab <tomorrow>", and the start page no longer counts the unit as free."""

from __future__ import annotations

import re
from datetime import timedelta

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.models import InterimUse, Municipality
from tests import factories as f
from tests.browser.conftest import browser_login


def _world(app) -> int:
    with app.app_context():
        session = db.session
        muni = session.query(Municipality).filter_by(ags="15085040").one()
        unit = f.unit(session, f.building(session, muni), name="OG Büro", vacancy_state="vacant")
        f.initiative(session, muni, confirmed=True, name="Jugendtreff Allee")
        session.commit()
        return unit.id


def _free_units(page) -> int:
    text = page.locator("dt:has-text('Leere Nutzungseinheiten') + dd").inner_text()
    return int(text)


def test_record_a_planned_interim_use_from_the_unit_page(live_server, page):
    unit_id = _world(live_server.app)
    browser_login(page, live_server, "staff@test.example")
    free_before = _free_units(page)
    page.goto(f"{live_server.url}/verwaltung/einheiten/{unit_id}")
    page.click("text=Zwischennutzung erfassen")
    page.select_option("select[name=initiative_id]", label="Jugendtreff Allee")
    start = local_today() + timedelta(days=1)
    page.fill("input[name=starts_on]", start.isoformat())
    page.fill("input[name=ends_on]", (start + timedelta(days=30)).isoformat())
    page.click("text=Zwischennutzung speichern")
    page.wait_for_url(re.compile(r".*/verwaltung/zwischennutzungen/\d+$"))
    expected = f"Zwischennutzung geplant ab {start.strftime('%d.%m.%Y')}"
    assert expected in page.content()
    with live_server.app.app_context():
        use = db.session.query(InterimUse).filter_by(unit_id=unit_id).one()
        assert (use.starts_on, use.ends_on) == (start, start + timedelta(days=30))
    page.goto(f"{live_server.url}/verwaltung/")
    assert _free_units(page) == free_before - 1
    assert page.js_errors == []
