"""Matches (idea ↔ unit), use requests to owners, interim uses; letter fields of the municipality;
a geography index on building locations for "within r metres".

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 11:01:08.421788
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("distance_m", sa.Integer(), nullable=True),
        sa.Column("fits", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "computed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('suggested', 'shortlisted', 'dismissed')", name=op.f("ck_match_status")
        ),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name=op.f("ck_match_score_range")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_match_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_match_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["app_user.id"], name=op.f("fk_match_reviewed_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_match_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match")),
        sa.UniqueConstraint("proposal_id", "unit_id", name=op.f("uq_match_proposal_id_unit_id")),
    )
    op.create_index(op.f("ix_match_municipality_id"), "match", ["municipality_id"], unique=False)
    op.create_index(op.f("ix_match_proposal_id"), "match", ["proposal_id"], unique=False)
    op.create_index(op.f("ix_match_status"), "match", ["status"], unique=False)
    op.create_index(op.f("ix_match_unit_id"), "match", ["unit_id"], unique=False)
    op.create_table(
        "use_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issue_count", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("answer_message", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint(
            "answer IS NULL OR answer IN ('yes', 'yes_conditions', 'no', 'more_info')",
            name=op.f("ck_use_request_answer"),
        ),
        sa.CheckConstraint("channel IN ('email', 'letter')", name=op.f("ck_use_request_channel")),
        sa.CheckConstraint(
            "(answer IS NULL) = (answered_at IS NULL)",
            name=op.f("ck_use_request_answer_and_time_together"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["contact_case.id"],
            name=op.f("fk_use_request_case_id_contact_case"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_use_request_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["match.id"],
            name=op.f("fk_use_request_match_id_match"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_use_request_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owner.id"],
            name=op.f("fk_use_request_owner_id_owner"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_request")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_use_request_token_hash")),
    )
    op.create_index(op.f("ix_use_request_case_id"), "use_request", ["case_id"], unique=False)
    op.create_index(op.f("ix_use_request_expires_at"), "use_request", ["expires_at"], unique=False)
    op.create_index(op.f("ix_use_request_match_id"), "use_request", ["match_id"], unique=False)
    op.create_index(
        op.f("ix_use_request_municipality_id"), "use_request", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_use_request_owner_id"), "use_request", ["owner_id"], unique=False)
    op.create_table(
        "interim_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("use_request_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("costs", sa.Text(), nullable=False),
        sa.Column("insurance", sa.Text(), nullable=False),
        sa.Column("key_handover", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("end_reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
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
            "outcome IS NULL OR outcome IN ('vacancy_ended', 'back_to_vacant', 'let_permanently')",
            name=op.f("ck_interim_use_outcome"),
        ),
        sa.CheckConstraint(
            "(outcome IS NULL) = (ended_on IS NULL)",
            name=op.f("ck_interim_use_outcome_and_end_together"),
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_interim_use_period_order")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_interim_use_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_interim_use_initiative_id_initiative"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_interim_use_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_interim_use_proposal_id_proposal"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_interim_use_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["use_request_id"],
            ["use_request.id"],
            name=op.f("fk_interim_use_use_request_id_use_request"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interim_use")),
    )
    op.create_index(op.f("ix_interim_use_ends_on"), "interim_use", ["ends_on"], unique=False)
    op.create_index(
        op.f("ix_interim_use_initiative_id"), "interim_use", ["initiative_id"], unique=False
    )
    op.create_index(
        op.f("ix_interim_use_municipality_id"), "interim_use", ["municipality_id"], unique=False
    )
    op.create_index(
        op.f("ix_interim_use_proposal_id"), "interim_use", ["proposal_id"], unique=False
    )
    op.create_index(op.f("ix_interim_use_unit_id"), "interim_use", ["unit_id"], unique=False)
    op.create_index(
        "ix_building_location_geography",
        "building",
        [sa.literal_column("(location::geography)")],
        unique=False,
        postgresql_using="gist",
    )
    op.add_column("municipality", sa.Column("contact_email", sa.String(length=254), nullable=True))
    op.add_column("municipality", sa.Column("contact_phone", sa.String(length=60), nullable=True))
    op.add_column(
        "municipality", sa.Column("letter_signature", sa.String(length=200), nullable=True)
    )


def downgrade():
    op.drop_column("municipality", "letter_signature")
    op.drop_column("municipality", "contact_phone")
    op.drop_column("municipality", "contact_email")
    op.drop_index("ix_building_location_geography", table_name="building", postgresql_using="gist")
    op.drop_index(op.f("ix_interim_use_unit_id"), table_name="interim_use")
    op.drop_index(op.f("ix_interim_use_proposal_id"), table_name="interim_use")
    op.drop_index(op.f("ix_interim_use_municipality_id"), table_name="interim_use")
    op.drop_index(op.f("ix_interim_use_initiative_id"), table_name="interim_use")
    op.drop_index(op.f("ix_interim_use_ends_on"), table_name="interim_use")
    op.drop_table("interim_use")
    op.drop_index(op.f("ix_use_request_owner_id"), table_name="use_request")
    op.drop_index(op.f("ix_use_request_municipality_id"), table_name="use_request")
    op.drop_index(op.f("ix_use_request_match_id"), table_name="use_request")
    op.drop_index(op.f("ix_use_request_expires_at"), table_name="use_request")
    op.drop_index(op.f("ix_use_request_case_id"), table_name="use_request")
    op.drop_table("use_request")
    op.drop_index(op.f("ix_match_unit_id"), table_name="match")
    op.drop_index(op.f("ix_match_status"), table_name="match")
    op.drop_index(op.f("ix_match_proposal_id"), table_name="match")
    op.drop_index(op.f("ix_match_municipality_id"), table_name="match")
    op.drop_table("match")
