"""No schema change: a revision kept so the chain stays as databases migrated during its work
have it (the API's counts are cached per worker, ``services/public/counts.py``, not in a table).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 08:20:00
"""

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
