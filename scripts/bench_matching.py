#!/usr/bin/env python3
"""Benchmark the matching: one proposal against 10k and 100k synthetic units, the full service
(``matching.rank_units``: candidate SQL + score + reasons as data) against the bare candidate SQL
statement run via psycopg, storing the Ortsteil proposal's matches (``matching.store.sync``)
against the bare SQL of the same statements and against the former statement (``unit_id <>
ALL(array)``, prepared as psycopg does after five runs: the baseline), and ``rematch_proposal``
for 100 proposals against 10k units.

Creates (or reuses) a separate database ``leerstand_bench_matching`` on the local cluster
(``LEERSTAND_PGPORT``, default 55432) or ``BENCH_DATABASE_URL``, migrates it, adds Ballenstedt
with its Ortsteile, and fills it with ``generate_series``: buildings at random points inside the
municipality (``ST_GeneratePoints``, fixed seed), each with one unit of varied kind, area,
features, vacancy and owner expectation, owners with contact cases in every state (the units
without the vacancy history triggers: the matching does not read it, and they made the fill of
1M units take hours). Prints the median of RUNS calls (interleaved, after warm-up) and whether
the plans use the GiST indexes.
Usage: ``.venv/bin/python scripts/bench_matching.py [--explain] [sizes…]`` (default 10000
100000; 1000000 once in a while: the baseline takes seconds per run there); ``--explain`` also
prints the query plans. Prints the machine's load with the figures (a shared machine)."""

from __future__ import annotations

import os
import time
from datetime import date

import benchdb  # first: puts the repository on sys.path
import psycopg
from bench_matching_store import measure_store
from benchdb import medians_ms, say

from leerstand import create_app

URL = benchdb.database_url("leerstand_bench_matching")
REMATCH_PROPOSALS, REMATCH_UNITS = 100, 10_000
ALLEE = (11.2265, 51.7192)


def base_rows(session, muni) -> None:
    """The Ortsteile (with their centres) and one initiative for the proposals."""
    from leerstand.geodata import load_reference_points
    from leerstand.models import District, Initiative
    from leerstand.spatial.geometry import to_db

    for p, point in load_reference_points():
        if p["kind"] == "ortsteil":
            name = p["name"].split(" (")[0]
            session.add(District(municipality_id=muni.id, name=name, centre=to_db(point)))
    session.add(
        Initiative(
            municipality_id=muni.id, name="Benchmark e.V.", email="b@example.org", password_hash="-"
        )
    )


FILL = """
TRUNCATE match, proposal_district, proposal, contact_case, ownership, unit, building, owner
    RESTART IDENTITY CASCADE;
INSERT INTO owner (municipality_id, kind, name, contact_person, street, postcode, city, email,
                   phone, preferred_channel, notes, is_municipality, version)
SELECT m.id, 'person', 'Eigentümer:in ' || g, '', '', '', '', '', '', 'letter', '', g = 1, 1
FROM (SELECT id FROM municipality ORDER BY id LIMIT 1) m, generate_series(1, 500) AS g;
WITH m AS (SELECT id, boundary FROM municipality ORDER BY id LIMIT 1)
INSERT INTO building (municipality_id, street, house_number, postcode, place, location,
                      listed, notes, version)
SELECT m.id, 'Benchmarkstraße', p.path[1]::text, '06493', 'Ballenstedt', p.geom, false, '', 1
FROM m, ST_Dump(ST_GeneratePoints(m.boundary, %(n)s, 15085040)) AS p;
UPDATE building b SET district_id = (
    SELECT d.id FROM district d ORDER BY d.centre <-> b.location LIMIT 1);
INSERT INTO ownership (building_id, owner_id, role)
SELECT b.id, 1 + b.id %% 500, 'owner' FROM building b;
INSERT INTO contact_case (municipality_id, building_id, owner_id, state, version)
SELECT b.municipality_id, b.id, 1 + b.id %% 500,
       (ARRAY['contacted', 'in_dialogue', 'open_to_interim_use', 'declined', 'agreement',
              'unreachable', 'closed'])[1 + b.id %% 7], 1
FROM building b WHERE b.id %% 2 = 0;
ALTER TABLE unit DISABLE TRIGGER USER;
INSERT INTO unit (municipality_id, building_id, name, kind, floor, area_m2, street_level,
                  step_free, shop_window, power, water, wc, heating, vacancy_state,
                  vacant_since, owner_expectation, rent_eur_month, suitable_uses, publishable,
                  public_description, internal_notes, version)
SELECT b.municipality_id, b.id, 'EG',
       (ARRAY['shop', 'office', 'gastro', 'flat', 'hall', 'workshop'])[1 + b.id %% 6],
       'EG', 20 + (b.id * 7) %% 300, b.id %% 2 = 0, b.id %% 3 = 0, true, b.id %% 5 <> 0,
       b.id %% 4 = 0, b.id %% 3 <> 0, true,
       (ARRAY['vacant', 'vacant', 'vacant', 'partly_vacant', 'vacancy_expected',
              'occupied'])[1 + b.id %% 6],
       CURRENT_DATE - (b.id * 13) %% 2000,
       (ARRAY['unknown', 'rent', 'costs_only', 'free'])[1 + b.id %% 4],
       CASE WHEN b.id %% 4 = 1 THEN 100 + (b.id * 11) %% 900 END,
       CASE WHEN b.id %% 10 = 0 THEN ARRAY['events'] ELSE '{}' END, true, '', '', 1
FROM building b;
ALTER TABLE unit ENABLE TRIGGER USER;
ANALYZE building; ANALYZE unit; ANALYZE ownership; ANALYZE owner; ANALYZE contact_case;
"""


