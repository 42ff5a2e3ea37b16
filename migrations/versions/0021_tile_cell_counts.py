"""Pre-aggregated cell counts of the units for the clustered vector tiles (zoom 0–16).

``tile_unit`` holds per unit what the counts were built from (town, public or not, the position
as integers ``gx``/``gy`` on a 2³² × 2³² Web Mercator grid, y down); ``tile_cell`` per town, zoom
``z`` and cell (``cx``, ``cy``: 2^(z+2) cells across the world, 4 × 4 per tile, 64 px at 256 px
tiles) the number of units, the sums of their ``gx``, ``gy`` and ids (``n``, ``sx``, ``sy``,
``sid``: a cell with one unit names it by ``sid``), once for every unit of the town (the staff
register) and once for the public ones (``pn``, ``psx``, ``psy``, ``psid``).

Kept at commit: statement triggers on ``unit``, ``building``, ``ownership``, ``owner`` and
``consent`` note in ``tile_pending`` what a transaction changed (units, buildings, owners; 'a'
for a TRUNCATE or more than 100,000 rows at once); a deferred trigger on its marker row ('t')
calls ``leerstand_tile_apply`` at commit, which, under an advisory lock (so that it reads what
the commits before it wrote), resolves the notes to units, recomputes them, adds the
differences to the cells and forgets the notes ('a': ``leerstand_tile_rebuild``, from scratch).
Whoever fills tables with triggers disabled calls ``SELECT leerstand_tile_rebuild()`` after.
The public rule here is a snapshot of ``services/public/fields.UNIT_IS_PUBLIC`` (a migration
never imports the app); tests compare the counts with the live tiles.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 08:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

MAX_ZOOM = 16
LOCK = 7_310_021  # the advisory lock of the appliers
MANY = 100_000  # more changed rows in one statement: rebuild at commit

GRID = """
CREATE FUNCTION leerstand_tile_gx(lon double precision) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT least(4294967295, greatest(0, floor((lon + 180) / 360 * 4294967296)))::bigint $$;
CREATE FUNCTION leerstand_tile_gy(lat double precision) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT least(4294967295, greatest(0, floor((1 - ln(tan(radians(45
        + least(85.0511287798, greatest(-85.0511287798, lat)) / 2))) / pi()) / 2
        * 4294967296)))::bigint $$;
"""

# the units' state as the counts need it: ``u`` a unit, ``b`` its building
UNIT_STATE = """u.id, u.municipality_id,
    u.publishable AND u.vacancy_state IN ('vacant', 'partly_vacant', 'vacancy_expected',
        'interim_use')
    AND EXISTS (
        SELECT 1 FROM ownership o JOIN owner w ON w.id = o.owner_id
        WHERE o.building_id = u.building_id AND o.role <> 'manager'
          AND (w.is_municipality OR EXISTS (
              SELECT 1 FROM consent c
              WHERE c.owner_id = w.id AND c.scope = 'public_map'
                AND c.given_at IS NOT NULL AND c.withdrawn_at IS NULL))),
    leerstand_tile_gx(ST_X(b.location)), leerstand_tile_gy(ST_Y(b.location))"""

CELL_SUMS = """count(*), sum(gx), sum(gy), sum(unit_id),
    count(*) FILTER (WHERE public), coalesce(sum(gx) FILTER (WHERE public), 0),
    coalesce(sum(gy) FILTER (WHERE public), 0), coalesce(sum(unit_id) FILTER (WHERE public), 0)"""

REBUILD = f"""
CREATE FUNCTION leerstand_tile_rebuild() RETURNS void LANGUAGE plpgsql
    SET work_mem = '64MB' SET jit = off AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({LOCK});
    DELETE FROM tile_cell;
    DELETE FROM tile_unit;
    INSERT INTO tile_unit (unit_id, municipality_id, public, gx, gy)
    SELECT {UNIT_STATE} FROM unit u JOIN building b ON b.id = u.building_id;
    INSERT INTO tile_cell
    SELECT municipality_id, {MAX_ZOOM}, gx >> {30 - MAX_ZOOM}, gy >> {30 - MAX_ZOOM}, {CELL_SUMS}
    FROM tile_unit GROUP BY 1, 3, 4;
    FOR zoom IN REVERSE {MAX_ZOOM - 1}..0 LOOP
        INSERT INTO tile_cell
        SELECT municipality_id, zoom, cx >> 1, cy >> 1, sum(n), sum(sx), sum(sy), sum(sid),
               sum(pn), sum(psx), sum(psy), sum(psid)
        FROM tile_cell WHERE z = zoom + 1 GROUP BY 1, 3, 4;
    END LOOP;
    DELETE FROM tile_pending WHERE txid = txid_current();
