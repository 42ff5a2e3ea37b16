"""A new municipality from files, without SQL: its official key (AGS), name, boundary and
optionally Ortsteile and focus areas (polygons or points), checked completely before anything
is added; the caller commits once, so a failure writes nothing.

The boundary must be polygons (several features are joined, e.g. land and water parts of a
VG250 municipality); an Ortsteil may be a polygon (its area and a centre inside it) or a point
(a centre without area); a focus area as a point becomes a circle of ``FOCUS_POINT_RADIUS_M``.
Every Ortsteil and focus area must lie inside the boundary; the message names the feature's
number in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import District, FocusArea, Municipality
from leerstand.services.audit.log import record
from leerstand.services.errors import ServiceError
from leerstand.services.forms import check_length
from leerstand.services.towns import files
from leerstand.spatial import crs
from leerstand.spatial.geometry import BOUNDARY_TOLERANCE_DEG, to_db

AGS_RE = re.compile(r"^\d{8}$")
NAME_GUESSES = ("name", "GEN", "Name", "NAME", "bezeichnung", "Bezeichnung")
FOCUS_POINT_RADIUS_M = 100
POLYGONS = ("Polygon", "MultiPolygon")
POINTS = ("Point", "MultiPoint")


@dataclass
class Source:
    """One file to read: path, layer, OGR SQL filter and the attribute holding names."""

    path: str | Path
    layer: str | None = None
    where: str | None = None
    name_field: str | None = None


@dataclass
class Place:
    number: int
    name: str
    area: MultiPolygon | None
    centre: Point


@dataclass
class TownPlan:
    ags: str
    name: str
    postcode: str | None
    boundary: MultiPolygon
    districts: list[Place] = field(default_factory=list)
    focus_areas: list[Place] = field(default_factory=list)


def check_ags(session: Session, ags: str) -> str:
    ags = (ags or "").strip()
    if not AGS_RE.match(ags):
        raise ServiceError(
            Text(
                "Der Amtliche Gemeindeschlüssel (AGS) hat genau 8 Ziffern, z. B. 15083040; "
                "„%(ags)s“ ist keiner.",
                ags=ags[:20],
            )
        )
    taken = session.scalar(select(Municipality).where(Municipality.ags == ags))
    if taken is not None:
        raise ServiceError(
            Text(
                "Den AGS %(ags)s hat schon die Kommune „%(name)s“. Bitte den AGS prüfen; "
                "„municipality list“ zeigt alle Kommunen.",
                ags=ags,
                name=taken.name,
            )
        )
    return ags


def _polygons(geom: BaseGeometry) -> MultiPolygon:
    """The polygon parts of a geometry made valid (a bow-tie becomes two triangles)."""
    valid = shapely.make_valid(geom)
    parts = [g for g in shapely.get_parts(valid) if g.geom_type in POLYGONS]
    polygons = [p for part in parts for p in shapely.get_parts(part) if not p.is_empty]
    return MultiPolygon(polygons) if polygons else MultiPolygon()


def read_boundary(source: Source) -> MultiPolygon:
    """The boundary: all chosen features must be polygons; they are joined into one."""
    features, _names = files.read_features(source.path, source.layer, source.where)
    if not features:
        raise ServiceError(
            Text("Die Datei enthält keine Fläche (Filter: %(where)s).", where=source.where or "–")
        )
    if len(features) > 1 and not source.where:
        raise ServiceError(
            Text(
                "Die Datei enthält %(count)s Objekte. Bitte die Fläche der Kommune mit --where "
                "oder --ags-field wählen (z. B. --ags-field AGS).",
                count=len(features),
            )
        )
    for feature in features:
        kind = feature.geometry.geom_type if feature.geometry is not None else "–"
        if kind not in POLYGONS:
            raise ServiceError(
                Text(
                    "Objekt %(number)s ist keine Fläche (%(kind)s). Die Gemeindegrenze muss aus "
                    "Polygonen bestehen, nicht aus Punkten oder Linien.",
                    number=feature.number,
                    kind=kind,
                )
            )
    joined = _polygons(shapely.union_all([_polygons(f.geometry) for f in features]))
    if joined.is_empty or joined.area == 0:
        raise ServiceError(Text("Die Gemeindegrenze hat keine Fläche."))
    return joined


def _name_field(names: list[str], chosen: str | None, what: str) -> str:
    if chosen:
        if chosen not in names:
            raise ServiceError(
                Text(
                    "%(what)s: die Datei hat kein Feld „%(field)s“. Vorhanden: %(names)s.",
                    what=what,
                    field=chosen,
                    names=", ".join(names) or "–",
                )
            )
        return chosen
    for guess in NAME_GUESSES:
        if guess in names:
            return guess
    raise ServiceError(
        Text(
            "%(what)s: kein Namensfeld gefunden (gesucht: name, GEN, Name). Bitte das Feld mit "
            "dem Namen angeben. Vorhanden: %(names)s.",
            what=what,
            names=", ".join(names) or "–",
        )
    )


def _place(feature: files.Feature, name: str, inside: BaseGeometry, what: str, focus: bool):
    geom = feature.geometry
    kind = geom.geom_type if geom is not None else "–"
    if kind not in POLYGONS + POINTS:
        raise ServiceError(
            Text(
                "%(what)s, Objekt %(number)s („%(name)s“): nur Flächen oder Punkte, "
                "nicht %(kind)s.",
                what=what,
                number=feature.number,
                name=name,
                kind=kind,
            )
        )
    if not inside.covers(geom):
        raise ServiceError(
            Text(
                "%(what)s, Objekt %(number)s („%(name)s“) liegt außerhalb der Gemeindegrenze. "
                "Bitte die Datei prüfen (Koordinatensystem, richtige Kommune).",
                what=what,
                number=feature.number,
                name=name,
            )
        )
    if kind in POINTS:
        centre = geom.centroid
        area = _polygons(crs.buffer_m(centre, FOCUS_POINT_RADIUS_M)) if focus else None
        return Place(feature.number, name, area, centre)
    area = _polygons(geom)
    return Place(feature.number, name, area, area.point_on_surface())


def read_places(source: Source, boundary: MultiPolygon, what: str, focus: bool) -> list[Place]:
    features, names = files.read_features(source.path, source.layer, source.where)
    name_field = _name_field(names, source.name_field, what)
    inside = boundary.buffer(BOUNDARY_TOLERANCE_DEG)
    places, seen = [], {}
    for feature in features:
        name = str(feature.properties.get(name_field) or "").strip()
        if not name:
            raise ServiceError(
                Text(
                    "%(what)s, Objekt %(number)s: das Feld „%(field)s“ ist leer.",
                    what=what,
                    number=feature.number,
                    field=name_field,
                )
            )
        check_length(name, 120, f"{what}, Objekt {feature.number}")
        if name in seen:
            raise ServiceError(
                Text(
                    "%(what)s: „%(name)s“ kommt zweimal vor (Objekte %(first)s und %(second)s).",
                    what=what,
                    name=name,
                    first=seen[name],
                    second=feature.number,
                )
            )
        seen[name] = feature.number
        places.append(_place(feature, name, inside, what, focus))
    return places


def plan(
    session: Session,
    ags: str,
    name: str,
    boundary: Source,
    districts: Source | None = None,
    focus_areas: Source | None = None,
    postcode: str | None = None,
) -> TownPlan:
    """Everything checked and read, nothing added yet."""
    ags = check_ags(session, ags)
    name = (name or "").strip()
    if not name:
        raise ServiceError(Text("Bitte den Namen der Kommune angeben (--name)."))
    check_length(name, 120, "Name")
    postcode = (postcode or "").strip() or None
    if postcode:
        check_length(postcode, 10, "PLZ")
    town = TownPlan(ags, name, postcode, read_boundary(boundary))
    if districts is not None:
        town.districts = read_places(districts, town.boundary, "Ortsteile", focus=False)
    if focus_areas is not None:
        town.focus_areas = read_places(focus_areas, town.boundary, "Fokusgebiete", focus=True)
    return town


def create(session: Session, town: TownPlan) -> Municipality:
    """Add the planned town with its Ortsteile and focus areas (flush only) and audit it."""
    municipality = Municipality(
        ags=town.ags, name=town.name, postcode=town.postcode, boundary=to_db(town.boundary)
    )
    session.add(municipality)
    session.flush()
    for place in town.districts:
        area = to_db(place.area) if place.area is not None else None
        session.add(
            District(
                municipality_id=municipality.id,
                name=place.name,
                boundary=area,
                centre=to_db(place.centre),
            )
        )
    for place in town.focus_areas:
        session.add(
            FocusArea(municipality_id=municipality.id, name=place.name, area=to_db(place.area))
        )
    session.flush()
    record(
        session,
        None,
        "create",
        municipality,
        {
            "name": [None, town.name],
            "ags": [None, town.ags],
            "districts": [None, len(town.districts)],
            "focus_areas": [None, len(town.focus_areas)],
        },
    )
    return municipality
