"""JSON or HTML for an OGC API request, and the responses: ``f=json|html`` wins, else the
``Accept`` header (JSON when it names neither, e.g. ``*/*``). Errors are
``{"code", "description", "error", "status"}`` (the standard's exception plus the API's usual
members) or the German error page."""

from __future__ import annotations

import json

from flask import Response, render_template, request

from leerstand.services.ogc.collections import CRS_URIS
from leerstand.services.ogc.query import output_format
from leerstand.services.public.params import ParamError

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
CODES = {400: "InvalidParameterValue", 401: "Unauthorized", 404: "NotFound"}
EPSG_TO_URI = {code: uri for uri, code in CRS_URIS.items()}


class OgcNotFound(Exception):
    """A collection or feature that does not exist (or is not public): 404."""


def wants_html() -> bool:
    chosen = output_format(request.args)
    if chosen:
        return chosen == "html"
    return request.accept_mimetypes.best_match([JSON, GEOJSON, HTML], default=JSON) == HTML


def _safe_wants_html() -> bool:
    try:
        return wants_html()
    except ParamError:
        return False


def json_response(doc: dict, mimetype: str = JSON) -> Response:
    return Response(json.dumps(doc, ensure_ascii=False), mimetype=mimetype)


def features_response(body: bytes, crs: int) -> Response:
    """The FeatureCollection/Feature text as PostGIS built it, with its ``Content-Crs``."""
    response = Response(body, mimetype=GEOJSON)
    response.headers["Content-Crs"] = f"<{EPSG_TO_URI[crs]}>"
    return response


def html_response(template: str, **context) -> Response:
    return Response(render_template(template, **context), mimetype=HTML)


def error_response(status: int, message: str) -> Response:
    if _safe_wants_html():
        html = render_template("error.html", code=status, message=message)
        return Response(html, status=status, mimetype=HTML)
    doc = {"code": CODES.get(status, "Error"), "description": message}
    response = json_response({**doc, "error": message, "status": status})
    response.status_code = status
    return response
