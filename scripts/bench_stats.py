#!/usr/bin/env python3
"""Benchmark the staff statistics: ``statistics.dashboard`` (the function the page calls) against
the bare SQL of the same statements run with psycopg, and GET /verwaltung/statistik over HTTP
against gunicorn (run as the README runs it, logged in), at 10k and 100k units. Uses its own
database ``leerstand_bench_stats`` (``BENCH_DATABASE_URL`` must name a database containing
"bench"; scripts/benchdb.py) with Ballenstedt, its six Ortsteile (Voronoi cells of the centres,
as the demo) and the focus areas. Per size it fills, set-based in SQL: buildings spread over the
town, around the Ortsteil centres and along the Schlossallee, two units each, and five years of
history — every unit's ``vacancy_period`` rows (1–6 changes, vacant runs that turn partly
vacant, some open), contact cases with events through the funnel (some declined, unreachable,
closed), ideas published over the years with matches, use requests by e-mail and letter
(answered yes, with conditions, no), interim uses running and ended with their outcomes; volumes
proportional to the units (printed per size), then VACUUM (ANALYZE) as autovacuum would have
done on data that old (index-only scans need the visibility map). Then, per scope (the town, the
Ortsteil Ballenstedt, the Schlossallee) it records the statements ``dashboard`` runs
(SQLAlchemy's ``before_cursor_execute``: the very text and parameters) and prints the medians of
``BENCH_RUNS`` interleaved calls of the service and of the statements run bare, the ratio, each
statement's time, and the HTTP page time. Goal of issue 12: the dashboard's queries together
under 300 ms at 100k units. ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of the slowest
statements.
Usage: ``.venv/bin/python scripts/bench_stats.py [--explain] [--no-http] [--sizes N …]``"""

from __future__ import annotations

import os
import statistics
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode

import benchdb  # first: puts the repository on sys.path
import psycopg
from benchdb import medians_ms, say

from leerstand import create_app

URL = benchdb.database_url("leerstand_bench_stats")
ROOT = Path(__file__).resolve().parent.parent
PAGE = "/verwaltung/statistik"
EMAIL, PASSWORD = "statistik@bench.example", "bench-statistik-2026"
GOAL_MS = 300
WARM_UP = 24  # requests before timing: 3 workers, psycopg prepares after the 5th run


def base_rows(session, muni) -> None:
    """Ortsteile with the demo's approximate boundaries, the focus areas and initiatives."""
    from leerstand.geodata import load_boundary
    from leerstand.models import District, FocusArea, Initiative
    from leerstand.seed.geography import focus_areas, reference_centres, voronoi_cells
    from leerstand.spatial.geometry import to_db

    _props, boundary = load_boundary()
    centres, _landmarks = reference_centres()
    for name, cell in voronoi_cells(centres, boundary).items():
        session.add(
            District(
                municipality_id=muni.id,
                name=name,
                centre=to_db(centres[name]),
                boundary=to_db(cell),
            )
        )
    for name, description, area in focus_areas(boundary):
        session.add(
            FocusArea(municipality_id=muni.id, name=name, description=description, area=to_db(area))
        )
    for i in range(1, 11):
        session.add(
            Initiative(
                municipality_id=muni.id,
                name=f"Benchmark-Initiative {i}",
                email=f"initiative{i}@bench.example",
                password_hash="-",
            )
        )


