"""The query parameters of ``/collections/{id}/items``, checked strictly.

``limit`` (1 … ``MAX_LIMIT``, default 10; a larger one is cut to the maximum as the standard
allows), ``offset``, ``bbox`` (in ``bbox-crs``, default CRS84), ``datetime`` (a date or
date-time, or an interval ``start/end`` with ``..`` for an open end; compared by day),
``crs`` of the response, ``f``, ``ags`` (the town) and the collection's public filters (parsed
by ``services.public.params``). An unknown name or a bad value raises ``ParamError`` with a
German message (the API answers 400)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from leerstand.messages import Text
from leerstand.services.errors import ServiceError
from leerstand.services.forms import INT_MAX, parse_int
from leerstand.services.ogc.collections import CRS84, CRS_URIS, Collection
from leerstand.services.public.params import (
    MAX_OFFSET,
    ParamError,
    PublicFilter,
    parse_bbox,
    parse_proposals,
    parse_units,
)
from leerstand.spatial.crs import WGS84, area_bounds

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
FORMATS = ("json", "html")
COMMON = frozenset({"f", "ags", "lang", "crs"})
ITEMS = COMMON | {"limit", "offset", "bbox", "bbox-crs", "datetime"}
DATETIME_HELP = Text(
    "erwartet ein Datum oder einen Zeitraum, z. B. 2026-12-01, 2026-12-01T10:00:00Z, "
    "2026-01-01/2026-12-31 oder 2026-01-01/.."
)


@dataclass
class ItemsQuery:
    filter: PublicFilter = field(default_factory=PublicFilter)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    bbox_crs: int = WGS84
    period: tuple[date | None, date | None] | None = None
    crs: int = WGS84
    args: dict = field(default_factory=dict)  # the filters, ags and crs: kept in links


def check_names(args: Mapping, allowed: frozenset[str]) -> None:
    for key in args:
        if key not in allowed:
            names = ", ".join(sorted(allowed - {"lang"}))
            raise ParamError(
                Text(
                    "Unbekannter Parameter „%(key)s“. Erlaubt: %(names)s.",
                    key=key[:30],
                    names=names,
                )
            )


def output_format(args: Mapping) -> str | None:
    """``f`` (json or html), None when not given (then the Accept header decides)."""
    raw = args.get("f") or ""
    if not raw:
        return None
    if raw not in FORMATS:
        raise ParamError(
            Text("Parameter „f“: „%(raw)s“ gibt es nicht. Erlaubt: json, html.", raw=raw[:30])
        )
    return raw


def crs_code(args: Mapping, key: str) -> int:
    """The EPSG code of the CRS URI in ``key`` (default CRS84); also ``EPSG:25832``."""
    raw = (args.get(key) or "").strip().strip("[]")
    if not raw:
        return WGS84
    if raw.upper().startswith("EPSG:"):
        raw = CRS84 if raw[5:] == "4326" else f"http://www.opengis.net/def/crs/EPSG/0/{raw[5:]}"
    if raw not in CRS_URIS:
        names = ", ".join(CRS_URIS)
        raise ParamError(
            Text(
                "Parameter „%(key)s“: „%(raw)s“ wird nicht angeboten. Erlaubt: %(names)s.",
                key=key,
                raw=raw[:60],
                names=names,
            )
        )
    return CRS_URIS[raw]


def _int(args: Mapping, key: str, low: int, high: int) -> int | None:
    try:
        return parse_int(args.get(key), Text("Parameter „%(key)s“", key=key), low, high)
    except ServiceError as exc:
        raise ParamError(exc.args[0]) from None


def _projected_bbox(raw: str, epsg: int) -> tuple[float, float, float, float] | None:
    """A bbox in a projected CRS, cut to that CRS's area of use (beyond it the projection to
    WGS84 fails); a box entirely outside is a 400."""
    parts = [p.strip() for p in raw.split(",")] if raw.strip() else []
    if not parts:
        return None
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise ParamError(
            Text("Parameter „bbox“: erwartet vier Zahlen minX,minY,maxX,maxY (Meter).")
        )
    if values[0] > values[2] or values[1] > values[3]:
        raise ParamError(Text("Parameter „bbox“: das Minimum ist größer als das Maximum."))
    x1, y1, x2, y2 = area_bounds(epsg)
    cut = (max(values[0], x1), max(values[1], y1), min(values[2], x2), min(values[3], y2))
    if cut[0] > cut[2] or cut[1] > cut[3]:
        raise ParamError(
            Text(
                "Parameter „bbox“: liegt außerhalb des Gebiets von EPSG:%(epsg)s "
                "(x %(x1)s bis %(x2)s, y %(y1)s bis %(y2)s).",
                epsg=epsg,
                x1=round(x1),
                x2=round(x2),
                y1=round(y1),
                y2=round(y2),
            )
        )
    return cut


def _day(raw: str) -> date | None:
    if raw in ("", ".."):
        return None
    try:
        if "T" in raw.upper():
            return datetime.fromisoformat(raw.upper().replace("Z", "+00:00")).date()
        return date.fromisoformat(raw)
    except ValueError:
        raise ParamError(
            Text("Parameter „datetime“: „%(raw)s“ – %(help)s.", raw=raw[:40], help=DATETIME_HELP)
        ) from None


def parse_period(raw: str) -> tuple[date | None, date | None] | None:
    """``datetime`` as (first day, last day), None ends open; None without the parameter."""
    raw = raw.strip()
    if not raw:
        return None
    if "/" not in raw:
        if raw == "..":
            raise ParamError(
                Text("Parameter „datetime“: „..“ allein – %(help)s.", help=DATETIME_HELP)
            )
        day = _day(raw)
        return day, day
    start, _, end = raw.partition("/")
    first, last = _day(start.strip()), _day(end.strip())
    if first and last and first > last:
        raise ParamError(Text("Parameter „datetime“: der Anfang liegt nach dem Ende."))
    return first, last


def _filter(args: Mapping, collection: Collection) -> PublicFilter:
    values = {key: args[key] for key in collection.filters if key in args}
    if collection.source in ("units", "staff_units"):
        return parse_units(values, strict=False)
    if collection.source == "proposals":
        return parse_proposals(values)
    return PublicFilter()


def parse_items(args: Mapping, collection: Collection, max_limit: int = MAX_LIMIT) -> ItemsQuery:
    check_names(args, ITEMS | collection.filters)
    output_format(args)
    limit = _int(args, "limit", 1, INT_MAX)
    bbox_crs = crs_code(args, "bbox-crs")
    raw_bbox = args.get("bbox") or ""
    kept = {k: args[k] for k in args if k in collection.filters | {"ags", "crs", "datetime"}}
    if raw_bbox.strip():
        kept.update({key: args[key] for key in ("bbox", "bbox-crs") if key in args})
    return ItemsQuery(
        filter=_filter(args, collection),
        limit=min(limit if limit is not None else DEFAULT_LIMIT, max_limit),
        offset=_int(args, "offset", 0, MAX_OFFSET) or 0,
        bbox=parse_bbox(raw_bbox) if bbox_crs == WGS84 else _projected_bbox(raw_bbox, bbox_crs),
        bbox_crs=bbox_crs,
        period=parse_period(args.get("datetime") or ""),
        crs=crs_code(args, "crs"),
        args=kept,
    )


def parse_item(args: Mapping) -> int:
    """A single feature's parameters (``f``, ``crs``, ``ags``, ``lang``); returns the CRS."""
    check_names(args, COMMON)
    output_format(args)
    return crs_code(args, "crs")
