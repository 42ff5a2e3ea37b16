#!/usr/bin/env python3
"""Benchmark the public vector tiles (GET /tiles/units/{z}/{x}/{y}.mvt) over HTTP against
gunicorn (run as the README runs it) and the bare SQL of the same tile (the very statement,
run with psycopg), at 10k, 100k and 1M synthetic public units spread over Sachsen-Anhalt.

Uses its own database ``leerstand_bench_tiles`` (``BENCH_DATABASE_URL`` must name a database
containing "bench"; scripts/benchdb.py). Per size it fills, set-based in SQL: buildings around
220 places of the state (town centres; most units near them, a third anywhere in the state's
extent), one unit each, 9 in 10 public (town-owned, publishable; the unit's triggers off while
filling, as in bench_matching, so the cell counts are rebuilt after), then ANALYZE. It picks
``--tiles`` tiles per zoom 0–16 that hold units (the tiles of random units) and measures each
tile:
  * write: a committed change of one random unit (made public or not), so the change counter
    moves and the worker's tile cache misses; the time includes applying it to the cell counts
    at commit (migration 0021);
  * built: the tile requested right after that write (the first visitor after a change); below
    zoom 17 it comes from the cell counts (services/public/tile_cells);
  * kind: the same tile filtered (``?kind=shop``) after another write: built from the units;
  * cells / live: the tile's statement from the cell counts and the former statement over the
    units (the reference), bare with psycopg, bytes fetched;
  * register cells / live: the staff register's tile (every unit of the town), bare SQL,
    from the cell counts and over the units;
  * cached: the same request again, ``--repeat`` times (served from the cache of the worker
    that answers once that worker has built the tile: with 3 workers the first repeats may
    still build it, so the p95 of "cached" may show builds).
It prints p50/p95 per zoom and overall, the ratio live/cells, the tile sizes and the machine
load. Goal of issue 13: p95 ≤ 50 ms per tile at 1M units, also for a tile built after a change.
Usage: ``.venv/bin/python scripts/bench_tiles.py [sizes…] [--tiles N] [--repeat N] [--port P]
[--keep]`` (default sizes 10000 100000; add 1000000 for the state; ``--keep`` keeps a database
that already holds the size)."""

from __future__ import annotations

import http.client
import math
import os
import random
import statistics
import time

import benchdb  # first: puts the repository on sys.path
import psycopg
from benchdb import say

from leerstand import create_app
from leerstand.map_labels import unit_extra
from leerstand.services.public import tiles
from leerstand.services.public.params import PublicFilter
from leerstand.services.register.tiles import register_tile_sql

URL = benchdb.database_url("leerstand_bench_tiles")
ZOOMS = range(0, 17)
STATE = (10.56, 50.94, 13.19, 53.04)  # Sachsen-Anhalt: west, south, east, north
PLACES = 220

