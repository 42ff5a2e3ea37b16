"""What the public may see: published units and proposals, as GeoJSON built by PostGIS.

A unit is public iff staff marked it publishable, it is (partly) vacant, about to be vacant or
in interim use, and an owner of its building (not a manager) gave an active ``public_map``
consent or is the municipality itself. Only the allowlisted fields (``fields``) ever leave the
database; owners, contact state, internal notes and rents never do. A unit whose interim use
starts later reads "Zwischennutzung geplant ab …" (``interim_uses.state``'s rule, in SQL), and
``in_interim_use`` (running or planned) keeps it out of the count of free spaces;
``interim_planned`` gives the planned ones their own marker on the map.

A collection is a ``Query`` (the ids passing the rule and the filters, and the compact JSON
text of the features of an id range) paged and streamed by ``collection``: the API passes the
database's text through in chunks. ``units_geojson``/``proposals_geojson`` join the chunks for
the pages that embed a collection."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.services.public.collection import (
    Bounds,
    collection_head,
    driver_cursor,
    page_bounds,
    stream,
)

# the rule, the filters and the property lists live in ``fields``; other modules (OGC API,
# tiles, pages, places) import them from here, as before
from leerstand.services.public.fields import (  # noqa: F401
    LABEL,
    MUNICIPALITY,
    PROPOSAL_FEATURE_TEXT,
    PROPOSAL_FILTERS,
    PROPOSAL_FROM,
    PROPOSAL_GEOMETRY,
    PROPOSAL_LATERAL,
    PROPOSAL_PROPERTIES,
    PROPOSAL_PROPERTIES_SQL,
    PUBLIC_STATES,
    PUBLIC_UNIT_ID,
    UNIT_FEATURE,
    UNIT_FEATURE_TEXT,
    UNIT_FILTERS,
    UNIT_FROM,
    UNIT_IS_PUBLIC,
    UNIT_PROPERTIES,
    UNIT_PROPERTIES_SQL,
    unit_ids,
)
from leerstand.services.public.params import PublicFilter


@dataclass(frozen=True)
class Query:
    matched: str  # SELECT the ids passing the public rule and the filters
    features: str  # SELECT the feature text of those ids in %(first)s…%(last)s, by id, LIMIT
    params: dict

    def fingerprint(self) -> str:
        """What the body depends on besides the data: the statements and every parameter
        (filters, paging, the day, the labels' language, the links' BASE_URL)."""
        values = sorted((name, repr(value)) for name, value in self.params.items())
        return hashlib.sha1(repr((self.matched, self.features, values)).encode()).hexdigest()


@dataclass(frozen=True)
class StreamedPage:
    bounds: Bounds
    chunks: Iterator[bytes]  # the FeatureCollection's UTF-8 text; runs its statement lazily


def active_filters(f: PublicFilter, only_id: int | None = None) -> tuple[list[str], dict]:
    params: dict = {}
    names = []
    if f.bbox:
        names.append("bbox")
        params.update(zip(("x1", "y1", "x2", "y2"), f.bbox, strict=True))
    for name in ("district", "kind", "area_min", "area_max", "available_from"):
        value = getattr(f, name)
        if value is not None:
            names.append(name)
            params[name] = value
    names += [name for name in ("street_level", "step_free") if getattr(f, name)]
    if only_id is not None:
        names.append("only_id")
        params["only_id"] = only_id
    return names, params


def labels_params(labels: Mapping[str, Mapping[str, str]]) -> dict:
    return {key: json.dumps(dict(values), ensure_ascii=False) for key, values in labels.items()}


RANGE = "BETWEEN %(first)s AND %(last)s"


def _paging(f: PublicFilter) -> dict:
    """The page asked for: part of the parameters, so of the ETag too."""
    return {"limit": f.limit, "offset": f.offset, "after": f.after or 0}


def unit_query(
    f: PublicFilter, extra: dict, unit_id: int | None = None, today: date | None = None
) -> Query:
    """The public units matching ``f``; ``extra`` holds the label JSON (``kinds``, ``states``,
    ``terms``), ``planned_label`` ("… geplant ab {date}") and ``unit_url`` (``{id}``
    placeholder). ``today`` (default: the local day) decides whether an interim use is planned
    or running."""
    names, params = active_filters(f, unit_id)
    where = " AND ".join([f"u.municipality_id = {MUNICIPALITY}", UNIT_IS_PUBLIC.strip()])
    where += "".join(f" AND {UNIT_FILTERS[name]}" for name in names)
    matched = unit_ids(where)
    features = (
        f"SELECT {UNIT_FEATURE_TEXT} FROM {UNIT_FROM} WHERE {where} AND u.id {RANGE}"
        " ORDER BY u.id LIMIT %(limit)s"
    )
    params.update(extra, ags=f.ags, today=today or local_today(), **_paging(f))
    return Query(matched, features, params)


def proposal_query(
    f: PublicFilter,
    extra: dict,
    proposal_id: int | None = None,
    states: tuple[str, ...] = ("published",),
) -> Query:
    """Proposals in ``states`` (the map: published only); ``extra`` holds ``uses`` (label
    JSON) and ``proposal_url``."""
    names, params = active_filters(f, proposal_id)
    params["states"] = list(states)
    where = f"p.state = ANY(%(states)s) AND p.municipality_id = {MUNICIPALITY}"
    where += "".join(f" AND {PROPOSAL_FILTERS[name]}" for name in names)
    matched = f"SELECT p.id FROM proposal p {PROPOSAL_LATERAL} WHERE {where}"
    features = f"""SELECT {PROPOSAL_FEATURE_TEXT} FROM {PROPOSAL_FROM}
        WHERE {where} AND p.id {RANGE} ORDER BY p.id LIMIT %(limit)s"""
    params.update(extra, ags=f.ags, **_paging(f))
    return Query(matched, features, params)


def page(session: Session, query: Query) -> StreamedPage:
    """The page of ``query`` (its ``limit`` after ``offset`` features or after the id
    ``after``)."""
    p = query.params
    bounds = page_bounds(session, query.matched, p, p["limit"], p["offset"], p["after"])
    head = collection_head(bounds.matched)
    return StreamedPage(bounds, stream(session, query.features, query.params, bounds, head))


def units_page(session: Session, f: PublicFilter, extra: dict) -> StreamedPage:
    return page(session, unit_query(f, extra))


def units_geojson(session: Session, f: PublicFilter, extra: dict) -> bytes:
    return b"".join(units_page(session, f, extra).chunks)


def public_unit(session: Session, unit_id: int, extra: dict, ags: str | None = None) -> dict | None:
    """The public properties (and geometry) of one unit of the town ``ags`` (None: the first),
    or None when it is not public."""
    f = PublicFilter(limit=1, ags=ags)
    body = b"".join(page(session, unit_query(f, extra, unit_id=unit_id)).chunks)
    features = json.loads(body)["features"]
    return features[0] if features else None


def proposals_page(session: Session, f: PublicFilter, extra: dict) -> StreamedPage:
    return page(session, proposal_query(f, extra))


def proposals_geojson(session: Session, f: PublicFilter, extra: dict) -> bytes:
    return b"".join(proposals_page(session, f, extra).chunks)


def public_proposal(
    session: Session,
    proposal_id: int,
    extra: dict,
    states: tuple[str, ...] = ("published",),
    ags: str | None = None,
) -> dict | None:
    """One proposal's public properties (town ``ags``, None: the first) when its state is in
    ``states``, else None."""
    f = PublicFilter(limit=1, ags=ags)
    query = proposal_query(f, extra, proposal_id=proposal_id, states=states)
    features = json.loads(b"".join(page(session, query).chunks))["features"]
    return features[0] if features else None


def _row(session: Session, sql: str, params: dict) -> tuple | None:
    """Run on the session's connection (same transaction); text columns come as bytes."""
    with driver_cursor(session) as cursor:
        return cursor.execute(sql, params).fetchone()


