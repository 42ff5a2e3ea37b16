"""The owner's answer pages in real Chromium: the error summary gets focus and is visible in
the first viewport (320 px and 1280 px), the answer code never appears in an address the browser
visits or keeps in its history, no horizontal scrolling at 320 px, touch targets of 44 × 44 px,
and the development server's request log masks the secret."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from leerstand.db import db
from leerstand.models import Municipality
from leerstand.services.use_requests import send as use_requests
from leerstand.services.use_requests.tokens import format_code
from tests import factories as f

SHOTS = "/tmp/shots-h3"
LETTERHEAD_FIELDS = ("letterhead", "contact_email", "contact_phone", "letter_signature")


@pytest.fixture
def letter(live_server):
    """An open letter request (answer code) to an owner, for a proposal without dates, area or
    description; yields (request id, code). The municipality's letterhead is restored after."""
    app = live_server.app
    with app.app_context():
        session = db.session
        muni = session.query(Municipality).filter_by(ags="15085040").one()
        saved = {name: getattr(muni, name) for name in LETTERHEAD_FIELDS}
        world = f.request_world(session, muni)
        world.proposal.time_from = world.proposal.time_to = None
        world.proposal.area_min = world.proposal.area_max = None
        world.proposal.description, world.proposal.frequency = "", ""
        session.commit()
        (issued,) = use_requests.send_requests(
            session, world.match, None, {world.owner.id: "letter"}, "", datetime.now(UTC), 30, 14
        )
        session.commit()
        request_id, code = issued.request.id, issued.secret
    yield request_id, code
    with app.app_context():
        muni = db.session.query(Municipality).filter_by(ags="15085040").one()
        for name, value in saved.items():
            setattr(muni, name, value)
        db.session.commit()


def _context(browser, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 640})
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return context, page


def _summary_state(page) -> dict:
    return page.evaluate(
        """() => {
        const s = document.querySelector('[data-error-summary]');
        const r = s.getBoundingClientRect();
        return {focused: document.activeElement === s, top: r.top, bottom: r.bottom,
                left: r.left, right: r.right, height: window.innerHeight,
                width: document.documentElement.clientWidth,
                links: [...s.querySelectorAll('a')].map(a => a.getAttribute('href')),
                role: s.getAttribute('role'), tabindex: s.getAttribute('tabindex')};
    }"""
    )


def _assert_in_first_viewport(state: dict) -> None:
    assert state["focused"], "the error summary must have the focus"
    assert state["role"] == "alert" and state["tabindex"] == "-1"
    assert state["top"] >= 0 and state["bottom"] <= state["height"], state
    assert state["left"] >= 0 and state["right"] <= state["width"], state


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def _no_horizontal_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [320, 1280])
def test_error_summary_gets_focus_in_the_first_viewport(browser, live_server, letter, width):
    request_id, code = letter
    context, page = _context(browser, width)
    page.goto(f"{live_server.url}/antwort")
    page.fill("input[name=code]", "12")
    _submit(page, "form button[type=submit]")
    state = _summary_state(page)
    _assert_in_first_viewport(state)
    assert state["links"] == ["#code"]
    assert page.get_attribute("#code", "aria-invalid") == "true"
    page.screenshot(path=f"{SHOTS}/code-error-{width}.png", full_page=True)

    page.fill("input[name=code]", format_code(code))
    _submit(page, "form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/antwort/anfrage/{request_id}")
    page.screenshot(path=f"{SHOTS}/answer-{width}.png", full_page=True)
    assert page.locator("[data-error-summary]").count() == 0  # no errors before submitting
    _submit(page, "form.answer-form button[type=submit]")  # no answer chosen
    state = _summary_state(page)
    _assert_in_first_viewport(state)
    assert state["links"] == ["#answer-yes"]
    page.screenshot(path=f"{SHOTS}/answer-error-{width}.png")
    page.click("[data-error-summary] a")
    assert page.evaluate("document.activeElement.id") == "answer-yes"

    page.check("input[name=answer][value=yes_conditions]")
    page.fill("input[name=available_from]", "2027-06-30")
    page.fill("input[name=available_to]", "2027-03-01")
    _submit(page, "form.answer-form button[type=submit]")
    state = _summary_state(page)
    _assert_in_first_viewport(state)
    assert state["links"] == ["#message", "#available_to"]
    assert page.get_attribute("#message", "aria-invalid") == "true"
    assert page.get_attribute("#message", "aria-describedby") == "message-error"
    assert "Bedingungen" in page.inner_text("#message-error")
    assert page.get_attribute("#available_from", "aria-invalid") is None
    assert page.is_checked("input[name=answer][value=yes_conditions]")  # the input is kept
    _no_horizontal_scroll(page, width)
    page.screenshot(path=f"{SHOTS}/answer-errors-{width}.png", full_page=True)
    assert page.js_errors == []
    context.close()


