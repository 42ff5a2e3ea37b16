#!/usr/bin/env python3
"""Browser benchmark of the register map (issue 13) at 10k and 1M units: Chromium (Playwright)
opens /verwaltung/register, logged in as staff, against gunicorn run as the README runs it, on
the database of scripts/bench_register.py (``leerstand_bench_register``, filled the same way).
Per size the medians of ``--runs`` fresh page loads: drawn (the map's markers of the final view
are in the DOM: register.js's ``register-map-drawn`` mark), idle (the last long task or the last
response after that, whichever ends later), the longest task (PerformanceObserver 'longtask'),
the DOM nodes, the markers and clusters drawn, and the machine's load. The same figures for a
click on the map's zoom-in button, timed from the click. ``LEERSTAND_CHROMIUM``: the browser.
Usage: ``.venv/bin/python scripts/bench_register_map.py [--runs N] [--keep] [sizes…]``"""

from __future__ import annotations

import os
import statistics

import bench_register_fill as data
import benchdb
from bench_register import URL, stop
from benchdb import free_port, request, say

CHROMIUM = os.environ.get("LEERSTAND_CHROMIUM", "/usr/bin/chromium")
READY = "#register-map[data-drawn-view]:not([data-loading])"
OBSERVE = """window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
}).observe({ type: "longtask", buffered: true });"""
FIGURES = """() => {
  const drawn = performance.getEntriesByName("register-map-drawn").map((m) => m.startTime);
  const from = window.__from || 0;
  const last = Math.max(...drawn);
  const ends = window.__longTasks.map(([start, d]) => start + d);
  const responses = performance.getEntriesByType("resource").map((r) => r.responseEnd)
    .filter((end) => end >= from);
  const map = document.getElementById("register-map").dataset;
  return {
    drawn: last - from,
    idle: Math.max(last, ...ends, ...responses) - from,
    longest: Math.max(0, ...window.__longTasks.map(([, d]) => d)),
    nodes: document.getElementsByTagName("*").length,
    markers: Number(map.markerCount), clusters: Number(map.clusterCount),
    total: Number(map.total),
  };
}"""


def log_in(context, port: int) -> None:
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{port}/login")
    page.fill("input[name=email]", data.EMAIL)
    page.fill("input[name=password]", data.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"http://127.0.0.1:{port}/verwaltung/")
    page.close()


def one_load(context, port: int, zoom_in: bool) -> dict:
    page = context.new_page()
    page.add_init_script(OBSERVE)
    page.goto(f"http://127.0.0.1:{port}/verwaltung/register", wait_until="commit")
    page.wait_for_selector(READY, timeout=300_000)
    if zoom_in:  # one click on "+": the map asks for the new view (bbox and zoom)
        page.evaluate(
            "performance.clearMarks('register-map-drawn'); window.__longTasks = [];"
            " window.__from = performance.now()"
        )
        view = page.get_attribute("#register-map", "data-view")
        page.locator("#register-map .leaflet-control-zoom-in").click()
        page.wait_for_function(
            "(old) => { const d = document.getElementById('register-map').dataset;"
            " return d.view !== old && d.drawnView === d.view && !d.loading; }",
            arg=view, timeout=300_000,
        )  # fmt: skip
    page.wait_for_load_state("networkidle")
    figures = page.evaluate(FIGURES)
    page.close()
    return figures


def measure(browser, port: int, runs: int, zoom_in: bool) -> dict:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(300_000)  # a loaded machine and a million units
    log_in(context, port)
    one_load(context, port, zoom_in)  # warm up: workers, caches, prepared statements
    results = [one_load(context, port, zoom_in) for _ in range(runs)]
    context.close()
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = benchdb.arguments(__doc__, [10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5, help="page loads per size (median)")
    parser.add_argument("--keep", action="store_true", help="keep a database of that size")
    args = parser.parse_args()
    data.prepare(URL)
    port = free_port()
    server = benchdb.start_gunicorn(URL, port, lambda: request(port, "GET", "/login"))
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            for n in args.sizes:
                say(f"Größe {n}:")
                data.fill(URL, n, force=not args.keep)
                data.indexes(URL, True)
                for case, zoom_in in (("Stadt", False), ("hineingezoomt", True)):
                    rows.append((n, case, measure(browser, port, args.runs, zoom_in)))
                    say(f"  {case}: {rows[-1][2]}")
            browser.close()
    finally:
        stop(server)
    say(f"\n{data.load()}; Chromium, 1280 × 900 px, Median aus {args.runs} Ladevorgängen")
    say("   units  view           drawn ms  idle ms  longest task ms  DOM nodes  markers  clusters")
    for n, case, r in rows:
        say(
            f"{n:>8}  {case:<14} {r['drawn']:>8.0f} {r['idle']:>8.0f} {r['longest']:>16.0f} "
            f"{r['nodes']:>10.0f} {r['markers']:>8.0f} {r['clusters']:>9.0f}"
        )


if __name__ == "__main__":
    main()
