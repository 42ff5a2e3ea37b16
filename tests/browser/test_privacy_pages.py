"""The Art. 15 print page and the access log in real Chromium at 320 px and 1280 px: no
sideways scrolling, the "Drucken" button opens the print dialogue, print media hides the
navigation; screenshots go to /tmp/shots-h11."""

from __future__ import annotations

from pathlib import Path

import pytest

from leerstand.db import db
from tests.base_data import Base
from tests.conftest import PASSWORD
from tests.privacy_world import EVENT_SUMMARY, OWNER, seed

SHOTS = Path("/tmp/shots-h11")


@pytest.fixture
def seeded(live_server, tmp_path, monkeypatch):
    app = live_server.app
    monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path))  # this test's mails only
    with app.app_context():
        ids = seed(db.session, Base.load(db.session), app)
        db.session.remove()
    return ids


def _login(browser, server, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.goto(server.url + "/login")
    page.fill("input[name=email]", "admin@test.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/verwaltung/")
    return context, page


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize("width", [320, 1280])
def test_print_page_and_access_log(browser, live_server, seeded, width):
    SHOTS.mkdir(exist_ok=True)
    context, page = _login(browser, live_server, width)
    owner_id = seeded["owner_id"]
    page.goto(f"{live_server.url}/verwaltung/eigentuemer/{owner_id}")
    page.click("text=Auskunft nach Art. 15")
    page.wait_for_url(f"**/eigentuemer/{owner_id}/auskunft")
    assert page.locator("h1").inner_text() == "Auskunft nach Art. 15 DSGVO"
    assert EVENT_SUMMARY in page.content() and OWNER["phone"] in page.content()
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"answer-{width}.png"), full_page=False)
    page.screenshot(path=str(SHOTS / f"answer-full-{width}.png"), full_page=True)
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    page.click("button[data-print]")
    assert page.evaluate("() => window.__printed === true")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator("button[data-print]").is_visible()
    page.screenshot(path=str(SHOTS / f"answer-print-{width}.png"), full_page=False)
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/verwaltung/zugriffe")
    rows = page.locator("tr[data-access-id]")
    # the owner page (read) and the answer page (access_request), newest first
    assert rows.count() == 2
    assert "Auskunft nach Art. 15 erstellt" in rows.nth(0).inner_text()
    assert "gelesen" in rows.nth(1).inner_text()
    assert OWNER["name"] in rows.nth(1).inner_text()
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"access-log-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/verwaltung/zugriffe?date_from=30.02.2026")
    alert = page.locator("[role=alert]")
    box = alert.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 800  # in the first viewport
    page.screenshot(path=str(SHOTS / f"access-log-error-{width}.png"), full_page=False)
    assert page.js_errors == []
    context.close()
