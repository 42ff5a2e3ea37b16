"""An import batch remembers the wizard's upload it came from (``import_batch.upload_token``,
unique): the commit job runs in the background worker and may run again after its worker died,
and a second run of an upload that was committed finds its batch instead of importing twice.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 08:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("import_batch", sa.Column("upload_token", sa.String(64), nullable=True))
    op.create_unique_constraint(
        op.f("uq_import_batch_upload_token"), "import_batch", ["upload_token"]
    )


def downgrade():
    op.drop_constraint(op.f("uq_import_batch_upload_token"), "import_batch", type_="unique")
    op.drop_column("import_batch", "upload_token")
