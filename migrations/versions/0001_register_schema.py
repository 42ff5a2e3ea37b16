"""Register schema: PostGIS, municipality, districts, focus areas, buildings, units, owners,
contact cases with an append-only event log, users and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 09:41:36.293897
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


APPEND_ONLY = ("contact_event", "audit_event")


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_geospatial_table(
        "municipality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("ags", sa.String(length=8), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column(
            "boundary",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("letterhead", sa.String(length=400), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipality")),
        sa.UniqueConstraint("ags", name=op.f("uq_municipality_ags")),
    )
    op.create_geospatial_index(
        "idx_municipality_boundary",
        "municipality",
        ["boundary"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_app_user_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("email", name=op.f("uq_app_user_email")),
    )
    op.create_index(
        op.f("ix_app_user_municipality_id"), "app_user", ["municipality_id"], unique=False
    )
    op.create_geospatial_table(
        "district",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "boundary",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column(
            "centre",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_district_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district")),
        sa.UniqueConstraint(
            "municipality_id", "name", name=op.f("uq_district_municipality_id_name")
        ),
    )
    op.create_geospatial_index(
        "idx_district_boundary",
        "district",
        ["boundary"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_index(
        "idx_district_centre",
        "district",
        ["centre"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(
        op.f("ix_district_municipality_id"), "district", ["municipality_id"], unique=False
    )
    op.create_geospatial_table(
        "focus_area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column(
            "area",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_focus_area_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_focus_area")),
        sa.UniqueConstraint(
            "municipality_id", "name", name=op.f("uq_focus_area_municipality_id_name")
        ),
    )
    op.create_geospatial_index(
        "idx_focus_area_area",
        "focus_area",
        ["area"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(
        op.f("ix_focus_area_municipality_id"), "focus_area", ["municipality_id"], unique=False
    )
    op.create_table(
        "owner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact_person", sa.String(length=200), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("preferred_channel", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_owner_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owner")),
    )
    op.create_index(op.f("ix_owner_municipality_id"), "owner", ["municipality_id"], unique=False)
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_audit_event_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_audit_event_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index(
        op.f("ix_audit_event_municipality_id"), "audit_event", ["municipality_id"], unique=False
    )
    op.create_geospatial_table(
        "building",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("house_number", sa.String(length=20), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column(
            "location",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column(
            "footprint",
            Geometry(
                geometry_type="POLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("parcel_id", sa.String(length=40), nullable=True),
        sa.Column("alkis_id", sa.String(length=40), nullable=True),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("condition", sa.String(length=20), nullable=True),
        sa.Column("year_built", sa.SmallInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "year_built IS NULL OR year_built BETWEEN 800 AND 2100",
            name=op.f("ck_building_year_built"),
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["district.id"], name=op.f("fk_building_district_id_district")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_building_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_building")),
    )
    op.create_geospatial_index(
        "idx_building_footprint",
        "building",
        ["footprint"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_index(
        "idx_building_location",
        "building",
        ["location"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_building_district_id"), "building", ["district_id"], unique=False)
    op.create_index(
        op.f("ix_building_municipality_id"), "building", ["municipality_id"], unique=False
    )
    op.create_table(
        "contact_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("next_follow_up", sa.Date(), nullable=True),
        sa.Column("responsible_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_contact_case_building_id_building"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_contact_case_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owner.id"],
            name=op.f("fk_contact_case_owner_id_owner"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["responsible_id"],
            ["app_user.id"],
            name=op.f("fk_contact_case_responsible_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_case")),
        sa.UniqueConstraint(
            "building_id", "owner_id", name=op.f("uq_contact_case_building_id_owner_id")
        ),
    )
    op.create_index(
        op.f("ix_contact_case_building_id"), "contact_case", ["building_id"], unique=False
    )
    op.create_index(
        op.f("ix_contact_case_municipality_id"), "contact_case", ["municipality_id"], unique=False
    )
    op.create_index(
        op.f("ix_contact_case_next_follow_up"), "contact_case", ["next_follow_up"], unique=False
    )
    op.create_index(op.f("ix_contact_case_owner_id"), "contact_case", ["owner_id"], unique=False)
    op.create_index(op.f("ix_contact_case_state"), "contact_case", ["state"], unique=False)
    op.create_table(
        "ownership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("share", sa.Numeric(precision=5, scale=4), nullable=True),
        sa.CheckConstraint(
            "share IS NULL OR (share > 0 AND share <= 1)", name=op.f("ck_ownership_share_range")
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_ownership_building_id_building"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_ownership_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ownership")),
        sa.UniqueConstraint(
            "building_id", "owner_id", name=op.f("uq_ownership_building_id_owner_id")
        ),
    )
    op.create_index(op.f("ix_ownership_building_id"), "ownership", ["building_id"], unique=False)
    op.create_index(op.f("ix_ownership_owner_id"), "ownership", ["owner_id"], unique=False)
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("floor", sa.String(length=40), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("street_level", sa.Boolean(), nullable=False),
        sa.Column("step_free", sa.Boolean(), nullable=False),
        sa.Column("shop_window", sa.Boolean(), nullable=False),
        sa.Column("power", sa.Boolean(), nullable=False),
        sa.Column("water", sa.Boolean(), nullable=False),
        sa.Column("wc", sa.Boolean(), nullable=False),
        sa.Column("heating", sa.Boolean(), nullable=False),
        sa.Column("vacancy_state", sa.String(length=20), nullable=False),
        sa.Column("vacant_since", sa.Date(), nullable=True),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("available_to", sa.Date(), nullable=True),
        sa.Column("owner_expectation", sa.String(length=20), nullable=False),
        sa.Column("rent_eur_month", sa.Numeric(precision=9, scale=2), nullable=True),
        sa.Column("suitable_uses", postgresql.ARRAY(sa.String(length=30)), nullable=False),
        sa.Column("publishable", sa.Boolean(), nullable=False),
        sa.Column("public_description", sa.Text(), nullable=False),
        sa.Column("internal_notes", sa.Text(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("area_m2 IS NULL OR area_m2 > 0", name=op.f("ck_unit_area_positive")),
        sa.CheckConstraint(
            "available_to IS NULL OR available_from IS NULL OR available_to >= available_from",
            name=op.f("ck_unit_availability_order"),
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["building.id"],
            name=op.f("fk_unit_building_id_building"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_unit_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
    )
    op.create_index(op.f("ix_unit_building_id"), "unit", ["building_id"], unique=False)
    op.create_index(op.f("ix_unit_kind"), "unit", ["kind"], unique=False)
    op.create_index(op.f("ix_unit_municipality_id"), "unit", ["municipality_id"], unique=False)
    op.create_index(op.f("ix_unit_vacancy_state"), "unit", ["vacancy_state"], unique=False)
    op.create_table(
        "contact_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=True),
        sa.Column("to_state", sa.String(length=30), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["contact_case.id"],
            name=op.f("fk_contact_event_case_id_contact_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_contact_event_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_event")),
    )
    op.create_index(op.f("ix_contact_event_case_id"), "contact_event", ["case_id"], unique=False)
    op.execute(
        """
        CREATE FUNCTION leerstand_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$
        """
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION leerstand_append_only()"
        )


def downgrade():
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    op.execute("DROP FUNCTION IF EXISTS leerstand_append_only()")
    op.drop_index(op.f("ix_contact_event_case_id"), table_name="contact_event")
    op.drop_table("contact_event")
    op.drop_index(op.f("ix_unit_vacancy_state"), table_name="unit")
    op.drop_index(op.f("ix_unit_municipality_id"), table_name="unit")
    op.drop_index(op.f("ix_unit_kind"), table_name="unit")
    op.drop_index(op.f("ix_unit_building_id"), table_name="unit")
    op.drop_table("unit")
    op.drop_index(op.f("ix_ownership_owner_id"), table_name="ownership")
    op.drop_index(op.f("ix_ownership_building_id"), table_name="ownership")
    op.drop_table("ownership")
    op.drop_index(op.f("ix_contact_case_state"), table_name="contact_case")
    op.drop_index(op.f("ix_contact_case_owner_id"), table_name="contact_case")
    op.drop_index(op.f("ix_contact_case_next_follow_up"), table_name="contact_case")
    op.drop_index(op.f("ix_contact_case_municipality_id"), table_name="contact_case")
    op.drop_index(op.f("ix_contact_case_building_id"), table_name="contact_case")
    op.drop_table("contact_case")
    op.drop_index(op.f("ix_building_municipality_id"), table_name="building")
    op.drop_index(op.f("ix_building_district_id"), table_name="building")
    op.drop_geospatial_index(
        "idx_building_location",
        table_name="building",
        postgresql_using="gist",
        column_name="location",
    )
    op.drop_geospatial_index(
        "idx_building_footprint",
        table_name="building",
        postgresql_using="gist",
        column_name="footprint",
    )
    op.drop_geospatial_table("building")
    op.drop_index(op.f("ix_audit_event_municipality_id"), table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_index(op.f("ix_owner_municipality_id"), table_name="owner")
    op.drop_table("owner")
    op.drop_index(op.f("ix_focus_area_municipality_id"), table_name="focus_area")
    op.drop_geospatial_index(
        "idx_focus_area_area", table_name="focus_area", postgresql_using="gist", column_name="area"
    )
    op.drop_geospatial_table("focus_area")
    op.drop_index(op.f("ix_district_municipality_id"), table_name="district")
    op.drop_geospatial_index(
        "idx_district_centre", table_name="district", postgresql_using="gist", column_name="centre"
    )
    op.drop_geospatial_index(
        "idx_district_boundary",
        table_name="district",
        postgresql_using="gist",
        column_name="boundary",
    )
    op.drop_geospatial_table("district")
    op.drop_index(op.f("ix_app_user_municipality_id"), table_name="app_user")
    op.drop_table("app_user")
    op.drop_geospatial_index(
        "idx_municipality_boundary",
        table_name="municipality",
        postgresql_using="gist",
        column_name="boundary",
    )
    op.drop_geospatial_table("municipality")
