"""The synthetic register of scripts/bench_register.py and bench_register_map.py: Ballenstedt
with its six Ortsteile (Voronoi cells of the centres, as the demo) and the focus areas, and per
size ``n`` units in n/2 buildings spread over the town (streets of 40 houses, every 13th number
with a letter), two units per building, owners (one per 20 units) with an ownership per
building (every 10th building also a property manager), contact cases for two buildings in five
with every state and follow-ups around today, then VACUUM (ANALYZE). A staff account logs in."""

from __future__ import annotations

import os

import benchdb
import psycopg
from benchdb import say

EMAIL, PASSWORD = "register@bench.example", "bench-register-2026"

FILL = """
TRUNCATE interim_use, use_request, match, proposal_district, proposal, contact_event,
    contact_case, vacancy_period, ownership, unit, building, owner RESTART IDENTITY CASCADE;
INSERT INTO owner (municipality_id, kind, name, contact_person, street, postcode, city, email,
                   phone, preferred_channel, notes, is_municipality, version)
SELECT m.id, 'person', 'Eigentümer:in ' || g, '', 'Benchmarkweg ' || g, '06493', 'Ballenstedt',
       'owner' || g || '@bench.example', '', 'letter', '', false, 1
FROM (SELECT id FROM municipality ORDER BY id LIMIT 1) m,
     generate_series(1, greatest(10, %(n)s / 20)) AS g;
WITH m AS (SELECT id, boundary FROM municipality ORDER BY id LIMIT 1),
points AS (SELECT row_number() OVER () - 1 AS g, p.geom
           FROM m, ST_Dump(ST_GeneratePoints(m.boundary, (%(n)s + 1) / 2, 1508)) AS p)
INSERT INTO building (municipality_id, street, house_number, postcode, place, location,
                      listed, notes, version)
SELECT m.id,
       (ARRAY['Allee', 'Bahnhofstraße', 'Lindenweg', 'Am Anger', 'Schlossstraße', 'Marktplatz',
              'Gartenstraße', 'Wilhelmstraße', 'Bergstraße', 'Feldweg'])[1 + (g / 40) %% 10]
       || CASE WHEN g / 400 > 0 THEN ' ' || (g / 400)::text ELSE '' END,
       (1 + g %% 40)::text || CASE WHEN g %% 13 = 0 THEN 'a' ELSE '' END,
       '06493', 'Ballenstedt', points.geom, false, '', 1
FROM m, points;
UPDATE building b SET district_id = (
    SELECT d.id FROM district d ORDER BY d.centre <-> b.location LIMIT 1);
INSERT INTO ownership (building_id, owner_id, role)
SELECT b.id, 1 + b.id %% greatest(10, %(n)s / 20), 'owner' FROM building b;
INSERT INTO ownership (building_id, owner_id, role)
SELECT b.id, 1 + (b.id + 1) %% greatest(10, %(n)s / 20), 'manager' FROM building b
WHERE b.id %% 10 = 0;
ALTER TABLE unit DISABLE TRIGGER leerstand_vacancy_history;
INSERT INTO unit (id, municipality_id, building_id, name, kind, floor, area_m2, street_level,
                  step_free, shop_window, power, water, wc, heating, vacancy_state,
                  vacant_since, owner_expectation, suitable_uses, publishable,
                  public_description, internal_notes, version)
SELECT u, b.municipality_id, b.id, CASE WHEN u %% 2 = 1 THEN 'EG' ELSE '1. OG' END,
       (ARRAY['shop', 'office', 'gastro', 'flat', 'hall', 'workshop', 'flat', 'shop'])
           [1 + (u * 7) %% 8],
       CASE WHEN u %% 2 = 1 THEN 'EG' ELSE '1. OG' END,
       CASE WHEN u %% 17 <> 0 THEN 20 + (u * 13) %% 400 END, u %% 2 = 1, u %% 3 = 0,
       u %% 2 = 1, true, u %% 4 <> 0, u %% 3 <> 0, u %% 5 <> 0, s.state,
       CASE WHEN s.state IN ('vacant', 'partly_vacant')
            THEN leerstand_today() - (u * 37) %% 3000 END,
       'unknown', '{}', u %% 3 = 0, '', '', 1
FROM generate_series(1, %(n)s) AS u
JOIN building b ON b.id = (u + 1) / 2
CROSS JOIN LATERAL (SELECT (ARRAY['vacant', 'vacant', 'vacant', 'vacant', 'partly_vacant',
    'vacancy_expected', 'interim_use', 'occupied', 'occupied', 'occupied'])
    [1 + (u * 3) %% 10] AS state) s;
ALTER TABLE unit ENABLE TRIGGER leerstand_vacancy_history;
SELECT setval('unit_id_seq', %(n)s);
INSERT INTO contact_case (municipality_id, building_id, owner_id, state, next_follow_up,
                          version)
SELECT b.municipality_id, b.id, o.owner_id,
       (ARRAY['not_contacted', 'contacted', 'in_dialogue', 'open_to_interim_use', 'declined',
              'agreement', 'closed', 'unreachable'])[1 + (b.id / 5) %% 8],
       CASE WHEN b.id %% 3 = 0 THEN leerstand_today() - 30 + (b.id %% 90) END, 1
FROM building b JOIN ownership o ON o.building_id = b.id AND o.role = 'owner'
WHERE b.id %% 5 IN (0, 2);
"""


