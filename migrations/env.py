"""Alembic environment: uses the app's engine and metadata and GeoAlchemy2's helpers, so that
autogenerate neither drops PostGIS' own tables nor mis-renders spatial columns and indexes."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from geoalchemy2 import alembic_helpers

import leerstand.models  # noqa: F401  (registers every table)
from leerstand.db import db
from leerstand.migrations_support import include_object

config = context.config
if config.config_file_name is not None:
    # Keep the loggers that exist already (the app's "leerstand" logger, werkzeug): the default
    # would disable them for the rest of the process, e.g. the test session after upgrade().
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def run_migrations_offline() -> None:
    context.configure(
        url=current_app.config["DATABASE_URL"],
        target_metadata=db.metadata,
        literal_binds=True,
        include_object=include_object,
        process_revision_directives=alembic_helpers.writer,
        render_item=alembic_helpers.render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = db.get_engine()
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            compare_type=True,
            include_object=include_object,
            process_revision_directives=alembic_helpers.writer,
            render_item=alembic_helpers.render_item,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
