"""What Alembic's autogenerate compares: our tables, not PostGIS' own (used by migrations/env.py
and by the test that models and migrations agree)."""

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from geoalchemy2 import alembic_helpers

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

POSTGIS_TABLES = {"spatial_ref_sys", "layer", "topology"}


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table" and name in POSTGIS_TABLES:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


@cache
def code_heads() -> frozenset[str]:
    """The newest migration(s) of this code (read once per process)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())
