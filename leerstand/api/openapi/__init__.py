"""The OpenAPI 3.0 document of every JSON endpoint (``/api/openapi.json``) and its docs page
(``/api/docs``: Swagger UI from static/map/node_modules, no CDN, no inline script).

``document()`` assembles the app's own operations (``paths``) and schemas (``schemas``) and
merges those of the OGC API – Features (``leerstand.api.ogc.openapi``: ``paths()`` and
``components()``, which bring the personal API token's security schemes for
``/ogc/verwaltung``) when that module exists. The staff JSON here uses the session cookie."""

from __future__ import annotations

import importlib

from flask import current_app, jsonify, render_template, url_for

from leerstand.api import bp
from leerstand.api.openapi import paths, schemas
from leerstand.services.public.params import MAX_LIMIT

TITLE = "Leerstand – API"
DESCRIPTION = (
    "Öffentliche Daten der Leerstandskarte als GeoJSON (ohne Anmeldung, CORS erlaubt), "
    "OGC API – Features für GIS (öffentlich und, mit persönlichem API-Zugang, für die "
    "Verwaltung) und die JSON-Endpunkte der Verwaltung. Fehler: "
    '`{"error": "<deutsche Meldung>", "status": <HTTP-Status>}`.'
)


def security_schemes() -> dict:
    """The login session cookie of the staff JSON; the token schemes of ``/ogc/verwaltung``
    (HTTP Basic with the token as password, Bearer) come with the OGC API's components."""
    cookie = current_app.config.get("SESSION_COOKIE_NAME") or "session"
    return {
        "session": {
            "type": "apiKey",
            "in": "cookie",
            "name": cookie,
            "description": "Anmeldung im Browser (Verwaltung/Initiativen)",
        },
    }


def _ogc() -> tuple[dict, dict]:
    """(paths, components) of the OGC API, or empty when that module is not there."""
    try:
        module = importlib.import_module("leerstand.api.ogc.openapi")
    except ModuleNotFoundError:
        return {}, {}
    return module.paths(), module.components()


def _merge(components: dict, extra: dict) -> dict:
    """``components`` with the sections of ``extra`` added (same names: ``extra`` wins)."""
    merged = {key: dict(value) for key, value in components.items()}
    for section, entries in extra.items():
        merged.setdefault(section, {}).update(entries)
    return merged


def document() -> dict:
    max_limit = int(current_app.config.get("API_MAX_LIMIT", MAX_LIMIT))
    own_components = {"schemas": schemas.build(), "securitySchemes": security_schemes()}
    ogc_paths, ogc_components = _ogc()
    return {
        "openapi": "3.0.3",
        "info": {"title": TITLE, "version": "1", "description": DESCRIPTION},
        "servers": [{"url": current_app.config["BASE_URL"].rstrip("/")}],
        "paths": {**paths.build(max_limit), **ogc_paths},
        "components": _merge(own_components, ogc_components),
    }


@bp.get("/openapi.json")
def openapi_json():
    response = jsonify(document())
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", spec_url=url_for("api.openapi_json"))
