"""Vacancy reports from citizens (Leerstandsmelder): ``vacancy_report`` with the reported point,
address, kind, since when, the photo's key in the media store, the reporter's optional e-mail
address (confirmation token stored hashed), the staff decision and the unit it led to.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 08:20:00
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

KINDS = "'shop', 'office', 'gastro', 'flat', 'hall', 'workshop', 'whole_building', 'other'"


def _timestamp(name: str) -> sa.Column:
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade():
    op.create_geospatial_table(
        "vacancy_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "location",
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
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("house_number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("since", sa.String(length=10), nullable=False),
        sa.Column("since_month", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("photo_key", sa.String(length=80), nullable=True),
        sa.Column("photo_mime", sa.String(length=40), nullable=True),
        sa.Column("photo_consent", sa.Boolean(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("email_token_hash", sa.String(length=64), nullable=True),
        sa.Column("email_token_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suggested_unit_id", sa.Integer(), nullable=True),
        sa.Column("confirmations", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_vacancy_report_kind")),
        sa.CheckConstraint(
            "since IN ('weeks', 'months', 'year', 'unknown', 'date')",
            name=op.f("ck_vacancy_report_since"),
        ),
        sa.CheckConstraint(
            "status IN ('new', 'accepted', 'merged', 'rejected')",
            name=op.f("ck_vacancy_report_status"),
        ),
        sa.CheckConstraint(
            "(since = 'date') = (since_month IS NOT NULL)",
            name=op.f("ck_vacancy_report_since_month"),
        ),
        sa.CheckConstraint(
            "(status = 'new') = (decided_at IS NULL)", name=op.f("ck_vacancy_report_decided")
        ),
        sa.CheckConstraint(
            "status NOT IN ('accepted', 'merged') OR unit_id IS NOT NULL",
            name=op.f("ck_vacancy_report_unit_linked"),
        ),
        sa.CheckConstraint(
            "location IS NOT NULL OR street <> ''", name=op.f("ck_vacancy_report_place_given")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["app_user.id"],
            name=op.f("fk_vacancy_report_decided_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_vacancy_report_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["suggested_unit_id"],
            ["unit.id"],
            name=op.f("fk_vacancy_report_suggested_unit_id_unit"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_vacancy_report_unit_id_unit"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy_report")),
        sa.UniqueConstraint("email_token_hash", name=op.f("uq_vacancy_report_email_token_hash")),
    )
    op.create_geospatial_index(
        "idx_vacancy_report_location",
        "vacancy_report",
        ["location"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(
        "ix_vacancy_report_location_geography",
        "vacancy_report",
        [sa.literal_column("(location::geography)")],
        unique=False,
        postgresql_using="gist",
    )
    op.create_index(
        "ix_vacancy_report_queue",
        "vacancy_report",
        ["municipality_id", "status", "created_at"],
        unique=False,
    )
    for column in ("municipality_id", "suggested_unit_id", "unit_id"):
        op.create_index(
            op.f(f"ix_vacancy_report_{column}"), "vacancy_report", [column], unique=False
        )


def downgrade():
    op.drop_table("vacancy_report")
