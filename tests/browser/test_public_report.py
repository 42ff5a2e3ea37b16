"""The public progress report in real Chromium on the hand-made world of
tests/integration/test_public_report.py: reached from the public map's header and from the
footer, axe finds nothing at 320 and 1280 px (town, Ortsteil, another town), the page does not
scroll sideways at 320 px, no script error; a screenshot of each width (``SHOTS_DIR`` keeps
them, else pytest's temporary directory)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leerstand.db import db
from tests.base_data import Base
from tests.browser.axe import describe, violations
from tests.integration.test_public_report import build_world


@pytest.fixture
def world(live_server):
    with live_server.app.app_context():
        built = build_world(db.session, Base.load(db.session))
        db.session.commit()
    return built


def _page(browser, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return context, page


def _sideways(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [320, 1280])
def test_report_pages_are_accessible_at_both_widths(browser, live_server, world, width, tmp_path):
    context, page = _page(browser, width)
    url, found = live_server.url, {}
    shots = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    for path in ("/bericht", f"/bericht/{world.rieder}", "/k/99999999/bericht"):
        response = page.goto(url + path)
        assert response.status == 200, path
        if items := violations(page):
            found[path] = items
        assert _sideways(page) <= 0, f"{path} scrolls sideways at {width} px"
    page.goto(url + "/bericht")
    shot = shots / f"report-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert not found, describe(found)
    assert page.js_errors == []
    context.close()


def test_the_map_header_and_the_footer_lead_to_the_report(page, live_server, world):
    page.goto(live_server.url + "/")
    page.locator(".public-nav a", has_text="Bericht").click()
    page.wait_for_url(live_server.url + "/bericht")
    assert page.locator("#report-vacant-now .progress-number").inner_text() == "5"
    page.locator(".progress-places a", has_text="Rieder").click()
    page.wait_for_url(f"{live_server.url}/bericht/{world.rieder}")
    assert page.locator("#report-vacant-now .progress-number").inner_text() == "2"
    page.goto(live_server.url + "/k/99999999/impressum")
    page.locator(".sitefooter a", has_text="Fortschrittsbericht").click()
    page.wait_for_url(live_server.url + "/k/99999999/bericht")
    assert page.locator("h1").inner_text() == "Fortschrittsbericht Anderswo"
    assert page.js_errors == []
