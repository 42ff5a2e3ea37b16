"""The JSON API (``/api``): GeoJSON of the public map (GET only, no login, no cookies needed)
and, for logged-in users, the place search and the staff buildings layer (``places.py``); a
bad parameter gets ``{"error": "<German message>", "status": 400}``."""

from flask import Blueprint, jsonify

from leerstand.i18n import error_message
from leerstand.services.public.params import ParamError

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(ParamError)
def _bad_parameter(error: ParamError):
    return jsonify(error=error_message(error), status=400), 400


from leerstand.api import compression, cors, geojson, openapi, places  # noqa: E402, F401
