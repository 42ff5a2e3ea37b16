"""What Alembic's autogenerate compares: our tables, not PostGIS' own nor those of the job
queue (procrastinate's, applied from its package by migration 0017; used by migrations/env.py
and by the test that models and migrations agree)."""

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from geoalchemy2 import alembic_helpers

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

POSTGIS_TABLES = {"spatial_ref_sys", "layer", "topology"}


# PostgreSQL writes this index's CASE expression back on several lines with casts; autogenerate
# compares expressions as text, so it would always see a difference (migration 0019 makes it)
UNCOMPARED_INDEXES = {"ix_building_address_trgm"}


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "index" and name in UNCOMPARED_INDEXES:
        return False
    if type_ == "table" and (name in POSTGIS_TABLES or name.startswith("procrastinate_")):
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


@cache
def code_heads() -> frozenset[str]:
    """The newest migration(s) of this code (read once per process)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())
