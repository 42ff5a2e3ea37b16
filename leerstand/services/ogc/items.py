"""FeatureCollections and single features of the OGC API, each ONE SQL statement whose text
result is passed through as bytes (like ``services.public.geojson``).

A collection's SQL has three parts: ``matched`` (the ids of every feature that passes the
public rule and the filters), ``page`` (``limit``/``offset`` of them by id) and the features
of the page, built with the public allowlist of ``services.public.geojson`` (the same property
lists, not a copy). ``public.collection.paged_collection`` joins them into one statement:
JSON only for the page's ids, ``numberMatched`` kept per filter until the public data changes
and a deep page started from the nearest of its checkpoints (``public.counts``, shared with
``/api/*.geojson``); it adds ``timeStamp`` and the links (``next`` only when more features
follow).
Coordinates are CRS84 with 6 decimals or EPSG:25832 in metres with 2 decimals (``ST_Transform``
by PostGIS)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from leerstand.services.interim_uses.state import PLANNED_START_SQL
from leerstand.services.ogc.query import ItemsQuery
from leerstand.services.public.fields import unit_ids
from leerstand.services.public.geojson import (
    AREA_SOURCES,
    PROPOSAL_FILTERS,
    PROPOSAL_GEOMETRY,
    PROPOSAL_PROPERTIES_SQL,
    PUBLIC_UNIT_ID,
    UNIT_FILTERS,
    UNIT_IS_PUBLIC,
    UNIT_PROPERTIES_SQL,
    _row,
    _run,
    active_filters,
)
from leerstand.spatial.crs import WGS84

FEATURE = """json_build_object('type', 'Feature', 'id', {id},
    'geometry', {geometry}, 'properties', {properties}{extra})"""
# the page's links: ``links_next`` (with rel "next") only when more features follow
MEMBERS = """, 'timeStamp', %(time_stamp)s::text,
    'links', CASE WHEN (SELECT n FROM total) > %(offset)s + count(f.id)
                  THEN %(links_next)s::json ELSE %(links)s::json END"""
SINGLE = """WITH page AS ({matched})
SELECT (SELECT f.feature FROM ({features}) f)::text"""


def geometry_sql(column: str, crs: int) -> str:
    if crs == WGS84:
        return f"ST_AsGeoJSON({column}, 6)::json"
    return f"ST_AsGeoJSON(ST_Transform({column}, {int(crs)}), 2)::json"


def bbox_sql(column: str, q: ItemsQuery) -> str:
    envelope = f"ST_MakeEnvelope(%(x1)s, %(y1)s, %(x2)s, %(y2)s, {int(q.bbox_crs)})"
    if q.bbox_crs == WGS84:
        return f"{column} && {envelope}"
    return f"ST_Intersects({column}, ST_Transform({envelope}, 4326))"


def period_sql(first: str, last: str, q: ItemsQuery) -> list[str]:
    """A feature's period [first, last] (NULL = open) intersects the asked one."""
    start, end = q.period or (None, None)
    out = []
    if end is not None:
        out.append(f"({first} IS NULL OR {first} <= %(period_end)s)")
    if start is not None:
        out.append(f"({last} IS NULL OR {last} >= %(period_start)s)")
    return out


def _where(q: ItemsQuery, filters: dict, geometry: str, period: tuple[str, str] | None):
    """(SQL conditions, params) for the bbox, datetime and public filters of ``q``."""
    names, params = active_filters(q.filter)
    conditions = [filters[name] for name in names if name != "bbox"]
    if q.bbox:
        conditions.append(bbox_sql(geometry, q))
        params.update(zip(("x1", "y1", "x2", "y2"), q.bbox, strict=True))
    if period and q.period:
        conditions += period_sql(*period, q)
        params.update(period_start=q.period[0], period_end=q.period[1])
    return conditions, params


UNIT_JOINS = f"""JOIN unit u ON u.id = page.id JOIN building b ON b.id = u.building_id
    LEFT JOIN district d ON d.id = b.district_id
    CROSS JOIN LATERAL (SELECT {PLANNED_START_SQL} AS planned_from) pl"""
PROPOSAL_GEOMETRY_JOIN = (
    f"CROSS JOIN LATERAL (SELECT {PROPOSAL_GEOMETRY} AS geom, {PUBLIC_UNIT_ID} AS unit_id) g"
)


