"""CORS for the public, read-only API only, so that other sites' maps can read the public data:
``Access-Control-Allow-Origin: *``, no credentials, GET/HEAD, the ``Link``, ``ETag`` and
``Content-Crs`` headers readable by scripts. Never on staff or login-bound endpoints
(``/api/places``, ``/api/buildings.geojson``, ``/ogc/verwaltung``): those paths are simply not
listed."""

from __future__ import annotations

from flask_cors import CORS

from leerstand.api import bp

PUBLIC_PATHS = (
    r"^/api/(units|proposals|boundary|districts|focus-areas)\.geojson$",
    r"^/api/openapi\.json$",
    r"^/ogc(?!/verwaltung(/|$))(/.*)?$",  # the public OGC API – Features, not the staff part
)
OPTIONS = {
    "origins": "*",
    "send_wildcard": True,
    "supports_credentials": False,
    "methods": ["GET", "HEAD", "OPTIONS"],
    "expose_headers": ["Link", "ETag", "Content-Crs"],
    "max_age": 86400,
}


@bp.record_once
def _install(state) -> None:
    CORS(state.app, resources=dict.fromkeys(PUBLIC_PATHS, OPTIONS))
