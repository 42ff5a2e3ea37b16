"""What the public may see: published units and proposals, as GeoJSON built by PostGIS.

A unit is public iff staff marked it publishable, it is (partly) vacant, about to be vacant or
in interim use, and an owner of its building (not a manager) gave an active ``public_map``
consent or is the municipality itself. Only the allowlisted fields below ever leave the
database; owners, contact state, internal notes and rents never do. A unit whose interim use
starts later reads "Zwischennutzung geplant ab …" (``interim_uses.state``'s rule, in SQL), and
``in_interim_use`` (running or planned) keeps it out of the count of free spaces;
``interim_planned`` gives the planned ones their own marker on the map.

Every collection is ONE SQL statement (``json_agg`` of ``ST_AsGeoJSON``, paged by
``collection.paged_collection`` with ``numberMatched``/``numberReturned``) returning the
finished text; the API passes that text through unchanged. ``units_sql``/``proposals_sql``
return the SQL in psycopg's ``%(name)s`` style so that the benchmark runs the very same query.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from psycopg.adapt import Loader
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.services.interim_uses.state import IN_INTERIM_USE_SQL, PLANNED_START_SQL
from leerstand.services.public.collection import Page, paged_collection
from leerstand.services.public.params import PublicFilter

PUBLIC_STATES = ("vacant", "partly_vacant", "vacancy_expected", "interim_use")
UNIT_PROPERTIES = (
    "id", "kind", "kind_label", "district", "street", "house_number", "place", "area_m2",
    "street_level", "step_free", "shop_window", "power", "water", "wc", "heating",
    "available_from", "available_to", "vacancy_state", "vacancy_label", "in_interim_use",
    "interim_planned", "terms_label", "public_description", "url",
)  # fmt: skip
PROPOSAL_PROPERTIES = (
    "id", "title", "description", "use_kind", "use_kind_label", "organisation", "area_min",
    "area_max", "street_level", "step_free", "power", "water", "wc", "heating", "time_from",
    "time_to", "frequency", "location_kind", "radius_m", "districts", "unit_id", "url",
)  # fmt: skip

MUNICIPALITY = (
    "(SELECT id FROM municipality WHERE %(ags)s::text IS NULL OR ags = %(ags)s::text"
    " ORDER BY id LIMIT 1)"
)
UNIT_IS_PUBLIC = f"""
    u.publishable AND u.vacancy_state IN {PUBLIC_STATES!r}
    AND EXISTS (
        SELECT 1 FROM ownership o JOIN owner w ON w.id = o.owner_id
        WHERE o.building_id = u.building_id AND o.role <> 'manager'
          AND (w.is_municipality OR EXISTS (
              SELECT 1 FROM consent c
              WHERE c.owner_id = w.id AND c.scope = 'public_map'
                AND c.given_at IS NOT NULL AND c.withdrawn_at IS NULL)))"""
LABEL = "coalesce(%({vocab})s::jsonb ->> {column}, {column})"
ROUNDED_AREA = "greatest(5, round(u.area_m2 / 5) * 5)::int"

# the public properties of a unit (``u``, its building ``b``, district ``d``, lateral ``pl``);
# the OGC API (services/ogc) builds its features from the same list
UNIT_PROPERTIES_SQL = f"""json_build_object(
        'id', u.id, 'kind', u.kind, 'kind_label', {LABEL.format(vocab="kinds", column="u.kind")},
        'district', d.name, 'street', b.street, 'house_number', b.house_number,
        'place', b.place, 'area_m2', {ROUNDED_AREA},
        'street_level', u.street_level, 'step_free', u.step_free,
        'shop_window', u.shop_window, 'power', u.power, 'water', u.water, 'wc', u.wc,
        'heating', u.heating, 'available_from', u.available_from,
        'available_to', u.available_to, 'vacancy_state', u.vacancy_state,
        'vacancy_label', coalesce(
            replace(%(planned_label)s::text, '{{date}}', to_char(pl.planned_from, 'DD.MM.YYYY')),
            {LABEL.format(vocab="states", column="u.vacancy_state")}),
        'in_interim_use', {IN_INTERIM_USE_SQL},
        'interim_planned', pl.planned_from IS NOT NULL,
        'terms_label', {LABEL.format(vocab="terms", column="u.owner_expectation")},
        'public_description', u.public_description,
        'url', replace(%(unit_url)s::text, '{{id}}', u.id::text))"""
UNIT_FEATURE = f"""json_build_object(
    'type', 'Feature', 'id', u.id,
    'geometry', ST_AsGeoJSON(b.location, 6)::json,
    'properties', {UNIT_PROPERTIES_SQL})"""

UNIT_FILTERS = {
    "bbox": "b.location && ST_MakeEnvelope(%(x1)s, %(y1)s, %(x2)s, %(y2)s, 4326)",
    "district": "b.district_id = %(district)s",
    "kind": "u.kind = %(kind)s",
    "area_min": "u.area_m2 >= %(area_min)s",
    "area_max": "u.area_m2 <= %(area_max)s",
    "street_level": "u.street_level",
    "step_free": "u.step_free",
    "available_from": (
        "(u.available_from IS NULL OR u.available_from <= %(available_from)s)"
        " AND (u.available_to IS NULL OR u.available_to >= %(available_from)s)"
    ),
    "only_id": "u.id = %(only_id)s",
}


def _active_filters(f: PublicFilter, only_id: int | None = None) -> tuple[list[str], dict]:
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


def units_sql(
    f: PublicFilter, unit_id: int | None = None, today: date | None = None
) -> tuple[str, dict]:
    """The SQL (psycopg style) for the public units matching ``f`` and its parameters, without
    ``kinds``/``states``/``terms`` (label JSON), ``planned_label`` ("… geplant ab {date}") and
    ``unit_url`` (``{id}`` placeholder). ``today`` (default: the local day) decides whether an
    interim use is planned or running."""
    names, params = _active_filters(f, unit_id)
    where = " AND ".join([f"u.municipality_id = {MUNICIPALITY}", UNIT_IS_PUBLIC.strip()])
    where += "".join(f" AND {UNIT_FILTERS[name]}" for name in names)
    matched = f"SELECT u.id FROM unit u JOIN building b ON b.id = u.building_id WHERE {where}"
    features = f"""SELECT u.id, {UNIT_FEATURE} AS feature
        FROM page JOIN unit u ON u.id = page.id JOIN building b ON b.id = u.building_id
        LEFT JOIN district d ON d.id = b.district_id
        CROSS JOIN LATERAL (SELECT {PLANNED_START_SQL} AS planned_from) pl"""
    params.update(ags=f.ags, limit=f.limit, offset=f.offset, today=today or local_today())
    return paged_collection(matched, features), params


class _BytesLoader(Loader):
    """Text results as the UTF-8 bytes PostgreSQL sent: no decode here, no encode later."""

    def load(self, data) -> bytes:
        return bytes(data)


def _row(session: Session, sql: str, params: dict) -> tuple | None:
    """Run on the session's connection (same transaction); text columns come as bytes."""
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        cursor.adapters.register_loader("text", _BytesLoader)
        return cursor.execute(sql, params).fetchone()


