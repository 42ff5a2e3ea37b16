"""Server-side login sessions (logout ends every copy of a session), the owner's salutation for
letters, how a use request's answer came in (online, paper, phone) and who recorded it, and
when a submitted idea was announced to staff.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 21:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (initiative_id IS NULL)",
            name=op.f("ck_login_session_one_principal"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_login_session_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_login_session_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"])
    op.create_index(op.f("ix_login_session_initiative_id"), "login_session", ["initiative_id"])

    op.add_column(
        "owner",
        sa.Column("salutation", sa.String(length=20), server_default="neutral", nullable=False),
    )
    op.execute("UPDATE owner SET salutation = 'organisation' WHERE kind <> 'person'")
    op.create_check_constraint(
        "salutation", "owner", "salutation IN ('frau', 'herr', 'neutral', 'organisation')"
    )

    op.add_column("use_request", sa.Column("answer_channel", sa.String(length=10), nullable=True))
    op.add_column("use_request", sa.Column("answer_recorded_by_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_use_request_answer_recorded_by_id_app_user"),
        "use_request",
        "app_user",
        ["answer_recorded_by_id"],
        ["id"],
    )
    op.execute("UPDATE use_request SET answer_channel = 'online' WHERE answered_at IS NOT NULL")
    op.create_check_constraint(
        "answer_channel",
        "use_request",
        "answer_channel IS NULL OR answer_channel IN ('online', 'paper', 'phone')",
    )

    op.add_column("proposal", sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
    # ideas already waiting count as announced: the first digest only tells what is new
    op.execute("UPDATE proposal SET announced_at = now() WHERE state = 'submitted'")


def downgrade():
    op.drop_column("proposal", "announced_at")
    op.drop_constraint(op.f("ck_use_request_answer_channel"), "use_request", type_="check")
    op.drop_constraint(
        op.f("fk_use_request_answer_recorded_by_id_app_user"), "use_request", type_="foreignkey"
    )
    op.drop_column("use_request", "answer_recorded_by_id")
    op.drop_column("use_request", "answer_channel")
    op.drop_constraint(op.f("ck_owner_salutation"), "owner", type_="check")
    op.drop_column("owner", "salutation")
    op.drop_index(op.f("ix_login_session_initiative_id"), table_name="login_session")
    op.drop_index(op.f("ix_login_session_user_id"), table_name="login_session")
    op.drop_table("login_session")
