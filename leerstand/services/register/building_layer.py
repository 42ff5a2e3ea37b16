"""The staff map layer of existing buildings: every building of one municipality (optionally in
a bbox) as a GeoJSON FeatureCollection built by PostGIS in one query, with the address, the
number of units and the staff URL. Staff only: addresses of the whole register."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leerstand.services.public.geojson import _run

BUILDINGS_SQL = """SELECT json_build_object('type', 'FeatureCollection', 'features',
    coalesce(json_agg(json_build_object('type', 'Feature', 'id', b.id,
        'geometry', ST_AsGeoJSON(b.location, 6)::json,
        'properties', json_build_object(
            'id', b.id, 'address', trim(b.street || ' ' || b.house_number),
            'district', d.name,
            'units', (SELECT count(*) FROM unit u WHERE u.building_id = b.id),
            'url', replace(%(url)s::text, '{id}', b.id::text)))
        ORDER BY b.id), '[]'::json))::text
    FROM building b LEFT JOIN district d ON d.id = b.district_id
    WHERE b.municipality_id = %(m)s {bbox}"""
BBOX = "AND b.location && ST_MakeEnvelope(%(x1)s, %(y1)s, %(x2)s, %(y2)s, 4326)"


def buildings_geojson(
    session: Session,
    municipality_id: int,
    url_template: str,
    bbox: tuple[float, float, float, float] | None = None,
) -> bytes:
    """``url_template`` holds ``{id}`` for the building id."""
    params = {"m": municipality_id, "url": url_template}
    if bbox:
        params.update(zip(("x1", "y1", "x2", "y2"), bbox, strict=True))
    sql = BUILDINGS_SQL.format(bbox=BBOX if bbox else "", id="{id}")
    return _run(session, sql, params)
