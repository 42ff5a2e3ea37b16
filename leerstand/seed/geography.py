"""Demo geography: the municipality with its real VG250 boundary, six Ortsteile, focus areas.

The Ortsteil boundaries are APPROXIMATE: Voronoi cells of the six reference centres, clipped
to the municipality boundary. They are good enough for filters and statistics in the demo, not
the official district limits."""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from leerstand.geodata import load_boundary, load_reference_points
from leerstand.models import District, FocusArea, Municipality
from leerstand.spatial import crs
from leerstand.spatial.geometry import to_db

POSTCODE = "06493"
LETTERHEAD = "Stadt Ballenstedt · Rathausplatz 12 · 06493 Ballenstedt"
KERNSTADT = "Ballenstedt"
# The Allee ("Schlossallee"): west end at the Schlossplatz, east end at the Anhaltiner Platz
# (east end estimated, see shared/data/ballenstedt/README.md).
ALLEE = LineString([(11.2200, 51.7187), (11.234, 51.720)])
ALLEE_BUFFER_M = 35
ALTSTADT_CENTRE = Point(11.236, 51.7175)  # near the Alter Markt / Gut Ziegenberg (approximate)
ALTSTADT_BUFFER_M = 250


@dataclass
class Geography:
    """What the building generator needs: shapely geometries (WGS84) and the ORM rows."""

    municipality: Municipality
    boundary: MultiPolygon
    cells: dict[str, MultiPolygon] = field(default_factory=dict)
    centres: dict[str, Point] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    landmarks: dict[str, Point] = field(default_factory=dict)

    def district_of(self, point: Point) -> str | None:
        for name, cell in self.cells.items():
            if cell.covers(point):
                return name
        return None


def _multipolygon(geom: BaseGeometry) -> MultiPolygon:
    if geom.geom_type == "Polygon":
        return MultiPolygon([geom])
    if geom.geom_type == "MultiPolygon":
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    return MultiPolygon(polys)


def reference_centres() -> tuple[dict[str, Point], dict[str, Point]]:
    """(Ortsteil name -> centre, landmark key -> point) from the packaged reference points."""
    centres, landmarks = {}, {}
    for props, point in load_reference_points():
        name = props["name"]
        if props["kind"] == "ortsteil":
            centres[KERNSTADT if name.startswith("Ballenstedt") else name] = point
        elif "Ziegenberg" in name:
            landmarks["ziegenberg"] = point
        elif "Schlosstheater" in name:
            landmarks["schlosstheater"] = point
    return centres, landmarks


def voronoi_cells(centres: dict[str, Point], boundary: MultiPolygon) -> dict[str, MultiPolygon]:
    """Approximate Ortsteil areas: Voronoi cells of the centres clipped to the boundary."""
    cells = shapely.voronoi_polygons(MultiPoint(list(centres.values())), extend_to=boundary)
    out = {}
    for name, centre in centres.items():
        cell = next(c for c in cells.geoms if c.covers(centre))
        out[name] = _multipolygon(cell.intersection(boundary))
    return out


def focus_areas(boundary: MultiPolygon) -> list[tuple[str, str, MultiPolygon]]:
    allee = crs.buffer_m(ALLEE, ALLEE_BUFFER_M)
    altstadt = crs.buffer_m(ALTSTADT_CENTRE, ALTSTADT_BUFFER_M).intersection(boundary)
    return [
        ("Schlossallee", "Allee zwischen Schlossplatz und Anhaltiner Platz", _multipolygon(allee)),
        (
            "Altstadt",
            "Altstadt um Alter Markt und Gut Ziegenberg (ungefähre Abgrenzung)",
            _multipolygon(altstadt),
        ),
    ]


def create_geography(session: Session, ags: str | None, name: str, echo) -> Geography:
    props, boundary = load_boundary()
    municipality = Municipality(
        name=name,
        ags=ags or props["AGS"],
        postcode=POSTCODE,
        boundary=to_db(boundary),
        letterhead=LETTERHEAD,
        contact_email="leerstand@ballenstedt.example",
        contact_phone="039483 970-0",
        letter_signature="Ihr Team Leerstandsmanagement der Stadt Ballenstedt",
    )
    session.add(municipality)
    session.flush()
    echo(f"Kommune {name} ({municipality.ags}) … ok")
    centres, landmarks = reference_centres()
    geo = Geography(municipality, boundary, voronoi_cells(centres, boundary), centres)
    geo.landmarks = landmarks
    for district_name, centre in centres.items():
        district = District(
            municipality_id=municipality.id,
            name=district_name,
            centre=to_db(centre),
            boundary=to_db(geo.cells[district_name]),
        )
        geo.districts[district_name] = district
        session.add(district)
    echo(f"Ortsteile {len(centres)} (ungefähre Grenzen) … ok")
    for area_name, description, area in focus_areas(boundary):
        session.add(
            FocusArea(
                municipality_id=municipality.id,
                name=area_name,
                description=description,
                area=to_db(area),
            )
        )
    session.flush()
    echo("Fokusgebiete Schlossallee, Altstadt … ok")
    return geo
