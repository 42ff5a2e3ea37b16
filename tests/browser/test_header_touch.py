"""Real Chromium: on a phone (<= 480 px) the staff header folds its navigation and user row
behind a "Menü" button (one row high); opened, every link and the logout button is a touch target
of at least 44 px height. At 1280 px the header is two rows as before, without the button."""

from __future__ import annotations

import os

from tests.browser.conftest import browser_login

SHOTS = os.environ.get("LEERSTAND_SHOTS")  # a folder: screenshots at both widths for review
TARGETS = ".topbar a, .topbar button.link"


def _boxes(page) -> list[dict]:
    return page.eval_on_selector_all(
        TARGETS,
        """nodes => nodes.map(n => {
            const r = n.getBoundingClientRect();
            return {text: n.textContent.trim(), height: r.height, width: r.width};
        })""",
    )


def _header_height(page) -> float:
    return page.eval_on_selector(".topbar", "n => n.getBoundingClientRect().height")


def test_staff_header_touch_targets_at_320_and_compact_at_1280(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(page, live_server, "staff@test.example")
    wide = _header_height(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/header-1280.png")
    assert wide <= 90  # two rows: brand and navigation, then the user box (as before)
    assert not page.locator(".menu-toggle").is_visible()
    assert any(b["text"] == "Passwort ändern" for b in _boxes(page))

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#staff-nav").is_visible()
    assert _header_height(page) <= 60  # brand and the button: one row
    assert toggle.bounding_box()["height"] >= 44

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/header-320.png")
    boxes = _boxes(page)
    assert {"Passwort ändern", "API-Zugang", "Abmelden", "Start"} <= {b["text"] for b in boxes}
    small = [b for b in boxes if b["height"] < 44]
    assert small == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320  # no sideways scrolling
    toggle.click()
    assert not page.locator("#staff-nav").is_visible()
    assert page.js_errors == []


def test_header_links_keep_their_size_on_a_wide_screen(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(page, live_server, "staff@test.example")
    heights = {b["text"]: b["height"] for b in _boxes(page)}
    assert heights["Passwort ändern"] < 44  # the desktop header is unchanged
