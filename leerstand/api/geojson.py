"""GeoJSON endpoints of the public map. The body is the text PostGIS built in one query; its
UTF-8 bytes are passed through unchanged (no decode, json.loads/dumps or encode) with an ETag
(SHA-1 of the body)."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request

from leerstand.api import bp
from leerstand.db import db
from leerstand.map_labels import proposal_extra, unit_extra
from leerstand.services.public import geojson as service
from leerstand.services.public.params import MAX_LIMIT, parse_proposals, parse_units

MIMETYPE = "application/geo+json"


def geojson_response(data: bytes) -> Response:
    etag = hashlib.sha1(data).hexdigest()
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache", "Vary": "Cookie"}
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    return Response(data, mimetype=MIMETYPE, headers=headers)


def _max_limit() -> int:
    """``API_MAX_LIMIT`` (default 10000); the benchmark raises it to fetch 100k at once."""
    return int(current_app.config.get("API_MAX_LIMIT", MAX_LIMIT))


@bp.get("/units.geojson")
def units():
    f = parse_units(request.args, max_limit=_max_limit())
    return geojson_response(service.units_geojson(db.session, f, unit_extra()))


@bp.get("/proposals.geojson")
def proposals():
    f = parse_proposals(request.args, max_limit=_max_limit())
    return geojson_response(service.proposals_geojson(db.session, f, proposal_extra()))


def _ags() -> str | None:
    return (request.args.get("ags") or "").strip()[:8] or None


@bp.get("/boundary.geojson")
def boundary():
    return geojson_response(service.area_layer(db.session, "boundary", _ags()))


@bp.get("/districts.geojson")
def districts():
    return geojson_response(service.area_layer(db.session, "districts", _ags()))


@bp.get("/focus-areas.geojson")
def focus_areas():
    return geojson_response(service.area_layer(db.session, "focus_areas", _ags()))