def make_proposals(session, count: int = 0) -> dict:
    """The two measured proposals (point + 500 m on the Allee; the Ortsteil Kernstadt) and, with
    ``count``, that many more of every location kind at random places (fixed seed)."""
    import random

    from shapely.geometry import Point, box
    from sqlalchemy import select

    from leerstand.models import District, Initiative, Proposal
    from leerstand.spatial.geometry import to_db

    initiative = session.scalars(select(Initiative)).first()
    districts = {d.name: d for d in session.scalars(select(District))}
    common = {
        "municipality_id": initiative.municipality_id, "initiative_id": initiative.id,
        "state": "published", "power": True, "wc": True, "budget_kind": "costs_only",
    }  # fmt: skip
    point = Proposal(
        title="Galerie (Punkt)", use_kind="exhibition", location_kind="point",
        point=to_db(Point(*ALLEE)), radius_m=500, area_min=40, area_max=150, **common,
    )  # fmt: skip
    district = Proposal(
        title="Jugendraum (Ortsteil)", use_kind="youth", location_kind="districts",
        area_min=60, area_max=200, **common,
    )  # fmt: skip
    district.districts = [districts["Ballenstedt"]]
    session.add_all([point, district])
    rng, more = random.Random(15085040), []
    for i in range(count):
        lon, lat = rng.uniform(11.17, 11.29), rng.uniform(51.70, 51.76)
        kind = ("point", "point", "point", "area", "districts")[i % 5]
        extra = {"point": to_db(Point(lon, lat)), "radius_m": rng.choice((300, 500, 1000, 1500))}
        if kind == "area":
            extra = {"area": to_db(box(lon, lat, lon + 0.01, lat + 0.006))}
        p = Proposal(
            title=f"Idee {i}", location_kind=kind, area_min=rng.choice((None, 30, 60)),
            area_max=rng.choice((None, 150, 300)), street_level=i % 7 == 0, **extra,
            use_kind=("popup", "exhibition", "club", "atelier", "cafe", "events")[i % 6], **common,
        )  # fmt: skip
        if kind == "districts":
            p.districts = rng.sample(list(districts.values()), 2)
        more.append(p)
    session.add_all(more)
    session.flush()
    return {"point": point, "districts": district, "more": more}


