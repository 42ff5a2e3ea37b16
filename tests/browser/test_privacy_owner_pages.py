"""The erasure confirmation and a restricted owner's page in real Chromium at 320 and 1280 px:
no horizontal scrolling, the banner and the buttons in the first viewport; screenshots under
/tmp/shots-h12."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from leerstand.db import db
from leerstand.models import Municipality
from tests import factories as f
from tests.browser.conftest import browser_login

SHOTS = "/tmp/shots-h12"


@pytest.fixture
def owner_id(live_server):
    app = live_server.app
    with app.app_context():
        session = db.session
        muni = session.query(Municipality).filter_by(ags="15085040").one()
        world = f.request_world(session, muni)
        world.owner.restricted_at = datetime.now(UTC)
        world.owner.phone = "0391 1234567"
        session.commit()
        return world.owner.id


@pytest.mark.parametrize("width", [320, 1280])
def test_erasure_confirmation_and_restricted_page(live_server, page, base, owner_id, width):
    os.makedirs(SHOTS, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 800})
    browser_login(page, live_server, base.admin.email)
    page.goto(f"{live_server.url}/verwaltung/eigentuemer/{owner_id}")
    banner = page.locator(".privacy-banner").first
    assert "Gesperrt (Art. 18 DSGVO)" in banner.inner_text()
    assert banner.bounding_box()["y"] < 800
    assert page.get_by_role("button", name="Sperre aufheben").is_visible()
    page.screenshot(path=f"{SHOTS}/restricted-owner-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(f"{live_server.url}/verwaltung/eigentuemer/{owner_id}/loeschen")
    assert page.get_by_role("heading", name="Was gelöscht wird").is_visible()
    assert page.get_by_role("heading", name="Was bleibt").is_visible()
    page.screenshot(path=f"{SHOTS}/erase-confirm-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # submitting without the tick: the browser's required check keeps the page, nothing erased
    page.get_by_role("button", name="Endgültig löschen").click()
    assert page.url.endswith("/loeschen")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Endgültig löschen").click()
    page.wait_for_url(f"{live_server.url}/verwaltung/eigentuemer/{owner_id}")
    assert "wurden am" in page.locator(".privacy-banner").first.inner_text()
    assert "0391 1234567" not in page.content()
    page.screenshot(path=f"{SHOTS}/erased-owner-{width}.png", full_page=True)