# The fill: ``%(n)s`` is the number of units, ``%%`` a literal percent sign (benchdb.fill).
# Days count back from leerstand_today() (the migration's local "today"); the five years of
# history are the window [today − 5 years, today), plus each unit's state before it. The temp
# table ``plan`` holds every unit's periods (alternating vacant and not, a fifth of the long
# vacant ones turning partly vacant halfway); the units take the state of their open period.
# The history trigger is off while the units go in (it would open a period today for each;
# the planned periods replace that) and on again before anything else is written.
FILL = """
TRUNCATE interim_use, use_request, match, proposal_district, proposal, contact_event,
    contact_case, vacancy_period, ownership, unit, building, owner RESTART IDENTITY CASCADE;
SELECT setseed(0.1508504);
INSERT INTO owner (municipality_id, kind, name, contact_person, street, postcode, city, email,
                   phone, preferred_channel, notes, is_municipality, version)
SELECT m.id, 'person', 'Eigentümer:in ' || g, '', 'Benchmarkweg ' || g, '06493', 'Ballenstedt',
       'owner' || g || '@bench.example', '', (ARRAY['letter', 'email'])[1 + g %% 2], '', false, 1
FROM (SELECT id FROM municipality ORDER BY id LIMIT 1) m,
     generate_series(1, greatest(10, %(n)s / 20)) AS g;
WITH m AS (SELECT id, boundary FROM municipality ORDER BY id LIMIT 1),
sizes AS (SELECT (%(n)s + 1) / 2 AS total, (%(n)s + 1) / 2 / 16 AS allee,
                 (%(n)s + 1) / 2 * 2 / 5 AS centres),
centres AS (SELECT ST_Union(ST_Buffer(d.centre::geography, 700)::geometry) AS area FROM district d),
allee AS (SELECT area FROM focus_area WHERE name = 'Schlossallee'),
points AS (
    SELECT 'Schlossallee' AS street, p.geom FROM sizes, allee,
        ST_Dump(ST_GeneratePoints(allee.area, sizes.allee, 1508)) AS p
    UNION ALL
    SELECT 'Ortsmitte', p.geom FROM sizes, centres, m,
        ST_Dump(ST_GeneratePoints(ST_Intersection(centres.area, m.boundary), sizes.centres, 504)) p
    UNION ALL
    SELECT 'Benchmarkstraße', p.geom FROM sizes, m,
        ST_Dump(ST_GeneratePoints(m.boundary, sizes.total - sizes.allee - sizes.centres, 15085040))
        AS p
)
INSERT INTO building (municipality_id, street, house_number, postcode, place, location,
                      listed, notes, version)
SELECT m.id, points.street, (row_number() OVER ())::text, '06493', 'Ballenstedt', points.geom,
       false, '', 1
FROM m, points;
UPDATE building b SET district_id = (
    SELECT d.id FROM district d ORDER BY d.centre <-> b.location LIMIT 1);
INSERT INTO ownership (building_id, owner_id, role)
SELECT b.id, 1 + b.id %% greatest(10, %(n)s / 20), 'owner' FROM building b;
CREATE TEMP TABLE cut AS
SELECT u, (leerstand_today() - interval '5 years')::date - (u * 37) %% 900 AS day
FROM generate_series(1, %(n)s) AS u
UNION
SELECT u, leerstand_today() - 1 - floor(random() * 1826)::int
FROM generate_series(1, %(n)s) AS u, generate_series(1, 1 + (u / 7) %% 6) AS k;
CREATE TEMP TABLE plan AS
WITH seg AS (
    SELECT u, day AS s, lead(day) OVER w AS e, row_number() OVER w AS r, random() AS x,
           random() AS y
    FROM cut WINDOW w AS (PARTITION BY u ORDER BY day)
), typed AS (
    SELECT u, s, e, (r + u) %% 2 = 0 AND y < 0.25 AND coalesce(e, leerstand_today()) - s > 60
               AND x < 0.8 AS split,
           coalesce(e, leerstand_today()) - s AS len,
           CASE WHEN (r + u) %% 2 = 0
                THEN CASE WHEN x < 0.8 THEN 'vacant' ELSE 'partly_vacant' END
                ELSE CASE WHEN x < 0.7 THEN 'occupied' WHEN x < 0.85 THEN 'vacancy_expected'
                          ELSE 'interim_use' END
           END AS state
    FROM seg
)
SELECT u, state, s AS started_on, e AS ended_on FROM typed WHERE NOT split
UNION ALL
SELECT u, 'vacant', s, s + len / 2 FROM typed WHERE split
UNION ALL
SELECT u, 'partly_vacant', s + len / 2, e FROM typed WHERE split;
DROP TABLE cut;
ALTER TABLE unit DISABLE TRIGGER leerstand_vacancy_history;
INSERT INTO unit (id, municipality_id, building_id, name, kind, floor, area_m2, street_level,
                  step_free, shop_window, power, water, wc, heating, vacancy_state,
                  vacant_since, owner_expectation, suitable_uses, publishable,
                  public_description, internal_notes, version)
SELECT p.u, b.municipality_id, b.id, CASE WHEN p.u %% 2 = 1 THEN 'EG' ELSE 'OG' END,
       (ARRAY['shop', 'office', 'gastro', 'flat', 'hall', 'workshop', 'flat',
              'shop'])[1 + (p.u * 7) %% 8],
       CASE WHEN p.u %% 2 = 1 THEN 'EG' ELSE '1. OG' END,
       CASE WHEN p.u %% 17 <> 0 THEN 20 + (p.u * 13) %% 400 END, p.u %% 2 = 1, p.u %% 3 = 0,
       p.u %% 2 = 1, true, p.u %% 4 <> 0, p.u %% 3 <> 0, p.u %% 5 <> 0, p.state,
       CASE WHEN p.state IN ('vacant', 'partly_vacant') THEN p.started_on END,
       (ARRAY['unknown', 'rent', 'costs_only', 'free'])[1 + p.u %% 4], '{}', p.u %% 3 = 0,
       '', '', 1
FROM plan p JOIN building b ON b.id = (p.u + 1) / 2
WHERE p.ended_on IS NULL;
ALTER TABLE unit ENABLE TRIGGER leerstand_vacancy_history;
SELECT setval('unit_id_seq', %(n)s);
INSERT INTO vacancy_period (unit_id, municipality_id, state, started_on, ended_on)
SELECT p.u, u.municipality_id, p.state, p.started_on, p.ended_on
FROM plan p JOIN unit u ON u.id = p.u ORDER BY p.u, p.started_on;
DROP TABLE plan;
CREATE TEMP TABLE case_plan AS
SELECT row_number() OVER (ORDER BY o.building_id) AS id, o.building_id, o.owner_id,
       b.municipality_id,
       leerstand_today() - 1 - floor(random() * 1826)::int AS opened_on,
       CASE WHEN r1 < 0.15 THEN 0 WHEN r1 < 0.50 THEN 1 WHEN r1 < 0.72 THEN 2
            WHEN r1 < 0.87 THEN 3 ELSE 4 END AS level,
       10 + floor(random() * 80)::int AS gap, random() AS r2
FROM (SELECT *, random() AS r1 FROM ownership) o JOIN building b ON b.id = o.building_id
WHERE b.id %% 5 IN (0, 2);
INSERT INTO contact_case (id, municipality_id, building_id, owner_id, state, version,
                          created_at, updated_at)
SELECT c.id, c.municipality_id, c.building_id, c.owner_id,
       CASE WHEN c.level = 4 AND c.r2 < 0.3 THEN 'closed'
            WHEN c.level = 1 AND c.r2 < 0.2 THEN 'unreachable'
            WHEN c.level BETWEEN 1 AND 3 AND c.r2 < 0.45 THEN 'declined'
            ELSE (ARRAY['not_contacted', 'contacted', 'in_dialogue', 'open_to_interim_use',
                        'agreement'])[1 + c.level] END,
       1, c.opened_on + time '09:30', c.opened_on + time '09:30'
FROM case_plan c;
SELECT setval('contact_case_id_seq', (SELECT max(id) FROM contact_case));
INSERT INTO contact_event (case_id, occurred_on, channel, direction, summary, outcome,
                           from_state, to_state)
SELECT c.id, least(leerstand_today(), c.opened_on + k * c.gap + (k * 7) %% 10),
       (ARRAY['letter', 'phone', 'email', 'meeting'])[1 + (c.id + k) %% 4],
       CASE WHEN k = 1 THEN 'out' ELSE 'in' END, 'Benchmark', '',
       steps[k], steps[k + 1]
FROM case_plan c, generate_series(1, c.level) AS k,
     (SELECT ARRAY['not_contacted', 'contacted', 'in_dialogue', 'open_to_interim_use',
                   'agreement'] AS steps) s
UNION ALL
SELECT c.id, least(leerstand_today(), c.opened_on + (c.level + 1) * c.gap), 'letter', 'in',
       'Benchmark', '', (ARRAY['contacted', 'in_dialogue', 'open_to_interim_use',
                                'agreement'])[c.level], cc.state
FROM case_plan c JOIN contact_case cc ON cc.id = c.id
WHERE cc.state IN ('closed', 'unreachable', 'declined');
DROP TABLE case_plan;
INSERT INTO proposal (municipality_id, initiative_id, title, description, use_kind,
                      street_level, step_free, power, water, wc, heating, frequency,
                      budget_kind, location_kind, state, rejection_reason, submitted_at,
                      published_at, version, created_at, updated_at)
SELECT i.municipality_id, i.id, 'Idee ' || g, 'Benchmark-Idee', (ARRAY['popup', 'exhibition',
       'youth', 'club', 'atelier', 'cafe', 'workshop', 'events', 'office', 'other'])[1 + g %% 10],
       g %% 3 = 0, false, true, g %% 2 = 0, true, false, '', 'costs_only', 'districts',
       (ARRAY['published', 'published', 'published', 'matched', 'realised', 'withdrawn',
              'expired', 'published'])[1 + g %% 8], '',
       p.at - interval '2 days', p.at, 1, p.at - interval '5 days', p.at
FROM generate_series(1, greatest(20, %(n)s / 100)) AS g
CROSS JOIN LATERAL (SELECT (leerstand_today() - 1 - floor(random() * 1826)::int)
                           + time '10:00' + g * interval '0 s' AS at) p
JOIN initiative i ON i.id = (SELECT min(id) FROM initiative) + g %% 10;
INSERT INTO match (municipality_id, proposal_id, unit_id, score, reasons, fits, status,
                   computed_at, created_at)
SELECT p.municipality_id, p.id, 1 + (p.id * 7919 + k * 104729) %% %(n)s, 40 + (p.id + k) %% 60,
       '[]', true, (ARRAY['suggested', 'shortlisted', 'shortlisted', 'dismissed'])[1 + k %% 4],
       f.at, f.at
FROM proposal p, generate_series(1, 20) AS k
CROSS JOIN LATERAL (SELECT least(now(), p.published_at + (1 + floor(random() * 20))
                                 * interval '1 day' + k * interval '1 hour') AS at) f;
INSERT INTO use_request (municipality_id, match_id, owner_id, case_id, channel, token_hash,
                         issue_count, message, sent_at, expires_at, answered_at, answer,
                         answer_message, answer_channel)
SELECT x.municipality_id, x.id, x.owner_id, x.case_id, x.channel, md5('bench' || x.id), 1, '',
       x.sent_at, x.sent_at + interval '28 days',
       CASE WHEN x.r < 0.65 THEN x.answered_at END,
       CASE WHEN x.r < 0.65 THEN (ARRAY['yes', 'yes', 'yes', 'yes_conditions', 'no', 'no', 'no',
                                        'more_info'])[1 + floor(x.r2 * 8)::int] END,
       '', CASE WHEN x.r < 0.65 THEN (CASE WHEN x.channel = 'email' THEN 'online'
                                         ELSE 'paper' END) END
FROM (
    SELECT m.municipality_id, m.id, o.owner_id, cc.id AS case_id,
           (ARRAY['email', 'letter'])[1 + m.id %% 2] AS channel, s.sent_at,
           least(now(), s.sent_at + (1 + floor(random() * 40)) * interval '1 day') AS answered_at,
           random() AS r, random() AS r2
    FROM match m JOIN unit u ON u.id = m.unit_id
    JOIN ownership o ON o.building_id = u.building_id
    LEFT JOIN contact_case cc ON cc.building_id = o.building_id AND cc.owner_id = o.owner_id
    CROSS JOIN LATERAL (SELECT least(now(), m.computed_at
                                    + (2 + floor(random() * 28)) * interval '1 day') AS sent_at) s
    WHERE m.status = 'shortlisted' AND m.id %% 3 = 0
) x;
INSERT INTO interim_use (municipality_id, unit_id, proposal_id, initiative_id, use_request_id,
                         starts_on, ends_on, costs, insurance, key_handover, notes, ended_on,
                         outcome, version)
SELECT y.municipality_id, y.unit_id, y.proposal_id, y.initiative_id, y.use_request_id,
       y.starts_on, y.starts_on + y.days, '', '', '', '',
       CASE WHEN y.starts_on + y.days < leerstand_today() AND y.r < 0.9
            THEN y.starts_on + y.days END,
       CASE WHEN y.starts_on + y.days < leerstand_today() AND y.r < 0.9
            THEN (ARRAY['vacancy_ended', 'let_permanently', 'back_to_vacant',
                        'back_to_vacant'])[1 + floor(y.r2 * 4)::int] END, 1
FROM (
    SELECT r.municipality_id, m.unit_id, m.proposal_id, p.initiative_id, r.id AS use_request_id,
           (r.answered_at AT TIME ZONE 'Europe/Berlin')::date + 14 + r.id %% 45 AS starts_on,
           90 + floor(random() * 450)::int AS days, random() AS r, random() AS r2
    FROM use_request r JOIN match m ON m.id = r.match_id JOIN proposal p ON p.id = m.proposal_id
    WHERE r.answer IN ('yes', 'yes_conditions') AND r.id %% 10 < 7
    UNION ALL
    SELECT u.municipality_id, u.id, NULL, NULL, NULL,
           leerstand_today() - 1 - floor(random() * 1700)::int, 60 + floor(random() * 400)::int,
           random(), random()
    FROM unit u WHERE u.id %% 1000 = 7
) y;
VACUUM (ANALYZE) building;
VACUUM (ANALYZE) unit;
VACUUM (ANALYZE) vacancy_period;
VACUUM (ANALYZE) vacancy_run;
VACUUM (ANALYZE) ownership;
VACUUM (ANALYZE) owner;
VACUUM (ANALYZE) contact_case;
VACUUM (ANALYZE) contact_event;
VACUUM (ANALYZE) proposal;
VACUUM (ANALYZE) match;
VACUUM (ANALYZE) use_request;
VACUUM (ANALYZE) interim_use;
"""

