#!/usr/bin/env python3
"""Benchmark GET /api/units.geojson over HTTP against gunicorn (as the README runs it) at 10k,
100k (and, when asked, 1M) synthetic public units in its own database ``leerstand_bench_api``.

Per size, medians of BENCH_RUNS interleaved runs (the machine's load is printed with them):
  all      the whole collection (limit = size, up to 100k) over HTTP vs the flat reference:
           psycopg fetching the bytes of ``json_agg`` of the same rows and fields
           (json_build_object, no ORDER BY in the aggregate; the better of JIT on and off),
           and vs the floor: ``string_agg`` of the very feature text the API sends
  bbox     a street's view (the Allee) vs the floor
  paging   limit=1000: first page, a page 90 % deep by offset and by key (after), ratio to the
           first page; with the count kept (``kept``) and right after a change (``changed``)
  304      If-None-Match with the page's ETag vs the full answer
  gzip     bytes and time with Accept-Encoding gzip / br / zstd vs identity
  memory   a fresh gunicorn: peak RSS (VmHWM) of the worker that served the whole collection
           against the body's size
Usage: ``.venv/bin/python scripts/bench_geojson.py [sizes…]`` (default 10000 100000)"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import time
from pathlib import Path

import benchdb  # first: puts the repository on sys.path
import psycopg
from benchdb import say

from leerstand import create_app
from leerstand.map_labels import unit_extra
from leerstand.services.public.collection import BytesLoader
from leerstand.services.public.fields import UNIT_FEATURE, UNIT_FEATURE_TEXT, UNIT_FROM
from leerstand.services.public.geojson import unit_query
from leerstand.services.public.params import parse_units

URL = benchdb.database_url("leerstand_bench_api")
PATH = "/api/units.geojson"
ALLEE_BBOX = "11.222,51.716,11.232,51.722"
ALL_UP_TO = 100_000  # larger collections are only paged
APP = "leerstand:create_app({'API_MAX_LIMIT': 100000})"
WARM_UP = 6

FILL = """
SET session_replication_role = replica;
TRUNCATE consent, ownership, unit, building, owner RESTART IDENTITY CASCADE;
INSERT INTO owner (municipality_id, kind, name, contact_person, street, postcode, city, email,
                   phone, preferred_channel, notes, is_municipality, version)
SELECT id, 'public', 'Stadt (Benchmark)', '', '', '', '', '', '', 'letter', '', true, 1
FROM municipality ORDER BY id LIMIT 1;
WITH m AS (SELECT id, ST_Envelope(boundary) AS env FROM municipality ORDER BY id LIMIT 1)
INSERT INTO building (municipality_id, street, house_number, postcode, place, location,
                      listed, notes, version)
SELECT m.id, 'Benchmarkstraße', g::text, '06493', 'Ballenstedt',
       ST_SetSRID(ST_MakePoint(
           ST_XMin(m.env) + random() * (ST_XMax(m.env) - ST_XMin(m.env)),
           ST_YMin(m.env) + random() * (ST_YMax(m.env) - ST_YMin(m.env))), 4326),
       false, '', 1
FROM m, generate_series(1, %(n)s) AS g;
INSERT INTO ownership (building_id, owner_id, role) SELECT b.id, 1, 'owner' FROM building b;
INSERT INTO unit (municipality_id, building_id, name, kind, floor, area_m2, street_level,
                  step_free, shop_window, power, water, wc, heating, vacancy_state,
                  owner_expectation, suitable_uses, publishable, public_description,
                  internal_notes, version)
SELECT b.municipality_id, b.id, 'EG',
       (ARRAY['shop', 'office', 'gastro', 'flat', 'hall'])[1 + b.id %% 5],
       'EG', 20 + (b.id %% 300), b.id %% 2 = 0, b.id %% 3 = 0, true, true, b.id %% 4 = 0,
       true, true, 'vacant', 'costs_only', '{}', b.id %% 50 <> 0,
       'Heller Raum mit Schaufenster, sofort nutzbar – ideal für Pop-up oder Ausstellung.',
       'intern', 1
