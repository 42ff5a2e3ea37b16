"""The role "analyst" in real Chromium at 320 px and 1280 px: the start page (numbers only), the
register and a building page show no owner names and no owners section, the menu offers no
Eigentümer:innen, Ansprache, Anfragen or Protokoll, and nothing scrolls sideways at 320 px.
Screenshots go to /tmp/shots-h13."""

from __future__ import annotations

import os

import pytest

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.models import Municipality, User
from tests import factories as f
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD

SHOTS = "/tmp/shots-h13"
OWNER_NAME = "Erika Eigen-Geheim"
# not "@test.example": the live server's cleanup deletes this account again
ANALYST_EMAIL = "analyse@analyst.example"


@pytest.fixture
def analyst_world(live_server):
    """A building with a unit, owners and a follow-up due today; an analyst account."""
    with live_server.app.app_context():
        session = db.session
        town = session.query(Municipality).filter_by(ags="15085040").one()
        world = f.request_world(session, town)
        world.owner.name = OWNER_NAME
        f.contact_case(session, world.building, world.owner, next_follow_up=local_today())
        analyst = User(
            email=ANALYST_EMAIL, name="Anna Analyse", role="analyst", municipality_id=town.id
        )
        analyst.set_password(PASSWORD)
        session.add(analyst)
        session.commit()
        building_id = world.building.id
    return building_id


def _page(browser, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    return context, context.new_page()


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [320, 1280])
def test_analyst_pages_without_owner_data(browser, live_server, analyst_world, width):
    os.makedirs(SHOTS, exist_ok=True)
    context, page = _page(browser, width)
    try:
        browser_login(page, live_server, ANALYST_EMAIL)
        home = page.inner_text("main")
        assert "1 fällige Wiedervorlage" in home and OWNER_NAME not in home
        menu = page.eval_on_selector_all(
            "header a", "links => links.map(a => a.getAttribute('href'))"
        )
        for hidden in ("eigentuemer", "ansprache", "anfragen", "protokoll"):
            assert f"/verwaltung/{hidden}" not in menu, menu
        assert "/verwaltung/register" in menu
        page.screenshot(path=f"{SHOTS}/analyst-home-{width}.png", full_page=True)
        for name, path in (
            ("register", "/verwaltung/register"),
            ("building", f"/verwaltung/gebaeude/{analyst_world}"),
        ):
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            text = page.inner_text("body")
            assert OWNER_NAME not in text, name
            assert "Allee" in text, name
            assert page.locator(".building-owners, .record-history").count() == 0
            assert _overflow(page) <= 0, (name, width)
            page.screenshot(path=f"{SHOTS}/analyst-{name}-{width}.png", full_page=True)
    finally:
        context.close()
