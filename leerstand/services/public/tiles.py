"""Vector tiles (Mapbox Vector Tile, ``ST_AsMVT``) of the public units, built by PostGIS in one
statement per tile.

A tile holds exactly the units whose location lies in its extent, half-open (west and north
edges belong to the tile, east and south edges to the neighbour), so every unit is in exactly
one tile of a zoom level. The GiST index of ``building.location`` (SRID 4326) finds them with
``&&`` against the tile's envelope in 4326 (``ST_TileEnvelope`` transformed, widened by a
hair against rounding); only the hits get Web Mercator coordinates (EPSG:3857's formulas on
lon/lat, cheaper than ``ST_Transform`` and ``ST_AsMVTGeom`` per row). A built tile is kept by
``tile_cache`` until the public data changes.

Below ``DETAIL_ZOOM`` the units of one cell of the tile's pixel grid (``CELL`` tile units,
64 px at 256 px tiles) become one feature: a cell with one unit is that unit (its public
properties), a cell with more is a cluster (``count``, no id, near the mean of its units), so
the counts of a tile add up to the units of its extent and a tile over a million units stays
at most ``(EXTENT / CELL)²`` features. From ``DETAIL_ZOOM`` on every unit is its own feature.
A unit's properties are the public allowlist of ``geojson.UNIT_PROPERTIES_SQL`` (the rule of
``UNIT_IS_PUBLIC`` and the filters of ``parse_units``, imported, never copied).

An unfiltered clustered tile (zoom ≤ ``tile_cells.MAX_ZOOM``) is read from the pre-aggregated
cell counts (``tile_cells``: at most 16 rows, whatever the number of units, kept current at
every commit); a filtered one and the detailed zooms are built from the units."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.messages import Text
from leerstand.services.interim_uses.state import PLANNED_START_SQL
from leerstand.services.public import tile_cache, tile_cells
from leerstand.services.public.geojson import (
    MUNICIPALITY,
    UNIT_FILTERS,
    UNIT_IS_PUBLIC,
    UNIT_PROPERTIES_SQL,
    active_filters,
)
from leerstand.services.public.params import PublicFilter
from leerstand.services.public.tile_cache import CachedTile

MAX_ZOOM = 22
DETAIL_ZOOM = 17  # from here on no clusters (as the map's markers before: one per unit)
EXTENT = 4096
CELL = 1024  # tile units per cluster cell: 64 px of a 256 px tile
MARGIN = 320  # 20 px
LAYER = "units"
# JIT compiling costs a second on the estimates of a low zoom's tile and saves nothing
NO_JIT = "SET LOCAL jit = off"


class TileError(ValueError):
    """A tile address outside the grid: ``args[0]`` the message, ``status`` 400 or 404."""

    def __init__(self, message: Text, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Tile:
    z: int
    x: int
    y: int

    def params(self) -> dict:
        cells = tile_cells.params(self.z, self.x, self.y) if self.z <= tile_cells.MAX_ZOOM else {}
        return {"tz": self.z, "tx": self.x, "ty": self.y, **cells}

    @property
    def clustered(self) -> bool:
        return self.z < DETAIL_ZOOM


def tile(z: int, x: int, y: int) -> Tile:
    """The tile ``z/x/y`` when it exists (0 ≤ z ≤ MAX_ZOOM, 0 ≤ x, y < 2^z), else TileError."""
    if not 0 <= z <= MAX_ZOOM:
        message = Text("Zoomstufe %(z)s liegt nicht in 0 bis %(max)s.", z=z, max=MAX_ZOOM)
        raise TileError(message, 400)
    if not (0 <= x < 2**z and 0 <= y < 2**z):
        message = Text("Die Kachel %(z)s/%(x)s/%(y)s gibt es nicht.", z=z, x=x, y=y)
        raise TileError(message, 404)
    return Tile(z, x, y)


# the tile's edges in Web Mercator and, for the index, its envelope in 4326 widened by a hair
ENVELOPE = """SELECT ST_XMin(e) AS x0, ST_XMax(e) AS x1, ST_YMin(e) AS y0, ST_YMax(e) AS y1,
        ST_Expand(ST_Transform(e, 4326), 1e-9) AS geo
    FROM ST_TileEnvelope(%(tz)s, %(tx)s, %(ty)s) AS e"""
# a location in Web Mercator (EPSG:3857's formulas on lon/lat: cheaper than ST_Transform)
MERCATOR = """CROSS JOIN LATERAL (SELECT ST_X(b.location) * 111319.49079327357 AS mx,
    ln(tan(radians(45 + ST_Y(b.location) / 2))) * 6378137 AS my) pm"""
# half-open: west and north edges in, east and south edges out (the neighbour's)
IN_TILE = """b.location && env.geo AND pm.mx >= env.x0 AND pm.mx < env.x1
    AND pm.my > env.y0 AND pm.my <= env.y1"""
# the position in tile units (0 … EXTENT, y down)
PIXEL = f"""(pm.mx - env.x0) / (env.x1 - env.x0) * {EXTENT} AS px,
    (env.y1 - pm.my) / (env.y1 - env.y0) * {EXTENT} AS py"""

# hits (id, px, py) → features (id, geom, count); a unit's properties over u, b, d, pl
# a unit alone in its cell stands where it is; a cluster at the mean of its units, kept
# ``MARGIN`` from its cell's edges, so two clusters are ever ≥ 40 px apart (their badge's size)
CLUSTERED = f"""cells AS (
    SELECT count(*) AS n, min(id) AS id, avg(px) AS px, avg(py) AS py,
           floor(px / {CELL}) * {CELL} AS cx, floor(py / {CELL}) * {CELL} AS cy
    FROM hits GROUP BY floor(px / {CELL}), floor(py / {CELL})),
