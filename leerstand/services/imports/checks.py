"""Problems of a row that need the register: outside the municipality (the building form's
boundary-with-buffer rule), register ids that are not this municipality's, unknown Ortsteile,
the same address as an existing building, or within ``NEAR_M`` metres of one. Each kind is one
query for all rows (``unnest`` arrays and ``ST_DWithin`` on the spheroid), never one per row."""

from __future__ import annotations

import shapely
from sqlalchemy import select, text

from leerstand.messages import Text
from leerstand.models import Building, District, Unit
from leerstand.services import municipality as municipality_service
from leerstand.services.imports.fields import normalise
from leerstand.services.imports.rows import Record
from leerstand.spatial.geometry import BOUNDARY_TOLERANCE_DEG

NEAR_M = 15.0

NEAR_SQL = text(
    """
    SELECT DISTINCT ON (r.i) r.i, b.id, b.street, b.house_number,
           ST_Distance(b.location::geography, r.g::geography) AS metres
    FROM (SELECT i, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS g
          FROM unnest(CAST(:i AS int[]), CAST(:lon AS float8[]), CAST(:lat AS float8[]))
               AS u(i, lon, lat)) AS r
    JOIN building b
      ON b.municipality_id = :m AND ST_DWithin(b.location::geography, r.g::geography, :near)
    ORDER BY r.i, metres
    """
)


def apply(session, municipality_id: int, records: list[Record]) -> dict[str, int]:
    """Add the register's problems to ``records``; returns district name key -> id."""
    _outside(session, municipality_id, records)
    _register_ids(session, municipality_id, records)
    districts = _districts(session, municipality_id, records)
    new = [r for r in records if not r.problems and not r.building_id and not r.unit_id]
    _same_address(session, municipality_id, new)
    _near(session, municipality_id, [r for r in new if not r.problems])
    return districts


def _outside(session, municipality_id: int, records: list[Record]) -> None:
    name, boundary = municipality_service.boundary(session, municipality_id)
    area = boundary.buffer(BOUNDARY_TOLERANCE_DEG)
    shapely.prepare(area)
    for record in records:
        shapes = [g for g in (record.location, record.footprint) if g is not None]
        if shapes and not all(area.contains(g) for g in shapes):
            record.problems.append(
                Text("Liegt außerhalb von %(name)s (Koordinaten prüfen).", name=name)
            )


def _register_ids(session, municipality_id: int, records: list[Record]) -> None:
    unit_ids = {r.unit_id for r in records if r.unit_id}
    building_ids = {r.building_id for r in records if r.building_id}
    units = dict(
        session.execute(
            select(Unit.id, Unit.building_id).where(
                Unit.municipality_id == municipality_id, Unit.id.in_(unit_ids)
            )
        ).all()
    )
    buildings = set(
        session.scalars(
            select(Building.id).where(
                Building.municipality_id == municipality_id, Building.id.in_(building_ids)
            )
        )
    )
    seen: dict[int, int] = {}
    for record in records:
        if record.unit_id:
            _check_unit(record, units, seen)
        elif record.building_id and record.building_id not in buildings:
            record.problems.append(
                Text("Gebäude Nr. %(id)s gibt es im Register nicht.", id=record.building_id)
            )


def _check_unit(record: Record, units: dict[int, int], seen: dict[int, int]) -> None:
    if record.unit_id not in units:
        record.problems.append(
            Text("Einheit Nr. %(id)s gibt es im Register nicht.", id=record.unit_id)
        )
    elif record.building_id and units[record.unit_id] != record.building_id:
        record.problems.append(
            Text(
                "Einheit Nr. %(id)s gehört nicht zu Gebäude Nr. %(building)s.",
                id=record.unit_id,
                building=record.building_id,
            )
        )
    elif record.unit_id in seen:
        record.problems.append(
            Text(
                "Doppelt in der Datei: Einheit Nr. %(id)s steht schon in Zeile %(line)s.",
                id=record.unit_id,
                line=seen[record.unit_id],
            )
        )
    else:
        seen[record.unit_id] = record.line
        record.building_id = units[record.unit_id]


def _districts(session, municipality_id: int, records: list[Record]) -> dict[str, int]:
    rows = session.execute(
        select(District.name, District.id).where(District.municipality_id == municipality_id)
    ).all()
    by_name = {normalise(name): district_id for name, district_id in rows}
    for record in records:
        if record.district and normalise(record.district) not in by_name:
            record.problems.append(
                Text(
                    "Den Ortsteil „%(name)s“ gibt es nicht. Bekannt sind: %(known)s.",
                    name=record.district[:60],
                    known=", ".join(sorted(name for name, _ in rows)),
                )
            )
    return by_name


def _same_address(session, municipality_id: int, records: list[Record]) -> None:
    existing: dict[str, tuple[int, str]] = {}
    query = select(Building.id, Building.street, Building.house_number).where(
        Building.municipality_id == municipality_id
    )
    for building_id, street, number in session.execute(query):
        existing.setdefault(
            normalise(street) + "|" + normalise(number), (building_id, f"{street} {number}")
        )
    for record in records:
        if (hit := existing.get(record.address_key)) is not None:
            record.problems.append(
                Text(
                    "Gleiche Adresse wie Gebäude Nr. %(id)s im Register (%(address)s).",
                    id=hit[0],
                    address=hit[1].strip(),
                )
            )


def _near(session, municipality_id: int, records: list[Record]) -> None:
    if not records:
        return
    params = {
        "i": [r.index for r in records],
        "lon": [r.location.x for r in records],
        "lat": [r.location.y for r in records],
        "m": municipality_id,
        "near": NEAR_M,
    }
    by_index = {r.index: r for r in records}
    for index, building_id, street, number, metres in session.execute(NEAR_SQL, params):
        by_index[index].problems.append(
            Text(
                "Nur %(metres)s m von Gebäude Nr. %(id)s (%(address)s) im Register entfernt "
                "(weniger als 15 m): wohl dasselbe Gebäude.",
                metres=round(metres, 1),
                id=building_id,
                address=f"{street} {number}".strip(),
            )
        )
