"""In real Chromium: the API docs page (Swagger UI from node_modules, no CDN) lists the
operations without console errors or CSP violations; a staff member creates an API token, sees
it once with a working copy button, and the list afterwards never shows it. Screenshots at
320 and 1280 px go to SHOTS_DIR (default /tmp/shots-h6)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.browser.conftest import browser_login

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-h6"))
WIDTHS = (320, 1280)


def _watch(page) -> list[str]:
    """Console errors and CSP violations of ``page``, collected as they happen."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    return problems


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_docs_page_lists_the_operations_without_errors(page, live_server):
    problems = _watch(page)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    assert page.title() == "API-Dokumentation · Leerstandsmanagement"
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for path in ("/api/units.geojson", "/api/proposals.geojson", "/api/places", "/healthz"):
        assert any(path in text.replace("\u200b", "") for text in paths), path
    assert page.locator(".opblock").count() >= 9
    csp_events = page.evaluate(
        """() => new Promise(resolve => {
            const seen = [];
            document.addEventListener(
                'securitypolicyviolation', e => seen.push(e.violatedDirective));
            document.querySelector('.opblock-summary').click();
            setTimeout(() => resolve(seen), 500);
        })"""
    )
    assert csp_events == []
    expected = "the server responded with a status of 422"  # the refused form above
    assert [p for p in problems if expected not in p] == [] and page.js_errors == []
    assert outside == []  # everything from this server: no CDN
    _shoot(page, "api-docs")
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path=str(SHOTS / "api-docs-320-top.png"))  # the full page is very long


def test_staff_creates_a_token_sees_it_once_and_copies_it(page, live_server, base):
    problems = _watch(page)
    browser_login(page, live_server, base.viewer.email)
    page.click("text=API-Zugang")
    page.wait_for_url(live_server.url + "/verwaltung/api-zugang")
    _shoot(page, "api-tokens-empty")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("input[name=name]", "QGIS Arbeitsplatz")
    page.fill("input[name=days]", "30")
    page.click("text=Zugang anlegen")
    token = page.input_value("#api-token")
    assert token.startswith("lst_")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button[data-copy]")
    page.wait_for_selector("button[data-copy]:text-is('Kopiert')", timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == token
    _shoot(page, "api-token-created")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("text=Zurück zu Ihren Zugängen")
    assert token not in page.content()
    assert page.locator("table.api-tokens tbody tr").count() == 1
    page.fill("input[name=name]", "")
    page.fill("input[name=days]", "400")
    page.locator("input[name=name]").evaluate("e => e.removeAttribute('required')")
    page.locator("input[name=days]").evaluate("e => e.removeAttribute('max')")
    page.click("text=Zugang anlegen")
    assert page.locator(".errors").is_visible()
    assert page.locator(".errors").bounding_box()["y"] < 400  # at the top, not below the fold
    _shoot(page, "api-tokens-error")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/verwaltung/api-zugang")
    with page.expect_navigation():
        page.click("table.api-tokens button[type=submit]")
    assert "gilt ab sofort nicht mehr" in page.locator(".flashes").inner_text()
    assert "widerrufen am" in page.locator("table.api-tokens").inner_text()
    _shoot(page, "api-tokens-list")
    expected = "the server responded with a status of 422"  # the refused form above
    assert [p for p in problems if expected not in p] == [] and page.js_errors == []
