"""Privacy and accounts (issue 11): the roles "dpo" (data-protection officer) and "analyst"
(units, buildings and figures, no personal data); when a staff member last logged in; an
initiative's new e-mail address waiting for confirmation; single-use password-reset tokens
(only their SHA-256 is stored); an owner's restriction, objection and erasure; the append-only
log of who read or exported whose personal data; a town's imprint, privacy notice and
accessibility statement.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 01:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('admin', 'staff', 'viewer')"
NEW_ROLES = "role IN ('admin', 'staff', 'viewer', 'dpo', 'analyst')"
TOWN_TEXTS = ("imprint_text", "privacy_text", "accessibility_text")


def upgrade():
    op.drop_constraint(op.f("ck_app_user_role"), "app_user", type_="check")
    op.create_check_constraint(op.f("ck_app_user_role"), "app_user", NEW_ROLES)
    op.add_column("app_user", sa.Column("last_login_at", sa.DateTime(timezone=True)))
    op.add_column("initiative", sa.Column("pending_email", sa.String(length=254)))
    for column in ("restricted_at", "objected_at", "erased_at"):
        op.add_column("owner", sa.Column(column, sa.DateTime(timezone=True)))
    for column in TOWN_TEXTS:
        op.add_column("municipality", sa.Column(column, sa.Text()))
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (initiative_id IS NULL)",
            name=op.f("ck_password_reset_one_principal"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_password_reset_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_password_reset_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    op.create_index(op.f("ix_password_reset_user_id"), "password_reset", ["user_id"])
    op.create_index(op.f("ix_password_reset_initiative_id"), "password_reset", ["initiative_id"])
    op.create_table(
        "access_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_access_event_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_access_event_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_event")),
    )
    op.create_index(op.f("ix_access_event_municipality_id"), "access_event", ["municipality_id"])
    op.create_index("ix_access_event_entity", "access_event", ["entity", "entity_id"])
    op.execute(
        "CREATE TRIGGER access_event_append_only BEFORE UPDATE OR DELETE ON access_event "
        "FOR EACH ROW EXECUTE FUNCTION leerstand_append_only()"
    )


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS access_event_append_only ON access_event")
    op.drop_index("ix_access_event_entity", table_name="access_event")
    op.drop_index(op.f("ix_access_event_municipality_id"), table_name="access_event")
    op.drop_table("access_event")
    op.drop_index(op.f("ix_password_reset_initiative_id"), table_name="password_reset")
    op.drop_index(op.f("ix_password_reset_user_id"), table_name="password_reset")
    op.drop_table("password_reset")
    for column in TOWN_TEXTS:
        op.drop_column("municipality", column)
    for column in ("erased_at", "objected_at", "restricted_at"):
        op.drop_column("owner", column)
    op.drop_column("initiative", "pending_email")
    op.drop_column("app_user", "last_login_at")
    op.execute("UPDATE app_user SET role = 'viewer' WHERE role IN ('dpo', 'analyst')")
    op.drop_constraint(op.f("ck_app_user_role"), "app_user", type_="check")
    op.create_check_constraint(op.f("ck_app_user_role"), "app_user", OLD_ROLES)
