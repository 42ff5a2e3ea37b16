"""What the public unit and proposal pages show besides the allowlisted GeoJSON properties of
``services.public.geojson``: the town's contact, a proposal's place for its small map, whether
a proposal is still on show (published, "Raum gefunden", realised) and, for a realised proposal, the
public facts of its interim use.

Allowlist as in ``public``: the contact comes from the municipality's own settings; the place
carries only geometry, Ortsteil names and a radius; the interim use only its unit's kind, the
Ortsteil, the dates and – when the unit is on the public map itself – its address and page.
Never owners, terms, costs, notes or the initiative's contact data."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from leerstand.services.public.geojson import MUNICIPALITY, UNIT_IS_PUBLIC

# A proposal's public page answers for these states; shared links keep working after a match.
SHOWN_STATES = ("published", "matched", "realised")

# the person named: the contact person, else the signature line
CONTACT_SQL = f"""SELECT coalesce(contact_person, letter_signature) AS letter_signature,
        letterhead, contact_phone, contact_email
    FROM municipality WHERE id = {MUNICIPALITY}"""


TOWN_SQL = f"""SELECT m.id, m.name, m.ags, m.id = (SELECT min(id) FROM municipality) AS first
    FROM municipality m WHERE m.id = {MUNICIPALITY}"""


def town(session: Session, ags: str | None = None) -> dict | None:
    """The town whose public pages these are: by AGS (None: the first town); None when there
    is none. ``map_ags`` is None for the first town (its pages are ``/``, ``/leerstand/…``),
    else the AGS (its pages are under ``/k/<AGS>/``, its API calls carry ``?ags=``)."""
    row = session.connection().exec_driver_sql(TOWN_SQL, {"ags": ags}).first()
    if row is None:
        return None
    map_ags = None if row.first else row.ags
    return {"id": row.id, "name": row.name, "ags": row.ags, "map_ags": map_ags}


def town_contact(session: Session, ags: str | None = None) -> dict:
    """The town's contact for the public: only the settings that are filled in (none → {})."""
    row = session.connection().exec_driver_sql(CONTACT_SQL, {"ags": ags}).mappings().first()
    if row is None:
        return {}
    keys = {"letter_signature": "person", "letterhead": "office"}
    keys.update(contact_phone="phone", contact_email="email")
    return {
        name: row[column].strip() for column, name in keys.items() if (row[column] or "").strip()
    }


def proposal_state(session: Session, proposal_id: int, ags: str | None = None) -> str | None:
    sql = f"SELECT state FROM proposal WHERE id = %(id)s AND municipality_id = {MUNICIPALITY}"
    row = session.connection().exec_driver_sql(sql, {"id": proposal_id, "ags": ags}).first()
    return row.state if row else None


# One FeatureCollection: the point (with its radius), the drawn area, each chosen Ortsteil
# (its polygon, else its centre, with its name) or the proposal's unit while that unit is public.
PLACE_SQL = f"""SELECT json_build_object('type', 'FeatureCollection', 'features',
    coalesce(json_agg(json_build_object('type', 'Feature',
        'geometry', ST_AsGeoJSON(geom, 6)::json,
        'properties', json_build_object('role', role, 'name', name, 'radius_m', radius_m))),
        '[]'::json))::text
    FROM (
        SELECT p.point AS geom, 'point' AS role, NULL AS name, p.radius_m AS radius_m
          FROM proposal p WHERE p.id = %(id)s AND p.location_kind = 'point'
                               AND p.point IS NOT NULL
        UNION ALL
        SELECT p.area, 'area', NULL, NULL
          FROM proposal p WHERE p.id = %(id)s AND p.location_kind = 'area' AND p.area IS NOT NULL
        UNION ALL
        SELECT coalesce(d.boundary, d.centre), 'district', d.name, NULL
          FROM proposal p JOIN proposal_district pd ON pd.proposal_id = p.id
          JOIN district d ON d.id = pd.district_id
          WHERE p.id = %(id)s AND p.location_kind = 'districts'
                AND coalesce(d.boundary, d.centre) IS NOT NULL
        UNION ALL
        SELECT b.location, 'unit', NULL, NULL
          FROM proposal p JOIN unit u ON u.id = p.unit_id JOIN building b ON b.id = u.building_id
          WHERE p.id = %(id)s AND p.location_kind = 'unit' AND {UNIT_IS_PUBLIC.strip()}
    ) AS place"""


def proposal_place(session: Session, proposal_id: int) -> str:
    """GeoJSON text of where the proposal wants to be (empty collection when nothing is public)."""
    return session.connection().exec_driver_sql(PLACE_SQL, {"id": proposal_id}).scalar_one()


REALISED_SQL = f"""SELECT iu.starts_on, iu.ends_on, iu.ended_on, u.kind, d.name AS district,
        CASE WHEN {UNIT_IS_PUBLIC.strip()} THEN u.id END AS public_unit_id,
        CASE WHEN {UNIT_IS_PUBLIC.strip()} THEN b.street END AS street,
        CASE WHEN {UNIT_IS_PUBLIC.strip()} THEN b.house_number END AS house_number
    FROM interim_use iu JOIN unit u ON u.id = iu.unit_id JOIN building b ON b.id = u.building_id
    LEFT JOIN district d ON d.id = b.district_id
    WHERE iu.proposal_id = %(id)s
    ORDER BY iu.starts_on DESC, iu.id DESC LIMIT 1"""


def realisation(session: Session, proposal_id: int, today: date) -> dict | None:
    """The public facts of the proposal's latest interim use, or None when none is recorded.
    ``phase``: ``planned`` (starts later), ``running`` or ``ended``."""
    row = session.connection().exec_driver_sql(REALISED_SQL, {"id": proposal_id}).mappings()
    row = row.first()
    if row is None:
        return None
    facts = dict(row)
    if facts["ended_on"] is not None and facts["ended_on"] <= today:
        facts["phase"] = "ended"
    elif facts["starts_on"] > today:
        facts["phase"] = "planned"
    else:
        facts["phase"] = "running"
    return facts
