"""The register map's layer: the filtered units inside the map's view as GeoJSON built by PostGIS.

At a zoom below ``SINGLES_ZOOM`` the units are clustered on a grid (``map_view.grid``): a cell
with one unit gives that unit's feature, a cell with more a cluster feature at their mean
position carrying ``count`` and ``bbox`` (the extent of its units, so a click can zoom to it).
From ``SINGLES_ZOOM`` on (or without a zoom) every unit is its own feature while at most
``MAX_FEATURES`` are in view; more are clustered as well. So no answer holds more than
MAX_FEATURES features, and the counts of an answer always add up to ``total``, the number of
filtered units in the view. The collection also carries ``clustered`` and ``extent`` (the
extent of those units, null when there are none)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    JSON,
    Float,
    Select,
    Text,
    bindparam,
    case,
    cast,
    false,
    func,
    literal_column,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.models import Building, Municipality, Unit
from leerstand.services.interim_uses import state as interim_state
from leerstand.services.register.filters import RegisterFilter
from leerstand.services.register.map_view import MAX_FEATURES, BBox, MapView, grid
from leerstand.services.register.search import address, conditions

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


@dataclass(frozen=True)
class LayerQuery:
    """What the layer is asked for: town, filter, view, and the words and link of a popup."""

    municipality_id: int
    filter: RegisterFilter
    view: MapView
    url_template: str  # the building page, ``{id}`` for its id
    labels: Mapping  # kind and vacancy_state: {code: label}; planned_interim with ``{date}``
    today: date


def _k(key: str):
    """A constant JSON key as SQL literal (static strings only)."""
    return literal_column(f"'{key}'")


def _label(labels, column):
    return func.coalesce(func.jsonb_extract_path_text(labels, column), column)


def _x():
    return func.ST_X(Building.location)


def _y():
    return func.ST_Y(Building.location)


def _in_view(q: LayerQuery) -> list:
    """The filter's conditions and, with a bbox, the units exactly inside it (edges included;
    ``&&`` alone compares rounded boxes, so the coordinates are compared as well)."""
    conds = conditions(q.filter, q.municipality_id, q.today)
    if q.view.bbox:
        x1, y1, x2, y2 = q.view.bbox
        envelope = func.ST_MakeEnvelope(x1, y1, x2, y2, 4326)
        conds += [Building.location.op("&&")(envelope), _x().between(x1, x2), _y().between(y1, y2)]
    return conds


def unit_feature(q: LayerQuery):
    """One unit's feature: address, name, kind and vacancy (a planned interim use reads
    "Zwischennutzung geplant ab dd.mm.yyyy", by the rule of the register's column), the link."""
    kind_labels = cast(bindparam("kind_labels", json.dumps(q.labels["kind"])), JSONB)
    state_labels = cast(bindparam("state_labels", json.dumps(q.labels["vacancy_state"])), JSONB)
    planned_label = func.replace(
        cast(bindparam("planned_label", q.labels["planned_interim"]), Text),
        "{date}",
        func.to_char(interim_state.planned_start_column(q.today), "DD.MM.YYYY"),
    )
    url = func.replace(
        cast(bindparam("url_template", q.url_template), Text), "{id}", cast(Building.id, Text)
    )
    props = func.json_build_object(
        _k("unit_id"), Unit.id,
        _k("name"), Unit.name,
        _k("address"), address(),
        _k("kind"), Unit.kind,
        _k("kind_label"), _label(kind_labels, Unit.kind),
        _k("vacancy_state"), Unit.vacancy_state,
        _k("vacancy_label"),
        func.coalesce(planned_label, _label(state_labels, Unit.vacancy_state)),
        _k("url"), url,
    )  # fmt: skip
    return func.json_build_object(
        _k("type"), _k("Feature"),
        _k("id"), Unit.id,
        _k("properties"), props,
        _k("geometry"), cast(func.ST_AsGeoJSON(Building.location, 6), JSON),
    )  # fmt: skip


def _collection(features, total, clustered, extent) -> Select:
    """Two columns: the collection as text and ``total``; ``features`` a subquery with one
    column ``feature``, the rest SQL expressions."""
    return select(
        cast(
            func.json_build_object(
                _k("type"),
                _k("FeatureCollection"),
                _k("total"),
                total,
                _k("clustered"),
                clustered,
                _k("extent"),
                extent,
                _k("features"),
                func.coalesce(
                    select(func.json_agg(features.c.feature)).scalar_subquery(),
                    literal_column("'[]'::json"),
                ),
            ),
            Text,
        ),  # fmt: skip
        total,
    )


def _extent(x1, y1, x2, y2):
    """[minLon, minLat, maxLon, maxLat] over the rows of the columns' table; null for none."""
    box = func.json_build_array(func.min(x1), func.min(y1), func.max(x2), func.max(y2))
    return select(case((func.count() > 0, box))).scalar_subquery()


def singles_statement(q: LayerQuery) -> Select:
    """Every unit in view as its own feature, by id, at most MAX_FEATURES + 1 (one more tells
    that there are too many)."""
    page = (
        select(Unit.id.label("unit_id"), _x().label("x"), _y().label("y"))
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
    extent = _extent(page.c.x, page.c.y, page.c.x, page.c.y)
    return _collection(features, counted, false(), extent)


def clusters_statement(q: LayerQuery, cell: tuple[float, float]) -> Select:
    """The units in view grouped by grid cell: one-unit cells as the unit, the others as
    clusters with their count and extent."""
    width = bindparam("cell_width", cell[0], Float)
    height = bindparam("cell_height", cell[1], Float)
    x, y = _x(), _y()
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
        _k("type"), _k("Feature"),
        _k("geometry"), cast(func.ST_AsGeoJSON(func.ST_MakePoint(cells.c.cx, cells.c.cy), 6), JSON),
        _k("properties"), func.json_build_object(
            _k("cluster"), true(),
            _k("count"), cells.c.n,
            _k("bbox"), func.json_build_array(cells.c.x1, cells.c.y1, cells.c.x2, cells.c.y2),
        ),
    )  # fmt: skip
    groups = select(cluster.label("feature"), cells.c.unit_id.label("key")).where(cells.c.n > 1)
    features = singles.union_all(groups).order_by("key").subquery("features")
    total = select(func.coalesce(func.sum(cells.c.n), 0)).scalar_subquery()
    clustered = select(func.bool_or(cells.c.n > 1)).scalar_subquery()
    extent = _extent(cells.c.x1, cells.c.y1, cells.c.x2, cells.c.y2)
    return _collection(features, total, func.coalesce(clustered, false()), extent)


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
) -> str:
    """The FeatureCollection (text) of the filtered units in ``view``; see the module."""
    q = LayerQuery(municipality_id, f, view, url_template, labels, today or local_today())
    for setting in SETTINGS:
        session.execute(text(setting))
    if view.wants_singles:
        body, total = session.execute(singles_statement(q)).one()
        if total <= MAX_FEATURES:
            return body
    extent = view.bbox or _town_extent(session, municipality_id)
    return session.execute(clusters_statement(q, grid(view, extent))).scalar_one()
