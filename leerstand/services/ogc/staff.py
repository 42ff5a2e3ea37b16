"""The staff collections of the OGC API: every unit and building of the user's municipality
with internal fields (exact area, rent, notes, publishable, whether the public sees it), never
owner data (no owner, ownership, consent or contact columns are read). The free-text notes
(which may name people) only for roles that may see personal data (``%(with_notes)s``).
Built like the public collections (``items``); ``datetime`` compares with the local day of
``updated_at``."""

from __future__ import annotations

from datetime import date

from leerstand.dates import LOCAL_TZ
from leerstand.services.ogc.items import (
    FEATURE,
    SINGLE,
    UNIT_JOINS,
    _where,
    geometry_sql,
)
from leerstand.services.ogc.query import ItemsQuery
from leerstand.services.public.fields import unit_ids
from leerstand.services.public.geojson import LABEL, UNIT_FILTERS, UNIT_IS_PUBLIC

STAFF_UNIT_PROPERTIES = (
    "id", "building_id", "name", "kind", "kind_label", "floor", "district", "street",
    "house_number", "postcode", "place", "area_m2", "street_level", "step_free", "shop_window",
    "power", "water", "wc", "heating", "vacancy_state", "vacancy_label", "vacant_since",
    "available_from", "available_to", "owner_expectation", "terms_label", "rent_eur_month",
    "suitable_uses", "publishable", "is_public", "public_description", "internal_notes",
    "interim_planned_from", "updated_at", "url",
)  # fmt: skip
STAFF_BUILDING_PROPERTIES = (
    "id", "street", "house_number", "postcode", "place", "district", "parcel_id", "alkis_id",
    "listed", "condition", "year_built", "notes", "units", "vacant_units", "updated_at", "url",
)  # fmt: skip
UNIT_PROPERTIES_SQL = f"""json_build_object(
    'id', u.id, 'building_id', u.building_id, 'name', u.name, 'kind', u.kind,
    'kind_label', {LABEL.format(vocab="kinds", column="u.kind")}, 'floor', u.floor,
    'district', d.name, 'street', b.street, 'house_number', b.house_number,
    'postcode', b.postcode, 'place', b.place, 'area_m2', u.area_m2,
    'street_level', u.street_level, 'step_free', u.step_free, 'shop_window', u.shop_window,
    'power', u.power, 'water', u.water, 'wc', u.wc, 'heating', u.heating,
    'vacancy_state', u.vacancy_state,
    'vacancy_label', {LABEL.format(vocab="states", column="u.vacancy_state")},
    'vacant_since', u.vacant_since, 'available_from', u.available_from,
    'available_to', u.available_to, 'owner_expectation', u.owner_expectation,
    'terms_label', {LABEL.format(vocab="terms", column="u.owner_expectation")},
    'rent_eur_month', u.rent_eur_month, 'suitable_uses', to_json(u.suitable_uses),
    'publishable', u.publishable, 'is_public', ({UNIT_IS_PUBLIC}),
    'public_description', u.public_description,
    'internal_notes', CASE WHEN %(with_notes)s THEN u.internal_notes END,
    'interim_planned_from', pl.planned_from, 'updated_at', u.updated_at,
    'url', replace(%(staff_unit_url)s::text, '{{id}}', u.id::text))"""
BUILDING_PROPERTIES_SQL = """json_build_object(
    'id', b.id, 'street', b.street, 'house_number', b.house_number, 'postcode', b.postcode,
    'place', b.place, 'district', d.name, 'parcel_id', b.parcel_id, 'alkis_id', b.alkis_id,
    'listed', b.listed, 'condition', b.condition, 'year_built', b.year_built,
    'notes', CASE WHEN %(with_notes)s THEN b.notes END, 'units', n.units,
    'vacant_units', n.vacant, 'updated_at', b.updated_at,
    'url', replace(%(staff_building_url)s::text, '{id}', b.id::text))"""
TZ = LOCAL_TZ.key
BUILDING_JOINS = """JOIN building b ON b.id = page.id LEFT JOIN district d ON d.id = b.district_id
    CROSS JOIN LATERAL (SELECT count(*) AS units,
        count(*) FILTER (WHERE x.vacancy_state IN ('vacant', 'partly_vacant')) AS vacant
        FROM unit x WHERE x.building_id = b.id) n"""
LOCAL_DAY = "(({column}) AT TIME ZONE %(tz)s)::date"  # the town's calendar day (leerstand.dates)
UPDATED = (LOCAL_DAY.format(column="u.updated_at"),) * 2


def _units(q: ItemsQuery, extra: str) -> tuple[str, str, dict]:
    conditions, params = _where(q, UNIT_FILTERS, "b.location", UPDATED)
    where = " AND ".join(["u.municipality_id = %(municipality_id)s", *conditions])
    matched = unit_ids(where)
    feature = FEATURE.format(
        id="u.id", geometry=geometry_sql("b.location", q.crs), properties=UNIT_PROPERTIES_SQL,
        extra=extra,
    )  # fmt: skip
    return matched, f"SELECT u.id, {feature} AS feature FROM page {UNIT_JOINS}", params


def _buildings(q: ItemsQuery, extra: str) -> tuple[str, str, dict]:
    updated = (LOCAL_DAY.format(column="b.updated_at"),) * 2
    conditions, params = _where(q, {}, "b.location", updated)
    where = " AND ".join(["b.municipality_id = %(municipality_id)s", *conditions])
    matched = f"SELECT b.id FROM building b WHERE {where}"
    feature = FEATURE.format(
        id="b.id", geometry=geometry_sql("b.location", q.crs),
        properties=BUILDING_PROPERTIES_SQL, extra=extra,
    )  # fmt: skip
    return matched, f"SELECT b.id, {feature} AS feature FROM page {BUILDING_JOINS}", params


PARTS = {"staff_units": (_units, "u.id"), "staff_buildings": (_buildings, "b.id")}


def collection_parts(source: str, q: ItemsQuery, today: date) -> tuple[str, str, dict]:
    """(matched, features, params) of a page, as ``items.collection_parts``."""
    build, _column = PARTS[source]
    matched, features, params = build(q, "")
    paging = {"limit": q.limit, "offset": q.offset, "today": today, "tz": TZ}
    return matched, features, {**params, **paging}


def feature_sql(source: str, q: ItemsQuery, feature_id: int, today: date) -> tuple[str, dict]:
    build, column = PARTS[source]
    matched, features, params = build(q, ", 'links', %(links)s::json")
    sql = SINGLE.format(matched=f"{matched} AND {column} = %(only_id)s", features=features)
    return sql, {**params, "only_id": feature_id, "today": today, "tz": TZ}
