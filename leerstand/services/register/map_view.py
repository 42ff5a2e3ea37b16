"""The register map's view from a query string: ``bbox`` (minLon,minLat,maxLon,maxLat, WGS84) and
``zoom`` (Leaflet's zoom level), and the clustering grid derived from them.

A bad value raises ``ParamError`` with a German message (the endpoint answers 400 with it): the
map sends only what Leaflet reports, so anything else is a broken or hand-made request, unlike
the register's filters, which are dropped with a message on the page."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from leerstand.messages import Text
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_int
from leerstand.services.public.params import ParamError, parse_bbox

MAX_ZOOM = 22
SINGLES_ZOOM = 17  # from this zoom on single units, while at most MAX_FEATURES are in view
MAX_FEATURES = 2000  # never more features in one answer
CELL_PX = 80  # a cluster gathers the units of a grid cell this many pixels wide
MAX_CELLS_ACROSS = 40  # at most 41 × 41 cells in any view, whatever bbox and zoom say
TILE_PX = 256

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class MapView:
    bbox: BBox | None = None
    zoom: int | None = None

    @property
    def wants_singles(self) -> bool:
        """Single units unless a zoom below SINGLES_ZOOM asks for clusters."""
        return self.zoom is None or self.zoom >= SINGLES_ZOOM


def parse_view(args: Mapping) -> MapView:
    """``bbox`` and ``zoom`` of the map's request; both optional (none: all filtered units)."""
    bbox = parse_bbox(args.get("bbox") or "")
    try:
        zoom = parse_int(args.get("zoom"), Text("Parameter „%(key)s“", key="zoom"), 0, MAX_ZOOM)
    except ServiceError as exc:
        raise ParamError(exc.args[0]) from None
    return MapView(bbox=bbox, zoom=zoom)


def grid(view: MapView, extent: BBox) -> tuple[float, float]:
    """Width and height in degrees of a grid cell for ``view`` (``extent`` when the view has no
    bbox): CELL_PX pixels at its zoom (a degree of latitude spans 1/cos(lat) more pixels than
    one of longitude in Web Mercator), but never finer than a MAX_CELLS_ACROSS-th of the box."""
    x1, y1, x2, y2 = view.bbox or extent
    latitude = math.radians(min(85.0, max(-85.0, (y1 + y2) / 2)))
    by_zoom = 0.0
    if view.zoom is not None:
        by_zoom = CELL_PX * 360 / (TILE_PX * 2**view.zoom)
    smallest = 1e-7  # a degenerate box still gets a grid
    width = max(by_zoom, (x2 - x1) / MAX_CELLS_ACROSS, smallest)
    height = max(by_zoom * math.cos(latitude), (y2 - y1) / MAX_CELLS_ACROSS, smallest)
    return width, height
