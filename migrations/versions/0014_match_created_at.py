"""When a match was first found: ``match.created_at``.

The statistics ask how long an idea waited for its first match. ``computed_at`` moves on with
every re-match, so it cannot say; ``created_at`` is set once when the pair is first stored (the
upsert of ``matching.service`` never touches it). Existing matches take their ``computed_at``,
the best the data know.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 03:50:00
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE match ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()")
    op.execute("UPDATE match SET created_at = computed_at")


def downgrade():
    op.execute("ALTER TABLE match DROP COLUMN created_at")
