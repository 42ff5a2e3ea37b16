"""Real Chromium: the links and the logout button in the staff header are touch targets of
at least 44 px height on a phone (<= 480 px), and the header stays compact (at 320 px at most
300 px, 272 px before; at 1280 px as before)."""

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
    assert any(b["text"] == "Passwort ändern" for b in _boxes(page))

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/header-320.png")
    boxes = _boxes(page)
    assert {"Passwort ändern", "Abmelden", "Start"} <= {b["text"] for b in boxes}
    small = [b for b in boxes if b["height"] < 44]
    assert small == []
    assert _header_height(page) <= 300  # 272 px before, with 23 px high links
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320  # no sideways scrolling
    assert page.js_errors == []


def test_header_links_keep_their_size_on_a_wide_screen(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(page, live_server, "staff@test.example")
    heights = {b["text"]: b["height"] for b in _boxes(page)}
    assert heights["Passwort ändern"] < 44  # the desktop header is unchanged