def measure(app, conn, n: int, stored: list[tuple]) -> tuple[list[tuple], str]:
    from leerstand.db import db
    from leerstand.services.matching import service as matching
    from leerstand.services.matching.candidates import candidate_params, units_for_proposal_sql

    rows, plan = [], ""
    with app.app_context():
        proposals = make_proposals(db.session)
        db.session.commit()
        today = date.today()
        for name in ("point", "districts"):
            proposal = proposals[name]
            sql = units_for_proposal_sql(proposal.location_kind)
            params = candidate_params(today, proposal_id=proposal.id)
            results = matching.rank_units(db.session, proposal, today=today)
            raw_rows = conn.execute(sql, params).fetchall()
            assert {r.unit_id for r in results} == {r[0] for r in raw_rows}, "service ≠ SQL"
            service_ms, raw_ms = medians_ms(
                lambda p=proposal: matching.rank_units(db.session, p, today=today),
                lambda s=sql, q=params: conn.execute(s, q).fetchall(),
            )
            rows.append((n, name, len(results), service_ms, raw_ms, service_ms / raw_ms))
            say(
                f"  {name}: {len(results)} Treffer, Dienst {service_ms:.1f} ms, SQL {raw_ms:.1f} ms"
            )
            if name == "point":
                plan = benchdb.explain(conn, sql, params)
            else:
                stored.append(measure_store(db.session, proposal, results, n))
        db.session.rollback()
    return rows, plan


def measure_rematch(app) -> tuple[float, int]:
    from leerstand.db import db
    from leerstand.services.matching import service as matching

    with app.app_context():
        proposals = make_proposals(db.session, REMATCH_PROPOSALS)["more"]
        db.session.commit()
        started = time.perf_counter()
        total = sum(matching.rematch_proposal(db.session, p) for p in proposals)
        db.session.commit()
        seconds = time.perf_counter() - started
    return seconds, total


def main() -> None:
    parser = benchdb.arguments(__doc__, [10_000, 100_000])
    parser.add_argument("--explain", action="store_true", help="print the query plans too")
    args = parser.parse_args()
    benchdb.create_database(URL)
    app = create_app({
        "DATABASE_URL": URL, "TILE_URL": "", "LEERSTAND_ENV": "development",
        # the former storing takes longer than a web request may at 1M units
        "DB_STATEMENT_TIMEOUT_MS": 0, "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS": 0,
    })  # fmt: skip
    benchdb.migrate_and_base(app, base_rows)
    rows, plans, stored = [], {}, []
    with psycopg.connect(benchdb.plain(URL), autocommit=True) as conn:
        for n in args.sizes:
            say(f"Größe {n}:")
            benchdb.fill(URL, FILL, n)
            measured, plans[n] = measure(app, conn, n, stored)
            rows += measured
    say(f"Re-Matching: {REMATCH_PROPOSALS} Ideen gegen {REMATCH_UNITS} Einheiten …")
    benchdb.fill(URL, FILL, REMATCH_UNITS)
    seconds, total = measure_rematch(app)
    say("\n  units  proposal   matches  service ms   SQL ms  ratio")
    for n, name, count, service_ms, raw_ms, ratio in rows:
        say(f"{n:>7}  {name:<9} {count:>8} {service_ms:>11.1f} {raw_ms:>8.1f} {ratio:>6.2f}")
    say("\nStoring the Ortsteil proposal's matches (median ms; ratios in the same run):")
    say("  units  matches  service  bare SQL  ratio | former service  beside it  former/service")
    for n, count, service_ms, bare_ms, old_ms, again_ms in stored:
        say(
            f"{n:>7} {count:>8} {service_ms:>8.1f} {bare_ms:>9.1f} {service_ms / bare_ms:>6.2f}"
            f" | {old_ms:>14.1f} {again_ms:>10.1f} {old_ms / again_ms:>15.2f}"
        )
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    say(f"Last (1/5/15 min) {load} bei {os.cpu_count()} Kernen")
    say(
        f"\nrematch_proposal: {REMATCH_PROPOSALS} proposals × {REMATCH_UNITS} units: "
        f"{seconds:.2f} s total, {seconds / REMATCH_PROPOSALS * 1000:.1f} ms per proposal, "
        f"{total} matches stored"
    )
    for n, plan in plans.items():
        used = "ix_building_location_geography" in plan
        say(
            f"\nEXPLAIN point proposal at {n}: geography GiST index used: {'yes' if used else 'no'}"
        )
        if args.explain:
            say(plan)


if __name__ == "__main__":
    main()