def _history(page) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    return [entry["url"] for entry in cdp.send("Page.getNavigationHistory")["entries"]]


def test_answer_code_never_appears_in_an_address(browser, live_server, letter):
    request_id, code = letter
    context, page = _context(browser, 1280)
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    page.on("framenavigated", lambda frame: seen.append(frame.url))
    page.goto(f"{live_server.url}/antwort")
    typed = format_code(code).lower()
    page.fill("input[name=code]", typed)
    _submit(page, "form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/antwort/anfrage/{request_id}")
    page.check("input[name=answer][value=no]")
    _submit(page, "form.answer-form button[type=submit]")
    assert page.inner_text(".given-answer") == "Nein"
    history = _history(page)
    assert f"{live_server.url}/antwort/anfrage/{request_id}" in history
    visited = seen + history + [page.url]
    variants = {code, code.lower(), format_code(code), typed, typed.replace("-", "")}
    for url in visited:
        for variant in variants:
            assert variant not in url, url
    assert page.js_errors == []
    context.close()


@pytest.fixture
def werkzeug_log(caplog):
    """The development server's request log (alembic's logging config in the test setup
    disables existing loggers; this turns werkzeug's back on for the test)."""
    logger = logging.getLogger("werkzeug")
    was_disabled, logger.disabled = logger.disabled, False
    yield caplog
    logger.disabled = was_disabled


def test_link_secret_leaves_the_address_bar_and_the_log(browser, live_server, letter, werkzeug_log):
    """The letter's QR link (like the mailed link) carries the secret on the first GET only:
    the page replaces the address, the form posts without it, the request log masks it."""
    request_id, code = letter
    context, page = _context(browser, 320)
    page.goto(f"{live_server.url}/antwort/{code}")
    clean = f"{live_server.url}/antwort/anfrage/{request_id}"
    assert page.url == clean
    assert all(code not in url for url in _history(page))
    assert "Kunstverein Allee" in page.inner_text("main")
    _no_horizontal_scroll(page, 320)
    page.reload()  # the remembered request opens without the secret
    assert page.url == clean and "Galerie im Schaufenster" in page.inner_text("main")
    page.check("input[name=answer][value=yes]")
    with page.expect_request(lambda r: r.method == "POST") as posted:
        _submit(page, "form.answer-form button[type=submit]")
    assert posted.value.url == clean
    assert page.inner_text(".given-answer") == "Ja"
    _no_horizontal_scroll(page, 320)
    page.screenshot(path=f"{SHOTS}/thanks-320.png", full_page=True)
    page.goto(f"{live_server.url}/antwort/{code}")  # answered: the plain page
    assert "gilt nicht (mehr)" in page.inner_text("main")
    _no_horizontal_scroll(page, 320)
    page.screenshot(path=f"{SHOTS}/invalid-320.png", full_page=True)
    context.close()
    lines = [r.getMessage() for r in werkzeug_log.records if r.name == "werkzeug"]
    assert any("GET /antwort/*** HTTP" in line for line in lines), lines
    assert any(f"POST /antwort/anfrage/{request_id} HTTP" in line for line in lines), lines
    assert not any(code in line for line in lines), lines


def test_touch_targets_are_at_least_44_px(browser, live_server, letter):
    request_id, code = letter
    context, page = _context(browser, 320)
    page.goto(f"{live_server.url}/antwort/{code}")
    _submit(page, "form.answer-form button[type=submit]")  # with the error summary's link
    targets = page.evaluate(
        """() => [...document.querySelectorAll(
            'form label.check, form button, [data-error-summary] a, .municipality-contact a')]
          .map(el => {const r = el.getBoundingClientRect();
                      return {what: el.outerHTML.slice(0, 60), w: r.width, h: r.height};})"""
    )
    assert len(targets) >= 8  # 4 answers, 2 consents, the button, the summary's link
    small = [t for t in targets if t["w"] < 44 or t["h"] < 44]
    assert small == []
    context.close()
