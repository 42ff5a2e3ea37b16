"""Vacancies as stored runs: one row per vacancy of a unit, kept from ``vacancy_period``.

A vacancy is a run of consecutive vacant periods of one unit (``vacant`` → ``partly_vacant``
without a gap is one vacancy). The statistics need the runs (how long has a unit been vacant on
day D, how many vacancies started or ended in a quarter); finding them with window functions
over all periods at every request cost more than half of the dashboard's time at 100,000 units.
``vacancy_run(unit_id, municipality_id, started_on, ended_on)`` holds them, ``ended_on`` NULL
for a vacancy that lasts today.

Statement-level triggers on ``vacancy_period`` (insert, update, delete; with transition tables)
recompute the runs of exactly the units a statement touched, with one gaps-and-islands query
(``leerstand_vacancy_runs_of``): a change made through the unit trigger of 0012, a bulk insert
of a benchmark and a period inserted by hand in a test all keep the runs right.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 03:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

VACANT = ("vacant", "partly_vacant")

TABLE = """
CREATE TABLE vacancy_run (
    id bigserial PRIMARY KEY,
    unit_id integer NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    municipality_id integer NOT NULL REFERENCES municipality(id),
    started_on date NOT NULL,
    ended_on date,
    CONSTRAINT ck_vacancy_run_order CHECK (ended_on IS NULL OR ended_on > started_on)
)
"""
INDEXES = (
    # the runs of one unit are recomputed after every change of its periods
    "CREATE INDEX vacancy_period_unit ON vacancy_period (unit_id, started_on)",
    "CREATE UNIQUE INDEX vacancy_run_unit ON vacancy_run (unit_id, started_on)",
    "CREATE INDEX vacancy_run_town ON vacancy_run (municipality_id, started_on)"
    " INCLUDE (ended_on, unit_id)",
)

RUNS_OF = f"""
CREATE FUNCTION leerstand_vacancy_runs_of(p_units integer[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM vacancy_run WHERE unit_id = ANY(p_units);
    INSERT INTO vacancy_run (unit_id, municipality_id, started_on, ended_on)
    SELECT unit_id, min(municipality_id), min(started_on),
           CASE WHEN bool_or(ended_on IS NULL) THEN NULL ELSE max(ended_on) END
    FROM (SELECT p.*, count(*) FILTER (WHERE p.opens) OVER (PARTITION BY p.unit_id
                     ORDER BY p.started_on ROWS UNBOUNDED PRECEDING) AS run
          FROM (SELECT vp.unit_id, vp.municipality_id, vp.started_on, vp.ended_on,
                       lag(vp.ended_on) OVER (PARTITION BY vp.unit_id ORDER BY vp.started_on)
                           IS DISTINCT FROM vp.started_on AS opens
                FROM vacancy_period vp
                WHERE vp.unit_id = ANY(p_units) AND vp.state IN {VACANT!r}) AS p) AS x
    GROUP BY unit_id, run
$$
"""

TRIGGER_FUNCTION = """
CREATE FUNCTION leerstand_vacancy_runs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    units integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT unit_id) INTO units FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT unit_id) INTO units FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT unit_id) INTO units
        FROM (SELECT unit_id FROM new_rows UNION SELECT unit_id FROM old_rows) AS both_rows;
    END IF;
    IF units IS NOT NULL THEN
        PERFORM leerstand_vacancy_runs_of(units);
    END IF;
    RETURN NULL;
END
$$
"""
TRIGGERS = (
    """CREATE TRIGGER leerstand_vacancy_runs_insert AFTER INSERT ON vacancy_period
       REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION leerstand_vacancy_runs()""",
    """CREATE TRIGGER leerstand_vacancy_runs_update AFTER UPDATE ON vacancy_period
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION leerstand_vacancy_runs()""",
    """CREATE TRIGGER leerstand_vacancy_runs_delete AFTER DELETE ON vacancy_period
       REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION leerstand_vacancy_runs()""",
)


def upgrade():
    op.execute(TABLE)
    for statement in INDEXES:
        op.execute(statement)
    op.execute(RUNS_OF)
    op.execute(TRIGGER_FUNCTION)
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute("SELECT leerstand_vacancy_runs_of(array_agg(id)) FROM unit")


def downgrade():
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS leerstand_vacancy_runs_{name} ON vacancy_period")
    op.execute("DROP FUNCTION IF EXISTS leerstand_vacancy_runs()")
    op.execute("DROP FUNCTION IF EXISTS leerstand_vacancy_runs_of(integer[])")
    op.execute("DROP TABLE IF EXISTS vacancy_run")
