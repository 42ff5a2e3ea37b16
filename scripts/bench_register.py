#!/usr/bin/env python3
"""Benchmark the staff register at 10k, 100k and 1M units (issue 13): the register page (count
and 25 rows) and its map layer ``register.geojson``, each over HTTP against gunicorn (run as the
README runs it, logged in as staff) and as the very statements the app runs (SQLAlchemy's
``before_cursor_execute``: text and parameters) executed bare with psycopg, text fetched as
bytes, in the same run. Own database ``leerstand_bench_register`` (``BENCH_DATABASE_URL`` names
another, e.g. ``…/leerstand_bench_register_search``; its name must contain "bench"), filled by
bench_register_fill.py. Pages: the default filter, a filtered one (Ortsteil, vacant shops), the
contact-state filter, an address search (8,900 hits at 1M), a broad one (half the units) and
the last page. Map: the whole town at zoom 13 and a street at zoom 18 (bbox as a 1280 × 640 px
map sends it), the same town filtered (shops, grouped from the units), the town without bbox (the
page's first request); unfiltered views come from the cell counts, and the unfiltered ones are
also timed as bare SQL grouped from the units (the former way, ``from_cells=False``). Prints
medians of ``BENCH_RUNS``, bytes, the ratio HTTP / bare SQL and the machine's load.
``--pages-only`` leaves the map out, ``--map-only`` the pages; ``--explain`` prints EXPLAIN
(ANALYZE, BUFFERS) of every statement the pages run (through the app, with the session's own
queries); ``--keep`` keeps a database that already holds the size. The browser half is
bench_register_map.py.
Usage: ``.venv/bin/python scripts/bench_register.py [--explain] [--keep] [--pages-only |
--map-only] [sizes…]``"""

from __future__ import annotations

import re
import statistics
import time
from urllib.parse import urlencode

import bench_register_fill as data
import benchdb  # first: puts the repository on sys.path
import psycopg
from benchdb import say

from leerstand.services.public.collection import BytesLoader

URL = benchdb.database_url("leerstand_bench_register")
PAGE, LAYER = "/verwaltung/register", "/verwaltung/register.geojson"
WARM_UP = 12  # requests before timing: 3 workers, psycopg prepares after the 5th run
TOWN = {"bbox": "11.10,51.66,11.36,51.77", "zoom": "13"}  # 1280 × 640 px at zoom 13
STREET = {"bbox": "11.2241,51.7183,11.2310,51.7204", "zoom": "18"}  # the Allee at zoom 18
# the map's cases: unfiltered views come from the cell counts (services/register/map_cells),
# filtered ones group the units; the first request of the page has no bbox
MAP_CASES = {
    "Karte Stadt": TOWN,
    "Karte ohne bbox": {"zoom": "13"},
    "Karte Stadt Läden": {**TOWN, "kind": "shop"},
    "Karte Straße": STREET,
}


def page_cases(conn) -> dict[str, dict]:
    district = conn.execute("SELECT id FROM district WHERE name = 'Ballenstedt'").fetchone()[0]
    return {
        "Standard": {},
        "gefiltert": {"district_id": district, "kind": "shop", "vacancy_state": "vacant"},
        "Ansprache": {"contact_state": "in_dialogue"},
        "Suche": {"q": "Lindenweg 3"},
        "Suche breit": {"q": "straße"},
        "letzte Seite": {"page": -1},  # the pager's link once the count is an estimate
    }


# --- statements, bare -------------------------------------------------------------------------