COUNTS = """
SELECT (SELECT count(*) FROM unit), (SELECT count(*) FROM building),
       (SELECT count(*) FROM vacancy_period),
       (SELECT count(*) FROM vacancy_period WHERE ended_on IS NULL AND state IN
           ('vacant', 'partly_vacant')),
       (SELECT count(*) FROM contact_case), (SELECT count(*) FROM contact_event),
       (SELECT count(*) FROM proposal), (SELECT count(*) FROM match),
       (SELECT count(*) FROM use_request), (SELECT count(*) FROM interim_use)
"""
COUNT_NAMES = ("units", "buildings", "periods", "vacant now", "cases", "events", "ideas",
               "matches", "requests", "interim uses")  # fmt: skip


def scopes(conn) -> dict[str, dict]:
    """The measured scopes as the page's query arguments: the town, one Ortsteil, one focus area."""
    district = conn.execute("SELECT id FROM district WHERE name = 'Ballenstedt'").fetchone()[0]
    focus = conn.execute("SELECT id FROM focus_area WHERE name = 'Schlossallee'").fetchone()[0]
    return {
        "Stadt": {},
        "Ortsteil": {"district_id": str(district)},
        "Allee": {"focus_area_id": str(focus)},
    }


def page_filters(session, args: dict):
    """Scope, period and Stichtag exactly as GET /verwaltung/statistik parses ``args`` (its
    defaults: today, the last 20 quarters)."""
    from sqlalchemy import select

    from leerstand.dates import local_today
    from leerstand.models import District, FocusArea, Municipality
    from leerstand.views.staff.statistics import filters

    town = session.scalar(select(Municipality.id).order_by(Municipality.id).limit(1))
    district_ids = set(session.scalars(select(District.id).where(District.municipality_id == town)))
    focus_ids = set(session.scalars(select(FocusArea.id).where(FocusArea.municipality_id == town)))
    f = filters.parse(args, town, district_ids, focus_ids, local_today())
    assert not f.errors, f.errors
    return f


