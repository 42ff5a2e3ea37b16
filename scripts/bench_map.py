#!/usr/bin/env python3
"""Benchmark the public map (/) in real Chromium (Playwright) against gunicorn, at 10k and 1M
synthetic public units spread over Sachsen-Anhalt (the data of scripts/bench_tiles.py, in its
database ``leerstand_bench_tiles``; ``--reuse`` keeps what is there when the size matches).

Per view – "town": the page as opened (the town's extent), "state": the whole state at
zoom 8, "street": zoom 16 in the densest place – it opens the page ``--runs`` times in a new
browser context (nothing cached) at 1280 × 900 and prints the medians of
  * drawn: navigation start → the first tiles of the view are on the map (public.js sets
    ``data-drawn``),
  * idle: → map and list done (``data-marker-count`` set, no ``data-loading``),
  * net idle: → the last response of the page (the overlays: Ortsteile, ideas …),
  * longest task: the longest main-thread task (PerformanceObserver "longtask", ≥ 50 ms;
    0 when there was none) and how many there were,
  * DOM nodes of the page when idle, the markers (clusters + dots) and list items
(a view not idle within a minute is reported so and not run again).
``--baseline DIR`` runs the same against a copy of an older version of the app in DIR (e.g.
``git archive HEAD | tar -x -C DIR``, its static/map/node_modules linked), in the same run.
Goal of issue 13: drawn and idle ≤ 1.0 s, longest task < 200 ms, at 10k and at 1M.
Usage: ``.venv/bin/python scripts/bench_map.py [sizes…] [--runs N] [--reuse] [--baseline DIR]``"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import benchdb  # first: puts the repository on sys.path
import psycopg
from bench_tiles import FILL
from benchdb import say

from leerstand import create_app

URL = benchdb.database_url("leerstand_bench_tiles")
CHROMIUM = os.environ.get("LEERSTAND_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_MS = 60_000
VIEWS = {"town": "/", "state": "/?lat=51.99&lon=11.87&z=8", "street": None}
PROBE = """
window.__bench = {longest: 0, tasks: 0, drawn: null, idle: null};
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__bench.longest = Math.max(window.__bench.longest, e.duration);
      window.__bench.tasks += 1;
    }
  }).observe({type: "longtask", buffered: true});
} catch (e) {}
document.addEventListener("DOMContentLoaded", () => {
  const node = document.getElementById("public-map");
  if (!node) return;
  new MutationObserver(() => {
    const b = window.__bench;
    if (b.drawn === null && (node.dataset.drawn || document.querySelector(
        "#public-map .marker-cluster, #public-map path.unit-marker"))) b.drawn = performance.now();
    if (b.idle === null && b.drawn !== null && node.dataset.markerCount
        && !node.hasAttribute("data-loading")) b.idle = performance.now();
  }).observe(node, {attributes: true, subtree: true, childList: true});
});
"""
RESULT = """() => ({
  ...window.__bench,
  net: Math.max(0, ...performance.getEntriesByType("resource").map((e) => e.responseEnd)),
  nodes: document.getElementsByTagName("*").length,
  markers: document.querySelectorAll(
    "#public-map .marker-cluster, #public-map path.unit-marker").length,
  items: document.querySelectorAll("#public-list li").length,
  count: document.getElementById("public-map").dataset.markerCount,
})"""


def start_server(port: int, cwd: Path) -> subprocess.Popen:
    """gunicorn as in the README (3 workers) on the bench database, from ``cwd``."""
    if cwd == benchdb.ROOT:
        return benchdb.start_gunicorn(URL, port, lambda: _connect(port))
    env = {**os.environ, "DATABASE_URL": URL, "LEERSTAND_ENV": "development",
           "LEERSTAND_ENV_FILE": os.devnull, "TILE_URL": "", "PYTHONPATH": str(cwd)}  # fmt: skip
    command = [str(benchdb.ROOT / ".venv/bin/gunicorn"), "-w", "3", "-b", f"127.0.0.1:{port}",
               "--access-logfile", os.devnull, "leerstand:create_app()"]  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(command, cwd=cwd, env=env, stderr=log)
    for _ in range(300):
        try:
            _connect(port)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    log.seek(0)
    raise SystemExit(log.read().decode(errors="replace")[-2000:])


def _connect(port: int) -> None:
    http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()


def densest_view(conn) -> str:
    """The street view: zoom 16 on the densest cell of about 500 m."""
    lon, lat = conn.execute(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Collect(location)) AS c"
        " FROM building GROUP BY ST_SnapToGrid(location, 0.005) ORDER BY count(*) DESC"
        " LIMIT 1) AS densest"
    ).fetchone()
    return f"/?lat={lat:.5f}&lon={lon:.5f}&z=16"


def open_once(browser, base: str, path: str) -> dict | None:
    """One visit's figures, or None when the map was not idle after ``TIMEOUT_MS``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(PROBE)
    try:
        page.goto(base + path, timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.__bench?.idle != null", timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        return page.evaluate(RESULT)
    except PlaywrightTimeout:
        return None
    finally:
        context.close()


def measure(browser, base: str, views: dict, runs: int) -> dict:
    """{view: [figures of each run]}; a view whose first visit timed out is not run again."""
    results = {}
    for name, path in views.items():
        if open_once(browser, base, path) is None:  # (also warms up workers and statements)
            results[name] = None
            continue
        results[name] = [open_once(browser, base, path) for _ in range(runs)]
    return results


def report(label: str, results: dict) -> None:
    say(f"\n{label}: medians in ms (longest task: max over the runs)")
    say("  view      drawn    idle  net idle  longest  tasks  DOM nodes  markers  list  count")
    for name, runs in results.items():
        runs = [r for r in runs or [] if r is not None]
        if not runs:
            say(f"  {name:<7} not idle within {TIMEOUT_MS / 1000:.0f} s")
            continue
        med = lambda key, runs=runs: statistics.median(r[key] or 0 for r in runs)  # noqa: E731
        longest = max(r["longest"] for r in runs)
        say(
            f"  {name:<7} {med('drawn'):>7.0f} {med('idle'):>7.0f} {med('net'):>9.0f}"
            f" {longest:>8.0f} {med('tasks'):>6.0f} {med('nodes'):>10.0f}"
            f" {med('markers'):>8.0f} {med('items'):>5.0f}  {runs[-1]['count']}"
        )


def fill(n: int, reuse: bool) -> None:
    with psycopg.connect(benchdb.plain(URL)) as conn:
        have = conn.execute("SELECT count(*) FROM unit").fetchone()[0]
    if reuse and have == n:
        say(f"  {n} Einheiten vorhanden")
        return
    benchdb.fill(URL, FILL, n)


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = benchdb.arguments(__doc__, [10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8764)
    parser.add_argument("--reuse", action="store_true", help="keep the units when n matches")
    parser.add_argument("--baseline", type=Path, help="an older version's copy to compare")
    args = parser.parse_args()
    benchdb.create_database(URL)
    benchdb.migrate_and_base(create_app({"DATABASE_URL": URL, "TILE_URL": ""}))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for n in args.sizes:
            say(f"Größe {n}:")
            fill(n, args.reuse)
            with psycopg.connect(benchdb.plain(URL)) as conn:
                views = {**VIEWS, "street": densest_view(conn)}
            versions = [("this version", benchdb.ROOT)]
            if args.baseline:
                versions.append((f"baseline {args.baseline}", args.baseline.resolve()))
            for label, root in versions:
                server = start_server(args.port, root)
                try:
                    results = measure(browser, f"http://127.0.0.1:{args.port}", views, args.runs)
                finally:
                    server.terminate()
                    server.wait(10)
                report(f"{n} units, {label}", results)
            load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
            say(f"machine load (1, 5, 15 min): {load}; {os.cpu_count()} cores")
        browser.close()


if __name__ == "__main__":
    main()
