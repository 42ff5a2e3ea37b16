"""What Alembic's autogenerate compares: our tables, not PostGIS' own (used by migrations/env.py
and by the test that models and migrations agree)."""

from geoalchemy2 import alembic_helpers

POSTGIS_TABLES = {"spatial_ref_sys", "layer", "topology"}


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table" and name in POSTGIS_TABLES:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)
