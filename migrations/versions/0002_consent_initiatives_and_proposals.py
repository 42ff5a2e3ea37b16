"""Consents of owners, initiatives and their proposals (interim-use ideas).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 09:53:27.366788
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "initiative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact_person", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
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
            name=op.f("fk_initiative_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative")),
        sa.UniqueConstraint("email", name=op.f("uq_initiative_email")),
    )
    op.create_index(
        op.f("ix_initiative_municipality_id"), "initiative", ["municipality_id"], unique=False
    )
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("text_version", sa.String(length=40), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
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
            name=op.f("fk_consent_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_consent_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["app_user.id"], name=op.f("fk_consent_recorded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
        sa.UniqueConstraint("owner_id", "scope", name=op.f("uq_consent_owner_id_scope")),
    )
    op.create_index(
        op.f("ix_consent_municipality_id"), "consent", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_consent_owner_id"), "consent", ["owner_id"], unique=False)
    op.create_geospatial_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("use_kind", sa.String(length=20), nullable=False),
        sa.Column("area_min", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("area_max", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column("street_level", sa.Boolean(), nullable=False),
        sa.Column("step_free", sa.Boolean(), nullable=False),
        sa.Column("power", sa.Boolean(), nullable=False),
        sa.Column("water", sa.Boolean(), nullable=False),
        sa.Column("wc", sa.Boolean(), nullable=False),
        sa.Column("heating", sa.Boolean(), nullable=False),
        sa.Column("time_from", sa.Date(), nullable=True),
        sa.Column("time_to", sa.Date(), nullable=True),
        sa.Column("frequency", sa.String(length=200), nullable=False),
        sa.Column("budget_kind", sa.String(length=20), nullable=False),
        sa.Column("budget_eur_month", sa.Numeric(precision=9, scale=2), nullable=True),
        sa.Column("location_kind", sa.String(length=10), nullable=False),
        sa.Column(
            "point",
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
        sa.Column("radius_m", sa.Integer(), nullable=True),
        sa.Column(
            "area",
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
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
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
            "area_max IS NULL OR area_min IS NULL OR area_max >= area_min",
            name=op.f("ck_proposal_area_order"),
        ),
        sa.CheckConstraint("area_min IS NULL OR area_min >= 0", name=op.f("ck_proposal_area_min")),
        sa.CheckConstraint(
            "radius_m IS NULL OR radius_m > 0", name=op.f("ck_proposal_radius_positive")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_proposal_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_proposal_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_proposal_unit_id_unit"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
    )
    op.create_geospatial_index(
        "idx_proposal_area",
        "proposal",
        ["area"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_index(
        "idx_proposal_point",
        "proposal",
        ["point"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_proposal_initiative_id"), "proposal", ["initiative_id"], unique=False)
    op.create_index(
        op.f("ix_proposal_municipality_id"), "proposal", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_proposal_state"), "proposal", ["state"], unique=False)
    op.create_table(
        "proposal_district",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["district.id"],
            name=op.f("fk_proposal_district_district_id_district"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_proposal_district_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "district_id", name=op.f("pk_proposal_district")),
    )
    op.add_column(
        "owner",
        sa.Column("is_municipality", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade():
    op.drop_column("owner", "is_municipality")
    op.drop_table("proposal_district")
    op.drop_index(op.f("ix_proposal_state"), table_name="proposal")
    op.drop_index(op.f("ix_proposal_municipality_id"), table_name="proposal")
    op.drop_index(op.f("ix_proposal_initiative_id"), table_name="proposal")
    op.drop_geospatial_index(
        "idx_proposal_point", table_name="proposal", postgresql_using="gist", column_name="point"
    )
    op.drop_geospatial_index(
        "idx_proposal_area", table_name="proposal", postgresql_using="gist", column_name="area"
    )
    op.drop_geospatial_table("proposal")
    op.drop_index(op.f("ix_consent_owner_id"), table_name="consent")
    op.drop_index(op.f("ix_consent_municipality_id"), table_name="consent")
    op.drop_table("consent")
    op.drop_index(op.f("ix_initiative_municipality_id"), table_name="initiative")
    op.drop_table("initiative")
