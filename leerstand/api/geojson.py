"""GeoJSON endpoints of the public map. The body is the text PostGIS built in one query; its
UTF-8 bytes are passed through unchanged (no decode, json.loads/dumps or encode) with an ETag
(SHA-1 of the body). Units and proposals are paged: the body says ``numberMatched`` and
``numberReturned``, the ``Link`` header points to the ``next``/``prev`` page, and the ``url``
of each feature is absolute (``BASE_URL``). CORS for these public routes: ``api/cors.py``."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request

from leerstand.api import bp
from leerstand.db import db
from leerstand.links import absolute_url
from leerstand.map_labels import proposal_extra, unit_extra
from leerstand.services.public import geojson as service
from leerstand.services.public.collection import Page
from leerstand.services.public.params import MAX_LIMIT, PublicFilter, parse_proposals, parse_units

MIMETYPE = "application/geo+json"


def geojson_response(data: bytes, links: str | None = None) -> Response:
    etag = hashlib.sha1(data).hexdigest()
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache", "Vary": "Cookie"}
    if links:
        headers["Link"] = links
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    return Response(data, mimetype=MIMETYPE, headers=headers)


def page_links(f: PublicFilter, matched: int) -> str | None:
    """``Link`` header value with ``next`` (more features after this page) and ``prev`` (this
    page does not start at 0): the same request with another ``offset``, absolute (BASE_URL)."""
    args = request.args.to_dict(flat=True)
    links = []
    if f.offset + f.limit < matched:
        links.append((f.offset + f.limit, "next"))
    if f.offset > 0:
        links.append((max(0, f.offset - f.limit), "prev"))
    parts = [
        f'<{absolute_url(request.endpoint, **{**args, "offset": str(offset)})}>; rel="{rel}"'
        for offset, rel in links
    ]
    return ", ".join(parts) or None


def page_response(f: PublicFilter, page: Page) -> Response:
    return geojson_response(page.body, page_links(f, page.matched))


def _max_limit() -> int:
    """``API_MAX_LIMIT`` (default 10000); the benchmark raises it to fetch 100k at once."""
    return int(current_app.config.get("API_MAX_LIMIT", MAX_LIMIT))


@bp.get("/units.geojson")
def units():
    f = parse_units(request.args, max_limit=_max_limit())
    return page_response(f, service.units_page(db.session, f, unit_extra(absolute=True, ags=f.ags)))


@bp.get("/proposals.geojson")
def proposals():
    f = parse_proposals(request.args, max_limit=_max_limit())
    page = service.proposals_page(db.session, f, proposal_extra(absolute=True, ags=f.ags))
    return page_response(f, page)


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
