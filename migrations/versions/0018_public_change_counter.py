"""A change counter of the public data: the public API answers If-None-Match with 304 from it,
without building the body.

``public_change.counter`` takes a new value (``nextval`` of ``public_change_seq``: unique, never
reused, also after a TRUNCATE of the table) each time a transaction that wrote to one of the
tables the public GeoJSON is read from commits. A statement trigger on each such table notes the
transaction in ``public_change_pending`` (once: ON CONFLICT DO NOTHING); a deferred constraint
trigger on that note runs at commit, sets the counter and deletes the note. So the counter row is
locked only from a writer's commit-time trigger to its commit (writers never wait for each other's
whole transaction), and readers see the new value in the same instant as the new rows.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 06:00:00
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# every table the public units, proposals and area layers are built from (services/public)
TABLES = (
    "unit", "building", "ownership", "owner", "consent", "district", "interim_use", "proposal",
    "proposal_district", "initiative", "municipality", "focus_area",
)  # fmt: skip

FUNCTIONS = """
CREATE FUNCTION leerstand_public_change_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public_change_pending (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION leerstand_public_change_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public_change (id, counter) VALUES (1, nextval('public_change_seq'))
        ON CONFLICT (id) DO UPDATE SET counter = excluded.counter;
    DELETE FROM public_change_pending WHERE txid = NEW.txid;
    RETURN NULL;
END $$;
"""


def upgrade():
    op.execute("CREATE SEQUENCE public_change_seq")
    op.execute(
        "CREATE TABLE public_change (id smallint CONSTRAINT pk_public_change PRIMARY KEY"
        " CONSTRAINT ck_public_change_single_row CHECK (id = 1), counter bigint NOT NULL)"
    )
    op.execute("INSERT INTO public_change (id, counter) VALUES (1, nextval('public_change_seq'))")
    op.execute(
        "CREATE TABLE public_change_pending"
        " (txid bigint CONSTRAINT pk_public_change_pending PRIMARY KEY)"
    )
    op.execute(FUNCTIONS)
    op.execute(
        "CREATE CONSTRAINT TRIGGER public_change_commit AFTER INSERT ON public_change_pending"
        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
        " EXECUTE FUNCTION leerstand_public_change_commit()"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION leerstand_public_change_note()"
        )


def downgrade():
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_public_change ON {table}")
    op.execute("DROP TABLE public_change_pending, public_change")
    op.execute("DROP FUNCTION leerstand_public_change_note(), leerstand_public_change_commit()")
    op.execute("DROP SEQUENCE public_change_seq")
