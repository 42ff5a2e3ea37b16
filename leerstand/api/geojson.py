"""GeoJSON endpoints of the public map. The body is the text PostGIS built in one query; its
UTF-8 bytes are passed through unchanged (no decode, json.loads/dumps or encode) with an ETag
(SHA-1 of the body)."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from flask import Response, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from leerstand import vocab
from leerstand.api import bp
from leerstand.db import db
from leerstand.services import public as service
from leerstand.services.public_params import MAX_LIMIT, parse_proposals, parse_units

PLACEHOLDER = "999999999"
MIMETYPE = "application/geo+json"


def _labels(vocabulary: dict) -> dict:
    return {code: str(text) for code, text in vocabulary.items()}


def _template(endpoint: str, key: str) -> str:
    return url_for(endpoint, **{key: int(PLACEHOLDER)}).replace(PLACEHOLDER, "{id}")


@lru_cache(maxsize=8)
def _unit_labels(locale: str) -> dict:
    labels = service.labels_params(
        {
            "kinds": _labels(vocab.UNIT_KINDS),
            "states": _labels(vocab.VACANCY_STATES),
            "terms": _labels(vocab.OWNER_EXPECTATIONS),
        }
    )
    # the staff pages' words for a planned interim use; PostGIS puts in the date (dd.mm.yyyy)
    return {**labels, "planned_label": _("Zwischennutzung geplant ab %(date)s", date="{date}")}


@lru_cache(maxsize=8)
def _proposal_labels(locale: str) -> dict:
    return service.labels_params({"uses": _labels(vocab.USE_KINDS)})


def unit_extra() -> dict:
    """Labels in the current language (cached per locale) and the public unit URL."""
    return {
        **_unit_labels(str(get_locale())),
        "unit_url": _template("public.unit", "unit_id"),
    }


def proposal_extra() -> dict:
    return {
        **_proposal_labels(str(get_locale())),
        "proposal_url": _template("public.proposal", "proposal_id"),
    }


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
