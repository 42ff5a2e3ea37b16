"""The collections of the OGC API and the coordinate systems it offers (Part 2 CRS).

Public (``PUBLIC``): units, published proposals, Ortsteile, focus areas and the boundary of
one municipality (the ``ags`` parameter, default: the first town). Staff (``STAFF``): all
units and buildings of the token user's municipality with internal fields. Each collection
names the public filters it takes (those of ``services.public.params``) and the property its
``datetime`` parameter compares with (or None: the parameter is accepted and changes
nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.services.public.params import PAGING, PROPOSAL_PARAMS, UNIT_PARAMS
from leerstand.spatial.crs import UTM32, WGS84

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{code}"
CRS_URIS = {CRS84: WGS84, EPSG_URI.format(code=UTM32): UTM32}  # URI -> EPSG code
TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
UNIT_FILTERS = frozenset(UNIT_PARAMS - PAGING - {"bbox"})
PROPOSAL_FILTERS = frozenset(PROPOSAL_PARAMS - PAGING - {"bbox"})


@dataclass(frozen=True)
class Collection:
    id: str
    title: Text
    description: Text
    source: str  # units | proposals | boundary | districts | focus_areas | staff_units | …
    filters: frozenset[str] = frozenset()
    temporal: Text | None = None  # what ``datetime`` compares with


PUBLIC = {
    c.id: c
    for c in (
        Collection(
            "units",
            Text("Leerstehende Räume"),
            Text(
                "Öffentlich freigegebene leere Läden, Büros und Räume: Art, Adresse, gerundete "
                "Fläche, Ausstattung und Verfügbarkeit."
            ),
            "units",
            UNIT_FILTERS,
            Text("Verfügbarkeit (available_from bis available_to; leer = offen)"),
        ),
        Collection(
            "proposals",
            Text("Nutzungsideen"),
            Text("Veröffentlichte Ideen von Initiativen, die einen Raum suchen."),
            "proposals",
            PROPOSAL_FILTERS,
            Text("gewünschter Zeitraum (time_from bis time_to; leer = offen)"),
        ),
        Collection("districts", Text("Ortsteile"), Text("Die Ortsteile der Kommune."), "districts"),
        Collection(
            "focus-areas",
            Text("Fokusgebiete"),
            Text("Gebiete, auf die die Kommune ihre Leerstandsarbeit richtet."),
            "focus_areas",
        ),
        Collection("boundary", Text("Gemeindegrenze"), Text("Die Grenze der Kommune."), "boundary"),
    )
}
STAFF = {
    c.id: c
    for c in (
        Collection(
            "units",
            Text("Alle Einheiten (intern)"),
            Text(
                "Alle Nutzungseinheiten der Kommune mit internen Feldern (ohne "
                "Eigentümerdaten), auch nicht veröffentlichte."
            ),
            "staff_units",
            UNIT_FILTERS,
            Text("letzte Änderung (updated_at, tagesgenau)"),
        ),
        Collection(
            "buildings",
            Text("Gebäude (intern)"),
            Text("Alle Gebäude der Kommune mit internen Feldern (ohne Eigentümerdaten)."),
            "staff_buildings",
            frozenset(),
            Text("letzte Änderung (updated_at, tagesgenau)"),
        ),
    )
}


TOWN = """SELECT id, name, ags{extent} FROM municipality WHERE {where} ORDER BY id LIMIT 1"""
EXTENT = ", ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)"


def municipality_by_ags(session: Session, ags: str | None, extent: bool = False) -> dict | None:
    """{id, name, ags, bbox} of the town with that AGS (None: the first town), else None;
    ``bbox`` (CRS84) only when ``extent`` is asked for."""
    where = "%(ags)s::text IS NULL OR ags = %(ags)s::text"
    sql = TOWN.format(extent=EXTENT if extent else "", where=where)
    return _town(session.connection().exec_driver_sql(sql, {"ags": ags}).first())


def municipality_by_id(session: Session, municipality_id: int, extent: bool = False) -> dict | None:
    sql = TOWN.format(extent=EXTENT if extent else "", where="id = %(id)s")
    return _town(session.connection().exec_driver_sql(sql, {"id": municipality_id}).first())


def _town(row) -> dict | None:
    if row is None:
        return None
    bbox = [round(v, 6) for v in row[3:]] if len(row) > 3 and row[3] is not None else None
    return {"id": row[0], "name": row[1], "ags": row[2], "bbox": bbox}