END $$;
"""

# the notes' units, recomputed; the differences added to the cells of every zoom (without JIT:
# the generic plan's estimates would compile it, 30 ms per commit, for a handful of rows)
APPLY = f"""
CREATE FUNCTION leerstand_tile_apply(t bigint) RETURNS void LANGUAGE plpgsql
    SET jit = off AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tile_pending WHERE txid = t AND kind <> 't') THEN
        DELETE FROM tile_pending WHERE txid = t;
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK});
    IF EXISTS (SELECT 1 FROM tile_pending WHERE txid = t AND kind = 'a') THEN
        PERFORM leerstand_tile_rebuild();
        DELETE FROM tile_pending WHERE txid = t;
        RETURN;
    END IF;
    WITH ids AS (
        SELECT ref AS id FROM tile_pending WHERE txid = t AND kind = 'u'
        UNION SELECT u.id FROM tile_pending p JOIN unit u ON u.building_id = p.ref
            WHERE p.txid = t AND p.kind = 'b'
        UNION SELECT u.id FROM tile_pending p JOIN ownership o ON o.owner_id = p.ref
            JOIN unit u ON u.building_id = o.building_id WHERE p.txid = t AND p.kind = 'o'),
    fresh (unit_id, municipality_id, public, gx, gy) AS (
        SELECT {UNIT_STATE} FROM unit u JOIN building b ON b.id = u.building_id
        WHERE u.id IN (SELECT id FROM ids)),
    old AS (SELECT * FROM tile_unit WHERE unit_id IN (SELECT id FROM ids) FOR UPDATE),
    kept AS (
        INSERT INTO tile_unit SELECT * FROM fresh ON CONFLICT (unit_id) DO UPDATE
        SET municipality_id = excluded.municipality_id, public = excluded.public,
            gx = excluded.gx, gy = excluded.gy),
    gone AS (
        DELETE FROM tile_unit g USING old
        WHERE g.unit_id = old.unit_id
          AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.unit_id = old.unit_id)),
    delta AS (
        SELECT d.municipality_id, z, d.gx >> (30 - z) AS cx, d.gy >> (30 - z) AS cy,
               sum(d.sign) AS n, sum(d.sign * d.gx) AS sx, sum(d.sign * d.gy) AS sy,
               sum(d.sign * d.unit_id) AS sid,
               coalesce(sum(d.sign) FILTER (WHERE d.public), 0) AS pn,
               coalesce(sum(d.sign * d.gx) FILTER (WHERE d.public), 0) AS psx,
               coalesce(sum(d.sign * d.gy) FILTER (WHERE d.public), 0) AS psy,
               coalesce(sum(d.sign * d.unit_id) FILTER (WHERE d.public), 0) AS psid
        FROM (SELECT *, -1 AS sign FROM old UNION ALL SELECT *, 1 FROM fresh) d
        CROSS JOIN generate_series(0, {MAX_ZOOM}) AS z
        GROUP BY 1, 2, 3, 4)
    INSERT INTO tile_cell
    SELECT * FROM delta
    WHERE (n, sx, sy, sid, pn, psx, psy, psid) <> (0, 0, 0, 0, 0, 0, 0, 0)
    ORDER BY municipality_id, z, cx, cy
    ON CONFLICT (municipality_id, z, cx, cy) DO UPDATE
    SET n = tile_cell.n + excluded.n, sx = tile_cell.sx + excluded.sx,
        sy = tile_cell.sy + excluded.sy, sid = tile_cell.sid + excluded.sid,
        pn = tile_cell.pn + excluded.pn, psx = tile_cell.psx + excluded.psx,
        psy = tile_cell.psy + excluded.psy, psid = tile_cell.psid + excluded.psid;
    DELETE FROM tile_cell WHERE n = 0;
    DELETE FROM tile_pending WHERE txid = t;
END $$;
CREATE FUNCTION leerstand_tile_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM leerstand_tile_apply(NEW.txid);
    RETURN NULL;
END $$;
CREATE FUNCTION leerstand_tile_flush() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t bigint := txid_current_if_assigned();
BEGIN
    IF t IS NOT NULL THEN
        PERFORM leerstand_tile_apply(t);
    END IF;
END $$;
"""


def note_function(name: str, kind: str, changed: dict[str, str]) -> str:
    """A statement trigger's function noting the refs (``kind``) of the changed rows;
    ``changed`` per operation: SELECT of the refs from ``new_rows``/``old_rows``."""
    branches = "\n".join(
        f"    {'IF' if i == 0 else 'ELSIF'} TG_OP = '{op_name}' THEN\n"
        f"        SELECT array_agg(DISTINCT r) INTO refs FROM ({sql}) s(r) WHERE r IS NOT NULL;"
        for i, (op_name, sql) in enumerate(changed.items())
    )
    return f"""
