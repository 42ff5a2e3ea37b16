"""Vacancies carry their unit's kind and area, so the statistics need no join to ``unit``.

The Statistik page counts the vacancies lasting on two days by kind and sums their area: at
100,000 units that join to ``unit`` (a hash over every unit) cost about a third of the page's
time. ``vacancy_run.kind`` and ``area_m2`` are copied from the unit when the runs are computed
(``leerstand_vacancy_runs_of``) and follow every change of the unit's kind or area (trigger
``leerstand_vacancy_run_unit``); the index that finds the vacancies of a day carries them, so
the day's figures come from the index alone. The quarters count vacancies by the day they
ended: an index on ``(municipality_id, ended_on)``.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 04:05:00
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

VACANT = ("vacant", "partly_vacant")

RUNS_OF = f"""
CREATE OR REPLACE FUNCTION leerstand_vacancy_runs_of(p_units integer[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM vacancy_run WHERE unit_id = ANY(p_units);
    INSERT INTO vacancy_run (unit_id, municipality_id, started_on, ended_on, kind, area_m2)
    SELECT x.unit_id, min(x.municipality_id), min(x.started_on),
           CASE WHEN bool_or(x.ended_on IS NULL) THEN NULL ELSE max(x.ended_on) END,
           min(u.kind), min(u.area_m2)
    FROM (SELECT p.*, count(*) FILTER (WHERE p.opens) OVER (PARTITION BY p.unit_id
                     ORDER BY p.started_on ROWS UNBOUNDED PRECEDING) AS run
          FROM (SELECT vp.unit_id, vp.municipality_id, vp.started_on, vp.ended_on,
                       lag(vp.ended_on) OVER (PARTITION BY vp.unit_id ORDER BY vp.started_on)
                           IS DISTINCT FROM vp.started_on AS opens
                FROM vacancy_period vp
                WHERE vp.unit_id = ANY(p_units) AND vp.state IN {VACANT!r}) AS p) AS x
    JOIN unit u ON u.id = x.unit_id
    GROUP BY x.unit_id, x.run
$$
"""
FOLLOW = """
CREATE FUNCTION leerstand_vacancy_run_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE vacancy_run SET kind = NEW.kind, area_m2 = NEW.area_m2 WHERE unit_id = NEW.id;
    RETURN NULL;
END
$$
"""
FOLLOW_TRIGGER = """
CREATE TRIGGER leerstand_vacancy_run_unit AFTER UPDATE OF kind, area_m2 ON unit
FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.area_m2 IS DISTINCT FROM NEW.area_m2)
EXECUTE FUNCTION leerstand_vacancy_run_unit()
"""


def upgrade():
    op.execute(
        "ALTER TABLE vacancy_run ADD COLUMN kind varchar(20), ADD COLUMN area_m2 numeric(8, 1)"
    )
    op.execute(
        "UPDATE vacancy_run r SET kind = u.kind, area_m2 = u.area_m2 FROM unit u WHERE u.id = r.unit_id"
    )
    op.execute("ALTER TABLE vacancy_run ALTER COLUMN kind SET NOT NULL")
    op.execute(RUNS_OF)
    op.execute(FOLLOW)
    op.execute(FOLLOW_TRIGGER)
    op.execute("DROP INDEX vacancy_run_town")
    op.execute(
        "CREATE INDEX vacancy_run_town ON vacancy_run (municipality_id, started_on)"
        " INCLUDE (ended_on, unit_id, kind, area_m2)"
    )
    op.execute("CREATE INDEX vacancy_run_ended ON vacancy_run (municipality_id, ended_on)")


def downgrade():
    op.execute("DROP INDEX IF EXISTS vacancy_run_ended")
    op.execute("DROP INDEX IF EXISTS vacancy_run_town")
    op.execute("DROP TRIGGER IF EXISTS leerstand_vacancy_run_unit ON unit")
    op.execute("DROP FUNCTION IF EXISTS leerstand_vacancy_run_unit()")
    op.execute("ALTER TABLE vacancy_run DROP COLUMN kind, DROP COLUMN area_m2")
    op.execute(
        "CREATE INDEX vacancy_run_town ON vacancy_run (municipality_id, started_on)"
        " INCLUDE (ended_on, unit_id)"
    )
    op.execute(_runs_of_0013().replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))


def _runs_of_0013() -> str:
    """``leerstand_vacancy_runs_of`` as migration 0013 made it (read from that file)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("0013_vacancy_runs.py")
    spec = importlib.util.spec_from_file_location("m0013", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RUNS_OF
