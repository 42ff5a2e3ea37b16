"""Vacancy history: every state of a unit as a period (state, from, to), from the start of the data.

``vacancy_period`` holds, per unit, contiguous periods ``[started_on, ended_on)`` that never
overlap (an exclusion constraint); today's state is the one open period (``ended_on IS NULL``,
at most one per unit). "How many units were vacant on day D" is then one query:
``started_on <= D AND (ended_on IS NULL OR ended_on > D)``.

The trigger ``leerstand_vacancy_history`` keeps it in step with ``unit`` on every write path
(forms, imports, the demo, SQL by hand):

- a new unit opens its first period on ``vacant_since`` when it is vacant and the date is known
  (an import's "leer seit"), else on today;
- a change of ``vacancy_state`` ends the open period today and opens one with the new state; a
  second change on the same day replaces the first (no period of zero days); returning to the
  state of the period that ended today reopens that period;
- setting ``vacant_since`` of a vacant unit (with or without a change of state) moves the
  start of its vacancy to that date: earlier periods are cut back or replaced.

"Today" is the local day of ``leerstand.timezone`` (a setting; default Europe/Berlin, the
town's calendar like ``leerstand.dates``).

The history before this migration is derived from what the data allow: each unit starts on its
creation day in the state its first audited change left (or its state today), every audited
change of ``vacancy_state`` starts a period on its day, and ``vacant_since`` of a vacant unit
moves the start of its open period back.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STATES = ("vacant", "partly_vacant", "vacancy_expected", "interim_use", "occupied")
VACANT = ("vacant", "partly_vacant")
TZ = "Europe/Berlin"

TABLE = f"""
CREATE TABLE vacancy_period (
    id bigserial PRIMARY KEY,
    unit_id integer NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    municipality_id integer NOT NULL REFERENCES municipality(id),
    state varchar(20) NOT NULL CONSTRAINT ck_vacancy_period_state CHECK (state IN {STATES!r}),
    started_on date NOT NULL,
    ended_on date,
    CONSTRAINT ck_vacancy_period_order CHECK (ended_on IS NULL OR ended_on > started_on),
    CONSTRAINT vacancy_period_no_overlap
        EXCLUDE USING gist (unit_id WITH =, daterange(started_on, ended_on) WITH &&)
)
"""
INDEXES = (
    "CREATE UNIQUE INDEX vacancy_period_open ON vacancy_period (unit_id) WHERE ended_on IS NULL",
    "CREATE INDEX vacancy_period_town ON vacancy_period (municipality_id, state, started_on)",
    "CREATE INDEX vacancy_period_ended ON vacancy_period (municipality_id, ended_on)",
)

TODAY = f"""
CREATE FUNCTION leerstand_today() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (now() AT TIME ZONE
            coalesce(nullif(current_setting('leerstand.timezone', true), ''), '{TZ}'))::date
$$
"""

CHANGE = """
CREATE FUNCTION leerstand_vacancy_change(p_unit integer, p_town integer, p_state text, p_on date)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- from p_on the unit is in p_state: what started on or after p_on is replaced,
    DELETE FROM vacancy_period WHERE unit_id = p_unit AND started_on >= p_on;
    -- the period running on p_on ends there,
    UPDATE vacancy_period SET ended_on = p_on
     WHERE unit_id = p_unit AND (ended_on IS NULL OR ended_on > p_on);
    -- and the new state continues a period of the same state that ends on p_on.
    UPDATE vacancy_period SET ended_on = NULL
     WHERE unit_id = p_unit AND ended_on = p_on AND state = p_state;
    IF NOT FOUND THEN
        INSERT INTO vacancy_period (unit_id, municipality_id, state, started_on)
        VALUES (p_unit, p_town, p_state, p_on);
    END IF;
