"""Smoke test: real Chromium logs in and out."""


def test_login_and_logout_in_chromium(page, live_server, base):
    from tests.browser.conftest import browser_login

    browser_login(page, live_server, base.staff.email)
    assert page.locator("h1").first.inner_text() == "Wiedervorlage"
    page.click("text=Abmelden")
    page.wait_for_url(live_server.url + "/login")
    assert page.js_errors == []
