"""The database refuses codes outside a vocabulary (migration 0006); the migrated schema has the
same CHECK constraints as the models; migration 0006 stops with a clear message when existing
rows hold an unknown code, and changes nothing."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from leerstand.db import db
from tests import factories as f
from tests.conftest import TEST_DATABASE_URL, make_app

SCRATCH = f"{make_url(TEST_DATABASE_URL).database}_vocab_checks"

# The CHECK constraints made by migration 0006, written out.
CHECKS_0006 = {
    "ck_app_user_role", "ck_building_condition", "ck_unit_kind", "ck_unit_owner_expectation",
"ck_unit_vacancy_state", "ck_owner_kind",
    "ck_owner_preferred_channel", "ck_ownership_role", "ck_consent_channel", "ck_consent_scope",
    "ck_contact_case_state", "ck_contact_event_channel", "ck_contact_event_direction",
    "ck_contact_event_from_state", "ck_contact_event_to_state", "ck_proposal_budget_kind",
    "ck_proposal_location_kind", "ck_proposal_state", "ck_proposal_use_kind",
}  # fmt: skip


def _check_names(connection) -> set[str]:
    return set(
        connection.scalars(
            text(
                "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
                " WHERE c.contype = 'c' AND n.nspname = 'public'"
                " AND c.conrelid <> 'spatial_ref_sys'::regclass"
                # the job queue's own tables (procrastinate's schema, migration 0017)
                " AND c.conrelid::regclass::text NOT LIKE 'procrastinate%%'"
            )
        )
    )


def _model_check_names() -> set[str]:
    return {
        str(c.name)
        for table in db.metadata.tables.values()
        for c in table.constraints
        if c.__class__.__name__ == "CheckConstraint"
    }


def test_migrated_schema_has_the_models_check_constraints(session):
    names = _check_names(session.connection())
    assert names == _model_check_names()
    assert names >= CHECKS_0006


def _refused(session, sql: str, **params) -> bool:
    try:
        with session.begin_nested():
            session.execute(text(sql), params)
    except IntegrityError as exc:
        assert "violates check constraint" in str(exc.orig)
        return True
    return False


def test_unit_kind_outside_the_vocabulary_is_refused(session, base):
    unit = f.unit(session, f.building(session, base.municipality))
    sql = "UPDATE unit SET kind = :kind WHERE id = :id"
    assert _refused(session, sql, kind="kiosk", id=unit.id)
    assert not _refused(session, sql, kind="other", id=unit.id)


def test_nullable_code_columns_take_null_but_no_unknown_code(session, base):
    building = f.building(session, base.municipality)
    sql = "UPDATE building SET condition = :condition WHERE id = :id"
    assert not _refused(session, sql, condition=None, id=building.id)
    assert not _refused(session, sql, condition="ruin", id=building.id)
    assert _refused(session, sql, condition="marode", id=building.id)


def test_owner_and_proposal_codes_are_checked(session, base):
    owner = f.owner(session, base.municipality)
    sql = "UPDATE owner SET kind = :kind WHERE id = :id"
    assert _refused(session, sql, kind="Privatperson", id=owner.id)
    assert not _refused(session, sql, kind="church", id=owner.id)
    proposal = f.proposal_in(session, base.municipality)
    sql = "UPDATE proposal SET use_kind = :kind WHERE id = :id"
    assert _refused(session, sql, kind="kiosk", id=proposal.id)
    assert not _refused(session, sql, kind="cafe", id=proposal.id)


@pytest.fixture
def scratch_app(app):
    url = make_url(TEST_DATABASE_URL)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {SCRATCH}"))
    application = make_app(
        DATABASE_URL=url.set(database=SCRATCH).render_as_string(hide_password=False)
    )
    yield application
    application.extensions["leerstand_db"].dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)"))
    admin.dispose()


def test_migration_0006_stops_on_unknown_codes_and_changes_nothing(scratch_app, capfd):
    with scratch_app.app_context():
        engine = db.get_engine()
        upgrade(revision="0005")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO municipality (id, name, ags, boundary) VALUES (1, 'Probe',"
                    " '15085040', ST_Multi(ST_MakeEnvelope(11, 51, 12, 52, 4326)))"
                )
            )
            for n, role in enumerate(("chef", "chef", "staff")):
                conn.execute(
                    text(
                        "INSERT INTO app_user (municipality_id, email, name, role, password_hash,"
                        " active, failed_logins, created_at, updated_at)"
                        " VALUES (1, :email, '', :role, 'x', true, 0, now(), now())"
                    ),
                    {"email": f"u{n}@probe.example", "role": role},
                )
        capfd.readouterr()
        with pytest.raises(SystemExit):
            # Flask-Migrate logs the error (alembic.ini: to stderr) and exits
            upgrade(revision="0006")
        assert (
            "Diese Spalten enthalten Codes, die nicht im Vokabular (leerstand/vocab.py) stehen:"
            " app_user.role: 'chef' (2×). Bitte die Zeilen auf einen gültigen Code ändern"
        ) in capfd.readouterr().err
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0005"
            assert _check_names(conn).isdisjoint(CHECKS_0006)
        with engine.begin() as conn:
            conn.execute(text("UPDATE app_user SET role = 'viewer' WHERE role = 'chef'"))
        upgrade(revision="0006")
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0006"
            assert _check_names(conn) >= CHECKS_0006
        downgrade(revision="0005")
        with engine.connect() as conn:
            assert _check_names(conn).isdisjoint(CHECKS_0006)
