#!/usr/bin/env python3
"""Benchmark GET /api/units.geojson against the raw PostGIS query producing the same text.

Creates (or reuses) a separate database ``leerstand_bench`` on the local cluster
(``LEERSTAND_PGPORT``, default 55432) or ``BENCH_DATABASE_URL``, migrates it, inserts 1k, 10k
and 100k synthetic public units with ``generate_series`` (points spread over the
municipality's bounding box) and prints, per size, the median of RUNS requests through the
Flask test client and of the raw query via psycopg, their ratio, and whether the bbox query
plan uses the GiST index.  Usage: ``.venv/bin/python scripts/bench_geojson.py [sizes…]``"""

from __future__ import annotations

import benchdb  # first: puts the repository on sys.path
import psycopg
from benchdb import medians_ms, say

from leerstand import create_app
from leerstand.map_labels import unit_extra
from leerstand.services.public.geojson import units_sql
from leerstand.services.public.params import parse_units

URL = benchdb.database_url("leerstand_bench")
ALLEE_BBOX = "11.222,51.716,11.232,51.722"
QUERIES = {"all": "limit=100000", "bbox": f"bbox={ALLEE_BBOX}&limit=100000"}


FILL = """
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
       true, true, 'vacant', 'costs_only', '{}', true,
       'Heller Raum mit Schaufenster, sofort nutzbar – ideal für Pop-up oder Ausstellung.',
       'intern', 1
FROM building b;
ANALYZE building; ANALYZE unit; ANALYZE ownership; ANALYZE owner; ANALYZE consent;
"""


def raw_query(app, query: str):
    """SQL, parameters and a runner for the raw psycopg query of ``query``."""
    from werkzeug.datastructures import MultiDict

    with app.test_request_context(f"/api/units.geojson?{query}"):
        f = parse_units(MultiDict([p.split("=") for p in query.split("&")]), max_limit=100_000)
        sql, params = units_sql(f)
        params.update(unit_extra(absolute=True))
    return sql, params


def measure(app, conn, n: int) -> list[tuple]:
    client = app.test_client()
    rows = []
    for name, query in QUERIES.items():
        sql, params = raw_query(app, query)
        body = client.get(f"/api/units.geojson?{query}").get_data(as_text=True)
        raw_body = conn.execute(sql, params).fetchone()[0]
        assert body == raw_body, "endpoint and raw query differ"
        features = body.count('"type" : "Feature"') or body.count('"type": "Feature"')
        api, raw = medians_ms(
            lambda q=query: client.get(f"/api/units.geojson?{q}").get_data(),
            lambda s=sql, p=params: conn.execute(s, p).fetchone()[0],
        )
        rows.append((n, name, features, len(body) / 1e6, api, raw, api / raw))
        say(f"  {name}: {features} Features, API {api:.1f} ms, roh {raw:.1f} ms")
    return rows


def explain(app, conn) -> tuple[bool, str]:
    sql, params = raw_query(app, QUERIES["bbox"])
    plan = benchdb.explain(conn, sql, params)
    return "idx_building_location" in plan, plan


def main() -> None:
    sizes = benchdb.arguments(__doc__, [1000, 10_000, 100_000]).parse_args().sizes
    benchdb.create_database(URL)
    app = create_app(
        {
            "DATABASE_URL": URL,
            "API_MAX_LIMIT": 100_000,
            "TILE_URL": "",
            "LEERSTAND_ENV": "development",
        }
    )
    benchdb.migrate_and_base(app)
    rows, plans = [], {}
    with psycopg.connect(benchdb.plain(URL), autocommit=True) as conn:
        for n in sizes:
            say(f"Größe {n}:")
            benchdb.fill(URL, FILL, n)
            rows += measure(app, conn, n)
            plans[n] = explain(app, conn)
    say("\n   size  query  features     MB   API ms   raw ms  ratio")
    for n, name, features, mb, api, raw, ratio in rows:
        say(f"{n:>7}  {name:<5} {features:>9} {mb:>6.1f} {api:>8.1f} {raw:>8.1f} {ratio:>6.2f}")
    for n, (uses, _plan) in plans.items():
        say(f"\nEXPLAIN bbox query at {n}: GiST index used: {'yes' if uses else 'no'}")
    say(plans[sizes[-1]][1])


if __name__ == "__main__":
    main()
