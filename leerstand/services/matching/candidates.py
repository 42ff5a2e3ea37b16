"""The candidate query of the matching: ONE SQL statement per proposal (or per unit) that returns
the units (proposals) passing every hard filter, with the distance in metres computed by PostGIS on
the spheroid and the owners' contact states needed for the score, nearest first.

For one proposal the statement is built per ``location_kind`` so that PostgreSQL can use the right
index: ``ST_DWithin`` on ``(location::geography)`` (GiST ``ix_building_location_geography``) for
a point with a radius, ``ST_Intersects`` on ``location`` (GiST) for a drawn area, the
``district_id`` index for Ortsteile, the primary key for one unit. For one unit all published
proposals of the municipality are few, so one statement checks every location kind.

The SQL is in psycopg's ``%(name)s`` style (run on the session's connection, and run as it is by
scripts/bench_matching.py); ``candidate_params`` supplies the constants below."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from leerstand.vocab import use_kind_unit_kinds

# Proposals that take part in the matching.
ACTIVE_PROPOSAL_STATES = ("published", "matched")
# Units that can be offered: vacant, partly vacant or soon vacant; a unit in interim use
# (vacancy_state 'interim_use') or occupied is not a candidate.
MATCHABLE_VACANCY_STATES = ("vacant", "partly_vacant", "vacancy_expected")
# A proposal without a start date ("flexibel") takes units that are free today or become free
# within this many days; a proposal with a start date needs the unit free from that date.
FLEXIBLE_START_DAYS = 90
# A unit may be this much smaller than area_min or larger than area_max (0.15 = 15 %).
AREA_TOLERANCE = Decimal("0.15")
# Which kinds of unit (vocab.UNIT_KINDS) suit which kind of use (vocab.USE_KINDS): derived from
# the ``uses`` of each entry of ``vocab.UNIT_KIND_ENTRIES``. A unit whose ``suitable_uses`` (codes
# of USE_KINDS, migration 0005) name the use kind fits whatever its kind.
USE_KIND_UNIT_KINDS: dict[str, tuple[str, ...]] = use_kind_unit_kinds()

# Rows are plain tuples: the unit columns and distance_m first (``UnitRow``), then, for proposals
# of a unit, the proposal's columns (``Need``).
UNIT_COLUMNS = """u.id AS unit_id, u.area_m2::float8 AS area_m2, u.power, u.water, u.wc,
    u.heating, u.owner_expectation, u.rent_eur_month::float8 AS rent,
    (SELECT extract(year FROM a) * 12 + extract(month FROM a)
     FROM age(%(today)s, u.vacant_since) AS a)::int AS months_vacant,
    u.vacancy_state, d.name AS district_name, w.owner_states"""
PROPOSAL_COLUMNS = """p.id AS proposal_id, p.location_kind, p.radius_m,
    p.area_min::float8 AS area_min, p.area_max::float8 AS area_max, p.power AS need_power,
    p.water AS need_water, p.wc AS need_wc, p.heating AS need_heating, p.budget_kind,
    p.budget_eur_month::float8 AS budget"""
# Each non-manager owner of the building: its contact state ('municipality' for the town itself,
# 'objected' for an owner who may not be contacted: Art. 21 objection, Art. 18 restriction, erased).
OWNERS = """LEFT JOIN LATERAL (
        SELECT array_agg(CASE WHEN o2.is_municipality THEN 'municipality'
                              WHEN o2.objected_at IS NOT NULL OR o2.restricted_at IS NOT NULL
                                OR o2.erased_at IS NOT NULL THEN 'objected'
                              ELSE coalesce(c.state, 'not_contacted') END) AS owner_states
        FROM ownership o JOIN owner o2 ON o2.id = o.owner_id
        LEFT JOIN contact_case c ON c.building_id = o.building_id AND c.owner_id = o.owner_id
        WHERE o.building_id = u.building_id AND o.role <> 'manager') w ON true"""
# Every rule a proposal/unit pair must pass. A proposal naming one unit ("unit") skips the rule
# on the kind of unit: the initiative chose that space itself.
HARD_FILTERS = f"""u.vacancy_state IN {MATCHABLE_VACANCY_STATES!r}
    AND (p.location_kind <> 'unit' OR u.id = p.unit_id)
    AND (u.available_from IS NULL
         OR u.available_from <= coalesce(p.time_from, %(flexible_until)s))
    AND (u.available_to IS NULL
         OR u.available_to >= coalesce(p.time_to, p.time_from, %(today)s))
    AND NOT coalesce('declined' = ANY(w.owner_states), false)
    AND (u.area_m2 IS NULL
         OR ((p.area_min IS NULL OR u.area_m2 >= p.area_min * %(area_low)s)
             AND (p.area_max IS NULL OR u.area_m2 <= p.area_max * %(area_high)s)))
    AND (NOT p.street_level OR u.street_level)
    AND (NOT p.step_free OR u.step_free)
    AND (p.location_kind = 'unit'
         OR (%(unit_kinds)s::jsonb -> p.use_kind) @> to_jsonb(u.kind::text)
         OR p.use_kind = ANY(u.suitable_uses))"""
# Where the building must be, per location kind of the proposal (for "unit" HARD_FILTERS also
# require that very unit); and the distance reported.
LOCATION = {
    "point": "ST_DWithin(b.location::geography, p.point::geography, p.radius_m)",
    "area": "ST_Intersects(b.location, p.area)",
    "districts": """b.district_id = ANY(ARRAY(
        SELECT pd.district_id FROM proposal_district pd WHERE pd.proposal_id = p.id))""",
    "unit": "b.id = (SELECT x.building_id FROM unit x WHERE x.id = p.unit_id)",
}
DISTANCE = {
    "point": "ST_Distance(b.location::geography, p.point::geography)",
    "area": "ST_Distance(b.location::geography, ST_Centroid(p.area)::geography)",
    "districts": "ST_Distance(b.location::geography, d.centre::geography)",
    "unit": "NULL::float8",
}
assert DISTANCE.keys() == LOCATION.keys()


def _case(parts: dict[str, str], default: str) -> str:
    whens = " ".join(f"WHEN '{kind}' THEN {sql}" for kind, sql in parts.items())
    return f"CASE p.location_kind {whens} ELSE {default} END"


def units_for_proposal_sql(location_kind: str) -> str:
    """Units fitting the proposal ``%(proposal_id)s`` (whose location kind is ``location_kind``):
    first the buildings in the wanted place (index), then their units through the filters."""
    if location_kind not in LOCATION:
        raise ValueError(f"unknown location kind {location_kind!r}")
    return f"""WITH p AS MATERIALIZED (SELECT * FROM proposal WHERE id = %(proposal_id)s),
    here AS MATERIALIZED (
        SELECT b.id, b.location, b.district_id FROM p
        JOIN building b ON b.municipality_id = p.municipality_id
        WHERE {LOCATION[location_kind]})
    SELECT {UNIT_COLUMNS},
        round({DISTANCE[location_kind]})::int AS distance_m
    FROM p CROSS JOIN here b
    JOIN unit u ON u.building_id = b.id
    LEFT JOIN district d ON d.id = b.district_id
    {OWNERS}
    WHERE {HARD_FILTERS}
    ORDER BY distance_m NULLS LAST, u.id"""


def units_in_place_sql(location_kind: str) -> str:
    """How many units lie in the place of the proposal ``%(proposal_id)s`` (the candidate set
    before the hard filters), counted up to ``%(cap)s`` (NULL: all): decides whether its
    re-match runs as a background job, at a cost bounded by the cap."""
    return f"""WITH p AS MATERIALIZED (SELECT * FROM proposal WHERE id = %(proposal_id)s)
    SELECT count(*) FROM (SELECT 1 FROM p
        JOIN building b ON b.municipality_id = p.municipality_id AND {LOCATION[location_kind]}
        JOIN unit u ON u.building_id = b.id
        LIMIT %(cap)s) AS here"""


PROPOSALS_FOR_UNIT_SQL = f"""SELECT {UNIT_COLUMNS},
        round({_case(DISTANCE, "NULL")})::int AS distance_m, {PROPOSAL_COLUMNS}
    FROM unit u
    JOIN building b ON b.id = u.building_id
    LEFT JOIN district d ON d.id = b.district_id
    {OWNERS}
    JOIN proposal p ON p.municipality_id = u.municipality_id
        AND p.state IN {ACTIVE_PROPOSAL_STATES!r}
    WHERE u.id = %(unit_id)s AND {_case(LOCATION, "false")}
    AND {HARD_FILTERS}
    ORDER BY distance_m NULLS LAST, p.id"""


class Need(NamedTuple):
    """What the proposal asks for (the columns ``PROPOSAL_COLUMNS``)."""

    proposal_id: int
    location_kind: str
    radius_m: int | None
    area_min: float | None
    area_max: float | None
    power: bool
    water: bool
    wc: bool
    heating: bool
    budget_kind: str
    budget: float | None

    @classmethod
    def of(cls, proposal) -> Need:
        def num(value):
            return None if value is None else float(value)

        return cls(
            proposal.id, proposal.location_kind, proposal.radius_m, num(proposal.area_min),
            num(proposal.area_max), proposal.power, proposal.water, proposal.wc,
            proposal.heating, proposal.budget_kind, num(proposal.budget_eur_month),
        )  # fmt: skip


class UnitRow(NamedTuple):
    """A candidate unit (the columns ``UNIT_COLUMNS`` and ``distance_m``)."""

    unit_id: int
    area_m2: float | None
    power: bool
    water: bool
    wc: bool
    heating: bool
    owner_expectation: str
    rent: float | None
    months_vacant: int | None  # whole months since vacant_since (negative: not yet)
    vacancy_state: str
    district_name: str | None
    owner_states: list[str] | None
    distance_m: int | None


UNIT_WIDTH = len(UnitRow._fields)


def unit_kinds_json(table: dict[str, tuple[str, ...]]) -> str:
    """The matching table as the JSON parameter ``%(unit_kinds)s`` of the candidate SQL."""
    return json.dumps({use: list(kinds) for use, kinds in table.items()})


_CONSTANTS = {
    "area_low": Decimal(1) - AREA_TOLERANCE,
    "area_high": Decimal(1) + AREA_TOLERANCE,
    "unit_kinds": unit_kinds_json(USE_KIND_UNIT_KINDS),
}


def candidate_params(today: date, **ids) -> dict:
    """Parameters of the candidate SQL: the constants, ``today`` and ``proposal_id``/``unit_id``."""
    flexible_until = today + timedelta(days=FLEXIBLE_START_DAYS)
    return {**_CONSTANTS, "today": today, "flexible_until": flexible_until, **ids}


def run(session, sql: str, params: dict) -> list[tuple]:
    """Run a query on the session's connection (same transaction); plain tuples, no ORM."""
    session.flush()
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        return cursor.execute(sql, params).fetchall()


def execute(session, sql: str, params: dict, prepare: bool | None = None) -> int:
    """Run a data change on the session's connection; returns the number of rows touched.
    ``prepare=False``: never a prepared statement (the planner sees the parameters' values)."""
    session.flush()
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        return cursor.execute(sql, params, prepare=prepare).rowcount