# What the register needs at a million units (for a migration; created here by hand): the
# address order as an index (the page's 25 rows without sorting every building) and trigram
# indexes for the search text (address, place, unit name).
INDEXES = {
    "ix_building_address": "CREATE INDEX IF NOT EXISTS ix_building_address ON building "
    "(municipality_id, street, "
    "(NULLIF(regexp_replace(house_number, '\\D', '', 'g'), '')::integer), house_number, id)",
    "ix_building_address_trgm": "CREATE INDEX IF NOT EXISTS ix_building_address_trgm ON building "
    "USING gin ((street || CASE WHEN house_number = '' THEN '' ELSE ' ' || house_number END) "
    "gin_trgm_ops)",
    "ix_building_place_trgm": "CREATE INDEX IF NOT EXISTS ix_building_place_trgm ON building "
    "USING gin (place gin_trgm_ops)",
    "ix_unit_name_trgm": "CREATE INDEX IF NOT EXISTS ix_unit_name_trgm ON unit "
    "USING gin (name gin_trgm_ops)",
}


def indexes(url: str, wanted: bool) -> None:
    """Create the proposed indexes (and pg_trgm) or drop them; then ANALYZE."""
    with psycopg.connect(benchdb.plain(url), autocommit=True) as conn:
        if wanted:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, create in INDEXES.items():
            conn.execute(create if wanted else f"DROP INDEX IF EXISTS {name}")
        conn.execute("ANALYZE building")
        conn.execute("ANALYZE unit")
    say(f"  vorgeschlagene Indizes {'angelegt' if wanted else 'entfernt'}")


def base_rows(session, muni) -> None:
    """Ortsteile with the demo's approximate boundaries and the focus areas."""
    from leerstand.geodata import load_boundary
    from leerstand.models import District, FocusArea
    from leerstand.seed.geography import focus_areas, reference_centres, voronoi_cells
    from leerstand.spatial.geometry import to_db

    _props, boundary = load_boundary()
    centres, _landmarks = reference_centres()
    for name, cell in voronoi_cells(centres, boundary).items():
        session.add(
            District(municipality_id=muni.id, name=name, centre=to_db(centres[name]),
                     boundary=to_db(cell))
        )  # fmt: skip
    for name, description, area in focus_areas(boundary):
        session.add(
            FocusArea(municipality_id=muni.id, name=name, description=description, area=to_db(area))
        )


def ensure_account(app) -> None:
    """The staff account the HTTP and browser measurements log in with."""
    from sqlalchemy import select

    from leerstand.db import db
    from leerstand.models import Municipality, User

    with app.app_context():
        if db.session.scalar(select(User.id).where(User.email == EMAIL)) is None:
            town = db.session.scalar(select(Municipality.id).order_by(Municipality.id).limit(1))
            user = User(municipality_id=town, email=EMAIL, name="Register", role="staff")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()


def prepare(url: str):
    """Create and migrate the database, add the town and the account; returns the app."""
    from leerstand import create_app

    benchdb.create_database(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "TILE_URL": "",
            "LEERSTAND_ENV": "development",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )  # fmt: skip (the in-process client that records the statements logs in without a form)
    benchdb.migrate_and_base(app, base_rows)
    ensure_account(app)
    return app


def units_in(conn) -> int:
    return conn.execute("SELECT count(*) FROM unit").fetchone()[0]


def fill(url: str, n: int, force: bool = False) -> None:
    """Fill for ``n`` units unless the database holds exactly that many already (``force``
    refills); VACUUM (ANALYZE) as autovacuum would; print the machine's load."""
    with psycopg.connect(benchdb.plain(url), autocommit=True) as conn:
        if force or units_in(conn) != n:
            benchdb.fill(url, FILL, n)
            conn.execute("VACUUM (ANALYZE)")
        else:
            say(f"  {n} Einheiten sind schon da")
    say(f"  {load()}")


def load() -> str:
    figures = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"Last (1/5/15 min) {figures} bei {os.cpu_count()} Kernen"