FILL = f"""
TRUNCATE consent, ownership, unit, building, owner RESTART IDENTITY CASCADE;
SELECT setseed(0.13);
INSERT INTO owner (municipality_id, kind, name, contact_person, street, postcode, city, email,
                   phone, preferred_channel, notes, is_municipality, version)
SELECT id, 'public', 'Stadt (Benchmark)', '', '', '', '', '', '', 'letter', '', true, 1
FROM municipality ORDER BY id LIMIT 1;
CREATE TEMP TABLE place AS
SELECT g AS id, {STATE[0]} + random() * {STATE[2] - STATE[0]} AS lon,
       {STATE[1]} + random() * {STATE[3] - STATE[1]} AS lat,
       0.002 + random() * 0.03 AS spread
FROM generate_series(1, {PLACES}) AS g;
INSERT INTO building (municipality_id, street, house_number, postcode, place, location,
                      listed, notes, version)
SELECT m.id, 'Benchmarkstraße', g::text, '06493', 'Ort ' || p.id,
       CASE WHEN g %% 3 = 0 THEN ST_SetSRID(ST_MakePoint(
                {STATE[0]} + random() * {STATE[2] - STATE[0]},
                {STATE[1]} + random() * {STATE[3] - STATE[1]}), 4326)
            ELSE ST_SetSRID(ST_MakePoint(
                p.lon + p.spread * sqrt(-2 * ln(random() + 1e-12)) * cos(2 * pi() * random()),
                p.lat + 0.6 * p.spread * sqrt(-2 * ln(random() + 1e-12))
                      * sin(2 * pi() * random())),
                4326) END,
       false, '', 1
FROM (SELECT id FROM municipality ORDER BY id LIMIT 1) m,
     generate_series(1, %(n)s) AS g JOIN place p ON p.id = 1 + g %% {PLACES};
INSERT INTO ownership (building_id, owner_id, role) SELECT b.id, 1, 'owner' FROM building b;
ALTER TABLE unit DISABLE TRIGGER USER;
INSERT INTO unit (municipality_id, building_id, name, kind, floor, area_m2, street_level,
                  step_free, shop_window, power, water, wc, heating, vacancy_state,
                  owner_expectation, suitable_uses, publishable, public_description,
                  internal_notes, version)
SELECT b.municipality_id, b.id, 'EG',
       (ARRAY['shop', 'office', 'gastro', 'flat', 'hall'])[1 + b.id %% 5],
       'EG', 20 + (b.id %% 300), b.id %% 2 = 0, b.id %% 3 = 0, true, true, b.id %% 4 = 0,
       true, true, (ARRAY['vacant', 'vacant', 'partly_vacant', 'interim_use'])[1 + b.id %% 4],
       'costs_only', '{{}}', b.id %% 10 <> 0,
       'Heller Raum mit Schaufenster, sofort nutzbar – ideal für Pop-up oder Ausstellung.',
       'intern', 1
FROM building b;
ALTER TABLE unit ENABLE TRIGGER USER;
SELECT leerstand_tile_rebuild();
ANALYZE building; ANALYZE unit; ANALYZE ownership; ANALYZE owner; ANALYZE consent;
ANALYZE tile_cell; ANALYZE tile_unit;
"""


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The XYZ tile (Web Mercator) holding lon/lat at zoom z."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, min(x, n - 1), min(y, n - 1)


def pick_tiles(conn, per_zoom: int) -> list[tuple[int, int, int]]:
    """``per_zoom`` distinct tiles per zoom 0–16 around random public units."""
    rows = conn.execute(
        "SELECT ST_X(b.location), ST_Y(b.location) FROM unit u JOIN building b"
        " ON b.id = u.building_id WHERE u.publishable ORDER BY random() LIMIT 2000"
    ).fetchall()
    picked = []
    for z in ZOOMS:
        found = list(dict.fromkeys(tile_of(lon, lat, z) for lon, lat in rows))
        picked += found[:per_zoom]
    return picked


def new_data(conn) -> float:
    """Commit a change of one random unit (public or not any more) and return its time in ms:
    the change counter moves, so the worker's tile cache misses (services/public/tile_cache),
    and the cell counts take the change at the commit (migration 0021)."""
    started = time.perf_counter()
    conn.execute(
        "UPDATE unit SET publishable = NOT publishable WHERE id = %s",
        (random.randint(1, units_in(conn)),),
    )
    return (time.perf_counter() - started) * 1000


_units: list[int] = []


def units_in(conn) -> int:
    if not _units:
        _units.append(conn.execute("SELECT max(id) FROM unit").fetchone()[0] or 1)
    return _units[0]


def get_ms(http_conn, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    http_conn.request("GET", path)
    response = http_conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status} {body[:200]!r}")
    return (time.perf_counter() - started) * 1000, len(body)


def bare_ms(conn, sql: str, params: dict) -> float:
    started = time.perf_counter()
    with conn.transaction():
        conn.execute(tiles.NO_JIT)
        conn.execute(sql, params).fetchone()
    return (time.perf_counter() - started) * 1000


