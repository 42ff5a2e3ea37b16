"""Real Chromium, issue 8's public side: from a unit's page a new initiative registers, confirms
through the mailed link, logs in and lands on the proposal form with that unit chosen; a proposal's
page draws its place; a realised proposal's page answers and says so; a bad filter names its label
and keeps the typed text; on a phone the filters and the legend fold behind a button."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from leerstand.dates import local_today
from leerstand.models import Proposal, Unit
from tests import factories as f
from tests.integration import public_world
from tests.smtp import links

EMAIL = "raumsuche@example.org"
PASSWORD = "raum-geheim-12345"


@pytest.fixture
def world(session, base):
    w = public_world.build(session, base)
    session.commit()
    return w


def _register_from_unit(page, server, smtp_server, unit_id: int) -> None:
    page.goto(f"{server.url}/leerstand/{unit_id}")
    page.click("#idea-for-unit")
    page.wait_for_url(re.compile(r".*/initiative/anmelden\?next=.*"))
    page.click("a[href^='/initiative/registrieren']")
    page.fill("input[name=name]", "Raumsuche e.V.")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/initiative/anmelden\?next=.*"))
    (message,) = smtp_server.wait_for(1)
    (link,) = links(message)
    page.goto(link)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/initiative/anmelden\?next=.*"))
    assert "bestätigt" in page.inner_text(".flashes")


def test_unit_page_leads_a_new_initiative_to_the_proposal_form(
    page, mail_server, smtp_server, world
):
    unit_id = world.public["consent"]
    _register_from_unit(page, mail_server, smtp_server, unit_id)
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{mail_server.url}/initiative/ideen/neu?unit={unit_id}")
    assert page.is_checked("input[name=location_kind][value=unit]")
    assert page.input_value("select[name=unit_id]") == str(unit_id)
    assert page.is_visible("select[name=unit_id]")
    assert page.js_errors == []


def test_unit_page_shows_its_map_and_contact(page, live_server, session, base, world):
    base.municipality.contact_email = "leerstand@stadt.example"
    session.commit()
    page.goto(f"{live_server.url}/leerstand/{world.public['consent']}")
    page.wait_for_selector("#mini-map[data-layer-count='1']")
    assert page.locator("#mini-map path.mini-unit").count() == 1
    assert page.inner_text("#town-contact") == "E-Mail\nleerstand@stadt.example"
    assert page.js_errors == []


def test_proposal_pages_draw_their_place(page, live_server, world):
    cases = {"point": (1, 2), "districts": (2, 2), "area": (1, 1), "unit": (1, 1)}
    for key, (features, paths) in cases.items():
        page.goto(f"{live_server.url}/ideen/{world.proposals[key]}")
        page.wait_for_selector(f"#mini-map[data-layer-count='{features}']")
        drawn = page.locator("#mini-map path.leaflet-interactive")
        assert drawn.count() == paths, key  # a circle and its centre for the point
    assert page.js_errors == []


def test_realised_proposal_page_answers_and_says_so(page, live_server, session, world):
    proposal = session.get(Proposal, world.proposals["districts"])
    proposal.state = "realised"
    start = local_today() - timedelta(days=3)
    f.interim_use(
        session,
        session.get(Unit, world.public["municipal"]),
        proposal_id=proposal.id,
        starts_on=start,
    )
    session.commit()
    response = page.goto(f"{live_server.url}/ideen/{proposal.id}")
    assert response.status == 200
    status = page.inner_text("#idea-status")
    assert status.startswith("Diese Idee wurde verwirklicht: Zwischennutzung in Büro")
    assert f"seit {start.strftime('%d.%m.%Y')}." in status
    assert "OWNERSECRET" not in page.content()


def test_bad_filter_names_its_label_and_keeps_the_text(page, live_server, world):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.wait_for_selector("#public-map[data-marker-count='3']:not([data-loading])")
    assert page.is_visible("#public-filters") and not page.is_visible("#public-fold")
    page.fill("input[name=area_min]", "abc")
    with page.expect_navigation():
        page.press("input[name=area_min]", "Enter")
    errors = page.inner_text("#public-filter-errors")
    assert "Fläche von: bitte eine Zahl eingeben, z. B. 50" in errors
    assert page.input_value("input[name=area_min]") == "abc"
    page.wait_for_selector("#public-map[data-marker-count='3']:not([data-loading])")
    page.fill("input[name=area_min]", "150")  # corrected: applied without reload
    page.press("input[name=area_min]", "Enter")
    page.wait_for_selector("#public-map[data-marker-count='1']:not([data-loading])")
    assert page.js_errors == []


def test_phone_folds_filters_and_legend_behind_a_button(page, live_server, world):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/")
    page.wait_for_selector("#public-map[data-marker-count='3']:not([data-loading])")
    button = page.locator("#public-fold")
    assert button.is_visible() and button.inner_text() == "Filter und Legende"
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.is_visible("#public-filters") and not page.is_visible(".map-legend")
    box = page.locator("#public-map").bounding_box()
    assert box["height"] >= 280 and box["y"] < 640 - 200  # most of the map is on screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    before = page.evaluate("document.getElementById('public-map').dataset.markerCount")
    centre = (box["x"] + box["width"] / 2, box["y"] + 120)
    _drag(page, centre)
    assert "lat=" in page.url  # the view moved: the map pans
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert page.is_visible("#public-filters") and page.is_visible(".map-legend")
    button.click()
    assert not page.is_visible("#public-filters")
    assert before == "3"


def _drag(page, start) -> None:
    page.evaluate("history.replaceState(null, '', location.pathname)")
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 60, start[1] + 40, steps=8)
    page.mouse.up()
    for _ in range(50):  # moveend rewrites the URL (no wait_for_function: the CSP forbids eval)
        if "lat=" in page.url:
            return
        page.wait_for_timeout(100)