def recorded(app, path: str) -> list[tuple[str, dict]]:
    """The statements GET ``path`` runs in the app (logged in), with their parameters."""
    from sqlalchemy import event

    from leerstand.db import db

    seen: list[tuple[str, dict]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    client = app.test_client()
    client.post("/login", data={"email": data.EMAIL, "password": data.PASSWORD})
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return seen


def own(statements: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The page's own statements, not the login session's and the user's."""
    return [(s, p) for s, p in statements if not re.search(r"\b(login_session|app_user)\b", s)]


def bare(conn, statements):
    """The statements in one transaction, like the request (its SET LOCAL hold for the rest)."""

    def run():
        with conn.transaction():
            for sql, params in statements:
                cursor = conn.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()

    return run


def explain(conn, path: str, statements) -> None:
    say(f"\n=== {path}: {len(statements)} Anweisungen")
    for sql, params in statements:
        if sql.startswith("EXPLAIN"):  # the estimate of a large count: planned, never run
            sql = sql.removeprefix("EXPLAIN (FORMAT JSON) ")
            plan = conn.execute("EXPLAIN " + sql, params).fetchall()
        else:
            plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).fetchall()
        say("--- " + " ".join(sql.split())[:300])
        say("\n".join(bytes(r[0]).decode() for r in plan))


# --- HTTP ---------------------------------------------------------------------------------------


def getter(port: int, cookie: str, path: str, sizes: list[int]):
    def get():
        status, _headers, body = benchdb.request(port, "GET", path, cookie)
        assert status == 200, f"{path}: HTTP {status}: {body[:300]!r}"
        sizes.append(len(body))

    return get


def ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def runs_for(one_ms: float) -> int:
    """BENCH_RUNS, fewer (at least 5) when one call is slow: about 20 s per case."""
    return max(5, min(benchdb.RUNS, int(20_000 / max(2 * one_ms, 1))))


def measure(get, sql) -> tuple[float, float]:
    """Medians (HTTP, bare SQL) of interleaved runs after warming every worker up."""
    first = ms(get)
    for _ in range(WARM_UP if first < 1000 else 4):
        get(), sql()
    return benchdb.medians_ms(get, sql, runs=runs_for(first), warm_up=0)


# --- the run ------------------------------------------------------------------------------------


def measure_size(
    app, conn, port, cookie, n, show_plans, pages_only=False, map_only=False
) -> list[dict]:
    rows = []
    cases = [] if map_only else [(f"Seite {k}", PAGE, v) for k, v in page_cases(conn).items()]
    if not pages_only:
        cases += [(name, LAYER, args) for name, args in MAP_CASES.items()]
    for name, base, args in cases:
        path = base + ("?" + urlencode(args) if args else "")
        statements = recorded(app, path)
        if show_plans and base == PAGE:
            explain(conn, path, statements)
        mine, sizes = own(statements), []
        http_ms, sql_ms = measure(getter(port, cookie, path, sizes), bare(conn, mine))
        rows.append({"n": n, "case": name, "http": http_ms, "sql": sql_ms,
                     "bytes": statistics.median(sizes), "statements": len(mine)})  # fmt: skip
        say(f"  {name}: HTTP {http_ms:.1f} ms, SQL {sql_ms:.1f} ms ({len(mine)} Anweisungen)")
    if not pages_only:  # the reference: the unfiltered town view grouped from the units
        for name, args in (("Karte Stadt", TOWN), ("Karte ohne bbox", {"zoom": "13"})):
            live = live_layer_statements(app, args)
            sql_ms = statistics.median(ms(bare(conn, live)) for _ in range(5))
            none = float("nan")  # no HTTP: the app serves this view from the cell counts
            rows.append({"n": n, "case": f"{name} aus Einheiten", "http": none, "sql": sql_ms,
                         "bytes": none, "statements": len(live)})  # fmt: skip
            say(f"  {name} aus den Einheiten (bisher): SQL {sql_ms:.1f} ms")
    return rows


def live_layer_statements(app, args: dict) -> list[tuple[str, dict]]:
    """The statements of the map's layer for ``args`` (no filter) when the units are grouped
    (``map_layer.layer(from_cells=False)``), recorded as ``recorded`` does."""
    from sqlalchemy import event, select
    from werkzeug.datastructures import MultiDict

    from leerstand.db import db
    from leerstand.models import Municipality
    from leerstand.services.register import filters, map_layer, map_view

    seen: list[tuple[str, dict]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    labels = {"kind": {}, "vacancy_state": {}, "planned_interim": "geplant ab {date}"}
    with app.app_context():
        town = db.session.scalar(select(Municipality.id).order_by(Municipality.id).limit(1))
        view = map_view.parse_view(MultiDict(args))
        f = filters.parse_filters(MultiDict(args))
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            map_layer.layer(db.session, town, f, view, "/b/{id}", labels, from_cells=False)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
            db.session.rollback()
    return seen


def report(rows: list[dict], without: bool) -> None:
    say(f"\n{data.load()}; vorgeschlagene Indizes: {'nein' if without else 'ja'}")
    say("   units  case                          HTTP ms   SQL ms  ratio       KB  statements")
    for r in rows:
        say(
            f"{r['n']:>8}  {r['case']:<28} {r['http']:>8.1f} {r['sql']:>8.1f} "
            f"{r['http'] / r['sql']:>6.2f} {r['bytes'] / 1024:>8.1f}  {r['statements']}"
        )


def main() -> None:
    parser = benchdb.arguments(__doc__, [10_000, 100_000, 1_000_000])
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every page statement")
    parser.add_argument("--keep", action="store_true", help="keep a database of that size")
    parser.add_argument("--pages-only", action="store_true", help="the register page, no map")
    parser.add_argument("--map-only", action="store_true", help="the map, not the page")
    parser.add_argument(
        "--without-indexes", action="store_true", help="drop the proposed indexes (baseline)"
    )
    args = parser.parse_args()
    app = data.prepare(URL)
    port = benchdb.free_port()
    server = benchdb.start_gunicorn(URL, port, lambda: benchdb.request(port, "GET", "/login"))
    rows = []
    try:
        with psycopg.connect(benchdb.plain(URL), autocommit=True) as conn:
            conn.adapters.register_loader("text", BytesLoader)
            cookie = benchdb.log_in(port, data.EMAIL, data.PASSWORD)
            for n in args.sizes:
                say(f"Größe {n}:")
                data.fill(URL, n, force=not args.keep)
                data.indexes(URL, not args.without_indexes)
                rows += measure_size(
                    app, conn, port, cookie, n, args.explain, args.pages_only, args.map_only
                )
    finally:
        benchdb.stop_gunicorn(server)
    report(rows, args.without_indexes)
    with open("/proc/loadavg") as loadavg:
        say(f"/proc/loadavg: {loadavg.read().strip()}")


if __name__ == "__main__":
    main()
