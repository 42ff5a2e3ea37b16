"""What every statistic is about: the ``Scope`` (a municipality, optionally one Ortsteil, one
focus area, one kind of unit), the ``Period`` (inclusive local dates), the definition of vacant
(``VACANT``) and the SQL pieces that put a scope into a statement.

The statements are in psycopg's ``%(name)s`` style and run on the session's connection as they
are (scripts/bench_stats.py times the same text bare). Scope filters are written into the SQL
only when set, so PostgreSQL plans each statement for the filters it really has (no
``%(x)s IS NULL OR …``). Timestamps count on their local day (``leerstand.dates.LOCAL_TZ``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from leerstand.dates import LOCAL_TZ

VACANT = ("vacant", "partly_vacant")
# The same as a SQL list, written into statements (constants, never user input).
VACANT_SQL = "(" + ", ".join(f"'{state}'" for state in VACANT) + ")"


@dataclass(frozen=True)
class Scope:
    municipality_id: int
    district_id: int | None = None
    focus_area_id: int | None = None
    kind: str | None = None

    @property
    def narrowed(self) -> bool:
        """True when the scope is less than the whole municipality."""
        return any(v is not None for v in (self.district_id, self.focus_area_id, self.kind))


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (local dates)."""

    start: date
    end: date


def local_day(column: str) -> str:
    """SQL for the local calendar day of a timestamptz column."""
    return f"({column} AT TIME ZONE %(tz)s)::date"


def building_filter(scope: Scope, building: str = "b") -> str:
    """SQL conditions (each starting with AND) that keep the buildings of the scope's Ortsteil and
    focus area; an unknown focus area (or one of another town) keeps nothing."""
    sql = ""
    if scope.district_id is not None:
        sql += f" AND {building}.district_id = %(district_id)s"
    if scope.focus_area_id is not None:
        sql += (
            " AND ST_Intersects((SELECT fa.area FROM focus_area fa WHERE fa.id = %(focus_area_id)s"
            f" AND fa.municipality_id = %(town)s), {building}.location)"
        )
    return sql


def unit_filter(scope: Scope, unit: str = "u", building: str = "b") -> str:
    """``building_filter`` plus the kind of unit; ``unit`` must be joined to ``building``."""
    sql = building_filter(scope, building)
    if scope.kind is not None:
        sql += f" AND {unit}.kind = %(kind)s"
    return sql


def scoped_units(scope: Scope) -> str:
    """A subquery: the id of every unit of the scope."""
    return f"""SELECT u.id FROM unit u JOIN building b ON b.id = u.building_id
        WHERE u.municipality_id = %(town)s{unit_filter(scope)}"""


def params(scope: Scope, period: Period | None = None, **more) -> dict:
    """The parameters of a statement about ``scope`` (and ``period``)."""
    values = {
        "town": scope.municipality_id,
        "district_id": scope.district_id,
        "focus_area_id": scope.focus_area_id,
        "kind": scope.kind,
        "tz": LOCAL_TZ.key,
    }
    if period is not None:
        values.update(start=period.start, end=period.end)
    values.update(more)
    return values


def rows(session: Session, sql: str, values: dict) -> list[dict]:
    """Run one statement; its rows as plain dicts."""
    result = session.connection().exec_driver_sql(sql, values).mappings()
    return [dict(row) for row in result]


def year_before(day: date) -> date:
    """The same day a year earlier; 29 February → 28 February (as PostgreSQL's
    ``day - interval '1 year'``); in the year 1 the first day Python knows."""
    if day.year == 1:
        return date.min
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