def units_parts(q: ItemsQuery, extra: str = "") -> tuple[str, str, dict]:
    """(matched, features, params) of the public units; needs ``municipality_id``, ``today``
    and the label params of ``map_labels.unit_extra``."""
    conditions, params = _where(
        q, UNIT_FILTERS, "b.location", ("u.available_from", "u.available_to")
    )
    where = " AND ".join(["u.municipality_id = %(municipality_id)s", UNIT_IS_PUBLIC, *conditions])
    matched = unit_ids(where)
    feature = FEATURE.format(
        id="u.id", geometry=geometry_sql("b.location", q.crs), properties=UNIT_PROPERTIES_SQL,
        extra=extra,
    )  # fmt: skip
    return matched, f"SELECT u.id, {feature} AS feature FROM page {UNIT_JOINS}", params


def proposals_parts(q: ItemsQuery, extra: str = "") -> tuple[str, str, dict]:
    """(matched, features, params) of the published proposals."""
    conditions, params = _where(q, PROPOSAL_FILTERS, "g.geom", ("p.time_from", "p.time_to"))
    where = " AND ".join(
        ["p.state = 'published'", "p.municipality_id = %(municipality_id)s", *conditions]
    )
    matched = f"SELECT p.id FROM proposal p {PROPOSAL_GEOMETRY_JOIN} WHERE {where}"
    feature = FEATURE.format(
        id="p.id", geometry=geometry_sql("g.geom", q.crs), properties=PROPOSAL_PROPERTIES_SQL,
        extra=extra,
    )  # fmt: skip
    features = f"""SELECT p.id, {feature} AS feature FROM page
        JOIN proposal p ON p.id = page.id JOIN initiative i ON i.id = p.initiative_id
        {PROPOSAL_GEOMETRY_JOIN}"""
    return matched, features, params


def area_parts(layer: str, q: ItemsQuery, extra: str = "") -> tuple[str, str, dict]:
    """(matched, features, params) of the boundary, Ortsteile or focus areas."""
    table, geometry, properties, _order, where = AREA_SOURCES[layer]
    conditions, params = _where(q, {}, geometry, None)
    where = " AND ".join([where.format(m="%(municipality_id)s"), *conditions])
    matched = f"SELECT id FROM {table} WHERE {where}"
    feature = FEATURE.format(
        id="t.id", geometry=geometry_sql(geometry, q.crs), properties=properties, extra=extra
    )
    return matched, f"SELECT t.id, {feature} AS feature FROM page JOIN {table} t USING (id)", params


def parts(source: str, q: ItemsQuery, extra: str = "") -> tuple[str, str, dict]:
    if source == "units":
        return units_parts(q, extra)
    if source == "proposals":
        return proposals_parts(q, extra)
    return area_parts(source, q, extra)


def collection_parts(source: str, q: ItemsQuery, today: date) -> tuple[str, str, dict]:
    """(matched, features, params) of a page; the caller adds ``municipality_id``,
    ``time_stamp``, ``links`` and ``links_next`` (JSON arrays) and the label params, and makes
    the statement with ``public.collection.paged_collection`` and ``MEMBERS``."""
    matched, features, params = parts(source, q)
    return matched, features, {**params, "limit": q.limit, "offset": q.offset, "today": today}


def feature_sql(source: str, q: ItemsQuery, feature_id: int, today: date) -> tuple[str, dict]:
    """One feature (with ``links``) when it passes the public rule, else no text."""
    matched, features, params = parts(source, q, extra=", 'links', %(links)s::json")
    sql = SINGLE.format(
        matched=f"{matched} AND {_id_column(source)} = %(only_id)s", features=features
    )
    return sql, {**params, "only_id": feature_id, "today": today}


def _id_column(source: str) -> str:
    return {"units": "u.id", "proposals": "p.id"}.get(source, "id")


def run(session: Session, sql: str, params: dict) -> bytes | None:
    """The statement's text (first column) as bytes, on the session's connection."""
    return _run(session, sql, params)


def run_page(session: Session, sql: str, params: dict) -> tuple[bytes, int]:
    """A ``paged_collection`` statement's text as bytes and its number matched."""
    body, matched = _row(session, sql, params)
    return body, matched