FROM building b;
SET session_replication_role = DEFAULT;
ANALYZE building; ANALYZE unit; ANALYZE ownership; ANALYZE owner; ANALYZE consent;
"""  # every 50th unit not publishable: gaps in the ids; the triggers are off while filling


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def medians(*fns, runs: int = benchdb.RUNS) -> list[float]:
    """Medians (ms) of ``runs`` interleaved calls of each function, after WARM_UP rounds."""
    for _ in range(WARM_UP):
        for fn in fns:
            fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            started = time.perf_counter()
            fn()
            times[i].append((time.perf_counter() - started) * 1000)
    return [statistics.median(t) for t in times]


def references(app, query: str, port: int) -> dict[str, tuple[str, dict]]:
    """The flat references for ``query``: json_agg of json_build_object features, and the
    string_agg of the API's own feature text (same rows, fields and parameters)."""
    with app.test_request_context(f"{PATH}?{query}"):
        f = parse_units(dict(p.split("=") for p in query.split("&")), max_limit=10**6)
        q = unit_query(f, unit_extra(absolute=True))
    where = q.matched.split(" WHERE ", 1)[1]
    json_agg = f"SELECT json_agg({UNIT_FEATURE})::text FROM {UNIT_FROM} WHERE {where}"
    floor = f"SELECT string_agg({UNIT_FEATURE_TEXT}, ',') FROM {UNIT_FROM} WHERE {where}"
    return {"json_agg": (json_agg, q.params), "floor": (floor, q.params)}


def fetch(conn, sql: str, params: dict):
    return lambda: conn.execute(sql, params).fetchone()


def api(port: int, path: str, headers: dict | None = None):
    def call() -> bytes:
        status, _headers, body = get(port, path, headers)
        assert status in (200, 304), (status, body[:200])
        return body

    return call


def bench_all(app, conns, port: int, n: int, query: str, label: str) -> None:
    refs = references(app, query, port)
    (sql_agg, params), (sql_floor, _p) = refs["json_agg"], refs["floor"]
    path = f"{PATH}?{query}"
    body = api(port, path)()
    same_features(body, conns["nojit"].execute(sql_agg, params).fetchone()[0])
    t_api, t_on, t_off, t_floor = medians(
        api(port, path), fetch(conns["jit"], sql_agg, params),
        fetch(conns["nojit"], sql_agg, params), fetch(conns["nojit"], sql_floor, params),
    )  # fmt: skip
    flat = min(t_on, t_off)
    say(
        f"{n:>8} {label:<7} {len(body) / 1e6:>7.1f} MB  API {t_api:>8.1f} ms  json_agg "
        f"{t_on:>8.1f} (JIT) {t_off:>8.1f} (no JIT)  ratio {t_api / flat:>5.2f}  floor "
        f"{t_floor:>8.1f}  ratio {t_api / t_floor:>5.2f}  {load()}"
    )


def same_features(body: bytes, reference: bytes | None) -> None:
    """The API's features are the reference's (as JSON, in id order)."""
    features = json.loads(body)["features"]
    expected = sorted(json.loads(reference or b"[]"), key=lambda feature: feature["id"])
    if features != expected:
        raise SystemExit("API und Referenz liefern verschiedene Features")


def deep_key(conn, n: int) -> int:
    """The public unit's id 90 % into the list (the ``after`` of a page that deep)."""
    sql = "SELECT id FROM unit WHERE publishable ORDER BY id OFFSET %s LIMIT 1"
    return conn.execute(sql, (int(n * 0.9 * 0.98),)).fetchone()[0]


def bench_paging(conns, port: int, n: int) -> None:
    """First page, 90 % deep by offset and by key: as a client paging on sees them (the count
    and the checkpoints kept since the last change) and each right after a change (a write to
    a public table moves the counter: counted again)."""
    deep = int(n * 0.9 * 0.98)  # 2 % of the units are not public
    paths = (
        f"{PATH}?limit=1000",
        f"{PATH}?limit=1000&offset={deep}",
        f"{PATH}?limit=1000&after={deep_key(conns['nojit'], n)}",
    )
    for label, make in (("kept", api), ("changed", lambda p, path: after_change(conns, p, path))):
        first, by_offset, by_key = medians(*(make(port, path) for path in paths))
        say(
            f"{n:>8} paging  {label:<8} first {first:>8.1f} ms  offset 90 % {by_offset:>8.1f} ms "
            f"({by_offset / first:.2f}×)  after 90 % {by_key:>8.1f} ms ({by_key / first:.2f}×)"
            f"  {load()}"
        )


CHANGE = "UPDATE municipality SET name = name WHERE id = (SELECT min(id) FROM municipality)"


def after_change(conns, port: int, path: str):
    """A request right after a committed change of the public data (the change, about a
    millisecond, is timed with it)."""
    call = api(port, path)

    def run() -> bytes:
        conns["jit"].execute(CHANGE)
        return call()

    return run