def _run(session: Session, sql: str, params: dict) -> bytes | None:
    row = _row(session, sql, params)
    return row[0] if row else None


def units_page(session: Session, f: PublicFilter, extra: dict) -> Page:
    """FeatureCollection (UTF-8) and the number matched; ``extra`` holds the label JSON and
    ``unit_url``."""
    sql, params = units_sql(f)
    return Page(*_row(session, sql, {**params, **extra}))


def units_geojson(session: Session, f: PublicFilter, extra: dict) -> bytes:
    return units_page(session, f, extra).body


def public_unit(session: Session, unit_id: int, extra: dict, ags: str | None = None) -> dict | None:
    """The public properties (and geometry) of one unit of the town ``ags`` (None: the first),
    or None when it is not public."""
    sql, params = units_sql(PublicFilter(limit=1, ags=ags), unit_id=unit_id)
    features = json.loads(_run(session, sql, {**params, **extra}))["features"]
    return features[0] if features else None


PROPOSAL_GEOMETRY = f"""CASE p.location_kind
    WHEN 'point' THEN p.point
    WHEN 'area' THEN p.area
    WHEN 'unit' THEN (SELECT b.location FROM unit u JOIN building b ON b.id = u.building_id
                      WHERE u.id = p.unit_id AND {UNIT_IS_PUBLIC.strip()})
    ELSE (SELECT ST_Multi(ST_Collect(d.centre ORDER BY d.name)) FROM proposal_district pd
          JOIN district d ON d.id = pd.district_id WHERE pd.proposal_id = p.id)
    END"""
