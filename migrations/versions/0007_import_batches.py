"""Import batches: every import of a file (CSV, XLSX, GeoJSON, GeoPackage, Shapefile) is one
audited batch; the buildings, units and owners it created carry its id, so that an admin can undo
the batch as a whole.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 00:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("building", "unit", "owner")


def upgrade():
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_format", sa.String(length=10), nullable=False),
        sa.Column("source_crs", sa.String(length=20), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_created", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("rows_skipped", sa.Integer(), nullable=False),
        sa.Column("owners_created", sa.Integer(), nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_import_batch_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_import_batch_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["app_user.id"], name=op.f("fk_import_batch_undone_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_index(
        op.f("ix_import_batch_municipality_id"), "import_batch", ["municipality_id"], unique=False
    )
    for table in TABLES:
        op.add_column(table, sa.Column("import_batch_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f(f"fk_{table}_import_batch_id_import_batch"),
            table,
            "import_batch",
            ["import_batch_id"],
            ["id"],
        )
        op.create_index(op.f(f"ix_{table}_import_batch_id"), table, ["import_batch_id"])


def downgrade():
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_import_batch_id"), table_name=table)
        op.drop_constraint(
            op.f(f"fk_{table}_import_batch_id_import_batch"), table, type_="foreignkey"
        )
        op.drop_column(table, "import_batch_id")
    op.drop_index(op.f("ix_import_batch_municipality_id"), table_name="import_batch")
    op.drop_table("import_batch")
