"""GeoJSON for staff maps, built by PostGIS in one query each."""

from flask import Response
from flask_login import current_user
from sqlalchemy import text

from leerstand.db import db
from leerstand.views.staff import bp

BOUNDARY_SQL = text(
    """
    SELECT json_build_object(
        'type', 'Feature',
        'properties', json_build_object('name', name, 'ags', ags),
        'geometry', ST_AsGeoJSON(boundary, 6)::json
    )::text
    FROM municipality WHERE id = :mid
    """
)

DISTRICTS_SQL = text(
    """
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
        json_build_object(
            'type', 'Feature', 'id', id,
            'properties', json_build_object('name', name),
            'geometry', ST_AsGeoJSON(coalesce(boundary, centre), 6)::json
        ) ORDER BY name), '[]'::json))::text
    FROM district WHERE municipality_id = :mid
    """
)


def _geojson(body: str) -> Response:
    return Response(body, mimetype="application/geo+json")


@bp.get("/gemeindegrenze.geojson")
def boundary_geojson():
    body = db.session.execute(BOUNDARY_SQL, {"mid": current_user.municipality_id}).scalar()
    return _geojson(body or '{"type": "FeatureCollection", "features": []}')


@bp.get("/ortsteile.geojson")
def districts_geojson():
    return _geojson(
        db.session.execute(DISTRICTS_SQL, {"mid": current_user.municipality_id}).scalar()
    )