def _run(session: Session, sql: str, params: dict) -> bytes | None:
    row = _row(session, sql, params)
    return row[0] if row else None


# layer: (table, geometry, public properties, order, row of the municipality ``{m}``); the
# OGC API's area collections use the same parts
AREA_SOURCES = {
    "boundary": ("municipality", "boundary", "json_build_object('name', name)", "id", "id = {m}"),
    "districts": (
        "district", "coalesce(boundary, centre)", "json_build_object('name', name)", "name",
        "municipality_id = {m}",
    ),
    "focus_areas": (
        "focus_area", "area", "json_build_object('name', name, 'description', description)",
        "name", "municipality_id = {m}",
    ),
}  # fmt: skip
AREA_LAYER = """SELECT json_build_object('type', 'FeatureCollection', 'features',
    coalesce(json_agg(json_build_object('type', 'Feature', 'id', id,
        'properties', {properties}, 'geometry', ST_AsGeoJSON({geometry}, 6)::json)
        ORDER BY {order}), '[]'::json))::text
    FROM {table} WHERE {where}"""
AREA_LAYERS = {
    layer: AREA_LAYER.format(table=table, geometry=geom, properties=props, order=order, where=where)
    for layer, (table, geom, props, order, where) in AREA_SOURCES.items()
}
EMPTY = b'{"type": "FeatureCollection", "features": []}'


def area_layer(session: Session, layer: str, ags: str | None) -> bytes:
    """Boundary, Ortsteile or focus areas of the municipality (first by id, or by AGS)."""
    sql = AREA_LAYERS[layer].format(m=MUNICIPALITY)
    return _run(session, sql, {"ags": ags}) or EMPTY


def municipality(session: Session, ags: str | None = None) -> dict | None:
    sql = f"SELECT id, name FROM municipality WHERE id = {MUNICIPALITY}"
    row = session.connection().exec_driver_sql(sql, {"ags": ags}).first()
    return {"id": row.id, "name": row.name} if row else None


def districts(session: Session, municipality_id: int) -> list[dict]:
    sql = "SELECT id, name FROM district WHERE municipality_id = %(m)s ORDER BY name"
    rows = session.connection().exec_driver_sql(sql, {"m": municipality_id})
    return [{"id": row.id, "name": row.name} for row in rows]
