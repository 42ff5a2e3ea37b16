#!/usr/bin/env python3
"""Benchmark GET /ogc/collections/units/items over HTTP against gunicorn (run as the README
runs it) versus the raw SQL statement the endpoint executes, fetched as bytes, in the same run.

Uses its own database ``leerstand_bench_ogc`` (``BENCH_DATABASE_URL`` must name a database
containing "bench"; scripts/benchdb.py), filled with bench_geojson.py's public units (10k and
100k by default). Per size it times a full page (``limit=10000``, the maximum) from the start
and, when there are more, from the end (``offset``), each with ``numberMatched`` over all
units, and prints the medians (``BENCH_RUNS``) and the ratio HTTP / raw (goal ≤ 1.2).
Usage: ``.venv/bin/python scripts/bench_ogc.py [sizes…]``"""

from __future__ import annotations

import http.client
import re
import sys
from pathlib import Path

import benchdb  # first: puts the repository on sys.path
import psycopg
from bench_geojson import FILL
from benchdb import medians_ms, say
from werkzeug.datastructures import MultiDict

from leerstand import create_app
from leerstand.api.ogc.documents import PUBLIC_REALM
from leerstand.api.ogc.handlers import items_statement
from leerstand.services.ogc.collections import PUBLIC
from leerstand.services.ogc.query import MAX_LIMIT, parse_items
from leerstand.services.public.collection import BytesLoader

URL = benchdb.database_url("leerstand_bench_ogc")
ROOT = Path(__file__).resolve().parent.parent
PATH = "/ogc/collections/units/items"
WARM_UP = 24  # requests before timing: 3 workers, psycopg prepares after the 5th run


def get(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Accept": "application/geo+json"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}: {body[:300]!r}")
        return body
    finally:
        conn.close()


def raw_statement(app, query: str, municipality_id: int) -> tuple[str, dict]:
    """The endpoint's SQL and parameters for ``query`` (built by the same function)."""
    with app.test_request_context(f"{PATH}?{query}"):
        args = MultiDict([part.split("=") for part in query.split("&")])
        q = parse_items(args, PUBLIC["units"])
        sql, params, _count_key = items_statement(PUBLIC_REALM, PUBLIC["units"], q, municipality_id)
        return sql, params


def without_time_stamp(body: bytes) -> bytes:
    return re.sub(rb'"timeStamp" : "[^"]*"', b"", body, count=1)


def measure(app, conn, port: int, n: int) -> list[tuple]:
    municipality_id = conn.execute("SELECT id FROM municipality ORDER BY id LIMIT 1").fetchone()[0]
    queries = {"first": f"limit={MAX_LIMIT}"}
    if n > MAX_LIMIT:
        queries["last"] = f"limit={MAX_LIMIT}&offset={n - MAX_LIMIT}"
    rows = []
    for name, query in queries.items():
        sql, params = raw_statement(app, query, municipality_id)
        for _ in range(WARM_UP):  # every worker's connection past psycopg's prepare threshold
            body = get(port, f"{PATH}?{query}")
        raw_body = conn.execute(sql, params).fetchone()[0]
        same = without_time_stamp(body) == without_time_stamp(raw_body)
        assert same, "endpoint and raw statement differ"
        http_ms, raw_ms = medians_ms(
            lambda q=query: get(port, f"{PATH}?{q}"),
            lambda s=sql, p=params: conn.execute(s, p).fetchone()[0],
        )
        features = body.count(b'"type" : "Feature"') or body.count(b'"type": "Feature"')
        rows.append((n, name, features, len(body) / 1e6, http_ms, raw_ms, http_ms / raw_ms))
        say(f"  {name}: {features} Features, HTTP {http_ms:.1f} ms, roh {raw_ms:.1f} ms")
    return rows


def main() -> None:
    sizes = benchdb.arguments(__doc__, [10_000, 100_000]).parse_args().sizes
    benchdb.create_database(URL)
    port = benchdb.free_port()
    base_url = f"http://127.0.0.1:{port}"  # the links in both bodies
    app = create_app(
        {"DATABASE_URL": URL, "TILE_URL": "", "LEERSTAND_ENV": "development", "BASE_URL": base_url}
    )
    benchdb.migrate_and_base(app)
    server = benchdb.start_gunicorn(URL, port, lambda: get(port, "/ogc/conformance"))
    rows = []
    try:
        with psycopg.connect(benchdb.plain(URL), autocommit=True) as conn:
            conn.adapters.register_loader("text", BytesLoader)  # bytes, as the endpoint gets
            for n in sizes:
                say(f"Größe {n}:")
                benchdb.fill(URL, FILL, n)
                rows += measure(app, conn, port, n)
    finally:
        server.terminate()
        server.wait(10)
    say("\n   size  page   features     MB  HTTP ms   raw ms  ratio")
    for n, name, features, mb, http_ms, raw_ms, ratio in rows:
        figures = f"{features:>9} {mb:>6.1f} {http_ms:>8.1f} {raw_ms:>8.1f} {ratio:>6.2f}"
        say(f"{n:>7}  {name:<5} {figures}")
    sys.exit(0)


if __name__ == "__main__":
    main()
