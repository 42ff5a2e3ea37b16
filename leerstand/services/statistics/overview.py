"""The dashboard's vacancy figures in one statement: vacant on a day and a year before, and the
quarters of a period, from the stored vacancies (``vacancy_run``): each day reads only the
vacancies lasting on it, the quarters count per day first. Same results as ``vacancy_on``
twice and ``vacancy_quarters`` (tests/integration/test_statistics_report.py compares them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from leerstand.services.statistics.scope import Period, Scope, params, rows
from leerstand.services.statistics.vacancy import (
    QUARTER_SELECT,
    figures,
    quarter_ctes,
    running_on,
    runs_from,
    scoped_cte,
    vacancy_shape,
)

DAYS = ("now", "year_ago")
QUARTER_COLUMNS = "quarter, new, ended, vacant_at_end"
FIGURE_COLUMNS = 'total, kind, units, area_m2, median_days, under_1, "1_3", "3_5", over_5'


def vacancy_overview_sql(scope: Scope) -> str:
    nulls = ", ".join(["NULL"] * 9)
    # per day: the totals with medians and bands, and per kind only counts and area (hashed,
    # no sort), from the vacancies of both days read once
    no_figures = "NULL::float8, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint"
    return f"""WITH {scoped_cte(scope)} on_days AS MATERIALIZED (
        SELECT d.which, d.day, vp.kind, vp.area_m2, vp.started_on
        FROM (VALUES ('now', %(now)s::date), ('year_ago', %(year_ago)s::date)) AS d (which, day)
        CROSS JOIN LATERAL (SELECT vp.kind, vp.area_m2, vp.started_on
            FROM {runs_from(scope)}{running_on("d.day")}) AS vp
    ), day_rows AS (
        SELECT o.which, true AS total, NULL::text AS kind, {figures("o.day")}
        FROM on_days o GROUP BY o.which, o.day
        UNION ALL
        SELECT o.which, false, o.kind, count(*), coalesce(sum(o.area_m2), 0)::float8,
               {no_figures}
        FROM on_days o GROUP BY o.which, o.kind
    ), {quarter_ctes(scope, scoped=False)}, quarter_rows AS ({QUARTER_SELECT})
    SELECT 'day' AS part, which, {FIGURE_COLUMNS}, NULL::date AS quarter, NULL::int AS new,
           NULL::int AS ended, NULL::int AS vacant_at_end FROM day_rows
    UNION ALL
    SELECT 'quarter', NULL, {nulls}, {QUARTER_COLUMNS} FROM quarter_rows
    ORDER BY part, which, total DESC, kind, quarter"""


def vacancy_overview(
    session: Session, scope: Scope, period: Period, day: date, year_ago: date
) -> dict:
    """{"now": vacancy_on(day), "year_ago": vacancy_on(year_ago), "quarters":
    vacancy_quarters(period)} in one statement."""
    found = rows(
        session, vacancy_overview_sql(scope), params(scope, period, now=day, year_ago=year_ago)
    )
    quarters = [
        {key: row[key] for key in ("quarter", "new", "ended", "vacant_at_end")}
        for row in found
        if row["part"] == "quarter"
    ]
    by_day = {d: [row for row in found if row["which"] == d] for d in DAYS}
    return {"now": vacancy_shape(by_day["now"]), "year_ago": vacancy_shape(by_day["year_ago"]),
            "quarters": quarters}  # fmt: skip
