"""When a scheduled command last succeeded: ``task_run`` (name, succeeded_at), written by
``flask reminders`` and ``flask retention`` at their end and reported by /metrics
(``leerstand_task_last_success_timestamp_seconds``), so monitoring notices a timer that stopped.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 06:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "task_run",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("succeeded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_task_run"),
    )


def downgrade():
    op.drop_table("task_run")
