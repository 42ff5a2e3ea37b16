"""The register map's layer: the filtered units inside the map's view as GeoJSON built by PostGIS.

At a zoom below ``SINGLES_ZOOM`` the units are clustered on a grid (``map_view.grid``): a cell
with one unit gives that unit's feature, a cell with more a cluster feature at their mean
position carrying ``count`` and ``bbox`` (the extent of its units, so a click can zoom to it).
From ``SINGLES_ZOOM`` on (or without a zoom) every unit is its own feature while at most
``MAX_FEATURES`` are in view; more are clustered as well. So no answer holds more than
MAX_FEATURES features, and the counts of an answer always add up to ``total``, the number of
filtered units in the view. The collection also carries ``clustered`` and ``extent`` (the
extent of those units, null when there are none).

Without any of the register's filters the clusters come from the pre-aggregated cell counts
(``map_cells``: the tiles' grid of 64 px cells, the counts still exact for the view, a
cluster's ``bbox`` its cell's extent within the view) instead of grouping up to a million
units; with a filter the units are grouped as above."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import (
    JSON,
    Float,
    Select,
    bindparam,
    cast,
    false,
    func,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.models import Building, Municipality, Unit
from leerstand.services.public import tile_cells
from leerstand.services.register import map_cells
from leerstand.services.register.filters import RegisterFilter
from leerstand.services.register.map_features import (
    LayerQuery,
    collection,
    extent_of,
    k,
    lat,
    lon,
    unit_feature,
)
from leerstand.services.register.map_view import MAX_FEATURES, BBox, MapView, grid
from leerstand.services.register.search import conditions

WORLD: BBox = (-180.0, -90.0, 180.0, 90.0)
# For the rest of the (read-only) request: grouping a whole town's units hashes up to a million
# rows (the default 4 MB spills to disk), the estimates of such a plan trigger a JIT compilation
# that costs more than it saves, and once psycopg prepares the statement (its sixth run on a
# connection) PostgreSQL may switch to a generic plan that cannot see the bbox: 10.8 s instead
# of 3 s for the whole town at a million units (scripts/bench_register.py).
SETTINGS = (
    "SET LOCAL work_mem = '32MB'",
    "SET LOCAL jit = off",
    "SET LOCAL plan_cache_mode = force_custom_plan",
)


def _in_view(q: LayerQuery) -> list:
    """The filter's conditions and, with a bbox, the units exactly inside it (edges included;
    ``&&`` alone compares rounded boxes, so the coordinates are compared as well)."""
    conds = conditions(q.filter, q.municipality_id, q.today)
    if q.view.bbox:
        x1, y1, x2, y2 = q.view.bbox
        envelope = func.ST_MakeEnvelope(x1, y1, x2, y2, 4326)
        conds += [
            Building.location.op("&&")(envelope),
            lon().between(x1, x2),
            lat().between(y1, y2),
        ]
    return conds


def singles_statement(q: LayerQuery) -> Select:
    """Every unit in view as its own feature, by id, at most MAX_FEATURES + 1 (one more tells
    that there are too many)."""
    page = (
        select(Unit.id.label("unit_id"), lon().label("x"), lat().label("y"))
        .join(Building, Unit.building_id == Building.id)
        .where(*_in_view(q))
        .order_by(Unit.id)
        .limit(MAX_FEATURES + 1)
        .cte("page")
    )
    features = (
        select(unit_feature(q).label("feature"))
        .select_from(page)
        .join(Unit, Unit.id == page.c.unit_id)
        .join(Building, Unit.building_id == Building.id)
        .order_by(Unit.id)
        .subquery("features")
    )
    counted = select(func.count()).select_from(page).scalar_subquery()
    extent = extent_of(page.c.x, page.c.y, page.c.x, page.c.y)
    return collection(features, counted, false(), extent)


def clusters_statement(q: LayerQuery, cell: tuple[float, float]) -> Select:
    """The units in view grouped by grid cell: one-unit cells as the unit, the others as
    clusters with their count and extent."""
    width = bindparam("cell_width", cell[0], Float)
    height = bindparam("cell_height", cell[1], Float)
    x, y = lon(), lat()
    cells = (
        select(
            func.count().label("n"),
            func.min(Unit.id).label("unit_id"),
            func.min(x).label("x1"),
            func.min(y).label("y1"),
            func.max(x).label("x2"),
            func.max(y).label("y2"),
            func.avg(x).label("cx"),
            func.avg(y).label("cy"),
        )  # fmt: skip
        .join(Building, Unit.building_id == Building.id)
        .where(*_in_view(q))
        .group_by(func.floor(x / width), func.floor(y / height))
        .cte("cells")
    )
    singles = (
        select(unit_feature(q).label("feature"), Unit.id.label("key"))
        .select_from(cells)
        .join(Unit, Unit.id == cells.c.unit_id)
        .join(Building, Unit.building_id == Building.id)
        .where(cells.c.n == 1)
    )
    cluster = func.json_build_object(
        k("type"), k("Feature"),
        k("geometry"), cast(func.ST_AsGeoJSON(func.ST_MakePoint(cells.c.cx, cells.c.cy), 6), JSON),
        k("properties"), func.json_build_object(
            k("cluster"), true(),
            k("count"), cells.c.n,
            k("bbox"), func.json_build_array(cells.c.x1, cells.c.y1, cells.c.x2, cells.c.y2),
        ),
    )  # fmt: skip
    groups = select(cluster.label("feature"), cells.c.unit_id.label("key")).where(cells.c.n > 1)
    features = singles.union_all(groups).order_by("key").subquery("features")
    total = select(func.coalesce(func.sum(cells.c.n), 0)).scalar_subquery()
    clustered = select(func.bool_or(cells.c.n > 1)).scalar_subquery()
    extent = extent_of(cells.c.x1, cells.c.y1, cells.c.x2, cells.c.y2)
    return collection(features, total, func.coalesce(clustered, false()), extent)


def _town_extent(session: Session, municipality_id: int) -> BBox:
    """The extent of the town's boundary (the grid of a request without bbox); the world when
    the town has none."""
    boundary = Municipality.boundary
    row = session.execute(
        select(
            func.ST_XMin(boundary),
            func.ST_YMin(boundary),
            func.ST_XMax(boundary),
            func.ST_YMax(boundary),
        ).where(Municipality.id == municipality_id)  # fmt: skip
    ).one_or_none()
    return tuple(row) if row and row[0] is not None else WORLD


def layer(
    session: Session,
    municipality_id: int,
    f: RegisterFilter,
    view: MapView,
    url_template: str,
    labels: Mapping,
    today: date | None = None,
    from_cells: bool = True,
) -> str:
    """The FeatureCollection (text) of the filtered units in ``view``; see the module.
    ``from_cells=False`` groups the units even where the cell counts could serve (the
    benchmark's reference)."""
    q = LayerQuery(municipality_id, f, view, url_template, labels, today or local_today())
    for setting in SETTINGS:
        session.execute(text(setting))
    if view.wants_singles:
        body, total = session.execute(singles_statement(q)).one()
        if total <= MAX_FEATURES:
            return body
    extent = view.bbox or _town_extent(session, municipality_id)
    if from_cells and map_cells.unfiltered(f):
        session.execute(text(tile_cells.FLUSH))  # this transaction's own writes (a test's)
        return session.execute(map_cells.cells_statement(q, extent)).scalar_one()
    return session.execute(clusters_statement(q, grid(view, extent))).scalar_one()
