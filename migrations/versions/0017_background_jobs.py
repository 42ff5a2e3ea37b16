"""Background jobs: the queue of procrastinate and the progress of each job.

Work that can outgrow a web request (re-matching a large idea or a whole town) runs in a worker
(`flask worker`) from a queue in PostgreSQL. The queue's tables, types and functions are
procrastinate's own: they are read from the installed package (``procrastinate/sql/schema.sql``,
the schema of the pinned version 3.10), never copied here. A later procrastinate release brings
its changes as SQL files in ``procrastinate/sql/migrations/``; the revision that raises the pin
in setup.cfg applies those files (again read from the package) in their order.

``job_progress`` is ours: per job the municipality, what it works on, how far it got ("12.000
von 80.000 Einheiten") and the last error, for the staff page "Hintergrundaufgaben". It has no
foreign key into procrastinate's tables, so that their schema stays the library's.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 05:30:00
"""

from alembic import op
from procrastinate.schema import SchemaManager

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# everything of procrastinate's schema is named procrastinate_* (tables, types, functions)
DROP_PROCRASTINATE = """DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'
    LOOP
        EXECUTE 'DROP FUNCTION ' || f.sig || ' CASCADE';
    END LOOP;
END $$"""


def upgrade():
    # as procrastinate's SchemaManager.apply_schema: the driver reads "%%" as a literal "%"
    op.get_bind().exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))
    op.execute(
        """CREATE TABLE job_progress (
            job_id bigint PRIMARY KEY,
            municipality_id integer NOT NULL REFERENCES municipality (id),
            task varchar(40) NOT NULL,
            subject varchar(300) NOT NULL DEFAULT '',
            done integer NOT NULL DEFAULT 0,
            total integer,
            error text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )"""
    )
    op.execute("CREATE INDEX ix_job_progress_municipality_id ON job_progress (municipality_id)")


def downgrade():
    op.execute("DROP TABLE job_progress")
    op.execute(
        "DROP TABLE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,"
        " procrastinate_workers CASCADE"
    )
    op.execute(DROP_PROCRASTINATE)
    op.execute(
        "DROP TYPE procrastinate_job_status, procrastinate_job_event_type,"
        " procrastinate_job_to_defer_v1"
    )
