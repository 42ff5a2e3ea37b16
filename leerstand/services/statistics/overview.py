"""The dashboard's vacancy figures in one statement: vacant on a day and a year before, and the
quarters of a period, from ONE read of the stored vacancies (``vacancy.runs_sql``) instead of
three. Same results as ``vacancy_on`` twice and
``vacancy_quarters`` (tests/integration/test_statistics_report.py compares them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from leerstand.services.statistics.scope import Period, Scope, params, rows
from leerstand.services.statistics.vacancy import (
    QUARTER_CTES,
    QUARTER_SELECT,
    figures,
    runs_sql,
    vacancy_shape,
)

DAYS = ("now", "year_ago")
QUARTER_COLUMNS = "quarter, new, ended, vacant_at_end"
FIGURE_COLUMNS = 'total, kind, units, area_m2, median_days, under_1, "1_3", "3_5", over_5'


def vacancy_overview_sql(scope: Scope) -> str:
    nulls = ", ".join(["NULL"] * 9)
    last = "greatest(%(now)s::date, %(year_ago)s::date, %(end)s::date)"
    return f"""WITH {runs_sql(scope, f"AND vp.started_on <= {last}")},
    {QUARTER_CTES}, on_days AS (
        SELECT d.which, d.day, r.unit_id, r.run_start AS started_on
        FROM runs r JOIN (VALUES ('now', %(now)s::date), ('year_ago', %(year_ago)s::date))
            AS d (which, day)
            ON r.started_on <= d.day AND (r.ended_on IS NULL OR r.ended_on > d.day)
    ), day_rows AS (
        SELECT o.which, grouping(u.kind) = 1 AS total, u.kind, {figures("o.day")}
        FROM on_days o JOIN unit u ON u.id = o.unit_id
        GROUP BY o.which, o.day, ROLLUP (u.kind)
    ), quarter_rows AS ({QUARTER_SELECT})
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
