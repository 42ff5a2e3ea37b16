"""Real Chromium: the language switch in the header shows the same page in English and the
choice stays for the next page (public and staff); the footer leads to the information pages;
the staff header keeps its folded height on a phone with the switch inside the menu. Screenshots
at 320 and 1280 px under LEERSTAND_SHOTS (a folder), if set."""

from __future__ import annotations

import os

from tests.browser.conftest import browser_login

SHOTS = os.environ.get("LEERSTAND_SHOTS")
WIDTHS = (320, 1280)


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_public_language_switch_keeps_the_page_and_sticks(page, live_server):
    page.goto(f"{live_server.url}/?kind=shop")
    assert page.locator("h1").inner_text() == "Freie Räume in Ballenstedt"
    page.locator(".langswitch a", has_text="English").click()
    page.wait_for_url(f"{live_server.url}/?kind=shop&lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Available spaces in Ballenstedt"
    assert page.locator(".langswitch a[aria-current=true]").inner_text() == "English"
    # the next page (the footer's privacy notice) stays English
    page.locator(".sitefooter a[href='/datenschutz']").click()
    page.wait_for_url(f"{live_server.url}/datenschutz")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".langswitch a", has_text="Deutsch").click()
    page.wait_for_url(f"{live_server.url}/datenschutz?lang=de")
    assert page.locator("h1").inner_text() == "Datenschutzerklärung"
    assert page.js_errors == []


def test_information_pages_at_both_widths(page, live_server):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path, heading in (
            ("/impressum", "Impressum"),
            ("/datenschutz", "Datenschutzerklärung"),
            ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
        ):
            page.goto(live_server.url + path)
            assert page.locator("h1").inner_text() == heading
            footer = page.locator("footer.sitefooter")
            assert footer.is_visible()
            assert footer.locator("a").all_inner_texts() == [
                "Impressum",
                "Datenschutz",
                "Barrierefreiheit",
                "Fortschrittsbericht",
                "API",
            ]
            _no_sideways_scroll(page)
            _shot(page, f"info{path.replace('/', '-')}-{width}")
        page.goto(live_server.url + "/")
        assert page.locator(".topbar").bounding_box()["height"] <= 60  # brand and switch: one row
        assert page.locator(".topbar .langswitch").is_visible()
        page.locator("footer.sitefooter").scroll_into_view_if_needed()
        if SHOTS:
            page.locator("footer.sitefooter").screenshot(path=f"{SHOTS}/footer-public-{width}.png")
            page.screenshot(path=f"{SHOTS}/public-map-{width}.png")
    assert page.js_errors == []


def test_staff_switch_in_the_menu_and_texts_page(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, live_server, "admin@test.example")
    assert page.locator(".topbar").bounding_box()["height"] <= 90
    page.goto(f"{live_server.url}/verwaltung/einstellungen/texte")
    _shot(page, "texts-1280")
    page.locator(".langswitch a", has_text="English").click()
    page.wait_for_url(f"{live_server.url}/verwaltung/einstellungen/texte?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/verwaltung/einstellungen")
    assert page.locator("h1").inner_text() == "Municipality settings"
    page.goto(f"{live_server.url}/verwaltung/?lang=de")

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/verwaltung/einstellungen/texte")
    assert page.locator(".topbar").bounding_box()["height"] <= 60
    assert not page.locator(".langswitch").is_visible()  # folded with the menu
    page.locator(".menu-toggle").click()
    switch = page.locator(".langswitch a", has_text="English")
    assert switch.is_visible() and switch.bounding_box()["height"] >= 44
    _no_sideways_scroll(page)
    _shot(page, "texts-320")
    page.locator(".sitefooter").scroll_into_view_if_needed()
    if SHOTS:
        page.locator(".sitefooter").screenshot(path=f"{SHOTS}/footer-staff-320.png")
    assert page.js_errors == []