CREATE FUNCTION leerstand_tile_note_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    refs bigint[];
BEGIN
{branches}
    END IF;
    IF TG_OP <> 'TRUNCATE' AND refs IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'TRUNCATE' OR cardinality(refs) > {MANY} THEN
        INSERT INTO tile_pending VALUES (txid_current(), 'a', 0) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO tile_pending SELECT txid_current(), '{kind}', r FROM unnest(refs) r
            ON CONFLICT DO NOTHING;
    END IF;
    INSERT INTO tile_pending VALUES (txid_current(), 't', 0) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
"""


def _both(column: str, differs: str) -> str:
    return (
        f"SELECT o.{column} FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {differs}"
        f" UNION SELECT n.{column} FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {differs}"
    )


# table: (kind, {operation: SELECT of the refs}); UPDATEs note only rows whose change counts
NOTES = {
    "unit": (
        "u",
        {
            "INSERT": "SELECT id FROM new_rows",
            "UPDATE": _both(
                "id",
                "(n.publishable, n.vacancy_state, n.building_id, n.municipality_id)"
                " IS DISTINCT FROM (o.publishable, o.vacancy_state, o.building_id,"
                " o.municipality_id)",
            ),
            "DELETE": "SELECT id FROM old_rows",
        },
    ),
    "building": (
        "b",
        {
            "UPDATE": _both(
                "id",
                "(ST_X(n.location), ST_Y(n.location)) IS DISTINCT FROM"
                " (ST_X(o.location), ST_Y(o.location))",
            ),
            "DELETE": "SELECT id FROM old_rows",
        },
    ),
    "ownership": (
        "b",
        {
            "INSERT": "SELECT building_id FROM new_rows",
            "UPDATE": "SELECT building_id FROM old_rows UNION SELECT building_id FROM new_rows",
            "DELETE": "SELECT building_id FROM old_rows",
        },
    ),
    "owner": (
        "o",
        {
            "UPDATE": _both("id", "n.is_municipality IS DISTINCT FROM o.is_municipality"),
            "DELETE": "SELECT id FROM old_rows",
        },
    ),
    "consent": (
        "o",
        {
            "INSERT": "SELECT owner_id FROM new_rows",
            "UPDATE": "SELECT owner_id FROM old_rows UNION SELECT owner_id FROM new_rows",
            "DELETE": "SELECT owner_id FROM old_rows",
        },
    ),
}
TRANSITIONS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _create_tables() -> None:
    op.create_table(
        "tile_unit",
        sa.Column("unit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("gx", sa.BigInteger(), nullable=False),
        sa.Column("gy", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_tile_unit")),
    )
    op.create_table(
        "tile_cell",
        sa.Column("municipality_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("z", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("cx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cy", sa.Integer(), autoincrement=False, nullable=False),
        *(
            sa.Column(name, sa.BigInteger(), nullable=False)
            for name in ("n", "sx", "sy", "sid", "pn", "psx", "psy", "psid")
        ),
        sa.PrimaryKeyConstraint("municipality_id", "z", "cx", "cy", name=op.f("pk_tile_cell")),
    )
    op.create_index(
        "ix_tile_cell_empty", "tile_cell", ["municipality_id"], postgresql_where=sa.text("n = 0")
    )
    op.create_table(
        "tile_pending",
        sa.Column("txid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(1), nullable=False),
        sa.Column("ref", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("txid", "kind", "ref", name=op.f("pk_tile_pending")),
    )


def upgrade():
    _create_tables()
    op.execute(GRID + REBUILD + APPLY)
    op.execute(
        "CREATE CONSTRAINT TRIGGER tile_pending_apply AFTER INSERT ON tile_pending"
        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.kind = 't')"
        " EXECUTE FUNCTION leerstand_tile_commit()"
    )
    for table, (kind, changed) in NOTES.items():
        op.execute(note_function(table, kind, changed))
        for event in changed:
            op.execute(
                f"CREATE TRIGGER {table}_tile_{event.lower()} AFTER {event} ON {table}"
                f" {TRANSITIONS[event]} FOR EACH STATEMENT"
                f" EXECUTE FUNCTION leerstand_tile_note_{table}()"
            )
        op.execute(
            f"CREATE TRIGGER {table}_tile_truncate AFTER TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION leerstand_tile_note_{table}()"
        )
    op.execute("SELECT leerstand_tile_rebuild()")


def downgrade():
    for table, (_kind, changed) in NOTES.items():
        for event in [*changed, "TRUNCATE"]:
            op.execute(f"DROP TRIGGER {table}_tile_{event.lower()} ON {table}")
        op.execute(f"DROP FUNCTION leerstand_tile_note_{table}()")
    op.drop_table("tile_pending")
    op.drop_table("tile_cell")
    op.drop_table("tile_unit")
    op.execute(
        "DROP FUNCTION leerstand_tile_flush(), leerstand_tile_commit(),"
        " leerstand_tile_apply(bigint), leerstand_tile_rebuild(),"
        " leerstand_tile_gx(double precision), leerstand_tile_gy(double precision)"
    )
