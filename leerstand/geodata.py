"""Load the packaged reference geography (a copy of shared/data/ballenstedt, see its README)."""

import json
from pathlib import Path

from shapely.geometry import MultiPolygon, Point, shape

DEMO_DIR = Path(__file__).parent / "demo_data" / "ballenstedt"


def load_boundary(directory: Path = DEMO_DIR) -> tuple[dict, MultiPolygon]:
    """(VG250 attributes, boundary as a MultiPolygon in WGS84)."""
    data = json.loads((directory / "municipality_boundary_vg250.geojson").read_text("utf-8"))
    feature = data["features"][0]
    geom = shape(feature["geometry"])
    if geom.geom_type == "Polygon":
        geom = MultiPolygon([geom])
    return feature["properties"], geom


def load_reference_points(directory: Path = DEMO_DIR) -> list[tuple[dict, Point]]:
    data = json.loads((directory / "reference_points.geojson").read_text("utf-8"))
    return [(f["properties"], shape(f["geometry"])) for f in data["features"]]
