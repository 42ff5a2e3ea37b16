"""The register map's clusters for an unfiltered view, from the pre-aggregated cell counts
(``tile_cell``, migration 0021; ``services/public/tile_cells``) instead of grouping every unit.

The grid is the tiles' (cells of the display zoom ``zc``: one below the map's zoom, so 128 px
on the map, lowered until at most ``MAX_CELLS_ACROSS`` cells span the view, at most
``tile_cells.MAX_ZOOM``). A view
without bbox is the whole town: its cells at ``zc`` as they are. With a bbox the counts stay
exact (the units inside the box, edges included, as ``map_layer``): each display cell is the
sum of the largest cells at zoom ``zc`` … 16 lying wholly inside the box (a quadtree: a cell
counts when it is inside and its parent is not), plus the units of the box's rim – those whose
zoom-16 cell is not wholly inside – read from the units (the four strips along the edges, by the
spatial index). Positions are integers on a 2³² Web Mercator grid (``leerstand_tile_gx/gy``),
so "wholly inside" is exact integer arithmetic, the box's edges compared one grid unit inside.

A cell with one unit is that unit's feature (``map_features.unit_feature``, its id the cell's sum
of ids); a cluster stands at the mean of its units kept ``MARGIN_PX`` inside its cell (so two
clusters are at least a badge apart, as on the public tiles) and carries ``count`` and as
``bbox`` the extent of its non-empty cells three zooms finer (8 px on the map), within the
view (a click zooms there); the collection's ``extent`` is the extent of those. Never reads
the units but for the rim and the single units' properties; never writes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    Select,
    cast,
    column,
    false,
    func,
    select,
    text,
    true,
)

from leerstand.models import Building, Unit
from leerstand.services.public import tile_cells
from leerstand.services.register.filters import RegisterFilter
from leerstand.services.register.map_features import (
    LayerQuery,
    collection,
    extent_of,
    k,
    unit_feature,
)
from leerstand.services.register.map_view import MAX_CELLS_ACROSS, BBox

FINEST = tile_cells.MAX_ZOOM
CELL_PX = 128  # a display cell on the map
MARGIN_PX = 26  # a cluster's distance from its cell's edges: clusters ≥ 52 px apart


def gx(lon: float) -> int:
    """``leerstand_tile_gx`` in Python (the grid column of a longitude)."""
    return min(2**32 - 1, max(0, math.floor((lon + 180) / 360 * 2**32)))


def gy(lat: float) -> int:
    """``leerstand_tile_gy`` in Python (the grid row of a latitude, from the north)."""
    lat = min(85.0511287798, max(-85.0511287798, lat))
    y = (1 - math.log(math.tan(math.radians(45 + lat / 2))) / math.pi) / 2
    return min(2**32 - 1, max(0, math.floor(y * 2**32)))


def lon_of(g: float) -> float:
    return g / 2**32 * 360 - 180


def lat_of(g: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * g / 2**32))))


def display_zoom(zoom: int | None, box: BBox) -> int:
    """The tile zoom of the display cells: ``zoom`` − 1 (128 px cells on the map) or less,
    until at most MAX_CELLS_ACROSS cells span ``box`` either way; never above the cells'
    finest zoom."""
    x1, y1, x2, y2 = box
    width, height = gx(x2) - gx(x1), gy(y1) - gy(y2)
    z = FINEST if zoom is None else min(max(zoom - 1, 0), FINEST)
    while z > 0 and max(width, height) >> (30 - z) >= MAX_CELLS_ACROSS:
        z -= 1
    return z


@dataclass(frozen=True)
class Inner:
    """The cells of zoom ``z`` wholly inside the box: ``x0 … x1`` × ``y0 … y1`` (empty when
    x0 > x1 or y0 > y1)."""

    z: int
    x0: int
    x1: int
    y0: int
    y1: int

    def row(self) -> str:
        return f"({self.z}, {self.x0}, {self.x1}, {self.y0}, {self.y1})"


def inner(z: int, box: BBox) -> Inner:
    """Cells whose grid range lies within the box shrunk by one grid unit (a unit on the
    grid unit of an edge may lie just outside: the rim decides it from its coordinates)."""
    x1, y1, x2, y2 = box
    lo_x, hi_x, lo_y, hi_y = gx(x1) + 1, gx(x2) - 1, gy(y2) + 1, gy(y1) - 1
    size = 1 << (30 - z)
    first_x, first_y = -(-lo_x // size), -(-lo_y // size)  # ceiling
    return Inner(z, first_x, (hi_x + 1) // size - 1, first_y, (hi_y + 1) // size - 1)


LEVELS = """levels (z, x0, x1, y0, y1) AS (VALUES {rows})"""

# the parts of the display cells: inner cells whose parent is not inner, then the rim's units
PARTS_BBOX = """parts AS (
    SELECT c.cx >> (c.z - :zc) AS dx, c.cy >> (c.z - :zc) AS dy,
           c.n, c.sx, c.sy, c.sid
    FROM levels l JOIN tile_cell c ON c.municipality_id = :m AND c.z = l.z
        AND c.cx BETWEEN l.x0 AND l.x1 AND c.cy BETWEEN l.y0 AND l.y1
    LEFT JOIN levels p ON p.z = l.z - 1 AND p.z >= :zc
        AND (c.cx >> 1) BETWEEN p.x0 AND p.x1 AND (c.cy >> 1) BETWEEN p.y0 AND p.y1
    WHERE c.n > 0 AND p.z IS NULL
    UNION ALL
    SELECT r.gx >> (30 - :zc), r.gy >> (30 - :zc), 1, r.gx, r.gy, r.id
    FROM (SELECT u.id, leerstand_tile_gx(ST_X(b.location)) AS gx,
                 leerstand_tile_gy(ST_Y(b.location)) AS gy
          FROM unit u JOIN building b ON b.id = u.building_id
          WHERE u.municipality_id = :m AND b.municipality_id = :m
            AND ({strips})
            AND ST_X(b.location) BETWEEN :x1 AND :x2
            AND ST_Y(b.location) BETWEEN :y1 AND :y2) r
    WHERE NOT ((r.gx >> {finest_shift}) BETWEEN :fx0 AND :fx1
               AND (r.gy >> {finest_shift}) BETWEEN :fy0 AND :fy1))"""
PARTS_TOWN = """parts AS (
    SELECT cx AS dx, cy AS dy, n, sx, sy, sid FROM tile_cell
    WHERE municipality_id = :m AND z = :zc AND n > 0
      AND cx BETWEEN :tx0 AND :tx1 AND cy BETWEEN :ty0 AND :ty1)"""
STRIP = "b.location && ST_MakeEnvelope({}, {}, {}, {}, 4326)"

# a grid column / row (SQL) in degrees
LON = "({g}) / 4294967296.0 * 360 - 180"
LAT = "degrees(atan(sinh(pi() * (1 - 2 * ({g}) / 4294967296.0))))"
# display cells → their sums, a cluster's position (the mean, MARGIN_PX inside the cell) and
# extent in degrees (clipped to the view): that of their non-empty cells at zoom zf (three
# finer, 8 px, or the finest), else their own
CELLS = f"""fine AS (
    SELECT cx >> (:zf - :zc) AS dx, cy >> (:zf - :zc) AS dy,
           min(cx)::bigint AS x0, max(cx)::bigint + 1 AS x1,
           min(cy)::bigint AS y0, max(cy)::bigint + 1 AS y1
    FROM tile_cell
    WHERE municipality_id = :m AND z = :zf AND n > 0
      AND cx BETWEEN :fcx0 AND :fcx1 AND cy BETWEEN :fcy0 AND :fcy1
    GROUP BY 1, 2),