def recorded_statements(engine, call) -> list[tuple[str, str, dict]]:
    """(label, text, parameters as the driver gets them) of each statement ``call()`` runs; the
    label is the statistics function that ran it (the outermost one below ``dashboard``)."""
    from sqlalchemy import event

    seen: list[tuple[str, str, dict]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        names = [
            frame.name
            for frame in traceback.extract_stack()
            if "services/statistics/" in frame.filename and frame.name != "dashboard"
        ]
        seen.append((names[0] if names else "?", statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def elapsed_ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def median_ms(fn) -> float:
    """Median of ``runs_for`` calls of ``fn`` (after the caller's warm-up)."""
    return statistics.median(elapsed_ms(fn) for _ in range(runs_for(elapsed_ms(fn))))


def runs_for(ms: float) -> int:
    """BENCH_RUNS, fewer (at least 5) when one call is slow: about 30 s per scope."""
    return max(5, min(benchdb.RUNS, int(30_000 / max(2 * ms, 1)) - 6))


def measure_service(app, conn, n: int, explain: bool) -> list[dict]:
    """Per scope: the dashboard (service) against its statements run bare, and each statement."""
    from leerstand.db import db
    from leerstand.services.statistics import dashboard

    rows = []
    with app.app_context():
        engine = db.session.get_bind()
        for name, args in scopes(conn).items():
            f = page_filters(db.session, args)

            def service(f=f):
                return dashboard(db.session, f.scope, f.period, f.day)

            statements = recorded_statements(engine, service)
            times: list[list[float]] = [[] for _ in statements]

            def bare(statements=statements, times=times):
                # one transaction, like the page's request: the service's SET LOCAL settings
                # (work_mem, jit) are among the recorded statements and hold for the rest
                with conn.transaction():
                    for (_label, sql, values), each in zip(statements, times, strict=True):
                        started = time.perf_counter()
                        cursor = conn.execute(sql, values)
                        if cursor.description is not None:
                            cursor.fetchall()
                        each.append((time.perf_counter() - started) * 1000)

            data = service()
            runs = runs_for(elapsed_ms(service))
            service_ms, bare_ms = medians_ms(service, bare, runs=runs)
            each = [(label, statistics.median(t[-runs:])) for (label, _s, _v), t in
                    zip(statements, times, strict=True)]  # fmt: skip
            rows.append({"n": n, "scope": name, "service": service_ms, "bare": bare_ms,
                         "statements": each, "vacant": data["now"]["units"]})  # fmt: skip
            say(
                f"  {name}: Dienst {service_ms:.1f} ms, SQL {bare_ms:.1f} ms "
                f"({len(statements)} Anweisungen, {runs} Läufe), {data['now']['units']} leer "
                f"am {f.day}, Zeitraum {f.period.start}–{f.period.end}"
            )
            if explain and name == "Stadt":
                explain_slowest(conn, each, statements)
            db.session.rollback()
    return rows


def explain_slowest(conn, each, statements, count: int = 3) -> None:
    slowest = sorted(zip(each, statements, strict=True), key=lambda x: -x[0][1])
    for (label, ms), (_label, sql, values) in slowest[:count]:
        say(f"\nEXPLAIN (ANALYZE, BUFFERS) {label} ({ms:.1f} ms):")
        plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, values)
        say("\n".join(r[0] for r in plan))


# --- HTTP against gunicorn ------------------------------------------------------------------


def measure_http(port: int, cookie: str, conn) -> dict[str, float]:
    """Median ms of GET /verwaltung/statistik for the town and the Ortsteil, after a warm-up of
    every worker (``WARM_UP`` requests; 6 when one takes over a second, to bound the run)."""
    times = {}
    for name, args in list(scopes(conn).items())[:2]:
        path = PAGE + ("?" + urlencode(args) if args else "")

        def get(path=path):
            status, _headers, body = benchdb.request(port, "GET", path, cookie)
            assert status == 200 and b"<table" in body, f"{path}: HTTP {status}: {body[:300]!r}"

        first = elapsed_ms(get)
        for _ in range(WARM_UP if first < 1000 else 6):
            get()
        times[name] = median_ms(get)
        say(f"  HTTP {name}: {times[name]:.1f} ms")
    return times


# --- the run ----------------------------------------------------------------------------------


def report(rows: list[dict], pages: dict) -> None:
    say("\n  units  scope      service ms   SQL ms  ratio  HTTP ms  vacant  statements")
    for r in rows:
        page = pages.get((r["n"], r["scope"]))
        shown = f"{page:>8.1f}" if page is not None else "       –"
        say(
            f"{r['n']:>7}  {r['scope']:<9} {r['service']:>11.1f} {r['bare']:>8.1f} "
            f"{r['service'] / r['bare']:>6.2f} {shown} {r['vacant']:>7}  {len(r['statements'])}"
        )
    say("\nPer statement (bare SQL, median ms):")
    for r in rows:
        parts = ", ".join(f"{label} {ms:.1f}" for label, ms in r["statements"])
        say(f"{r['n']:>7} {r['scope']:<9} {parts}")
    largest = max(r["n"] for r in rows)
    for r in rows:
        if r["n"] == largest:
            verdict = "erreicht" if r["service"] < GOAL_MS else "VERFEHLT"
            say(
                f"Ziel < {GOAL_MS} ms bei {largest} ({r['scope']}): {verdict} "
                f"({r['service']:.0f} ms)"
            )


VISIBLE = ("vacancy_run", "vacancy_period", "contact_case", "contact_event", "match", "unit")


def fill(conn, n: int) -> None:
    """Fill for ``n`` units; print the rows made and the machine's load (figures on a shared
    machine vary with it)."""
    benchdb.fill(URL, FILL, n)
    for table in VISIBLE:  # again, now that nothing else runs: the fill's VACUUM may have been
        conn.execute(f"VACUUM {table}")  # kept from marking pages by a snapshot still open then
    visible = conn.execute(
        "SELECT round(100.0 * sum(relallvisible) / sum(relpages)) FROM pg_class"
        " WHERE relname = ANY(%s)",
        [list(VISIBLE)],
    ).fetchone()[0]
    say(f"  {visible} % der Seiten als sichtbar markiert (Index-only-Scans)")
    counts = conn.execute(COUNTS).fetchone()
    say("  " + ", ".join(f"{c} {what}" for what, c in zip(COUNT_NAMES, counts, strict=True)))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    say(f"  Last (1/5/15 min) {load} bei {os.cpu_count()} Kernen")


def ensure_account(app) -> None:
    """The staff account (role analyst) the HTTP measurement logs in with."""
    from sqlalchemy import select

    from leerstand.db import db
    from leerstand.models import Municipality, User

    with app.app_context():
        if db.session.scalar(select(User.id).where(User.email == EMAIL)) is None:
            town = db.session.scalar(select(Municipality.id).order_by(Municipality.id).limit(1))
            user = User(municipality_id=town, email=EMAIL, name="Statistik", role="analyst")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()


def main() -> None:
    parser = benchdb.arguments(__doc__, [10_000, 100_000])
    parser.add_argument(
        "--sizes", dest="more_sizes", nargs="+", type=int, metavar="N", help="as the positional"
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest statements")
    parser.add_argument("--no-http", action="store_true", help="skip gunicorn")
    args = parser.parse_args()
    sizes = args.more_sizes or args.sizes
    benchdb.create_database(URL)
    app = create_app({"DATABASE_URL": URL, "TILE_URL": "", "LEERSTAND_ENV": "development"})
    benchdb.migrate_and_base(app, base_rows)
    ensure_account(app)
    port = benchdb.free_port()
    server = (
        None
        if args.no_http
        else benchdb.start_gunicorn(URL, port, lambda: benchdb.request(port, "GET", "/login"))
    )
    rows, pages = [], {}
    try:
        with psycopg.connect(benchdb.plain(URL), autocommit=True) as conn:
            cookie = benchdb.log_in(port, EMAIL, PASSWORD) if server else ""
            for n in sizes:
                say(f"Größe {n}:")
                fill(conn, n)
                rows += measure_service(app, conn, n, args.explain)
                if server:
                    for name, ms in measure_http(port, cookie, conn).items():
                        pages[(n, name)] = ms
    finally:
        if server:
            server.terminate()
            server.wait(10)
    report(rows, pages)


if __name__ == "__main__":
    main()
