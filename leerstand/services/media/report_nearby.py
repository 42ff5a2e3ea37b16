"""What lies near a reported place: for the reporter before sending (``public_nearby``: public
units by the public rule and open reports within ``RADIUS_M``), and for staff
(``duplicates``: every unit of the town and every other report within ``RADIUS_M`` or at the
same address, with the distance in metres).

Distances are metres on the spheroid (``geography``), found with ``ST_DWithin`` on the GiST
expression indexes of ``building`` and ``vacancy_report``. The public answer holds only the
allowlisted fields of a public unit and, of an open report, its kind and street: never its
comment, photo, house number or anything about the reporter."""

from __future__ import annotations

from shapely.geometry import Point
from sqlalchemy.orm import Session

from leerstand.services.public.geojson import UNIT_IS_PUBLIC
from leerstand.spatial.geometry import from_db

RADIUS_M = 50

POINT = "ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography"

PUBLIC_UNITS_SQL = f"""
SELECT u.id, u.kind, b.street, b.house_number,
       round(ST_Distance(b.location::geography, {POINT}))::int AS distance_m
FROM unit u JOIN building b ON b.id = u.building_id
WHERE u.municipality_id = %(town)s
  AND ST_DWithin(b.location::geography, {POINT}, %(radius)s)
  AND {UNIT_IS_PUBLIC}
ORDER BY distance_m, u.id LIMIT 20"""

OPEN_REPORTS_SQL = f"""
SELECT r.id, r.kind, r.street,
       round(ST_Distance(r.location::geography, {POINT}))::int AS distance_m
FROM vacancy_report r
WHERE r.municipality_id = %(town)s AND r.status = 'new'
  AND ST_DWithin(r.location::geography, {POINT}, %(radius)s)
ORDER BY distance_m, r.id LIMIT 20"""

SAME_ADDRESS = """lower(trim({t}.street)) = lower(trim(%(street)s)) AND %(street)s <> ''
    AND lower(trim({t}.house_number)) = lower(trim(%(house_number)s))"""

STAFF_UNITS_SQL = f"""
SELECT u.id, u.name, u.kind, u.vacancy_state, b.id AS building_id, b.street, b.house_number,
       ({UNIT_IS_PUBLIC}) AS public,
       CASE WHEN %(lon)s::float8 IS NULL THEN NULL
            ELSE round(ST_Distance(b.location::geography, {POINT}))::int END AS distance_m,
       ({SAME_ADDRESS.format(t="b")}) AS same_address
FROM unit u JOIN building b ON b.id = u.building_id
WHERE u.municipality_id = %(town)s
  AND ((%(lon)s::float8 IS NOT NULL AND ST_DWithin(b.location::geography, {POINT}, %(radius)s))
       OR ({SAME_ADDRESS.format(t="b")}))
ORDER BY distance_m NULLS LAST, u.id LIMIT 50"""

STAFF_REPORTS_SQL = f"""
SELECT r.id, r.kind, r.status, r.street, r.house_number, r.created_at,
       CASE WHEN %(lon)s::float8 IS NULL OR r.location IS NULL THEN NULL
            ELSE round(ST_Distance(r.location::geography, {POINT}))::int END AS distance_m,
       ({SAME_ADDRESS.format(t="r")}) AS same_address
FROM vacancy_report r
WHERE r.municipality_id = %(town)s AND r.id <> %(id)s
  AND ((%(lon)s::float8 IS NOT NULL
        AND ST_DWithin(r.location::geography, {POINT}, %(radius)s))
       OR ({SAME_ADDRESS.format(t="r")}))
ORDER BY distance_m NULLS LAST, r.id LIMIT 50"""


def _rows(session: Session, sql: str, params: dict) -> list[dict]:
    result = session.connection().exec_driver_sql(sql, params).mappings()
    return [dict(row) for row in result]


def public_nearby(session: Session, municipality_id: int, point: Point) -> dict:
    """{"units": [{id, kind, street, house_number, distance_m}], "reports": [{id, kind,
    street, distance_m}]}: public units and open reports within ``RADIUS_M`` of ``point``."""
    params = {"town": municipality_id, "lon": point.x, "lat": point.y, "radius": RADIUS_M}
    return {
        "units": _rows(session, PUBLIC_UNITS_SQL, params),
        "reports": _rows(session, OPEN_REPORTS_SQL, params),
    }


def duplicates(session: Session, report) -> dict:
    """Possible duplicates of ``report`` for staff: {"units": [...], "reports": [...]}, each
    with ``distance_m`` (None without a point) and ``same_address``."""
    point = from_db(report.location)
    params = {
        "town": report.municipality_id,
        "id": report.id,
        "lon": point.x if point is not None else None,
        "lat": point.y if point is not None else None,
        "radius": RADIUS_M,
        "street": report.street,
        "house_number": report.house_number,
    }
    return {
        "units": _rows(session, STAFF_UNITS_SQL, params),
        "reports": _rows(session, STAFF_REPORTS_SQL, params),
    }
