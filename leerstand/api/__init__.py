"""The public JSON API (``/api``): GeoJSON of the public map. GET only, no login, no cookies
needed; a bad parameter gets ``{"error": "<German message>", "status": 400}``."""

from flask import Blueprint, jsonify

from leerstand.services.public_params import ParamError

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(ParamError)
def _bad_parameter(error: ParamError):
    return jsonify(error=str(error), status=400), 400


from leerstand.api import geojson  # noqa: E402, F401