END
$$
"""

LATER = """
CREATE FUNCTION leerstand_vacancy_start_later(p_unit integer, p_on date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    old_start date;
BEGIN
    -- the vacancy began later than recorded: the period before it (if any) lasts until p_on
    SELECT started_on INTO old_start FROM vacancy_period
     WHERE unit_id = p_unit AND ended_on IS NULL;
    IF old_start IS NULL OR p_on <= old_start THEN
        RETURN;
    END IF;
    UPDATE vacancy_period SET started_on = p_on WHERE unit_id = p_unit AND ended_on IS NULL;
    UPDATE vacancy_period SET ended_on = p_on WHERE unit_id = p_unit AND ended_on = old_start;
END
$$
"""

TRIGGER_FUNCTION = f"""
CREATE FUNCTION leerstand_vacancy_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    today date := leerstand_today();
    vacant boolean := NEW.vacancy_state IN {VACANT!r};
    since date := CASE WHEN NEW.vacant_since <= today THEN NEW.vacant_since END;
    state_changed boolean;
    open_start date;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM leerstand_vacancy_change(NEW.id, NEW.municipality_id, NEW.vacancy_state,
            CASE WHEN vacant AND since IS NOT NULL THEN since ELSE today END);
        RETURN NULL;
    END IF;
    state_changed := NEW.vacancy_state IS DISTINCT FROM OLD.vacancy_state;
    IF vacant AND since IS NOT NULL AND NEW.vacant_since IS DISTINCT FROM OLD.vacant_since THEN
        SELECT started_on INTO open_start FROM vacancy_period
         WHERE unit_id = NEW.id AND ended_on IS NULL;
        IF NOT state_changed AND open_start IS NOT NULL AND since > open_start THEN
            PERFORM leerstand_vacancy_start_later(NEW.id, since);
        ELSE
            PERFORM leerstand_vacancy_change(NEW.id, NEW.municipality_id, NEW.vacancy_state, since);
        END IF;
    ELSIF state_changed THEN
        PERFORM leerstand_vacancy_change(NEW.id, NEW.municipality_id, NEW.vacancy_state, today);
    END IF;
    RETURN NULL;
END
$$
"""

TRIGGER = """
CREATE TRIGGER leerstand_vacancy_history
AFTER INSERT OR UPDATE OF vacancy_state, vacant_since ON unit
FOR EACH ROW EXECUTE FUNCTION leerstand_vacancy_history()
"""

# The history the data allow (see the module docstring): one row per unit and audited change.
UNITS = f"""
SELECT u.id, u.municipality_id, u.vacancy_state, u.vacant_since,
       (u.created_at AT TIME ZONE '{TZ}')::date AS created_on
FROM unit u ORDER BY u.id
"""
CHANGES = f"""
SELECT a.entity_id AS unit_id, (a.at AT TIME ZONE '{TZ}')::date AS day,
       a.changes -> 'vacancy_state' ->> 0 AS old, a.changes -> 'vacancy_state' ->> 1 AS new
FROM audit_event a
WHERE a.entity = 'unit' AND a.changes ? 'vacancy_state'
  AND jsonb_typeof(a.changes -> 'vacancy_state') = 'array'
ORDER BY a.entity_id, a.at, a.id
"""


def _periods(unit, changes: list, today) -> list[tuple]:
    """[(state, started_on, ended_on | None)] of one unit, contiguous, oldest first."""
    first_old = next((c.old for c in changes if c.old in STATES), None)
    start = min(unit.created_on, today)
    runs = [[first_old or unit.vacancy_state, start]]
    for change in changes:
        if change.new not in STATES:
            continue
        day = min(max(change.day, start), today)
        if runs[-1][1] >= day:  # the same day (or before the unit existed): replaces
            runs[-1] = [change.new, runs[-1][1]]
        else:
            runs.append([change.new, day])
    runs[-1][0] = unit.vacancy_state  # today's state is the truth
    since = unit.vacant_since
    if unit.vacancy_state in VACANT and since is not None and since < runs[-1][1]:
        runs = [run for run in runs[:-1] if run[1] < since] + [[unit.vacancy_state, since]]
    merged: list[list] = []
    for state, begin in runs:
        if merged and merged[-1][0] == state:
            continue
        merged.append([state, begin])
    ends = [begin for _state, begin in merged[1:]] + [None]
    return [(state, begin, end) for (state, begin), end in zip(merged, ends, strict=True)]


def _derive(bind) -> None:
    today = bind.execute(sa.text("SELECT leerstand_today()")).scalar()
    by_unit: dict[int, list] = {}
    for change in bind.execute(sa.text(CHANGES)):
        by_unit.setdefault(change.unit_id, []).append(change)
    rows = []
    for unit in bind.execute(sa.text(UNITS)):
        for state, begin, end in _periods(unit, by_unit.get(unit.id, []), today):
            rows.append({"u": unit.id, "m": unit.municipality_id, "s": state, "b": begin, "e": end})
    if rows:
        bind.execute(
            sa.text(
                "INSERT INTO vacancy_period (unit_id, municipality_id, state, started_on,"
                " ended_on) VALUES (:u, :m, :s, :b, :e)"
            ),
            rows,
        )


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(TABLE)
    for statement in INDEXES:
        op.execute(statement)
    op.execute(TODAY)
    op.execute(CHANGE)
    op.execute(LATER)
    _derive(op.get_bind())
    op.execute(TRIGGER_FUNCTION)
    op.execute(TRIGGER)


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS leerstand_vacancy_history ON unit")
    op.execute("DROP FUNCTION IF EXISTS leerstand_vacancy_history()")
    op.execute("DROP FUNCTION IF EXISTS leerstand_vacancy_start_later(integer, date)")
    op.execute("DROP FUNCTION IF EXISTS leerstand_vacancy_change(integer, integer, text, date)")
    op.execute("DROP FUNCTION IF EXISTS leerstand_today()")
    op.execute("DROP TABLE IF EXISTS vacancy_period")
