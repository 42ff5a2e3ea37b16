"""The dashboard's vacancy figures in one statement: vacant on a day and a year before, and the
quarters of a period, from the stored vacancies (``vacancy_run``): each day reads only the
vacancies lasting on it (``vacancy.day_rows_ctes``), the quarters count per day first. Same
results as ``vacancy_on`` twice and ``vacancy_quarters`` (tests/integration/
test_statistics_report.py compares them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from leerstand.services.statistics.scope import Period, Scope, params, rows
from leerstand.services.statistics.vacancy import (
    DAY_COLUMNS,
    QUARTER_SELECT,
    day_rows_ctes,
    quarter_ctes,
    vacancy_shape,
)

DAYS = ("now", "year_ago")
QUARTER_COLUMNS = "quarter, new, ended, vacant_at_end"


def vacancy_overview_sql(scope: Scope) -> str:
    nulls = ", ".join(["NULL"] * 9)
    days = "VALUES ('now', %(now)s::date), ('year_ago', %(year_ago)s::date)"
    return f"""WITH {day_rows_ctes(scope, days)},
        {quarter_ctes(scope, scoped=False)}, quarter_rows AS ({QUARTER_SELECT})
    SELECT 'day' AS part, which, {DAY_COLUMNS}, NULL::date AS quarter, NULL::int AS new,
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
