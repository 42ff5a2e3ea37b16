"""GeoJSON endpoints of the public map. The body is the text PostGIS built, in chunks of
features as the database sends them (no decode, json.loads/dumps or encode). Pages of more than
``API_BUFFER_FEATURES`` (default 1000) features are streamed, so the worker never holds such a
body; smaller ones are sent whole. Units and proposals are paged: the body says
``numberMatched`` and ``numberReturned``; the ``Link`` header's ``next`` continues after the
page's last id (``after``, as fast at the end as at the start), ``prev`` goes back by ``after``
or ``offset`` as the request did; the ``url`` of each feature is absolute (``BASE_URL``).

The ETag comes from the change counter of the public data and the request's statements and
parameters (``services.public.changes``), so ``If-None-Match`` is answered with 304 before
anything is built. Compression (zstd, brotli, gzip as the client asks) is Flask-Compress's
(``api/compression.py``); it appends ``:<encoding>`` to a strong ETag, which a later
``If-None-Match`` brings back. CORS for these public routes: ``api/cors.py``."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request, stream_with_context

from leerstand.api import bp
from leerstand.db import db
from leerstand.links import absolute_url
from leerstand.map_labels import proposal_extra, unit_extra
from leerstand.services.public import changes
from leerstand.services.public import geojson as service
from leerstand.services.public.collection import Bounds
from leerstand.services.public.params import MAX_LIMIT, PublicFilter, parse_proposals, parse_units

MIMETYPE = "application/geo+json"
BUFFER_FEATURES = 1000  # larger pages are streamed (API_BUFFER_FEATURES)
CACHING = {"Cache-Control": "no-cache", "Vary": "Cookie"}  # the labels' language: the session


def geojson_response(data: bytes, links: str | None = None) -> Response:
    """A finished body with its SHA-1 as ETag (the staff layers)."""
    tag = hashlib.sha1(data).hexdigest()
    return _answer(tag) or _body(data, tag, links)


def _answer(tag: str) -> Response | None:
    """304 when ``If-None-Match`` names ``tag``, also as compressed (``tag:gzip``)."""
    for sent in request.if_none_match.as_set(include_weak=True):
        if sent == tag or sent.startswith(f"{tag}:"):
            return Response(status=304, headers={**CACHING, "ETag": f'"{sent}"'})
    if request.if_none_match.star_tag:
        return Response(status=304, headers={**CACHING, "ETag": f'"{tag}"'})
    return None


def _body(data, tag: str, links: str | None = None) -> Response:
    headers = {**CACHING, "ETag": f'"{tag}"'}
    if links:
        headers["Link"] = links
    return Response(data, mimetype=MIMETYPE, headers=headers)


def _link(rel: str, **changed: str | None) -> str:
    """The request's URL (absolute, BASE_URL) with ``changed`` parameters (None: left out)."""
    args = request.args.to_dict(flat=True)
    for key, value in changed.items():
        args.pop(key, None)
        if value is not None:
            args[key] = value
    return f'<{absolute_url(request.endpoint, **args)}>; rel="{rel}"'


def page_links(f: PublicFilter, bounds: Bounds) -> str | None:
    """``next`` (more features follow): after the page's last id; ``prev`` (the page does not
    start at the first feature): the previous ``after`` or ``offset``."""
    links = []
    if bounds.more:
        links.append(_link("next", after=str(bounds.last), offset=None))
    if f.after and bounds.before is not None:
        links.append(_link("prev", after=str(bounds.before) if bounds.before else None))
    elif not f.after and f.offset > 0:
        links.append(_link("prev", offset=str(max(0, f.offset - f.limit))))
    return ", ".join(links) or None


def collection_response(query: service.Query, f: PublicFilter) -> Response:
    tag = changes.etag(db.session, query.fingerprint())
    unchanged = _answer(tag)
    if unchanged is not None:
        return unchanged
    page = service.page(db.session, query)
    if page.bounds.returned <= current_app.config.get("API_BUFFER_FEATURES", BUFFER_FEATURES):
        body = b"".join(page.chunks)  # a map's page: whole, with its Content-Length
    else:
        body = stream_with_context(page.chunks)
    return _body(body, tag, page_links(f, page.bounds))


def _max_limit() -> int:
    """``API_MAX_LIMIT`` (default 10000); the benchmark raises it to fetch 100k at once."""
    return int(current_app.config.get("API_MAX_LIMIT", MAX_LIMIT))


@bp.get("/units.geojson")
def units():
    f = parse_units(request.args, max_limit=_max_limit())
    return collection_response(service.unit_query(f, unit_extra(absolute=True, ags=f.ags)), f)


@bp.get("/proposals.geojson")
def proposals():
    f = parse_proposals(request.args, max_limit=_max_limit())
    extra = proposal_extra(absolute=True, ags=f.ags)
    return collection_response(service.proposal_query(f, extra), f)


def _ags() -> str | None:
    return (request.args.get("ags") or "").strip()[:8] or None


def _area(layer: str) -> Response:
    ags = _ags()
    tag = changes.etag(db.session, f"{service.AREA_LAYERS[layer]}|{ags!r}")
    return _answer(tag) or _body(service.area_layer(db.session, layer, ags), tag)


@bp.get("/boundary.geojson")
def boundary():
    return _area("boundary")


@bp.get("/districts.geojson")
def districts():
    return _area("districts")


@bp.get("/focus-areas.geojson")
def focus_areas():
    return _area("focus_areas")
