"""Endpoints for the maps where staff and initiatives place or draw: the place search
(``/api/places?q=``, logged-in staff or initiatives, scoped to their municipality) and the staff
layer of existing buildings (``/api/buildings.geojson``). A refusal is JSON with a German
``error``: 400 for a bad ``q``/``bbox``, 401 without login, 403 for initiatives on staff data."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.api import bp
from leerstand.api.geojson import geojson_response
from leerstand.db import db
from leerstand.map_labels import url_template
from leerstand.services import places
from leerstand.services.public.params import parse_bbox
from leerstand.services.register import building_layer


def _refusal():
    """None when someone is logged in, else the JSON 401."""
    if current_user.is_authenticated:
        return None
    message = _("Bitte melden Sie sich an, um die Ortssuche zu nutzen.")
    return jsonify(error=message, status=401), 401


@bp.get("/places")
def place_search():
    refused = _refusal()
    if refused:
        return refused
    query = places.parse_query(request.args)
    municipality = current_user.municipality
    staff = bool(getattr(current_user, "is_staff", False))
    found = places.search(db.session, municipality.id, municipality.ags, query, staff=staff)
    url = current_app.config.get("GEOCODER_URL") or ""
    if url and len(found) < places.LIMIT:
        extra = places.external(db.session, url, municipality.id, query)
        found += extra[: places.LIMIT - len(found)]
    response = jsonify(found)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/buildings.geojson")
def buildings():
    refused = _refusal()
    if refused:
        return refused
    if not getattr(current_user, "is_staff", False):
        message = _("Die Gebäude des Registers sind nur für die Verwaltung sichtbar.")
        return jsonify(error=message, status=403), 403
    bbox = parse_bbox(request.args.get("bbox") or "")
    url = url_template("staff.building_view", "building_id")
    body = building_layer.buildings_geojson(db.session, current_user.municipality_id, url, bbox)
    response = geojson_response(body)
    response.headers["Cache-Control"] = "private, no-store"  # the whole register's addresses
    return response