sums AS (
    SELECT dx::bigint AS dx, dy::bigint AS dy, sum(n)::bigint AS n, sum(sx) AS sx,
           sum(sy) AS sy, sum(sid)::bigint AS sid
    FROM parts GROUP BY 1, 2),
cells AS (
    SELECT s.*,
        least(greatest(s.sx / s.n, (s.dx << (30 - :zc)) + :margin),
              ((s.dx + 1) << (30 - :zc)) - :margin) AS mx,
        least(greatest(s.sy / s.n, (s.dy << (30 - :zc)) + :margin),
              ((s.dy + 1) << (30 - :zc)) - :margin) AS my,
        greatest(:x1, {LON.format(g="coalesce(f.x0 << (30 - :zf), s.dx << (30 - :zc))")}) AS w,
        least(:x2, {LON.format(g="coalesce(f.x1 << (30 - :zf), (s.dx + 1) << (30 - :zc))")}) AS e,
        greatest(:y1, {LAT.format(g="coalesce(f.y1 << (30 - :zf), (s.dy + 1) << (30 - :zc))")})
            AS s,
        least(:y2, {LAT.format(g="coalesce(f.y0 << (30 - :zf), s.dy << (30 - :zc))")}) AS nn
    FROM sums s LEFT JOIN fine f ON f.dx = s.dx AND f.dy = s.dy)"""


def cells_subquery(municipality_id: int, zoom: int | None, box: BBox, in_view: bool):
    """The display cells (dx, dy, n, sx, sy, sid, a cluster's position mx, my on the grid and
    the extent w, e, s, nn in degrees) of the
    town's units in ``box`` (``in_view``: the map's bbox, counted exactly; else the town's
    extent, every unit) as the CTE ``cells``."""
    zc = display_zoom(zoom, box)
    x1, y1, x2, y2 = box
    zf = min(zc + 3, FINEST)
    margin = (1 << (30 - zc)) * MARGIN_PX // CELL_PX  # in grid units
    params = {"m": municipality_id, "zc": zc, "zf": zf, "margin": margin}
    params.update(x1=x1, y1=y1, x2=x2, y2=y2)
    shift = 30 - zf
    params.update(fcx0=gx(x1) >> shift, fcx1=gx(x2) >> shift)
    params.update(fcy0=gy(y2) >> shift, fcy1=gy(y1) >> shift)
    if in_view:
        parts, more = bbox_sql(zc, box)
        params.update(more)
        sql = f"WITH {parts},\n{CELLS}"
    else:  # every cell of the town, its extent unclipped
        params.update(x1=-180.0, y1=-90.0, x2=180.0, y2=90.0)
        params.update(tx0=0, tx1=2 ** (zc + 2), ty0=0, ty1=2 ** (zc + 2))
        sql = f"WITH {PARTS_TOWN},\n{CELLS}"
    names = ("dx", "dy", "n", "sx", "sy", "sid", "mx", "my", "w", "e", "s", "nn")
    statement = text(sql + f" SELECT {', '.join(names)} FROM cells").bindparams(**params)
    types = (BigInteger, BigInteger, BigInteger, Float, Float, BigInteger)
    types += (Float,) * 6
    columns = (column(n, t) for n, t in zip(names, types, strict=True))
    return statement.columns(*columns).cte("cells")  # one evaluation for all its readers


def bbox_sql(zc: int, box: BBox) -> tuple[str, dict]:
    """The ``levels`` and ``parts`` CTEs of a view with a bbox, and their parameters."""
    levels = [inner(z, box) for z in range(zc, FINEST + 1)]
    finest = levels[-1]
    x1, y1, x2, y2 = box
    size = 1 << (30 - FINEST)
    # the rim: the box minus the finest inner cells (as degrees, a hair wide of them)
    in_w, in_e = lon_of(finest.x0 * size), lon_of((finest.x1 + 1) * size)
    in_n, in_s = lat_of(finest.y0 * size), lat_of((finest.y1 + 1) * size)
    hair = 1e-9
    if finest.x0 > finest.x1 or finest.y0 > finest.y1:
        strips = [(x1, y1, x2, y2)]
    else:
        strips = [
            (x1, y1, in_w + hair, y2),
            (in_e - hair, y1, x2, y2),
            (x1, in_n - hair, x2, y2),
            (x1, y1, x2, in_s + hair),
        ]
    strip_sql = " OR ".join(STRIP.format(*map(repr, map(float, s))) for s in strips)
    sql = (
        LEVELS.format(rows=", ".join(level.row() for level in levels))
        + ",\n"
        + PARTS_BBOX.format(strips=strip_sql, finest_shift=30 - FINEST)
    )
    params = {"fx0": finest.x0, "fx1": finest.x1, "fy0": finest.y0, "fy1": finest.y1}
    return sql, params


def cells_statement(q: LayerQuery, box: BBox) -> Select:
    """An unfiltered view clustered from the cell counts: one-unit cells as the unit (its id
    is the cell's sum of ids), the others as clusters with their count and extent."""
    cells = cells_subquery(q.municipality_id, q.view.zoom, box, q.view.bbox is not None)
    singles = (
        select(unit_feature(q).label("feature"), cells.c.dx, cells.c.dy)
        .select_from(cells)
        .join(Unit, Unit.id == cells.c.sid)
        .join(Building, Unit.building_id == Building.id)
        .where(cells.c.n == 1)
    )
    lon = func.degrees(cells.c.mx / 4294967296.0 * 2 * func.pi()) - 180
    y = cells.c.my / 4294967296.0
    lat = func.degrees(func.atan(func.sinh(func.pi() * (1 - 2 * y))))
    cluster = func.json_build_object(
        k("type"), k("Feature"),
        k("geometry"), cast(func.ST_AsGeoJSON(func.ST_MakePoint(lon, lat), 6), JSON),
        k("properties"), func.json_build_object(
            k("cluster"), true(),
            k("count"), cells.c.n,
            k("bbox"), func.json_build_array(cells.c.w, cells.c.s, cells.c.e, cells.c.nn),
        ),
    )  # fmt: skip
    groups = select(cluster.label("feature"), cells.c.dx, cells.c.dy).where(cells.c.n > 1)
    features = singles.union_all(groups).order_by("dx", "dy").subquery("features")
    total = select(func.coalesce(func.sum(cells.c.n), 0)).scalar_subquery()
    clustered = select(func.bool_or(cells.c.n > 1)).scalar_subquery()
    extent = extent_of(cells.c.w, cells.c.s, cells.c.e, cells.c.nn)
    return collection(features, total, func.coalesce(clustered, false()), extent)


def unfiltered(f: RegisterFilter) -> bool:
    """No criterion of the register's filter is set (sort and page do not count)."""
    return not (
        f.district_id or f.focus_area_id or f.kind or f.vacancy_state or f.contact_state
        or f.follow_up_due or f.q or f.vacant_months is not None
    )  # fmt: skip
