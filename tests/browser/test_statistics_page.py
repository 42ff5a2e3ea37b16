"""The Statistik page in real Chromium on the hand-made world of
tests/integration/test_statistics_page.py: Chart.js draws every chart (canvas not empty) from
the numbers of its table, which are the figures written out there; no script error and no CSP
violation; axe finds nothing at 320 and 1280 px (page, bad input, report); the page does not
scroll sideways at 320 px; the report prints without navigation and forms."""

from __future__ import annotations

import pytest

from leerstand.db import db
from tests.base_data import Base
from tests.browser.axe import describe, violations
from tests.browser.conftest import browser_login
from tests.integration.statistics_page_world import LETTERHEAD, build_world

QUERY = "day=30.06.2025&date_from=01.01.2024&date_to=31.12.2024"

# table -> (labels, datasets) as the charts must show them (the expected tables' numbers)
CHARTS = {
    "arten": (["Ladenlokal", "Büro / Praxis"], [[1, 2]]),
    "dauer": (["unter 1 Jahr", "1–3 Jahre", "3–5 Jahre", "über 5 Jahre"], [[1, 1, 1, 0]]),
    "quartale": (
        ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"],
        [[1, 1, 0, 0], [0, 0, 0, 1], [3, 4, 4, 3]],
    ),
    "ansprache": (
        [
            "nicht kontaktiert",
            "kontaktiert",
            "im Gespräch",
            "offen für Zwischennutzung",
            "Vereinbarung",
        ],
        [[3, 2, 1, 1, 1]],
    ),  # fmt: skip
    "anfragen": (
        ["E-Mail mit persönlichem Link", "Brief mit Antwortcode"],
        [[1, 2], [1, 1], [1, 0]],
    ),
    "zwischennutzungen": (
        ["Atelier", "Café / Treffpunkt", "ohne Idee"],
        [[1, 1, 0], [1, 0, 0], [0, 1, 1]],
    ),
    "ergebnisse": (
        ["Leerstand beendet", "wieder leer", "dauerhaft vermietet"],
        [[0, 1, 1]],
    ),
}

_CHART_DATA = """(canvas) => {
  const chart = Chart.getChart(canvas);
  return chart && {labels: chart.data.labels, data: chart.data.datasets.map((d) => d.data)};
}"""
_PAINTED = """(canvas) => {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return painted;
}"""
_SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def world(live_server):
    with live_server.app.app_context():
        s = db.session
        base = Base.load(s)
        build_world(s, base)
        base.municipality.letterhead = LETTERHEAD
        s.commit()


def _open(browser, live_server, width: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.js_errors, page.csp = [], []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: page.csp.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    browser_login(page, live_server, "staff@test.example")
    return context, page


def test_charts_are_drawn_from_their_tables(browser, live_server, world):
    context, page = _open(browser, live_server, 1280)
    page.goto(f"{live_server.url}/verwaltung/statistik?{QUERY}")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
    canvases = page.locator("canvas[data-chart-table]")
    assert canvases.count() == len(CHARTS)
    for slug, (labels, data) in CHARTS.items():
        canvas = page.locator(f"canvas[data-chart-table='stat-{slug}-table']")
        assert canvas.evaluate(_CHART_DATA) == {"labels": labels, "data": data}, slug
        assert canvas.evaluate(_PAINTED) > 500, slug  # drawn, not an empty canvas
        assert canvas.get_attribute("role") == "img" and canvas.get_attribute("aria-label")
    assert page.js_errors == [] and page.csp == []
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_no_axe_violations_and_no_sideways_scrolling(browser, live_server, world, width):
    context, page = _open(browser, live_server, width)
    found: dict = {}
    for name, path in (
        ("page", f"/verwaltung/statistik?{QUERY}"),
        ("bad input", "/verwaltung/statistik?day=31.02.2026&district_id=999999"),
        ("report", f"/verwaltung/statistik/bericht?{QUERY}"),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if items := violations(page):
            found[name] = items
        assert page.evaluate(_SIDEWAYS) <= 0, (name, width)
    assert not found, describe(found)
    assert page.js_errors == [] and page.csp == []
    context.close()


def test_the_report_prints_without_navigation_and_forms(browser, live_server, world):
    context, page = _open(browser, live_server, 1280)
    page.goto(f"{live_server.url}/verwaltung/statistik/bericht?{QUERY}")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.topbar', '.sitefooter', '.report-note'].map(
            (s) => getComputedStyle(document.querySelector(s)).display)"""
    )
    assert hidden == ["none", "none", "none"]
    assert page.locator(".stat-letterhead").is_visible()
    assert "Der Bürgermeister" in page.locator(".stat-letterhead").inner_text()
    avoid = page.evaluate(
        "() => getComputedStyle(document.querySelector('.stat-block')).breakInside"
    )
    assert avoid == "avoid"
    assert len(page.pdf(format="A4")) > 10_000  # Chromium prints it
    context.close()
