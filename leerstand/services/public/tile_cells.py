"""The clustered tiles (zoom 0–16) of the unfiltered public units and of the register, read from
the pre-aggregated cell counts instead of from the units.

Migration 0021 keeps ``tile_cell``: per town, zoom and cell of a tile's 4 × 4 grid (64 px) the
number of units and the sums of their positions (integers on a 2³² Web Mercator grid) and ids,
for all units of the town and for the public ones. Statement triggers note every write that can
change a unit's town, position or public rule (unit, building, ownership, owner, consent); a
deferred trigger applies the notes at commit, in the writer's transaction, under an advisory
lock. So the counts are exactly as current as the rows they come from: a reader sees the new
counts in the same instant as the new units, and a tile built after a change is right at once
(no rebuild to wait for, no fall-back needed). A transaction that wrote and then asks for a
tile (a test's, never committed) applies its own notes first (``FLUSH``). Whoever fills tables
with triggers disabled calls ``leerstand_tile_rebuild()`` afterwards (the benchmarks do).

A tile's feature per non-empty cell: one unit – that unit (its id is the cell's sum of ids),
its position, its properties joined live from the unit; more – a cluster with ``count`` at the
mean position, kept ``margin`` from the cell's edges, as the live statement does
(``tiles.CLUSTERED``). Filtered requests (kind, Ortsteil, area …) and zoom ≥ 17 use the live
statement. This module never reads the units' rows for counting and never writes."""

from __future__ import annotations

MAX_ZOOM = 16  # the cells exist for zoom 0 … MAX_ZOOM (migration 0021)
FLUSH = "SELECT leerstand_tile_flush()"
GRID_BITS = 32  # positions are integers 0 … 2³² − 1 across the world
CELL_BITS = 2  # 2² × 2² cells per tile

# columns of tile_cell: all units of the town (the register) or the public ones
ALL = ("n", "sx", "sy", "sid")
PUBLIC = ("pn", "psx", "psy", "psid")


def params(z: int, x: int, y: int) -> dict:
    """The tile's origin on the grid, the grid units per tile unit, its cells' range."""
    shift = GRID_BITS - z
    return {
        "gx0": x << shift,
        "gy0": y << shift,
        "gscale": float(2 ** (shift - 12)),  # 4096 tile units per tile
        "cx0": x << CELL_BITS,
        "cy0": y << CELL_BITS,
        "cn": (1 << CELL_BITS) - 1,
    }


def features_sql(columns: tuple[str, ...], town: str, extent: int, margin: int) -> str:
    """The ``features`` CTE (id, count, geom in tile units) of the tile from the cells of
    ``town`` (SQL of a municipality id); ``columns`` ALL or PUBLIC."""
    n, sx, sy, sid = columns
    cell = extent >> CELL_BITS
    return f"""features AS (
    SELECT CASE WHEN c.n = 1 THEN c.sid END AS id, c.n AS count, CASE WHEN c.n = 1
        THEN ST_MakePoint(round(c.px), round(c.py))
        ELSE ST_MakePoint(round(least(greatest(c.px, c.x0 + {margin}), c.x0 + {cell - margin})),
                          round(least(greatest(c.py, c.y0 + {margin}), c.y0 + {cell - margin})))
        END AS geom
    FROM (SELECT {n} AS n, {sid} AS sid,
                 ({sx}::float8 / {n} - %(gx0)s) / %(gscale)s AS px,
                 ({sy}::float8 / {n} - %(gy0)s) / %(gscale)s AS py,
                 (cx - %(cx0)s) * {cell} AS x0, (cy - %(cy0)s) * {cell} AS y0
          FROM tile_cell
          WHERE municipality_id = {town} AND z = %(tz)s AND {n} > 0
            AND cx BETWEEN %(cx0)s AND %(cx0)s + %(cn)s
            AND cy BETWEEN %(cy0)s AND %(cy0)s + %(cn)s) c)"""
