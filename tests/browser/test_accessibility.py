"""axe-core (WCAG 2.1 A/AA, BITV 2.0) in real Chromium on every main page, public and staff,
at 320 px and 1280 px (the public map also with its layers loaded and a popup open, a staff form
also with an error): no violations anywhere. The helper itself is shown to find violations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from leerstand.db import db
from leerstand.models import Municipality, User
from leerstand.services.use_requests import send as use_requests
from leerstand.services.use_requests.tokens import format_code
from tests import factories as f
from tests.browser.axe import describe, violations
from tests.browser.conftest import browser_login

INITIATIVE_PASSWORD = "ideen-geheim-12345"


@dataclass
class Pages:
    unit: int
    building: int
    owner: int
    case: int
    proposal: int
    request: int
    interim: int
    match: int
    submitted: int
    code: str
    initiative_email: str
    admin: int


@pytest.fixture
def world(live_server) -> Pages:
    """A consented owner's public unit with a match, a letter request (answer code), a contact
    case, an interim use and an initiative that can log in."""
    with live_server.app.app_context():
        s = db.session
        muni = s.query(Municipality).filter_by(ags="15085040").one()
        w = f.request_world(s, muni)
        w.unit.publishable = True
        w.unit.public_description = "Helles Ladenlokal mit Schaufenster."
        f.consent(s, w.owner)
        w.initiative.email_confirmed_at = datetime.now(UTC)
        w.initiative.set_password(INITIATIVE_PASSWORD)
        case = f.contact_case(s, w.building, w.owner)
        interim = f.interim_use(s, f.unit(s, w.building, name="OG Büro", kind="office"))
        submitted = f.proposal_in(s, muni, title="Lesecafé", state="submitted")
        s.commit()
        (issued,) = use_requests.send_requests(
            s, w.match, None, {w.heir.id: "letter"}, "", datetime.now(UTC), 30, 14
        )
        s.commit()
        pages = Pages(
            unit=w.unit.id,
            building=w.building.id,
            owner=w.owner.id,
            case=case.id,
            proposal=w.proposal.id,
            request=issued.request.id,
            interim=interim.id,
            match=w.match.id,
            submitted=submitted.id,
            code=issued.secret,
            initiative_email=w.initiative.email,
            admin=s.query(User).filter_by(email="admin@test.example").one().id,
        )
    return pages


def _new_page(browser, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return context, page


def _check(page, url: str, found: dict, name: str | None = None, wait: str | None = None) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    page.wait_for_load_state("networkidle")
    if wait:
        page.wait_for_selector(wait)
    items = violations(page)
    if items:
        found[name or url] = items


PUBLIC_MAP_READY = "#public-map[data-marker-count]:not([data-loading])"


@pytest.mark.parametrize("width", [320, 1280])
def test_public_map_has_no_violations(browser, live_server, world, width):
    context, page = _new_page(browser, width)
    found: dict = {}
    _check(page, live_server.url + "/", found, wait=PUBLIC_MAP_READY)
    page.wait_for_selector(".leaflet-control-layers-overlays label:nth-child(4)", state="attached")
    if items := violations(page):
        found["/ (overlays)"] = items
    page.locator(".public-show").first.click()
    page.wait_for_selector(".leaflet-popup .unit-popup")
    page.wait_for_function(  # faded in (axe measures contrast with the opacity)
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    if items := violations(page):
        found["/ (popup open)"] = items
    assert not found, describe(found)
    assert page.js_errors == []
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_public_pages_have_no_violations(browser, live_server, world, width):
    context, page = _new_page(browser, width)
    url, found = live_server.url, {}
    for path in (
        f"/leerstand/{world.unit}",
        f"/ideen/{world.proposal}",
        "/antwort",
        "/login",
        "/initiative/anmelden",
        "/initiative/registrieren",
    ):
        _check(page, url + path, found)
    page.goto(url + "/antwort")
    page.fill("input[name=code]", format_code(world.code))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{url}/antwort/anfrage/{world.request}")
    _check(page, f"{url}/antwort/anfrage/{world.request}", found)
    _login_initiative(page, url, world)
    for path in ("/initiative/ideen", "/initiative/ideen/neu", "/initiative/profil"):
        _check(page, url + path, found)
    _check(page, f"{url}/initiative/ideen/{world.proposal}", found)
    assert not found, describe(found)
    assert page.js_errors == []
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_staff_pages_have_no_violations(browser, live_server, world, width):
    context, page = _new_page(browser, width)
    browser_login(page, live_server, "admin@test.example")
    url, found = live_server.url + "/verwaltung", {}
    for path in (
        "/",
        "/register",
        f"/gebaeude/{world.building}",
        f"/gebaeude/{world.building}/bearbeiten",
        "/gebaeude/neu",
        f"/einheiten/{world.unit}",
        f"/einheiten/{world.unit}/bearbeiten",
        "/eigentuemer",
        f"/eigentuemer/{world.owner}",
        f"/eigentuemer/{world.owner}/bearbeiten",
        "/ansprache",
        f"/ansprache/{world.case}",
        "/ideen-pruefen",
        f"/ideen-pruefen/{world.submitted}",
        "/treffer",
        f"/treffer/{world.match}",
        f"/einheiten/{world.unit}/treffer",
        f"/ideen/{world.proposal}/treffer",
        "/anfragen",
        f"/anfragen/{world.request}",
        "/zwischennutzungen",
        f"/zwischennutzungen/{world.interim}",
        "/protokoll",
        "/import",
        "/import/laeufe",
        "/einstellungen",
        "/api-zugang",
    ):
        _check(page, url + path, found, name=path)
    # a form with errors: the summary, aria-invalid fields and their messages
    page.goto(f"{url}/gebaeude/{world.building}/bearbeiten")
    page.fill("input[name=street]", "")
    page.eval_on_selector("input[name=street]", "i => i.removeAttribute('required')")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".errors[role=alert]")
    if items := violations(page):
        found["building form with errors"] = items
    assert not found, describe(found)
    assert page.js_errors == []
    context.close()


def _login_initiative(page, url: str, world: Pages) -> None:
    page.goto(url + "/initiative/anmelden")
    page.fill("input[name=email]", world.initiative_email)
    page.fill("input[name=password]", INITIATIVE_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(url + "/initiative/ideen")


@pytest.mark.parametrize("width", [320, 1280])
def test_information_and_account_pages_have_no_violations(browser, live_server, world, width):
    """The pages issue 11 added: information pages, password reset, an initiative's data and
    account deletion, users, access (Art. 15), erasure, the access log, the texts."""
    context, page = _new_page(browser, width)
    url, found = live_server.url, {}
    for path in (
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit",
        "/passwort-vergessen",
        "/initiative/passwort-vergessen",
    ):
        _check(page, url + path, found)
    _login_initiative(page, url, world)
    for path in ("/initiative/meine-daten", "/initiative/konto-loeschen"):
        _check(page, url + path, found)
    page.context.clear_cookies()
    browser_login(page, live_server, "admin@test.example")
    for path in (
        "/passwort",
        "/verwaltung/benutzer",
        f"/verwaltung/benutzer/{world.admin}/auskunft",
        f"/verwaltung/eigentuemer/{world.owner}/auskunft",
        f"/verwaltung/eigentuemer/{world.owner}/loeschen",
        "/verwaltung/zugriffe",
        "/verwaltung/einstellungen/texte",
    ):
        _check(page, url + path, found)
    assert not found, describe(found)
    assert page.js_errors == []
    context.close()


def test_the_helper_finds_violations_under_the_pages_csp(browser, live_server):
    """A missing alt text and an unnamed field put into a real page are reported: the check
    above would not pass by running nothing."""
    context, page = _new_page(browser, 1280)
    page.goto(live_server.url + "/antwort")
    assert violations(page) == []
    page.eval_on_selector(
        "main",
        """m => { const i = document.createElement('img'); i.src = '/static/map/favicon.svg';
        const f = document.createElement('input'); f.id = 'unnamed'; m.append(i, f); }""",
    )
    found = {v["id"]: v["targets"] for v in violations(page)}
    assert found == {"image-alt": ["img"], "label": ["#unnamed"]}
    context.close()
