"""OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS), read-only, at
``/ogc``: the public collections of one municipality (``?ags=``, default the first town) and,
at ``/ogc/verwaltung``, the staff collections behind a personal API token (``api.auth``; the
session cookie does not count there). JSON or HTML by ``f``/``Accept`` (``negotiation``);
a bad parameter is a 400, an unknown collection or feature a 404, both in the asked format.
``openapi`` describes every path for the app's OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, request

from leerstand.api.ogc.negotiation import OgcNotFound, error_response
from leerstand.i18n import error_message
from leerstand.security import NO_STORE
from leerstand.services.public.params import ParamError

bp = Blueprint("ogc", __name__, url_prefix="/ogc")
STAFF_PREFIX = "/ogc/verwaltung"


@bp.errorhandler(ParamError)
def _bad_parameter(error: ParamError):
    return error_response(400, error_message(error))


@bp.errorhandler(OgcNotFound)
def _not_found(error: OgcNotFound):
    return error_response(404, error_message(error))


@bp.after_request
def _headers(response):
    response.vary.add("Accept")
    if request.path == STAFF_PREFIX or request.path.startswith(STAFF_PREFIX + "/"):
        response.headers["Cache-Control"] = NO_STORE  # (CORS: api/cors.py, public paths only)
    return response


from leerstand.api.ogc import routes  # noqa: E402, F401
