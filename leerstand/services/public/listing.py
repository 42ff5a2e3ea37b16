"""The list beside the public map and its count, at any size of the register.

``first_page`` gives one page of the public units matching a filter (by id, ``PAGE`` at a
time) without counting all of them – the page the server renders (the script then lists the
units of the map's view from the GeoJSON API). ``summary`` counts the matching units and
those in interim use (running or planned; the free spaces leave them out), up to ``CAP``: a
whole state's register is not counted row by row for a sentence above a list. Same rule,
fields and filters as the GeoJSON (``geojson``, imported)."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.services.interim_uses.state import IN_INTERIM_USE_SQL, PLANNED_START_SQL
from leerstand.services.public.geojson import (
    MUNICIPALITY,
    UNIT_FEATURE,
    UNIT_FILTERS,
    UNIT_IS_PUBLIC,
    active_filters,
)
from leerstand.services.public.params import PublicFilter

PAGE = 50
CAP = 1_000

# the page's ids first (the rule and the filters only), the features of those 50 after
FIRST_PAGE = f"""WITH page AS (
    SELECT u.id FROM unit u JOIN building b ON b.id = u.building_id
    WHERE {{where}} ORDER BY u.id LIMIT %(limit)s OFFSET %(offset)s)
SELECT coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json)::text FROM (
    SELECT u.id, {UNIT_FEATURE} AS feature
    FROM page JOIN unit u ON u.id = page.id JOIN building b ON b.id = u.building_id
    LEFT JOIN district d ON d.id = b.district_id
    CROSS JOIN LATERAL (SELECT {PLANNED_START_SQL} AS planned_from) pl) AS f"""
SUMMARY = f"""SELECT count(*), count(*) FILTER (WHERE interim) FROM (
    SELECT {IN_INTERIM_USE_SQL} AS interim
    FROM unit u JOIN building b ON b.id = u.building_id
    WHERE {{where}} LIMIT %(cap)s) AS matched"""


def _where(f: PublicFilter) -> tuple[str, dict]:
    names, params = active_filters(f)
    where = " AND ".join([f"u.municipality_id = {MUNICIPALITY}", UNIT_IS_PUBLIC.strip()])
    where += "".join(f" AND {UNIT_FILTERS[name]}" for name in names)
    params["ags"] = f.ags
    return where, params


def first_page(
    session: Session, f: PublicFilter, extra: dict, offset: int = 0
) -> tuple[list[dict], bool]:
    """(the public units number ``offset`` … ``offset + PAGE`` matching ``f`` as GeoJSON
    features, whether more follow); ``extra`` as for ``geojson.units_page``."""
    where, params = _where(f)
    params.update(extra, limit=PAGE + 1, offset=offset, today=local_today())
    sql = FIRST_PAGE.replace("{where}", where)  # the feature holds {id} and {date} itself
    (text,) = session.connection().exec_driver_sql(sql, params).one()
    features = json.loads(text)
    return features[:PAGE], len(features) > PAGE


def summary(session: Session, f: PublicFilter) -> dict:
    """{"matched": units matching ``f`` (its bbox: the map's view), "interim": those in
    interim use, "capped": true when there are more than ``CAP`` (then both count only the
    first ``CAP`` + 1)}."""
    where, params = _where(f)
    params["cap"] = CAP + 1
    matched, interim = (
        session.connection().exec_driver_sql(SUMMARY.format(where=where), params).one()
    )
    return {"matched": matched, "interim": interim, "capped": matched > CAP}