def measure(app, port: int, per_zoom: int, repeat: int) -> list[dict]:
    with app.test_request_context("/"):
        extra = unit_extra()
        staff = {"kinds": "{}", "states": "{}", "unit_url": "/verwaltung/einheiten/{id}"}
    rows = []
    with psycopg.connect(benchdb.plain(URL), autocommit=True) as conn:
        _units.clear()
        picked = pick_tiles(conn, per_zoom)
        http_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for z, x, y in picked[:6]:  # warm up: connections, prepared statements
            get_ms(http_conn, f"/tiles/units/{z}/{x}/{y}.mvt")
        for z, x, y in picked:
            path = f"/tiles/units/{z}/{x}/{y}.mvt"
            t = tiles.tile(z, x, y)
            sql, params = tiles.units_tile_sql(PublicFilter(), t)
            live_sql, live_params = tiles.units_tile_sql(PublicFilter(), t, from_cells=False)
            write = new_data(conn)
            built, size = get_ms(http_conn, path)
            new_data(conn)
            kind = get_ms(http_conn, path + "?kind=shop")[0]
            cells = bare_ms(conn, sql, {**params, **extra})
            live = bare_ms(conn, live_sql, {**live_params, **extra})
            reg_cells, reg_live = (
                bare_ms(conn, sql, {**params, **staff})
                for sql, params in (register_tile_sql(1, t), register_tile_sql(1, t, False))
            )
            cached = [get_ms(http_conn, path)[0] for _ in range(repeat)]
            rows.append({"z": z, "write": write, "built": built, "kind": kind, "cells": cells,
                         "live": live, "cached": cached, "bytes": size, "reg_cells": reg_cells,
                         "reg_live": reg_live})  # fmt: skip
    return rows


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def report(n: int, rows: list[dict]) -> None:
    say(f"\n{n} units: per zoom, p50/p95 ms (built: after a change; kind: ?kind=shop, from the")
    say("units; cells/live: bare SQL from the cell counts / over the units; ratio live/cells)")
    say(
        "   z tiles  write p95   built p50  p95   kind p50   p95   cells p50  p95   live p50"
        "    p95  ratio  cached p50  p95  KB max | register cells p95  live p95"
    )
    groups = [(str(z), [r for r in rows if r["z"] == z]) for z in ZOOMS] + [("all", rows)]
    for name, group in groups:
        if not group:
            continue

        def col(key, group=group):
            return [r[key] for r in group]

        cached = [c for r in group for c in r["cached"]]
        ratio = statistics.median(col("live")) / statistics.median(col("cells"))
        kb = max(r["bytes"] for r in group) / 1024
        say(
            f"{name:>4} {len(group):>5} {pct(col('write'), 95):>10.1f}"
            f" {pct(col('built'), 50):>11.1f} {pct(col('built'), 95):>5.1f}"
            f" {pct(col('kind'), 50):>10.1f} {pct(col('kind'), 95):>5.1f}"
            f" {pct(col('cells'), 50):>11.1f} {pct(col('cells'), 95):>5.1f}"
            f" {pct(col('live'), 50):>10.1f} {pct(col('live'), 95):>6.1f} {ratio:>6.1f}"
            f" {pct(cached, 50):>11.1f} {pct(cached, 95):>5.1f} {kb:>7.1f}"
            f" | {pct(col('reg_cells'), 95):>14.1f} {pct(col('reg_live'), 95):>9.1f}"
        )


def units_now(url: str) -> int:
    with psycopg.connect(benchdb.plain(url)) as conn:
        return conn.execute("SELECT count(*) FROM unit").fetchone()[0]


def main() -> None:
    parser = benchdb.arguments(__doc__, [10_000, 100_000])
    parser.add_argument("--tiles", type=int, default=12, help="tiles per zoom (default 12)")
    parser.add_argument("--repeat", type=int, default=6, help="cached requests per tile")
    parser.add_argument("--port", type=int, default=8763)
    parser.add_argument("--keep", action="store_true", help="keep a database of that size")
    args = parser.parse_args()
    random.seed(13)
    benchdb.create_database(URL)
    app = create_app({"DATABASE_URL": URL, "TILE_URL": "", "LEERSTAND_ENV": "development"})
    benchdb.migrate_and_base(app)
    for n in args.sizes:
        say(f"Größe {n}:")
        if not (args.keep and units_now(URL) == n):
            benchdb.fill(URL, FILL, n)
        server = benchdb.start_gunicorn(
            URL, args.port, lambda: http.client.HTTPConnection("127.0.0.1", args.port).connect()
        )
        try:
            rows = measure(app, args.port, args.tiles, args.repeat)
        finally:
            server.terminate()
            server.wait(10)
        report(n, rows)
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        say(f"machine load (1, 5, 15 min): {load}; {os.cpu_count()} cores")
        with open("/proc/loadavg") as loadavg:
            say(f"/proc/loadavg: {loadavg.read().strip()}")


if __name__ == "__main__":
    main()
