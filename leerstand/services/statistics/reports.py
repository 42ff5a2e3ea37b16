"""Citizens' reports (Leerstandsmeldungen) as a source of vacancies, for a scope and period (one
SQL statement): reports received in the period (local days of ``created_at``), decided in it
as accepted / merged / rejected (``decided_at``), open at its end, and the units made from an
accepted report (the report→unit link) that are vacant on the period's last day.

A report has no building: the scope's Ortsteil and focus area are matched by the reported
point (``ST_Intersects`` with their areas), its kind by the reported kind; the vacancies by
their unit's building and kind like every other vacancy figure."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leerstand.services.statistics.scope import (
    VACANT_SQL,
    Period,
    Scope,
    params,
    rows,
    unit_filter,
)

IN_PERIOD = """{column} >= (%(start)s::date::timestamp AT TIME ZONE %(tz)s)
    AND {column} < ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"""
AFTER_END = "{column} >= ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"


def report_filter(scope: Scope) -> str:
    """SQL conditions (each starting with AND) keeping the reports ``r`` of the scope."""
    sql = ""
    if scope.district_id is not None:
        sql += """ AND ST_Intersects((SELECT d.boundary FROM district d
            WHERE d.id = %(district_id)s AND d.municipality_id = %(town)s), r.location)"""
    if scope.focus_area_id is not None:
        sql += """ AND ST_Intersects((SELECT fa.area FROM focus_area fa
            WHERE fa.id = %(focus_area_id)s AND fa.municipality_id = %(town)s), r.location)"""
    if scope.kind is not None:
        sql += " AND r.kind = %(kind)s"
    return sql


def reports_sql(scope: Scope) -> str:
    received = IN_PERIOD.format(column="r.created_at")
    decided = IN_PERIOD.format(column="r.decided_at")
    open_at_end = (
        f"NOT ({AFTER_END.format(column='r.created_at')}) AND (r.decided_at IS NULL OR "
        f"{AFTER_END.format(column='r.decided_at')})"
    )
    return f"""SELECT
        count(*) FILTER (WHERE {received}) AS received,
        count(*) FILTER (WHERE r.status = 'accepted' AND {decided}) AS accepted,
        count(*) FILTER (WHERE r.status = 'merged' AND {decided}) AS merged,
        count(*) FILTER (WHERE r.status = 'rejected' AND {decided}) AS rejected,
        count(*) FILTER (WHERE {open_at_end}) AS open,
        (SELECT count(DISTINCT p.unit_id) FROM vacancy_period p
         JOIN vacancy_report a ON a.unit_id = p.unit_id AND a.status = 'accepted'
         JOIN unit u ON u.id = p.unit_id JOIN building b ON b.id = u.building_id
         WHERE p.municipality_id = %(town)s{unit_filter(scope)}
           AND p.state IN {VACANT_SQL} AND p.started_on <= %(end)s
           AND (p.ended_on IS NULL OR p.ended_on > %(end)s)) AS vacant_from_reports
    FROM vacancy_report r
    WHERE r.municipality_id = %(town)s{report_filter(scope)}"""


def citizen_reports(session: Session, scope: Scope, period: Period) -> dict:
    """{"received", "accepted", "merged", "rejected", "open", "vacant_from_reports"} (ints)."""
    (found,) = rows(session, reports_sql(scope), params(scope, period))
    return {key: int(value or 0) for key, value in found.items()}
