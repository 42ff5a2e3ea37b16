"""Vector tiles for the maps: ``/tiles/units/{z}/{x}/{y}.mvt`` (the public units, no login,
the public map's filters as query parameters, checked by ``parse_units`` like the GeoJSON API)
and ``/tiles/register/{z}/{x}/{y}.mvt`` (every unit of the staff member's town, login
required). For the list beside the map: ``/tiles/units/list.json?bbox=…&offset=…`` (a page of
the public units of a map view) and ``/tiles/units/summary.json?bbox=…`` (their count,
capped). Tiles carry an ETag (304 for ``If-None-Match``) and ``no-cache``: the browser asks
again and gets a 304 while nothing changed (``services/public/tile_cache``). A tile outside
the grid is a 404, a zoom level above 22 or a bad filter a 400, both JSON with a German
message; the staff layer answers 401 without login and 403 for initiatives."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.db import db
from leerstand.i18n import error_message
from leerstand.map_labels import unit_extra, url_template, vocabulary_labels
from leerstand.services.public import listing
from leerstand.services.public import tiles as service
from leerstand.services.public.geojson import labels_params
from leerstand.services.public.params import ParamError, parse_units
from leerstand.services.public.tile_cache import CachedTile
from leerstand.services.register import tiles as register
from leerstand.vocab import UNIT_KINDS, VACANCY_STATES

bp = Blueprint("tiles", __name__, url_prefix="/tiles")
MIMETYPE = "application/vnd.mapbox-vector-tile"
PUBLIC_HEADERS = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}
STAFF_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Cookie"}


@bp.errorhandler(ParamError)
def _bad_parameter(error: ParamError):
    return jsonify(error=error_message(error), status=400), 400


@bp.errorhandler(service.TileError)
def _bad_tile(error: service.TileError):
    return jsonify(error=error_message(error), status=error.status), error.status


def _tile_response(tile: CachedTile, headers: dict) -> Response:
    headers = {**headers, "ETag": f'"{tile.etag}"'}
    if request.if_none_match.contains(tile.etag):
        return Response(status=304, headers=headers)
    return Response(tile.body, mimetype=MIMETYPE, headers=headers)


@bp.get("/units/<int:z>/<int:x>/<int:y>.mvt")
def units(z: int, x: int, y: int):
    t = service.tile(z, x, y)
    f = parse_units(request.args)
    tile = service.units_tile(db.session, f, t, unit_extra(ags=f.ags))
    return _tile_response(tile, PUBLIC_HEADERS)


@bp.get("/units/list.json")
def units_list():
    """One page of the list beside the map: ``listing.PAGE`` public units from ``offset`` (by
    id) matching the filters and ``bbox``, and whether more follow; no count of them all (that
    is ``summary.json``, capped), so a page of a whole state's view stays quick."""
    f = parse_units(request.args)
    features, more = listing.first_page(db.session, f, unit_extra(ags=f.ags), f.offset)
    body = {"type": "FeatureCollection", "features": features, "offset": f.offset, "more": more}
    response = jsonify(body)
    response.headers.update(PUBLIC_HEADERS)
    return response


@bp.get("/units/summary.json")
def units_summary():
    f = parse_units(request.args)
    response = jsonify(listing.summary(db.session, f))
    response.headers.update(PUBLIC_HEADERS)
    return response


def _staff_refusal():
    if not current_user.is_authenticated:
        message = _("Bitte melden Sie sich an, um das Register zu sehen.")
        return jsonify(error=message, status=401), 401
    if not getattr(current_user, "is_staff", False):
        message = _("Das Register ist nur für die Verwaltung sichtbar.")
        return jsonify(error=message, status=403), 403
    return None


def _register_extra() -> dict:
    labels = {"kinds": vocabulary_labels(UNIT_KINDS), "states": vocabulary_labels(VACANCY_STATES)}
    return {**labels_params(labels), "unit_url": url_template("staff.unit_view", "unit_id")}


@bp.get("/register/<int:z>/<int:x>/<int:y>.mvt")
def register_units(z: int, x: int, y: int):
    refused = _staff_refusal()
    if refused:
        return refused
    t = service.tile(z, x, y)
    tile = register.register_tile(db.session, current_user.municipality_id, t, _register_extra())
    return _tile_response(tile, STAFF_HEADERS)