def bench_304(port: int, n: int, query: str) -> None:
    path = f"{PATH}?{query}"
    _status, headers, _body = get(port, path)
    tag = headers["ETag"]
    full, unchanged = medians(api(port, path), api(port, path, {"If-None-Match": tag}))
    say(
        f"{n:>8} 304     {query:<14} full {full:>8.1f} ms  304 {unchanged:>6.1f} ms  "
        f"({full / unchanged:.0f}× faster)  {load()}"
    )


def bench_compression(port: int, n: int, query: str) -> None:
    path = f"{PATH}?{query}"
    sizes = {}
    for encoding in ("identity", "gzip", "br", "zstd"):
        _status, headers, body = get(port, path, {"Accept-Encoding": encoding})
        assert headers.get("Content-Encoding", "identity") == encoding, headers
        sizes[encoding] = len(body)
    plain, gz, zstd = medians(
        api(port, path), api(port, path, {"Accept-Encoding": "gzip"}),
        api(port, path, {"Accept-Encoding": "zstd"}), runs=max(5, benchdb.RUNS // 3),
    )  # fmt: skip
    ratios = "  ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sizes.items())
    say(
        f"{n:>8} bytes   {query:<14} {ratios}  time: identity {plain:.1f} ms, gzip {gz:.1f} ms,"
        f" zstd {zstd:.1f} ms  {load()}"
    )


def worker_memory(port: int, path: str) -> None:
    """A fresh gunicorn: each worker's VmHWM before and after serving ``path`` once."""
    server = benchdb.start_gunicorn(URL, port, lambda: get(port, f"{PATH}?limit=1"), APP)
    try:
        for _ in range(9):
            get(port, f"{PATH}?limit=1")  # every worker imports and connects
        workers = children(server.pid)
        before = {pid: vm_hwm(pid) for pid in workers}
        _status, _headers, body = get(port, path)
        after = {pid: vm_hwm(pid) for pid in workers}
    finally:
        benchdb.stop_gunicorn(server)
    pid = max(workers, key=lambda p: after[p] - before[p])
    mb = len(body) / 1e6
    say(
        f"memory  {path}: body {mb:.1f} MB; the serving worker's VmHWM {before[pid]:.1f} → "
        f"{after[pid]:.1f} MB (+{after[pid] - before[pid]:.1f} MB = "
        f"{(after[pid] - before[pid]) / mb:.2f}× the body; total {after[pid] / mb:.2f}× the body)"
    )


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()]


def vm_hwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmHWM for {pid}")


def main() -> None:
    sizes = benchdb.arguments(__doc__, [10_000, 100_000]).parse_args().sizes
    benchdb.create_database(URL)
    port = benchdb.free_port()
    base_url = f"http://127.0.0.1:{port}"  # the links in the API's and the references' bodies
    app = create_app(
        {"DATABASE_URL": URL, "TILE_URL": "", "LEERSTAND_ENV": "development", "BASE_URL": base_url}
    )
    benchdb.migrate_and_base(app)
    say(f"Start: {load()}, {os.cpu_count()} CPUs, BENCH_RUNS={benchdb.RUNS}")
    for n in sizes:
        say(f"Größe {n}:")
        benchdb.fill(URL, FILL, n)
        measure(app, port, n)
    largest = max((s for s in sizes if s <= ALL_UP_TO), default=None)
    if largest is not None:
        if largest != sizes[-1]:
            benchdb.fill(URL, FILL, largest)
        worker_memory(port, f"{PATH}?limit={largest}")
    say(f"End: {load()}")


def measure(app, port: int, n: int) -> None:
    server = benchdb.start_gunicorn(URL, port, lambda: get(port, f"{PATH}?limit=1"), APP)
    conns = {
        "jit": psycopg.connect(benchdb.plain(URL), autocommit=True),
        "nojit": psycopg.connect(benchdb.plain(URL), autocommit=True),
    }
    try:
        for conn in conns.values():
            conn.adapters.register_loader("text", BytesLoader)  # bytes, as the API gets
        conns["nojit"].execute("SET jit = off")
        if n <= ALL_UP_TO:
            bench_all(app, conns, port, n, f"limit={n}", "all")
        bench_all(app, conns, port, n, f"bbox={ALLEE_BBOX}&limit=100000", "bbox")
        bench_paging(conns, port, n)
        bench_304(port, n, "limit=1000")
        if n <= ALL_UP_TO:
            bench_304(port, n, f"limit={n}")
        bench_compression(port, n, f"limit={min(n, ALL_UP_TO)}")
    finally:
        for conn in conns.values():
            conn.close()
        benchdb.stop_gunicorn(server)


if __name__ == "__main__":
    main()
