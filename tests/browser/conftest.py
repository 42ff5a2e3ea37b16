"""Real Chromium (Debian's package, driven by Playwright) against a live server on loopback.

Browser tests commit for real (the server runs in another thread with its own connections),
so the ``live_server`` fixture empties every table but the base data afterwards."""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, make_app, truncate_volatile

CHROMIUM = os.environ.get("LEERSTAND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        app.config["BASE_URL"] = self.url  # links in mails and letters lead to this server
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


def _clean(app) -> None:
    truncate_volatile(app.extensions["leerstand_db"])


@pytest.fixture
def live_server(app):
    live_app = make_app()
    _clean(live_app)
    with LiveServer(live_app) as server:
        yield server
    _clean(live_app)
    live_app.extensions["leerstand_db"].dispose()


@pytest.fixture
def mail_server(app, smtp_server):
    """A live server that sends its mail to the loopback SMTP server ``smtp_server``."""
    live_app = make_app(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    _clean(live_app)
    with LiveServer(live_app) as server:
        yield server
    _clean(live_app)
    live_app.extensions["leerstand_db"].dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.dialogs = dialogs
    pg.js_errors = errors
    yield pg
    context.close()


def browser_login(page, server, email: str, password: str = PASSWORD) -> None:
    page.goto(server.url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/verwaltung/")