features AS (
    SELECT CASE WHEN n = 1 THEN id END AS id, n AS count, CASE WHEN n = 1
        THEN ST_MakePoint(round(px), round(py))
        ELSE ST_MakePoint(round(least(greatest(px, cx + {MARGIN}), cx + {CELL - MARGIN})),
                          round(least(greatest(py, cy + {MARGIN}), cy + {CELL - MARGIN})))
        END AS geom
    FROM cells)"""
DETAILED = """features AS (
    SELECT id, 1 AS count, ST_MakePoint(round(px), round(py)) AS geom FROM hits)"""
TILE = """WITH env AS ({envelope}),
hits AS ({hits}),
{features}
SELECT ST_AsMVT(t, '{layer}', {extent}, 'geom', 'id') FROM (
    SELECT f.id, f.geom, f.count, {props_column} AS props
    FROM features f
    LEFT JOIN unit u ON u.id = f.id
    LEFT JOIN building b ON b.id = u.building_id
    LEFT JOIN district d ON d.id = b.district_id
    LEFT JOIN LATERAL (SELECT {planned} AS planned_from) pl ON f.id IS NOT NULL
) AS t"""


def tile_sql(hits: str, props: str, layer: str, clustered: bool, features: str = "") -> str:
    """One tile's statement: ``hits`` selects ``id`` and ``geom`` (tile units) of the units of
    the tile (``env`` is its envelope); ``props`` builds the JSON properties of one unit;
    ``features`` (the cells' CTE of ``tile_cells``) replaces the hits' when given."""
    return TILE.format(
        envelope=ENVELOPE,
        hits=hits,
        features=features or (CLUSTERED if clustered else DETAILED),
        layer=layer,
        extent=EXTENT,
        props_column=f"CASE WHEN f.id IS NOT NULL THEN ({props})::jsonb END",
        planned=PLANNED_START_SQL,
    )


def units_tile_sql(f: PublicFilter, t: Tile, from_cells: bool = True) -> tuple[str, dict]:
    """SQL (psycopg style) and parameters of the public units' tile ``t`` with the filters of
    ``f`` (its bbox, limit and offset are ignored); the caller adds the label JSON and
    ``unit_url`` (``map_labels.unit_extra``) as for the GeoJSON. ``from_cells=False``: built
    from the units even where the cell counts could serve (the benchmark's reference)."""
    names, params = active_filters(replace(f, bbox=None))
    params.update(t.params(), ags=f.ags, today=local_today())
    if from_cells and not names and t.z <= tile_cells.MAX_ZOOM:
        sql = cells_tile_sql(tile_cells.PUBLIC, MUNICIPALITY, UNIT_PROPERTIES_SQL, LAYER, t)
        return sql, params
    where = " AND ".join([f"u.municipality_id = {MUNICIPALITY}", UNIT_IS_PUBLIC.strip(), IN_TILE])
    where += "".join(f" AND {UNIT_FILTERS[name]}" for name in names)
    hits = f"""SELECT u.id, {PIXEL}
        FROM env, unit u JOIN building b ON b.id = u.building_id {MERCATOR}
        WHERE {where}"""
    return tile_sql(hits, UNIT_PROPERTIES_SQL, LAYER, t.clustered), params


def cells_tile_sql(columns: tuple, town: str, props: str, layer: str, t: Tile) -> str:
    """The statement of tile ``t`` from the cell counts (``tile_cells``), the parameters
    from ``Tile.params``; no hits: the units are not read but for a one-unit cell's props."""
    features = tile_cells.features_sql(columns, town, EXTENT, MARGIN)
    return tile_sql("SELECT NULL::int AS id", props, layer, True, features)


def run_tile(session: Session, sql: str, params: dict) -> CachedTile:
    """The tile (empty bytes for a tile without units) and its ETag, from the cache when the
    database shows the same snapshot as when it was built (``tile_cache``), else built on the
    session's connection."""
    driver = session.connection().connection.driver_connection
    with driver.cursor(binary=True) as cursor:
        key = tile_cache.key(cursor, sql, params)
        found = tile_cache.get(key)
        if found is not None:
            return found
        cursor.execute(NO_JIT)
        if "tile_cell" in sql:  # this transaction's own writes first (a test's)
            cursor.execute(tile_cells.FLUSH)
        row = cursor.execute(sql, params).fetchone()
    return tile_cache.put(key, bytes(row[0]) if row and row[0] is not None else b"")


def units_tile(session: Session, f: PublicFilter, t: Tile, extra: dict) -> CachedTile:
    sql, params = units_tile_sql(f, t)
    return run_tile(session, sql, {**params, **extra})
