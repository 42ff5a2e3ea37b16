"""The SQL of what the public may see of a unit and a proposal: the public rule, the filters and
the allowlisted properties, each property list written once as (name, SQL) pairs.

From one list come two forms of the same object: ``json_build_object(…)`` (``*_PROPERTIES_SQL``,
used by the OGC API and the tiles) and compact JSON text (``*_FEATURE_TEXT``: ``row_to_json`` of a
row and the GeoJSON concatenated as text, no spaces, no ``::json`` re-parsing of the geometry),
which ``/api/*.geojson`` streams. ``u`` is the unit, ``b`` its building, ``d`` its Ortsteil,
``pl`` the lateral with ``planned_from``; ``p`` the proposal, ``i`` its initiative, ``g`` the
lateral with its public ``geom`` and ``unit_id``. Parameters in psycopg's ``%(name)s`` style."""

from __future__ import annotations

import re

from leerstand.services.interim_uses.state import IN_INTERIM_USE_SQL, PLANNED_START_SQL
from leerstand.services.media.rule import COVER_PHOTO_URL

PUBLIC_STATES = ("vacant", "partly_vacant", "vacancy_expected", "interim_use")
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
PLANNED_LABEL = "replace(%(planned_label)s::text, '{date}', to_char(pl.planned_from, 'DD.MM.YYYY'))"

UNIT_PROPERTY_SQL = (
    ("id", "u.id"),
    ("kind", "u.kind"),
    ("kind_label", LABEL.format(vocab="kinds", column="u.kind")),
    ("district", "d.name"),
    ("street", "b.street"),
    ("house_number", "b.house_number"),
    ("place", "b.place"),
    ("area_m2", ROUNDED_AREA),
    *((name, f"u.{name}") for name in ("street_level", "step_free", "shop_window", "power")),
    *((name, f"u.{name}") for name in ("water", "wc", "heating", "available_from")),
    ("available_to", "u.available_to"),
    ("vacancy_state", "u.vacancy_state"),
    (
        "vacancy_label",
        f"coalesce({PLANNED_LABEL}, {LABEL.format(vocab='states', column='u.vacancy_state')})",
    ),
    ("in_interim_use", IN_INTERIM_USE_SQL),
    ("interim_planned", "pl.planned_from IS NOT NULL"),
    ("terms_label", LABEL.format(vocab="terms", column="u.owner_expectation")),
    ("public_description", "u.public_description"),
    ("url", "replace(%(unit_url)s::text, '{id}', u.id::text)"),
    ("photo", COVER_PHOTO_URL),  # the cover thumbnail's URL (photo consent), or null
)
UNIT_PROPERTIES = tuple(name for name, _sql in UNIT_PROPERTY_SQL)


def json_object(pairs) -> str:
    """``json_build_object('name', value, …)`` of the (name, SQL) pairs."""
    return "json_build_object(" + ", ".join(f"'{name}', {sql}" for name, sql in pairs) + ")"


def compact_object(pairs) -> str:
    """The same object as compact JSON (``row_to_json`` writes no spaces), type json."""
    columns = ", ".join(f'{sql} AS "{name}"' for name, sql in pairs)
    return f"(SELECT row_to_json(r) FROM (SELECT {columns}) r)"


def feature_text(id_sql: str, geometry_sql: str, properties: str) -> str:
    """A GeoJSON Feature as compact text: the geometry's text as ``ST_AsGeoJSON`` wrote it
    (``null`` without one), never re-parsed."""
    return (
        f"""'{{"type":"Feature","id":' || {id_sql} || ',"geometry":' || """
        f"""coalesce(ST_AsGeoJSON({geometry_sql}, 6), 'null') || ',"properties":' || """
        f"""{properties}::text || '}}'"""
    )


# the public properties of a unit; the OGC API and the tiles build theirs from the same list
UNIT_PROPERTIES_SQL = json_object(UNIT_PROPERTY_SQL)
UNIT_FEATURE = f"""json_build_object(
    'type', 'Feature', 'id', u.id,
    'geometry', ST_AsGeoJSON(b.location, 6)::json,
    'properties', {UNIT_PROPERTIES_SQL})"""
UNIT_FEATURE_TEXT = feature_text("u.id", "b.location", compact_object(UNIT_PROPERTY_SQL))
UNIT_FROM = f"""unit u JOIN building b ON b.id = u.building_id
    LEFT JOIN district d ON d.id = b.district_id
    CROSS JOIN LATERAL (SELECT {PLANNED_START_SQL} AS planned_from) pl"""


def unit_ids(where: str) -> str:
    """SELECT the ids of the units passing ``where``; their building (``b``) is joined only
    when ``where`` reads it (bbox, Ortsteil): every unit has exactly one, and counting a
    million public units without the join takes half the time."""
    join = " JOIN building b ON b.id = u.building_id" if re.search(r"\bb\.", where) else ""
    return f"SELECT u.id FROM unit u{join} WHERE {where}"


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
PROPOSAL_PROPERTY_SQL = (
    *((name, f"p.{name}") for name in ("id", "title", "description", "use_kind")),
    ("use_kind_label", LABEL.format(vocab="uses", column="p.use_kind")),
    ("organisation", "i.name"),
    *((name, f"p.{name}") for name in ("area_min", "area_max", "street_level", "step_free")),
    *((name, f"p.{name}") for name in ("power", "water", "wc", "heating", "time_from")),
    *((name, f"p.{name}") for name in ("time_to", "frequency", "location_kind")),
    ("radius_m", "CASE WHEN p.location_kind = 'point' THEN p.radius_m END"),
    (
        "districts",
        """(SELECT coalesce(json_agg(d.name ORDER BY d.name), '[]'::json)
            FROM proposal_district pd JOIN district d ON d.id = pd.district_id
            WHERE pd.proposal_id = p.id)""",
    ),
    ("unit_id", "g.unit_id"),
    ("url", "replace(%(proposal_url)s::text, '{id}', p.id::text)"),
)
PROPOSAL_PROPERTIES = tuple(name for name, _sql in PROPOSAL_PROPERTY_SQL)
# the public properties of a proposal; the OGC API builds its features from the same list
PROPOSAL_PROPERTIES_SQL = json_object(PROPOSAL_PROPERTY_SQL)
PROPOSAL_FEATURE_TEXT = feature_text("p.id", "g.geom", compact_object(PROPOSAL_PROPERTY_SQL))
PROPOSAL_LATERAL = (
    f"CROSS JOIN LATERAL (SELECT {PROPOSAL_GEOMETRY} AS geom, {PUBLIC_UNIT_ID} AS unit_id) g"
)
PROPOSAL_FROM = f"proposal p JOIN initiative i ON i.id = p.initiative_id {PROPOSAL_LATERAL}"
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
