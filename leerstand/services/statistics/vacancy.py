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


def lasting_on(scope: Scope, day: str) -> str:
    """Rows (kind, area_m2, started_on) of the scope's vacancies lasting on the SQL date ``day``.
    For the whole town the open ones (a partial index holds them) and those ending after
    ``day`` (an index by end day), so no vacancy that ended before ``day`` is read; a narrowed
    scope reads its ``scoped_runs`` once."""
    columns = "SELECT vp.kind, vp.area_m2, vp.started_on FROM"
    if scope.narrowed:
        return f"""{columns} {runs_from(scope)} AND vp.started_on <= {day}
            AND (vp.ended_on IS NULL OR vp.ended_on > {day})"""
    return f"""{columns} {runs_from(scope)} AND vp.ended_on IS NULL AND vp.started_on <= {day}
        UNION ALL
        {columns} {runs_from(scope)} AND vp.ended_on > {day} AND vp.started_on <= {day}"""


def _band(low: str | None, high: str | None) -> str:
    """The vacancies of rows ``s`` (n per start day) that started after ``day`` − ``low`` and
    on or before ``day`` − ``high`` (None: no bound)."""
    bounds = [f"s.started_on > s.day - interval '{low}'" if low else "",
              f"s.started_on <= s.day - interval '{high}'" if high else ""]  # fmt: skip
    return f"coalesce(sum(s.n) FILTER (WHERE {' AND '.join(b for b in bounds if b)}), 0)::bigint"


# The median of the durations (day − start) from their histogram: the mean of the two middle
# values (one when the count is odd), each the smallest duration whose running count passes its
# place, as percentile_cont(0.5) interpolates.
MEDIAN = """((min(s.day - s.started_on) FILTER (WHERE s.upto > (s.all_n - 1) / 2)
             + min(s.day - s.started_on) FILTER (WHERE s.upto > s.all_n / 2)) / 2.0)::float8"""
NO_FIGURES = "NULL::float8, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint"


def day_rows_ctes(scope: Scope, days: str) -> str:
    """The CTEs up to ``day_rows`` (columns ``which`` and ``DAY_COLUMNS``): for each day of
    ``days`` (SQL rows (which, day)) its totals with the median duration and the bands, and
    per kind its units and area. The vacancies lasting on a day are counted per kind and start
    day in one hashed pass; medians and bands come from the few thousand start days."""
    return f"""{scoped_cte(scope)} lasting AS (
        SELECT d.which, d.day, v.kind, v.started_on, count(*) AS n, sum(v.area_m2) AS area
        FROM ({days}) AS d (which, day) CROSS JOIN LATERAL ({lasting_on(scope, "d.day")}) AS v
        GROUP BY d.which, d.day, v.kind, v.started_on
    ), starts AS (
        SELECT which, day, started_on, sum(n)::bigint AS n, sum(area) AS area,
               sum(sum(n)) OVER (PARTITION BY which ORDER BY started_on DESC)::bigint AS upto,
               sum(sum(n)) OVER (PARTITION BY which)::bigint AS all_n
        FROM lasting GROUP BY which, day, started_on
    ), day_rows AS (
        SELECT s.which, true AS total, NULL::text AS kind, sum(s.n)::bigint AS units,
               coalesce(sum(s.area), 0)::float8 AS area_m2, {MEDIAN} AS median_days,
               {_band("1 year", None)} AS under_1, {_band("3 years", "1 year")} AS "1_3",
               {_band("5 years", "3 years")} AS "3_5", {_band(None, "5 years")} AS over_5
        FROM starts s GROUP BY s.which, s.day
        UNION ALL
        SELECT which, false, kind, sum(n)::bigint, coalesce(sum(area), 0)::float8, {NO_FIGURES}
        FROM lasting GROUP BY which, kind
    )"""


DAY_COLUMNS = 'total, kind, units, area_m2, median_days, under_1, "1_3", "3_5", over_5'


def vacancy_on_sql(scope: Scope) -> str:
    """Totals (kind NULL) and one row per kind of the units vacant on %(day)s, each counted
    from the start of its vacancy. Only the vacancies lasting on that day are read."""
    days = "VALUES ('day', %(day)s::date)"
    return f"""WITH {day_rows_ctes(scope, days)}
    SELECT {DAY_COLUMNS} FROM day_rows ORDER BY total DESC, kind"""


def vacancy_shape(found: list[dict]) -> dict:
    """The rows of ``day_rows`` by kind plus their total (``total``) as ``vacancy_on`` returns
    them; no rows: nothing vacant."""
    total = next((row for row in found if row["total"]), None)
    if total is None:  # no vacant unit: no rows
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