PUBLIC_UNIT_ID = f"""(SELECT u.id FROM unit u
    WHERE u.id = p.unit_id AND p.location_kind = 'unit' AND {UNIT_IS_PUBLIC.strip()})"""
# the public properties of a proposal (``p``, its initiative ``i``, lateral ``g``)
PROPOSAL_PROPERTIES_SQL = f"""json_build_object(
        'id', p.id, 'title', p.title, 'description', p.description, 'use_kind', p.use_kind,
        'use_kind_label', {LABEL.format(vocab="uses", column="p.use_kind")},
        'organisation', i.name, 'area_min', p.area_min, 'area_max', p.area_max,
        'street_level', p.street_level, 'step_free', p.step_free, 'power', p.power,
        'water', p.water, 'wc', p.wc, 'heating', p.heating, 'time_from', p.time_from,
        'time_to', p.time_to, 'frequency', p.frequency, 'location_kind', p.location_kind,
        'radius_m', CASE WHEN p.location_kind = 'point' THEN p.radius_m END,
        'districts', (SELECT coalesce(json_agg(d.name ORDER BY d.name), '[]'::json)
                      FROM proposal_district pd JOIN district d ON d.id = pd.district_id
                      WHERE pd.proposal_id = p.id),
        'unit_id', g.unit_id,
        'url', replace(%(proposal_url)s::text, '{{id}}', p.id::text))"""
PROPOSAL_FEATURE = f"""json_build_object(
    'type', 'Feature', 'id', p.id,
    'geometry', ST_AsGeoJSON(g.geom, 6)::json,
    'properties', {PROPOSAL_PROPERTIES_SQL})"""
PROPOSAL_FILTERS = {
    "bbox": "g.geom && ST_MakeEnvelope(%(x1)s, %(y1)s, %(x2)s, %(y2)s, 4326)",
    "district": """EXISTS (SELECT 1 FROM proposal_district pd
        WHERE pd.proposal_id = p.id AND pd.district_id = %(district)s)""",
    "kind": "p.use_kind = %(kind)s",
    "area_min": "(p.area_max IS NULL OR p.area_max >= %(area_min)s)",
    "area_max": "(p.area_min IS NULL OR p.area_min <= %(area_max)s)",
    "street_level": "p.street_level",
    "step_free": "p.step_free",
    "only_id": "p.id = %(only_id)s",
}


def proposals_sql(
    f: PublicFilter, proposal_id: int | None = None, states: tuple[str, ...] = ("published",)
) -> tuple[str, dict]:
    """Proposals in ``states`` (the map: published only); needs ``uses`` (label JSON) and
    ``proposal_url`` besides the params."""
    names, params = _active_filters(f, proposal_id)
    params["states"] = list(states)
    where = f"p.state = ANY(%(states)s) AND p.municipality_id = {MUNICIPALITY}"
    where += "".join(f" AND {PROPOSAL_FILTERS[name]}" for name in names)
    lateral = (
        f"CROSS JOIN LATERAL (SELECT {PROPOSAL_GEOMETRY} AS geom, {PUBLIC_UNIT_ID} AS unit_id) g"
    )
    matched = f"SELECT p.id FROM proposal p {lateral} WHERE {where}"
    features = f"""SELECT p.id, {PROPOSAL_FEATURE} AS feature
        FROM page JOIN proposal p ON p.id = page.id JOIN initiative i ON i.id = p.initiative_id
        {lateral}"""
    params.update(ags=f.ags, limit=f.limit, offset=f.offset)
    return paged_collection(matched, features), params


def proposals_page(session: Session, f: PublicFilter, extra: dict) -> Page:
    sql, params = proposals_sql(f)
    return Page(*_row(session, sql, {**params, **extra}))


def proposals_geojson(session: Session, f: PublicFilter, extra: dict) -> bytes:
    return proposals_page(session, f, extra).body


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
    sql, params = proposals_sql(f, proposal_id=proposal_id, states=states)
    features = json.loads(_run(session, sql, {**params, **extra}))["features"]
    return features[0] if features else None


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
