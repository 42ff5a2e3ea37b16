"""Vacancy over time, from the vacancies of ``vacancy_run``: how many units (and m²) were vacant
on a day, how long they had been vacant (median, bands), and new and ended vacancies per quarter.

A vacancy is a run of consecutive vacant periods of one unit (vacant → partly vacant without a
gap is one vacancy); the database keeps them in ``vacancy_run`` from the periods (gaps and
islands with window functions, migration 0013), so no request recomputes them. Its duration on
day D is D − the run's start in days. Every function is one SQL statement."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from leerstand.services.statistics.scope import (
    Period,
    Scope,
    params,
    rows,
    scoped_units,
)

BANDS = ("under_1", "1_3", "3_5", "over_5")


def scoped_cte(scope: Scope) -> str:
    """``scoped_runs``: the vacancies of a narrowed scope, read once per statement (a hash of the
    scope's units, probed by every vacancy of the town), with a trailing comma for the start of
    a WITH list; "" for the whole town, which reads ``vacancy_run`` by index instead."""
    if not scope.narrowed:
        return ""
    return f"""scoped_runs AS MATERIALIZED (
        SELECT vp.* FROM vacancy_run vp
        WHERE vp.municipality_id = %(town)s AND vp.unit_id IN ({scoped_units(scope)})),"""


def runs_from(scope: Scope) -> str:
    """``FROM`` … ``WHERE`` of the scope's vacancies (alias ``vp``): ``vacancy_run`` (kept by the
    database from the periods, migrations 0013 and 0015), or ``scoped_runs`` for a narrowed scope
    (callers put ``scoped_cte`` at the start of their WITH list); callers add ``AND …``."""
    if scope.narrowed:
        return "scoped_runs vp WHERE true"
    return "vacancy_run vp WHERE vp.municipality_id = %(town)s"


def running_on(day: str) -> str:
    """The condition (starting with AND) that a vacancy ``vp`` lasts on the SQL date ``day``."""
    return f" AND vp.started_on <= {day} AND (vp.ended_on IS NULL OR vp.ended_on > {day})"


def figures(day: str) -> str:
    """The select list of the vacancy figures of rows (kind, area_m2, started_on) vacant on the
    SQL date ``day``: units, area, median days and the duration bands."""
    return f"""count(*) AS units, coalesce(sum(area_m2), 0)::float8 AS area_m2,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY {day} - started_on) AS median_days,
           count(*) FILTER (WHERE started_on > ({day} - interval '1 year')) AS under_1,
           count(*) FILTER (WHERE started_on <= ({day} - interval '1 year')
                              AND started_on > ({day} - interval '3 years')) AS "1_3",
           count(*) FILTER (WHERE started_on <= ({day} - interval '3 years')
                              AND started_on > ({day} - interval '5 years')) AS "3_5",
           count(*) FILTER (WHERE started_on <= ({day} - interval '5 years')) AS over_5"""


def vacancy_on_sql(scope: Scope) -> str:
    """Totals (kind NULL) and one row per kind of the units vacant on %(day)s, each counted
    from the start of its vacancy. Only the vacancies lasting on that day are read."""
    with_scoped = f"WITH {scoped_cte(scope).rstrip(',')}" if scope.narrowed else ""
    return f"""{with_scoped} SELECT grouping(s.kind) = 1 AS total, s.kind,
        {figures("%(day)s::date")}
    FROM (SELECT vp.kind, vp.area_m2, vp.started_on
          FROM {runs_from(scope)}{running_on("%(day)s::date")}) AS s
    GROUP BY ROLLUP (s.kind) ORDER BY total DESC, s.kind"""


def vacancy_shape(found: list[dict]) -> dict:
    """The rows of ``figures`` by kind plus their total (``total``) as ``vacancy_on`` returns
    them; no rows: nothing vacant."""
    total = next((row for row in found if row["total"]), None)
    if total is None:  # no vacant unit: ROLLUP returns no rows
        return {"units": 0, "area_m2": 0.0, "by_kind": [], "median_days": None,
                "bands": dict.fromkeys(BANDS, 0)}  # fmt: skip
    return {
        "units": total["units"],
        "area_m2": total["area_m2"],
        "by_kind": [
            {"kind": row["kind"], "units": row["units"], "area_m2": row["area_m2"]}
            for row in found
            if not row["total"]
        ],
        "median_days": total["median_days"],
        "bands": {band: total[band] for band in BANDS},
    }


def vacancy_on(session: Session, scope: Scope, day: date) -> dict:
    """The units of ``scope`` vacant on ``day``: count, area (m², units without an area count 0),
    per kind of unit, the median duration in days (None: none vacant) and the duration bands
    ("under_1": started less than a year before, "1_3", "3_5", "over_5": five years or more)."""
    return vacancy_shape(rows(session, vacancy_on_sql(scope), params(scope, day=day)))


# Per quarter (NULL: before %(start)s) the vacancies that start and end by %(end)s, counted per
# day first (a few thousand days instead of every vacancy), and the period's quarters.
QUARTER = "CASE WHEN {day} < %(start)s THEN NULL ELSE date_trunc('quarter', {day})::date END"


def quarter_ctes(scope: Scope, scoped: bool = True) -> str:
    """The CTEs ``scoped`` (a narrowed scope; not with ``scoped=False``: the caller has it),
    ``per_day``, ``per_quarter`` and ``quarters``."""
    return f"""{scoped_cte(scope) if scoped else ""} per_day AS (
        SELECT vp.started_on AS day, count(*) AS new, 0::bigint AS ended
        FROM {runs_from(scope)} AND vp.started_on <= %(end)s GROUP BY vp.started_on
        UNION ALL
        SELECT vp.ended_on, 0, count(*)
        FROM {runs_from(scope)} AND vp.ended_on <= %(end)s GROUP BY vp.ended_on
    ), per_quarter AS (
        SELECT {QUARTER.format(day="day")} AS quarter, sum(new) AS new, sum(ended) AS ended,
               sum(new) - sum(ended) AS net
        FROM per_day GROUP BY 1
    ), quarters AS (
        SELECT g::date AS quarter FROM generate_series(
            date_trunc('quarter', %(start)s::date), %(end)s::date, interval '3 months') AS g
            WHERE %(start)s::date <= %(end)s::date
    )"""


QUARTER_SELECT = """SELECT q.quarter, coalesce(p.new, 0)::int AS new,
           coalesce(p.ended, 0)::int AS ended,
           ((SELECT coalesce(sum(net), 0) FROM per_quarter WHERE quarter IS NULL)
            + sum(coalesce(p.net, 0)) OVER (ORDER BY q.quarter))::int AS vacant_at_end
    FROM quarters q LEFT JOIN per_quarter p ON p.quarter = q.quarter"""


def vacancy_quarters_sql(scope: Scope) -> str:
    """Per quarter touching the period: vacancies starting / ending in it (clipped to the period)
    and the units vacant on its last day within the period (a running sum over both)."""
    return f"""WITH {quarter_ctes(scope)} {QUARTER_SELECT} ORDER BY q.quarter"""


def vacancy_quarters(session: Session, scope: Scope, period: Period) -> list[dict]:
    """Every quarter of ``period`` (``quarter`` is its first day, even when the period starts
    later): vacancies that started ("new") and ended ("ended": the first day no longer vacant)
    within the period's part of the quarter, and the units vacant on the last day of that part
    ("vacant_at_end"). An empty list when the period ends before it starts."""
    return rows(session, vacancy_quarters_sql(scope), params(scope, period))
