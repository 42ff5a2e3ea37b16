"""The migrations build the schema from empty, agree with the models, and go down and up again.

Runs against a scratch database next to the test database (named after it, so that suites on
different test databases of one cluster do not collide), so the suite's data is untouched."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from leerstand.db import db
from leerstand.migrations_support import include_object
from tests.conftest import TEST_DATABASE_URL, make_app

SCRATCH = f"{make_url(TEST_DATABASE_URL).database}_migrations"


@pytest.fixture(scope="module")
def scratch_app(app):
    url = make_url(TEST_DATABASE_URL)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {SCRATCH}"))
    scratch_url = url.set(database=SCRATCH).render_as_string(hide_password=False)
    application = make_app(DATABASE_URL=scratch_url)
    yield application
    application.extensions["leerstand_db"].dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)"))
    admin.dispose()


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_upgrade_downgrade_upgrade_and_models_agree(scratch_app):
    with scratch_app.app_context():
        engine = db.get_engine()
        upgrade()
        assert {"building", "unit", "owner", "contact_case", "audit_event"} <= _tables(engine)
        with engine.connect() as conn:
            mc = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": True}
            )
            assert compare_metadata(mc, db.metadata) == []
            assert conn.execute(text("SELECT postgis_lib_version()")).scalar()
        downgrade(revision="base")
        assert _tables(engine) <= {"alembic_version", "spatial_ref_sys"}
        upgrade()
        assert "unit" in _tables(engine)
